"""Linking code-defined graphs across Python modules, after every file is adapted.

Adapters read one file at a time. A LangGraph graph in ``graph.py`` whose nodes are functions
imported from ``nodes.py`` only learns where those nodes route (``Command(goto=…)``,
``-> Command[Literal[…]]``) from ``nodes.py``; a graph compiled in ``graph.py`` and invoked
with ``config={"recursion_limit": 50}`` in ``main.py`` only gets its bound from ``main.py``.
Each module emits facts as entities (``FunctionRoutes``, ``NodeFunction``, ``GraphSymbol``,
``GraphRun``) keyed by dotted qualified names; ``link_code`` turns them into extra GraphParts
of the graphs they concern (parts with one name merge), pure and linear.

A symbol matches a definition when it is the same dotted name, or a suffix of it on a dot
(``research.nodes.critic`` written in ``from research.nodes import critic`` matches the
function defined in ``src/research/nodes.py``). Two candidates: ambiguous, so the graph is
marked incomplete rather than guessed. A function no adapted module defines routes nowhere
by Command: a module that returns ``Command`` imports langgraph, so it is read.

Agents that other agents name across modules (ADK's ``sub_agents=[critic_agent]`` with
``from .sub_agents.critic import critic_agent``) are parts whose aliases say
``py:<module>.<variable>``; a part naming ``py:<imported symbol>`` is resolved here to the one
alias that defines it (the same name, a suffix of it on a dot, or a package that re-exports a
name of one of its modules, ``sub_agents.critic`` for ``sub_agents.critic.agent``), before the
Project joins parts by aliases. An imported agent no read module defines (or two do) is no
node and no edge: the part is marked incomplete. A part that another part runs is not an entry.
An agent that other modules name only as a ``STEP`` (a step of an ADK SequentialAgent,
LoopAgent or ParallelAgent, which never reads its description) needs no role: ``role`` leaves
its settable fields; one any other reference names (a parent LlmAgent, an AgentTool) keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from agentlint.model.entities import AgentReference, Edge, EdgeKind, GraphPart, Located, reference_names
from agentlint.model.source import Span

END = "__end__"


@dataclass(frozen=True, slots=True)
class FunctionRoutes(Located):
    """A function that routes on its own with ``Command``: where to (END as ``__end__``)."""

    symbol: str  # src.research.nodes.critic
    targets: tuple[str, ...]
    known: bool  # False: some goto is not stated statically
    spans: tuple[Span, ...] = ()  # per target, where the function names it
    returns: tuple[str, ...] | None = None  # as a conditional-edge router: the names it returns


@dataclass(frozen=True, slots=True)
class NodeFunction(Located):
    """A graph node whose function is imported from another module (span: the add_node call)."""

    graph: str
    node: str
    symbol: str
    dead_end: bool  # no static edge leaves the node: it ends the run unless the function routes
    router: bool = False  # the function is the node's add_conditional_edges router, not the node


@dataclass(frozen=True, slots=True)
class GraphSymbol(Located):
    """The module-level variable that holds a compiled graph: ``src.research.graph.graph``."""

    symbol: str
    graph: str


@dataclass(frozen=True, slots=True)
class GraphRun(Located):
    """``graph.invoke(…, config={"recursion_limit": N})`` on a graph of another module;
    ``limit`` None with ``explicit`` True: a value the code does not state statically."""

    symbol: str
    limit: int | None
    explicit: bool = True
    setting: str = "recursion_limit"


@dataclass(slots=True)
class _Extra:
    part: GraphPart
    edges: list[Edge] = field(default_factory=list)
    references: list[AgentReference] = field(default_factory=list)
    terminals: list[str] = field(default_factory=list)
    complete: bool = True
    limits: list[tuple[int | None, GraphRun]] = field(default_factory=list)


def _match(symbol: str, table: dict[str, list]) -> list:
    if symbol in table:
        return table[symbol]
    tail = "." + symbol
    return [item for key, items in table.items() if key.endswith(tail) for item in items]


PY = "py:"
CODE = "code:"
STEP = "step"  # AgentReference.context of a workflow step, whose role its parent never reads


def _symbol_index(parts: list[GraphPart]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Defined ``py:`` aliases by their last name: (as defined, as a package re-exports them)."""
    defined: dict[str, list[str]] = {}
    exported: dict[str, list[str]] = {}
    for part in parts:
        for alias, _ in part.aliases:
            if alias.startswith(PY):
                module, _, name = alias[len(PY):].rpartition(".")
                defined.setdefault(name, []).append(alias[len(PY):])
                package = module.rpartition(".")[0]
                if package:
                    exported.setdefault(name, []).append(f"{package}.{name}|{alias[len(PY):]}")
    return defined, exported


