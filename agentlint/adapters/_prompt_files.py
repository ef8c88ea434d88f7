"""What the prompt-file adapters (Prompty, dotprompt, LangChain hub, promptfoo) share: the
front matter and body of a front matter file, exact spans of placeholders in a body or in a
YAML/JSON string, the prompt text in located pieces, and the written scalar settings."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from agentlint.adapters._mustache import Use
from agentlint.adapters._scalar_text import LineIndex, scalar_offsets
from agentlint.loaders.base import LoadedFile, LocatedDoc
from agentlint.model.prompts import Placeholder
from agentlint.model.source import NodeRef, Pointer, Pos, Span
from agentlint.model.tools import Setting, Text

_BREAK = re.compile(r"\r\n|\r")


def stem(path: str) -> str:
    """``prompts/triage.prompty`` -> ``triage``."""
    return PurePosixPath(path).name.split(".", 1)[0]


def front_matter(file: LoadedFile) -> tuple[LocatedDoc | None, dict[str, Any] | None, bool]:
    """(document, data, readable) of a front matter file loaded by ``loaders.frontmatter``.

    ``data`` is ``{}`` for a file without front matter or with an empty one; ``readable`` is
    False when the front matter is present but could not be parsed (its AL001 is reported by
    the loader) -- adapters then map nothing rather than half a prompt.
    """
    has = bool(getattr(file, "has_front_matter", False))
    if not file.docs:
        return None, {}, not (has and file.problems)
    doc = file.docs[0]
    return doc, doc.data if isinstance(doc.data, dict) else None, True


class Body:
    """A front matter file's template: its text (line breaks as ``\\n``), the file position
    of any offset in it, and its lines as located pieces."""

    def __init__(self, file: LoadedFile) -> None:
        raw = getattr(file, "body", file.text)
        self.first_line = int(getattr(file, "body_line", 1))
        self.text = _BREAK.sub("\n", raw)
        self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.ref = NodeRef(file.path, ("#body",))

    def pos(self, offset: int) -> Pos:
        line = bisect_right(self.starts, offset) - 1
        return Pos(self.first_line + line, offset - self.starts[line] + 1)

    def span(self, start: int = 0, end: int | None = None) -> Span:
        return Span(self.pos(start), self.pos(len(self.text) if end is None else end))

    def placeholders(self, uses: list[Use]) -> tuple[Placeholder, ...]:
        return tuple(Placeholder(use.name, self.span(use.start, use.end), use.section) for use in uses)

    def pieces(self) -> tuple[Text, ...]:
        out = []
        for number, start in enumerate(self.starts):
            end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.text)
            if self.text[start:end].strip():
                out.append(Text(self.text[start:end], self.span(start, end), self.ref))
        return tuple(out)


class ScalarText:
    """A prompt written as one YAML or JSON string: placeholder spans inside it (behind
    escapes and block indentation) and its lines as located pieces. When the scalar's source
    cannot be re-read exactly, everything points at the whole scalar."""

    def __init__(self, doc: LocatedDoc, index: LineIndex, pointer: Pointer, value: str, json: bool) -> None:
        self.value = value
        self.whole = doc.source_map.value(pointer) or doc.source_map.locate(pointer)
        self.index = index
        self.ref = doc.ref(pointer)
        ranges = scalar_offsets(index, self.whole, value, json=json)
        self.ranges = ranges if ranges is not None and len(ranges) == len(value) else None

    def span(self, start: int, end: int) -> Span:
        if self.ranges is None or start >= end:
            return self.whole
        return self.index.span(self.ranges[start][0], self.ranges[end - 1][1])

    def placeholders(self, uses: list[Use], shift: int = 0) -> tuple[Placeholder, ...]:
        return tuple(Placeholder(u.name, self.span(u.start - shift, u.end - shift), u.section) for u in uses)

    def pieces(self) -> tuple[Text, ...]:
        if self.ranges is None:
            return (Text(self.value, self.whole, self.ref),)
        out, start = [], 0
        for line in self.value.split("\n"):
            if line.strip():
                out.append(Text(line, self.span(start, start + len(line)), self.ref))
            start += len(line) + 1
        return tuple(out)


def settings(doc: LocatedDoc | None, pointer: Pointer = ()) -> tuple[Setting, ...]:
    """Every string scalar under ``pointer``, named by its dotted path (``model.configuration.
    api_key``), with the spans of its key and value."""
    if doc is None:
        return ()
    node: Any = doc.data
    for part in pointer:
        node = node[part]
    smap = doc.source_map
    out = []
    for at, value in _strings(node, pointer):
        value_span = smap.value(at) or smap.locate(at)
        name = ".".join(str(p) for p in at)
        out.append(Setting(name, value, smap.key(at) or value_span, value_span, doc.ref(at)))
    return tuple(out)


def _strings(node: Any, pointer: Pointer) -> Iterator[tuple[Pointer, str]]:
    stack: list[tuple[Pointer, Any]] = [(pointer, node)]
    while stack:
        at, value = stack.pop()
        if isinstance(value, str):
            yield at, value
        elif isinstance(value, dict):
            stack.extend((at + (key,), child) for key, child in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((at + (i,), child) for i, child in reversed(list(enumerate(value))))


def scalar(data: dict[str, Any], *path: str) -> Any:
    """``data[path[0]][path[1]]…`` or None when any step is missing or not a mapping."""
    node: Any = data
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def text_of(doc: LocatedDoc, index: LineIndex, pointer: Pointer, value: Any) -> str | None:
    """A written scalar as text: a number as written (``version: 1.10`` is the float 1.1 to
    YAML, ``1.10`` to the people who wrote it), None for anything but a scalar."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    span = doc.source_map.value(pointer)
    if span is None or span.start.line != span.end.line:
        return str(value)
    written = index.text[index.offset(span.start) : index.offset(span.end)].strip().strip("'\"")
    return written or str(value)
