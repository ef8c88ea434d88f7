"""What bounds a router's loop: a counter on the run's state that the router's code compares
with a limit, and that the loop increments. Shared by CrewAI Flows (``self.state.x``,
crewai_flow_guards.py) and LangGraph (``state["x"]``, langgraph_guards.py): a ``Reading``
says what the state is in a function, what a ``return`` routes to, and how nodes write it.

``if self.state.retry_count > 3: return "max_retry_exceeded"`` at the top of a router whose
``return "retry"`` re-enters the loop, with ``self.state.retry_count += 1`` in a method of the
loop, bounds the ``retry`` route to 4 passes (the counter's default in the state model is 0).
Three shapes are read, each per loop-continuing ``return``:

* it sits in the ``if`` branch (or the ``a if test else b`` arm) of a test with a conjunct
  ``counter < N`` (``<=``);
* it sits in the ``else`` branch of a test with a disjunct ``counter > N`` (``>=``);
* an ``if`` before it in a block that holds it (the router's body, a ``try``, a branch), with
  such a disjunct, always leaves the router (returns a label that does not continue the loop,
  or raises).

A guard whose limit or starting value the module does not state is a bound of unknown size. A
router the code makes unclear (an ordering comparison or a call in its tests that is no such
guard and no threshold on the model's own score (state_scores.py), ``input()``/``self.ask()``, the counter reset inside the loop) is UNCLEAR: its loop is
neither bounded nor reported. Tests that only read the model's verdict (``if self.state.valid``,
``"APPROVED" in result.raw``) are no guard: only the model ends that loop.
"""

from __future__ import annotations

import ast
import enum
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from agentlint.adapters._code.evaluate import Static, Value
from agentlint.adapters._code.scope import FunctionNode, FunctionScope, ModuleFacts
from agentlint.adapters._code.state_scores import is_score_threshold, writes
from agentlint.adapters._code.syntax import BODIES

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_VERDICT_OPS = (ast.Eq, ast.NotEq, ast.Is, ast.IsNot, ast.In, ast.NotIn)
_HUMAN = frozenset({"input", "self.ask"})
Routine = FunctionNode | ast.Lambda
_NO_LABEL = object()  # a return whose route the code does not state
NOT_ROUTED = object()  # a return that names no route (a LangGraph node's plain update)


class Reading(Protocol):
    """How one framework's code names its state and routes (see the module doc)."""

    updates: bool  # dict literals with the counter's key write it (LangGraph node results)
    summed: frozenset[str]  # keys whose writes are added to the value (a reducer ``operator.add``)
    calls_unclear: bool  # any call in a router's test makes it unclear (CrewAI)
    unknown_continues: bool  # a return whose route the code does not state may continue the loop
    human: frozenset[str]  # calls by which a person decides

    def is_state(self, function: Routine) -> Callable[[ast.AST], bool]: ...

    def label(self, value: ast.expr | None, scope: FunctionScope | None) -> object: ...


class CrewAIReading:
    """``self.state.x``; a router returns its label."""

    updates = False
    summed: frozenset[str] = frozenset()
    calls_unclear = True
    unknown_continues = False  # the flow adapter marks the part incomplete for such results
    human = _HUMAN

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts

    def is_state(self, function: Routine) -> Callable[[ast.AST], bool]:
        return _is_self_state

    def label(self, value: ast.expr | None, scope: FunctionScope | None) -> object:
        found = self.facts.value(value, scope) if value is not None else Static(None)
        return found.value if isinstance(found, Static) and (found.value is None or isinstance(found.value, str)) else _NO_LABEL


class Verdict(enum.Enum):
    NONE = "no guard"  # only the model's verdict ends the loop
    BOUND = "bound"
    UNCLEAR = "unclear"


@dataclass(frozen=True, slots=True)
class Guard:
    verdict: Verdict
    passes: int | None = None  # how often the loop can continue through the router (BOUND); None: unknown size
    at: ast.AST | None = None  # the comparison that bounds it
    counters: tuple[str, ...] = ()  # the state keys the bound counts (BOUND)


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
Around = tuple["Around", tuple[ast.If | ast.IfExp, str]] | None
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


def routed(function: Routine) -> Iterator[tuple[ast.expr | None, Around, Path]]:
    """Each value the function returns, with its ``if`` branches and path (``returns``); the
    arms of a returned ``a if test else b`` are values of their own, inside that test."""
    if isinstance(function, ast.Lambda):
        items: Iterable[tuple[ast.expr | None, Around, Path]] = [(function.body, None, None)]
    else:
        items = ((ret.value, around, path) for ret, around, path in returns(function))
    for value, around, path in items:
        stack = [(value, around)]
        while stack:
            item, inner = stack.pop()
            if isinstance(item, ast.IfExp):
                stack.append((item.orelse, (inner, (item, "orelse"))))
                stack.append((item.body, (inner, (item, "body"))))
            else:
                yield item, inner, path


