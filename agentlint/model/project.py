"""The project: every entity of every file, merged into named agent graphs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from typing import Any

from agentlint.model.entities import Agent, AgentReference, Edge, GraphPart
from agentlint.model.tools import ExampleConfig, PackageRef, PolicyEntry, Tool, ToolReference, ToolServer

if TYPE_CHECKING:
    from agentlint.model.graph import Topology


@dataclass(frozen=True, slots=True)
class AgentGraph:
    """A named graph merged from one or more parts (possibly across files)."""

    name: str
    parts: tuple[GraphPart, ...]
    agents: dict[str, Agent]  # first definition of each name wins; duplicates listed apart
    duplicates: tuple[Agent, ...]
    edges: tuple[Edge, ...]
    references: tuple[AgentReference, ...]
    entry: str | None
    entry_part: GraphPart | None
    declared_terminals: frozenset[str]

    @property
    def terminals(self) -> frozenset[str]:
        """Declared terminals; when none are declared, agents with no outgoing edge."""
        if self.declared_terminals:
            return self.declared_terminals
        sources = {edge.source for edge in self.edges}
        return frozenset(name for name in self.agents if name not in sources)


def merge_parts(name: str, parts: list[GraphPart]) -> AgentGraph:
    parts.sort(key=lambda p: (p.ref.path, p.ref.doc))
    agents: dict[str, Agent] = {}
    duplicates: list[Agent] = []
    edges: list[Edge] = []
    references: list[AgentReference] = []
    entry, entry_part = None, None
    terminals: set[str] = set()
    for part in parts:
        for agent in part.agents:
            if agent.name in agents:
                duplicates.append(agent)
            else:
                agents[agent.name] = agent
        edges.extend(part.edges)
        references.extend(part.references)
        if part.entry is not None and entry is None:
            entry, entry_part = part.entry, part
        terminals.update(part.terminals)
    return AgentGraph(
        name=name,
        parts=tuple(parts),
        agents=agents,
        duplicates=tuple(duplicates),
        edges=tuple(edges),
        references=tuple(references),
        entry=entry,
        entry_part=entry_part,
        declared_terminals=frozenset(terminals),
    )


@dataclass(slots=True)
class Project:
    """Read-only after ``build``; rules only query it."""

    graphs: tuple[AgentGraph, ...] = ()
    servers: tuple[ToolServer, ...] = ()
    tools: tuple[Tool, ...] = ()
    packages: tuple[PackageRef, ...] = ()  # packages not attached to a server entity
    policies: tuple[PolicyEntry, ...] = ()
    examples: tuple[ExampleConfig, ...] = ()
    tool_references: tuple[ToolReference, ...] = ()
    _topologies: dict[str, Topology] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, parts: Iterable[GraphPart], entities: Iterable[Any] = ()) -> Project:
        by_name: dict[str, list[GraphPart]] = {}
        for part in parts:
            by_name.setdefault(part.name, []).append(part)
        graphs = tuple(merge_parts(name, group) for name, group in sorted(by_name.items()))
        kinds: dict[type, list[Any]] = {}
        for entity in entities:
            kinds.setdefault(type(entity), []).append(entity)

        def of(kind: type) -> tuple[Any, ...]:
            return tuple(sorted(kinds.get(kind, ()), key=lambda e: (e.ref.path, e.ref.doc, e.span.start)))

        return cls(
            graphs=graphs,
            servers=of(ToolServer),
            tools=of(Tool),
            packages=of(PackageRef),
            policies=of(PolicyEntry),
            examples=of(ExampleConfig),
            tool_references=of(ToolReference),
        )

    def all_packages(self) -> Iterator[tuple[PackageRef, ToolServer | None]]:
        for server in self.servers:
            for package in server.packages:
                yield package, server
        for package in self.packages:
            yield package, None

    def agents(self) -> Iterator[Agent]:
        for graph in self.graphs:
            yield from graph.agents.values()
            yield from graph.duplicates

    def topology(self, graph: AgentGraph) -> Topology:
        topology = self._topologies.get(graph.name)
        if topology is None:
            from agentlint.model.graph import Topology

            topology = Topology(graph)
            self._topologies[graph.name] = topology
        return topology
