"""Google ADK Agent Config YAML -> one agent per file, linked through config_path: exact
entities and positions, edges per agent_class, loops and their exits through the whole engine,
shape problems, claims, and the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint import api
from agentlint.adapters import adk
from agentlint.adapters.base import all_adapters
from agentlint.config import CliOverrides
from agentlint.loaders.yaml import load_yaml
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.project import Project
from agentlint.model.source import NodeRef, Pos, Span
from tests.conftest import CORPUS
from tests.helpers import assert_read, materialize_corpus

MODELINE = "# yaml-language-server: $schema=https://raw.githubusercontent.com/google/adk-python/refs/heads/main/src/google/adk/agents/config_schemas/AgentConfig.json\n"
COORDINATOR = """\
name: coordinator
model: gemini-2.5-flash
description: Routes requests
instruction: Route the request.
tools:
  - name: google_search
  - name: AgentTool
    args:
      agent: {config_path: helpers/summarizer.yaml}
generate_content_config:
  http_options:
    timeout: 30000
    retry_options: {attempts: 3}
sub_agents:
  - config_path: billing.yaml
  - code: my_pkg.agents.legacy
"""


def at(line: int, column: int, end_line: int, end_column: int) -> Span:
    return Span(Pos(line, column), Pos(end_line, end_column))


def adapt(path: str, text: str) -> adk.Adapted:
    loaded = load_yaml(path, text)
    assert loaded.problems == []
    return adk.adapt(loaded)


def problems(adapted: adk.Adapted) -> list[tuple[str, int, int, str]]:
    return [(p.code, p.location.span.line, p.location.span.column, p.message) for p in adapted.problems]


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def run(tmp_path: Path, files: dict[str, str], select: str = "ALL") -> list[str]:
    write(tmp_path, files)
    settings = api.settings_for(["."], CliOverrides(select=(select,)), isolated=True, root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert not result.internal_error
    if not result.findings:  # "no findings" only after the files were read
        assert_read(result, files)
    return [f"{f.code} {f.path}:{f.line}:{f.column} {f.message}" for f in result.findings]


def llm(name: str, extra: str = "") -> str:
    return f"name: {name}\ndescription: The {name}\nmodel: gemini-2.5-flash\ninstruction: Do the {name} work.\n{extra}"


def test_llm_agent_exact_entities() -> None:
    path = "app/root_agent.yaml"
    adapted = adapt(path, COORDINATOR)
    assert problems(adapted) == []
    (part,) = adapted.parts
    agent = Agent(
        ref=NodeRef(path, ("name",)),
        span=at(1, 7, 1, 18),
        fields=(
            ("role", at(3, 14, 3, 29)),
            ("description", at(3, 14, 3, 29)),
            ("prompt", at(4, 14, 4, 32)),
            ("model", at(2, 8, 2, 24)),
            ("tools", at(5, 1, 5, 6)),
            ("timeout_seconds", at(12, 14, 12, 19)),
            ("max_attempts", at(13, 31, 13, 32)),
        ),
        name="coordinator",
        graph=path,
        framework="adk",
        role="Routes requests",
        model="gemini-2.5-flash",
        prompt="Route the request.",
        tools=("google_search", "AgentTool"),
        timeout_seconds=30.0,  # http_options.timeout is in milliseconds
        max_attempts=3,
        description="Routes requests",
        settable=frozenset({"timeout_seconds", "max_attempts"}),
        keys=adk.KEYS_OF_LIMITS,
    )
    tool_at = ("tools", 1, "args", "agent", "config_path")
    sub_at = ("sub_agents", 0, "config_path")
    assert part == GraphPart(
        ref=NodeRef(path),
        span=at(1, 7, 1, 18),
        fields=(),
        name=path,
        entry="coordinator",
        # the tool agent and the transfer target answer; the Python sub-agent may escalate
        terminals=("file:app/helpers/summarizer.yaml", "file:app/billing.yaml", "coordinator"),
        agents=(agent,),
        edges=(
            Edge(NodeRef(path, tool_at), at(9, 28, 9, 51), (), "coordinator", "file:app/helpers/summarizer.yaml",
                 EdgeKind.CALL, path, "the model calls the agent tool"),
            Edge(NodeRef(path, sub_at), at(15, 18, 15, 30), (), "coordinator", "file:app/billing.yaml",
                 EdgeKind.HANDOFF, path, "the model transfers to it"),
        ),
        references=(
            AgentReference(NodeRef(path, sub_at), at(15, 18, 15, 30), (), "file:app/billing.yaml", path, "sub-agent"),
            AgentReference(NodeRef(path, tool_at), at(9, 28, 9, 51), (), "file:app/helpers/summarizer.yaml", path,
                           "tool agent"),
        ),
        framework="adk",
        aliases=(("file:app/root_agent.yaml", "coordinator"),),
        turn_limit_default="adk.max_llm_calls",
    )


SEQUENCE_ROOT = MODELINE + """\
agent_class: SequentialAgent
name: pipeline
description: Intake, then answer
sub_agents:
  - config_path: sub_agents/intake.yaml
  - config_path: ./sub_agents/answer.yaml
