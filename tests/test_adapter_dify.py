"""Dify DSL exports -> agent graph: exact steps, edges (branches, loops as bounded cycles,
iterations as calls), limits and spans; agent-chat apps; then the whole engine, and the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint import api
from agentlint.adapters import dify
from agentlint.adapters.base import Adapted
from agentlint.config import CliOverrides
from agentlint.loaders.yaml import load_yaml
from agentlint.model.entities import Agent, AgentReference, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Pos, Span
from tests.conftest import CORPUS
from tests.helpers import materialize_corpus, project_findings

PATH = "dsl/research.yml"
GRAPH = f"Research desk ({PATH})"
NODES = ("workflow", "graph", "nodes")
EDGES = ("workflow", "graph", "edges")
APP = """app:
  name: Research desk
  mode: workflow
kind: app
version: 0.3.0
workflow:
  graph:
    edges:
    - {id: e1, source: start, sourceHandle: source, target: plan, targetHandle: target}
    - {id: e2, source: plan, sourceHandle: source, target: gate, targetHandle: target}
    - {id: e3, source: gate, sourceHandle: 'true', target: refine, targetHandle: target}
    - {id: e4, source: refine, sourceHandle: source, target: each, targetHandle: target}
    - {id: e5, source: refinestart, sourceHandle: source, target: draft, targetHandle: target}
    - {id: e6, source: draft, sourceHandle: source, target: check, targetHandle: target}
    - {id: e7, source: eachstart, sourceHandle: source, target: fetch, targetHandle: target}
    - {id: e8, source: each, sourceHandle: source, target: writer, targetHandle: target}
    - {id: e9, source: writer, sourceHandle: source, target: done, targetHandle: target}
    - {id: e10, source: writer, sourceHandle: fail-branch, target: sorry, targetHandle: target}
    - {id: e11, source: sorry, sourceHandle: source, target: nowhere, targetHandle: target}
    nodes:
    - id: start
      data: {type: start, title: Start}
    - id: plan
      data:
        type: agent
        title: Planner
        agent_parameters:
          maximum_iterations: {type: constant, value: 30}
          tools: {type: constant, value: [{tool_name: web_search}]}
          instruction: {type: constant, value: Plan the research.}
    - id: gate
      data: {type: if-else, title: Enough?, cases: [{case_id: 'true'}]}
    - id: refine
      data: {type: loop, title: Refine, loop_count: 12, start_node_id: refinestart}
    - id: refinestart
      parentId: refine
      data: {type: loop-start, title: '', isInLoop: true}
    - id: draft
      parentId: refine
      data: {type: llm, title: Draft, model: {name: gpt-4o-mini}, retry_config: {retry_enabled: true, max_retries: 2, retry_interval: 500}}
    - id: check
      parentId: refine
      data: {type: code, title: Check, loop_id: refine}
    - id: each
      data: {type: iteration, title: Each source, start_node_id: eachstart}
    - id: eachstart
      parentId: each
      data: {type: iteration-start, title: ''}
    - id: fetch
      parentId: each
      data: {type: http-request, title: Fetch, timeout: {connect: 5, read: 30, write: 0}}
    - id: writer
      data: {type: llm, title: Draft, error_strategy: fail-branch, retry_config: {retry_enabled: false}}
    - id: sorry
      data: {type: answer, title: Sorry}
    - id: done
      data: {type: end, title: Done}
    - id: note1
      type: custom-note
      data: {type: '', title: ''}
