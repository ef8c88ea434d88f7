"""Where each character of a string value is in the file: YAML scalars of every style and
JSON strings.

Loaders give the span of a whole scalar; a finding about a placeholder inside a prompt must
point at the placeholder itself, several lines down a ``|`` block or behind escapes of a
quoted string. ``scalar_offsets`` re-reads the scalar's source by the YAML 1.2 (or JSON)
rules and returns, for every character of the value, the source range it came from. The
result is checked against the value the loader produced: on any disagreement (an alias, an
unusual indentation indicator) it returns None and callers fall back to the scalar's span,
so a placeholder is never placed on a wrong line.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from agentlint.model.source import Pos, Span

_BREAK = re.compile(r"\r\n|\r|\n")
_BLOCK_HEADER = re.compile(r"[|>](?:([1-9])[-+]?|[-+]([1-9])?)?")
Ranges = list[tuple[int, int]]  # per value character: [start, end) offsets of its source


class LineIndex:
    """Code-point offsets <-> 1-based positions, with the loaders' line breaks."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def offset(self, pos: Pos) -> int:
        line = min(max(pos.line, 1), len(self.starts))
        return min(self.starts[line - 1] + pos.column - 1, len(self.text))

    def pos(self, offset: int) -> Pos:
        line = bisect_right(self.starts, offset)
        return Pos(line, offset - self.starts[line - 1] + 1)

    def span(self, start: int, end: int) -> Span:
        return Span(self.pos(start), self.pos(end))


def scalar_offsets(index: LineIndex, span: Span, value: str, *, json: bool = False) -> Ranges | None:
    """Source ranges of each character of ``value``, the scalar written at ``span``."""
    text = index.text
    start, end = index.offset(span.start), index.offset(span.end)
    if json:
        ranges = _quoted(text, start, end, '"', json=True)
    else:
        start = _skip_properties(text, start, end)
        first = text[start : start + 1]
        if first in ("|", ">"):
            ranges = _block(text, start, end, folded=first == ">")
        elif first in ("'", '"'):
            ranges = _quoted(text, start, end, first)
        else:
            ranges = _quoted(text, start, end, "")
    if ranges is None:
        return None
    produced, ranges = ranges
    if produced == value:
        return ranges
    # Block scalars: trailing line breaks depend on chomping, which no placeholder reaches.
    if value.startswith(produced) and not value[len(produced) :].strip("\n"):
        return ranges + [(end, end)] * (len(value) - len(produced))
    return None


def _skip_properties(text: str, at: int, end: int) -> int:
    """Past ``&anchor`` / ``!tag`` properties (and comments between them and the content)."""
    while at < end:
        char = text[at]
        if char in "&!":
            while at < end and text[at] not in " \t\r\n":
                at += 1
        elif char == "#":
            while at < end and text[at] not in "\r\n":
                at += 1
        elif char in " \t\r\n":
            at += 1
        else:
            break
    return at


