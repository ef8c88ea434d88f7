"""Flowise Agentflow v2 and chatflow v1 JSON -> graph parts: agents named by their labels,
edges through non-agent steps, the loop node's back-edge bounded by maxLoopCount, iteration
blocks, and what the engine reports."""

from __future__ import annotations

import json
from pathlib import Path

from agentlint import api
from agentlint.adapters.flowise import adapt, claims
from agentlint.config import CliOverrides
from agentlint.loaders.json import load_json
from agentlint.model.budget import budget
from agentlint.model.entities import Agent, EdgeKind, GraphPart
from agentlint.model.project import Project
from agentlint.model.source import NodeRef, Pos, Span
from tests.helpers import assert_read

PATH = "flows/supervisor.json"


def span_of(text: str, needle: str, nth: int = 0) -> Span:
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Span(Pos(line, column), Pos(line, column + len(needle)))


def parts(text: str, path: str = PATH) -> list[GraphPart]:
    loaded = load_json(path, text)
    assert loaded.problems == []
    out = adapt(loaded)
    assert out.problems == []
    return out.parts


def findings(tmp_path: Path, text: str, select: tuple[str, ...] = ("ALL",)) -> list[tuple[str, int, int, str]]:
    (tmp_path / "flow.json").write_text(text, encoding="utf-8")
    settings = api.settings_for(["."], CliOverrides(select=select), isolated=True, root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert not result.internal_error
    if not result.findings:  # "no findings" only after the file was read
        assert_read(result, ["flow.json"])
    return [(f.code, f.line, f.column, f.message) for f in result.findings]


def node(nid: str, name: str, label: str, inputs: dict | None = None, **extra: object) -> dict:
    return {"id": nid, "type": "agentFlow", "data": {"id": nid, "label": label, "name": name, "inputAnchors": [], "inputs": inputs or {}}, **extra}


def edge(source: str, target: str, handle: str | None = None) -> dict:
    return {"source": source, "sourceHandle": handle or f"{source}-output-{source.split('_')[0]}", "target": target, "type": "agentFlow"}


def flow(nodes: list[dict], edges: list[dict]) -> str:
    return json.dumps({"nodes": nodes, "edges": edges}, indent=2) + "\n"


def supervisor(loop_count: object = 5) -> str:
    loop_inputs = {"loopBackToNode": "llmAgentflow_0-Supervisor"}
    if loop_count is not None:
        loop_inputs["maxLoopCount"] = loop_count
    return flow(
        [
            node("startAgentflow_0", "startAgentflow", "Start", {"startInputType": "chatInput"}),
            node(
                "llmAgentflow_0",
                "llmAgentflow",
                "Supervisor",
                {
                    "llmModel": "chatOpenAI",
                    "llmMessages": [{"role": "system", "content": "<p>You route work.</p>"}],
                    "llmModelConfig": {"modelName": "gpt-4.1", "timeout": "", "llmModel": "chatOpenAI"},
                },
            ),
            node(
                "conditionAgentflow_0",
                "conditionAgentflow",
                "Check next worker",
                {"conditions": [{"type": "string", "value1": "<p>{{ $flow.state.next }}</p>", "operation": "equal", "value2": "<p>SOFTWARE</p>"}]},
            ),
            node(
                "agentAgentflow_0",
                "agentAgentflow",
                "Software Engineer",
                {
                    "agentModel": "chatOpenAI",
                    "agentTools": [{"agentSelectedTool": "googleCustomSearch"}],
                    "agentModelConfig": {"modelName": "gpt-4o-mini", "timeout": "45000", "agentModel": "chatOpenAI"},
                },
            ),
            node("agentAgentflow_1", "agentAgentflow", "Final Answer", {"agentModel": "chatGoogleGenerativeAI"}),
            node("loopAgentflow_0", "loopAgentflow", "Loop to Supervisor", loop_inputs),
            node("stickyNoteAgentflow_0", "stickyNoteAgentflow", "Sticky Note", {"note": "hi"}),
        ],
        [
            edge("startAgentflow_0", "llmAgentflow_0"),
            edge("llmAgentflow_0", "conditionAgentflow_0"),
            edge("conditionAgentflow_0", "agentAgentflow_0", "conditionAgentflow_0-output-0"),
            edge("conditionAgentflow_0", "agentAgentflow_1", "conditionAgentflow_0-output-1"),
            edge("agentAgentflow_0", "loopAgentflow_0"),
        ],
    )


def test_agentflow_agents_edges_and_loop_back() -> None:
    text = supervisor()
    (part,) = parts(text)
    assert [a.name for a in part.agents] == ["Supervisor", "Software Engineer", "Final Answer"]
    engineer = part.agents[1]
    assert engineer == Agent(
        ref=NodeRef(PATH, ("nodes", 3)),
        span=span_of(text, '"Software Engineer"'),
        fields=(
            ("model", span_of(text, '"gpt-4o-mini"')),
            ("tools", span_of(text, '"agentTools"')),
            ("timeout_seconds", span_of(text, '"45000"')),
        ),
        name="Software Engineer",
        graph=PATH,
        framework="flowise",
        model="gpt-4o-mini",
        tools=("googleCustomSearch",),
        timeout_seconds=45.0,  # the chat model's timeout is in milliseconds
        settable=frozenset({"model", "prompt", "tools", "timeout_seconds"}),
    )
    supervisor_agent = part.agents[0]
    assert (supervisor_agent.model, supervisor_agent.prompt, supervisor_agent.settable) == (
        "gpt-4.1",
        "You route work.",
        frozenset({"model", "prompt", "tools"}),
    )

    edges = [(e.source, e.target, e.kind, e.condition, e.max_traversals) for e in part.edges]
    assert edges == [
        ("Supervisor", "Software Engineer", EdgeKind.SEQUENCE, "{{ $flow.state.next }} equal SOFTWARE", None),
        ("Supervisor", "Final Answer", EdgeKind.SEQUENCE, "else", None),
        ("Software Engineer", "Supervisor", EdgeKind.SEQUENCE, "loop", 5),
    ]
    back = part.edges[2]
    assert back.span == span_of(text, '"llmAgentflow_0-Supervisor"')
    assert back.ref == NodeRef(PATH, ("nodes", 5, "data", "inputs", "loopBackToNode"))
    assert dict(back.fields) == {"max_traversals": span_of(text, "5", text.count("5", 0, text.index('"maxLoopCount"')))}
    assert part.edges[0].ref == NodeRef(PATH, ("edges", 2))
    condition_edge = span_of(text, '"source": "conditionAgentflow_0"').start  # edges[2], its "{" above
    assert part.edges[0].span.start == Pos(condition_edge.line - 1, 5)
    assert (part.entry, set(part.terminals), part.turn_limit_default) == (
        "Supervisor",
        {"Software Engineer", "Final Answer"},  # the loop ends the run once exhausted
        None,
    )


def test_loop_bounds_through_the_engine(tmp_path: Path) -> None:
    assert [code for code, *_ in findings(tmp_path, supervisor(5), ("AL101", "AL102", "AL103", "AL301", "AL302"))] == []
    # Flowise reads `maxLoopCount ? parseInt(maxLoopCount) : 5`: unset, the default applies
    (part,) = parts(supervisor(None))
    assert (part.edges[2].max_traversals, part.turn_limit_default) == (None, "flowise.max_loop_count")
    # the default count stops the loop, so it is the loop's bound: implicit, not missing
    assert findings(tmp_path, supervisor(None), ("AL102", "AL103")) == []
    (found,) = findings(tmp_path, supervisor(None), ("AL111",))
    assert found[3] == (
        "loop Software Engineer → Supervisor → Software Engineer is bounded only by the framework default: maxLoopCount "
        "defaults to 5 iterations (flowise, newest known version; pin it to be sure); set maxLoopCount to make the bound explicit"
    )
    # the worst-case budget counts the default like the same count written down
    worst = {}
    for count in (5, None):
        project = Project.build(parts(supervisor(count)))
        (graph,) = project.graphs
        worst[count] = budget(graph, project.topology(graph), project.pins)
    numbers = {count: (b.llm_calls, b.seconds, b.path, b.culprits) for count, b in worst.items() if b is not None}
    assert numbers[None] == numbers[5] and numbers[5][0] == 13  # 1 + (1 + 5) × 2
    # the arithmetic names the bound: the edge's own, or the loop node's default count
    assert worst[5] is not None and "[1 + max_traversals 5 (Software Engineer → Supervisor)]" in worst[5].calls_formula
    assert worst[None] is not None and "[1 + default loop count 5]" in worst[None].calls_formula
    (part,) = parts(supervisor("12"))
    assert part.edges[2].max_traversals == 12
    assert [code for code, *_ in findings(tmp_path, supervisor(12), ("AL103",))] == ["AL103"]


def test_duplicate_labels_iteration_blocks_and_several_first_agents() -> None:
    text = flow(
        [
            node("startAgentflow_0", "startAgentflow", "Start"),
            node("conditionAgentflow_0", "conditionAgentflow", "Route", {"conditions": [{"value1": "a", "operation": "equal", "value2": "b"}]}),
            node("agentAgentflow_0", "agentAgentflow", "Agent"),
            node("iterationAgentflow_0", "iterationAgentflow", "Iteration 0", {"iterationInput": "[1, 2]"}),
            node("llmAgentflow_0", "llmAgentflow", "Agent", parentNode="iterationAgentflow_0"),
            node("directReplyAgentflow_0", "directReplyAgentflow", "Reply"),
        ],
        [
            edge("startAgentflow_0", "conditionAgentflow_0"),
            edge("conditionAgentflow_0", "agentAgentflow_0", "conditionAgentflow_0-output-0"),
            edge("conditionAgentflow_0", "iterationAgentflow_0", "conditionAgentflow_0-output-1"),
            edge("iterationAgentflow_0", "directReplyAgentflow_0"),
        ],
    )
    (part,) = parts(text, "f.json")
    # two agents share a label: both get their node id; the router is no agent, so the start
    # node stands for the entry
    assert [a.name for a in part.agents] == ["Start", "Agent (agentAgentflow_0)", "Agent (llmAgentflow_0)"]
    assert part.agents[0].settable == frozenset()
    assert part.entry == "Start"
    assert sorted((e.source, e.target, e.condition) for e in part.edges) == [
        ("Start", "Agent (agentAgentflow_0)", "a equal b"),
        ("Start", "Agent (llmAgentflow_0)", "else and for each item"),
    ]
    # an empty array skips the block straight to the reply: the run can end without an agent
    assert set(part.terminals) == {"Start", "Agent (agentAgentflow_0)", "Agent (llmAgentflow_0)"}


CHATFLOW = {
    "nodes": [
        {
            "id": "chatOpenAI_1",
            "type": "customNode",
            "data": {
                "id": "chatOpenAI_1",
                "label": "ChatOpenAI",
                "name": "chatOpenAI",
                "category": "Chat Models",
                "inputAnchors": [],
                "inputs": {"modelName": "gpt-3.5-turbo", "timeout": ""},
            },
        },
        {
            "id": "calculator_1",
            "type": "customNode",
            "data": {"id": "calculator_1", "label": "Calculator", "name": "calculator", "category": "Tools", "inputAnchors": [], "inputs": {}},
        },
        {
            "id": "conversationalAgent_0",
            "type": "customNode",
            "data": {
                "id": "conversationalAgent_0",
                "label": "Conversational Agent",
                "name": "conversationalAgent",
                "category": "Agents",
                "inputAnchors": [],
                "inputs": {"tools": ["{{calculator_1.data.instance}}"], "model": "{{chatOpenAI_1.data.instance}}"},
            },
        },
    ],
    "edges": [
        {"source": "calculator_1", "target": "conversationalAgent_0"},
        {"source": "chatOpenAI_1", "target": "conversationalAgent_0"},
    ],
}


def test_chatflow_v1_single_agent(tmp_path: Path) -> None:
    text = json.dumps(CHATFLOW, indent=2) + "\n"
    (part,) = parts(text, "chatflow.json")
    (agent,) = part.agents
    assert (agent.name, agent.span, agent.model, agent.tools, agent.timeout_seconds, agent.settable) == (
        "Conversational Agent",
        span_of(text, '"Conversational Agent"'),
        "gpt-3.5-turbo",
        ("Calculator",),
        None,
        frozenset({"model", "prompt", "tools"}),
    )
    assert (part.entry, part.edges) == ("Conversational Agent", ())
    assert [code for code, *_ in findings(tmp_path, text, ("AL101", "AL102", "AL104", "AL301", "AL302"))] == []


def test_claims() -> None:
    assert claims("a.json", supervisor())
    assert claims("c.json", json.dumps(CHATFLOW))
    assert not claims("langflow.json", '{"data": {"nodes": [], "edges": []}}')
    assert not claims("mcp.json", '{"mcpServers": {}}')


def test_corpus_flowise(tmp_path: Path) -> None:
    """Agents Handoff routes by a condition agent to three leaf agents; Supervisor Worker's two
    loop nodes jump back to the supervisor at most 5 times each: no loop or limit finding.
    Flowise agent nodes have no role field."""
    from tests.test_adapter_autogen import corpus_findings

    assert corpus_findings("flowise-flow", tmp_path) == []
