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
from collections.abc import Callable
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

    Until then the ``keys`` slot holds the scan; on first use the slots get the scanner's own
    dicts and the object becomes a plain SourceMap (same slots, so ``__class__`` can change),
    with no cost per lookup afterwards. Every reader (``locate``, ``nearest``, suppressions
    iterating ``values``) sees exactly what the slow path gives; a pickled copy is a plain
    SourceMap of those spans."""

    __slots__ = ()

    def __init__(self, scan: Callable[[], SourceMap]) -> None:
        _KEYS.__set__(self, scan)

    def _built(self) -> SourceMap:
        if type(self) is LazySourceMap:
            built = _KEYS.__get__(self)()
            _VALUES.__set__(self, built.values)
            _KEYS.__set__(self, built.keys)
            self.__class__ = SourceMap  # the scan (and the text it holds) is let go
        return self

    @property  # type: ignore[override]
    def values(self) -> dict:
        return self._built().values

    @property  # type: ignore[override]
    def keys(self) -> dict:
        return self._built().keys

    def __reduce__(self) -> Any:
        return SourceMap, (self.values, self.keys)

    def __repr__(self) -> str:
        return repr(self._built())

    def __eq__(self, other: object) -> bool:
        return self._built() == other

    __hash__ = None  # type: ignore[assignment]


_VALUES: Any = SourceMap.values  # the slot descriptors of the base class
_KEYS: Any = SourceMap.keys
