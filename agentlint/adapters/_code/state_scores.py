"""A threshold on the model's own score is no bound (shared by state_guards.py's routers).

``if state["score"] >= 0.8: return END`` ends a loop only when the model's grade says so: the
score is written by the loop's nodes from what the model returned (``{"score": grade.score}``,
``self.state.score = result.score``), never counted up from itself, so the comparison is the
model's verdict, as ``==`` on its answer is. A threshold on anything else (``len(messages) >
6``, a value a node computes from the key, a key the loop does not write, one a reducer sums)
may grow with every pass: the router stays unclear, neither a bound nor a finding.

``writes`` (every place the loop writes a key) is shared with state_guards' counters.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
# what a model's score is written from: a call (the grader), a field of its result, a literal
_MODEL_VALUES = (ast.Call, ast.Await, ast.Attribute, ast.Subscript, ast.Constant)
# calls that count or accumulate (``{"attempts": len(state["history"])}`` grows with every pass)
_COUNTING = frozenset({"len", "sum", "max", "min", "count", "__len__", "total"})


def _counts(value: ast.expr) -> bool:
    for inner in ast.walk(value):
        if isinstance(inner, ast.Call):
            func = inner.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name in _COUNTING:
                return True
    return False


def is_score_threshold(test: ast.Compare, key: Callable[[ast.AST], str | None], loop: Iterable[Any], reading: Any) -> bool:
    """``test`` compares a state key the loop writes from the model (a score) with a number."""
    if len(test.ops) != 1 or not isinstance(test.ops[0], _ORDERING):
        return False
    left, right = test.left, test.comparators[0]
    name = key(left) if key(left) is not None else key(right)
    other = right if key(left) is not None else left
    if name is None or not (isinstance(other, ast.Constant) and isinstance(other.value, (int, float)) and not isinstance(other.value, bool)):
        return False
    return written_by_model(loop, name, reading)


def written_by_model(methods: Iterable[Any], name: str, reading: Any) -> bool:
    """The loop's functions write ``name``, each time with a value that is the model's (a call,
    a field of a result, a literal), never one computed from the key or held in a local."""
    if name in getattr(reading, "summed", ()):
        return False  # a reducer adds each write: a count
    written = False
    for write in writes(methods, name, reading):
        value = write.value
        if write.augmented or not isinstance(value, _MODEL_VALUES) or _counts(value) or any(write.key(inner) == name for inner in ast.walk(value)):
            return False
        written = True
    return written


class Write(NamedTuple):
    """One place a loop function writes a state key (shared with state_guards' counters)."""

    node: ast.AST  # the AugAssign, the Assign/AnnAssign, or the update dict
    value: ast.expr | None
    key: Callable[[ast.AST], str | None]  # the writing function's state reader
    augmented: bool  # ``state["x"] += v``
    update: bool  # a key of a returned update dict (``{"x": v}``)


def writes(methods: Iterable[Any], name: str, reading: Any) -> Iterator[Write]:
    """Every write of state key ``name`` in ``methods`` (their own code, not nested functions):
    augmented, assigned, or a key of an update dict when the framework returns updates."""
    from agentlint.adapters._code.state_guards import own_nodes, state_key

    for method in methods:
        is_state = reading.is_state(method)

        def key(expr: ast.AST, is_state: Callable[[ast.AST], bool] = is_state) -> str | None:
            return state_key(expr, is_state)

        for node in own_nodes(method):
            if isinstance(node, ast.AugAssign) and key(node.target) == name:
                yield Write(node, node.value, key, True, False)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(key(target) == name for target in targets):
                    yield Write(node, node.value, key, False, False)
            elif reading.updates and isinstance(node, ast.Dict):
                for k, value in zip(node.keys, node.values):
                    if isinstance(k, ast.Constant) and k.value == name:
                        yield Write(node, value, key, False, True)
