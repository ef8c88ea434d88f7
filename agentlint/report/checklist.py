"""The readiness checklist renderings (``agentlint report --format md|html``).

The roll-up that decides each item's status reads the model and the rule classes
(``agentlint.report.checklist_rollup``); this module picks the renderer for its
:class:`~agentlint.report.checklist_rollup.ChecklistReport` (duck-typed: the renderers import
neither). Pure: no I/O, no clock.
"""

from __future__ import annotations

from typing import Any

FORMATS = ("md", "html")


def render(report: Any, fmt: str, *, link_prefix: str = "") -> str:
    """``fmt``: ``md`` or ``html``. ``link_prefix`` is prepended to evidence link targets
    (e.g. ``../`` when the file is written one folder below the paths' root)."""
    if fmt == "md":
        from agentlint.report import checklist_md

        return checklist_md.render(report, link_prefix=link_prefix)
    if fmt == "html":
        from agentlint.report import checklist_html

        return checklist_html.render(report, link_prefix=link_prefix)
    raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")
