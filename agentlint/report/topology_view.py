"""The agent topology as every renderer sees it: one :class:`View` per graph, with sorted
entities, each edge's loop mark and each finding placed on its agent, edge or graph.

Shared by the text renderings (``agentlint.report.topology_formats``) and the SVG pictures
(``agentlint.report.topology_svg``). Pure: no I/O, no clock, no environment. Loops come from
``Topology.cycles()`` / ``unbounded_loops()`` (one entry per strongly connected component):
cycles are never enumerated, so a 12-agent swarm costs 132 edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agentlint.findings import Finding, Severity
from agentlint.model.entities import Agent, Edge, EdgeKind
from agentlint.model.project import AgentGraph, Project
from agentlint.model.source import Span

if TYPE_CHECKING:
    from agentlint.model.graph import Cycle, Topology

# Loop status of an edge, worst first: inside a component no edge leaves (AL101), on a loop
# that avoids every bound (AL102), or on a loop that is bounded.
ENDLESS, UNBOUNDED, BOUNDED = "endless", "unbounded", "bounded"
FILL = {Severity.ERROR: "#fde0dd", Severity.WARNING: "#fff3cd", Severity.INFO: "#e3f0fb"}
STROKE = {Severity.ERROR: "#d62728", Severity.WARNING: "#e6a700", Severity.INFO: "#1f77b4"}
_RESERVED = {"end", "graph", "subgraph", "flowchart", "style", "class", "classdef", "linkstyle", "click",
             "direction", "default", "node", "edge", "digraph", "strict"}  # Mermaid and DOT keywords


class UnknownGraphError(ValueError):
    def __init__(self, missing: Sequence[str], known: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            f"no agent graph named {', '.join(repr(m) for m in missing)} (graphs: {', '.join(known) or 'none'})"
        )


@dataclass(slots=True)
class View:
    """One graph as every renderer sees it: sorted entities, loop marks, findings placed."""

    graph: AgentGraph
    agents: list[Agent]
    undefined: list[str]
    edges: list[Edge]
    loop: list[str | None]  # per edge
    entry: str | None
    terminals: frozenset[str]
    cycles: list[tuple[Cycle, list[list[str]]]]  # each component with the unbounded loops in it
    agent_findings: dict[str, list[Finding]] = field(default_factory=dict)
    edge_findings: dict[int, list[Finding]] = field(default_factory=dict)
    graph_findings: list[Finding] = field(default_factory=list)


def _edge_key(edge: Edge) -> tuple:
    return (edge.source, edge.target, edge.kind.value, edge.condition or "", edge.max_traversals or 0,
            edge.ref.path, edge.ref.doc, edge.span)


def build_views(project: Project, findings: Iterable[Finding], names: Sequence[str] | None) -> list[View]:
    by_name = {g.name: g for g in project.graphs}
    if names is not None:
        missing = [n for n in names if n not in by_name]
        if missing:
            raise UnknownGraphError(missing, sorted(by_name))
    chosen = sorted(by_name) if names is None else sorted(set(names))
    views = []
    for name in chosen:
        graph = by_name[name]
        topology = project.topology(graph)
        edges = sorted(graph.edges, key=_edge_key)
        used = {n for e in edges for n in (e.source, e.target)}
        marks, cycles = _loops(graph, topology, edges)
        views.append(View(graph, [graph.agents[a] for a in sorted(graph.agents)], sorted(used - graph.agents.keys()),
                           edges, marks, graph.entry if graph.entry in graph.agents else None, graph.terminals, cycles))
    _place(views, findings)
    return views


def _loops(graph: AgentGraph, topology: Topology, edges: list[Edge]) -> tuple[list[str | None], list]:
    """Each edge's loop mark, and each component with the agents of its unbounded loops."""
    cycles = topology.cycles()
    component = {a: i for i, cycle in enumerate(cycles) for a in cycle.agents}
    free: dict[str, int] = {}
    inner: dict[int, list[list[str]]] = {}
    if not graph.capped:  # a run-level cap bounds every loop (AL102 says nothing)
        for i, (loop, _) in enumerate(topology.unbounded_loops()):
            inner.setdefault(component[loop.agents[0]], []).append(list(loop.agents))
            free.update((a, i) for a in loop.agents)
    marks: list[str | None] = []
    for edge in edges:
        index = component.get(edge.source)
        if index is None or component.get(edge.target) != index:
            marks.append(None)
        elif not cycles[index].has_exit:
            marks.append(ENDLESS)
        elif edge.max_traversals is None and edge.source in free and free.get(edge.target) == free[edge.source]:
            marks.append(UNBOUNDED)
        else:
            marks.append(BOUNDED)
    return marks, [(cycle, inner.get(i, [])) for i, cycle in enumerate(cycles)]


