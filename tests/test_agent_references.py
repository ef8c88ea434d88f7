"""The neutral adapter's memory (issue 14, 10,000-file memory row): agent references kept
compactly (two slots of one tuple each and a shape shared by documents, instead of an
AgentReference and its NodeRef; built back equal when read, so findings, locations and
suppressions stay as they were) and names shared across documents; and a document pydantic
cannot read (a lone surrogate) is a located AL002."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from agentlint.adapters import neutral
from agentlint.adapters.base import Adapted
from agentlint.cache_codec import _pickle
from agentlint.loaders.json import load_json
from agentlint.loaders.yaml import load_yaml
from agentlint.model.agent_graph import link_parts, merge_parts
from agentlint.model.entities import AgentReference, AgentReferences, GraphPart, ReferenceChain, reference_names
from agentlint.model.source import NodeRef, Pos, Span
from tests.helpers import project_result

GRAPH = """\
apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: desk}
entry: triage
terminals: [done, triage]
agents:
  triage: {role: router}
  done: {role: answer}
edges:
  - {from: triage, to: done}
  - from: done
    to: triag
"""


def span(line: int, column: int, end_line: int, end_column: int) -> Span:
    return Span(Pos(line, column), Pos(end_line, end_column))


def adapted(path: str = "g.yaml", text: str = GRAPH) -> GraphPart:
    doc = load_yaml(path, text).docs[0]
    out = Adapted()
    neutral._adapt_graph(doc, doc.data, out)
    (part,) = out.parts
    return part


EXPECTED = [  # at the key that names the agent, as the adapter always pointed
    AgentReference(NodeRef("g.yaml", ("edges", 0, "from")), span(10, 6, 10, 10), (), "triage", "desk", "edge source"),
    AgentReference(NodeRef("g.yaml", ("edges", 0, "to")), span(10, 20, 10, 22), (), "done", "desk", "edge target"),
    AgentReference(NodeRef("g.yaml", ("edges", 1, "from")), span(11, 5, 11, 9), (), "done", "desk", "edge source"),
    AgentReference(NodeRef("g.yaml", ("edges", 1, "to")), span(12, 5, 12, 7), (), "triag", "desk", "edge target"),
    AgentReference(NodeRef("g.yaml", ("entry",)), span(4, 1, 4, 6), (), "triage", "desk", "entry"),
    AgentReference(NodeRef("g.yaml", ("terminals", 0)), span(5, 13, 5, 17), (), "done", "desk", "terminal"),
    AgentReference(NodeRef("g.yaml", ("terminals", 1)), span(5, 19, 5, 25), (), "triage", "desk", "terminal"),
]


def test_neutral_references_are_compact_and_read_back_as_the_entities_they_were() -> None:
    part = adapted()
    assert type(part.references) is AgentReferences
    assert len(part.references) == 7 and len(part.references.flat) == 14  # (name, span) each
    assert adapted("other.yaml").references.places is part.references.places  # one per document shape
    assert list(part.references) == EXPECTED
    assert part.references[-1] == EXPECTED[-1] and part.references[3] == EXPECTED[3]
    with pytest.raises(IndexError):
        part.references[7]
    assert list(reference_names(part.references)) == ["triage", "done", "done", "triag", "triage", "done", "triage"]
    assert list(reference_names(tuple(EXPECTED))) == list(reference_names(part.references))


def test_json_documents_and_later_documents_keep_their_index() -> None:
    text = '{"apiVersion": "agentlint/v1", "kind": "AgentGraph", "metadata": {"name": "j"},\n' \
           ' "agents": {"a": {}}, "edges": [{"from": "a", "to": "b"}]}\n'
    doc = load_json("g.json", text).docs[0]
    out = Adapted()
    neutral._adapt_graph(doc, doc.data, out)
    assert list(out.parts[0].references) == [
        AgentReference(NodeRef("g.json", ("edges", 0, "from")), span(2, 34, 2, 40), (), "a", "j", "edge source"),
        AgentReference(NodeRef("g.json", ("edges", 0, "to")), span(2, 47, 2, 51), (), "b", "j", "edge target"),
    ]
    second = load_yaml("m.yaml", "a: 1\n---\n" + GRAPH).docs[1]
    out = Adapted()
    neutral._adapt_graph(second, second.data, out)
    assert out.parts[0].references[0].ref == NodeRef("m.yaml", ("edges", 0, "from"), 1)


def test_a_merged_graph_reads_its_parts_references_in_order_and_builds_only_the_undefined() -> None:
    first, second = adapted("a.yaml"), adapted("b.yaml")
    graph = merge_parts("desk", [second, first])  # sorted by path, as before
    assert type(graph.references) is ReferenceChain
    assert len(graph.references) == 14 and graph.references
    assert [r.ref.path for r in graph.references] == ["a.yaml"] * 7 + ["b.yaml"] * 7
    assert graph.references[7].ref.path == "b.yaml" and graph.references[-1].context == "terminal"
    assert [(r.ref.path, r.name) for r in graph.references.undefined(graph.agents)] == [("a.yaml", "triag"), ("b.yaml", "triag")]
    assert not merge_parts("empty", [GraphPart(NodeRef("e.yaml"), span(1, 1, 1, 1), (), "empty")]).references


def test_aliases_rename_compact_references_without_building_them() -> None:
    part = adapted()
    renamed = part.references.renamed("root", lambda name: name.upper())
    assert type(renamed) is AgentReferences and renamed.graph == "root"
    assert [(r.name, r.graph, r.span) for r in renamed] == [(e.name.upper(), "root", e.span) for e in EXPECTED]
    # "triag" is another name of desk's "done", and a root part points at it: one graph, "root"
    desk = replace(part, aliases=(("triag", "done"),))
    root = GraphPart(NodeRef("r.yaml"), span(1, 1, 1, 1), (), "root",
                     references=(AgentReference(NodeRef("r.yaml", ("x",)), span(1, 1, 1, 1), (), "triag", "root", "x"),))
    linked, _ = link_parts([desk, root])
    assert linked.name == "root" and type(linked.references) is AgentReferences
    assert list(linked.references) == [replace(e, graph="root", name="done" if e.name == "triag" else e.name) for e in EXPECTED]


def test_compact_references_survive_the_cache_codec() -> None:
    part = adapted()
    Pickler, Unpickler = _pickle()
    out = io.BytesIO()
    Pickler(out, protocol=5).dump(part)
    back = Unpickler(io.BytesIO(out.getvalue())).load()
    assert back == part and type(back.references) is AgentReferences
    assert list(back.references) == EXPECTED


def test_undefined_agent_findings_point_where_they_did(tmp_path: Path) -> None:
    result = project_result(tmp_path, {
        "g.yaml": GRAPH,
        "h.yaml": GRAPH.replace("desk", "other").replace("to: triag", "to: triag  # agentlint: ignore[AL106] known typo"),
    })
    found = [(f.path, f.line, f.column, f.message) for f in result.findings if f.code == "AL106"]
    assert found == [("g.yaml", 12, 5, "edge target 'triag' is not an agent of graph 'desk'")]
    assert [(f.path, f.line, f.column) for f in result.suppressed if f.code == "AL106"] == [("h.yaml", 12, 5)]
    assert not [f for f in result.findings if f.code == "AL903"]  # the directive suppressed it


def test_tool_references_share_their_server_and_tool_names() -> None:
    text = GRAPH.replace("triage: {role: router}", "triage: {role: router, tools: [search.web, search.news]}")
    refs = []
    for path in ("a.yaml", "b.yaml"):
        doc = load_yaml(path, text).docs[0]
        out = Adapted()
        neutral._adapt_graph(doc, doc.data, out)
        refs.extend(out.entities)
    assert [(r.ref.path, r.server, r.tool) for r in refs] == [
        ("a.yaml", "search", "web"), ("a.yaml", "search", "news"), ("b.yaml", "search", "web"), ("b.yaml", "search", "news")
    ]
    assert refs[0].server is refs[1].server is refs[2].server and refs[0].tool is refs[2].tool  # one string per name


def test_names_read_from_json_are_shared_with_every_other_document() -> None:
    text = '{"apiVersion": "agentlint/v1", "kind": "AgentGraph", "metadata": {"name": "j"}, "agents": ' \
           '{"triage": {"role": "router", "model": "gpt-4o", "tools": ["search.web"]}}, "edges": [{"from": "triage", "to": "done", "when": "ok"}]}'
    parts = []
    for path in ("a.json", "b.json"):
        doc = load_json(path, text).docs[0]
        out = Adapted()
        neutral._adapt_graph(doc, doc.data, out)
        parts.append(out.parts[0])
    (a_edge,), (b_edge,) = parts[0].edges, parts[1].edges
    (a_agent,), (b_agent,) = parts[0].agents, parts[1].agents
    assert (a_edge.source, a_edge.target, a_edge.condition, a_agent.role, a_agent.model) == ("triage", "done", "ok", "router", "gpt-4o")
    assert a_edge.source is b_edge.source is a_agent.name is b_agent.name and a_edge.target is b_edge.target
    assert a_edge.condition is b_edge.condition and a_agent.role is b_agent.role and a_agent.model is b_agent.model
    assert a_agent.tools is b_agent.tools and a_agent.tools == ("search.web",) and a_agent.ref.pointer is b_agent.ref.pointer


def test_a_lone_surrogate_value_is_a_located_shape_problem_not_a_crash(tmp_path: Path) -> None:
    text = 'apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: g}\nagents:\n  a: {role: r, timeout: "\\ud800\\udc00"}\n'
    result = project_result(tmp_path, {"g.yaml": text})
    assert [(f.code, f.path, f.line, f.column) for f in result.findings if f.code in ("AL002", "AL901")] == [("AL002", "g.yaml", 5, 25)]
    assert "lone surrogate" in result.findings[0].message
