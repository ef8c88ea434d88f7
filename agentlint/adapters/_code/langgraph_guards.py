"""What bounds a LangGraph loop in its own code: a counter on the graph's state that a route
function (or a ``Command``-returning node) compares with a limit, and that a node of the loop
increments (the shared reading of state_guards.py, with LangGraph's state).

``def should_continue(state): ... elif state.get("attempts", 0) < 4 and state.get("agent_error"):
return "reflector"`` routes into the loop only while the counter is below 4; the loop's
``reflection`` node returns ``{"attempts": state.get("attempts", 0) + 1, ...}``: the route
into ``reflector`` is taken at most 4 times (``max_traversals`` 4 on that edge). The state is
the function's first parameter (``state["x"]``, ``state.x``, ``state.get("x", 0)``); the loop
writes the counter in returned updates (a dict literal with its key, ``Command(update=…)``)
or in place (``state["x"] += 1``); a key its state class sums (``Annotated[int, operator.add]``)
counts up by a static update (``{"retry_count": 1}``) and starts at 0. Its start is the lowest static value the module gives it
outside the loop: a ``.get`` default, an update or input dict (``app.invoke({"count": 0})``),
a default in a state class of the module; none, or one that is not static, leaves the bound
of unknown size.

A counter guard the code does not make clear (a limit imported or passed in, a node of the
loop whose code is in another module, another ordering comparison — a threshold on the model's
own score is none: state_scores.py —, a ``interrupt()``) makes
the loop's routes unknown: the caller drops them and marks the graph incomplete, so no loop
finding is made from them. A route function that only reads the model's verdict is no bound.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.langgraph_graph import Link, Node
from agentlint.adapters._code.langgraph_routes import COMMAND, node_name
from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument
from agentlint.adapters._code.state_guards import _NO_LABEL, NOT_ROUTED, Guard, Routine, Verdict, judge, state_key, steps
from agentlint.model.digraph import DiGraph, strongly_connected_components

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_SKIPPED = frozenset({"self", "cls"})


class LangGraphReading:
    """The state is a function's first parameter; a route is a returned name (or path-map
    key), or a ``Command``'s ``goto`` for a node that routes itself."""

    updates = True
    calls_unclear = False
    unknown_continues = True
    human = frozenset({"interrupt", "input"})

    def __init__(self, facts: ModuleFacts, command: bool, summed: frozenset[str]) -> None:
        self.facts = facts
        self.command = command
        self.summed = summed

    def is_state(self, function: Routine) -> Callable[[ast.AST], bool]:
        name = state_parameter(function)
        return lambda expr: name is not None and isinstance(expr, ast.Name) and expr.id == name

    def label(self, value: ast.expr | None, scope: FunctionScope | None) -> object:
        if self.command:
            if not (isinstance(value, ast.Call) and self.facts.qualname(value.func) in COMMAND):
                return NOT_ROUTED  # an update: the node's static edges route it
            goto = argument(value, "goto")
            if not isinstance(goto, ast.expr):
                return NOT_ROUTED if goto is MISSING else _NO_LABEL
            return node_name(goto, self.facts, scope) or _NO_LABEL
        if value is None:
            return None
        name = node_name(value, self.facts, scope)
        if name is not None:
            return name
        found = self.facts.value(value, scope)
        return found.value if isinstance(found, Static) and isinstance(found.value, (bool, int, type(None))) else _NO_LABEL


def summed_keys(facts: ModuleFacts) -> frozenset[str]:
    """Keys the module's state classes declare ``Annotated[int, operator.add]``: a node's
    ``{"retry_count": 1}`` adds 1 to them."""
    out: set[str] = set()
    for cls in facts.classes.values():
        for stmt in cls.body:
            annotation = stmt.annotation if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) else None
            if not (isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple) and len(annotation.slice.elts) == 2):
                continue
            head = facts.qualname(annotation.value) or ""
            kind, reducer = annotation.slice.elts
            if head.endswith("Annotated") and isinstance(kind, ast.Name) and kind.id in ("int", "float") and facts.qualname(reducer) == "operator.add":
                out.add(stmt.target.id)  # type: ignore[union-attr]
    return frozenset(out)


