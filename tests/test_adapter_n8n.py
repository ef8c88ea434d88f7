"""n8n workflow exports -> agent graph: exact steps, edges, references and spans; loops, branches,
triggers, retries and the machine-rewritten dumps; then the whole engine, and the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentlint import api
from agentlint.adapters import n8n
from agentlint.adapters._n8n_nodes import LANGCHAIN
from agentlint.adapters.base import Adapted
from agentlint.config import CliOverrides
from agentlint.loaders.json import load_json
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Pos, Span
from tests.conftest import CORPUS
from tests.helpers import materialize_corpus, project_findings

PATH = "flows/triage.json"
GRAPH = f"Support triage ({PATH})"
WORKFLOW = """\
{
  "name": "Support triage",
  "nodes": [
    {"id": "n1", "name": "Chat", "type": "@n8n/n8n-nodes-langchain.chatTrigger", "parameters": {}},
    {"id": "n2", "name": "Triage", "type": "@n8n/n8n-nodes-langchain.agent", "typeVersion": 1.7,
     "parameters": {"options": {"maxIterations": 40, "systemMessage": "Route the ticket."}},
     "retryOnFail": true, "maxTries": 9},
    {"id": "n3", "name": "GPT", "type": "@n8n/n8n-nodes-langchain.lmChatOpenAi",
     "parameters": {"model": {"__rl": true, "value": "gpt-4o-mini", "mode": "list"}, "options": {"timeout": 45000, "maxRetries": 1}}},
    {"id": "n4", "name": "Search", "type": "n8n-nodes-base.httpRequestTool", "parameters": {}},
    {"id": "n5", "name": "Researcher", "type": "@n8n/n8n-nodes-langchain.agentTool", "parameters": {}},
    {"id": "n6", "name": "Memory", "type": "@n8n/n8n-nodes-langchain.memoryBufferWindow", "parameters": {}},
    {"id": "n7", "name": "Urgent?", "type": "n8n-nodes-base.if", "parameters": {}},
    {"id": "n8", "name": "Loop Over Items", "type": "n8n-nodes-base.splitInBatches", "typeVersion": 3, "parameters": {"options": {}}},
    {"id": "n9", "name": "Notify", "type": "n8n-nodes-base.httpRequest", "parameters": {"options": {"timeout": 10000}}},
    {"id": "n10", "name": "Done", "type": "n8n-nodes-base.noOp", "parameters": {}},
    {"id": "n11", "name": "Note", "type": "n8n-nodes-base.stickyNote", "parameters": {}}
  ],
  "connections": {
    "Chat": {"main": [[{"node": "Triage", "type": "main", "index": 0}]]},
    "GPT": {"ai_languageModel": [[{"node": "Triage", "type": "ai_languageModel", "index": 0}]]},
    "Search": {"ai_tool": [[{"node": "Triage", "type": "ai_tool", "index": 0}]]},
    "Researcher": {"ai_tool": [[{"node": "Triage", "type": "ai_tool", "index": 0}]]},
    "Memory": {"ai_memory": [[{"node": "Triage", "type": "ai_memory", "index": 0}]]},
    "Triage": {"main": [[{"node": "Urgent?", "type": "main", "index": 0}]]},
    "Urgent?": {"main": [[{"node": "Loop Over Items", "type": "main", "index": 0}]]},
    "Loop Over Items": {"main": [[{"node": "Done", "type": "main", "index": 0}], [{"node": "Notify", "type": "main", "index": 0}]]},
    "Notify": {"main": [[{"node": "Loop Over Items", "type": "main", "index": 0}]]}
  },
  "settings": {"executionTimeout": 300}
}
"""


def span(line: int, column: int, end_column: int, end_line: int | None = None) -> Span:
    return Span(Pos(line, column), Pos(end_line or line, end_column))


def adapt(text: str, path: str = PATH) -> Adapted:
    assert n8n.claims(path, text)
    loaded = load_json(path, text)
    assert loaded.problems == []
    return n8n.adapt(loaded)


def only_part(text: str, path: str = PATH) -> GraphPart:
    adapted = adapt(text, path)
    assert adapted.problems == []
    (part,) = adapted.parts
    return part


def workflow(nodes: list[tuple[str, str]], connections: dict, **extra: object) -> str:
    """A small export: (name, type) nodes, connections as n8n writes them."""
    body = {
        "name": "wf",
        "nodes": [{"id": f"id-{i}", "name": name, "type": kind, "parameters": {}} for i, (name, kind) in enumerate(nodes)],
        "connections": connections,
        **extra,
    }
    return json.dumps(body, indent=1)


def main(*targets: str | list[str]) -> dict:
    """``main`` outputs: each argument is one output (a name, or a list of names)."""
    outputs = [[{"node": t, "type": "main", "index": 0} for t in ([out] if isinstance(out, str) else out)] for out in targets]
    return {"main": outputs}


def findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int, int]]:
    # the rule families this adapter feeds: shape, topology, runtime limits
    return project_findings(tmp_path, files, ("AL0", "AL1", "AL3"))


def test_workflow_steps_agents_and_attachments() -> None:
    part = only_part(WORKFLOW)
    assert (part.name, part.framework, part.entry, part.span) == (GRAPH, "n8n", "Chat", span(2, 11, 27))
    # sticky note, language model, memory and the plain tool are not steps
    assert [a.name for a in part.agents] == ["Chat", "Triage", "Researcher", "Urgent?", "Loop Over Items", "Notify", "Done"]
    # Urgent? has no false branch; Notify returns into the for-each; Researcher is a called sub-agent
    assert part.terminals == ("Researcher", "Urgent?", "Notify", "Done")
    triage = part.agents[1]
    assert triage == Agent(
        ref=NodeRef(PATH, ("nodes", 1)),
        span=span(5, 26, 34),
        fields=(
            ("role", span(5, 44, 76)),
            ("model", span(9, 54, 67)),  # in the language-model sub-node
            ("max_iterations", span(6, 50, 52)),
            ("timeout", span(30, 36, 39)),  # settings.executionTimeout overrides the model's 45 s
            ("max_attempts", span(7, 39, 40)),  # maxTries 9, clamped by n8n to 5
        ),
        name="Triage",
        graph=GRAPH,
        framework="n8n",
        role="@n8n/n8n-nodes-langchain.agent",
        model="gpt-4o-mini",
        prompt="Route the ticket.",
        tools=("Search", "Researcher"),
        timeout_seconds=300.0,
        max_attempts=5,
        max_iterations=40,
        settable=frozenset({"model", "prompt", "tools", "timeout_seconds", "max_attempts", "max_iterations"}),
        keys=(("timeout_seconds", "settings.executionTimeout"), ("max_attempts", "retryOnFail/maxTries"), ("max_iterations", "options.maxIterations")),
    )
    researcher = part.agents[2]
    assert (researcher.implicit, researcher.max_attempts, researcher.timeout_seconds) == (
        (("max_iterations", "n8n.max_iterations"),),
        None,
        300.0,
    )
    notify, done = part.agents[5], part.agents[6]
    assert (notify.settable, notify.timeout_seconds, notify.fields) == (
        frozenset(),
        10.0,
        (("role", span(15, 44, 72)), ("timeout", span(15, 112, 117))),
    )
    assert (done.role, done.settable, done.span) == ("n8n-nodes-base.noOp", frozenset(), span(16, 27, 33))


def test_workflow_edges_and_references() -> None:
    part = only_part(WORKFLOW)
    got = [(e.source, e.target, e.kind, e.condition, e.ref.pointer, e.span) for e in part.edges]
    assert got == [
        ("Chat", "Triage", EdgeKind.SEQUENCE, None, ("connections", "Chat", "main", 0, 0), span(20, 24, 70)),
        ("Triage", "Urgent?", EdgeKind.SEQUENCE, None, ("connections", "Triage", "main", 0, 0), span(25, 26, 73)),
        ("Urgent?", "Loop Over Items", EdgeKind.SEQUENCE, "true", ("connections", "Urgent?", "main", 0, 0), span(26, 27, 82)),
        ("Loop Over Items", "Done", EdgeKind.SEQUENCE, "done", ("connections", "Loop Over Items", "main", 0, 0), span(27, 35, 79)),
        # the for-each body is called once per batch; Notify -> Loop Over Items is its return
        ("Loop Over Items", "Notify", EdgeKind.CALL, "loop", ("connections", "Loop Over Items", "main", 1, 0), span(27, 83, 129)),
        # an AI Agent Tool is a sub-agent the agent calls, not a step of the flow
        ("Triage", "Researcher", EdgeKind.CALL, None, ("connections", "Researcher", "ai_tool", 0, 0), span(23, 33, 82)),
    ]
    assert part.references[:2] == (
        AgentReference(NodeRef(PATH, ("connections", "Chat", "main", 0, 0)), span(20, 5, 11), (), "Chat", GRAPH, "edge source"),
        AgentReference(NodeRef(PATH, ("connections", "Chat", "main", 0, 0)), span(20, 33, 41), (), "Triage", GRAPH, "edge target"),
    )
    assert part.references[-2:] == (
        AgentReference(NodeRef(PATH, ("connections", "Researcher", "ai_tool", 0, 0)), span(23, 42, 50), (), "Triage", GRAPH, "edge source"),
        AgentReference(NodeRef(PATH, ("connections", "Researcher", "ai_tool", 0, 0)), span(23, 5, 17), (), "Researcher", GRAPH, "edge target"),
    )
    assert all(isinstance(e, Edge) for e in part.edges)


def test_engine_on_workflow(tmp_path: Path) -> None:
    """Only the AI steps are judged for limits; the for-each is no loop; plain steps need no role."""
    assert findings(tmp_path, {PATH: WORKFLOW}) == [
        ("AL103", PATH, 6, 50),  # maxIterations 40 > 25
        ("AL302", PATH, 11, 26),  # the AI Agent Tool has no retry setting
        ("AL311", PATH, 4, 26),  # 1 + 40 × 5 + 10 calls along Chat → Triage → Researcher
    ]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"retryOnFail": True}, (3, ("nodes", 1, "retryOnFail"))),
        ({"retryOnFail": True, "maxTries": 1}, (2, ("nodes", 1, "maxTries"))),
        ({"retryOnFail": True, "maxTries": 4}, (4, ("nodes", 1, "maxTries"))),
        ({"retryOnFail": True, "maxTries": 9}, (5, ("nodes", 1, "maxTries"))),
        ({"retryOnFail": False, "maxTries": 4}, (1, ("nodes", 1, "retryOnFail"))),
        ({"maxTries": 4}, (None, None)),
    ],
)
def test_attempts_as_the_engine_computes_them(settings: dict, expected: tuple) -> None:
    data = json.loads(workflow([("Start", "n8n-nodes-base.manualTrigger"), ("Agent", LANGCHAIN + "agent")], {"Start": main("Agent")}))
    data["nodes"][1].update(settings)
    text = json.dumps(data, indent=1)
    agent = only_part(text).agents[1]
    attempts, where = expected
    assert agent.max_attempts == attempts
    if where is not None:
        loaded = load_json(PATH, text)
        assert agent.span_of("max_attempts") == loaded.docs[0].source_map.value(where)
    else:
        assert not agent.has("max_attempts")


def test_retry_loop_through_if_is_an_unbounded_loop_with_an_exit(tmp_path: Path) -> None:
    text = workflow(
        [
            ("Every hour", "n8n-nodes-base.scheduleTrigger"),
            ("Poll", "n8n-nodes-base.httpRequest"),
            ("Ready?", "n8n-nodes-base.if"),
            ("Wait", "n8n-nodes-base.wait"),
            ("Store", "n8n-nodes-base.set"),
        ],
        {"Every hour": main("Poll"), "Poll": main("Ready?"), "Ready?": main("Store", "Wait"), "Wait": main("Poll")},
    )
    part = only_part(text)
    assert [(e.source, e.target, e.condition) for e in part.edges] == [
        ("Every hour", "Poll", None),
        ("Poll", "Ready?", None),
        ("Ready?", "Store", "true"),
        ("Ready?", "Wait", "false"),
        ("Wait", "Poll", None),
    ]
    assert part.terminals == ("Store",)
    # at the loop's first edge in the file (Poll -> Ready?); the run has no bound either
    assert [(code, line) for code, _, line, _ in findings(tmp_path, {PATH: text})] == [("AL102", 50), ("AL310", 12)]


def test_loop_with_no_way_out_is_endless(tmp_path: Path) -> None:
    text = workflow(
        [("Start", "n8n-nodes-base.manualTrigger"), ("Fetch", "n8n-nodes-base.httpRequest"), ("Shape", "n8n-nodes-base.set")],
        {"Start": main("Fetch"), "Fetch": main("Shape"), "Shape": main("Fetch")},
    )
    # the loop, and the trigger from which no run can finish
    assert [(code, line) for code, _, line, _ in findings(tmp_path, {PATH: text})] == [("AL101", 38), ("AL105", 6)]


def test_loop_over_items_with_reset_is_an_ordinary_loop(tmp_path: Path) -> None:
    data = json.loads(
        workflow(
            [("Start", "n8n-nodes-base.manualTrigger"), ("Pages", "n8n-nodes-base.splitInBatches"), ("Get page", "n8n-nodes-base.httpRequest"), ("End", "n8n-nodes-base.noOp")],
            {"Start": main("Pages"), "Pages": main("End", "Get page"), "Get page": main("Pages")},
        )
    )
    data["nodes"][1].update({"typeVersion": 3, "parameters": {"options": {"reset": True}}})
    part = only_part(json.dumps(data))
    assert [(e.source, e.target, e.kind, e.condition) for e in part.edges] == [
        ("Start", "Pages", EdgeKind.SEQUENCE, None),
        ("Pages", "End", EdgeKind.SEQUENCE, "done"),
        ("Pages", "Get page", EdgeKind.SEQUENCE, "loop"),
        ("Get page", "Pages", EdgeKind.SEQUENCE, None),
    ]
    assert [code for code, *_ in findings(tmp_path, {PATH: json.dumps(data)})] == ["AL102", "AL310"]


def test_old_split_in_batches_loops_back_through_an_if() -> None:
    text = workflow(
        [
            ("Start", "n8n-nodes-base.manualTrigger"),
            ("Batches", "n8n-nodes-base.splitInBatches"),
            ("Send", "n8n-nodes-base.httpRequest"),
            ("More?", "n8n-nodes-base.if"),
            ("Finish", "n8n-nodes-base.noOp"),
        ],
        {"Start": main("Batches"), "Batches": main("Send"), "Send": main("More?"), "More?": main("Finish", "Batches")},
    )
    part = only_part(text)
    assert [(e.source, e.target, e.kind) for e in part.edges] == [
        ("Start", "Batches", EdgeKind.SEQUENCE),
        ("Batches", "Send", EdgeKind.CALL),
        ("Send", "More?", EdgeKind.SEQUENCE),
        ("More?", "Finish", EdgeKind.SEQUENCE),
    ]


def test_switch_and_error_outputs() -> None:
    data = json.loads(
        workflow(
            [
                ("Hook", "n8n-nodes-base.webhook"),
                ("Route", "n8n-nodes-base.switch"),
                ("A", "n8n-nodes-base.set"),
                ("B", "n8n-nodes-base.set"),
                ("Call", "n8n-nodes-base.httpRequest"),
                ("Alert", "n8n-nodes-base.slack"),
            ],
            {"Hook": main("Route"), "Route": main("A", "B", "Call"), "Call": main([], "Alert")},
        )
    )
    data["nodes"][1]["parameters"] = {"rules": {"values": [{}, {}, {}]}, "options": {"fallbackOutput": "extra"}}
    data["nodes"][4]["onError"] = "continueErrorOutput"
    part = only_part(json.dumps(data))
    assert [(e.source, e.target, e.condition) for e in part.edges] == [
        ("Hook", "Route", None),
        ("Route", "A", "output 0"),
        ("Route", "B", "output 1"),
        ("Route", "Call", "output 2"),
        ("Call", "Alert", "error"),
    ]
    # the fallback output of Route and the success output of Call lead nowhere
    assert part.terminals == ("Route", "A", "B", "Call", "Alert")


def test_several_triggers_give_no_single_entry() -> None:
    text = workflow(
        [("Manual", "n8n-nodes-base.manualTrigger"), ("Cron", "n8n-nodes-base.scheduleTrigger"), ("Work", "n8n-nodes-base.set")],
        {"Manual": main("Work"), "Cron": main("Work")},
    )
    assert only_part(text).entry is None


def test_unattached_sub_nodes_are_not_steps_but_stray_nodes_are(tmp_path: Path) -> None:
    text = workflow(
        [
            ("Start", "n8n-nodes-base.manualTrigger"),
            ("Work", "n8n-nodes-base.set"),
            ("Spare model", LANGCHAIN + "lmChatOpenAi"),
            ("Spare tool", "n8n-nodes-base.executeCommandTool"),
            ("Stray", "n8n-nodes-base.httpRequest"),
        ],
        {"Start": main("Work")},
    )
    assert [a.name for a in only_part(text).agents] == ["Start", "Work", "Stray"]
    assert [(code, line) for code, _, line, _ in findings(tmp_path, {PATH: text})] == [("AL104", 30)]


def test_dangling_connection_is_an_undefined_agent(tmp_path: Path) -> None:
    text = workflow([("Start", "n8n-nodes-base.manualTrigger")], {"Start": main("Gone")})
    assert findings(tmp_path, {PATH: text}) == [("AL106", PATH, 16, 15)]  # the "node" value


def test_connections_keyed_by_node_id_are_reported_and_no_graph_is_guessed() -> None:
    text = workflow(
        [("Start", "n8n-nodes-base.manualTrigger"), ("Work", "n8n-nodes-base.set")],
        {"id-0": main("error-handler-id-0")},
    )
    adapted = adapt(text)
    assert adapted.parts == []
    ((code, message, where),) = [(p.code, p.message, p.location.span) for p in adapted.problems]
    assert (code, where) == ("AL002", span(18, 3, 9))
    assert message == (
        "connections are keyed by node names, and 'id-0' is the id of node 'Start': n8n ignores the connections listed under it"
    )


def test_array_of_workflows() -> None:
    one = json.loads(workflow([("Start", "n8n-nodes-base.manualTrigger")], {}))
    text = json.dumps([one, one])
    adapted = adapt(text)
    assert [p.name for p in adapted.parts] == [f"wf ({PATH}#0)", f"wf ({PATH}#1)"]
    assert [p.agents[0].ref.pointer for p in adapted.parts] == [(0, "nodes", 0), (1, "nodes", 0)]


@pytest.mark.parametrize(
    ("path", "text", "claimed"),
    [
        ("a.json", WORKFLOW, True),
        ("a.yaml", WORKFLOW, False),
        ("package.json", '{"name": "n8n-nodes-foo", "n8n": {"nodes": ["dist/Foo.node.js"]}}', False),
        ("flow.json", '{"nodes": [{"type": "customNode"}], "edges": []}', False),
    ],
)
def test_claims(path: str, text: str, claimed: bool) -> None:
    assert n8n.claims(path, text) is claimed


EXPECTED_CORPUS = [
    # 0872: the dump dropped every connection (FORMATS.md §7.6): nothing follows the trigger
    ("AL104", "Zie619/n8n-workflows/workflows/Executeworkflow/0872_Executeworkflow_Executecommandtool_Create_Triggered.json", 51),
    ("AL104", "Zie619/n8n-workflows/workflows/Executeworkflow/0872_Executeworkflow_Executecommandtool_Create_Triggered.json", 124),
    ("AL104", "Zie619/n8n-workflows/workflows/Executeworkflow/0872_Executeworkflow_Executecommandtool_Create_Triggered.json", 191),
    ("AL104", "Zie619/n8n-workflows/workflows/Executeworkflow/0872_Executeworkflow_Executecommandtool_Create_Triggered.json", 205),
    ("AL104", "Zie619/n8n-workflows/workflows/Executeworkflow/0872_Executeworkflow_Executecommandtool_Create_Triggered.json", 268),
    ("AL104", "Zie619/n8n-workflows/workflows/Executeworkflow/0872_Executeworkflow_Executecommandtool_Create_Triggered.json", 331),
    ("AL104", "Zie619/n8n-workflows/workflows/Executeworkflow/0872_Executeworkflow_Executecommandtool_Create_Triggered.json", 393),
    # 1183: connections keyed by node ids, pointing at injected error handlers that do not exist
    ("AL002", "Zie619/n8n-workflows/workflows/Manual/1183_Manual_Stickynote_Automation_Webhook.json", 375),
    ("AL002", "Zie619/n8n-workflows/workflows/Manual/1183_Manual_Stickynote_Automation_Webhook.json", 442),
    # the authentic export: the Tools Agent has no execution timeout and no retry setting (AL301
    # only: the budget it leaves unbounded is not a second finding)
    ("AL301", "hudsonlorfing/chrt-n8n-workflows/workflows/8.-slack-meeting-bot.json", 276),
    ("AL302", "hudsonlorfing/chrt-n8n-workflows/workflows/8.-slack-meeting-bot.json", 276),
]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus(tmp_path: Path) -> None:
    materialize_corpus(tmp_path)
    root = tmp_path / "n8n-workflow"
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=root)
    result = api.check(["."], settings, root=root)
    assert not result.internal_error
    assert not [f for f in result.findings if f.code.startswith("AL9")]
    # topology, limits and shape: the families this adapter feeds
    got = sorted((f.code, f.path, f.line) for f in result.findings if f.code[:3] in ("AL0", "AL1", "AL3"))
    assert got == sorted(EXPECTED_CORPUS)
    slack = [p for p in result.findings if p.code == "AL301"]
    assert slack[0].message == "agent 'AI Agent: Meeting Bot' has no timeout: set 'settings.executionTimeout' (n8n sets none by default)"
