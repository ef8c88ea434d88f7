"""GitHub Actions workflow commands: one annotation per finding, grouped by file.

For each file with findings::

    ::group::agents/alpha.yaml
    ::error file=agents/alpha.yaml,line=2,col=8,endLine=2,endColumn=25,title=agentlint (AL101)::message [AL101]
    ::endgroup::

then one plain summary line (as in the ``text`` format). ``error``/``warning``/``info`` map to
``::error``/``::warning``/``::notice``. With ``show_suppressed`` suppressed findings appear as
``::notice`` with `` (suppressed: ignore|todo)`` after the code, so they never look like
failures. Escaping follows actions/toolkit ``command.ts``: in data ``%``, ``\\r``, ``\\n``
become ``%25``, ``%0D``, ``%0A``; property values additionally escape ``:`` and ``,``. Other
control characters are replaced by a space so each command stays one line.

GitHub shows at most 10 error and 10 warning annotations per step: keep a SARIF upload or a
full text report alongside for long lists. Chosen by ``--format auto`` when both
``GITHUB_ACTIONS`` and ``GITHUB_WORKFLOW`` are set.
"""

from __future__ import annotations

from agentlint.findings import Finding, RunResult, Severity
from agentlint.report._common import one_line, shown
from agentlint.report.text import summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return one_line(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_finding(finding: Finding) -> str:
    span = finding.location.span
    command = "notice" if finding.suppression is not None else COMMANDS[finding.severity]
    properties = [
        ("file", finding.path),
        ("line", str(span.start.line)),
        ("col", str(span.start.column)),
        ("endLine", str(max(span.start.line, span.end.line))),
        ("endColumn", str(span.end.column)),
        ("title", f"agentlint ({finding.code})"),
    ]
    message = f"{finding.message} [{finding.code}]"
    if finding.suppression is not None:
        message += f" (suppressed: {finding.suppression.value})"
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{command} {props}::{escape_data(message)}"


def render(result: RunResult, *, color: bool, show_suppressed: bool) -> str:
    del color  # workflow commands are never colored
    lines: list[str] = []
    current: str | None = None
    for finding in shown(result, show_suppressed):
        if finding.path != current:
            if current is not None:
                lines.append("::endgroup::")
            current = finding.path
            lines.append(f"::group::{escape_data(current)}")
        lines.append(format_finding(finding))
    if current is not None:
        lines.append("::endgroup::")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
