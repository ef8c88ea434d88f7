"""LangGraph code (``StateGraph`` builders and prebuilt agents) -> neutral graph entities.

Each builder becomes one GraphPart named ``<path>:<variable>`` after the variable holding the
compiled graph (``graph = builder.compile()``), else the builder's own variable, so that
``agentlint graph`` and langgraph.json entries (``./src/agent/graph.py:graph``) name it the
same way. Nodes are Agents (``framework="langgraph"``; a node is any function, not
necessarily an LLM call, so missing-timeout/-retry are not expected of it: ``settable`` is
empty, explicit ``RetryPolicy``/``timeout`` values are recorded). ``START``/``END`` become the
entry and the terminals; nodes with no way out end the run, so they are terminals too.

Run-level bound: ``recursion_limit`` from ``invoke/stream/…(config=…)`` and
``.with_config(…)`` on the compiled graph. A limit the code sets to a value it does not state
(``cfg.limit``, a config passed in) is a bound of unknown size: ``turn_limit_unstated``, which
no rule judges too high and no rule reports as missing. Without any, the pinned langgraph
version's default applies (``langgraph.recursion_limit``).

A loop's own bound is read from its code (_code/langgraph_guards.py): a route into the loop
taken only while a state counter that a node of the loop increments is below a limit
(``state.get("attempts", 0) < 4``) has ``max_traversals`` (the passes it allows); a guard the
code does not make clear drops the loop's routes and marks the part incomplete.

Names imported from other project modules (node functions, graphs invoked elsewhere) are
emitted as link facts and resolved by ``model.code_link`` once every file is read. Anything
the adapter cannot read marks the part incomplete (``GraphPart.complete``).
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field

from agentlint.adapters._code.evaluate import Unknown
from agentlint.adapters._code.langgraph_guards import LoopGuards
from agentlint.adapters._code.langgraph_graph import WRAPPERS, Builder, BuilderReader, Link, Node
from agentlint.adapters._code.langgraph_nodes import NodeResolver
from agentlint.adapters._code.langgraph_limits import INVOKE, Limit, config_limit, keyword_limit, node_timeout, retry_attempts
from agentlint.adapters._code.langgraph_prebuilt import Prebuilt, read_prebuilt
from agentlint.adapters._code.langgraph_routes import END, START, Routes, router_targets
from agentlint.adapters._code.scope import FunctionScope, ModuleFacts, argument, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.code_link import FunctionRoutes, GraphRun, GraphSymbol, NodeFunction
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Span

FRAMEWORK = "langgraph"


def claims(path: str, text: str) -> bool:
    return path.endswith(".py") and ("langgraph" in text or "langchain.agents" in text)


@dataclass(slots=True)
class _Graph:
    """A graph value of the module (a builder or a prebuilt agent) and what names and bounds it."""

    target: Builder | Prebuilt
    module_vars: list[str] = field(default_factory=list)
    scope_vars: list[str] = field(default_factory=list)
    limits: list[Limit] = field(default_factory=list)
    node: str | None = None  # the node it is in a parent graph of this module (a subgraph)


class _Module:
    def __init__(self, loaded: LoadedFile, facts: ModuleFacts) -> None:
        self.loaded = loaded
        self.facts = facts
        self.path = loaded.path
        self.reader = BuilderReader(facts)
        self.builders = self.reader.read()
        self.prebuilt = read_prebuilt(facts, self.reader)
        self.graphs: dict[int, _Graph] = {}
        for target in [*self.builders, *self.prebuilt]:
            self.graphs[id(target)] = _Graph(target)
        self.out = Adapted()
        self.nodes = NodeResolver(facts, self.reader, loaded.text)
        self.guards = LoopGuards(facts, self.nodes.function)

    # -- which graph an expression holds -------------------------------------------------
    def graph_of(self, expr: ast.AST, scope: FunctionScope | None, depth: int = 0) -> _Graph | None:
        if depth > 12:
            return None
        if isinstance(expr, ast.Call):
            func = expr.func
            for target in self.prebuilt:
                if target.call is expr:
                    return self.graphs[id(target)]
            if isinstance(func, ast.Attribute) and func.attr == "compile":
                builder = self.reader.builder_of(func.value, scope)
                if builder is not None:
                    return self.graphs.get(id(builder))
                return self.graph_of(func.value, scope, depth + 1)  # create_supervisor(...).compile()
            if isinstance(func, ast.Attribute) and func.attr in WRAPPERS:
                return self.graph_of(func.value, scope, depth + 1)
            if isinstance(func, ast.Name) and func.id in self.facts.functions:
                function = self.facts.functions[func.id]
                inner = self.facts.scope_of(function)
                for stmt in ast.walk(function):
                    if isinstance(stmt, ast.Return) and stmt.value is not None:
                        found = self.graph_of(stmt.value, inner, depth + 1)
                        if found is not None:
                            return found
            return None
        if isinstance(expr, ast.Name):
            bound, where = self.reader.binding(expr.id, scope)
            return self.graph_of(bound, where, depth + 1) if bound is not None else None
        return None

    def name_graphs(self) -> None:
        for name, value in self.facts.bindings.items():
            found = self.graph_of(value, None) if value is not None else None
            if found is not None:
                found.module_vars.append(name)
        for graph in self.graphs.values():
            scope = graph.target.scope
            if scope is not None:
                graph.scope_vars = [n for n, v in scope.bindings.items() if v is not None and self.graph_of(v, scope) is graph]

    def graph_name(self, graph: _Graph) -> str:
        variable = graph.target.variable
        if isinstance(graph.target, Prebuilt) and graph.target.kind in ("supervisor", "swarm"):
            # create_supervisor(...) returns a builder: the variable that compiles it names the graph
            bound = {**self.facts.bindings, **(graph.target.scope.bindings if graph.target.scope else {})}
            variable = next((n for n, v in bound.items() if v is graph.target.call), None)
        names = [n for n in graph.module_vars if n != variable] or [n for n in graph.scope_vars if n != variable]
        chosen = names[0] if names else variable or (graph.module_vars or graph.scope_vars or [None])[0]
        return f"{self.path}:{chosen or graph.node or f'line{graph.target.call.lineno}'}"

    def unique_names(self) -> dict[int, str]:
        """Each graph's name; graphs of different functions that bind the same variable (a sync
        and an async variant, test after test) are told apart by their function, then by line:
        one graph per builder, never one graph of all their nodes (duplicate agents, AL108)."""
        names = {id(graph): self.graph_name(graph) for graph in self.graphs.values()}
        for rename in (self._in_function, self._at_line):
            counts = Counter(names.values())
            for graph in self.graphs.values():
                if counts[names[id(graph)]] > 1:
                    names[id(graph)] = rename(graph, names[id(graph)])
        return names

    def _in_function(self, graph: _Graph, name: str) -> str:
        scope = graph.target.scope
        if scope is None or graph.module_vars:
            return name  # a module's graph keeps its name (langgraph.json and imports name it)
        return f"{self.path}:{scope.node.name}.{name[len(self.path) + 1 :]}"

    def _at_line(self, graph: _Graph, name: str) -> str:
        return name if graph.module_vars else f"{name}@{graph.target.call.lineno}"

    def subgraphs(self) -> None:
        """A graph added as a node of another runs under the parent's config: the parent's
        recursion_limit bounds it when it sets none of its own."""
        for parent in list(self.graphs.values()):
            target = parent.target
            if isinstance(target, Builder):
                members = [(n.name, n.action, n.scope) for n in target.nodes.values() if n.action is not None]
            else:
                members = [(None, e, target.scope) for e in target.member_exprs]
            for node, action, scope in members:
                child = self.graph_of(action, scope)
                if child is None or child is parent:
                    continue
                child.node = child.node or node
                if not child.limits:
                    child.limits = list(parent.limits)

    # -- bounds ----------------------------------------------------------------------------
    def read_limits(self) -> None:
        for site in self.facts.calls:
            func = site.call.func
            if not isinstance(func, ast.Attribute) or func.attr not in INVOKE and func.attr != "with_config":
                continue
            limit = self._limit(site.call, func.attr, site.scope)
            graph = self.graph_of(func.value, site.scope)
            if graph is not None:
                if limit is not None:
                    graph.limits.append(limit)
            elif limit is not None and isinstance(func.value, ast.Name) and func.value.id in self.facts.imports:
                symbol = self.facts.imports[func.value.id]
                value, span, _ = limit
                self.out.entities.append(
                    GraphRun(NodeRef(self.path, ("runs", symbol, site.call.lineno)), span, (), symbol, value)
                )

    def _limit(self, call: ast.Call, method: str, scope: FunctionScope | None) -> Limit | None:
        if method == "with_config":
            for keyword in call.keywords:
                if keyword.arg == "recursion_limit":
                    return keyword_limit(keyword, self.facts, scope)
        config = argument(call, "config", 0 if method == "with_config" else 1)
        if isinstance(config, ast.expr):
            return config_limit(config, self.facts, scope)
        return Limit(None, self.facts.span(call)) if isinstance(config, Unknown) else None  # **kwargs may pass one

    # -- emitting ----------------------------------------------------------------------------
    def adapt(self) -> Adapted:
        self.function_routes()
        self.name_graphs()
        self.read_limits()
        self.subgraphs()
        names = self.unique_names()
        for graph in self.graphs.values():
            name = names[id(graph)]
            for variable in graph.module_vars:
                symbol = f"{self.facts.key}.{variable}"
                self.out.entities.append(GraphSymbol(NodeRef(self.path, ("symbols", variable)), self.facts.span(graph.target.call), (), symbol, name))
            if isinstance(graph.target, Builder):
                self.out.parts.append(self.builder_part(graph, name))
            else:
                self.out.parts.append(graph.target.part(self.path, name, *self.turn_limit(graph)))
        return self.out

    def function_routes(self) -> None:
        """What each function of the module routes to, for graphs of other modules: as a node
        (Command) and as a router (the names it returns)."""
        for name, function in self.facts.functions.items():
            routes = self.nodes.routes_of(function)
            if not routes.commands and self.nodes.mentions_command(function):
                routes = Routes((), False, True)  # a factory of Command-routing nodes: unknown routes
            # routers are exported by modules of nodes and edges, not by the module that builds
            returns = router_targets(function, self.facts) if not routes.commands and not self.graphs else None
            if routes.commands or returns is not None:
                at = function.returns if function.returns is not None else function
                self.out.entities.append(
                    FunctionRoutes(
                        NodeRef(self.path, ("functions", name)), self.facts.span(at), (), f"{self.facts.key}.{name}",
                        routes.targets, routes.known, tuple(self.facts.span(w) for w in routes.where), returns,
                    )
                )

    def turn_limit(self, graph: _Graph) -> tuple[int | None, bool, tuple[tuple[str, Span], ...]]:
        """(the highest stated limit or None, whether a limit is written at all, its field)."""
        if not graph.limits:
            return None, False, ()
        stated = [limit for limit in graph.limits if limit[0] is not None]
        value, span = max(stated, key=lambda item: item[0] or 0)[:2] if stated else (None, graph.limits[0][1])
        return value, True, (("turn_limit", span),)

    @staticmethod
    def turn_limit_symbol(graph: _Graph) -> str | None:
        """The one constant of another module that every written limit names, if that is what
        all of them are (``recursion_limit=settings.MAX_STEPS``): resolved after all modules."""
        symbols = {limit.symbol for limit in graph.limits}
        return symbols.pop() if len(symbols) == 1 and None not in symbols else None

    def builder_part(self, graph: _Graph, name: str) -> GraphPart:
        builder = graph.target
        assert isinstance(builder, Builder)
        key = name.rsplit(":", 1)[-1]
        base = NodeRef(self.path, ("graph", key))
        complete = builder.complete
        links = list(builder.links)
        agents: list[Agent] = []
        pending: set[str] = set()
        for node in builder.nodes.values():
            agents.append(self.agent(node, base, name))
            routes = self.nodes.node_routes(node, builder)
            if isinstance(routes, str):
                pending.add(node.name)
                continue
            if routes is None or not routes.known:
                complete = False
            if routes is None:
                continue
            for index, target in enumerate(routes.targets):
                at = self.facts.span(routes.where[index]) if index < len(routes.where) else node.span
                links.append(Link(node.name, target, at, f"Command(goto={target!r})", router=(node.action, node.scope), label=target, command=True))
        routed: list[tuple[str, str, Span]] = []  # (source, router symbol, span) resolved across modules
        for source, path, span, scope in builder.routers:
            found = self.nodes.function(path, scope)
            if isinstance(found, str):
                routed.append((source, found, span))
                continue
            targets = self.nodes.router(path, scope)
            if targets is None:
                complete = False
                continue
            for target in targets:
                links.append(Link(source, target, span, f"{self.facts.module.segment(path)} returns {target!r}", router=(path, scope), label=target))
        links, clear = self.guards.bound(links, builder.nodes)
        complete = complete and clear
        starts = [link for link in links if link.source == START]
        entry = None
        if len(starts) == 1 and starts[0].condition is None:
            entry = starts[0].target
            links.remove(starts[0])
            refs = [AgentReference(base.child("entry"), starts[0].span, (), entry, name, "entry")]
        else:
            refs = []
            if starts:
                entry = START
                agents.append(Agent(base.child("nodes", START), self.facts.span(builder.call), (), START, name, FRAMEWORK, settable=frozenset()))
        edges, terminals = [], []
        seen: dict[str, int] = {}
        for link in links:
            if link.target == END:
                terminals.append(link.source)
                refs.append(AgentReference(base.child("finish", link.source), link.span, (), link.source, name, "terminal"))
                continue
            label = f"{link.source}->{link.target}"
            seen[label] = seen.get(label, 0) + 1
            ref = base.child("edges", label if seen[label] == 1 else f"{label}#{seen[label]}")
            kind = EdgeKind.SEQUENCE if link.condition is None else EdgeKind.HANDOFF
            fields = (("max_traversals", self.facts.span(link.bound_at)),) if link.bound_at is not None else ()
            edges.append(Edge(ref, link.span, fields, link.source, link.target, kind, name, link.condition, link.max_traversals))
            refs.append(AgentReference(ref.child("source"), link.span, (), link.source, name, "edge source"))
            refs.append(AgentReference(ref.child("target"), link.target_span or link.span, (), link.target, name, "edge target"))
        # a node whose only way out is to a node never added is not a dead end: undefined-agent
        # reports the edge, and the node is not blamed for not finishing
        sources = {e.source for e in edges if e.target in builder.nodes} | set(terminals) | {s for s, _, _ in routed}
        for node in builder.nodes.values():
            if node.name not in sources and node.name not in pending:
                terminals.append(node.name)
        for node in builder.nodes.values():
            if node.name in pending:
                self.out.entities.append(
                    NodeFunction(base.child("nodes", node.name), node.span, (), name, node.name, self.nodes.pending_symbol(node), node.name not in sources)
                )
        for source, symbol, span in routed:
            self.out.entities.append(NodeFunction(base.child("routers", source, symbol), span, (), name, source, symbol, False, router=True))
        turn_limit, written, fields = self.turn_limit(graph)
        return GraphPart(
            base,
            self.facts.span(builder.call),
            fields,
            name,
            entry=entry,
            terminals=tuple(dict.fromkeys(terminals)),
            agents=tuple(agents),
            edges=tuple(edges),
            references=tuple(refs),
            framework=FRAMEWORK,
            turn_limit=turn_limit,
            turn_limit_unstated=written and turn_limit is None,
            turn_limit_symbol=self.turn_limit_symbol(graph) if written and turn_limit is None else None,
            turn_limit_default=None if written else "langgraph.recursion_limit",
            turn_limit_setting="recursion_limit" if written else None,
            complete=complete,
        )

    def agent(self, node: Node, base: NodeRef, graph: str) -> Agent:
        fields: list[tuple[str, Span]] = []
        attempts = timeout = None
        if node.call is not None:
            retry = retry_attempts(node.call, self.facts, node.scope)
            if retry is not None:
                attempts = retry[0]
                fields.append(("max_attempts", retry[1]))
            limit = node_timeout(node.call, self.facts, node.scope)
            if limit is not None:
                timeout = limit[0]
                fields.append(("timeout_seconds", limit[1]))
        return Agent(
            base.child("nodes", node.name), node.span, tuple(fields), node.name, graph, FRAMEWORK,
            timeout_seconds=timeout, max_attempts=attempts, settable=frozenset(),
        )

    # -- where a node's own code routes --------------------------------------------------------
def adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    if facts is None:
        return Adapted()
    return _Module(loaded, facts).adapt()


ADAPTER = Adapter("langgraph-code", frozenset({Syntax.PYTHON}), claims, adapt)
