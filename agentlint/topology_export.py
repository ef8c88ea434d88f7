"""The agent topology as data and picture: JSON, Mermaid and DOT renderings of a Project's
graphs, with loops and findings marked, and the comparison behind ``agentlint graph --check``.

Pure functions of (Project, findings) -> text: no I/O, no clock, no environment. Every list is
sorted, so the same project gives byte-identical output whatever the order of its files.
Loops come from ``Topology.cycles()`` / ``unbounded_loops()`` (one entry per strongly
connected component): cycles are never enumerated, so a 12-agent swarm costs 132 edges.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import GeneratorType
from typing import TYPE_CHECKING

from agentlint.findings import Finding, Severity
from agentlint.model.entities import Agent, Edge, EdgeKind
from agentlint.model.project import AgentGraph, Project
from agentlint.model.source import Span

if TYPE_CHECKING:
    from agentlint.model.graph import Cycle, Topology

SCHEMA_VERSION = 1
FORMATS = ("mermaid", "dot", "json")
EXTENSIONS = {".mmd": "mermaid", ".mermaid": "mermaid", ".dot": "dot", ".gv": "dot", ".json": "json"}
FENCES = {"mermaid": "mermaid", "dot": "dot", "graphviz": "dot"}  # Markdown info string -> format
HEADER = re.compile(r"^\s*(?:%%|//)\s*agentlint graph (?P<names>.*?)\s*$")

# Loop status of an edge, worst first: inside a component no edge leaves (AL101), on a loop
# that avoids every bound (AL102), or on a loop that is bounded.
ENDLESS, UNBOUNDED, BOUNDED = "endless", "unbounded", "bounded"
_MERMAID_LOOP = {
    ENDLESS: "stroke:#d62728,stroke-width:4px",
    UNBOUNDED: "stroke:#d62728,stroke-width:2px",
    BOUNDED: "stroke:#1f77b4,stroke-width:2px",
}
_DOT_LOOP = {ENDLESS: 'color="#d62728", penwidth=3', UNBOUNDED: 'color="#d62728", penwidth=2', BOUNDED: 'color="#1f77b4"'}
_FILL = {Severity.ERROR: "#fde0dd", Severity.WARNING: "#fff3cd", Severity.INFO: "#e3f0fb"}
_STROKE = {Severity.ERROR: "#d62728", Severity.WARNING: "#e6a700", Severity.INFO: "#1f77b4"}
_RESERVED = {"end", "graph", "subgraph", "flowchart", "style", "class", "classdef", "linkstyle", "click",
             "direction", "default", "node", "edge", "digraph", "strict"}  # Mermaid and DOT keywords


class UnknownGraphError(ValueError):
    def __init__(self, missing: Sequence[str], known: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            f"no agent graph named {', '.join(repr(m) for m in missing)} (graphs: {', '.join(known) or 'none'})"
        )


# ----------------------------------------------------------------------------- the view


@dataclass(slots=True)
class _View:
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


def _views(project: Project, findings: Iterable[Finding], names: Sequence[str] | None) -> list[_View]:
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
        views.append(_View(graph, [graph.agents[a] for a in sorted(graph.agents)], sorted(used - graph.agents.keys()),
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


def _place(views: list[_View], findings: Iterable[Finding]) -> None:
    """Attach each finding to the agent, edge or graph whose span (or one of whose field
    spans) it points at, else to the edge whose entry contains it. Indexes the findings, not
    the entities: a large project has far more field spans than findings."""
    pending: dict[tuple[str, Span], list[Finding]] = {}
    for finding in findings:
        pending.setdefault((finding.path, finding.location.span), []).append(finding)

    def claim(view: _View, kind: str, key: object, found: list[Finding]) -> None:
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


def _worst(findings: list[Finding]) -> Severity | None:
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


def _agent_lines(view: _View, agent: Agent) -> list[str]:
    lines = [agent.name] + [v for v in (agent.role, agent.model, _limits(agent)) if v]
    if agent.name in view.agent_findings:
        lines.append(_codes(view.agent_findings[agent.name]))
    return lines


def _edge_label(view: _View, index: int) -> str:
    edge = view.edges[index]
    parts = [] if edge.kind is EdgeKind.HANDOFF else [edge.kind.value]
    if edge.condition is not None:
        parts.append(f"when {edge.condition}")
    if edge.max_traversals is not None:
        parts.append(f"max {edge.max_traversals}")
    if index in view.edge_findings:
        parts.append(_codes(view.edge_findings[index]))
    return "; ".join(parts)


def _ids(views: list[_View]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
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


def header(fmt: str, names: Sequence[str]) -> str:
    """The first line of a Mermaid or DOT rendering: which graphs it shows."""
    shown = ", ".join(names).replace("\r", " ").replace("\n", " ")
    return f"{'%%' if fmt == 'mermaid' else '//'} agentlint graph {shown}"


# ----------------------------------------------------------------------------- renderers


def render(fmt: str, project: Project, findings: Iterable[Finding] = (), graphs: Sequence[str] | None = None) -> str:
    """``graphs``: the names to show (default: all). Raises UnknownGraphError."""
    views = _views(project, findings, graphs)
    if fmt == "json":
        return _json(views)
    if fmt == "mermaid":
        return _mermaid(views)
    if fmt == "dot":
        return _dot(views)
    raise ValueError(f"unknown graph format {fmt!r} (choose from {', '.join(FORMATS)})")


def _location(entity) -> dict:
    return {"path": entity.ref.path, "line": entity.span.start.line, "column": entity.span.start.column}


def _finding(f: Finding) -> dict:
    return {"code": f.code, "severity": f.severity.value, "message": f.message,
            "path": f.path, "line": f.line, "column": f.column}


def _json(views: list[_View]) -> str:
    return _layout(_graph_data(view) for view in views)


def _graph_data(view: _View) -> dict:
    """One graph as JSON data; entity lists are generators, laid out one line per item."""
    graph = view.graph
    return {
        "name": graph.name,
        "framework": graph.framework,
        "entry": graph.entry,
        "terminals": sorted(view.terminals),
        "terminals_declared": bool(graph.declared_terminals),
        "turn_limit": graph.turn_limit,
        "agents": ({
            "name": a.name,
            "role": a.role,
            "model": a.model,
            "limits": {"timeout_seconds": a.timeout_seconds, "max_attempts": a.max_attempts,
                       "max_iterations": a.max_iterations, "defaults": dict(sorted(a.implicit))},
            "entry": a.name == view.entry,
            "terminal": a.name in view.terminals,
            "location": _location(a),
            "findings": [_finding(f) for f in view.agent_findings.get(a.name, ())],
        } for a in view.agents),
        "undefined_agents": view.undefined,
        "edges": ({
            "source": e.source,
            "target": e.target,
            "kind": e.kind.value,
            "condition": e.condition,
            "bound": e.max_traversals,
            "loop": view.loop[i],
            "location": _location(e),
            "findings": [_finding(f) for f in view.edge_findings.get(i, ())],
        } for i, e in enumerate(view.edges)),
        "cycles": ({
            "agents": list(cycle.agents),
            "has_exit": cycle.has_exit,
            "bounded": cycle.bounded,
            "bound": cycle.bound(),
            "exits": [{"source": s, "target": t} for s, t in sorted({(e.source, e.target) for e in cycle.exits})],
            "unbounded_loops": loops,
        } for cycle, loops in view.cycles),
        "findings": (_finding(f) for f in view.graph_findings),
    }


def _layout(graphs: Iterable[dict]) -> str:
    """Indented JSON with one line per agent, edge, cycle or finding: diffs stay readable,
    json's C encoder does the bulk (``indent=`` would use the pure-Python one), and each
    entity's dicts are dropped as soon as it is a line (fewer live objects for the GC)."""

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    blocks = []
    for graph in graphs:
        members = []
        for key, value in graph.items():
            if isinstance(value, GeneratorType):
                items = [dumps(item) for item in value]
                value_text = "[\n        " + ",\n        ".join(items) + "\n      ]" if items else "[]"
            else:
                value_text = dumps(value)
            members.append(f"      {dumps(key)}: {value_text}")
        blocks.append("    {\n" + ",\n".join(members) + "\n    }")
    body = "\n" + ",\n".join(blocks) + "\n  " if blocks else ""
    return f'{{\n  "schema_version": {SCHEMA_VERSION},\n  "graphs": [{body}]\n}}\n'