"""


def span(line: int, column: int, end_column: int) -> Span:
    return Span(Pos(line, column), Pos(line, end_column))


def adapt(text: str, path: str = PATH) -> Adapted:
    assert dify.claims(path, text)
    loaded = load_yaml(path, text)
    assert loaded.problems == []
    return dify.adapt(loaded)


def only_part(text: str, path: str = PATH) -> GraphPart:
    adapted = adapt(text, path)
    assert adapted.problems == []
    (part,) = adapted.parts
    return part


def findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int, int]]:
    # the rule families this adapter feeds: shape, topology, runtime limits
    return project_findings(tmp_path, files, ("AL0", "AL1", "AL3"))


def test_steps_names_and_limits() -> None:
    part = only_part(APP)
    assert (part.name, part.framework, part.entry, part.span) == (GRAPH, "dify", "Start", span(2, 9, 22))
    # notes and the loop-start / iteration-start markers are not steps; "Draft" is used twice
    assert [(a.name, a.role) for a in part.agents] == [
        ("Start", "start"),
        ("Planner", "agent"),
        ("Enough?", "if-else"),
        ("Refine", "loop"),
        ("Draft (draft)", "llm"),
        ("Check", "code"),
        ("Each source", "iteration"),
        ("Fetch", "http-request"),
        ("Draft (writer)", "llm"),
        ("Sorry", "answer"),
        ("Done", "end"),
    ]
    # Enough? has no else branch, Fetch ends each item of the iteration
    assert part.terminals == ("Enough?", "Fetch", "Sorry", "Done")
    planner = part.agents[1]
    assert planner == Agent(
        ref=NodeRef(PATH, (*NODES, 1)),
        span=span(26, 16, 23),
        fields=(("role", span(25, 15, 20)), ("max_iterations", span(28, 55, 57))),
        name="Planner",
        graph=GRAPH,
        framework="dify",
        role="agent",
        prompt="Plan the research.",
        tools=("web_search",),
        max_iterations=30,
        settable=frozenset({"model", "prompt", "tools", "max_iterations"}),
    )
    draft, writer = part.agents[4], part.agents[8]
    assert (draft.max_attempts, draft.model, draft.settable, draft.span_of("max_attempts"), draft.span_of("model")) == (
        3,
        "gpt-4o-mini",
        frozenset({"model", "prompt", "max_attempts"}),
        span(40, 116, 117),
        span(40, 53, 64),
    )
    assert (writer.max_attempts, writer.span_of("max_attempts")) == (1, span(53, 98, 103))  # retry written disabled
    fetch = part.agents[7]
    assert (fetch.timeout_seconds, fetch.settable, fetch.span_of("timeout")) == (35.0, frozenset(), span(51, 48, 55))


def test_edges_loops_and_iterations() -> None:
    part = only_part(APP)
    got = [(e.source, e.target, e.kind, e.condition, e.max_traversals, e.ref.pointer, e.span) for e in part.edges]
    assert got == [
        ("Start", "Planner", EdgeKind.SEQUENCE, None, None, (*EDGES, 0), span(9, 7, 88)),
        ("Planner", "Enough?", EdgeKind.SEQUENCE, None, None, (*EDGES, 1), span(10, 7, 87)),
        ("Enough?", "Refine", EdgeKind.SEQUENCE, "case true", None, (*EDGES, 2), span(11, 7, 89)),
        ("Refine", "Each source", EdgeKind.SEQUENCE, None, None, (*EDGES, 3), span(12, 7, 89)),
        # the loop-start marker's edge: the loop node runs its body
        ("Refine", "Draft (draft)", EdgeKind.CALL, "loop body", None, (*EDGES, 4), span(13, 7, 95)),
        ("Draft (draft)", "Check", EdgeKind.SEQUENCE, None, None, (*EDGES, 5), span(14, 7, 89)),
        ("Each source", "Fetch", EdgeKind.CALL, "each item", None, (*EDGES, 6), span(15, 7, 93)),
        ("Each source", "Draft (writer)", EdgeKind.SEQUENCE, None, None, (*EDGES, 7), span(16, 7, 89)),
        ("Draft (writer)", "Done", EdgeKind.SEQUENCE, None, None, (*EDGES, 8), span(17, 7, 89)),
        ("Draft (writer)", "Sorry", EdgeKind.SEQUENCE, "on failure", None, (*EDGES, 9), span(18, 7, 96)),
        ("Sorry", "nowhere", EdgeKind.SEQUENCE, None, None, (*EDGES, 10), span(19, 7, 92)),
        # the body's last node returns to the loop node at most loop_count times
        ("Check", "Refine", EdgeKind.SEQUENCE, "next iteration", 12, (*NODES, 3, "data", "loop_count"), span(34, 53, 55)),
    ]
    assert part.edges[-1].span_of("max_traversals") == span(34, 53, 55)
    assert part.references[20:22] == (
        AgentReference(NodeRef(PATH, (*EDGES, 10)), span(19, 25, 30), (), "Sorry", GRAPH, "edge source"),
        AgentReference(NodeRef(PATH, (*EDGES, 10)), span(19, 62, 69), (), "nowhere", GRAPH, "edge target"),
    )


def test_engine(tmp_path: Path) -> None:
    assert findings(tmp_path, {PATH: APP}) == [
        ("AL103", PATH, 28, 55),  # maximum_iterations 30 > 25
        ("AL103", PATH, 34, 53),  # loop_count 12 > 10
        ("AL106", PATH, 19, 62),  # edge to a node id that does not exist
        ("AL311", PATH, 22, 34),  # the loop multiplies its body: (1 + 12) × (1 + 3 + 1) ...
    ]


def test_loop_without_loop_count_is_reported_and_unbounded(tmp_path: Path) -> None:
    text = APP.replace("loop_count: 12, ", "")
    adapted = adapt(text)
    assert [(p.code, p.message, p.location.span) for p in adapted.problems] == [
        ("AL002", "loop 'Refine' has no integer 'loop_count'", span(34, 7, 11)),  # at the data key
    ]
    codes = [code for code, *_ in findings(tmp_path, {PATH: text})]
    assert "AL102" in codes and "AL002" in codes


def test_question_classifier_classes_and_open_classes() -> None:
    text = """\