def _resolve(symbol: str, defined: dict[str, list[str]], exported: dict[str, list[str]]) -> str | None:
    name = symbol.rpartition(".")[2]
    tail = "." + symbol
    found = {d for d in defined.get(name, ()) if d == symbol or d.endswith(tail)}
    if not found:
        for entry in exported.get(name, ()):
            public, _, real = entry.partition("|")
            if public == symbol or public.endswith(tail):
                found.add(real)
    return PY + found.pop() if len(found) == 1 else None


def link_symbols(parts: list[GraphPart]) -> list[GraphPart]:
    """Resolve ``py:`` names of agents across modules; clear the entry of parts another runs."""
    if not any(alias.startswith((PY, CODE)) for part in parts for alias, _ in part.aliases):
        return parts
    defined, exported = _symbol_index(parts)
    memo: dict[str, str | None] = {}

    def resolve(name: str) -> str | None:
        if not name.startswith(PY):
            return name
        if name not in memo:
            memo[name] = _resolve(name[len(PY):], defined, exported)
        return memo[name]

    out: list[GraphPart] = []
    for part in parts:
        if not any(name.startswith(PY) for name in reference_names(part.references)):
            out.append(part)
            continue
        edges = tuple(replace(e, source=resolve(e.source) or "", target=resolve(e.target) or "") for e in part.edges)
        kept = tuple(e for e in edges if e.source and e.target)
        references = tuple(replace(r, name=resolve(r.name) or "") for r in part.references)
        terminals = tuple(t for t in (resolve(t) for t in part.terminals) if t)
        entry = resolve(part.entry) if part.entry is not None else None
        lost = len(kept) < len(edges) or any(not r.name for r in references) or (part.entry is not None and entry is None)
        out.append(replace(part, edges=kept, references=tuple(r for r in references if r.name), terminals=terminals,
                           entry=entry, complete=part.complete and not lost))
    out = _unread_roles(out)
    out = _import_participants(out)
    referenced = {name for part in out for name in reference_names(part.references)}
    return [
        replace(part, entry=None)
        if part.entry is not None and any(alias in referenced for alias, _ in part.aliases if alias.startswith((PY, CODE)))
        else part
        for part in out
    ]


def _unread_roles(parts: list[GraphPart]) -> list[GraphPart]:
    """Agents named across modules only as workflow steps: ``role`` is not settable."""
    read: dict[str, bool] = {}
    for part in parts:
        if not any(name.startswith(PY) for name in reference_names(part.references)):
            continue
        for reference in part.references:
            if reference.name.startswith(PY):
                read[reference.name] = read.get(reference.name, False) or reference.context != STEP
    unread = {alias for alias, was_read in read.items() if not was_read}
    if not unread:
        return parts
    out = []
    for part in parts:
        names = {agent for alias, agent in part.aliases if alias in unread}
        if not names:
            out.append(part)
            continue
        agents = tuple(replace(a, settable=a.settable - {"role"}) if a.name in names and a.settable is not None else a
                       for a in part.agents)
        out.append(replace(part, agents=agents))
    return out


def _import_participants(parts: list[GraphPart]) -> list[GraphPart]:
    """A team member defined in another module (AutoGen: ``from .agents import writer``) joins
    the team by copy: one agent may sit in several teams, which stay separate graphs. The lone
    part that defined it is dropped; its model and prompt are judged in the first copy only."""
    owner: dict[str, tuple[int, str]] = {}
    for index, part in enumerate(parts):
        for alias, agent in part.aliases:
            if alias.startswith(PY):
                owner.setdefault(alias, (index, agent))
    consumed: set[int] = set()
    out: list[GraphPart] = []
    for part in parts:
        if not any(name in owner for name in reference_names(part.references)):
            out.append(part)
            continue
        members = [r for r in part.references if r.context == "participant" and r.name in owner]
        if not members:
            out.append(part)
            continue
        agents, rename = list(part.agents), {}
        for reference in members:
            index, name = owner[reference.name]
            found = next((a for a in parts[index].agents if a.name == name), None)
            if found is None:
                continue
            copy = replace(found, graph=part.name)
            if index in consumed:
                copy = replace(copy, model=None, prompt=None, fields=tuple(f for f in copy.fields if f[0] not in ("model", "prompt")))
            consumed.add(index)
            rename[reference.name] = name
            if all(a.name != name for a in agents):
                agents.append(copy)

        def new(name: str) -> str:
            return rename.get(name, name)

        out.append(replace(
            part, agents=tuple(agents), entry=new(part.entry) if part.entry else None, terminals=tuple(new(t) for t in part.terminals),
            edges=tuple(replace(e, source=new(e.source), target=new(e.target)) for e in part.edges),
            references=tuple(r for r in part.references if r.name not in rename),
        ))
    return [part for index, part in enumerate(out) if index not in consumed]


