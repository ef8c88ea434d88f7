"""Small walks over the stdlib ``ast`` tree that several code adapters share."""

from __future__ import annotations

import ast
from collections.abc import Iterator

# The statement lists a compound statement holds (if/for/while/try/with/match and definitions).
BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement, nested ones too, without visiting expressions: a tenth of the nodes."""
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            yield node
        for name in BODIES:
            children = getattr(node, name, None)
            if children:
                stack.extend(reversed(children))


def dotted(expr: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    return ".".join([expr.id, *reversed(parts)])