def state_parameter(function: Routine) -> str | None:
    params = [*function.args.posonlyargs, *function.args.args]
    if params and params[0].arg in _SKIPPED and not isinstance(function, ast.Lambda):
        params = params[1:]
    return params[0].arg if params else None


@dataclass(frozen=True, slots=True)
class _Write:
    key: str
    value: ast.AST  # read only for the counters a guard compares
    owner: ast.AST | None  # the innermost function it is in


def _writes(facts: ModuleFacts) -> list[_Write]:
    """Every value the module gives a state key: ``.get`` defaults on a function's state,
    dict literals with string keys, ``state["x"] = …``, annotated class defaults."""
    out: list[_Write] = []
    stack: list[tuple[ast.AST, ast.AST | None, str | None]] = [(facts.module.tree, None, None)]
    while stack:
        node, owner, state = stack.pop()
        if isinstance(node, _FUNCTIONS):
            owner, state = node, state_parameter(node)
        if isinstance(node, (ast.Constant, ast.Name, ast.operator, ast.expr_context)):
            continue  # leaves: nothing below them

        def key(expr: ast.AST, name: str | None = state) -> str | None:
            return state_key(expr, lambda e: name is not None and isinstance(e, ast.Name) and e.id == name)
        if isinstance(node, ast.Dict):
            for name, value in zip(node.keys, node.values):
                if isinstance(name, ast.Constant) and isinstance(name.value, str):
                    out.append(_Write(name.value, value, owner))
        elif isinstance(node, ast.Call) and key(node) is not None and len(node.args) > 1:
            out.append(_Write(key(node) or "", node.args[1], owner))  # state.get("x", 0)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if key(target) is not None:
                    out.append(_Write(key(target) or "", node.value, owner))
        elif isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                    value = stmt.value
                    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "Field":
                        default = argument(value, "default", 0)
                        value = default if isinstance(default, ast.expr) else value
                    out.append(_Write(stmt.target.id, value, owner))
        stack.extend((child, owner, state) for child in ast.iter_child_nodes(node))
    return out


def _static(facts: ModuleFacts, expr: ast.AST) -> int | None:
    found = facts.value(expr)
    number = found.number() if isinstance(found, Static) and not isinstance(found.value, bool) else None
    return int(number) if number is not None and number == int(number) else None


class _Starts(dict[str, int | None]):
    """Each counter's lowest static start (None: unknown): any static value the module gives
    it, a value it does not state outside the loop makes the start unknown."""

    def __init__(self, facts: ModuleFacts, writes: list[_Write], members: set[int], summed: frozenset[str]) -> None:
        super().__init__()
        self.facts, self.writes, self.members, self.summed = facts, writes, members, summed

    def get(self, key: str, default: object = None) -> int | None:  # type: ignore[override]
        if key not in self:
            # the loop's own writes are its steps (a static one there leaves no step to count)
            values = [(_static(self.facts, w.value), w) for w in self.writes if w.key == key]
            found = [start for start, w in values if not (start is None and id(w.owner) in self.members)]
            if key in self.summed:  # writes add to 0: it starts at 0 when none takes it lower
                self[key] = None if None in found or any(v < 0 for v in found if v is not None) else 0
            else:
                self[key] = None if not found or None in found else min(v for v in found if v is not None)
        return self[key]


