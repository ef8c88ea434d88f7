"""Output formats.

Every reporter is a module exposing ``render(result, *, color, show_suppressed) -> str``.
Reporters are pure functions of the :class:`~agentlint.findings.RunResult`: no file I/O, no
environment reads, no clock, no printing. Modules are imported lazily so that, for example,
``--output-format json`` never imports ``rich``.

Beside the reporters live the other renderers, as pure: the readiness checklist
(``checklist_rollup`` decides each item's status; ``checklist`` picks its Markdown or HTML
rendering) and the agent topology (``topology``: ``agentlint graph`` and its ``--check``, over
``topology_view``, ``topology_formats`` and ``topology_svg``), which read the Project itself.
"""

from __future__ import annotations

import importlib
from typing import Protocol, cast

from agentlint.findings import RunResult

# Format name -> "module:function".
REPORTERS: dict[str, str] = {
    "concise": "agentlint.report.concise:render",
    "github": "agentlint.report.github:render",
    "gitlab": "agentlint.report.gitlab:render",
    "json": "agentlint.report.json:render",
    "junit": "agentlint.report.junit:render",
    "sarif": "agentlint.report.sarif:render",
    "text": "agentlint.report.text:render",
}


class Reporter(Protocol):
    def __call__(self, result: RunResult, *, color: bool, show_suppressed: bool) -> str: ...


class UnknownFormatError(KeyError, ValueError):
    """Raised by :func:`render` for a format name missing from :data:`REPORTERS`."""

    def __init__(self, fmt: str) -> None:
        super().__init__(fmt)
        self.fmt = fmt
        self.formats = tuple(sorted(REPORTERS))

    def __str__(self) -> str:
        return f"unknown output format {self.fmt!r}; expected one of: {', '.join(self.formats)}"


def get_reporter(fmt: str) -> Reporter:
    """The render function registered for ``fmt``; raises :class:`UnknownFormatError`."""
    try:
        target = REPORTERS[fmt]
    except KeyError:
        raise UnknownFormatError(fmt) from None
    module_name, _, func_name = target.partition(":")
    module = importlib.import_module(module_name)
    return cast(Reporter, getattr(module, func_name))


def render(
    fmt: str, result: RunResult, *, color: bool = False, show_suppressed: bool = False
) -> str:
    """Render ``result`` in format ``fmt`` (a key of :data:`REPORTERS`)."""
    return get_reporter(fmt)(result, color=color, show_suppressed=show_suppressed)


__all__ = ["REPORTERS", "Reporter", "UnknownFormatError", "get_reporter", "render"]
