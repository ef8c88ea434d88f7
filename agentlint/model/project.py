"""The project: every entity of every file, merged into named agent graphs."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
from agentlint.model.agent_graph import AgentGraph, link_parts, merge_parts
from agentlint.model.entities import Agent, DependencyPin, GraphPart
from agentlint.model.prompts import InstructionText, PromptReference, PromptVersion
from agentlint.model.tools import ExampleConfig, PackageRef, PolicyEntry, Tool, ToolReference, ToolServer
from agentlint.model.vcs import IgnoreFile

if TYPE_CHECKING:
    from agentlint.model.graph import Topology

T = TypeVar("T")


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
    _pins_at: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _budgets: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, parts: Iterable[GraphPart], entities: Iterable[Any] = (), coverage: Coverage | None = None) -> Project:
        from agentlint.model.code_link import link_code
        from agentlint.model.crew_settings import apply_crew_settings

        from agentlint.model.code_constants import resolve_constants

        parts, entities = resolve_constants(list(parts), list(entities))  # constants of other modules
        parts = link_code(parts, entities)  # names that cross Python modules
        parts = apply_crew_settings(parts, entities)  # @CrewBase code over agents.yaml
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

    def budget(self, graph: AgentGraph) -> Any:
        """The graph's worst-case budget (``model.budget.budget``), computed once for the rules
        that judge it (unbounded-budget AL310, budget-too-high AL311)."""
        if graph.name not in self._budgets:
            from agentlint.model.budget import budget

            self._budgets[graph.name] = budget(graph, self.topology(graph), self.pins_at(graph))
        return self._budgets[graph.name]

    def pins_at(self, where: Any) -> dict[str, str]:
        """The versions pinned for what lies at ``where`` (a path, an entity, an agent graph): by
        the dependency files in its folder line, as telemetry defaults are judged. The closest
        file in its folder or above wins; a file below it counts when every file below that pins
        the package agrees. A sibling project's pins apply only when nothing in the folder line
        pins anything (requirements kept apart from the code) and the project pins the package
        to one version: in a monorepo of apps that pin their own, another app's pin never does."""
        if isinstance(where, AgentGraph):
            where = (where.entry_part or where.parts[0]).ref.path if where.parts else ""
        elif not isinstance(where, str):
            where = where.ref.path
        folder = posixpath.dirname(where)
        found = self._pins_at.get(folder)
        if found is None:
            found = self._pins_at[folder] = _pins_in_line(folder, self.deployment.pins)
        return found


def _pins_in_line(folder: str, pins: Iterable[DependencyPin]) -> dict[str, str]:
    above: list[tuple[int, str, str]] = []
    below: dict[str, set[str]] = {}
    for pin in pins:
        home = posixpath.dirname(pin.ref.path)
        if home == folder or not home or folder.startswith(home + "/"):
            above.append((-len(home), pin.package, pin.version))
        elif not folder or home.startswith(folder + "/"):
            below.setdefault(pin.package, set()).add(pin.version)
    if not above and not below:  # nothing pinned along the line: the project's one version of each
        everywhere: dict[str, set[str]] = {}
        for pin in pins:
            everywhere.setdefault(pin.package, set()).add(pin.version)
        return {package: next(iter(versions)) for package, versions in everywhere.items() if len(versions) == 1}
    out: dict[str, str] = {}
    for _, package, version in sorted(above, key=lambda item: item[0]):  # deepest first, stable
        out.setdefault(package, version)
    for package, versions in below.items():
        if package not in out and len(versions) == 1:
            out[package] = next(iter(versions))
    return out
