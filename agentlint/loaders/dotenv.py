"""``.env`` files -> one LocatedDoc: ``{NAME: value}`` with the span of each name and value.

The grammar is python-dotenv's (``dotenv/parser.py``), which ``langgraph``, docker compose and
most tools follow: optional ``export``, a key (unquoted up to ``=``/whitespace/``#``, or
``'single quoted'``), optional whitespace, ``=``, then a value that is ``'single quoted'``
(only ``\\'`` and ``\\\\`` are escapes), ``"double quoted"`` (backslash escapes; both quoted
forms may span lines) or unquoted up to the end of the line, where `` #…`` starts a comment.
A line that does not fit is skipped, as python-dotenv skips it (with a warning): no finding.
A name written twice keeps its last value, as the tools do. Positions are code points; the
value span covers the quotes. Comments are recorded for inline suppressions.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right

from agentlint.loaders.base import Comment, Limits, LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import Pos, SourceMap, Span

_BREAK = re.compile(r"\r\n|\n|\r")
_SPACE = re.compile(r"\s*")
_BLANK = re.compile(r"[^\S\r\n]*")
_EXPORT = re.compile(r"(?:export[^\S\r\n]+)?")
_QUOTED_KEY = re.compile(r"'([^']+)'")
_KEY = re.compile(r"([^=#\s]+)")
_EQUALS = re.compile(r"=[^\S\r\n]*")
_SINGLE = re.compile(r"'((?:\\'|[^'])*)'")
_DOUBLE = re.compile(r'"((?:\\"|[^"])*)"')
_UNQUOTED = re.compile(r"[^\r\n]*")
_COMMENT = re.compile(r"[^\S\r\n]*(#[^\r\n]*)?")
_END = re.compile(r"[^\S\r\n]*(?:\r\n|\n|\r|\Z)")
_REST = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)?")
_DOUBLE_ESCAPES = re.compile(r"\\[\\'\"abfnrtv]")
_SINGLE_ESCAPES = re.compile(r"\\[\\']")


def _decode(pattern: re.Pattern[str], value: str) -> str:
    return pattern.sub(lambda m: codecs.decode(m.group(0), "unicode-escape"), value)


class _Positions:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def pos(self, offset: int) -> Pos:
        line = bisect_right(self.starts, offset)
        return Pos(line, offset - self.starts[line - 1] + 1)

    def span(self, start: int, end: int) -> Span:
        return Span(self.pos(start), self.pos(end))


def load_dotenv(path: str, text: str, limits: Limits | None = None) -> LoadedFile:
    at = _Positions(text)
    smap = SourceMap()
    data: dict[str, str | None] = {}
    comments: list[Comment] = []
    offset, size = 0, len(text)
    while True:
        offset = _SPACE.match(text, offset).end()
        if offset >= size:
            break
        line_start = offset
        offset = _EXPORT.match(text, offset).end()
        if text.startswith("#", offset):
            key = None
        else:
            match = (_QUOTED_KEY if text.startswith("'", offset) else _KEY).match(text, offset)
            if match is None:  # not a binding: skip the line, as python-dotenv does
                offset = _REST.match(text, offset).end()
                continue
            key, key_span = match.group(1), at.span(match.start(), match.end())
            offset = _BLANK.match(text, match.end()).end()
        value: str | None = None
        value_span: Span | None = None
        if key is not None and text.startswith("=", offset):
            offset = _EQUALS.match(text, offset).end()
            char = text[offset : offset + 1]
            if char in ("'", '"'):
                match = (_SINGLE if char == "'" else _DOUBLE).match(text, offset)
                if match is None:  # an unclosed quote
                    offset = _REST.match(text, offset).end()
                    continue
                value = _decode(_SINGLE_ESCAPES if char == "'" else _DOUBLE_ESCAPES, match.group(1))
                value_span = at.span(match.start(), match.end())
                offset = match.end()
            else:
                raw = _UNQUOTED.match(text, offset).group(0)
                cut = re.search(r"\s+#", raw)
                kept = (raw[: cut.start()] if cut else raw).rstrip()
                value, value_span = kept, at.span(offset, offset + len(kept))
                offset += len(kept)
        comment = _COMMENT.match(text, offset)
        if comment.group(1):
            start = comment.start(1)
            where = at.pos(start)
            comments.append(Comment(where.line, where.column, comment.group(1), start == line_start))
        end = _END.match(text, comment.end())
        if end is None:  # something after a quoted value: skip the rest of the line
            offset = _REST.match(text, comment.end()).end()
            continue
        offset = end.end()
        if key is not None:
            data.pop(key, None)  # the last binding wins, and keeps its own order
            data[key] = value
            smap.keys[(key,)] = key_span
            smap.values[(key,)] = value_span or Span(key_span.end, key_span.end)
        if end.end() == end.start():
            break
    smap.values[()] = at.span(0, size)
    return LoadedFile(path, Syntax.DOTENV, text, [LocatedDoc(path, data, smap)], comments)
