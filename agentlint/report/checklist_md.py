"""The readiness checklist as GitHub-flavoured Markdown (fit for ``$GITHUB_STEP_SUMMARY``).

Renders an ``agentlint.report.checklist_rollup.ChecklistReport`` (duck-typed: the report layer does
not import the roll-up). Pure: no I/O, no clock. The output stays under :data:`MAX_BYTES`
(GitHub's step-summary limit is 1 MiB): evidence lists are cut to a few entries, ending with
"… and N more", as far as it takes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

MAX_BYTES = 1_000_000  # below 1 MiB with room for whatever else a job appends
EVIDENCE_LIMITS = (20, 5, 1, 0)  # per row; tried in order until the output fits

# A plain-text marker per status: readable without colour, emoji or icons.
MARKERS = {"fail": "[FAIL]", "open": "[OPEN]", "pass": "[PASS]", "not assessed": "[N/A]"}

LEGEND = (
    "fail: active findings at error or warning · open: only `todo` suppressions left · "
    "pass: every rule of the item ran on inputs of that kind and nothing is open · "
    "not assessed: no check exists yet, rules of the item are not enabled (enable them with "
    "`extend-select` in the config), or no input of that kind was found (never a pass by absence)"
)

_ESCAPE = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#~"})


def escape(text: str) -> str:
    """Markdown-inert text on one line (safe inside a table cell)."""
    return " ".join(text.split()).translate(_ESCAPE)


def href(path: str, line: int, link_prefix: str) -> str:
    return f"{quote(link_prefix + path, safe='/-._~')}#L{line}"


def status_text(status: Any) -> str:
    return f"{MARKERS[status.value]} {status.value}"


def status_note(row: Any) -> str:
    """Why a row is not assessed, and what would assess it ("" for the other statuses)."""
    if row.reason is None:
        return ""
    if row.not_run and row.reason.name in ("RULES_OFF", "SOME_RULES_OFF"):
        return f"enable {', '.join(r.code for r in row.not_run)} to assess it"
    return row.reason.value


def checked_text(row: Any) -> str:
    """The Checked cell: how many entities of what kinds ("—" where no check exists)."""
    return "—" if not row.rules else f"{row.checked} {row.checked_kind}"


def stamp(report: Any) -> str:
    """agentlint's version, and the date and commit of the run when the CLI gave them."""
    parts = [f"agentlint {report.version}"]
    if report.date:
        parts.append(report.date)
    if report.commit:
        parts.append(f"commit {report.commit}")
    return " · ".join(parts)


def summary(report: Any) -> str:
    return " · ".join(f"{count} {status.value}" for status, count in report.counts())


def evidence_note(item: Any) -> str:
    """What an evidence entry says besides its location."""
    if item.kind == "todo":
        return f"{item.code} todo: {item.text}"
    return f"{item.code} {item.kind}"


def _evidence_cell(row: Any, limit: int, link_prefix: str) -> str:
    if not row.evidence:
        return "—"
    parts = [
        f"[{escape(f'{e.path}:{e.line}')}]({href(e.path, e.line, link_prefix)}) {escape(evidence_note(e))}"
        for e in row.evidence[:limit]
    ]
    if len(row.evidence) > limit:
        parts.append(f"… and {len(row.evidence) - limit} more")
    return "<br>".join(parts)


def _render(report: Any, limit: int, link_prefix: str) -> str:
    out = [f"# {escape(report.title)}", "", escape(stamp(report)), ""]
    out.append(f"**{summary(report)}** ({report.files_checked} files checked)")
    out.append("")
    if report.input_problems:
        out.append(
            f"{report.input_problems} problem(s) reading the agent definitions: run `agentlint check` "
            "(items fed by those files may be incomplete)."
        )
        out.append("")
    out.append("| Item | Title | Status | Rules | Checked | Evidence |")
    out.append("| --- | --- | --- | --- | --- | --- |")
    for row in report.rows:
        rules = "<br>".join(f"{r.code} {escape(r.name)}" for r in row.rules) or "—"
        checked = checked_text(row)
        note = status_note(row)
        status = status_text(row.status) + (f": {escape(note)}" if note else "")
        out.append(
            f"| {row.number} | {escape(row.title)} | {status} | {rules} | "
            f"{escape(checked)} | {_evidence_cell(row, limit, link_prefix)} |"
        )
    out.append("")
    out.append(LEGEND)
    out.append("")
    return "\n".join(out)


def render(report: Any, *, link_prefix: str = "") -> str:
    text = ""
    for limit in EVIDENCE_LIMITS:
        text = _render(report, limit, link_prefix)
        if len(text.encode("utf-8")) <= MAX_BYTES:
            break
    return text
