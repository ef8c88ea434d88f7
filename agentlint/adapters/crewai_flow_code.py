"""CrewAI Flows in Python -> one agent graph per ``Flow`` class.

``class F(Flow[State])`` whose methods carry ``@start()``, ``@start("label")``,
``@listen(method_or_label)``, ``@router(method)`` (conditions may nest ``or_``/``and_``) becomes
a GraphPart named ``<path>:<class>``. Each flow method is an Agent (``framework="crewai"``; a
method is any code, not an LLM call: ``settable`` is empty, as for LangGraph nodes). Edges
follow CrewAI's runtime (crewai/flow/flow.py, ``_execute_listeners``/``_find_triggered_methods``):

* a listener or router runs when a method it names completes: an edge from that method;
* a router's result is a label (its ``return "retry"``); listeners, routers and conditional
  starts naming the label run next: an edge from the router, located at its ``return``;
  start methods are re-run by router results only, never by a method's completion;
* the run starts at the start methods (several: a synthetic ``kickoff`` agent fans out to
  them); it can end after a method nothing listens to, or after a router that may return a
  label nobody listens to, ``None``, or nothing.

A router cycle is a loop. What bounds it is read from the router's code
(_code/crewai_flow_guards.py): a counter on the state compared with a limit, and incremented
in the loop, bounds the loop's routes (``max_traversals``); a guard the module does not state
the size of, or a decision it cannot read (a count of something else, a human's ``input()``),
is unknown: those routes are not drawn and the part is incomplete (no loop finding, and no
rule built on an edge's absence judges it). A router that only reads the model's verdict is
no bound: AL102 (AL101 when no label leaves the loop) judges it.

Run-level cap: CrewAI counts each listener's calls per kickoff and raises RecursionError above
``max_method_calls`` (added in crewai 1.10.1, default 100; none before: model.defaults
``crewai.flow_max_method_calls``). ``F(max_method_calls=N)`` in the module makes it explicit
when every instantiation of the class there states it. Crews kicked off inside flow methods
(``SomeCrew().crew().kickoff()``) are not linked to the flow's graph.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from agentlint.adapters._code.crewai_flow_guards import Verdict, judge, returns
from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import MISSING, FunctionNode, ModuleFacts, argument, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.digraph import DiGraph, strongly_connected_components
from agentlint.model.entities import Agent, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Span

FRAMEWORK = "crewai"
DEFAULT_CAP = "crewai.flow_max_method_calls"
_DECORATORS = frozenset({"start", "listen", "router", "human_feedback"})
_COMBINATORS = frozenset({"or_", "and_"})
_ENDS_RUN = frozenset({"exit", "quit", "sys.exit", "os._exit"})


def claims(path: str, text: str) -> bool:
    return path.endswith(".py") and "crewai" in text and "Flow" in text


def _crewai(facts: ModuleFacts, expr: ast.AST, names: frozenset[str]) -> str | None:
    """The CrewAI name ``expr`` refers to (``start``, ``Flow`` …) when it is one of ``names``."""
    qualname = facts.qualname(expr)
    if qualname is None or qualname.split(".", 1)[0] != "crewai":
        return None
    last = qualname.rsplit(".", 1)[-1]
    return last if last in names else None


@dataclass(slots=True)
class _Method:
    name: str
    node: FunctionNode
    start: bool = False
    router: bool = False
    human: bool = False  # @human_feedback: a person picks the outcome
    triggers: list[tuple[str, ast.AST]] = field(default_factory=list)
    labels: dict[str, ast.AST] = field(default_factory=dict)  # router result -> where it is returned
    ends: bool = False  # may return None (or nothing): no label follows
    decorator: ast.AST | None = None  # the @start(...) call


@dataclass(slots=True)
class _Route:
    source: str
    target: str
    kind: EdgeKind
    at: ast.AST
    label: str | None = None
    max_traversals: int | None = None
    bound_at: ast.AST | None = None


class _Flow:
    def __init__(self, facts: ModuleFacts, path: str, cls: ast.ClassDef, state: ast.expr | None, complete: bool) -> None:
        self.facts, self.path, self.cls, self.state = facts, path, cls, state
        self.complete = complete
        self.names = {s.name for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.methods: dict[str, _Method] = {}
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                method = self.method(stmt)
                self.methods.pop(stmt.name, None)  # a name defined twice: the last definition wins
                if method is not None:
                    self.methods[stmt.name] = method

    # -- reading ---------------------------------------------------------------------------
    def method(self, node: FunctionNode) -> _Method | None:
        found: _Method | None = None
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            kind = _crewai(self.facts, call.func if call is not None else decorator, _DECORATORS)
            if kind is None:
                continue
            found = found or _Method(node.name, node)
            if kind == "human_feedback":
                self.human_feedback(found, call)
                continue
            if call is None:
                self.complete = False  # a bare @listen: not a flow method CrewAI can run
                continue
            condition = argument(call, "condition", 0)
            if kind == "start":
                found.start, found.decorator = True, call
                if condition is MISSING or isinstance(condition, ast.Constant) and condition.value is None:
                    continue
            elif kind == "router":
                found.router = True
            if isinstance(condition, ast.expr):
                found.triggers.extend(self.triggers(condition))
            else:
                self.complete = False
        if found is None or not (found.start or found.triggers or found.router and not found.human):
            return None  # @human_feedback alone (or a bare decorator) makes no flow method
        if found.router and not found.human:
            self.results(found)
        return found

    def human_feedback(self, method: _Method, call: ast.Call | None) -> None:
        method.human = True
        emit = argument(call, "emit") if call is not None else MISSING
        if emit is MISSING:
            return  # no outcomes: the method is no router
        method.router = True
        value = self.facts.value(emit) if isinstance(emit, ast.expr) else None
        labels = value.value if isinstance(value, Static) and isinstance(value.value, (list, tuple)) else None
        if labels is None or not all(isinstance(label, str) for label in labels):
            self.complete = False
            return
        for label in labels:
            method.labels.setdefault(label, emit)  # type: ignore[arg-type]

    def triggers(self, expr: ast.expr) -> list[tuple[str, ast.AST]]:
        """The method names and labels a condition waits for (``or_``/``and_`` flattened)."""
        out: list[tuple[str, ast.AST]] = []
        stack: list[ast.expr] = [expr]
        while stack:
            item = stack.pop()
            if isinstance(item, ast.Call) and _crewai(self.facts, item.func, _COMBINATORS):
                if item.keywords or any(isinstance(a, ast.Starred) for a in item.args):
                    self.complete = False
                stack.extend(a for a in reversed(item.args) if not isinstance(a, ast.Starred))
                continue
            if isinstance(item, ast.Name) and item.id in self.names:
                out.append((item.id, item))
                continue
            value = self.facts.value(item)
            if isinstance(value, Static) and isinstance(value.value, str):
                out.append((value.value, item))
            else:
                self.complete = False  # a condition the module does not state
        return out

    def results(self, method: _Method) -> None:
        scope = self.facts.scope_of(method.node)
        for ret, _, _ in returns(method.node):
            value = self.facts.value(ret.value, scope) if ret.value is not None else Static(None)
            if isinstance(value, Static) and value.value is None:
                method.ends = True
            elif isinstance(value, Static) and isinstance(value.value, str):
                method.labels.setdefault(value.value, ret)
            else:
                self.complete = False  # a result the module does not state (an enum, a variable)
        if _may_fall_off(method.node.body, self.facts):
            method.ends = True

    def state_defaults(self) -> dict[str, int | None]:
        """The state model's static integer defaults (``retry_count: int = 0``)."""
        state = self.state
        for stmt in self.cls.body:
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "initial_state" for t in stmt.targets):
                state = stmt.value
        model = self.facts.classes.get(state.id) if isinstance(state, ast.Name) else None
        out: dict[str, int | None] = {}
        for stmt in model.body if model is not None else ():
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                value = stmt.value
                if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "Field":
                    default = argument(value, "default", 0)
                    value = default if isinstance(default, ast.expr) else None
                found = self.facts.value(value) if value is not None else None
                number = found.number() if isinstance(found, Static) else None
                out[stmt.target.id] = int(number) if number is not None and number == int(number) else None
        return out

    # -- the graph ---------------------------------------------------------------------------
    def routes(self) -> list[_Route]:
        emitted: dict[str, list[tuple[str, ast.AST]]] = {}
        for method in self.methods.values():
            for label, at in method.labels.items():
                emitted.setdefault(label, []).append((method.name, at))
        out: list[_Route] = []
        seen: set[tuple[str, str, str | None]] = set()
        for method in self.methods.values():
            for trigger, where in method.triggers:
                found: list[_Route] = []
                if not method.start and trigger in self.methods:
                    found.append(_Route(trigger, method.name, EdgeKind.SEQUENCE, where))
                for router, at in emitted.get(trigger, ()):
                    found.append(_Route(router, method.name, EdgeKind.HANDOFF, at, trigger))
                for route in found:
                    key = (route.source, route.target, route.label)
                    if key not in seen:
                        seen.add(key)
                        out.append(route)
        return out

    def bound(self, routes: list[_Route]) -> list[_Route]:
        """Read each router's guard on the routes that re-enter its loop; drop the routes of
        a loop whose bound is unknown (a missed loop, never an invented one)."""
        component = _components(list(self.methods), routes)
        members: dict[int, list[FunctionNode]] = {}
        for method in self.methods.values():
            members.setdefault(component[method.name], []).append(method.node)
        labelled: dict[str, list[_Route]] = {}
        for route in routes:
            if route.label is not None:
                labelled.setdefault(route.source, []).append(route)
        starts = self.state_defaults()
        dropped: set[int] = set()
        for router in self.methods.values():
            continuing = [r for r in labelled.get(router.name, ()) if component[r.target] == component[router.name]]
            if not router.router or not continuing:
                continue
            loop = members[component[router.name]]
            guard = judge(self.facts, router.node, {r.label for r in continuing if r.label}, loop, starts, router.human)
            if guard.verdict is Verdict.BOUND and guard.passes is not None:
                for route in continuing:
                    route.max_traversals, route.bound_at = guard.passes, guard.at
            elif guard.verdict is not Verdict.NONE:
                dropped.update(id(route) for route in continuing)
                self.complete = False
        return [route for route in routes if id(route) not in dropped]

    def part(self) -> GraphPart:
        facts, cls = self.facts, self.cls
        graph = f"{self.path}:{cls.name}"
        base = NodeRef(self.path, ("flow", cls.name))
        all_routes = self.routes()
        routes = self.bound(all_routes)
        agents = [self.agent(m, base, graph) for m in self.methods.values()]
        starts = [m for m in self.methods.values() if m.start]
        kickoff = "kickoff" if "kickoff" not in self.methods else "__kickoff__"
        entry = starts[0].name if len(starts) == 1 else kickoff if starts else None
        if len(starts) > 1:  # all start methods run at kickoff (since 1.10 the conditional ones only when no other)
            agents.insert(0, Agent(base.child("kickoff"), _name_span(facts, cls), (), kickoff, graph, FRAMEWORK, settable=frozenset()))
            routes = [_Route(kickoff, m.name, EdgeKind.SEQUENCE, m.decorator or m.node) for m in starts] + routes
        edges = []
        counts: dict[str, int] = {}
        for route in routes:
            label = f"{route.source}->{route.target}"
            counts[label] = counts.get(label, 0) + 1
            ref = base.child("edges", label if counts[label] == 1 else f"{label}#{counts[label]}")
            condition = f"{route.source} returns {route.label!r}" if route.label is not None else None
            fields = (("max_traversals", facts.span(route.bound_at)),) if route.bound_at is not None else ()
            edges.append(Edge(ref, facts.span(route.at), fields, route.source, route.target, route.kind, graph, condition, route.max_traversals))
        turn_limit, unstated, at = self.cap()
        return GraphPart(
            base, _name_span(facts, cls), (("turn_limit", facts.span(at)),) if at is not None else (), graph,
            entry=entry, terminals=self.terminals(all_routes), agents=tuple(agents), edges=tuple(edges), framework=FRAMEWORK,
            turn_limit=turn_limit, turn_limit_default=None if turn_limit is not None or unstated else DEFAULT_CAP,
            turn_limit_unstated=unstated, turn_limit_setting="max_method_calls" if turn_limit is not None else None,
            entry_declarable=bool(starts), complete=self.complete,
        )

    def terminals(self, routes: list[_Route]) -> tuple[str, ...]:
        """Methods after which the run can end (judged on every route, drawn or not)."""
        followed = {r.source for r in routes if r.label is None}
        heard = {(r.source, r.label) for r in routes if r.label is not None}
        sources = {r.source for r in routes}
        out = []
        for method in self.methods.values():
            if method.name in followed:
                continue
            if not method.router and method.name not in sources:
                out.append(method.name)
            elif method.router and (method.ends or any((method.name, label) not in heard for label in method.labels)):
                out.append(method.name)
        return tuple(out)

    def cap(self) -> tuple[int | None, bool, ast.AST | None]:
        """(max_method_calls every instantiation states, whether one is set to an unstated
        value, where): ``F(max_method_calls=20)``; one instantiation without it runs on the default."""
        stated: list[tuple[int, ast.AST]] = []
        unknown = False
        calls = [site for site in self.facts.calls if isinstance(site.call.func, ast.Name) and site.call.func.id == self.cls.name]
        for site in calls:
            found = argument(site.call, "max_method_calls")
            if found is MISSING:
                return None, False, None
            value = self.facts.value(found, site.scope) if isinstance(found, ast.expr) else None
            number = value.number() if isinstance(value, Static) else None
            if number is None or number != int(number) or number < 1 or not isinstance(found, ast.expr):
                unknown = True
                continue
            stated.append((int(number), found))
        if not calls:
            return None, False, None
        if unknown:
            return None, True, None
        value, at = max(stated, key=lambda item: item[0])
        return value, False, at

    def agent(self, method: _Method, base: NodeRef, graph: str) -> Agent:
        return Agent(base.child("methods", method.name), _name_span(self.facts, method.node), (), method.name, graph, FRAMEWORK,
                     settable=frozenset())


