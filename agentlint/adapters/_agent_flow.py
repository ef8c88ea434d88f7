"""Collapse a framework's control-flow graph (every node of a workflow or canvas) into the
agent graph the rules read: only agent nodes stay, and an edge joins two agents when control
can pass from one to the other through non-agent nodes (conditions, variables, HTTP calls,
loop nodes …).

Used by the adapters of visual and declarative workflow formats (Flowise, Microsoft Agent
Framework workflows), where loops, branches and jumps are nodes or actions, not edges between
agents. Linear in (agents × nodes): one breadth-first search per agent.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from agentlint.model.source import NodeRef, Span

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
class Link:
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
    links: tuple[Link, ...]
    entries: tuple[str, ...]  # agents a run reaches first from the start node
    terminals: frozenset[str]  # agents after which the run can finish without another agent


def collapse(flow: Mapping[str, Sequence[Hop]], agents: Iterable[str], start: str) -> Collapsed:
    """``flow``: every node's outgoing hops (a node with none ends the run). Agents are the
    nodes that stay; ``start`` is where a run begins (an agent or not).

    A link that can be reached without crossing a bounded hop is unbounded; one that is only
    reachable across bounded hops carries the tightest bound of the path found."""
    order = list(dict.fromkeys(agents))
    agent_set = set(order)
    links: list[Link] = []
    terminals: set[str] = set()
    for source in order:
        found, ends = _explore(flow, agent_set, source)
        links.extend(Link(source, target, path) for target, path in found)
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
