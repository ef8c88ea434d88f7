"""The project: every entity of every file, merged into named agent graphs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from agentlint.model.clients import ClientDefault, LLMClient
from agentlint.model.deployment import (
    Coverage,
    Deployment,
    DeploymentDependency,
    EnvFileReference,
    EnvSettings,
    GraphEntryPoint,
    ModuleNames,
)
from agentlint.model.entities import Agent, AgentReference, DependencyPin, Edge, GraphPart, Task
from agentlint.model.prompts import InstructionText, PromptReference, PromptVersion
from agentlint.model.tools import ExampleConfig, PackageRef, PolicyEntry, Tool, ToolReference, ToolServer
from agentlint.model.vcs import IgnoreFile

if TYPE_CHECKING:
    from agentlint.model.graph import Topology

T = TypeVar("T")


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
    tasks: tuple[Task, ...] = ()
    framework: str = "agentlint"
    turn_limit: int | None = None
    turn_limit_default: str | None = None
    terminates: bool | None = None
    entry_declarable: bool = True
    complete: bool = True  # every part was read completely (see GraphPart.complete)
    turn_limit_unstated: bool = False  # a cap is set to a value the source does not state

    @property
    def capped(self) -> bool:
        """A run-level cap is written (stated or not): it bounds every loop of the graph."""
        return self.turn_limit is not None or self.turn_limit_unstated

    def turn_limit_part(self) -> GraphPart | None:
        """The part whose explicit run-level cap the graph has (the last one, as merged)."""
        found = [part for part in self.parts if part.turn_limit is not None]
        return found[-1] if found else None

    @property
    def terminals(self) -> frozenset[str]:
        """Declared terminals; when none are declared, agents with no outgoing edge."""
        if self.declared_terminals:
            return self.declared_terminals
        sources = {edge.source for edge in self.edges}
        return frozenset(name for name in self.agents if name not in sources)


def link_parts(parts: list[GraphPart]) -> list[GraphPart]:
    """Resolve aliases (``file:<path>``) to agent names and give parts joined by them one
    graph name: a root config and the sub-agent files it points to form one graph, named
    after the part no other part points to. Linear in the parts and their references."""
    owner: dict[str, tuple[str, str]] = {}
    for part in parts:
        for alias, agent in part.aliases:
            owner.setdefault(alias, (part.name, agent))
    if not owner:
        return parts
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        root = name
        while parent.get(root, root) != root:
            root = parent[root]
        parent[name] = root
        return root

    referenced: set[str] = set()
    for part in parts:
        for reference in part.references:
            if reference.name in owner:
                target = owner[reference.name][0]
                if target != part.name:
                    referenced.add(target)
                    a, b = find(part.name), find(target)
                    if a != b:
                        parent[b] = a
    # name each group after an unreferenced member (the root config), else its smallest name
    groups: dict[str, list[str]] = {}
    for name in sorted({p.name for p in parts}):
        groups.setdefault(find(name), []).append(name)
    label = {}
    for members in groups.values():
        roots = [m for m in members if m not in referenced]
        chosen = (roots or members)[0]
        for member in members:
            label[member] = chosen

    def rename(name: str) -> str:
        return owner[name][1] if name in owner else name

    linked = []
    for part in parts:
        graph = label.get(part.name, part.name)
        linked.append(
            replace(
                part,
                name=graph,
                agents=tuple(replace(a, graph=graph) for a in part.agents),
                edges=tuple(replace(e, graph=graph, source=rename(e.source), target=rename(e.target)) for e in part.edges),
                references=tuple(replace(r, graph=graph, name=rename(r.name)) for r in part.references),
                entry=rename(part.entry) if part.entry else None,
                terminals=tuple(rename(t) for t in part.terminals),
            )
        )
    return linked


def merge_parts(name: str, parts: list[GraphPart]) -> AgentGraph:
    parts.sort(key=lambda p: (p.ref.path, p.ref.doc))
    agents: dict[str, Agent] = {}
    duplicates: list[Agent] = []
    edges: list[Edge] = []
    references: list[AgentReference] = []
    entry, entry_part = None, None
    terminals: set[str] = set()
    tasks: list[Task] = []
    turn_limit, turn_default, terminates = None, None, None
    unstated = False
    for part in parts:
        tasks.extend(part.tasks)
        turn_limit = part.turn_limit if part.turn_limit is not None else turn_limit
        turn_default = part.turn_limit_default or turn_default
        unstated = unstated or part.turn_limit_unstated
        terminates = part.terminates if part.terminates is not None else terminates
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
        tasks=tuple(tasks),
        framework=parts[0].framework,
        turn_limit=turn_limit,
        turn_limit_unstated=unstated and turn_limit is None,
        turn_limit_default=None if unstated else turn_default,  # a written cap replaces the default
        terminates=terminates,
        entry_declarable=all(part.entry_declarable for part in parts),
        complete=all(part.complete for part in parts),
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
    prompts: tuple[PromptVersion, ...] = ()
    prompt_references: tuple[PromptReference, ...] = ()
    instructions: tuple[InstructionText, ...] = ()  # instruction text in agent and task configs
    pins: dict[str, str] = field(default_factory=dict)  # package -> pinned version
    clients: tuple[LLMClient, ...] = ()  # LLM clients built or called in code
    client_defaults: tuple[ClientDefault, ...] = ()  # library-wide settings made in code
    deployment: Deployment = field(default_factory=Deployment)  # langgraph.json and what it names
    # Every entity by its class, sorted by location: kinds without a field above are read
    # with ``project.of(Kind)`` (telemetry settings, data flows, collector pipelines …).
    by_kind: dict[type, tuple[Any, ...]] = field(default_factory=dict, repr=False)
    _topologies: dict[str, Topology] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, parts: Iterable[GraphPart], entities: Iterable[Any] = (), coverage: Coverage | None = None) -> Project:
        from agentlint.model.code_link import link_code

        from agentlint.model.code_constants import resolve_constants

        parts, entities = resolve_constants(list(parts), list(entities))  # constants of other modules
        parts = link_code(parts, entities)  # names that cross Python modules
        by_name: dict[str, list[GraphPart]] = {}
        for part in link_parts(list(parts)):
            by_name.setdefault(part.name, []).append(part)
        graphs = tuple(merge_parts(name, group) for name, group in sorted(by_name.items()))
        kinds: dict[type, list[Any]] = {}
        for entity in entities:
            kinds.setdefault(type(entity), []).append(entity)

        def of(kind: type) -> tuple[Any, ...]:
            return tuple(sorted(kinds.get(kind, ()), key=lambda e: (e.ref.path, e.ref.doc, e.span.start)))

        return cls(
            by_kind={kind: of(kind) for kind in kinds},
            graphs=graphs,
            servers=of(ToolServer),
            tools=of(Tool),
            packages=of(PackageRef),
            policies=of(PolicyEntry),
            examples=of(ExampleConfig),
            tool_references=of(ToolReference),
            prompts=of(PromptVersion),
            prompt_references=of(PromptReference),
            instructions=of(InstructionText),
            pins={pin.package: pin.version for pin in of(DependencyPin)},
            clients=of(LLMClient),
            client_defaults=of(ClientDefault),
            deployment=Deployment(
                coverage=coverage or Coverage(),
                entry_points=of(GraphEntryPoint),
                modules={module.ref.path: module for module in of(ModuleNames)},
                dependencies=of(DeploymentDependency),
                env=of(EnvSettings),
                env_references=of(EnvFileReference),
                pins=of(DependencyPin),
                ignores=of(IgnoreFile),
            ),
        )

    def of(self, kind: type[T]) -> tuple[T, ...]:
        """Every entity of ``kind`` (sorted by path, document and position)."""
        return self.by_kind.get(kind, ())

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