def _name_span(facts: ModuleFacts, node: ast.ClassDef | FunctionNode) -> Span:
    """Where the ``def``/``class`` statement names it."""
    module = facts.module
    keyword = "class " if isinstance(node, ast.ClassDef) else "async def " if isinstance(node, ast.AsyncFunctionDef) else "def "
    line = module.lines[node.lineno - 1] if 0 < node.lineno <= len(module.lines) else ""
    column = line.find(node.name, node.col_offset)
    if not line.startswith(keyword, node.col_offset) or column < 0:
        return facts.span(node)
    start = module.pos(node.lineno, len(line[:column].encode()))
    return Span(start, module.pos(node.lineno, len(line[: column + len(node.name)].encode())))


def _may_fall_off(body: list[ast.stmt], facts: ModuleFacts) -> bool:
    """The statements can complete without a return or raise (the router then returns None);
    an ``if``/``elif`` chain is followed branch by branch, without recursion."""
    stack = [body]
    while stack:
        statements = stack.pop()
        if not statements:
            return True
        last = statements[-1]
        if isinstance(last, ast.If):
            stack.extend((last.body, last.orelse))
        elif isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and (facts.qualname(last.value.func) or "") in _ENDS_RUN:
            continue
        elif not isinstance(last, (ast.Return, ast.Raise)):
            return True
    return False