def link_code(parts: list[GraphPart], entities: list) -> list[GraphPart]:
    parts = link_symbols(parts)
    uses = [e for e in entities if isinstance(e, NodeFunction)]
    runs = [e for e in entities if isinstance(e, GraphRun)]
    if not uses and not runs:
        return parts
    routes: dict[str, list[FunctionRoutes]] = {}
    graphs: dict[str, list[GraphSymbol]] = {}
    for entity in entities:
        if isinstance(entity, FunctionRoutes):
            routes.setdefault(entity.symbol, []).append(entity)
        elif isinstance(entity, GraphSymbol):
            graphs.setdefault(entity.symbol, []).append(entity)
    first = {}
    for part in parts:
        first.setdefault(part.name, part)
    extras: dict[str, _Extra] = {}

    def extra(graph: str, at: Located) -> _Extra | None:
        if graph not in first:
            return None
        if graph not in extras:
            base = first[graph]
            extras[graph] = _Extra(GraphPart(at.ref, at.span, (), graph, framework=base.framework))
        return extras[graph]

    for use in uses:
        found = _match(use.symbol, routes)
        into = extra(use.graph, use)
        if into is None:
            continue
        if use.router:
            _route(use, found, into)
            continue
        if len(found) > 1 or (found and not found[0].known):
            into.complete = False
            continue
        targets = found[0].targets if found else ()
        for index, target in enumerate(targets):
            if target == END:
                into.terminals.append(use.node)
                continue
            # written in the function's module: the edge and its name point there
            source = found[0]
            ref = source.ref.child("goto", use.graph, use.node, target)
            span = source.spans[index] if index < len(source.spans) else source.span
            into.edges.append(Edge(ref, span, (), use.node, target, EdgeKind.HANDOFF, use.graph, f"Command(goto={target!r})"))
            into.references.append(AgentReference(ref.child("target"), span, (), target, use.graph, "edge target"))
        if use.dead_end and not [t for t in targets if t != END]:
            into.terminals.append(use.node)
    for run in runs:
        found = _match(run.symbol, graphs)
        if len(found) != 1:
            continue
        into = extra(found[0].graph, run)
        if into is not None:
            into.limits.append((run.limit, run))
    if not extras:
        return parts
    out = list(parts)
    for graph, item in sorted(extras.items()):
        limit, run = _strongest(item.limits)
        part = GraphPart(
            run.ref if run is not None else item.part.ref,
            run.span if run is not None else item.part.span,
            (("turn_limit", run.span),) if run is not None else (),
            graph,
            terminals=tuple(dict.fromkeys(item.terminals)),
            edges=tuple(item.edges),
            references=tuple(item.references),
            framework=item.part.framework,
            turn_limit=limit,
            turn_limit_unstated=limit is None and run is not None,
            turn_limit_setting=run.setting if run is not None else None,
            complete=item.complete,
        )
        out.append(part)
    return out


def _route(use: NodeFunction, found: list[FunctionRoutes], into: _Extra) -> None:
    """A router imported from another module: an edge to each name it returns; a router that
    no module read defines, or whose names are not all stated, leaves the graph incomplete."""
    if len(found) != 1 or found[0].returns is None:
        into.complete = False
        return
    for target in found[0].returns:
        if target == END:
            into.terminals.append(use.node)
            continue
        ref = use.ref.child(target)
        condition = f"{use.symbol.rsplit('.', 1)[-1]} returns {target!r}"
        into.edges.append(Edge(ref, use.span, (), use.node, target, EdgeKind.HANDOFF, use.graph, condition))
        into.references.append(AgentReference(ref.child("target"), use.span, (), target, use.graph, "edge target"))


def _strongest(limits: list[tuple[int | None, GraphRun]]) -> tuple[int | None, GraphRun | None]:
    """The explicit limit that bounds the graph's runs: the highest stated one (the worst case),
    else (None, the run) for a limit the code sets to a value it does not state."""
    stated = [(limit, run) for limit, run in limits if limit is not None]
    if stated:
        return max(stated, key=lambda pair: (pair[0], pair[1].ref))
    if limits:
        return None, limits[0][1]
    return None, None