def _mermaid_text(text: str) -> str:
    out = text.replace("#", "#35;").replace("&", "#38;").replace('"', "#quot;")
    for char, code in (("<", "#60;"), (">", "#62;"), ("[", "#91;"), ("]", "#93;"), ("{", "#123;"),
                       ("}", "#125;"), ("|", "#124;"), ("`", "#96;"), ("\n", " "), ("\r", " ")):
        out = out.replace(char, code)
    return out


def _mermaid(views: list[_View]) -> str:
    graph_ids, node_ids = _ids(views)
    out = [header("mermaid", [v.graph.name for v in views]), "flowchart TD"]
    classes: dict[str, list[str]] = {}
    link_styles: dict[str, list[int]] = {}
    link = 0
    for view in views:
        name = view.graph.name
        out.append(f'  subgraph {graph_ids[name]}["{_mermaid_text(name)}"]')
        for agent in view.agents:
            node = node_ids[(name, agent.name)]
            label = "<br/>".join(_mermaid_text(line) for line in _agent_lines(view, agent))
            if agent.name == view.entry:
                shape = f'(["{label}"])'
                classes.setdefault("entry", []).append(node)
            elif agent.name in view.terminals:
                shape = f'[["{label}"]]'
            else:
                shape = f'["{label}"]'
            if agent.name in view.terminals:
                classes.setdefault("terminal", []).append(node)
            worst = _worst(view.agent_findings.get(agent.name, []))
            if worst is not None:
                classes.setdefault(f"finding_{worst.value}", []).append(node)
            out.append(f"    {node}{shape}")
        for missing in view.undefined:
            node = node_ids[(name, missing)]
            out.append(f'    {node}["{_mermaid_text(missing)}<br/>(undefined)"]')
            classes.setdefault("undefined", []).append(node)
        for index, edge in enumerate(view.edges):
            arrow = "-.->" if edge.kind in (EdgeKind.DELEGATE, EdgeKind.CALL) else "-->"
            label = _edge_label(view, index)
            text = f'|"{_mermaid_text(label)}"|' if label else ""
            out.append(f"    {node_ids[(name, edge.source)]} {arrow}{text} {node_ids[(name, edge.target)]}")
            if view.loop[index]:
                link_styles.setdefault(view.loop[index], []).append(link)
            link += 1
        out.append("  end")
    styles = {
        "entry": "stroke-width:3px",
        "terminal": "stroke:#2ca02c,stroke-width:3px",
        "undefined": "stroke-dasharray:5 5,fill:#f4f4f4",
        **{f"finding_{s.value}": f"fill:{_FILL[s]},stroke:{_STROKE[s]}" for s in Severity},
    }
    for cls in sorted(classes):
        out.append(f"  classDef {cls} {styles[cls]}")
    for cls in sorted(classes):
        out.append(f"  class {','.join(classes[cls])} {cls}")
    for mark in (BOUNDED, UNBOUNDED, ENDLESS):
        if mark in link_styles:
            out.append(f"  linkStyle {','.join(map(str, link_styles[mark]))} {_MERMAID_LOOP[mark]}")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", " ")