"""


def test_root_and_sub_agent_files_form_one_graph() -> None:
    files = {
        "app/root_agent.yaml": SEQUENCE_ROOT,
        "app/sub_agents/intake.yaml": llm("intake"),
        "app/sub_agents/answer.yaml": llm("answer"),
    }
    parts = [part for rel, text in files.items() for part in adapt(rel, text).parts]
    (root,) = adapt("app/root_agent.yaml", SEQUENCE_ROOT).parts
    assert root.agents[0].settable == frozenset()  # a workflow agent has no model call to time out
    assert [(e.source, e.target, e.kind, e.span.line) for e in root.edges] == [
        ("pipeline", "file:app/sub_agents/intake.yaml", EdgeKind.SEQUENCE, 6),
        ("pipeline", "file:app/sub_agents/answer.yaml", EdgeKind.SEQUENCE, 7),
        ("file:app/sub_agents/intake.yaml", "file:app/sub_agents/answer.yaml", EdgeKind.SEQUENCE, 7),
    ]
    assert root.terminals == ("file:app/sub_agents/intake.yaml", "file:app/sub_agents/answer.yaml")
    (graph,) = Project.build(parts).graphs
    assert graph.name == "app/root_agent.yaml" and graph.entry == "pipeline"
    assert sorted(graph.agents) == ["answer", "intake", "pipeline"]
    assert sorted((e.source, e.target) for e in graph.edges) == [
        ("intake", "answer"), ("pipeline", "answer"), ("pipeline", "intake")
    ]
    assert graph.terminals == frozenset({"intake", "answer"})


def test_sound_sequence_reports_only_limits(tmp_path: Path) -> None:
    files = {
        "app/root_agent.yaml": SEQUENCE_ROOT,
        "app/sub_agents/intake.yaml": llm("intake"),
        "app/sub_agents/answer.yaml": llm("answer"),
    }
    codes = sorted({f.split()[0] for f in run(tmp_path, files)})
    assert codes == ["AL301", "AL302"]  # on the two LLM agents; nothing on the SequentialAgent


def test_config_path_to_a_missing_file_is_reported_at_its_value(tmp_path: Path) -> None:
    files = {"app/root_agent.yaml": SEQUENCE_ROOT, "app/sub_agents/intake.yaml": llm("intake")}
    assert run(tmp_path, files, "AL1") == [
        "AL106 app/root_agent.yaml:7:18 sub-agent 'file:app/sub_agents/answer.yaml' is not an agent of graph "
        "'app/root_agent.yaml'"
    ]


LOOP = """\
agent_class: LoopAgent
name: refine
description: Refine a draft
{bound}sub_agents:
  - config_path: critic.yaml
  - config_path: reviser.yaml
