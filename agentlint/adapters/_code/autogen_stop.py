"""AutoGen AgentChat termination conditions written in Python, read statically.

``termination_condition=MaxMessageTermination(10) | TextMentionTermination("TERMINATE")``:
``|`` stops at the first operand that fires, ``&`` only once all of them have. What bounds a
run (the same facts adapters/autogen.py reads from component JSON, plus the operators):

* ``MaxMessageTermination(n)``: at most ``n`` messages (each turn adds at least one), a count;
* ``TimeoutTermination(s)`` and ``TokenUsageTermination(...)``: a time or token cap, a bound of
  no stated turn count;
* ``TextMentionTermination`` and ``HandoffTermination``: a text or a handoff the model may
  never produce, no bound (its ``target`` ends the run instead of reaching an agent);
* any other condition (``SourceMatchTermination``, ``ExternalTermination``, a custom class, a
  value passed in): what it bounds is unknown, which is never "unbounded".
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import FunctionScope, ModuleFacts, argument

_TIME_OR_TOKENS = frozenset({"TimeoutTermination", "TokenUsageTermination"})
_MODEL_DECIDES = frozenset({"TextMentionTermination", "HandoffTermination"})
_MAX_DEPTH = 30


@dataclass(slots=True)
class Stop:
    """What a termination condition guarantees."""

    exists: bool = False
    count: int | None = None  # the most messages before it fires, when a count bounds it
    count_at: ast.AST | None = None
    bounded: bool = False  # something other than the model's choice ends the run
    why: str | None = None  # the condition that bounds it without a count ("TimeoutTermination")
    handoff_targets: set[str] = field(default_factory=set)


def read_stop(facts: ModuleFacts, expr: ast.AST | None, scope: FunctionScope | None) -> Stop:
    if expr is None or (isinstance(expr, ast.Constant) and expr.value is None):
        return Stop()
    return _read(facts, expr, scope, 0)


def _bound(facts: ModuleFacts, expr: ast.AST, scope: FunctionScope | None) -> ast.AST:
    for _ in range(12):
        if not isinstance(expr, ast.Name):
            return expr
        value = scope.bindings.get(expr.id) if scope is not None and expr.id in scope.bindings else facts.bindings.get(expr.id)
        if value is None:
            return expr
        if scope is not None and expr.id not in scope.bindings:
            scope = None
        expr = value
    return expr


def _read(facts: ModuleFacts, expr: ast.AST, scope: FunctionScope | None, depth: int) -> Stop:
    unknown = Stop(exists=True, bounded=True, why="a termination condition this module does not state")
    if depth > _MAX_DEPTH:
        return unknown
    expr = _bound(facts, expr, scope)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.BitOr, ast.BitAnd)):
        left = _read(facts, expr.left, scope, depth + 1)
        right = _read(facts, expr.right, scope, depth + 1)
        return _any(left, right) if isinstance(expr.op, ast.BitOr) else _all(left, right)
    if not isinstance(expr, ast.Call):
        return unknown
    callee = facts.qualname(expr.func) or ""
    kind = callee.rsplit(".", 1)[-1] if callee.startswith("autogen_agentchat.") else ""
    if kind in ("OrTerminationCondition", "AndTerminationCondition") and expr.args:
        parts = [_read(facts, a, scope, depth + 1) for a in expr.args if not isinstance(a, ast.Starred)]
        if len(parts) != len(expr.args) or not parts:
            return unknown
        combined = parts[0]
        for part in parts[1:]:
            combined = _any(combined, part) if kind.startswith("Or") else _all(combined, part)
        return combined
    if kind == "MaxMessageTermination":
        found = argument(expr, "max_messages", 0)
        value = facts.value(found, scope) if isinstance(found, ast.expr) else None
        number = value.number() if isinstance(value, Static) else None
        if number is not None and math.isfinite(number) and number >= 1 and number == int(number):
            return Stop(exists=True, count=int(number), count_at=found, bounded=True)
        return unknown
    if kind in _TIME_OR_TOKENS:
        return Stop(exists=True, bounded=True, why=kind)
    if kind in _MODEL_DECIDES:
        stop = Stop(exists=True)
        if kind == "HandoffTermination":
            found = argument(expr, "target", 0)
            value = facts.value(found, scope) if isinstance(found, ast.expr) else None
            if isinstance(value, Static) and isinstance(value.value, str):
                stop.handoff_targets.add(value.value)
        return stop
    return unknown


def _any(a: Stop, b: Stop) -> Stop:
    """``a | b``: the first to fire ends the run."""
    counts = [s for s in (a, b) if s.count is not None]
    best = min(counts, key=lambda s: s.count or 0) if counts else None
    return Stop(
        exists=True,
        count=best.count if best else None,
        count_at=best.count_at if best else None,
        bounded=a.bounded or b.bounded,
        why=a.why or b.why,
        handoff_targets=a.handoff_targets | b.handoff_targets,
    )


def _all(a: Stop, b: Stop) -> Stop:
    """``a & b``: the run ends only once both have fired, so both must bound it."""
    bounded = a.bounded and b.bounded
    both = a.count is not None and b.count is not None
    worst = max((a, b), key=lambda s: s.count or 0) if both else None
    return Stop(
        exists=True,
        count=worst.count if worst else None,
        count_at=worst.count_at if worst else None,
        bounded=bounded,
        why=(a.why or b.why) if bounded else None,
        handoff_targets=set(),  # a handoff alone no longer ends the run
    )
