"""Helpers shared by the MCP adapters: located strings and settings out of a LocatedDoc."""

from __future__ import annotations

from typing import Any

from agentlint.loaders.base import LocatedDoc
from agentlint.model.depth import SAFE_DEPTH, deeper_than
from agentlint.model.source import Pointer
from agentlint.model.tools import Launch, Schema, Setting, Text


def text(doc: LocatedDoc, pointer: Pointer, value: Any) -> Text | None:
    """A located string, or None when the value is not a string."""
    if not isinstance(value, str):
        return None
    smap = doc.source_map
    return Text(value, smap.value(pointer) or smap.locate(pointer), doc.ref(pointer))


def texts(doc: LocatedDoc, pointer: Pointer, values: Any) -> tuple[Text, ...]:
    """Located strings of a list (non-strings skipped: a shape problem, not a tool fact)."""
    if not isinstance(values, list):
        return ()
    out = []
    for index, value in enumerate(values):
        item = text(doc, pointer + (index,), value)
        if item is not None:
            out.append(item)
    return tuple(out)


def settings(doc: LocatedDoc, pointer: Pointer, mapping: Any) -> tuple[Setting, ...]:
    """``{"NAME": "value"}`` (env, headers) as located settings; non-string values kept as text."""
    if not isinstance(mapping, dict):
        return ()
    smap = doc.source_map
    out = []
    for name, value in mapping.items():
        child = pointer + (name,)
        rendered = value if isinstance(value, str) else (None if value is None else _rendered(value))
        out.append(
            Setting(
                name=str(name),
                value=rendered,
                name_span=smap.key(child) or smap.locate(child),
                value_span=smap.value(child) or smap.locate(child),
                ref=doc.ref(child),
            )
        )
    return tuple(out)


def _rendered(value: Any) -> str:
    """``str(value)``, unless the value nests too deeply for ``str`` to recurse through it."""
    return f"<{type(value).__name__} nested more than {SAFE_DEPTH} levels>" if deeper_than(value) else str(value)


def launch(doc: LocatedDoc, pointer: Pointer, entry: dict[str, Any], command_key: str = "command") -> Launch | None:
    command = text(doc, pointer + (command_key,), entry.get(command_key))
    if command is None:
        return None
    return Launch(command, texts(doc, pointer + ("args",), entry.get("args")))


def schema(doc: LocatedDoc, pointer: Pointer, value: Any) -> Schema | None:
    if value is None:
        return None
    return Schema(value, doc.path, pointer, doc.source_map, doc.index)
