"""The readiness checklist as one self-contained HTML file.

Inline CSS (with print rules), no script, nothing fetched. The topology is drawn as inline
SVG (one picture per graph, made by ``agentlint.report.topology_svg`` and carried in the report as
text), with its Mermaid text in a collapsed ``<details>`` for copy and paste. Renders an
``agentlint.report.checklist_rollup.ChecklistReport`` (duck-typed). Pure: no I/O, no clock.
"""

from __future__ import annotations

from html import escape
from typing import Any

from agentlint.report.checklist_md import (
    EVIDENCE_LIMITS,
    LEGEND,
    MARKERS,
    checked_text,
    evidence_note,
    href,
    stamp,
    status_note,
    summary,
)

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.6em; margin: 0 0 .3em; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #bbb; padding: .35em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.status { white-space: nowrap; font-weight: 600; }
tr.fail td.status { color: #a00; }
tr.open td.status { color: #8a5a00; }
tr.pass td.status { color: #060; }
tr.not-assessed td.status { color: #555; }
ul { margin: 0; padding-left: 1.1em; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .8em; overflow-x: auto; white-space: pre-wrap; }
.legend, .stamp { color: #444; }
td.status .note { font-weight: normal; white-space: normal; color: #555; }
figure.topology { margin: 1em 0; }
figure.topology h3 { margin: 0 0 .4em; font-size: 1.1em; }
svg.topology { max-width: 100%; height: auto; display: block; }
details summary { cursor: pointer; color: #444; }
@media print {
  body { margin: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  tr { page-break-inside: avoid; }
  thead { display: table-header-group; }
  pre { white-space: pre-wrap; border: none; background: none; }
  figure.topology { page-break-inside: avoid; break-inside: avoid; }
  figure.topology h3 { page-break-after: avoid; break-after: avoid; }
  details { display: none; }
}
""".strip()


def _evidence(row: Any, link_prefix: str) -> str:
    if not row.evidence:
        return "—"
    limit = EVIDENCE_LIMITS[0]
    items = [
        f'<li><a href="{escape(href(e.path, e.line, link_prefix))}">{escape(f"{e.path}:{e.line}")}</a> '
        f"{escape(evidence_note(e))}</li>"
        for e in row.evidence[:limit]
    ]
    if len(row.evidence) > limit:
        items.append(f"<li>… and {len(row.evidence) - limit} more</li>")
    return "<ul>" + "".join(items) + "</ul>"


def render(report: Any, *, link_prefix: str = "") -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(report.title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="stamp">{escape(stamp(report))}</p>',
        f"<p><strong>{escape(summary(report))}</strong> ({report.files_checked} files checked)</p>",
    ]
    if report.input_problems:
        out.append(
            f"<p>{report.input_problems} problem(s) reading the agent definitions: run <code>agentlint check</code> "
            "(items fed by those files may be incomplete).</p>"
        )
    out.append("<table>")
    out.append("<thead><tr><th>Item</th><th>Title</th><th>Status</th><th>Rules</th><th>Checked</th><th>Evidence</th></tr></thead>")
    out.append("<tbody>")
    for row in report.rows:
        status = row.status.value
        rules = "<br>".join(f"{escape(r.code)} {escape(r.name)}" for r in row.rules) or "—"
        note = status_note(row)
        note_html = f'<br><span class="note">{escape(note)}</span>' if note else ""
        out.append(
            f'<tr class="{status.replace(" ", "-")}"><td>{escape(row.number)}</td><td>{escape(row.title)}</td>'
            f'<td class="status">{escape(MARKERS[status])} {escape(status)}{note_html}</td><td>{rules}</td>'
            f"<td>{escape(checked_text(row))}</td><td>{_evidence(row, link_prefix)}</td></tr>"
        )
    out.append("</tbody>")
    out.append("</table>")
    out.append(f'<p class="legend">{escape(LEGEND.replace("`", ""))}</p>')
    svg = getattr(report, "topology_svg", "")
    if svg or report.topology_mermaid:
        out.append("<h2>Agent topology</h2>")
    if svg:
        out.append(svg.rstrip("\n"))
    if report.topology_mermaid:
        out.append("<details>")
        out.append("<summary>Mermaid source (from <code>agentlint graph</code>)</summary>")
        out.append(f"<pre>{escape(report.topology_mermaid)}</pre>")
        out.append("</details>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"
