"""One line per finding, for editors and CI problem matchers.

``path:line:col: severity: message [CODE]`` -- nothing else: the CLI prints the one-line
summary (``_common.summary``) on stderr, so that stdout stays machine-readable. Suppressed findings
(only with ``show_suppressed``) get `` (suppressed: ignore|todo)`` after ``[CODE]``. Control
characters in paths and messages are replaced by spaces so every finding is exactly one line,
and no line is a GitHub workflow command: a path starting with ``:`` (or whitespace) is printed
as ``./PATH``, and ``##[`` gets a zero-width space (``_common.safe_path``), so a file named
``::warning title=x::owned.yaml`` cannot add annotations or stop command processing.
"""

from __future__ import annotations

from agentlint.findings import Finding, RunResult
from agentlint.report._common import safe_path, safe_text, shown

# Groups: 1 file, 2 line, 3 column, 4 severity, 5 message, 6 code. The optional suffix only
# appears with ``show_suppressed``. Messages may contain colons and brackets: the message is
# greedy and the code is anchored at the end of the line.
PROBLEM_MATCHER_REGEX = (
    r"^(.+?):(\d+):(\d+): (error|warning|info): (.*) \[(AL\d{3})\]"
    r"(?: \(suppressed: (?:ignore|todo)\))?$"
)


def format_finding(finding: Finding) -> str:
    line = (
        f"{safe_path(finding.path)}:{finding.line}:{finding.column}: "
        f"{finding.severity.value}: {safe_text(finding.message)} [{finding.code}]"
    )
    if finding.suppression is not None:
        line += f" (suppressed: {finding.suppression.value})"
    return line


def render(result: RunResult, *, color: bool, show_suppressed: bool) -> str:
    del color  # machine format: never colored
    return "".join(format_finding(f) + "\n" for f in shown(result, show_suppressed))
