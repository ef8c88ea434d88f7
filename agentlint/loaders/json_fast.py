"""The fast path of ``loaders.json``: data from the C ``json`` module, spans on first use.

Most JSON files are strict JSON without duplicate keys. For those, ``json.loads`` gives the
very data the exact scanner (``loaders.json``) builds, at C speed, and the positions are only
computed when something asks for one: many files are claimed by an adapter that then finds
nothing to locate. The spans are always the exact scanner's (it runs, once, on first use), so
no position can differ from the slow path.

Anything the exact scanner might treat differently goes to it instead: any error of
``json.loads`` (AL001 messages and positions are the scanner's), a duplicate key (AL005, seen by
an ``object_pairs_hook``), ``NaN``/``Infinity`` (json.loads accepts them, JSON does not), and
nesting deeper than ``Limits.max_depth`` (AL004). JSONC text that parses as strict JSON has no
comment and no trailing comma, so it reads the same either way.
"""

from __future__ import annotations

import json
from typing import Any

from agentlint.loaders.base import Limits
from agentlint.model.source import SourceMap


class _Fallback(Exception):
    """The exact scanner must read this text."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Fallback  # a duplicate key: AL005, with the spans of the last value
    return found


def _constant(name: str) -> Any:
    raise _Fallback  # NaN, Infinity, -Infinity: not JSON


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)


def fast_data(text: str, limits: Limits) -> tuple[bool, Any]:
    """(True, the data) when ``text`` is strict JSON the exact scanner would read without a
    problem, else (False, None)."""
    try:
        data = _DECODER.decode(text)
    except (_Fallback, ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return False, None
    if text.count("{") + text.count("[") > limits.max_depth and not _within_depth(data, limits.max_depth):
        return False, None
    return True, data


def _within_depth(data: Any, limit: int) -> bool:
    """Whether no container is nested more than ``limit`` deep (the top-level one is 1)."""
    stack = [(data, 1)] if isinstance(data, (dict, list)) else []
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return True


class LazySourceMap(SourceMap):
    """A SourceMap whose spans are made by the exact scanner the first time one is asked for.

    ``values`` and ``keys`` are the scanner's own dicts once built, so every reader (``locate``,
    ``nearest``, suppressions iterating ``values``) sees exactly what the slow path gives. A
    pickled copy is a plain SourceMap of those spans."""

    __slots__ = ("_scan",)

    def __init__(self, scan: Any) -> None:  # scan() -> SourceMap; the base fields stay unset
        self._scan = scan

    def _built(self) -> SourceMap:
        scan = self._scan
        if scan is not None:
            built = scan()
            SourceMap.values.__set__(self, built.values)  # type: ignore[attr-defined]
            SourceMap.keys.__set__(self, built.keys)  # type: ignore[attr-defined]
            self._scan = None  # frees the text
        return self

    @property  # type: ignore[override]
    def values(self) -> dict:
        return SourceMap.values.__get__(self._built())  # type: ignore[attr-defined]

    @property  # type: ignore[override]
    def keys(self) -> dict:
        return SourceMap.keys.__get__(self._built())  # type: ignore[attr-defined]

    def __reduce__(self) -> Any:
        return SourceMap, (self.values, self.keys)

    def __repr__(self) -> str:
        return f"LazySourceMap(values={self.values!r}, keys={self.keys!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceMap):
            return NotImplemented
        return (self.values, self.keys) == (other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]