def _dot(views: list[_View]) -> str:
    graph_ids, node_ids = _ids(views)
    out = [header("dot", [v.graph.name for v in views]), "digraph agentlint {",
           '  node [shape=box, style=rounded, fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    for view in views:
        name = view.graph.name
        out.append(f"  subgraph cluster_{graph_ids[name]} {{")
        out.append(f'    label="{_dot_text(name)}";')
        for agent in view.agents:
            label = "\\n".join(_dot_text(line) for line in _agent_lines(view, agent))
            attrs = [f'label="{label}"']
            style = ["rounded"]
            if agent.name == view.entry:
                attrs.append("shape=oval")
                style.append("bold")
            if agent.name in view.terminals:
                attrs.append("peripheries=2")
            worst = _worst(view.agent_findings.get(agent.name, []))
            if worst is not None:
                style.append("filled")
                attrs.append(f'fillcolor="{_FILL[worst]}", color="{_STROKE[worst]}"')
            attrs.insert(1, f'style="{",".join(style)}"')
            out.append(f"    {node_ids[(name, agent.name)]} [{', '.join(attrs)}];")
        for missing in view.undefined:
            out.append(f'    {node_ids[(name, missing)]} [label="{_dot_text(missing)}\\n(undefined)", style="rounded,dashed"];')
        for index, edge in enumerate(view.edges):
            attrs = []
            label = _edge_label(view, index)
            if label:
                attrs.append(f'label="{_dot_text(label)}"')
            if edge.kind in (EdgeKind.DELEGATE, EdgeKind.CALL):
                attrs.append("style=dashed")
            if view.loop[index]:
                attrs.append(_DOT_LOOP[view.loop[index]])
            tail = f" [{', '.join(attrs)}]" if attrs else ""
            out.append(f"    {node_ids[(name, edge.source)]} -> {node_ids[(name, edge.target)]}{tail};")
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- --check and --output


def format_for(path: str | None) -> str | None:
    """The format a file name implies (``.md`` holds fenced blocks: none implied)."""
    if not path:
        return None
    lowered = path.lower()
    return next((fmt for ext, fmt in EXTENSIONS.items() if lowered.endswith(ext)), None)


def is_markdown(path: str) -> bool:
    return path.lower().endswith((".md", ".markdown"))


def normalise(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


@dataclass(frozen=True, slots=True)
class Block:
    """A fenced Markdown block in a format agentlint renders, with the graphs its header names."""

    fmt: str
    line: int  # 1-based line of the opening fence
    body_start: int  # 0-based index of the first body line
    body_end: int  # 0-based index of the closing fence (exclusive end of the body)
    body: str
    names: tuple[str, ...] | None  # None: no agentlint header, not ours


def fenced_blocks(text: str) -> list[Block]:
    lines = text.replace("\r\n", "\n").split("\n")
    blocks, i = [], 0
    while i < len(lines):
        opening = re.match(r"^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)", lines[i])
        if not opening:
            i += 1
            continue
        fence, info = opening.group(1), opening.group(2).lower()
        end = i + 1
        while end < len(lines) and not re.match(rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}\s*$", lines[end]):
            end += 1
        body = lines[i + 1:end]
        if info in FENCES:
            first = next((line for line in body if line.strip()), "")
            match = HEADER.match(first)
            names = tuple(n for n in match.group("names").split(", ") if n) if match else None
            blocks.append(Block(FENCES[info], i + 1, i + 1, end, "\n".join(body) + "\n", names))
        i = end + 1
    return blocks


def diff(expected: str, actual: str, path: str) -> str:
    lines = difflib.unified_diff(
        normalise(expected).splitlines(keepends=True), normalise(actual).splitlines(keepends=True),
        fromfile=f"{path} (committed)", tofile="agentlint graph (current code)",
    )
    return "".join(lines)


def check_file(path: str, text: str, fmt: str | None, project: Project, findings: Sequence[Finding],
               graphs: Sequence[str] | None) -> list[str]:
    """Problems (message, then diff) between a committed diagram and the code; [] when current.

    A raw ``.mmd``/``.dot``/``.json`` file must equal the rendering of ``graphs`` (default:
    the graphs its header names, else all). In Markdown, every block headed
    ``%% agentlint graph NAMES`` (or ``// …`` in a dot block) must equal the rendering of its
    graphs, and each selected graph (default: all) must appear in one."""
    known = sorted(g.name for g in project.graphs)
    if not is_markdown(path):
        fmt = fmt or format_for(path) or "mermaid"
        names = list(graphs) if graphs else None
        match = HEADER.match(next((line for line in text.splitlines() if line.strip()), ""))
        if names is None and match and fmt != "json":
            names = [n for n in match.group("names").split(", ") if n]
        gone = [n for n in names or () if n not in known]
        if gone:
            return [f"{path}: shows graph(s) {', '.join(gone)} that no longer exist (graphs: {', '.join(known) or 'none'})"]
        current = render(fmt, project, findings, names)
        if normalise(text) == normalise(current):
            return []
        return [f"{path}: the {fmt} diagram no longer matches the code\n{diff(text, current, path)}"]
    problems, covered = [], set()
    for block in fenced_blocks(text):
        if block.names is None or (fmt and block.fmt != fmt):
            continue
        if graphs and not set(block.names) & set(graphs):
            continue
        gone = [n for n in block.names if n not in known]
        if gone:
            problems.append(f"{path}:{block.line}: the {block.fmt} block shows graph(s) {', '.join(gone)} that no longer exist")
            continue
        covered.update(block.names)
        current = render(block.fmt, project, findings, block.names)
        if normalise(block.body) != normalise(current):
            problems.append(f"{path}:{block.line}: the {block.fmt} block of graph(s) {', '.join(block.names)} "
                            f"no longer matches the code\n{diff(block.body, current, f'{path}:{block.line}')}")
    for name in sorted(set(graphs or known) - covered):
        problems.append(f"{path}: no ```{fmt or 'mermaid'} block starts with '{header(fmt or 'mermaid', [name])}': "
                        f"graph '{name}' is not documented there")
    return problems


def update_markdown(text: str, fmt: str, rendering: str, names: Sequence[str]) -> str:
    """Replace the body of the block headed with ``names`` (else append a new block)."""
    for block in fenced_blocks(text):
        if block.fmt == fmt and block.names == tuple(names):
            lines = text.replace("\r\n", "\n").split("\n")
            body = rendering.rstrip("\n").split("\n")
            return "\n".join(lines[:block.body_start] + body + lines[block.body_end:])
    fence = "mermaid" if fmt == "mermaid" else "dot"
    prefix = text if not text or text.endswith("\n") else text + "\n"
    return f"{prefix}{chr(10) if prefix else ''}```{fence}\n{rendering.rstrip(chr(10))}\n```\n"