class LoopGuards:
    """Reads the counter guards of one builder's loops and marks or drops their routes."""

    def __init__(self, facts: ModuleFacts, resolve: Callable[[ast.expr, FunctionScope | None], object]) -> None:
        self.facts = facts
        self.resolve = resolve  # NodeResolver.function
        self._writes: list[_Write] | None = None
        self._summed: frozenset[str] | None = None

    def writes(self) -> list[_Write]:
        if self._writes is None:
            self._writes = _writes(self.facts)
        return self._writes

    def counts_every_pass(self, guard: Guard, continuing: list[Link], links: list[Link], component: dict[str, int],
                          functions: dict[str, Routine], command: bool) -> bool:
        """Each way back to the guard from a guarded route passes a node that counts up."""
        successors: dict[str, set[str]] = {}
        for link in links:
            if link.source in component and component.get(link.target) == component[link.source]:
                successors.setdefault(link.source, set()).add(link.target)
        reading = LangGraphReading(self.facts, command, self._summed or frozenset())
        for counter in guard.counters:
            counting = {name for name, f in functions.items() if steps([f], counter, self.facts, reading) is not None}
            if any(_skips(link.target, link.source, successors, counting) for link in continuing):
                return False
        return True

    def made_here(self, node: Node) -> bool:
        """A node made by a function of this module (``build_plan_node(llm)``): its closure
        is code we do not read as a loop member."""
        action = node.action
        return isinstance(action, ast.Call) and isinstance(action.func, ast.Name) and action.func.id in self.facts.functions

    def bound(self, links: list[Link], nodes: dict[str, Node]) -> tuple[list[Link], bool]:
        """The links, the loop routes whose guard is unknown dropped; whether all are clear."""
        component = _components(nodes, links)
        groups: dict[tuple[int, str], list[Link]] = {}
        for link in links:
            if link.router is not None and link.source in component and component.get(link.target) == component[link.source]:
                groups.setdefault((id(link.router[0]), link.source), []).append(link)
        if not groups:
            return links, True
        members: dict[int, list[Routine] | None] = {}
        functions: dict[str, Routine] = {}
        for name, number in component.items():
            node = nodes[name]
            found = self.resolve(node.action, node.scope) if node.action is not None else None
            known = members.setdefault(number, [])
            if isinstance(found, _FUNCTIONS):
                functions[name] = found
            if isinstance(found, _FUNCTIONS) and known is not None:
                known.append(found)
            elif found is None or isinstance(found, str) or self.made_here(node):
                members[number] = None  # a node whose code is not here (or is made) may reset the counter
        dropped: set[int] = set()
        clear = True
        for continuing in groups.values():
            first = continuing[0]
            assert first.router is not None
            router = self.resolve(*first.router)
            if not isinstance(router, _FUNCTIONS):
                continue  # a router of another module: linked later, judged by its edges
            loop = members[component[first.source]]
            if self._summed is None:
                self._summed = summed_keys(self.facts)
            guard = judge(
                self.facts, router, {link.label for link in continuing}, loop or [],
                _Starts(self.facts, self.writes(), {id(f) for f in loop or []}, self._summed),
                reading=LangGraphReading(self.facts, first.command, self._summed),
            )
            if guard.verdict is Verdict.BOUND and not self.counts_every_pass(guard, continuing, links, component, functions, first.command):
                guard = Guard(Verdict.UNCLEAR)  # the loop can come back past the guard without counting
            if guard.verdict is Verdict.BOUND and guard.passes is not None and loop is not None:
                for link in continuing:
                    link.max_traversals, link.bound_at = guard.passes, guard.at
            elif guard.verdict is not Verdict.NONE:
                dropped.update(id(link) for link in continuing)
                clear = False
        return [link for link in links if id(link) not in dropped], clear


def _skips(start: str, goal: str, successors: dict[str, set[str]], counting: set[str]) -> bool:
    """A way from ``start`` back to ``goal`` (inside their component) through no counting node."""
    if start in counting or goal in counting:
        return False
    seen, stack = {start}, [start]
    while stack:
        for target in successors.get(stack.pop(), ()):
            if target == goal:
                return True
            if target not in seen and target not in counting:
                seen.add(target)
                stack.append(target)
    return False


def _components(nodes: dict[str, Node], links: list[Link]) -> dict[str, int]:
    """Strongly connected components of the builder's nodes with a cycle through them."""
    graph = DiGraph()
    graph.add_nodes_from(nodes)
    for link in links:
        if link.source in nodes and link.target in nodes:
            graph.add_edge(link.source, link.target)
    out: dict[str, int] = {}
    for number, members in enumerate(strongly_connected_components(graph)):
        names = list(members)
        if len(names) > 1 or graph.has_edge(names[0], names[0]):
            out.update((name, number) for name in names)
    return out

