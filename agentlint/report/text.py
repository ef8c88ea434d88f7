"""Human output, in the style of ruff's full output.

For each finding (sorted, hence grouped by file)::

    agents/alpha.yaml:2:9: AL101 error tool [x] is not declared
      |
    2 | tools:  [search]
      |         ^^^^^^^^
      = note: crew.yaml:4:7: referenced here

then a summary line (``agentlint.report._common.summary``). Without color the output is plain text (no escape codes). User text is
never parsed as rich markup or emoji codes: every piece is a ``rich.text.Text``. Tabs in
source lines expand to ``TAB_SIZE`` columns and other control characters show as visible
symbols, so the caret lines up under the span (wide characters count two cells).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from agentlint.findings import Finding, Location, RunResult, Severity
from agentlint.report._common import one_line, shown, summary

if TYPE_CHECKING:
    from rich.text import Text

TAB_SIZE = 4
WIDTH = 100

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_GUTTER_STYLE = "blue"


def _visible(ch: str) -> str:
    """A printable stand-in for a control character (tabs are handled by ``layout``)."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # control pictures: U+241B for ESC ...
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code < 0xA0:
        return "\ufffd"
    return ch


def layout(line: str, tab_size: int = TAB_SIZE) -> tuple[str, list[int]]:
    """Display form of ``line`` and the display cell offset of each code point index.

    ``offsets[i]`` is where the character at 0-based index ``i`` starts on screen;
    ``offsets[len(line)]`` is the width of the whole line.
    """
    from rich.cells import cell_len

    pieces: list[str] = []
    offsets: list[int] = []
    cell = 0
    for ch in line:
        offsets.append(cell)
        piece = " " * (tab_size - cell % tab_size) if ch == "\t" else _visible(ch)
        pieces.append(piece)
        cell += cell_len(piece)
    offsets.append(cell)
    return "".join(pieces), offsets


def caret_range(line: str, location: Location, tab_size: int = TAB_SIZE) -> tuple[str, int, int]:
    """Display line, caret start cell and caret width (at least 1) for ``location``."""
    display, offsets = layout(line, tab_size)
    span = location.span
    start = min(max(span.start.column - 1, 0), len(line))
    end = span.end.column - 1 if span.end.line == span.start.line else len(line)
    end = min(max(end, start), len(line))
    return display, offsets[start], max(offsets[end] - offsets[start], 1)


def _source_line(result: RunResult, location: Location) -> str | None:
    source = result.sources.get(location.path)
    if source is None:
        return None
    lines = source.splitlines()
    index = location.span.start.line - 1
    return lines[index] if 0 <= index < len(lines) else None


def _position(location: Location) -> str:
    span = location.span
    return f"{one_line(location.path)}:{span.start.line}:{span.start.column}"


def _finding_lines(result: RunResult, finding: Finding) -> list[Text]:
    from rich.text import Text

    style = _SEVERITY_STYLE[finding.severity]
    header = Text.assemble(
        (_position(finding.location), "bold"),
        ": ",
        (finding.code, "bold"),
        " ",
        (finding.severity.value, style),
        " ",
        one_line(finding.message),
    )
    if finding.suppression is not None:
        header.append(f" (suppressed: {finding.suppression.value})", "dim")
    lines = [header]

    source_line = _source_line(result, finding.location)
    if source_line is not None:
        number = str(finding.line)
        pad = " " * len(number)
        display, start, width = caret_range(source_line, finding.location)
        lines.append(Text(f"{pad} |", _GUTTER_STYLE))
        code = f" {display}" if display else ""
        lines.append(Text.assemble((f"{number} |", _GUTTER_STYLE), code))
        carets = ("^" * width, style)
        lines.append(Text.assemble((f"{pad} |", _GUTTER_STYLE), " " * (start + 1), carets))

    for related in finding.related:
        text = f": {_position(related)}" + (f": {one_line(related.note)}" if related.note else "")
        lines.append(Text.assemble(("  = ", _GUTTER_STYLE), ("note", "bold"), text))
    if finding.suppression is not None and finding.suppression_reason:
        text = f": {one_line(finding.suppression_reason)}"
        lines.append(Text.assemble(("  = ", _GUTTER_STYLE), ("reason", "bold"), text))
    return lines


def render(result: RunResult, *, color: bool, show_suppressed: bool, quiet: bool = False) -> str:
    """With ``quiet`` (``-q``), the findings only: no summary line."""
    from rich.console import Console
    from rich.text import Text

    out = io.StringIO()
    console = Console(
        file=out,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        color_system="standard" if color else None,
        no_color=not color,
        width=WIDTH,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
        legacy_windows=False,
        _environ={},  # reporters never read the environment (NO_COLOR, COLUMNS, TERM ...)
    )
    for finding in shown(result, show_suppressed):
        for line in _finding_lines(result, finding):
            console.print(line)
        console.print()
    if not quiet:
        console.print(Text(summary(result), "bold"))
    return out.getvalue()
