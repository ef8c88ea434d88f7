"""JUnit XML, as GitLab (``artifacts: reports: junit``) and other CI systems read it.

::

    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="agentlint" tests="N" failures="N" errors="0">
      <testsuite name="PATH" tests="n" failures="n" errors="0" skipped="0">
        <testcase name="CODE PATH:LINE:COL" classname="PATH" file="PATH" line="LINE">
          <failure message="MESSAGE" type="SEVERITY">PATH:LINE:COL: SEVERITY: MESSAGE [CODE]</failure>
        </testcase>
      </testsuite>
    </testsuites>

One ``testsuite`` per file (in path order), one ``testcase`` per finding. Test names are
unique (GitLab keeps only the first of equal names): a repeat gets `` #2``, `` #3`` … appended.
With ``--show-suppressed``, suppressed findings are ``testcase``s holding
``<skipped message="suppressed (ignore|todo): REASON"/>``. Related locations follow the
location in the failure text. Deterministic: no timestamps, no durations, no host name.
Characters XML 1.0 cannot carry (control characters other than tab/newline) become U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from agentlint.findings import Finding, RunResult
from agentlint.report._common import shown

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}"


def _details(finding: Finding) -> str:
    lines = [f"{_where(finding)}: {finding.severity.value}: {finding.message} [{finding.code}]"]
    for related in finding.related:
        start = related.span.start
        lines.append(f"{related.path}:{start.line}:{start.column}: note: {related.note}".rstrip())
    return "\n".join(lines)


def _testcase(suite: ET.Element, finding: Finding, name: str) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {"name": _xml(name), "classname": _xml(finding.path), "file": _xml(finding.path), "line": str(finding.line)},
    )
    if finding.suppression is None:
        failure = ET.SubElement(case, "failure", {"message": _xml(finding.message), "type": finding.severity.value})
        failure.text = _xml(_details(finding))
    else:
        reason = f": {finding.suppression_reason}" if finding.suppression_reason else ""
        ET.SubElement(case, "skipped", {"message": _xml(f"suppressed ({finding.suppression.value}){reason}")})


def render(result: RunResult, *, color: bool, show_suppressed: bool) -> str:
    del color
    findings = shown(result, show_suppressed)
    failures = sum(1 for f in findings if f.suppression is None)
    root = ET.Element(
        "testsuites",
        {"name": "agentlint", "tests": str(len(findings)), "failures": str(failures), "errors": "0"},
    )
    names: dict[str, int] = {}
    ordered = sorted(findings, key=Finding.sort_key)
    for path, group in groupby(ordered, key=lambda f: f.path):
        cases = list(group)
        failed = sum(1 for f in cases if f.suppression is None)
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": _xml(path),
                "tests": str(len(cases)),
                "failures": str(failed),
                "errors": "0",
                "skipped": str(len(cases) - failed),
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