def state_key(expr: ast.AST, is_state: Callable[[ast.AST], bool] | None = None) -> str | None:
    """``self.state.x``, ``self.state["x"]`` or ``self.state.get("x", …)`` -> ``"x"`` (or
    ``state.x`` … for whatever ``is_state`` accepts as the state)."""
    is_state = is_state or _is_self_state
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and expr.args:
        first = expr.args[0]
        if is_state(expr.func.value) and isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
        return None
    if isinstance(expr, ast.Attribute) and is_state(expr.value):
        return expr.attr
    if isinstance(expr, ast.Subscript) and is_state(expr.value):
        key = expr.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _is_self_state(expr: ast.AST) -> bool:
    return isinstance(expr, ast.Attribute) and expr.attr == "state" and isinstance(expr.value, ast.Name) and expr.value.id == "self"


def _parts(test: ast.expr, op: type) -> list[ast.expr]:
    """The conjuncts (``ast.And``) or disjuncts (``ast.Or``) of a test."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, op):
        return [leaf for value in test.values for leaf in _parts(value, op)]
    return [test]


def _limit(test: ast.expr, continues_when_true: bool, counted: Callable[[str], bool],
           key: Callable[[ast.AST], str | None]) -> _Limit | None:
    """A counter comparison in ``test`` that, read as the branch taken says, caps the counter:
    a conjunct ``c < N`` when the loop continues on true, a disjunct ``c > N`` when on false;
    only counters ``counted`` accepts (those the loop counts up)."""
    for part in _parts(test, ast.And if continues_when_true else ast.Or):
        if not (isinstance(part, ast.Compare) and len(part.ops) == 1):
            continue
        op, left, right = part.ops[0], part.left, part.comparators[0]
        if key(right) is not None and key(left) is None:  # N > c is c < N
            op = {ast.Lt: ast.Gt(), ast.LtE: ast.GtE(), ast.Gt: ast.Lt(), ast.GtE: ast.LtE()}.get(type(op), op)
            left, right = right, left
        counter = key(left)
        if counter is None or isinstance(right, ast.Constant) and not isinstance(right.value, (int, float)) or not counted(counter):
            continue
        if continues_when_true and isinstance(op, (ast.Lt, ast.LtE)):
            return _Limit(counter, isinstance(op, ast.LtE), right, part)
        if not continues_when_true and isinstance(op, (ast.Gt, ast.GtE)):
            return _Limit(counter, isinstance(op, ast.Gt), right, part)
    return None


def _number(value: Value) -> int | None:
    number = value.number() if isinstance(value, Static) else None
    return int(number) if number is not None and math.isfinite(number) and number == int(number) else None


def steps(methods: Iterable[Routine], counter: str, facts: ModuleFacts, reading: Reading) -> int | None:
    """The smallest static step these functions add to the counter (None: none, or a reset)."""
    return _steps(methods, counter, facts, reading)


def _steps(methods: Iterable[Routine], counter: str, facts: ModuleFacts, reading: Reading) -> int | None:
    """The smallest static step the loop's methods add to the counter; None when none adds
    one or one writes it otherwise (a reset inside the loop undoes the bound)."""
    steps: list[int] = []

    def added(value: ast.expr | None, key: Callable[[ast.AST], str | None]) -> bool:
        """``value`` is ``counter + N`` (N >= 1): record N."""
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add) and key(value.left) == counter:
            number = _number(facts.value(value.right))
            if number is not None and number >= 1:
                steps.append(number)
                return True
        return False

    for write in writes(methods, counter, reading):
        if write.augmented:
            number = _number(facts.value(write.value))
            if not isinstance(write.node.op, ast.Add) or number is None or number < 1:  # type: ignore[attr-defined]
                return None
            steps.append(number)
        elif not added(write.value, write.key):
            number = _number(facts.value(write.value)) if write.update and counter in reading.summed else None
            if number is None or number < 1:
                return None
            steps.append(number)  # {"attempts": 1} under an adding reducer
    return min(steps) if steps else None


def _passes(limit: _Limit, start: int | None, step: int, facts: ModuleFacts, scope: FunctionScope | None) -> int | None:
    """How often the loop can continue: the counter goes start, start+step, … while below the
    limit (an upper bound when the loop adds to it before the router compares)."""
    value = facts.value(limit.limit, scope)
    number = value.number() if isinstance(value, Static) else None
    if number is None or start is None or not math.isfinite(number):
        return None
    span = number - start
    count = math.floor(span / step) + 1 if limit.inclusive else math.ceil(span / step)
    return max(0, min(count, 10**9))


def _self_name(func: ast.AST) -> str | None:
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
        return f"self.{func.attr}"
    return None


class _Judge:
    def __init__(self, facts: ModuleFacts, reading: Reading, router: Routine, continues: set[Any],
                 loop: list[Routine], starts: dict[str, int | None]) -> None:
        self.facts, self.reading, self.router, self.continues = facts, reading, router, continues
        self.loop, self.starts = loop, starts
        self.scope = facts.scope_of(router) if not isinstance(router, ast.Lambda) else None
        self.is_state = reading.is_state(router)
        self._steps: dict[str, int | None] = {}

    def key(self, expr: ast.AST) -> str | None:
        return state_key(expr, self.is_state)

    def step(self, counter: str) -> int | None:
        if counter not in self._steps:
            self._steps[counter] = _steps(self.loop, counter, self.facts, self.reading)
        return self._steps[counter]

    def counted(self, counter: str) -> bool:
        return self.step(counter) is not None

    def limit(self, test: ast.expr, continues_when_true: bool) -> _Limit | None:
        return _limit(test, continues_when_true, self.counted, self.key)

    def continuing(self, label: object) -> bool:
        if label is _NO_LABEL:
            return self.reading.unknown_continues
        return label is not NOT_ROUTED and label in self.continues

    def leaves(self, body: list[ast.stmt]) -> bool:
        """The branch always leaves the router without continuing the loop."""
        last = body[-1] if body else None
        if isinstance(last, ast.Raise):
            return True
        if isinstance(last, ast.Return):
            label = self.reading.label(last.value, self.scope)
            return label is not _NO_LABEL and label is not NOT_ROUTED and label not in self.continues
        return False

    def guard_of(self, around: Around, path: Path) -> _Limit | None:
        for node, branch in chain(around):
            found = self.limit(node.test, branch == "body")
            if found is not None:
                return found
        for statements, index in chain(path):
            for stmt in statements[:index]:
                if isinstance(stmt, ast.If) and self.leaves(stmt.body):
                    found = self.limit(stmt.test, False)
                    if found is not None:
                        return found
        return None

    def counted_tests(self) -> set[int]:
        """The comparisons of the router's tests that read a counter the loop counts up."""
        out: set[int] = set()
        for node in own_nodes(self.router):
            if isinstance(node, (ast.If, ast.IfExp)):
                for limit in (self.limit(node.test, True), self.limit(node.test, False)):
                    if limit is not None:
                        out.add(id(limit.at))
        return out

    def unclear(self, human: bool) -> bool:
        """The router decides on something other than the model's verdict (or a counter the
        loop counts): another count or threshold, a call (CrewAI), a human."""
        if human:
            return True
        counted = self.counted_tests()
        nodes = own_nodes(self.router) if not isinstance(self.router, ast.Lambda) else ast.walk(self.router.body)
        for node in nodes:
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else _self_name(func)
                if name in self.reading.human:
                    return True
            tests = [node.test] if isinstance(node, (ast.If, ast.While, ast.IfExp)) else []
            for test in tests:
                for inner in ast.walk(test):
                    if isinstance(inner, ast.Compare) and id(inner) not in counted and any(not isinstance(op, _VERDICT_OPS) for op in inner.ops):
                        if not is_score_threshold(inner, self.key, self.loop, self.reading):  # a score is the model's say
                            return True
                    if self.reading.calls_unclear and isinstance(inner, (ast.Call, ast.Await, ast.NamedExpr)):
                        return True
        return False

    def judge(self, human: bool) -> Guard:
        limits: list[_Limit] = []
        for value, around, path in routed(self.router):
            if not self.continuing(self.reading.label(value, self.scope)):
                continue
            found = self.guard_of(around, path)
            if found is None:  # this route is not guarded: whatever guards the others, the loop can go on
                return Guard(Verdict.UNCLEAR if self.unclear(human) else Verdict.NONE)
            limits.append(found)
        if not limits:
            return Guard(Verdict.UNCLEAR if self.unclear(human) else Verdict.NONE)
        worst: int | None = 0
        for limit in limits:
            passes = _passes(limit, self.starts.get(limit.counter), self.step(limit.counter) or 1, self.facts, self.scope)
            worst = None if passes is None or worst is None else max(worst, passes)
        return Guard(Verdict.BOUND, worst, limits[0].at, tuple(dict.fromkeys(limit.counter for limit in limits)))


def judge(facts: ModuleFacts, router: Routine, continues: set[Any], loop: list[Routine],
          starts: dict[str, int | None], human: bool = False, reading: Reading | None = None) -> Guard:
    """How the router bounds the routes in ``continues`` (labels that re-enter its loop).
    ``loop``: the functions of the loop; ``starts``: the counters' lowest static start values."""
    return _Judge(facts, reading or CrewAIReading(facts), router, continues, loop, starts).judge(human)
