"""Local ``$ref``s that point at nothing: ``{"$ref": "#/$defs/missing"}`` in a tool schema.

A reference inside the document (``#``, ``#/json/pointer``, ``#plain-name``) must resolve in
that document, or every validator fails on it (jsonschema raises ``Unresolvable`` the first time
an argument is validated). Only what can be decided offline and for sure is reported:

- a JSON pointer fragment is followed through objects and arrays from the document root
  (``~0``/``~1`` and percent escapes decoded);
- a plain-name fragment must be some ``$anchor`` or ``$dynamicAnchor`` (or a draft-07
  ``"$id": "#name"``);
- a schema that embeds another resource (a ``$id`` below the root) is not judged: its
  references resolve against that resource's own base, which needs a full resolver.

Keys under ``properties``-like maps are property names, not keywords (a property called
``$ref`` is no reference); values under ``const``/``enum``/``default``/``examples`` are data.
The walk is iterative.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from agentlint.model.source import Pointer

_MAPS_OF_SCHEMAS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies")
_DATA = ("const", "enum", "default", "examples", "example")
_REF_KEYWORDS = ("$ref", "$dynamicRef")
_NESTED = (dict, list)


def dangling_refs(schema: Any) -> list[tuple[Pointer, str]]:
    """(pointer of the ``$ref`` value, the reference) of each local reference that resolves to
    nothing, sorted by pointer; empty when the schema embeds other resources."""
    refs: list[tuple[Pointer, str]] = []
    anchors: set[str] = set()
    stack: list[tuple[Pointer, Any, bool]] = [((), schema, False)]  # (pointer, node, a map of schemas)
    while stack:
        pointer, node, is_map = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if is_map:
                    if isinstance(value, _NESTED):  # scalars hold no reference
                        stack.append((pointer + (key,), value, False))
                    continue
                if key in _REF_KEYWORDS and isinstance(value, str) and value.startswith("#"):
                    refs.append((pointer + (key,), value))
                elif key in ("$anchor", "$dynamicAnchor") and isinstance(value, str):
                    anchors.add(value)
                elif key == "$id" and isinstance(value, str):
                    if value.startswith("#"):
                        anchors.add(value[1:])  # draft-07 plain-name identifier
                    elif pointer:
                        return []  # an embedded resource: its refs resolve against its own base
                elif isinstance(value, _NESTED) and key not in _DATA:
                    stack.append((pointer + (key,), value, key in _MAPS_OF_SCHEMAS))
        elif isinstance(node, list):
            stack.extend((pointer + (i,), v, False) for i, v in enumerate(node) if isinstance(v, _NESTED))
    found = [(where, ref) for where, ref in refs if not _resolves(schema, ref[1:], anchors)]
    return sorted(found, key=lambda item: [str(p) for p in item[0]])


def _resolves(schema: Any, fragment: str, anchors: set[str]) -> bool:
    fragment = unquote(fragment)
    if not fragment:
        return True  # "#": the document itself
    if not fragment.startswith("/"):
        return fragment in anchors
    node = schema
    for token in fragment[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and (token == "0" or not token.startswith("0")) and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True
