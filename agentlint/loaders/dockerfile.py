"""``Dockerfile`` / ``Containerfile`` -> one LocatedDoc: the instructions, as BuildKit's parser
reads them (the Dockerfile reference).

- Parser directives (``# syntax=…``, ``# escape=\\``` ``) are read from the top comment lines
  until the first other line; ``escape`` sets the line-continuation character (``\\`` default).
- A line whose first non-blank character is ``#`` is a comment, also between continued lines
  (it is dropped, as the builder drops it); an empty line inside a continuation is dropped too.
- A line ending with the escape character (blanks after it allowed) continues on the next.
- Heredocs (``RUN <<EOF`` … ``EOF``, ``<<-`` strips tabs) are skipped to their delimiter.
- ``ENV``, ``ARG`` and ``LABEL`` arguments are split into pairs: ``KEY=value KEY2="v 2"``, or
  the legacy ``ENV KEY value with spaces`` (one pair, the rest of the line). Quotes and escapes
  are removed from values as the builder removes them; spans cover the value as written.

Data: ``[{"keyword": "ENV", "arguments": "A=b", "pairs": [{"name": "A", "value": "b"}]}, …]``;
pointers ``(i,)`` (instruction), ``(i, "keyword")``, ``(i, "arguments")``,
``(i, "pairs", j, "name")`` and ``(i, "pairs", j, "value")``. Comments are recorded for
suppressions. Every scanner is linear; malformed lines are kept as written, never an error.
"""

from __future__ import annotations

import re

from agentlint.loaders.base import Comment, Limits, LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import Pos, SourceMap, Span

