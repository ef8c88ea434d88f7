"""Adapters turn LocatedDocs of one dialect into neutral entities.

Each adapter module defines ``ADAPTER``: a cheap ``claims(path, text)`` test (by path and
content, no parsing, no heavy imports) and ``adapt(file)``. Rules never see dialects.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from agentlint.findings import Location, Violation
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.entities import GraphPart
from agentlint.model.source import Pointer, Span


@dataclass(slots=True)
class Adapted:
    parts: list[GraphPart] = field(default_factory=list)
    entities: list[Any] = field(default_factory=list)  # tool servers, tools, policies …
    problems: list[Violation] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Adapter:
    name: str
    syntaxes: frozenset[Syntax]
    claims: Callable[[str, str], bool]
    adapt: Callable[[LoadedFile], Adapted]


@cache
def all_adapters() -> tuple[Adapter, ...]:
    import agentlint.adapters as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.ispkg or info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        adapter = getattr(module, "ADAPTER", None)
        if isinstance(adapter, Adapter):
            found.append(adapter)
    return tuple(found)


def shape_problem(doc: LocatedDoc, pointer: Pointer, message: str, *, key: bool = False) -> Violation:
    """An AL002 (wrong shape) finding at ``pointer`` (its key when ``key``, else its value)."""
    smap = doc.source_map
    span = (smap.key(pointer) if key else None) or smap.value(pointer) or smap.locate(pointer)
    return Violation("AL002", message, Location(doc.path, span), doc.ref(pointer), (message,))


def _real_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """pydantic locations name union members and validators ('float', 'function-after[...]')
    next to real keys; keep only the parts that walk the actual data."""
    out: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part.isidentifier() and part not in _TAGS:
            out.append(part)  # a missing or unknown key: still a real location
            node = None
            continue
        else:
            continue
        out.append(part)
    return tuple(out)


_TAGS = frozenset({"float", "str", "int", "bool", "list", "dict", "none", "constrained-float", "constrained-str"})


def pydantic_problems(doc: LocatedDoc, base: Pointer, errors: Iterable[dict[str, Any]]) -> list[Violation]:
    """pydantic ValidationError.errors() -> located AL002 violations, one per location."""
    data = doc.data
    for part in base:
        data = data[part]
    merged: dict[tuple[Pointer, str], list[str]] = {}
    for error in errors:
        kind = error.get("type", "")
        loc = _real_loc(data, tuple(error.get("loc", ())))
        text = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        merged.setdefault((base + loc, kind if kind in ("extra_forbidden", "missing") else "value"), []).append(text)
    out = []
    for (pointer, kind), texts in merged.items():
        where = "/".join(str(p) for p in pointer) or "document"
        parent = "/".join(str(p) for p in pointer[:-1]) or "document"
        if kind == "extra_forbidden":
            out.append(shape_problem(doc, pointer, f"unknown key '{pointer[-1]}' in {parent}", key=True))
        elif kind == "missing":
            out.append(shape_problem(doc, pointer[:-1], f"missing required key '{pointer[-1]}' in {parent}", key=True))
        else:
            unique = list(dict.fromkeys(texts))
            out.append(shape_problem(doc, pointer, f"{where}: {' or '.join(unique)}"))
    return out


def value_at(data: Any, pointer: Pointer) -> Any:
    """The node at ``pointer`` in plain data, or None when the path does not exist."""
    for part in pointer:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def field_spans(doc: LocatedDoc, pointer: Pointer, names: Iterable[str]) -> tuple[tuple[str, Span], ...]:
    """Where each attribute that a mapping at ``pointer`` actually wrote is: the value for a
    scalar (``timeout: 900`` points at 900), the key for a mapping or list, whose value may
    start on a later line."""
    smap = doc.source_map
    node = value_at(doc.data, pointer)
    out = []
    for name in names:
        if not isinstance(node, dict) or name not in node:
            continue
        child = pointer + (name,)
        span = smap.key(child) if isinstance(node[name], (dict, list)) else smap.value(child)
        span = span or smap.locate(child)
        out.append((name, span))
    return tuple(out)