def _lines(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """(line start, content end, break end) for each line of ``text[start:end]``."""
    out = []
    at = start
    for match in _BREAK.finditer(text, start, end):
        out.append((at, match.start(), match.end()))
        at = match.end()
    out.append((at, end, end))
    return out


def _block(text: str, start: int, end: int, folded: bool) -> tuple[str, Ranges] | None:
    header = _BLOCK_HEADER.match(text, start)
    if header is None:
        return None
    brk = _BREAK.search(text, header.end(), end)
    if brk is None:
        return "", []
    lines = _lines(text, brk.end(), end)
    explicit = header.group(1) or header.group(2)
    if explicit:
        line_start = text.rfind("\n", 0, start) + 1
        parent = len(text[line_start:start]) - len(text[line_start:start].lstrip(" "))
        indent = parent + int(explicit)
    else:
        indent = next((len(text[s:e]) - len(text[s:e].lstrip(" ")) for s, e, _ in lines if text[s:e].strip(" ")), 0)
    out: list[str] = []
    ranges: Ranges = []

    def emit(chars: str, where: tuple[int, int]) -> None:
        for char in chars:
            out.append(char)
            ranges.append(where)

    previous: tuple[str, int, int] | None = None  # (kind, break start, break end) of the last text line
    empties: list[tuple[int, int]] = []
    for line_start, content_end, break_end in lines:
        body = text[line_start:content_end]
        if not body.strip(" ") and len(body) <= indent:
            empties.append((content_end, break_end))
            continue
        if len(body) - len(body.lstrip(" ")) < indent:
            break  # less indented: the scalar ended (the span reached into the next token)
        content = line_start + indent
        kind = "spaced" if text[content : content + 1] in (" ", "\t") else "text"
        if previous is not None:
            _, b_start, b_end = previous
            if folded and previous[0] == "text" and kind == "text":
                if empties:
                    for e_start, e_end in empties:
                        emit("\n", (e_start, e_end))
                else:
                    emit(" ", (b_start, b_end))
            else:
                emit("\n", (b_start, b_end))
                for e_start, e_end in empties:
                    emit("\n", (e_start, e_end))
        else:
            for e_start, e_end in empties:
                emit("\n", (e_start, e_end))
        for offset in range(content, content_end):
            emit(text[offset], (offset, offset + 1))
        previous = (kind, content_end, break_end)
        empties = []
    return "".join(out), ranges


_YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX_LENGTH = {"x": 2, "u": 4, "U": 8}


def _quoted(text: str, start: int, end: int, quote: str, json: bool = False) -> tuple[str, Ranges] | None:
    """Plain (``quote`` empty), single- and double-quoted flow scalars, and JSON strings:
    escapes decoded, lines folded (a break is a space, n empty lines are n line feeds)."""
    if quote:
        if text[start : start + 1] != quote or end - start < 2 or text[end - 1] != quote:
            return None
        start, end = start + 1, end - 1
    out: list[str] = []
    ranges: Ranges = []
    lines = _lines(text, start, end)
    pending: tuple[int, int] | None = None  # the break before the current line, to fold
    empties: list[tuple[int, int]] = []
    escaped_break = False
    for number, (line_start, content_end, break_end) in enumerate(lines):
        first, last = number == 0, number == len(lines) - 1
        body_start, body_end = line_start, content_end
        if not first:
            while body_start < body_end and text[body_start] in " \t":
                body_start += 1
        if not last:
            body_end = _trim_end(text, body_start, body_end, quote == '"')
        if not first and not last and body_start == body_end and not escaped_break:
            empties.append((content_end, break_end))
            continue
        if pending is not None and not escaped_break:
            if empties:
                for where in empties:
                    out.append("\n")
                    ranges.append(where)
            else:
                out.append(" ")
                ranges.append(pending)
        empties = []
        escaped_break = False
        at = body_start
        while at < body_end:
            char = text[at]
            if quote == "'" and char == "'" and text[at + 1 : at + 2] == "'":
                out.append("'")
                ranges.append((at, at + 2))
                at += 2
            elif quote == '"' and char == "\\":
                if at + 1 == body_end and not last:
                    escaped_break = True  # ``\`` before a break: the lines join without a space
                    at += 1
                    continue
                decoded = _escape(text, at, body_end, json)
                if decoded is None:
                    return None
                value, after = decoded
                out.append(value)
                ranges.append((at, after))
                at = after
            else:
                out.append(char)
                ranges.append((at, at + 1))
                at += 1
        pending = (body_end, break_end)
    return "".join(out), ranges


def _trim_end(text: str, start: int, end: int, double: bool) -> int:
    """Trailing blanks before a break are not content (unless escaped: ``\\ `` or ``\\t``)."""
    while end > start and text[end - 1] in " \t":
        if double:
            slashes = 0
            while end - 2 - slashes >= start and text[end - 2 - slashes] == "\\":
                slashes += 1
            if slashes % 2:
                break
        end -= 1
    return end


def _escape(text: str, at: int, end: int, json: bool) -> tuple[str, int] | None:
    """One escape sequence at ``text[at] == '\\'``: (decoded character, offset after it)."""
    code = text[at + 1 : at + 2]
    table = _JSON_ESCAPES if json else _YAML_ESCAPES
    if code in table:
        return table[code], at + 2
    length = 4 if json and code == "u" else (None if json else _HEX_LENGTH.get(code))
    if length is None:
        return None
    digits = text[at + 2 : at + 2 + length]
    if len(digits) != length or at + 2 + length > end:
        return None
    try:
        point = int(digits, 16)
    except ValueError:
        return None
    after = at + 2 + length
    if 0xD800 <= point < 0xDC00 and text[after : after + 2] == "\\u":
        low_digits = text[after + 2 : after + 6]
        try:
            low = int(low_digits, 16)
        except ValueError:
            low = 0
        if 0xDC00 <= low < 0xE000 and len(low_digits) == 4:
            return chr(0x10000 + ((point - 0xD800) << 10) + (low - 0xDC00)), after + 6
    return chr(point), after