"""


def test_loop_without_bound_or_exit_is_endless(tmp_path: Path) -> None:
    files = {"loop/root_agent.yaml": LOOP.format(bound=""), "loop/critic.yaml": llm("critic"),
             "loop/reviser.yaml": llm("reviser")}
    findings = run(tmp_path, files, "AL101")
    assert findings == [
        "AL101 loop/root_agent.yaml:1:14 agents reviser → critic → reviser loop with no exit edge and no terminal "
        "agent: every request that enters it fails at the framework default: RunConfig.max_llm_calls defaults to 500 "
        "LLM calls (google-adk, newest known version; pin it to be sure)"
    ]


def test_loop_with_exit_tool_is_unbounded_and_quotes_the_default(tmp_path: Path) -> None:
    critic = llm("critic", "tools:\n  - name: exit_loop\n")
    files = {"loop/root_agent.yaml": LOOP.format(bound=""), "loop/critic.yaml": critic, "loop/reviser.yaml": llm("reviser")}
    findings = [f for f in run(tmp_path, files) if f.split()[0] in ("AL101", "AL102", "AL103", "AL105", "AL111")]
    # ADK fails a run past max_llm_calls: that default is the loop's bound, judged like a declared one
    assert findings == [
        "AL103 loop/root_agent.yaml:1:14 loop reviser → critic → reviser is bounded only by the framework default, above "
        "the maximum of 100: RunConfig.max_llm_calls defaults to 500 LLM calls (google-adk, newest known version; pin it "
        "to be sure); set RunConfig.max_llm_calls to at most 100, or bound the loop itself"
    ]


def test_a_custom_tool_may_escalate_so_the_loop_is_not_called_endless(tmp_path: Path) -> None:
    critic = llm("critic", "tools:\n  - name: my_pkg.tools.approve_draft\n")
    files = {"loop/root_agent.yaml": LOOP.format(bound=""), "loop/critic.yaml": critic, "loop/reviser.yaml": llm("reviser")}
    assert [f.split()[0] for f in run(tmp_path, files, "AL1")] == ["AL103"]


def test_bounded_loop(tmp_path: Path) -> None:
    files = {"loop/root_agent.yaml": LOOP.format(bound="max_iterations: 20\n"), "loop/critic.yaml": llm("critic"),
             "loop/reviser.yaml": llm("reviser")}
    (part,) = adapt("loop/root_agent.yaml", files["loop/root_agent.yaml"]).parts
    back = part.edges[-1]
    assert (back.source, back.target, back.max_traversals, back.span, back.fields) == (
        "file:loop/reviser.yaml", "file:loop/critic.yaml", 19, at(4, 17, 4, 19), (("max_traversals", at(4, 17, 4, 19)),)
    )
    assert part.terminals == ("file:loop/reviser.yaml",)  # the loop ends after the last child of the 20th pass
    assert part.agents[0].settable == frozenset({"max_iterations"}) and part.agents[0].implicit == ()
    assert run(tmp_path, files, "AL1") == [
        "AL103 loop/root_agent.yaml:4:17 edge reviser → critic allows 19 traversals, above the maximum of 10"
    ]


def test_parallel_and_unknown_classes(tmp_path: Path) -> None:
    parallel = "agent_class: ParallelAgent\nname: fan\nsub_agents:\n  - config_path: a.yaml\n  - config_path: b.yaml\n"
    (part,) = adapt("p/root_agent.yaml", parallel).parts
    assert [(e.target, e.kind) for e in part.edges] == [("file:p/a.yaml", EdgeKind.CALL), ("file:p/b.yaml", EdgeKind.CALL)]
    assert part.terminals == ("file:p/a.yaml", "file:p/b.yaml")
    # an unreleased class (ADK's GraphAgent sample): an opaque agent, its own keys are its business
    graph = "agent_class: GraphAgent\nname: flow\nstart_node: a\nnodes:\n  - name: a\n    sub_agents: [{code: x.y}]\n"
    adapted = adapt("g/root_agent.yaml", graph)
    (agent,) = adapted.parts[0].agents
    assert (problems(adapted), adapted.parts[0].edges, agent.settable) == ([], (), frozenset())
    files = {"p/root_agent.yaml": parallel, "p/a.yaml": llm("a"), "p/b.yaml": llm("b"), "g/root_agent.yaml": graph}
    assert run(tmp_path, files, "AL1") == []


def test_shape_problems() -> None:
    text = """\
name: helper
model: gemini-2.5-flash
instruction: Help.
max_iter: 5
tools:
  - name: google_search
  - name: get_weather
    description: Weather for a city
sub_agents:
  - config_path: a.yaml
    code: x.y
  - {}
generate_content_config:
  http_options: {timeout: soon}
