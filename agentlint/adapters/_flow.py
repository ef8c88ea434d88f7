"""Folding workflows into agent graphs: the shared plumbing of the workflow-format adapters.
A workflow is a graph of nodes, some of which call a model. Two ways of folding it:

**Every node a step** (n8n, Dify, Langflow). Each adapter reads its dialect into ``Step`` and
``Link`` records; :func:`graph_part` turns them into one ``GraphPart`` with the same
conventions everywhere:

- every step of the flow is an ``Agent`` whose ``role`` is its node type: these tools have no
  role field, so ``settable`` never holds "role" (missing-role does not apply); a step that calls
  no model gets ``settable=frozenset()``: missing-timeout and missing-retry-limit are about
  agents, not about data plumbing (a Set or IF node has no such field either);
- control flow is an ``Edge`` per link, located at the link's entry in the file, with an
  ``AgentReference`` for each end (so a link to a node that does not exist is reported);
- a for-each construct (n8n Loop Over Items, Dify iteration, Langflow Loop) runs its body once
  per input item: the body is a CALL from the loop node, and the links that return into the loop
  node are not modelled (they close no open-ended loop: the number of items bounds it, and the
  neutral model has no bound that is not a literal);
- terminals are declared explicitly: steps with no outgoing link that continues the flow (CALL
  links return to their source), plus steps with an output the file leaves unconnected (an IF
  whose false branch goes nowhere ends the run there).

**Only agents stay** (Flowise, Microsoft Agent Framework workflows), where loops, branches and
jumps are nodes or actions, not edges between agents: :func:`collapse` folds the framework's
control-flow graph (``Hop`` records) into ``AgentLink`` s, an edge joining two agents when
control can pass from one to the other through non-agent nodes (conditions, variables, HTTP
calls, loop nodes …). Linear in (agents × nodes): one breadth-first search per agent.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from agentlint.loaders.base import LocatedDoc
from agentlint.model.budget import finite
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Pointer, Span

# What a step that calls a model can express at most (each adapter narrows it per node type);
# plain steps can express none of it.
MODEL = frozenset({"model", "prompt"})
LLM_SETTABLE = MODEL | {"tools", "timeout_seconds", "max_attempts", "max_iterations"}
PLAIN: frozenset[str] = frozenset()


@dataclass(slots=True)
class Step:
    name: str
    pointer: Pointer  # the node in the document
    span: Span  # where findings about the step point: its name
    role: str
    fields: list[tuple[str, Span]] = field(default_factory=list)
    model: str | None = None
    prompt: str | None = None
    description: str | None = None
    tools: list[str] = field(default_factory=list)
    timeout_seconds: float | None = None
    max_attempts: int | None = None
    max_iterations: int | None = None
    implicit: tuple[tuple[str, str], ...] = ()
    settable: frozenset[str] | None = PLAIN
    keys: tuple[tuple[str, str], ...] = ()  # the format's own key per attribute (Agent.keys)
    written: tuple[tuple[str, str], ...] = ()  # settings as written where a value is derived (Agent.written)


@dataclass(slots=True)
class Link:
    source: str
    target: str
    pointer: Pointer  # the link's entry in the document
    span: Span
    source_span: Span  # where the source is named (for the AgentReference)
    target_span: Span
    kind: EdgeKind = EdgeKind.SEQUENCE
    condition: str | None = None
    max_traversals: int | None = None
    fields: tuple[tuple[str, Span], ...] = ()
    output: str | None = None  # the source output it leaves from (for-each detection)


_LONGEST_DIGITS = 400


def as_int(value: object) -> int | None:
    """An integer written as a number or as a string of digits; None for anything else
    (expressions such as ``={{ $json.n }}`` are not static bounds)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        text = value.strip()
        if len(text) > _LONGEST_DIGITS:  # int() refuses over 4300 digits: such a count is huge anyway
            return -(10**_LONGEST_DIGITS) if text.startswith("-") else 10**_LONGEST_DIGITS
        return int(text)
    return None


