"""Graph queries over one agent graph, linear in its size.

Cycles are reported per strongly connected component (Tarjan, ``digraph.py``), each with one
witness cycle found by a BFS inside the component. All cycles are never enumerated: a
10-agent mesh has over a million of them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from agentlint.model.digraph import DiGraph, components_numbered, compressed_rows
from agentlint.model.entities import Agent, Edge
from agentlint.model.agent_graph import AgentGraph


@dataclass(frozen=True, slots=True)
class Cycle:
    """A strongly connected component that can repeat (two or more agents, or a self-loop)."""

    agents: tuple[str, ...]  # sorted
    witness: tuple[Edge, ...]  # one concrete cycle through the component, in order
    exits: tuple[Edge, ...]  # edges that leave the component
    bounded_edges: tuple[Edge, ...]  # edges inside with max_traversals
    bounded_agents: tuple[Agent, ...]  # agents inside with max_iterations
    contains_terminal: bool

    @property
    def bounded(self) -> bool:
        return bool(self.bounded_edges or self.bounded_agents)

    @property
    def has_exit(self) -> bool:
        return bool(self.exits) or self.contains_terminal

    def bound(self) -> int | None:
        """The tightest declared bound on the loop, if any."""
        values = [e.max_traversals for e in self.bounded_edges if e.max_traversals is not None]
        values += [a.max_iterations for a in self.bounded_agents if a.max_iterations is not None]
        return min(values) if values else None


def bounds_loops(agent: Agent) -> bool:
    """Whether the agent's ``max_iterations`` caps every loop through it. In agentlint's own
    format it caps how often the agent runs per request; a framework's iteration cap (CrewAI
    ``max_iter``, AutoGen ``max_tool_iterations``) only bounds the agent's own tool loop, not how
    often other agents hand work back to it."""
    return agent.max_iterations is not None and agent.framework == "agentlint"


class Topology:
    """The graph queries of one agent graph. It stays for every rule (``Project.topology``),
    so it holds little (issue 14): a compact :class:`DiGraph` of the agents and, per agent,
    the numbers of its edges in ``graph.edges`` (compressed rows, in source order), from
    which the cycles are built when first asked for."""

    __slots__ = ("graph", "digraph", "_out", "_dangling", "_cycles", "_unbounded")

    def __init__(self, graph: AgentGraph) -> None:
        self.graph = graph
        agents = graph.agents
        g = DiGraph()
        g.add_nodes_from(sorted(agents))
        number = g.numbering().get
        sources: list[int] = []
        targets: list[int] = []
        numbers: list[int] = []
        # edges with an end that is not an agent (undefined-agent, AL106, reports them): kept
        # apart so that the route through the missing agent is neither drawn nor assumed absent
        dangling: list[Edge] = []
        for k, edge in enumerate(graph.edges):
            a, b = number(edge.source), number(edge.target)
            if a is None or b is None:
                dangling.append(edge)
            else:
                sources.append(a)
                targets.append(b)
                numbers.append(k)
        g.add_numbered_edges(sources, targets)
        self.digraph = g
        self._out = compressed_rows(len(g), sources, numbers)
        self._dangling = tuple(dangling)
        self._cycles: list[Cycle] | None = None
        self._unbounded: list[tuple[Cycle, Cycle]] | None = None

    def edges_from(self, source: str) -> list[Edge]:
        """The edges from agent ``source`` to agents, in ``graph.edges`` order."""
        offsets, numbers = self._out
        i = self.digraph.number(source)
        edges = self.graph.edges
        return [edges[k] for k in numbers[offsets[i] : offsets[i + 1]]]

    def edges_between(self, source: str, target: str) -> list[Edge]:
        if source not in self.digraph:
            return []
        return [e for e in self.edges_from(source) if e.target == target]

    def cycles(self) -> list[Cycle]:
        if self._cycles is None:
            nodes = self.digraph.numbered()[0]
            found = [self._cycle({nodes[i] for i in c}) for c in _repeating(self.digraph)]
            found.sort(key=lambda c: c.agents)
            self._cycles = found
        return self._cycles

    def _cycle(self, component: set[str]) -> Cycle:
        agents = tuple(sorted(component))
        inside: list[Edge] = []
        exits: list[Edge] = []
        for name in agents:  # by target, then in source order: a stable sort
            for edge in sorted(self.edges_from(name), key=_target):
                (inside if edge.target in component else exits).append(edge)
        graph_agents = self.graph.agents
        return Cycle(
            agents=agents,
            witness=tuple(self._witness(inside, component)),
            exits=tuple(exits),
            bounded_edges=tuple(e for e in inside if e.max_traversals is not None),
            bounded_agents=tuple(graph_agents[a] for a in agents if bounds_loops(graph_agents[a])),
            contains_terminal=bool(component & self.graph.terminals),
        )

    def _witness(self, inside: list[Edge], component: set[str], graph: Any = None) -> list[Edge]:
        """One concrete cycle that starts with the component's first edge in source order
        (so the finding lands where a reader meets the loop): that edge, then the shortest path
        back to its source found by BFS inside the component. Linear in the component."""
        graph = self.digraph if graph is None else graph
        first = min(inside, key=lambda e: (e.ref.path, e.ref.doc, e.span.start, e.source, e.target))
        if first.source == first.target:
            return [first]
        start, goal = first.target, first.source
        parent: dict[str, str] = {}
        queue = deque([start])
        seen = {start}
        while queue:
            node = queue.popleft()
            if node == goal:
                break
            for succ in sorted(graph.successors(node)):
                if succ in component and succ not in seen:
                    seen.add(succ)
                    parent[succ] = node
                    queue.append(succ)
        path = [goal]
        while path[-1] != start:
            path.append(parent[path[-1]])
        path.reverse()
        hops = []
        for a, b in zip(path, path[1:]):
            candidates = self.edges_between(a, b)
            unbounded = [e for e in candidates if e.max_traversals is None]
            hops.append((unbounded if graph is not self.digraph and unbounded else candidates)[0])
        return [first] + hops

    def unbounded_loops(self) -> list[tuple[Cycle, Cycle]]:
        """Loops that avoid every bound, each with the component it lies in.

        A cycle is bounded when one of its edges has ``max_traversals`` or one of its agents
        has ``max_iterations``; so the unbounded cycles are exactly the cycles of the graph
        with bounded edges and agents removed: one more SCC pass, still linear. A component
        with one bounded loop can hold another that is not (``hub → a → hub`` bounded,
        ``hub → b → hub`` not): this finds the second.
        """
        if self._unbounded is None:
            self._unbounded = self._find_unbounded()
        return self._unbounded

    def open_unbounded_loops(self) -> list[Cycle]:
        """The unbounded loops that can be left (their component has an edge out or a terminal
        inside): the ones whose bound is in question. A loop with no exit at all is an endless
        cycle, which endless-cycle reports as such."""
        return [cycle for cycle, component in self.unbounded_loops() if component.has_exit and cycle.witness]

    def _find_unbounded(self) -> list[tuple[Cycle, Cycle]]:
        # the same agents and numbers, without the edges with a bound or at an agent with one
        # (such an agent keeps no edge, so it is in no loop here)
        agents = self.graph.agents
        nodes = self.digraph.numbered()[0]
        free = DiGraph()
        free.add_nodes_from(nodes)
        number = free.numbering().get
        bounding = {name for name in nodes if bounds_loops(agents[name])}
        sources: list[int] = []
        targets: list[int] = []
        for edge in self.graph.edges:
            if edge.max_traversals is None and edge.source not in bounding and edge.target not in bounding:
                a, b = number(edge.source), number(edge.target)
                if a is not None and b is not None:
                    sources.append(a)
                    targets.append(b)
        free.add_numbered_edges(sources, targets)
        owner = {name: cycle for cycle in self.cycles() for name in cycle.agents}
        found = []
        for numbers in _repeating(free):
            component = {nodes[i] for i in numbers}
            inside = [  # both ends free and the edge unbounded: an edge of ``free``
                e
                for a in sorted(component)
                for e in sorted(self.edges_from(a), key=_target)
                if e.target in component and e.max_traversals is None
            ]
            loop = Cycle(
                agents=tuple(sorted(component)),
                witness=tuple(self._witness(inside, component, free)),
                exits=(),
                bounded_edges=(),
                bounded_agents=(),
                contains_terminal=bool(component & self.graph.terminals),
            )
            found.append((loop, owner[next(iter(component))]))
        found.sort(key=lambda pair: pair[0].agents)
        return found

    def reachable_from(self, start: str) -> set[str]:
        if start not in self.digraph:
            return set()
        return self.digraph.reach([start])

    def past_undefined(self) -> tuple[set[str], set[str]]:
        """(fed, leading): the agents that an edge from an undefined agent reaches, and those
        from which an edge to an undefined agent is reachable. Whether a request reaches the
        first or the second can finish depends on the missing agent: a rule built on a path's
        absence leaves them to undefined-agent (AL106), which reports the root cause."""
        agents = self.graph.agents
        fed = self.digraph.reach({e.target for e in self._dangling if e.source not in agents and e.target in agents})
        leading = self.digraph.reach({e.source for e in self._dangling if e.target not in agents and e.source in agents}, backward=True)
        return fed, leading

    def can_reach_any(self, targets: Iterable[str]) -> set[str]:
        """Agents from which at least one of ``targets`` is reachable (targets included)."""
        present = [t for t in targets if t in self.digraph]
        return self.digraph.reach(present, backward=True)


def _repeating(graph: DiGraph) -> Iterator[list[int]]:
    """The components that can repeat: two or more nodes, or one with an edge to itself."""
    offsets, targets = graph.numbered()[1:]
    for component in components_numbered(graph):
        if len(component) > 1:
            yield component
        else:
            (i,) = component
            if i in targets[offsets[i] : offsets[i + 1]]:
                yield component


def _target(edge: Edge) -> str:
    return edge.target


def cycle_path(cycle: Cycle) -> str:
    """``a → b → a`` along the witness, or the sorted agents when there is no witness."""
    if not cycle.witness:
        return ", ".join(cycle.agents)
    names = [edge.source for edge in cycle.witness] + [cycle.witness[-1].target]
    return " → ".join(names)
