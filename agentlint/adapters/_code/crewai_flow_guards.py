"""What bounds a CrewAI Flow router's loop: a counter on the flow's state that the router's
code compares with a limit, and that the loop increments.

``if self.state.retry_count > 3: return "max_retry_exceeded"`` at the top of a router whose
``return "retry"`` re-enters the loop, with ``self.state.retry_count += 1`` in a method of the
loop, bounds the ``retry`` route to 4 passes (the counter's default in the state model is 0).
Three shapes are read, each per loop-continuing ``return``:

* it sits in the ``if`` branch of a test with a conjunct ``counter < N`` (``<=``);
* it sits in the ``else`` branch of a test with a disjunct ``counter > N`` (``>=``);
* an ``if`` before it in a block that holds it (the router's body, a ``try``, a branch), with
  such a disjunct, always leaves the router (returns a label that does not continue the loop,
  or raises).

A guard whose limit or starting value the module does not state is a bound of unknown size. A
router the code makes unclear (an ordering comparison or a call in its tests that is no such
guard, ``input()``/``self.ask()``, the counter reset inside the loop) is UNCLEAR: its loop is
neither bounded nor reported. Tests that only read the model's verdict (``if self.state.valid``,
``"APPROVED" in result.raw``) are no guard: only the model ends that loop.
"""

from __future__ import annotations

import ast
import enum
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from agentlint.adapters._code.evaluate import Static, Value
from agentlint.adapters._code.scope import FunctionNode, FunctionScope, ModuleFacts
from agentlint.adapters._code.syntax import BODIES

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_VERDICT_OPS = (ast.Eq, ast.NotEq, ast.Is, ast.IsNot, ast.In, ast.NotIn)
_HUMAN = frozenset({"input", "self.ask"})


class Verdict(enum.Enum):
    NONE = "no guard"  # only the model's verdict ends the loop
    BOUND = "bound"
    UNCLEAR = "unclear"


@dataclass(frozen=True, slots=True)
class Guard:
    verdict: Verdict
    passes: int | None = None  # how often the loop can continue through the router (BOUND); None: unknown size
    at: ast.AST | None = None  # the comparison that bounds it


@dataclass(frozen=True, slots=True)
class _Limit:
    counter: str  # the state key
    inclusive: bool  # continues while counter <= N (else while counter < N)
    limit: ast.expr
    at: ast.Compare


def own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Every node under ``node`` outside nested functions, classes and lambdas (iterative)."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        if isinstance(child, _NESTED):
            continue
        yield child
        stack.extend(ast.iter_child_nodes(child))


# Linked lists (outer link, item), innermost item first: a deep ``elif`` chain costs linear time.
Around = tuple["Around", tuple[ast.If, str]] | None
Path = tuple["Path", tuple[list[ast.stmt], int]] | None


def chain(linked: Around | Path) -> Iterator[Any]:
    """The items of a linked list, innermost first."""
    while linked is not None:
        linked, item = linked
        yield item


def returns(function: FunctionNode) -> Iterator[tuple[ast.Return, Around, Path]]:
    """Each ``return`` of the function's own body with the ``if`` branches around it and its
    path: at each block level, the statement list that holds it and its index there (the
    statements before it in those lists ran before it)."""
    stack: list[tuple[ast.stmt, Around, Path]] = [
        (stmt, None, (None, (function.body, index))) for index, stmt in reversed(list(enumerate(function.body)))
    ]
    while stack:
        stmt, around, path = stack.pop()
        if isinstance(stmt, ast.Return):
            yield stmt, around, path
            continue
        if isinstance(stmt, _NESTED):
            continue
        for name in BODIES:
            children = getattr(stmt, name, None) or []
            inner: Around = (around, (stmt, name)) if isinstance(stmt, ast.If) else around
            for index in range(len(children) - 1, -1, -1):
                child = children[index]
                if isinstance(child, (ast.ExceptHandler, ast.match_case)):
                    body = child.body
                    stack.extend((body[j], inner, (path, (body, j))) for j in range(len(body) - 1, -1, -1))
                elif isinstance(child, ast.stmt):
                    stack.append((child, inner, (path, (children, index))))


