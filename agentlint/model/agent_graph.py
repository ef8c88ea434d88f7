"""Named agent graphs: parts from one or more files (or modules), linked by aliases and merged
by name. The graph algorithms over a merged graph are in ``model/graph.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from agentlint.model.entities import Agent, AgentReferences, Edge, GraphPart, ReferenceChain, References, Task, reference_names


@dataclass(frozen=True, slots=True)
class AgentGraph:
    """A named graph merged from one or more parts (possibly across files)."""

    name: str
    parts: tuple[GraphPart, ...]
    agents: dict[str, Agent]  # first definition of each name wins; duplicates listed apart
    duplicates: tuple[Agent, ...]
    edges: tuple[Edge, ...]
    references: ReferenceChain  # its parts' references in order, read from the parts when used
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
        for referenced_name in reference_names(part.references):
            if referenced_name in owner:
                target = owner[referenced_name][0]
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
                references=_renamed(part.references, graph, rename),
                entry=rename(part.entry) if part.entry else None,
                terminals=tuple(rename(t) for t in part.terminals),
            )
        )
    return linked


def _renamed(references: References, graph: str, rename: Callable[[str], str]) -> References:
    if type(references) is AgentReferences:
        return references.renamed(graph, rename)
    return tuple(replace(r, graph=graph, name=rename(r.name)) for r in references)


def merge_parts(name: str, parts: list[GraphPart]) -> AgentGraph:
    parts.sort(key=lambda p: (p.ref.path, p.ref.doc))
    agents: dict[str, Agent] = {}
    duplicates: list[Agent] = []
    edges: list[Edge] = []
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
        if part.entry is not None and entry is None:
            entry, entry_part = part.entry, part
        terminals.update(part.terminals)
    return AgentGraph(
        name=name,
        parts=tuple(parts),
        agents=agents,
        duplicates=tuple(duplicates),
        edges=tuple(edges),
        references=ReferenceChain(tuple(part.references for part in parts if part.references)),
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