def _components(names: list[str], routes: list[_Route]) -> dict[str, int]:
    """Strongly connected components: name -> component number. A route joins two methods of
    one component only when it lies on a cycle (a self-loop included)."""
    graph = DiGraph()
    graph.add_nodes_from(names)
    for route in routes:
        if route.source in graph and route.target in graph:
            graph.add_edge(route.source, route.target)
    return {name: number for number, component in enumerate(strongly_connected_components(graph)) for name in component}


def _flows(facts: ModuleFacts) -> list[tuple[ast.ClassDef, ast.expr | None, bool]]:
    """(class, its state type, whether it derives from Flow alone) for each Flow subclass."""
    out = []
    for cls in facts.classes.values():
        state: ast.expr | None = None
        flow = False
        others = False
        for base in cls.bases:
            target = base.value if isinstance(base, ast.Subscript) else base
            if _crewai(facts, target, frozenset({"Flow"})):
                flow = True
                state = base.slice if isinstance(base, ast.Subscript) else None
            elif not (isinstance(target, ast.Name) and target.id in ("Generic", "object")):
                others = True  # a mixin may hold flow methods of its own
        if flow:
            out.append((cls, state, not others and not cls.keywords))
    return out


def adapt(loaded: LoadedFile) -> Adapted:
    out = Adapted()
    facts = facts_of(loaded)
    if facts is None:
        return out
    for cls, state, complete in _flows(facts):
        flow = _Flow(facts, loaded.path, cls, state, complete)
        if flow.methods:
            out.parts.append(flow.part())
    return out


ADAPTER = Adapter("crewai-flow-code", frozenset({Syntax.PYTHON}), claims, adapt)