"""
    assert problems(adapt("h/root_agent.yaml", text)) == [
        ("AL002", 4, 1, "unknown key 'max_iter' for LlmAgent: ADK refuses to load the config (its schema forbids extra keys)"),
        ("AL002", 10, 5, "a sub-agent is exactly one of {config_path: <file>} or {code: <python.path>}"),
        ("AL002", 12, 5, "a sub-agent is exactly one of {config_path: <file>} or {code: <python.path>}"),
        ("AL002", 8, 5, "unknown key 'description' in tools/1: ADK refuses to load it (a tool takes only name and args)"),
        ("AL002", 14, 27, "timeout must be a number ≥ 1, not 'soon'"),
    ]
    assert problems(adapt("h/root_agent.yaml", "name: my-agent\n")) == [
        ("AL002", 1, 7, "name must be a Python identifier other than 'user' (ADK refuses the config)")
    ]


def test_retry_options_and_paths() -> None:
    base = "name: a\ninstruction: x\ngenerate_content_config:\n  http_options:\n    retry_options: {}\n"
    (agent,) = adapt("root_agent.yaml", base).parts[0].agents
    assert (agent.max_attempts, agent.timeout_seconds) == (5, None)  # google-genai: attempts default to 5
    (agent,) = adapt("root_agent.yaml", base.replace("{}", "{attempts: 0}")).parts[0].agents
    assert agent.max_attempts == 1  # 0 and 1 mean a single try
    assert adk.resolve("a/b/root_agent.yaml", "./c/../d.yaml") == "a/b/d.yaml"
    assert adk.resolve("root_agent.yaml", "../elsewhere.yaml") is None
    assert adk.resolve("a/root_agent.yaml", "/abs/x.yaml") is None


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("agents/assistant.yaml", "kind: Prompt\nname: Assistant\ninstructions: Help.\n"),  # Agent Framework
        ("spec.yaml", "type: foundry_agent\nname: Menu\ninstructions: Use the tools.\n"),  # Semantic Kernel
        ("prompts/x.yaml", "name: greeting\ninstruction: Say hi\nversion: 3\n"),  # not only ADK keys
        ("server.yaml", "name: curl\nimage: mcp/curl\n"),
    ],
)
def test_look_alikes_are_left_alone(path: str, text: str) -> None:
    claimed = adk.claims(path, text)
    assert not claimed or adk.adapt(load_yaml(path, text)).parts == []


def test_sub_agent_file_without_markers_is_claimed() -> None:
    assert adk.claims("app/critic.yaml", llm("critic"))
    assert [a.name for a in all_adapters() if a.claims("app/critic.yaml", llm("critic"))] == ["adk"]


# Loading and topology findings of the corpus. AL106: ResolveLight's root names three sub-agent
# files and the corpus holds only one of them. AL002: a tool entry with a `description` key,
# which ADK's ToolConfig forbids.
CORPUS_FINDINGS = [
    "AL106 adk-agent-config/MichaelVered/ResolveLight/root_agent.yaml:6",
    "AL106 adk-agent-config/MichaelVered/ResolveLight/root_agent.yaml:7",
    "AL002 adk-agent-config/nareshsaladi2024/kaggle-5-day-agents/Day1a/helpful_assistant/root_agent.yaml:16",
]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_sweep(tmp_path: Path) -> None:
    materialize_corpus(tmp_path)
    root = "adk-agent-config"
    settings = api.settings_for([root], CliOverrides(select=("ALL",)), isolated=True, root=tmp_path)
    result = api.check([root], settings, root=tmp_path)
    assert not result.internal_error
    assert [f for f in result.findings if f.code.startswith("AL9")] == []
    assert [f"{f.code} {f.path}:{f.line}" for f in result.findings if f.code.startswith(("AL0", "AL1"))] == CORPUS_FINDINGS
    # the LLM agents lack an HTTP timeout; the SequentialAgent and the GraphAgent have none to set
    assert sorted({f.path.split("/")[-2] for f in result.findings if f.code == "AL301"}) == [
        "helpful_assistant", "sub_agents", "tool_mcp_stdio_notion_config"
    ]


def test_max_iterations_zero_is_no_limit(tmp_path: Path) -> None:
    # LoopAgent loops `while not self.max_iterations or times_looped < self.max_iterations`
    files = {"loop/root_agent.yaml": LOOP.format(bound="max_iterations: 0\n"), "loop/critic.yaml": llm("critic"),
             "loop/reviser.yaml": llm("reviser")}
    (part,) = adapt("loop/root_agent.yaml", files["loop/root_agent.yaml"]).parts
    assert part.edges[-1].max_traversals is None and part.terminals == ()
    assert [f.split()[0] for f in run(tmp_path, files, "AL101")] == ["AL101"]
