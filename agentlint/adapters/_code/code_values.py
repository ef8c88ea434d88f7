"""Located values of Python code for the adapters that turn calls into model entities: the
expression a name is bound to, keyword/dict mappings with the span of each key, and strings
as ``Text`` with their exact span (an f-string or a name the code does not state becomes a
``${…}`` placeholder, which every rule treats as decided elsewhere, never as a value).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import FunctionScope, ModuleFacts
from agentlint.model.source import NodeRef, Span
from agentlint.model.tools import Setting, Text

_HOPS = 6
_SEGMENT = 60  # characters of source kept in a placeholder


def bound(facts: ModuleFacts, expr: ast.AST | None, scope: FunctionScope | None) -> tuple[ast.AST | None, FunctionScope | None]:
    """Follow names bound exactly once (function scope first, then the module) to the
    expression they hold; a parameter, or a name bound twice, stays the Name itself."""
    for _ in range(_HOPS):
        if not isinstance(expr, ast.Name):
            return expr, scope
        name = expr.id
        if scope is not None and name in scope.bindings:
            value = scope.bindings[name]
        elif scope is not None and _parameter(scope, name):
            return expr, scope
        else:
            value = facts.bindings.get(name)
            scope = None
        if value is None:
            return expr, scope
        expr = value
    return expr, scope


def _parameter(scope: FunctionScope, name: str) -> bool:
    args = scope.node.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, *(a for a in (args.vararg, args.kwarg) if a)]
    return any(a.arg == name for a in every)


@dataclass(slots=True)
class Mapping:
    """``{"command": …}`` or ``Params(command=…)``: each literal key with its value and the
    span of the key; ``open`` when a ``**spread`` may bring other keys."""

    items: dict[str, tuple[ast.expr, Span]] = field(default_factory=dict)
    open: bool = False
    scope: FunctionScope | None = None

    def get(self, key: str) -> ast.expr | None:
        found = self.items.get(key)
        return found[0] if found is not None else None

    def key_span(self, key: str) -> Span | None:
        found = self.items.get(key)
        return found[1] if found is not None else None


def mapping(facts: ModuleFacts, expr: ast.AST | None, scope: FunctionScope | None, calls: frozenset[str] = frozenset()) -> Mapping | None:
    """The mapping ``expr`` states (through names), or None when it states none: a dict
    literal, ``dict(…)``, or a call of one of ``calls`` (TypedDict/params classes) with keywords."""
    expr, scope = bound(facts, expr, scope)
    out = Mapping(scope=scope)
    if isinstance(expr, ast.Dict):
        for key, value in zip(expr.keys, expr.values):
            if key is None:
                out.open = True
                continue
            label = facts.value(key, scope)
            if isinstance(label, Static) and isinstance(label.value, str):
                out.items.setdefault(label.value, (value, facts.span(key)))
            else:
                out.open = True
        return out
    if isinstance(expr, ast.Call) and (facts.qualname(expr.func) == "dict" or facts.qualname(expr.func) in calls):
        if expr.args:
            out.open = True  # dict(base, x=1): the base's keys are not read
        for keyword in expr.keywords:
            if keyword.arg is None:
                out.open = True
            else:
                out.items.setdefault(keyword.arg, (keyword.value, facts.span(keyword)))
        return out
    return None


def keywords(facts: ModuleFacts, call: ast.Call, scope: FunctionScope | None) -> Mapping:
    """A call's keyword arguments as a mapping (``open`` when ``**kwargs`` may add others)."""
    out = Mapping(scope=scope)
    for keyword in call.keywords:
        if keyword.arg is None:
            out.open = True
        else:
            out.items.setdefault(keyword.arg, (keyword.value, facts.span(keyword)))
    return out


def placeholder(facts: ModuleFacts, expr: ast.AST) -> str:
    """``${<source>}`` for a value the code does not state (braces dropped from the source)."""
    source = facts.module.segment(expr).replace("{", "(").replace("}", ")")
    return "${" + (source[:_SEGMENT] or "…") + "}"


def text_of(facts: ModuleFacts, expr: ast.AST, scope: FunctionScope | None, ref: NodeRef) -> Text:
    """The string ``expr`` states at its exact span; an f-string keeps its literal parts with
    a placeholder for each unknown field (``f"pkg@{VERSION}"`` -> ``pkg@${VERSION}``)."""
    span = facts.span(expr)
    value = facts.value(expr, scope)
    if isinstance(value, Static) and isinstance(value.value, str) and value.env is None:
        return Text(value.value, span, ref)
    if isinstance(expr, ast.JoinedStr):
        parts: list[str] = []
        for piece in expr.values:
            if isinstance(piece, ast.Constant):
                parts.append(str(piece.value))
            elif isinstance(piece, ast.FormattedValue):
                inner = facts.value(piece.value, scope)
                known = isinstance(inner, Static) and isinstance(inner.value, (str, int, float)) and inner.env is None
                parts.append(str(inner.value) if known else placeholder(facts, piece.value))  # type: ignore[union-attr]
        return Text("".join(parts), span, ref)
    return Text(placeholder(facts, expr), span, ref)


def texts_of(facts: ModuleFacts, expr: ast.AST | None, scope: FunctionScope | None, ref: NodeRef) -> tuple[Text, ...] | None:
    """The items of a list/tuple literal (through names) as located texts; None when the code
    does not write the list out. A ``*spread`` item is one placeholder word."""
    expr, scope = bound(facts, expr, scope)
    if not isinstance(expr, (ast.List, ast.Tuple)):
        return None
    out = []
    for index, item in enumerate(expr.elts):
        node = item.value if isinstance(item, ast.Starred) else item
        if isinstance(item, ast.Starred):
            out.append(Text(placeholder(facts, node), facts.span(item), ref.child(index)))
        else:
            out.append(text_of(facts, node, scope, ref.child(index)))
    return tuple(out)


def settings_of(facts: ModuleFacts, expr: ast.AST | None, scope: FunctionScope | None, ref: NodeRef) -> tuple[Setting, ...]:
    """``env={"KEY": "value"}`` as settings; a value the code does not state is declared only
    (None), so no rule reads a literal into it."""
    found = mapping(facts, expr, scope)
    if found is None:
        return ()
    out = []
    for name, (value, key_span) in found.items.items():
        known = facts.value(value, found.scope)
        literal = known.value if isinstance(known, Static) and isinstance(known.value, str) and known.env is None else None
        out.append(Setting(name, literal, key_span, facts.span(value), ref.child(name)))
    return tuple(out)


def number_of(facts: ModuleFacts, expr: ast.AST, scope: FunctionScope | None) -> float | None | str:
    """A number the code states, None for ``None``, or ``"unknown"``."""
    value = facts.value(expr, scope)
    if isinstance(value, Static):
        if value.value is None and value.env is None:
            return None
        number = value.number()
        if number is not None:
            return float(number)
    return "unknown"