def state_key(expr: ast.AST) -> str | None:
    """``self.state.x``, ``self.state["x"]`` or ``self.state.get("x", …)`` -> ``"x"``."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and expr.args:
        first = expr.args[0]
        if _is_state(expr.func.value) and isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
        return None
    if isinstance(expr, ast.Attribute) and _is_state(expr.value):
        return expr.attr
    if isinstance(expr, ast.Subscript) and _is_state(expr.value):
        key = expr.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _is_state(expr: ast.AST) -> bool:
    return isinstance(expr, ast.Attribute) and expr.attr == "state" and isinstance(expr.value, ast.Name) and expr.value.id == "self"


def _parts(test: ast.expr, op: type) -> list[ast.expr]:
    """The conjuncts (``ast.And``) or disjuncts (``ast.Or``) of a test."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, op):
        return [leaf for value in test.values for leaf in _parts(value, op)]
    return [test]


def _limit(test: ast.expr, continues_when_true: bool, counted: Callable[[str], bool] = lambda _: True) -> _Limit | None:
    """A counter comparison in ``test`` that, read as the branch taken says, caps the counter:
    a conjunct ``c < N`` when the loop continues on true, a disjunct ``c > N`` when on false;
    only counters ``counted`` accepts (those the loop counts up)."""
    for part in _parts(test, ast.And if continues_when_true else ast.Or):
        if not (isinstance(part, ast.Compare) and len(part.ops) == 1):
            continue
        op, left, right = part.ops[0], part.left, part.comparators[0]
        if state_key(right) is not None and state_key(left) is None:  # N > c is c < N
            op = {ast.Lt: ast.Gt(), ast.LtE: ast.GtE(), ast.Gt: ast.Lt(), ast.GtE: ast.LtE()}.get(type(op), op)
            left, right = right, left
        counter = state_key(left)
        if counter is None or isinstance(right, ast.Constant) and not isinstance(right.value, (int, float)) or not counted(counter):
            continue
        if continues_when_true and isinstance(op, (ast.Lt, ast.LtE)):
            return _Limit(counter, isinstance(op, ast.LtE), right, part)
        if not continues_when_true and isinstance(op, (ast.Gt, ast.GtE)):
            return _Limit(counter, isinstance(op, ast.Gt), right, part)
    return None


def _label(ret: ast.Return, facts: ModuleFacts, scope: FunctionScope) -> Value:
    return facts.value(ret.value, scope) if ret.value is not None else Static(None)


