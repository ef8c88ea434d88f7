"""Langflow flow exports -> agent graph: exact steps, edges, tools, configuration feeders and
limits with spans; routers and for-each loops; then the whole engine, and the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentlint import api
from agentlint.adapters import langflow
from agentlint.adapters.base import Adapted
from agentlint.config import CliOverrides
from agentlint.loaders.json import load_json
from agentlint.model.entities import Agent, AgentReference, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Pos, Span
from tests.conftest import CORPUS
from tests.helpers import materialize_corpus, project_findings

PATH = "flows/answer-desk.json"
GRAPH = f"Answer desk ({PATH})"
FLOW = """{
  "name": "Answer desk",
  "data": {
    "nodes": [
      {"id": "ChatInput-a1", "type": "genericNode", "data": {"type": "ChatInput", "node": {"display_name": "Chat Input", "base_classes": ["Message"], "template": {"code": {"value": "class ChatInput: ..."}}}}},
      {"id": "Agent-b2", "type": "genericNode", "data": {"type": "Agent", "node": {"display_name": "Agent", "base_classes": ["Message"], "template": {
        "agent_llm": {"value": "OpenAI"}, "model_name": {"value": "gpt-4o-mini"}, "system_prompt": {"value": ""}, "tools": {"type": "other", "value": ""},
        "max_iterations": {"value": 15}, "timeout": {"value": 700}, "max_retries": {"value": 2}, "code": {"value": "import os\\nos.system('never run')"}}}}},
      {"id": "OpenAIModel-c3", "type": "genericNode", "data": {"type": "OpenAIModel", "node": {"display_name": "Critic", "base_classes": ["LanguageModel", "Message"], "template": {
        "model_name": {"value": "gpt-4o"}, "timeout": {"value": 30}, "max_retries": {"value": 7}}}}},
      {"id": "ConditionalRouter-d4", "type": "genericNode", "data": {"type": "ConditionalRouter", "node": {"display_name": "If-Else", "base_classes": ["Message"],
        "outputs": [{"name": "true_result"}, {"name": "false_result"}], "template": {"max_iterations": {"value": 3}}}}},
      {"id": "ChatOutput-e5", "type": "genericNode", "data": {"type": "ChatOutput", "node": {"display_name": "Chat Output", "base_classes": ["Message"], "template": {}}}},
      {"id": "TextInput-f6", "type": "genericNode", "data": {"type": "TextInput", "node": {"display_name": "Instructions", "base_classes": ["Message"], "template": {}}}},
      {"id": "Calculator-g7", "type": "genericNode", "data": {"type": "CalculatorComponent", "node": {"display_name": "Calculator", "base_classes": ["Data"], "template": {}}}},
      {"id": "Agent-h8", "type": "genericNode", "data": {"type": "Agent", "node": {"display_name": "Helper", "base_classes": ["Message"], "template": {
        "agent_llm": {"value": "Anthropic"}, "tools": {"value": ""}, "max_iterations": {"value": ""}}}}},
      {"id": "URL-i9", "type": "genericNode", "data": {"type": "URL", "node": {"display_name": "URL", "base_classes": ["Data"], "template": {"timeout": {"value": 30}}}}},
      {"id": "note-j0", "type": "noteNode", "data": {"type": "note", "node": {"template": {}}}}
    ],
    "edges": [
      {"source": "ChatInput-a1", "target": "ConditionalRouter-d4", "data": {"sourceHandle": {"name": "message"}, "targetHandle": {"fieldName": "input_text"}}},
      {"source": "ConditionalRouter-d4", "target": "Agent-b2", "data": {"sourceHandle": {"name": "true_result"}, "targetHandle": {"fieldName": "input_value"}}},
      {"source": "ConditionalRouter-d4", "target": "ChatOutput-e5", "data": {"sourceHandle": {"name": "false_result"}, "targetHandle": {"fieldName": "input_value"}}},
      {"source": "Agent-b2", "target": "OpenAIModel-c3", "data": {"sourceHandle": {"name": "response"}, "targetHandle": {"fieldName": "input_value"}}},
      {"source": "OpenAIModel-c3", "target": "ConditionalRouter-d4", "data": {"sourceHandle": {"name": "text_output"}, "targetHandle": {"fieldName": "input_text"}}},
      {"source": "TextInput-f6", "target": "Agent-b2", "data": {"sourceHandle": {"name": "text"}, "targetHandle": {"fieldName": "system_prompt"}}},
      {"source": "Calculator-g7", "target": "Agent-b2", "data": {"sourceHandle": {"name": "component_as_tool"}, "targetHandle": {"fieldName": "tools"}}},
      {"source": "Agent-h8", "target": "Agent-b2", "data": {"sourceHandle": {"name": "component_as_tool"}, "targetHandle": {"fieldName": "tools"}}}
    ]
  }
}
"""


def span(line: int, column: int, end_column: int) -> Span:
    return Span(Pos(line, column), Pos(line, end_column))


def adapt(text: str, path: str = PATH) -> Adapted:
    assert langflow.claims(path, text)
    loaded = load_json(path, text)
    assert loaded.problems == []
    return langflow.adapt(loaded)


def only_part(text: str, path: str = PATH) -> GraphPart:
    adapted = adapt(text, path)
    assert adapted.problems == []
    (part,) = adapted.parts
    return part


def findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int, int]]:
    # the rule families this adapter feeds: shape, topology, runtime limits
    return project_findings(tmp_path, files, ("AL0", "AL1", "AL3"))


def test_steps_tools_and_limits() -> None:
    part = only_part(FLOW)
    assert (part.name, part.framework, part.entry, part.span) == (GRAPH, "langflow", "ChatInput-a1", span(2, 11, 24))
    # the tool-mode Calculator is a tool, the Text Input feeding a system prompt is configuration,
    # the note is nothing; the agent used as a tool and the unconnected URL component are steps
    assert [(a.name, a.role, a.description) for a in part.agents] == [
        ("ChatInput-a1", "ChatInput", "Chat Input"),
        ("Agent-b2", "Agent", "Agent"),
        ("OpenAIModel-c3", "OpenAIModel", "Critic"),
        ("ConditionalRouter-d4", "ConditionalRouter", "If-Else"),
        ("ChatOutput-e5", "ChatOutput", "Chat Output"),
        ("Agent-h8", "Agent", "Helper"),
        ("URL-i9", "URL", "URL"),
    ]
    assert part.terminals == ("ChatOutput-e5", "Agent-h8", "URL-i9")
    assert part.agents[1] == Agent(
        ref=NodeRef(PATH, ("data", "nodes", 1)),
        span=span(6, 14, 24),
        fields=(
            ("role", span(6, 66, 73)),
            ("model", span(7, 67, 80)),
            ("timeout", span(8, 63, 66)),
            ("max_attempts", span(8, 94, 95)),
            ("max_iterations", span(8, 37, 39)),
        ),
        name="Agent-b2",
        graph=GRAPH,
        framework="langflow",
        role="Agent",
        model="gpt-4o-mini",
        tools=("Calculator-g7", "Agent-h8"),
        timeout_seconds=700.0,
        max_attempts=3,  # max_retries 2
        max_iterations=15,
        description="Agent",
        settable=frozenset({"model", "prompt", "tools", "timeout_seconds", "max_attempts", "max_iterations"}),
        written=(("max_attempts", "max_retries: 2"),),
    )
    model, router, helper, url = part.agents[2], part.agents[3], part.agents[5], part.agents[6]
    assert (model.settable, model.timeout_seconds, model.max_attempts, model.max_iterations) == (
        frozenset({"model", "prompt", "timeout_seconds", "max_attempts"}),
        30.0,
        8,
        None,
    )
    # the router's cap is on its routes (below), not an iteration limit of its own
    assert (router.settable, router.max_iterations, router.has("max_iterations")) == (frozenset(), None, False)
    # an Anthropic agent's template has no timeout or retry field; an empty value is the default
    assert (helper.settable, helper.max_iterations, helper.implicit) == (
        frozenset({"model", "prompt", "tools", "max_iterations"}),
        None,
        (("max_iterations", "langflow.max_iterations"),),
    )
    assert (url.settable, url.timeout_seconds) == (frozenset(), None)


def test_edges() -> None:
    part = only_part(FLOW)
    got = [(e.source, e.target, e.kind, e.condition, e.max_traversals, e.ref.pointer, e.span) for e in part.edges]
    assert got == [
        ("ChatInput-a1", "ConditionalRouter-d4", EdgeKind.SEQUENCE, None, None, ("data", "edges", 0), span(22, 7, 159)),
        # the router is on a loop: each route at most max_iterations (3) times
        ("ConditionalRouter-d4", "Agent-b2", EdgeKind.SEQUENCE, "true_result", 3, ("data", "edges", 1), span(23, 7, 160)),
        ("ConditionalRouter-d4", "ChatOutput-e5", EdgeKind.SEQUENCE, "false_result", 3, ("data", "edges", 2), span(24, 7, 166)),
        ("Agent-b2", "OpenAIModel-c3", EdgeKind.SEQUENCE, None, None, ("data", "edges", 3), span(25, 7, 151)),
        ("OpenAIModel-c3", "ConditionalRouter-d4", EdgeKind.SEQUENCE, None, None, ("data", "edges", 4), span(26, 7, 165)),
        ("Agent-b2", "Agent-h8", EdgeKind.CALL, None, None, ("data", "edges", 7), span(29, 7, 148)),
    ]
    assert part.edges[1].fields == (("max_traversals", span(12, 114, 115)),)
    assert part.references[-2:] == (
        AgentReference(NodeRef(PATH, ("data", "edges", 7)), span(29, 40, 50), (), "Agent-b2", GRAPH, "edge source"),
        AgentReference(NodeRef(PATH, ("data", "edges", 7)), span(29, 18, 28), (), "Agent-h8", GRAPH, "edge target"),
    )


def test_engine(tmp_path: Path) -> None:
    assert findings(tmp_path, {PATH: FLOW}) == [
        ("AL104", PATH, 18, 14),  # the URL component is wired to nothing
        ("AL303", PATH, 10, 95),  # max_retries 7: 8 attempts
        ("AL311", PATH, 5, 14),  # 15 iterations × 3 attempts, repeated by the router's loop
    ]


def test_router_without_cap_on_a_loop_is_unbounded_and_an_open_route_ends_the_run(tmp_path: Path) -> None:
    data = json.loads(FLOW)
    data["data"]["nodes"][3]["data"]["node"]["template"] = {}
    del data["data"]["edges"][2]  # the false route leads nowhere now
    text = json.dumps(data, indent=1)
    part = only_part(text)
    assert part.terminals == ("ConditionalRouter-d4", "ChatOutput-e5", "Agent-h8", "URL-i9")
    assert [e.max_traversals for e in part.edges] == [None] * 5
    # an agent's max_iterations bounds its own tool loop, not how often the flow comes back to it
    codes = [code for code, *_ in findings(tmp_path, {PATH: text})]
    assert "AL101" not in codes and "AL102" in codes


def test_router_cap_off_a_loop_bounds_nothing() -> None:
    data = json.loads(FLOW)
    del data["data"]["edges"][4]  # the critic no longer feeds the router back
    part = only_part(json.dumps(data))
    assert [e.max_traversals for e in part.edges] == [None] * 5


def test_loop_component_is_a_for_each() -> None:
    def node(ident: str, kind: str) -> dict:
        return {"id": ident, "type": "genericNode", "data": {"type": kind, "node": {"base_classes": ["Data"], "template": {}}}}

    def edge(source: str, target: str, output: str) -> dict:
        return {"source": source, "target": target, "data": {"sourceHandle": {"name": output}, "targetHandle": {"fieldName": "x"}}}

    data = {
        "name": "rows",
        "data": {
            "nodes": [node("ChatInput-1", "ChatInput"), node("Loop-2", "LoopComponent"), node("Parse-3", "ParserComponent"), node("ChatOutput-4", "ChatOutput")],
            "edges": [
                edge("ChatInput-1", "Loop-2", "message"),
                edge("Loop-2", "Parse-3", "item"),
                edge("Parse-3", "Loop-2", "parsed"),
                edge("Loop-2", "ChatOutput-4", "done"),
            ],
        },
    }
    part = only_part(json.dumps(data))
    assert [(e.source, e.target, e.kind) for e in part.edges] == [
        ("ChatInput-1", "Loop-2", EdgeKind.SEQUENCE),
        ("Loop-2", "Parse-3", EdgeKind.CALL),
        ("Loop-2", "ChatOutput-4", EdgeKind.SEQUENCE),
    ]


@pytest.mark.parametrize(
    ("path", "text", "claimed"),
    [
        ("a.json", FLOW, True),
        ("a.yaml", FLOW, False),
        ("flowise.json", '{"nodes": [{"data": {"baseClasses": ["X"], "inputs": {}}}], "edges": []}', False),
        ("n8n.json", '{"nodes": [{"type": "n8n-nodes-base.set"}], "connections": {}}', False),
    ],
)
def test_claims(path: str, text: str, claimed: bool) -> None:
    assert langflow.claims(path, text) is claimed


EXPECTED_CORPUS = [
    # Langflow's exported default max_retries 5 is 6 attempts
    ("AL303", "ClemsAwels/langflow-flows/langflow-config/Alina.json", 265),
    ("AL311", "ClemsAwels/langflow-flows/langflow-config/Alina.json", 902),
    ("AL303", "konradbjk/langflow-flows/multi-agent/DeepResearch-Tavily.json", 979),
    ("AL303", "konradbjk/langflow-flows/multi-agent/DeepResearch-Tavily.json", 2054),
    ("AL303", "konradbjk/langflow-flows/multi-agent/DeepResearch-Tavily.json", 2849),
    ("AL303", "konradbjk/langflow-flows/multi-agent/DeepResearch-Tavily.json", 3652),
    ("AL303", "konradbjk/langflow-flows/multi-agent/DeepResearch-Tavily.json", 4443),
    ("AL311", "konradbjk/langflow-flows/multi-agent/DeepResearch-Tavily.json", 1633),
]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus(tmp_path: Path) -> None:
    materialize_corpus(tmp_path)
    root = tmp_path / "langflow-flow"
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=root)
    result = api.check(["."], settings, root=root)
    assert not result.internal_error
    assert not [f for f in result.findings if f.code.startswith("AL9")]
    got = sorted((f.code, f.path, f.line) for f in result.findings if f.code[:3] in ("AL0", "AL1", "AL3"))
    assert got == sorted(EXPECTED_CORPUS)
