"""How deeply user data nests, measured without recursion.

Loaders cap nesting (``max-depth``, up to 10,000), but YAML aliases can share a deep node under
another deep node, and code that recurses (``str`` of a dict, ``json.dumps``, jsonschema)
exhausts Python's stack long before that. Such code asks ``deeper_than`` first."""

from __future__ import annotations

from typing import Any

# Deepest nesting handed to code that recurses over user data (jsonschema, json.dumps, str):
# far below Python's recursion limit even at several frames per level.
SAFE_DEPTH = 120


def deeper_than(data: Any, limit: int = SAFE_DEPTH) -> bool:
    """Whether ``data`` (dicts and lists, aliases shared or not) nests more than ``limit``
    levels. Iterative; each shared node is walked once, at the greatest depth it is met first
    along a depth-first walk, so an alias bomb costs its size, not its expansion."""
    best: dict[int, int] = {}
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, level = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        if level > limit:
            return True
        if best.get(id(node), 0) >= level:
            continue  # already walked from at least this deep: its subtree adds nothing new
        best[id(node)] = level
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, level + 1) for child in children)
    return False