app: {name: Router, mode: advanced-chat}
kind: app
workflow:
  graph:
    nodes:
    - {id: s, data: {type: start, title: Start}}
    - {id: q, data: {type: question-classifier, title: Kind, classes: [{id: '1', name: billing}, {id: '2', name: other}]}}
    - {id: b, data: {type: answer, title: Billing}}
    edges:
    - {source: s, target: q}
    - {source: q, sourceHandle: '1', target: b}
"""
    part = only_part(text, "router.yaml")
    assert [(e.source, e.target, e.condition) for e in part.edges] == [("Start", "Kind", None), ("Kind", "Billing", "class billing")]
    assert part.terminals == ("Kind", "Billing")
    assert part.agents[1].settable == frozenset({"model"})  # the DSL offers no limit for a classifier


def test_agent_chat_app_is_one_agent() -> None:
    text = """\
app: {name: Helper, mode: agent-chat}
kind: app
version: 0.1.5
model_config:
  model: {provider: openai, name: gpt-4o}
  pre_prompt: You help.
  agent_mode:
    enabled: true
    strategy: function_call
    max_iteration: 8
    tools:
    - {provider_id: google, tool_name: google_search, enabled: true}
"""
    part = only_part(text, "helper.yml")
    (agent,) = part.agents
    assert (agent.name, agent.role, agent.model, agent.prompt, agent.tools, agent.max_iterations, agent.span_of("max_iterations")) == (
        "Helper",
        "agent-chat",
        "gpt-4o",
        "You help.",
        ("google_search",),
        8,
        span(10, 20, 21),
    )
    assert (part.entry, part.terminals, part.edges) == ("Helper", ("Helper",), ())


@pytest.mark.parametrize(
    ("path", "text", "claimed"),
    [
        ("a.yml", APP, True),
        ("a.json", APP, False),
        ("values.yaml", "app:\n  image: nginx\nreplicas: 2\n", False),
        ("ci.yml", "app:\n  name: x\njobs:\n  build: {}\n", False),
    ],
)
def test_claims(path: str, text: str, claimed: bool) -> None:
    assert dify.claims(path, text) is claimed


def test_look_alike_with_app_and_graph_produces_nothing() -> None:
    assert adapt("app: {name: x}\nworkflow: {steps: []}\nmeta:\n  graph: {}\n", "x.yml").parts == []


EXPECTED_CORPUS = [
    # no retry_config on any LLM node: retries left at Dify's default (off)
    ("AL302", "svcvit/Awesome-Dify-Workflow/DSL/Artifact.yml", 122),
    ("AL302", "svcvit/Awesome-Dify-Workflow/DSL/runLLMCode.yml", 308),
] + [
    ("AL302", "svcvit/Awesome-Dify-Workflow/DSL/Deep Researcher On Dify .yml", line)
    for line in (929, 1086, 1515, 1602, 1641, 1680, 1719, 1797, 1874, 1947, 2088, 2731, 2781)
]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus(tmp_path: Path) -> None:
    materialize_corpus(tmp_path, "dify-dsl")
    root = tmp_path / "dify-dsl"
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=root)
    result = api.check(["."], settings, root=root)
    assert not result.internal_error
    assert not [f for f in result.findings if f.code.startswith("AL9")]
    got = sorted((f.code, f.path, f.line) for f in result.findings if f.code[:3] in ("AL0", "AL1", "AL3"))
    assert got == sorted(EXPECTED_CORPUS)