_BREAK = re.compile(r"\r\n|\n|\r")
_DIRECTIVE = re.compile(r"#\s*([A-Za-z]+)\s*=\s*(\S+)\s*\Z")
_KEYWORD = re.compile(r"[A-Za-z]+")
_HEREDOC = re.compile(r"<<(-?)(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
_PAIRS = frozenset({"ENV", "ARG", "LABEL"})


def _lines(text: str) -> list[str]:
    return _BREAK.split(text)


class _Logical:
    """One instruction's text joined over continuations, with each character's position."""

    __slots__ = ("text", "where")

    def __init__(self) -> None:
        self.text: list[str] = []
        self.where: list[Pos] = []

    def add(self, line_no: int, line: str, start: int, end: int) -> None:
        for column in range(start, end):
            self.text.append(line[column])
            self.where.append(Pos(line_no, column + 1))

    def span(self, start: int, end: int) -> Span:
        if not self.where:
            return Span.point(1)
        if start >= len(self.where):  # just past the last character
            last = self.where[-1]
            after = Pos(last.line, last.column + 1)
            return Span(after, after)
        first = self.where[start]
        if end <= start:
            return Span(first, first)
        last = self.where[min(end, len(self.where)) - 1]
        return Span(first, Pos(last.line, last.column + 1))


def load_dockerfile(path: str, text: str, limits: Limits | None = None) -> LoadedFile:
    lines = _lines(text)
    escape = "\\"
    comments: list[Comment] = []
    number = 0
    # parser directives: only the leading comment lines of the form '# key=value'
    while number < len(lines):
        match = _DIRECTIVE.match(lines[number].strip())
        if match is None:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("\\", "`"):
            escape = match.group(2)
        number += 1
    smap = SourceMap()
    instructions: list[dict] = []
    total = len(lines)
    while number < total:
        line = lines[number]
        stripped = line.lstrip()
        if not stripped:
            number += 1
            continue
        if stripped.startswith("#"):
            column = len(line) - len(stripped) + 1
            comments.append(Comment(number + 1, column, stripped.rstrip(), True))
            number += 1
            continue
        logical = _Logical()
        start_column = len(line) - len(stripped)
        while True:
            body = line.rstrip()
            continued = body.endswith(escape)
            end = len(body) - 1 if continued else len(body)
            logical.add(number + 1, line, start_column, end)
            number += 1
            if not continued or number >= total:
                break
            # comment and empty lines inside a continuation are dropped
            while number < total and (not lines[number].strip() or lines[number].lstrip().startswith("#")):
                candidate = lines[number].lstrip()
                if candidate.startswith("#"):
                    comments.append(Comment(number + 1, len(lines[number]) - len(candidate) + 1, candidate.rstrip(), True))
                number += 1
            if number >= total:
                break
            line = lines[number]
            start_column = 0
        joined = "".join(logical.text)
        if _KEYWORD.match(joined) and _KEYWORD.match(joined).group(0).upper() in ("RUN", "COPY", "ADD"):
            number = _skip_heredocs(joined, lines, number)
        _instruction(joined, logical, instructions, smap)
    last = len(lines)
    smap.values[()] = Span(Pos(1, 1), Pos(max(1, last), len(lines[-1]) + 1 if lines else 1))
    return LoadedFile(path, Syntax.DOCKERFILE, text, [LocatedDoc(path, instructions, smap)], comments)


def _skip_heredocs(joined: str, lines: list[str], number: int) -> int:
    """Lines after an instruction that opens heredocs belong to their bodies."""
    for match in _HEREDOC.finditer(joined):
        strip_tabs, delimiter = match.group(1) == "-", match.group(3)
        while number < len(lines):
            body = lines[number].lstrip("\t") if strip_tabs else lines[number]
            number += 1
            if body == delimiter:
                break
    return number


def _instruction(joined: str, logical: _Logical, out: list[dict], smap: SourceMap) -> None:
    match = _KEYWORD.match(joined)
    if match is None:  # not an instruction (the builder would refuse it): keep nothing
        return
    keyword = match.group(0).upper()
    args_start = match.end()
    while args_start < len(joined) and joined[args_start] in " \t":
        args_start += 1
    arguments = joined[args_start:].rstrip()
    index = len(out)
    entry: dict = {"keyword": keyword, "arguments": arguments}
    smap.values[(index,)] = logical.span(0, len(joined.rstrip()))
    smap.values[(index, "keyword")] = logical.span(0, match.end())
    smap.values[(index, "arguments")] = logical.span(args_start, args_start + len(arguments))
    if keyword in _PAIRS:
        pairs = []
        for j, (name, value, name_at, value_at) in enumerate(_pairs(joined, args_start, keyword)):
            pairs.append({"name": name, "value": value})
            smap.values[(index, "pairs", j, "name")] = logical.span(*name_at)
            smap.values[(index, "pairs", j, "value")] = logical.span(*value_at)
        entry["pairs"] = pairs
    out.append(entry)


def _word(text: str, at: int) -> tuple[str, int]:
    """One shell-like word from ``at``: quotes removed, backslash escapes applied; ends at
    unquoted blank. Returns (value, end offset)."""
    value: list[str] = []
    quote = ""
    size = len(text)
    while at < size:
        char = text[at]
        if quote:
            if char == quote:
                quote = ""
            elif char == "\\" and quote == '"' and at + 1 < size and text[at + 1] in '"\\$':
                at += 1
                value.append(text[at])
            else:
                value.append(char)
        elif char in "'\"":
            quote = char
        elif char in " \t":
            break
        elif char == "\\" and at + 1 < size:
            at += 1
            value.append(text[at])
        else:
            value.append(char)
        at += 1
    return "".join(value), at


def _pairs(text: str, at: int, keyword: str) -> list[tuple[str, str, tuple[int, int], tuple[int, int]]]:
    size = len(text)
    first_end = at
    while first_end < size and text[first_end] not in " \t=":
        first_end += 1
    if keyword == "ENV" and (first_end >= size or text[first_end] != "="):
        # legacy form: ENV NAME value with spaces (one pair; the value is the rest of the line)
        name = text[at:first_end]
        value_start = first_end
        while value_start < size and text[value_start] in " \t":
            value_start += 1
        raw = text[value_start:].rstrip()
        value, _ = _word(raw.replace(" ", "\x00").replace("\t", "\x01"), 0) if raw else ("", 0)
        value = value.replace("\x00", " ").replace("\x01", "\t")
        return [(name, value, (at, first_end), (value_start, value_start + len(raw)))] if name else []
    out = []
    while at < size:
        while at < size and text[at] in " \t":
            at += 1
        if at >= size:
            break
        name_start = at
        while at < size and text[at] not in " \t=":
            at += 1
        name = text[name_start:at]
        if at < size and text[at] == "=":
            value_start = at + 1
            value, at = _word(text, value_start)
            out.append((name, value, (name_start, name_start + len(name)), (value_start, at)))
        elif name:  # ARG NAME without a default
            out.append((name, "", (name_start, at), (at, at)))
    return out
