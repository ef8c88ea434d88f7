"""Human output, in the style of ruff's full output.

For each finding (sorted, hence grouped by file)::

    agents/alpha.yaml:2:9: AL101 error tool [x] is not declared
      |
    2 | tools:  [search]
      |         ^^^^^^^^
      = note: crew.yaml:4:7: referenced here

then a summary line (``agentlint.report._common.summary``). A finding with a safe fix shows
``[*]`` after its code and its fix as ``= help:``; the summary then counts them, as ruff does. Without color the output is plain text (no escape codes). User text is
never parsed as rich markup or emoji codes: every piece is a ``rich.text.Text``. Tabs in
source lines expand to ``TAB_SIZE`` columns and other control characters show as visible
symbols, so the caret lines up under the span (wide characters count two cells).

Credentials are never printed whole: the located text of a finding marked ``masked`` (AL202,
AL222, AL224, AL408 …) shows its first characters then ``…`` (``"sk-p…"``), in its own excerpt
and in any other finding's excerpt of the same line. Paths and messages are printed safe to echo
in a CI log (``_common.safe_path``): no line is a GitHub workflow command.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

from agentlint.findings import Finding, Location, RunResult, Severity
from agentlint.model.source import Span
from agentlint.report._common import safe_path, safe_text, shown, summary

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
    pieces: list[str] = []
    offsets: list[int] = []
    cell = 0
    for ch in line:
        offsets.append(cell)
        piece = " " * (tab_size - cell % tab_size) if ch == "\t" else _visible(ch)
        pieces.append(piece)
        cell += len(piece) if piece.isascii() else _cell_len(piece)  # printable ASCII: one cell each
    offsets.append(cell)
    return "".join(pieces), offsets


def _cell_len(text: str) -> int:
    from rich.cells import cell_len  # wide and zero-width characters: only for non-ASCII text

    return cell_len(text)


def caret_range(
    line: str, location: Location, tab_size: int = TAB_SIZE, masks: tuple[tuple[int, int], ...] = ()
) -> tuple[str, int, int]:
    """Display line, caret start cell and caret width (at least 1) for ``location``; the
    ``masks`` (0-based [start, end) code point ranges of ``line``, sorted, disjoint) are shown
    as ``mask_secret`` shows them, the caret following."""
    span = location.span
    start = min(max(span.start.column - 1, 0), len(line))
    end = span.end.column - 1 if span.end.line == span.start.line else len(line)
    end = min(max(end, start), len(line))
    if masks:
        line, start, end = _masked(line, masks, start, end)
    display, offsets = layout(line, tab_size)
    display = display.replace("##[", "#\u200b#[")  # no legacy workflow command (zero width: carets stay put)
    return display, offsets[start], max(offsets[end] - offsets[start], 1)


def mask_secret(secret: str) -> str:
    """``sk-proj-Q7mZ…`` → ``sk-p…``: at most 4 characters and at most a third of the secret,
    then ``…``; quotes around it stay."""
    quote = secret[:1] if secret[:1] in ("'", '"') else ""
    closing = quote if quote and len(secret) > 1 and secret.endswith(quote) else ""
    inner = secret[len(quote) : len(secret) - len(closing)]
    return f"{quote}{inner[: min(4, len(inner) // 3)]}\u2026{closing}"


def _masked(line: str, masks: tuple[tuple[int, int], ...], start: int, end: int) -> tuple[str, int, int]:
    """``line`` with each mask applied, and ``start``/``end`` moved along (into a mask: its edge)."""
    pieces: list[str] = []
    new_start, new_end = start, end
    delta = 0  # new index - old index after the masks seen so far
    cursor = 0
    for low, high in masks:
        shown_text = mask_secret(line[low:high])
        pieces.append(line[cursor:low])
        pieces.append(shown_text)
        cursor = high
        new_low = low + delta
        if low <= start < high:
            new_start = new_low
        elif start >= high:
            new_start = start + delta + len(shown_text) - (high - low)
        if low < end <= high:
            new_end = new_low + len(shown_text)
        elif end > high:
            new_end = end + delta + len(shown_text) - (high - low)
        delta += len(shown_text) - (high - low)
    pieces.append(line[cursor:])
    return "".join(pieces), new_start, max(new_end, new_start)


def _line_masks(spans: list[Span], number: int, length: int) -> tuple[tuple[int, int], ...]:
    """The [start, end) ranges of line ``number`` covered by masked spans, merged and sorted."""
    ranges: list[tuple[int, int]] = []
    for span in spans:
        if not span.start.line <= number <= span.end.line:
            continue
        low = span.start.column - 1 if span.start.line == number else 0
        high = span.end.column - 1 if span.end.line == number else length
        low, high = max(0, min(low, length)), max(0, min(high, length))
        if high > low:
            ranges.append((low, high))
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def _secrets(result: RunResult) -> dict[str, list[Span]]:
    """Path → spans of every credential a finding located (shown, suppressed or baselined)."""
    found: dict[str, list[Span]] = {}
    for finding in (*result.findings, *result.suppressed, *result.baselined):
        if finding.masked:
            found.setdefault(finding.path, []).append(finding.location.span)
    return found


_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks loaders count (not str.splitlines's U+2028, \f, \x1c ...)


class _Sources:
    """Source lines of the files with findings (split once per file), and the credentials
    located in each (``_secrets``)."""

    def __init__(self, result: RunResult) -> None:
        self.result = result
        self.secrets = _secrets(result)
        self._lines: dict[str, list[str]] = {}

    def line(self, location: Location) -> str | None:
        lines = self._lines.get(location.path)
        if lines is None:
            source = self.result.sources.get(location.path)
            if source is None:
                return None
            lines = self._lines[location.path] = _BREAK.split(source)
        index = location.span.start.line - 1
        return lines[index] if 0 <= index < len(lines) else None


def _position(location: Location) -> str:
    span = location.span
    return f"{safe_path(location.path)}:{span.start.line}:{span.start.column}"


class _PlainText:
    """The part of ``rich.text.Text`` this module uses, for output without color: the text alone,
    styles dropped. ``render`` uses it only where rich would print the text unchanged."""

    __slots__ = ("plain",)

    def __init__(self, text: str = "", style: str = "") -> None:
        self.plain = text

    @classmethod
    def assemble(cls, *parts: str | tuple[str, str]) -> _PlainText:
        return cls("".join(part if isinstance(part, str) else part[0] for part in parts))

    def append(self, text: str, style: str = "") -> None:
        self.plain += text


def _verbatim(text: str) -> bool:
    """Whether rich prints ``text`` as it is (no color, soft wrap): no tab to expand, no line
    break, no control character to strip or pass through."""
    return not any(ch < " " or "\x7f" <= ch < "\xa0" for ch in text)


def _plain_render(result: RunResult, show_suppressed: bool, quiet: bool) -> str | None:
    """``render`` without color, without importing rich (~45 ms); None when a line holds a
    character rich would change (then rich renders it)."""
    sources = _Sources(result)
    out: list[str] = []
    for finding in shown(result, show_suppressed):
        out.extend(line.plain for line in _finding_lines(sources, finding, _PlainText))
        out.append("")
    if not quiet:
        out.append(summary(result))
        fixable = sum(1 for finding in result.findings if finding.fix is not None)
        if fixable:
            out.append(f"[*] {fixable} fixable with 'agentlint check --fix' (preview: --diff).")
    if not all(_verbatim(line) for line in out):
        return None
    return "".join(line + "\n" for line in out)


def _finding_lines(sources: _Sources, finding: Finding, text_type: Any = None) -> list[Text]:
    """The lines of one finding, as rich ``Text`` (or ``text_type``, e.g. ``_PlainText``)."""
    if text_type is None:
        from rich.text import Text as text_type

    style = _SEVERITY_STYLE[finding.severity]
    header = text_type.assemble(
        (_position(finding.location), "bold"),
        ": ",
        (finding.code, "bold"),
        " ",
        ("[*] " if finding.fix is not None and finding.suppression is None else "", "bold"),
        (finding.severity.value, style),
        " ",
        safe_text(finding.message),
    )
    if finding.suppression is not None:
        header.append(f" (suppressed: {finding.suppression.value})", "dim")
    lines = [header]

    source_line = sources.line(finding.location)
    if source_line is not None:
        number = str(finding.line)
        pad = " " * len(number)
        masks = _line_masks(sources.secrets.get(finding.path, []), finding.line, len(source_line))
        display, start, width = caret_range(source_line, finding.location, masks=masks)
        lines.append(text_type(f"{pad} |", _GUTTER_STYLE))
        code = f" {display}" if display else ""
        lines.append(text_type.assemble((f"{number} |", _GUTTER_STYLE), code))
        carets = ("^" * width, style)
        lines.append(text_type.assemble((f"{pad} |", _GUTTER_STYLE), " " * (start + 1), carets))

    for related in finding.related:
        text = f": {_position(related)}" + (f": {safe_text(related.note)}" if related.note else "")
        lines.append(text_type.assemble(("  = ", _GUTTER_STYLE), ("note", "bold"), text))
    if finding.fix is not None and finding.suppression is None:
        lines.append(text_type.assemble(("  = ", _GUTTER_STYLE), ("help", "bold"), f": {safe_text(finding.fix.title)}"))
    if finding.suppression is not None and finding.suppression_reason:
        text = f": {safe_text(finding.suppression_reason)}"
        lines.append(text_type.assemble(("  = ", _GUTTER_STYLE), ("reason", "bold"), text))
    return lines


def render(result: RunResult, *, color: bool, show_suppressed: bool, quiet: bool = False) -> str:
    """With ``quiet`` (``-q``), the findings only: no summary line."""
    if not color:
        plain = _plain_render(result, show_suppressed, quiet)
        if plain is not None:
            return plain
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
    sources = _Sources(result)
    for finding in shown(result, show_suppressed):
        for line in _finding_lines(sources, finding):
            console.print(line)
        console.print()
    if not quiet:
        console.print(Text(summary(result), "bold"))
        fixable = sum(1 for finding in result.findings if finding.fix is not None)
        if fixable:  # as ruff: the [*] findings have a safe fix
            console.print(Text(f"[*] {fixable} fixable with 'agentlint check --fix' (preview: --diff)."))
    return out.getvalue()