def _place(views: list[View], findings: Iterable[Finding]) -> None:
    """Attach each finding to the agent, edge or graph whose span (or one of whose field
    spans) it points at, else to the edge whose entry contains it. Indexes the findings, not
    the entities: a large project has far more field spans than findings."""
    pending: dict[tuple[str, Span], list[Finding]] = {}
    for finding in findings:
        pending.setdefault((finding.path, finding.location.span), []).append(finding)

    def claim(view: View, kind: str, key: object, found: list[Finding]) -> None:
        if kind == "agent":
            view.agent_findings.setdefault(key, []).extend(found)
        elif kind == "edge":
            view.edge_findings.setdefault(key, []).extend(found)
        else:
            view.graph_findings.extend(found)

    # own spans first, then field spans, then the graph's documents: the first owner wins
    for level in range(3):
        for view in views:
            if level < 2:
                entities = [("edge", i, e) for i, e in enumerate(view.edges)]
                entities += [("agent", a.name, a) for a in (*view.agents, *view.graph.duplicates)]
            else:
                entities = [("graph", None, part) for part in view.graph.parts]
            for kind, key, entity in entities:
                spans = [entity.span] if level == 0 else [span for _, span in entity.fields]
                if level == 2:
                    spans.append(entity.span)
                for span in spans:
                    found = pending.pop((entity.ref.path, span), None) if pending else None
                    if found:
                        claim(view, kind, key, found)
    by_path: dict[str, list[Span]] = {}
    for path, span in pending:
        by_path.setdefault(path, []).append(span)
    for view in views if by_path else ():
        for index, edge in enumerate(view.edges):
            for span in by_path.get(edge.ref.path, ()):
                if (edge.ref.path, span) in pending and edge.span.contains(span):
                    claim(view, "edge", index, pending.pop((edge.ref.path, span)))
    for view in views:
        for bucket in (*view.agent_findings.values(), *view.edge_findings.values(), view.graph_findings):
            bucket.sort(key=lambda f: (f.code, f.path, f.line, f.column, f.message))


def worst_severity(findings: list[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)


def _codes(findings: list[Finding]) -> str:
    return ", ".join(sorted({f.code for f in findings}))


def _limits(agent: Agent) -> str:
    parts = []
    if agent.timeout_seconds is not None:
        parts.append(f"timeout {agent.timeout_seconds:g}s")
    if agent.max_attempts is not None:
        parts.append(f"{agent.max_attempts} attempt{'s' if agent.max_attempts != 1 else ''}")
    if agent.max_iterations is not None:
        parts.append(f"max {agent.max_iterations} iterations")
    return ", ".join(parts)


def agent_lines(view: View, agent: Agent) -> list[str]:
    lines = [agent.name] + [v for v in (agent.role, agent.model, _limits(agent)) if v]
    if agent.name in view.agent_findings:
        lines.append(_codes(view.agent_findings[agent.name]))
    return lines


def edge_label(view: View, index: int) -> str:
    edge = view.edges[index]
    parts = [] if edge.kind is EdgeKind.HANDOFF else [edge.kind.value]
    if edge.condition is not None:
        parts.append(f"when {edge.condition}")
    if edge.max_traversals is not None:
        parts.append(f"max {edge.max_traversals}")
    if index in view.edge_findings:
        parts.append(_codes(view.edge_findings[index]))
    return "; ".join(parts)


def identifiers(views: list[View]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Deterministic identifiers valid in Mermaid and DOT: the name with non-ASCII characters
    spelled as hex code points and runs of other characters as ``_``, graph-prefixed, with
    ``_2``, ``_3`` … on a clash (in sorted order, so the same names give the same ids)."""
    used: set[str] = set()

    def unique(base: str) -> str:
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}_{n}"
        used.add(candidate)
        return candidate

    def clean(name: str) -> str:
        spelled = "".join(c if c.isascii() else f"_{ord(c):x}_" for c in name)
        return re.sub(r"[^A-Za-z0-9_]+", "_", spelled).strip("_") or "_"

    graphs, nodes = {}, {}
    for view in views:
        base = clean(view.graph.name)
        if base.lower() in _RESERVED or not base[0].isalpha():
            base = f"g_{base}"
        graphs[view.graph.name] = unique(base)
    for view in views:
        prefix = graphs[view.graph.name]
        for name in [a.name for a in view.agents] + view.undefined:
            nodes[(view.graph.name, name)] = unique(f"{prefix}__{clean(name)}")
    return graphs, nodes
