"""A small evaluator for what code states statically; everything else is *unknown*.

Resolved: literals and containers of them, names bound once (module level or function-local),
unary and binary arithmetic, string concatenation, simple f-strings, ``int/float/str/bool`` of a
static value, ``os.getenv("X", "5")`` / ``os.environ.get("X", "5")`` / ``os.getenv("X") or 5``
(the default, marked as overridable by ``X``), ``dict(a=1)``. Unknown is never "missing":
``max_turns=cfg.max`` is a bound whose value is unknown. A name imported from another module
of the project stays unknown here but carries its symbol, for linking after every module is read.

Depth and size are capped, so hostile code (a 10,000-deep expression, ``"x" * 10**9``) costs
nothing and raises nothing.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentlint.adapters._code.scope import FunctionScope, ModuleFacts

_MAX_DEPTH = 40
_MAX_TEXT = 10_000
_MAX_ITEMS = 1_000
_MAX_BITS = 256  # no bound anyone writes is larger; bigger integers cost time to compute with
_LARGEST_FLOAT_INT = 2**1023  # converts to a float; a longer literal is read as this


class Unknown:
    """Not stated statically. ``symbol`` names the project-module attribute it comes from
    (``src.agent.config.MAX_STEPS``) when that is all that is missing."""

    __slots__ = ("symbol",)

    def __init__(self, symbol: str | None = None) -> None:
        self.symbol = symbol

    def __repr__(self) -> str:
        return f"Unknown({self.symbol!r})" if self.symbol else "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = Unknown()


@dataclass(frozen=True, slots=True)
class Static:
    """A value the code states. ``env`` is the environment variable that can override it
    (``int(os.getenv("MAX_TURNS", "5"))`` is 5 unless ``MAX_TURNS`` is set)."""

    value: Any
    env: str | None = None

    def number(self) -> float | None:
        """The value when it is a number; an integer too long for a float (a 400-digit
        literal) is capped at +-2**1023, so that arithmetic with floats never overflows."""
        value = self.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        if isinstance(value, int) and abs(value) > _LARGEST_FLOAT_INT:
            return _LARGEST_FLOAT_INT if value > 0 else -_LARGEST_FLOAT_INT
        return value

    def text(self) -> str | None:
        return self.value if isinstance(self.value, str) else None

    def overridable(self) -> str:
        """``" (unless MAX_TURNS is set)"``, for messages."""
        return f" (unless {self.env} is set)" if self.env else ""


Value = Static | Unknown

_GETENV = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})
_CONVERT = {"int": int, "float": float, "str": str, "bool": bool}
_BINARY: dict[type, Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}


def evaluate(expr: ast.AST | None, facts: ModuleFacts, scope: FunctionScope | None = None, depth: int = 0) -> Value:
    if expr is None or depth > _MAX_DEPTH:
        return UNKNOWN
    try:
        return _evaluate(expr, facts, scope, depth)
    except (ArithmeticError, ValueError, TypeError, OverflowError, RecursionError, MemoryError):
        return UNKNOWN


def _evaluate(expr: ast.AST, facts: ModuleFacts, scope: FunctionScope | None, depth: int) -> Value:
    nxt = depth + 1
    if isinstance(expr, ast.Constant):
        value = expr.value
        if isinstance(value, (str, bytes)) and len(value) > _MAX_TEXT:
            return UNKNOWN
        return Static(value)
    if isinstance(expr, ast.Name):
        return facts.lookup(expr.id, scope, nxt)
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
        if len(expr.elts) > _MAX_ITEMS or any(isinstance(e, ast.Starred) for e in expr.elts):
            return UNKNOWN
        items = [evaluate(e, facts, scope, nxt) for e in expr.elts]
        values = tuple(i.value if isinstance(i, Static) else i for i in items)
        if _too_big(values):
            return UNKNOWN
        return Static(list(values) if isinstance(expr, ast.List) else values, _env(items))
    if isinstance(expr, ast.Dict):
        if len(expr.keys) > _MAX_ITEMS or any(k is None for k in expr.keys):
            return UNKNOWN  # ``**spread``: which keys it brings is not known
        out: dict[Any, Any] = {}
        for key, value in zip(expr.keys, expr.values):
            k = evaluate(key, facts, scope, nxt)
            if not isinstance(k, Static) or not _hashable(k.value):
                return UNKNOWN
            v = evaluate(value, facts, scope, nxt)
            out[k.value] = v.value if isinstance(v, Static) else v
        return UNKNOWN if _too_big(out.values()) else Static(out)
    if isinstance(expr, ast.UnaryOp):
        operand = evaluate(expr.operand, facts, scope, nxt)
        if not isinstance(operand, Static):
            return UNKNOWN
        if isinstance(expr.op, ast.USub) and operand.number() is not None:
            return Static(-operand.value, operand.env)
        if isinstance(expr.op, ast.UAdd) and operand.number() is not None:
            return operand
        if isinstance(expr.op, ast.Not):
            return Static(not operand.value, operand.env)
        return UNKNOWN
    if isinstance(expr, ast.BinOp):
        return _binary(expr, facts, scope, nxt)
    if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or) and len(expr.values) == 2:
        left = evaluate(expr.values[0], facts, scope, nxt)
        if isinstance(left, Static) and left.env and left.value is None:
            right = evaluate(expr.values[1], facts, scope, nxt)  # os.getenv("X") or 5
            return Static(right.value, left.env) if isinstance(right, Static) else UNKNOWN
        if isinstance(left, Static) and left.env is None:
            return left if left.value else evaluate(expr.values[1], facts, scope, nxt)
        return UNKNOWN
    if isinstance(expr, ast.JoinedStr):
        parts = []
        for piece in expr.values:
            if isinstance(piece, ast.Constant):
                parts.append(str(piece.value))
            elif isinstance(piece, ast.FormattedValue) and piece.conversion == -1 and piece.format_spec is None:
                inner = evaluate(piece.value, facts, scope, nxt)
                if not isinstance(inner, Static) or not isinstance(inner.value, (str, int, float)):
                    return UNKNOWN
                parts.append(str(inner.value))
            else:
                return UNKNOWN
        text = "".join(parts)
        return Static(text) if len(text) <= _MAX_TEXT else UNKNOWN
    if isinstance(expr, ast.Call):
        return _call(expr, facts, scope, nxt)
    if isinstance(expr, ast.Attribute):
        symbol = facts.qualname(expr)
        if symbol is not None:
            return facts.lookup_symbol(symbol)
    return UNKNOWN


def _binary(expr: ast.BinOp, facts: ModuleFacts, scope: FunctionScope | None, depth: int) -> Value:
    fn = _BINARY.get(type(expr.op))
    if fn is None:
        return UNKNOWN
    left = evaluate(expr.left, facts, scope, depth)
    right = evaluate(expr.right, facts, scope, depth)
    if not isinstance(left, Static) or not isinstance(right, Static):
        return UNKNOWN
    a, b = left.value, right.value
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
    if numbers:
        if isinstance(expr.op, ast.Pow) and (abs(b) > 64 or abs(a) > 10**6):
            return UNKNOWN
        if isinstance(expr.op, ast.Mult) and isinstance(a, int) and isinstance(b, int):
            if a.bit_length() + b.bit_length() > _MAX_BITS:
                return UNKNOWN  # x1 = x0 * x0, x2 = x1 * x1 ... doubles the digits every line
        result = fn(a, b)
        if isinstance(result, int) and result.bit_length() > _MAX_BITS:
            return UNKNOWN
    elif isinstance(expr.op, ast.Add) and isinstance(a, str) and isinstance(b, str):
        result = a + b
    elif isinstance(expr.op, ast.Mult) and isinstance(a, str) and isinstance(b, int) and len(a) * b <= _MAX_TEXT:
        result = a * b
    else:
        return UNKNOWN
    if isinstance(result, str) and len(result) > _MAX_TEXT:
        return UNKNOWN
    return Static(result, left.env or right.env)


def _call(expr: ast.Call, facts: ModuleFacts, scope: FunctionScope | None, depth: int) -> Value:
    name = facts.qualname(expr.func)
    if name is None:
        return UNKNOWN
    if name in _CONVERT and len(expr.args) == 1 and not expr.keywords:
        inner = evaluate(expr.args[0], facts, scope, depth)
        if not isinstance(inner, Static) or isinstance(inner.value, (dict, list, tuple)):
            return UNKNOWN
        if inner.value is None:
            return UNKNOWN
        return Static(_CONVERT[name](inner.value), inner.env)
    if name in _GETENV and expr.args and not expr.keywords:
        key = evaluate(expr.args[0], facts, scope, depth)
        if not isinstance(key, Static) or not isinstance(key.value, str):
            return UNKNOWN
        if len(expr.args) == 1:
            return Static(None, key.value)  # unset unless the environment says so
        default = evaluate(expr.args[1], facts, scope, depth)
        return Static(default.value, key.value) if isinstance(default, Static) else UNKNOWN
    if name == "dict" and not expr.args:
        out: dict[str, Any] = {}
        for keyword in expr.keywords:
            if keyword.arg is None:
                return UNKNOWN
            value = evaluate(keyword.value, facts, scope, depth)
            out[keyword.arg] = value.value if isinstance(value, Static) else value
        return Static(out)
    return UNKNOWN


def _too_big(values: Any) -> bool:
    """Whether a container holds more than _MAX_ITEMS values, nested ones included. Names are
    evaluated once, so ``s1 = [s0, s0]``, ``s2 = [s1, s1]`` ... would share each level and
    describe 2**n items that any reader walking the value pays for; the walk stops early."""
    stack, seen = [values], 0
    while stack:
        for item in stack.pop():
            seen += 1
            if seen > _MAX_ITEMS:
                return True
            if isinstance(item, (list, tuple, set)):
                stack.append(item)
            elif isinstance(item, dict):
                stack.append(item.values())
    return False


def _env(items: list[Value]) -> str | None:
    for item in items:
        if isinstance(item, Static) and item.env:
            return item.env
    return None


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
