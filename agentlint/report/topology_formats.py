"""The agent topology as text: JSON, Mermaid and DOT renderings of the views of
``agentlint.report.topology_view``, with loops and findings marked.

Pure functions of the views -> text. Every list is sorted, so the same project gives
byte-identical output whatever the order of its files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from types import GeneratorType

from agentlint.findings import Finding, Severity
from agentlint.model.entities import EdgeKind
from agentlint.report.topology_view import (
    BOUNDED, ENDLESS, FILL, STROKE, UNBOUNDED, View, agent_lines, edge_label, identifiers, worst_severity,
)

SCHEMA_VERSION = 1
_MERMAID_LOOP = {
    ENDLESS: "stroke:#d62728,stroke-width:4px",
    UNBOUNDED: "stroke:#d62728,stroke-width:2px",
    BOUNDED: "stroke:#1f77b4,stroke-width:2px",
}
_DOT_LOOP = {ENDLESS: 'color="#d62728", penwidth=3', UNBOUNDED: 'color="#d62728", penwidth=2', BOUNDED: 'color="#1f77b4"'}


def header(fmt: str, names: Sequence[str]) -> str:
    """The first line of a Mermaid or DOT rendering: which graphs it shows."""
    shown = ", ".join(names).replace("\r", " ").replace("\n", " ")
    return f"{'%%' if fmt == 'mermaid' else '//'} agentlint graph {shown}"


def _location(entity) -> dict:
    return {"path": entity.ref.path, "line": entity.span.start.line, "column": entity.span.start.column}


def _finding(f: Finding) -> dict:
    return {"code": f.code, "severity": f.severity.value, "message": f.message,
            "path": f.path, "line": f.line, "column": f.column}


def to_json(views: list[View]) -> str:
    return _layout(_graph_data(view) for view in views)


def _graph_data(view: View) -> dict:
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


def to_mermaid(views: list[View]) -> str:
    graph_ids, node_ids = identifiers(views)
    out = [header("mermaid", [v.graph.name for v in views]), "flowchart TD"]
    classes: dict[str, list[str]] = {}
    link_styles: dict[str, list[int]] = {}
    link = 0
    for view in views:
        name = view.graph.name
        out.append(f'  subgraph {graph_ids[name]}["{_mermaid_text(name)}"]')
        for agent in view.agents:
            node = node_ids[(name, agent.name)]
            label = "<br/>".join(_mermaid_text(line) for line in agent_lines(view, agent))
            if agent.name == view.entry:
                shape = f'(["{label}"])'
                classes.setdefault("entry", []).append(node)
            elif agent.name in view.terminals:
                shape = f'[["{label}"]]'
            else:
                shape = f'["{label}"]'
            if agent.name in view.terminals:
                classes.setdefault("terminal", []).append(node)
            worst = worst_severity(view.agent_findings.get(agent.name, []))
            if worst is not None:
                classes.setdefault(f"finding_{worst.value}", []).append(node)
            out.append(f"    {node}{shape}")
        for missing in view.undefined:
            node = node_ids[(name, missing)]
            out.append(f'    {node}["{_mermaid_text(missing)}<br/>(undefined)"]')
            classes.setdefault("undefined", []).append(node)
        for index, edge in enumerate(view.edges):
            arrow = "-.->" if edge.kind in (EdgeKind.DELEGATE, EdgeKind.CALL) else "-->"
            label = edge_label(view, index)
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
        **{f"finding_{s.value}": f"fill:{FILL[s]},stroke:{STROKE[s]}" for s in Severity},
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


def to_dot(views: list[View]) -> str:
    graph_ids, node_ids = identifiers(views)
    out = [header("dot", [v.graph.name for v in views]), "digraph agentlint {",
           '  node [shape=box, style=rounded, fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    for view in views:
        name = view.graph.name
        out.append(f"  subgraph cluster_{graph_ids[name]} {{")
        out.append(f'    label="{_dot_text(name)}";')
        for agent in view.agents:
            label = "\\n".join(_dot_text(line) for line in agent_lines(view, agent))
            attrs = [f'label="{label}"']
            style = ["rounded"]
            if agent.name == view.entry:
                attrs.append("shape=oval")
                style.append("bold")
            if agent.name in view.terminals:
                attrs.append("peripheries=2")
            worst = worst_severity(view.agent_findings.get(agent.name, []))
            if worst is not None:
                style.append("filled")
                attrs.append(f'fillcolor="{FILL[worst]}", color="{STROKE[worst]}"')
            attrs.insert(1, f'style="{",".join(style)}"')
            out.append(f"    {node_ids[(name, agent.name)]} [{', '.join(attrs)}];")
        for missing in view.undefined:
            out.append(f'    {node_ids[(name, missing)]} [label="{_dot_text(missing)}\\n(undefined)", style="rounded,dashed"];')
        for index, edge in enumerate(view.edges):
            attrs = []
            label = edge_label(view, index)
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