def as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return value
    if isinstance(value, int):  # a 400-digit one is huge, not an OverflowError
        return finite(value) if value >= 0 else -finite(-value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def unique_names(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(id, display name) pairs -> id: unique name. A name used once stays as it is; every
    holder of a name used more than once becomes ``name (id)``, so no copy looks canonical."""
    pairs = list(items)
    counts: dict[str, int] = {}
    for _, name in pairs:
        counts[name] = counts.get(name, 0) + 1
    return {ident: (name if counts[name] == 1 else f"{name} ({ident})") for ident, name in pairs}


def foreach_calls(links: list[Link], loops: dict[str, str]) -> list[Link]:
    """For each for-each node (name -> the output that runs the body), turn the links leaving
    that output into CALL links and drop the links that return into the node from its body
    (nodes reached from the body output without passing the node itself)."""
    if not loops:
        return links
    out_of: dict[str, list[Link]] = {}
    for link in links:
        out_of.setdefault(link.source, []).append(link)
    returning: set[int] = set()
    for node, body_output in loops.items():
        starts = [link.target for link in out_of.get(node, ()) if link.output == body_output and link.target != node]
        seen = set(starts)
        queue = deque(starts)
        while queue:
            for link in out_of.get(queue.popleft(), ()):
                if link.target == node:
                    returning.add(id(link))
                elif link.target not in seen:
                    seen.add(link.target)
                    queue.append(link.target)
        for link in out_of.get(node, ()):
            if link.output == body_output:
                link.kind = EdgeKind.CALL
                if link.target == node:  # the body output wired straight back in
                    returning.add(id(link))
    return [link for link in links if id(link) not in returning]


def terminals(steps: Iterable[Step], links: list[Link], open_outputs: Iterable[str] = ()) -> tuple[str, ...]:
    """Steps where a run can end: no outgoing link that continues the flow, or an output left
    unconnected (``open_outputs``)."""
    names = [step.name for step in steps]
    known = set(names)  # a link to a node that does not exist continues nothing (AL106 says so)
    continues = {link.source for link in links if link.kind is not EdgeKind.CALL and link.target in known}
    ends = {name for name in names if name not in continues} | set(open_outputs)
    return tuple(name for name in names if name in ends)


def agent(doc: LocatedDoc, step: Step, graph: str, framework: str) -> Agent:
    return Agent(
        ref=doc.ref(step.pointer),
        span=step.span,
        fields=tuple(step.fields),
        name=step.name,
        graph=graph,
        framework=framework,
        role=step.role,
        model=step.model,
        prompt=step.prompt,
        tools=tuple(dict.fromkeys(step.tools)),
        timeout_seconds=step.timeout_seconds,
        max_attempts=step.max_attempts,
        max_iterations=step.max_iterations,
        description=step.description,
        implicit=step.implicit,
        settable=step.settable,
        keys=step.keys,
        written=step.written,
    )


def graph_part(
    doc: LocatedDoc,
    *,
    name: str,
    span: Span,
    framework: str,
    steps: list[Step],
    links: list[Link],
    entry: str | None,
    ends: tuple[str, ...],
) -> GraphPart:
    edges = []
    references = []
    for link in links:
        ref = doc.ref(link.pointer)
        edges.append(
            Edge(
                ref=ref,
                span=link.span,
                fields=link.fields,
                source=link.source,
                target=link.target,
                kind=link.kind,
                graph=name,
                condition=link.condition,
                max_traversals=link.max_traversals,
            )
        )
        references.append(AgentReference(ref, link.source_span, (), link.source, name, "edge source"))
        references.append(AgentReference(ref, link.target_span, (), link.target, name, "edge target"))
    return GraphPart(
        ref=doc.ref(),
        span=span,
        fields=(),
        name=name,
        entry=entry,
        terminals=ends,
        agents=tuple(agent(doc, step, name, framework) for step in steps),
        edges=tuple(edges),
        references=tuple(references),
        framework=framework,
    )


def graph_name(title: object, path: str) -> str:
    """Workflow exports are self-contained and their titles are not unique across a
    repository ("My workflow"): the file path keeps two exports from merging into one graph."""
    if isinstance(title, str) and title.strip():
        return f"{title.strip()} ({path})"
    return path


# ----------------------------------------------------------------------------- only agents stay

END = "\x00end"  # a hop to END: the run can finish here


@dataclass(frozen=True, slots=True)
class Hop:
    """One control transfer of the framework's own graph, where the file declares it."""

    target: str  # a node key, or END
    ref: NodeRef
    span: Span
    condition: str | None = None
    bound: int | None = None  # the hop can be taken at most this many times per run
    bound_span: Span | None = None  # where that bound is written (None: a framework default)


@dataclass(frozen=True, slots=True)
class AgentLink:
    """Control can pass from agent ``source`` to agent ``target`` along ``path``."""

    source: str
    target: str
    path: tuple[Hop, ...]

    @property
    def located(self) -> Hop:
        """The hop that makes this link what it is: its (last) bounded hop, else its last hop."""
        bounded = [hop for hop in self.path if hop.bound is not None]
        return bounded[-1] if bounded else self.path[-1]

    @property
    def condition(self) -> str | None:
        conditions = list(dict.fromkeys(hop.condition for hop in self.path if hop.condition))
        return " and ".join(conditions) if conditions else None

    @property
    def bound(self) -> int | None:
        bounds = [hop.bound for hop in self.path if hop.bound is not None]
        return min(bounds) if bounds else None


@dataclass(frozen=True, slots=True)
class Collapsed:
    links: tuple[AgentLink, ...]
    entries: tuple[str, ...]  # agents a run reaches first from the start node
    terminals: frozenset[str]  # agents after which the run can finish without another agent


def collapse(flow: Mapping[str, Sequence[Hop]], agents: Iterable[str], start: str) -> Collapsed:
    """``flow``: every node's outgoing hops (a node with none ends the run). Agents are the
    nodes that stay; ``start`` is where a run begins (an agent or not).

    A link that can be reached without crossing a bounded hop is unbounded; one that is only
    reachable across bounded hops carries the tightest bound of the path found."""
    order = list(dict.fromkeys(agents))
    agent_set = set(order)
    links: list[AgentLink] = []
    terminals: set[str] = set()
    for source in order:
        found, ends = _explore(flow, agent_set, source)
        links.extend(AgentLink(source, target, path) for target, path in found)
        if ends:
            terminals.add(source)
    if start in agent_set:
        entries: tuple[str, ...] = (start,)
    else:
        entries = tuple(target for target, _ in _explore(flow, agent_set, start)[0])
    return Collapsed(tuple(links), entries, frozenset(terminals))


def _explore(flow: Mapping[str, Sequence[Hop]], agents: set[str], source: str) -> tuple[list[tuple[str, tuple[Hop, ...]]], bool]:
    """Agents reachable from ``source`` through non-agent nodes, each with one path; and
    whether the run can end on the way. First without bounded hops, then with them."""
    found: dict[str, tuple[Hop, ...]] = {}
    ends = False
    for allow_bounded in (False, True):
        parent: dict[str, tuple[str, Hop]] = {}
        seen = {source}
        queue = deque([source])
        while queue:
            node = queue.popleft()
            hops = flow.get(node, ())
            if not hops and node != source:
                ends = True
            for hop in hops:
                if hop.bound is not None and not allow_bounded:
                    continue
                if hop.target == END:
                    ends = True
                    continue
                if hop.target in agents:
                    if hop.target not in found:
                        found[hop.target] = _path(parent, node, source) + (hop,)
                    continue
                if hop.target not in seen:
                    seen.add(hop.target)
                    parent[hop.target] = (node, hop)
                    queue.append(hop.target)
        if not flow.get(source):
            ends = True
    return list(found.items()), ends


def _path(parent: dict[str, tuple[str, Hop]], node: str, source: str) -> tuple[Hop, ...]:
    hops: list[Hop] = []
    while node != source:
        node, hop = parent[node]
        hops.append(hop)
    return tuple(reversed(hops))
