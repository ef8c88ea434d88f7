"""JUnit XML, as GitLab (``artifacts: reports: junit``) and other CI systems read it.

::

    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="agentlint" tests="N" failures="N" errors="N">
      <testsuite name="PATH" tests="n" failures="n" errors="n" skipped="n">
        <testcase name="CODE PATH:LINE:COL" classname="PATH" file="PATH" line="LINE">
          <failure message="MESSAGE" type="SEVERITY">PATH:LINE:COL: SEVERITY: MESSAGE [CODE]</failure>
        </testcase>
      </testsuite>
    </testsuites>

One ``testsuite`` per file (in path order), one ``testcase`` per finding. An internal error
(AL901: a rule or adapter crashed) is an ``<error type="internal-error">``, counted in
``errors``, not a failure: the check did not run. A rule judging the whole project that crashed
sits at ``.`` (the project root). Test names are
unique (GitLab keeps only the first of equal names): a repeat gets `` #2``, `` #3`` … appended.
With ``--show-suppressed``, suppressed findings are ``testcase``s holding
``<skipped message="suppressed (ignore|todo): REASON"/>``. Related locations follow the
location in the failure text. Deterministic: no timestamps, no durations, no host name.
Characters XML 1.0 cannot carry (control characters other than tab/newline) become U+FFFD.
The failure text is printed as the ``concise`` format prints it (each line safe to echo in a CI
log, see ``_common.safe_path``); attributes keep the exact path.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from agentlint.findings import Finding, RunResult
from agentlint.report._common import safe_path, safe_text, shown

INTERNAL_ERROR = "AL901"

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}"


def _details(finding: Finding) -> str:
    where = f"{safe_path(finding.path)}:{finding.line}:{finding.column}"
    lines = [f"{where}: {finding.severity.value}: {safe_text(finding.message)} [{finding.code}]"]
    for related in finding.related:
        start = related.span.start
        lines.append(f"{safe_path(related.path)}:{start.line}:{start.column}: note: {safe_text(related.note)}".rstrip())
    return "\n".join(lines)


def _broken(finding: Finding) -> bool:
    """An active internal error: the check crashed (a JUnit error, not a failure)."""
    return finding.suppression is None and finding.code == INTERNAL_ERROR


def _testcase(suite: ET.Element, finding: Finding, name: str) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {"name": _xml(name), "classname": _xml(finding.path), "file": _xml(finding.path), "line": str(finding.line)},
    )
    if finding.suppression is None:
        kind, type_ = ("error", "internal-error") if _broken(finding) else ("failure", finding.severity.value)
        failure = ET.SubElement(case, kind, {"message": _xml(finding.message), "type": type_})
        failure.text = _xml(_details(finding))
    else:
        reason = f": {finding.suppression_reason}" if finding.suppression_reason else ""
        ET.SubElement(case, "skipped", {"message": _xml(f"suppressed ({finding.suppression.value}){reason}")})


def render(result: RunResult, *, color: bool, show_suppressed: bool) -> str:
    del color
    findings = shown(result, show_suppressed)
    errors = sum(1 for f in findings if _broken(f))
    failures = sum(1 for f in findings if f.suppression is None) - errors
    root = ET.Element(
        "testsuites",
        {"name": "agentlint", "tests": str(len(findings)), "failures": str(failures), "errors": str(errors)},
    )
    names: dict[str, int] = {}
    ordered = sorted(findings, key=Finding.sort_key)
    for path, group in groupby(ordered, key=lambda f: f.path):
        cases = list(group)
        active = sum(1 for f in cases if f.suppression is None)
        broken = sum(1 for f in cases if _broken(f))
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": _xml(path),
                "tests": str(len(cases)),
                "failures": str(active - broken),
                "errors": str(broken),
                "skipped": str(len(cases) - active),
            },
        )
        for finding in cases:
            name = f"{finding.code} {_where(finding)}"
            seen = names.get(name, 0) + 1
            names[name] = seen
            _testcase(suite, finding, name if seen == 1 else f"{name} #{seen}")
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
