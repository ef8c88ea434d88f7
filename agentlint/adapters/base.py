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
        if info.name == "base" or info.name.startswith("_"):
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


def pydantic_problems(doc: LocatedDoc, base: Pointer, errors: Iterable[dict[str, Any]]) -> list[Violation]:
    """pydantic ValidationError.errors() -> located AL002 violations, one per error."""
    out = []
    seen: set[tuple[Pointer, str]] = set()
    for error in errors:
        loc = tuple(part for part in error.get("loc", ()) if not (isinstance(part, str) and part.startswith("function-")))
        pointer = base + loc
        kind = error.get("type", "")
        where = "/".join(str(p) for p in pointer) or "document"
        if kind == "extra_forbidden":
            message = f"unknown key '{loc[-1]}' in {'/'.join(str(p) for p in pointer[:-1]) or 'document'}"
            violation = shape_problem(doc, pointer, message, key=True)
        elif kind == "missing":
            parent = pointer[:-1]
            message = f"missing required key '{loc[-1]}' in {'/'.join(str(p) for p in parent) or 'document'}"
            violation = shape_problem(doc, parent, message, key=True)
        else:
            message = f"{where}: {error.get('msg', 'invalid value')}"
            violation = shape_problem(doc, pointer, message)
        if (pointer, message) not in seen:
            seen.add((pointer, message))
            out.append(violation)
    return out


def field_spans(doc: LocatedDoc, pointer: Pointer, names: Iterable[str]) -> tuple[tuple[str, Span], ...]:
    """Where each attribute that a mapping at ``pointer`` actually wrote is: the value for a
    scalar (``timeout: 900`` points at 900), the key for a mapping or list, whose value may
    start on a later line."""
    smap = doc.source_map
    node = doc.data
    for part in pointer:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    out = []
    for name in names:
        if not isinstance(node, dict) or name not in node:
            continue
        child = pointer + (name,)
        span = smap.key(child) if isinstance(node[name], (dict, list)) else smap.value(child)
        span = span or smap.locate(child)
        out.append((name, span))
    return tuple(out)