def _leaves(body: list[ast.stmt], continues: set[str], facts: ModuleFacts, scope: FunctionScope) -> bool:
    """The branch always leaves the router without continuing the loop."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Raise):
        return True
    if isinstance(last, ast.Return):
        value = _label(last, facts, scope)
        return isinstance(value, Static) and (value.value is None or isinstance(value.value, str) and value.value not in continues)
    return False


def _guard_of(around: Around, path: Path, function: FunctionNode,
              continues: set[str], facts: ModuleFacts, counted: Callable[[str], bool]) -> _Limit | None:
    for node, branch in chain(around):
        found = _limit(node.test, branch == "body", counted)
        if found is not None:
            return found
    scope = facts.scope_of(function)
    for statements, index in chain(path):
        for stmt in statements[:index]:
            if isinstance(stmt, ast.If) and _leaves(stmt.body, continues, facts, scope):
                found = _limit(stmt.test, False, counted)
                if found is not None:
                    return found
    return None


def _steps(methods: Iterable[FunctionNode], counter: str, facts: ModuleFacts) -> int | None:
    """The smallest static step the loop's methods add to the counter; None when none adds
    one or one writes it otherwise (a reset inside the loop undoes the bound)."""
    steps: list[int] = []
    for method in methods:
        for node in own_nodes(method):
            if isinstance(node, ast.AugAssign) and state_key(node.target) == counter:
                step = facts.value(node.value)
                number = step.number() if isinstance(step, Static) else None
                if not isinstance(node.op, ast.Add) or number is None or number != int(number) or number < 1:
                    return None
                steps.append(int(number))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if not any(state_key(t) == counter for t in targets):
                    continue
                value = node.value
                if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add) and state_key(value.left) == counter:
                    step = facts.value(value.right)
                    number = step.number() if isinstance(step, Static) else None
                    if number is not None and number == int(number) and number >= 1:
                        steps.append(int(number))
                        continue
                return None
    return min(steps) if steps else None


def _passes(limit: _Limit, start: int | None, step: int, facts: ModuleFacts, scope: FunctionScope) -> int | None:
    """How often the loop can continue: the counter goes start, start+step, … while below the
    limit (an upper bound when the loop adds to it before the router compares)."""
    value = facts.value(limit.limit, scope)
    number = value.number() if isinstance(value, Static) else None
    if number is None or start is None or not math.isfinite(number):
        return None
    span = number - start
    count = math.floor(span / step) + 1 if limit.inclusive else math.ceil(span / step)
    return max(0, min(count, 10**9))


def _counted(function: FunctionNode, counted: Callable[[str], bool]) -> set[int]:
    """The comparisons of the router's tests that read a counter the loop counts up."""
    out: set[int] = set()
    for node in own_nodes(function):
        if isinstance(node, ast.If):
            for limit in (_limit(node.test, True, counted), _limit(node.test, False, counted)):
                if limit is not None:
                    out.add(id(limit.at))
    return out


def _unclear(function: FunctionNode, facts: ModuleFacts, human: bool, counted: set[int]) -> bool:
    """The router decides on something other than the model's verdict (or a counter the loop
    counts, ``counted``): another count or threshold, a call, a human."""
    if human:
        return True
    for node in own_nodes(function):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else _self_name(func)
            if name in _HUMAN:
                return True
        tests = [node.test] if isinstance(node, (ast.If, ast.While, ast.IfExp)) else []
        for test in tests:
            for inner in ast.walk(test):
                if isinstance(inner, ast.Compare) and id(inner) not in counted and any(not isinstance(op, _VERDICT_OPS) for op in inner.ops):
                    return True
                if isinstance(inner, (ast.Call, ast.Await, ast.NamedExpr)):
                    return True
    return False


def _self_name(func: ast.AST) -> str | None:
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
        return f"self.{func.attr}"
    return None


def judge(facts: ModuleFacts, router: FunctionNode, continues: set[str], loop: list[FunctionNode],
          starts: dict[str, int | None], human: bool = False) -> Guard:
    """How the router bounds the routes in ``continues`` (labels that re-enter its loop).
    ``loop``: the flow methods of the loop; ``starts``: the state model's static defaults."""
    steps: dict[str, int | None] = {}

    def step(counter: str) -> int | None:
        if counter not in steps:
            steps[counter] = _steps(loop, counter, facts)
        return steps[counter]

    def counted(counter: str) -> bool:
        return step(counter) is not None

    limits: list[_Limit] = []
    scope = facts.scope_of(router)
    for ret, around, path in returns(router):
        value = _label(ret, facts, scope)
        if not (isinstance(value, Static) and isinstance(value.value, str) and value.value in continues):
            continue
        found = _guard_of(around, path, router, continues, facts, counted)
        if found is None:  # this route is not guarded: whatever guards the others, the loop can go on
            return Guard(Verdict.UNCLEAR if _unclear(router, facts, human, _counted(router, counted)) else Verdict.NONE)
        limits.append(found)
    if not limits:
        return Guard(Verdict.UNCLEAR if _unclear(router, facts, human, _counted(router, counted)) else Verdict.NONE)
    worst: int | None = 0
    for limit in limits:
        passes = _passes(limit, starts.get(limit.counter), step(limit.counter) or 1, facts, scope)
        worst = None if passes is None or worst is None else max(worst, passes)
    return Guard(Verdict.BOUND, worst, limits[0].at)
