"""Positions in source files.

Everything outside ``agentlint.loaders`` speaks 1-based lines and 1-based columns counted in
Unicode code points. Loaders convert from their parser's convention exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, Union

Key = Union[str, int]
Pointer = tuple[Key, ...]


# Pos and Span are NamedTuples rather than frozen dataclasses on purpose: loaders create one
# per node (hundreds of thousands in a large project) and a frozen dataclass costs ~1.1 µs to
# construct against ~0.2 µs for a tuple. They stay immutable, hashable and ordered.
class Pos(NamedTuple):
    """A 1-based line and a 1-based column (code points)."""

    line: int
    column: int


# Interned positions. A project's nodes share few distinct (line, column) pairs -- lines and
# columns are small numbers repeated in every file -- yet a Pos (56 bytes) was allocated per
# node end and held by every entity's spans: ~40% of the memory a 1,000-file project keeps
# after loading. Loaders call ``pos`` instead of ``Pos``; the table is bounded, so a huge
# one-line file only stops adding to it. Values are immutable: sharing is invisible.
_POSITIONS: dict[int, Pos] = {}
_POSITIONS_MAX = 1 << 16


def pos(line: int, column: int) -> Pos:
    """``Pos(line, column)``, the same object for the same pair while the table has room."""
    if line < 0 or not 0 <= column < 1 << 32:
        return Pos(line, column)
    key = line << 32 | column
    found = _POSITIONS.get(key)
    if found is None:
        found = Pos(line, column)
        if len(_POSITIONS) < _POSITIONS_MAX:
            _POSITIONS[key] = found
    return found


class Span(NamedTuple):
    """A half-open range ``[start, end)`` in a file; ``end`` may equal ``start``."""

    start: Pos
    end: Pos

    @classmethod
    def point(cls, line: int, column: int = 1) -> Span:
        pos = Pos(line, column)
        return cls(pos, pos)

    @property
    def line(self) -> int:
        return self.start.line

    @property
    def column(self) -> int:
        return self.start.column

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


# Interned spans and (attribute, span) pairs. Entities keep the spans of what they were read from
# long after the source maps are dropped, and most of those values recur: a project's files share
# the same small line and column numbers, so a 1,000-file project holds ~140,000 Span objects of
# ~20,000 distinct values, and as many (name, span) pairs of ~16,000 values (~40% of what the
# entities keep). ``Located`` entities pass theirs through these tables when created. Values are
# immutable tuples, so sharing is invisible; the tables are bounded like ``_POSITIONS``, so a
# long-lived process (the language server) stops adding to them rather than growing.
_SPANS: dict[Span, Span] = {}
_PAIRS: dict[tuple[str, Span], tuple[str, Span]] = {}
_FIELDS: dict[tuple, tuple] = {}
_INTERNED_MAX = 1 << 17


def shared_span(span: Span) -> Span:
    """An equal Span, the same object for the same value while the table has room."""
    found = _SPANS.get(span)
    if found is None:
        if len(_SPANS) < _INTERNED_MAX:
            _SPANS[span] = span
        return span
    return found


_POINTERS: dict[Pointer, Pointer] = {}


def shared_pointer(pointer: Pointer) -> Pointer:
    """An equal pointer, the same tuple for the same value while the table has room."""
    try:
        found = _POINTERS.get(pointer)
    except TypeError:  # not a tuple of keys
        return pointer
    if found is None:
        if type(pointer) is tuple and len(_POINTERS) < _INTERNED_MAX:
            _POINTERS[pointer] = pointer
        return pointer
    return found


def shared_fields(fields: tuple) -> tuple:
    """``Located.fields`` with its pairs and spans shared (``shared_span``); the same tuple for
    the same value while the tables have room. Anything else is returned as it is."""
    if type(fields) is not tuple:
        return fields
    try:
        found = _FIELDS.get(fields)
    except TypeError:  # an unhashable member: not a pair of name and span
        return fields
    if found is not None:
        return found
    out = []
    for pair in fields:
        kept = _PAIRS.get(pair)
        if kept is None:
            kept = pair
            if type(pair) is tuple and len(pair) == 2 and type(pair[1]) is Span:
                kept = (pair[0], shared_span(pair[1]))
                if len(_PAIRS) < _INTERNED_MAX:
                    _PAIRS[kept] = kept
        out.append(kept)
    shared = tuple(out)
    if len(_FIELDS) < _INTERNED_MAX:
        _FIELDS[shared] = shared
    return shared


def json_pointer(pointer: Pointer) -> str:
    """RFC 6901 rendering of a pointer path: ``("a/b", 0)`` -> ``/a~1b/0``."""
    return "".join("/" + str(k).replace("~", "~0").replace("/", "~1") for k in pointer)


@dataclass(frozen=True, slots=True, order=True)
class NodeRef:
    """The logical address of a node: file, document index (multi-document YAML), pointer."""

    path: str
    pointer: Pointer = ()
    doc: int = 0

    def __post_init__(self) -> None:
        if self.pointer:  # ("edges", 3, "to") recurs in every file: keep one of each value
            object.__setattr__(self, "pointer", shared_pointer(self.pointer))

    def child(self, *keys: Key) -> NodeRef:
        return NodeRef(self.path, self.pointer + keys, self.doc)

    def __str__(self) -> str:
        suffix = f"[{self.doc}]" if self.doc else ""
        return f"{self.path}{suffix}#{json_pointer(self.pointer)}"


@dataclass(slots=True)
class SourceMap:
    """Pointer path -> spans of the key (for mapping members) and of the value.

    Built by a loader; read-only afterwards. ``nearest`` walks up to the closest known
    ancestor, so a pydantic or jsonschema error path that names a missing key still lands on
    the mapping that lacks it.
    """

    values: dict[Pointer, Span] = field(default_factory=dict)
    keys: dict[Pointer, Span] = field(default_factory=dict)

    def value(self, pointer: Pointer) -> Span | None:
        return self.values.get(pointer)

    def key(self, pointer: Pointer) -> Span | None:
        return self.keys.get(pointer)

    def node(self, pointer: Pointer) -> Span | None:
        """From the key (if any) to the end of the value: the whole member."""
        value = self.values.get(pointer)
        if value is None:
            return None
        key = self.keys.get(pointer)
        return Span(key.start, value.end) if key is not None else value

    def nearest(self, pointer: Pointer) -> tuple[Pointer, Span]:
        """The deepest known prefix of ``pointer`` and its preferred span (key, else value)."""
        for cut in range(len(pointer), -1, -1):
            prefix = pointer[:cut]
            span = self.keys.get(prefix) or self.values.get(prefix)
            if span is not None:
                return prefix, span
        return (), Span.point(1, 1)

    def locate(self, pointer: Pointer) -> Span:
        """Best span for a finding about ``pointer``: the key of a member, else the value."""
        span = self.keys.get(pointer) or self.values.get(pointer)
        return span if span is not None else self.nearest(pointer)[1]

    def items(self) -> Iterator[tuple[Pointer, Span]]:
        return iter(self.values.items())


def is_test_path(path: str) -> bool:
    """A module of a test suite (``tests/``, ``test_*.py``, ``*_test.py``, ``conftest.py``):
    not deployed, so what its code sets up is not reported."""
    parts = path.split("/")
    name = parts[-1]
    return (
        any(part in ("tests", "test", "testing") for part in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )
