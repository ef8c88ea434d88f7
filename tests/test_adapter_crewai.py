"""CrewAI agents.yaml + tasks.yaml -> agents, tasks, sequence edges: exact entities and
positions, what CrewAI ignores, claims, the whole engine on small crews, and the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint import api
from agentlint.adapters import crewai
from agentlint.adapters.base import all_adapters
from agentlint.config import CliOverrides
from agentlint.loaders.yaml import load_yaml
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart, Task
from agentlint.model.project import Project
from agentlint.model.source import NodeRef, Pos, Span
from tests.conftest import CORPUS
from tests.helpers import assert_read, materialize_corpus

AGENTS_PATH = "src/crew/config/agents.yaml"
TASKS_PATH = "src/crew/config/tasks.yaml"
AGENTS = """\
researcher:
  role: >
    Senior Researcher
  goal: Find facts about {topic}
  backstory: Seasoned analyst.
  llm: openai/gpt-4o-mini
  tools: [search, scrape]
  max_iter: 10
  max_execution_time: 300
  max_retry_limit: 1
  allow_delegation: true
writer:
  role: Writer
  goal: Write
  backstory: Writer.
  model: gpt-4o
"""
TASKS = """\
research:
  description: Research {topic}
  expected_output: Notes
  agent: researcher
draft:
  description: Draft the report
  expected_output: A draft
  agent: writer
  context: [research]
check:
  description: Check the draft
  expected_output: A verdict
  agent: researcher
  context:
    - draft
    - research
"""
SETTABLE = crewai.SETTABLE


def at(line: int, column: int, end_line: int, end_column: int) -> Span:
    return Span(Pos(line, column), Pos(end_line, end_column))


def adapt(path: str, text: str) -> crewai.Adapted:
    loaded = load_yaml(path, text)
    assert loaded.problems == []
    return crewai.adapt(loaded)


def problems(adapted: crewai.Adapted) -> list[tuple[str, int, int, str]]:
    return [(p.code, p.location.span.line, p.location.span.column, p.message) for p in adapted.problems]


def run(tmp_path: Path, files: dict[str, str], select: str = "ALL") -> list[str]:
    for rel, text in files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    settings = api.settings_for(["."], CliOverrides(select=(select,)), isolated=True, root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert not result.internal_error
    if not result.findings:  # "no findings" only after the files were read
        assert_read(result, files)
    return [f"{f.code} {f.path}:{f.line}:{f.column} {f.message}" for f in result.findings]


def test_agents_exact_entities_and_ignored_keys() -> None:
    adapted = adapt(AGENTS_PATH, AGENTS)
    (part,) = adapted.parts
    researcher = Agent(
        ref=NodeRef(AGENTS_PATH, ("researcher",)),
        span=at(1, 1, 1, 11),
        fields=(
            ("role", at(2, 9, 4, 1)),
            ("description", at(4, 9, 4, 33)),
            ("prompt", at(5, 14, 5, 31)),
            ("model", at(6, 8, 6, 26)),
            ("tools", at(7, 3, 7, 8)),
            ("max_iterations", at(8, 13, 8, 15)),
            ("timeout_seconds", at(9, 23, 9, 26)),
            ("max_attempts", at(10, 20, 10, 21)),
            ("delegates", at(11, 21, 11, 25)),
        ),
        name="researcher",
        graph="src/crew",
        framework="crewai",
        role="Senior Researcher",
        model="openai/gpt-4o-mini",
        prompt="Seasoned analyst.",
        tools=("search", "scrape"),
        timeout_seconds=300.0,
        max_attempts=2,  # max_retry_limit 1: one retry after the first attempt
        max_iterations=10,
        description="Find facts about {topic}",
        delegates=True,
        settable=SETTABLE,
        keys=crewai.KEYS,
        written=(("max_attempts", "max_retry_limit: 1"),),
    )
    writer = Agent(
        ref=NodeRef(AGENTS_PATH, ("writer",)),
        span=at(12, 1, 12, 7),
        fields=(("role", at(13, 9, 13, 15)), ("description", at(14, 9, 14, 14)), ("prompt", at(15, 14, 15, 21))),
        name="writer",
        graph="src/crew",
        framework="crewai",
        role="Writer",
        prompt="Writer.",
        description="Write",
        implicit=(
            ("max_iterations", "crewai.max_iter"),
            ("timeout_seconds", "crewai.max_execution_time"),
            ("max_attempts", "crewai.max_retry_limit"),
        ),
        settable=SETTABLE,
        keys=crewai.KEYS,
    )
    assert part == GraphPart(
        ref=NodeRef(AGENTS_PATH),
        span=at(1, 1, 1, 11),
        fields=(),
        name="src/crew",
        agents=(researcher, writer),
        framework="crewai",
        entry_declarable=False,
    )
    # `model:` is not an Agent field: CrewAI drops it and runs the default model
    assert problems(adapted) == [
        ("AL002", 16, 3, "unknown key 'model' in agent 'writer': CrewAI silently ignores it: did you mean 'llm'?")
    ]


def test_tasks_exact_entities_edges_and_references() -> None:
    (part,) = adapt(TASKS_PATH, TASKS).parts
    assert part.name == "src/crew" and part.entry == "researcher" and part.terminals == ()
    assert part.tasks == (
        Task(
            NodeRef(TASKS_PATH, ("research",)),
            at(1, 1, 1, 9),
            (("description", at(2, 16, 2, 32)), ("expected_output", at(3, 20, 3, 25)), ("agent", at(4, 10, 4, 20))),
            "research",
            "src/crew",
            agent="researcher",
        ),
        Task(
            NodeRef(TASKS_PATH, ("draft",)),
            at(5, 1, 5, 6),
            (
                ("description", at(6, 16, 6, 32)),
                ("expected_output", at(7, 20, 7, 27)),
                ("agent", at(8, 10, 8, 16)),
                ("context", at(9, 3, 9, 10)),
            ),
            "draft",
            "src/crew",
            agent="writer",
            context=("research",),
            context_spans=(at(9, 13, 9, 21),),
        ),
        Task(
            NodeRef(TASKS_PATH, ("check",)),
            at(10, 1, 10, 6),
            (
                ("description", at(11, 16, 11, 31)),
                ("expected_output", at(12, 20, 12, 29)),
                ("agent", at(13, 10, 13, 20)),
                ("context", at(14, 3, 14, 10)),
            ),
            "check",
            "src/crew",
            agent="researcher",
            context=("draft", "research"),
            context_spans=(at(15, 7, 15, 12), at(16, 7, 16, 15)),
        ),
    )
    assert part.references == tuple(
        AgentReference(NodeRef(TASKS_PATH, (task, "agent")), span, (), agent, "src/crew", "task agent")
        for task, span, agent in (
            ("research", at(4, 10, 4, 20), "researcher"),
            ("draft", at(8, 10, 8, 16), "writer"),
            ("check", at(13, 10, 13, 20), "researcher"),
        )
    )
    # researcher runs again after writer: that is not a loop, so no writer → researcher edge
    assert part.edges == (
        Edge(NodeRef(TASKS_PATH, ("draft", "agent")), at(8, 10, 8, 16), (), "researcher", "writer", EdgeKind.SEQUENCE, "src/crew"),
    )


def test_one_crew_is_one_graph_without_false_loops(tmp_path: Path) -> None:
    parts = adapt(AGENTS_PATH, AGENTS).parts + adapt(TASKS_PATH, TASKS).parts
    (graph,) = Project.build(parts).graphs
    assert (graph.name, graph.entry, sorted(graph.agents), graph.terminals) == (
        "src/crew",
        "researcher",
        ["researcher", "writer"],
        frozenset({"writer"}),
    )
    findings = run(tmp_path, {AGENTS_PATH: AGENTS, TASKS_PATH: TASKS})
    assert [f for f in findings if f.split()[0] in ("AL101", "AL102", "AL104", "AL105", "AL106", "AL109")] == []


def test_missing_task_agent_is_reported_at_the_agent_value(tmp_path: Path) -> None:
    tasks = TASKS.replace("agent: writer", "agent: editor")
    findings = run(tmp_path, {AGENTS_PATH: AGENTS, TASKS_PATH: tasks}, "AL106")
    assert findings == [f"AL106 {TASKS_PATH}:8:10 task agent 'editor' is not an agent of graph 'src/crew'"]


def test_revisited_agents_and_delegation_form_no_loop(tmp_path: Path) -> None:
    """X, Y, X, Z with everyone delegating: CrewAI runs each task once and a coworker never
    delegates further, so there is no loop to report, and every agent is reachable."""
    agents = "".join(f"{n}:\n  role: {n}\n  goal: g\n  backstory: b\n  allow_delegation: true\n" for n in "xyz")
    tasks = "".join(
        f"t{i}:\n  description: d\n  expected_output: o\n  agent: {n}\n" for i, n in enumerate("xyxz")
    )
    (part,) = adapt("config/tasks.yaml", tasks).parts
    assert [(e.source, e.target, e.span.line) for e in part.edges] == [("x", "y", 8), ("x", "z", 16)]
    assert all(a.delegates for a in adapt("config/agents.yaml", agents).parts[0].agents)
    codes = {f.split()[0] for f in run(tmp_path, {"config/agents.yaml": agents, "config/tasks.yaml": tasks})}
    # CrewAI retries twice by default (a real limit: no AL302); no timeout (AL301) leaves the
    # request's time unbounded (AL310); an agent without llm calls CrewAI's default model, up
    # to max_iter 25 × 3 attempts each: above max-llm-calls (AL311)
    assert codes == {"AL301", "AL311"}


def test_tasks_without_agents_give_no_entry() -> None:
    """An agent assigned in crew.py (Task(config=…, agent=self.x())) hides part of the walk."""
    tasks = "a:\n  description: d\n  expected_output: o\n  agent: x\nb:\n  description: d\n  expected_output: o\n"
    (part,) = adapt("config/tasks.yaml", tasks).parts
    assert (part.entry, part.edges, [t.agent for t in part.tasks]) == (None, (), ["x", None])


def test_shape_problems() -> None:
    agents = """\
a:
  role: r
  max_iter: many
  max_execution_time: 0
  max_retry_limit: -1
  allow_delegation: "yes"
  tools: search
  max_iterations: 3
b: just text
"""
    adapted = adapt("config/agents.yaml", agents)
    assert problems(adapted) == [
        ("AL002", 8, 3, "unknown key 'max_iterations' in agent 'a': CrewAI silently ignores it: did you mean 'max_iter'?"),
        ("AL002", 7, 10, "tools must be a list of tool names"),
        ("AL002", 6, 21, "allow_delegation must be true or false"),
        ("AL002", 3, 13, "max_iter must be an integer ≥ 1, not 'many'"),
        ("AL002", 4, 23, "max_execution_time must be an integer ≥ 1, not 0"),
        ("AL002", 5, 20, "max_retry_limit must be an integer ≥ 0, not -1"),
        ("AL002", 9, 4, "agent 'b' must be a mapping of CrewAI agent settings"),
    ]
    (agent,) = adapted.parts[0].agents
    assert (agent.max_iterations, agent.timeout_seconds, agent.max_attempts, agent.tools, agent.delegates) == (
        None, None, None, (), False
    )
    tasks = "t:\n  description: d\n  expected_output: o\n  agent: [a]\n  context: research\n  expected: x\n"
    assert problems(adapt("config/tasks.yaml", tasks)) == [
        ("AL002", 6, 3, "unknown key 'expected' in task 't': CrewAI silently ignores it: did you mean 'expected_output'?"),
        ("AL002", 4, 10, "agent must be the name of an agent"),
        ("AL002", 5, 12, "context must be a list of task names"),
    ]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("config/agents.yaml", "agents:\n  - name: planner\n    model: gpt-4o\n"),  # another agents.yaml dialect
        ("config/agents.yaml", "planner:\n  model: gpt-4o\n  instructions: plan\n"),
        ("config/crew.yaml", "planner:\n  role: Planner\n  goal: g\n"),  # not a CrewAI config file name
        ("tasks.yaml", "build:\n  cmd: make\n"),
    ],
)
def test_look_alikes_are_not_claimed_or_not_adapted(path: str, text: str) -> None:
    claimed = [a.name for a in all_adapters() if a.claims(path, text)]
    assert "crewai" not in claimed or crewai.adapt(load_yaml(path, text)).parts == []


def test_agentlint_own_agents_yaml_is_not_claimed() -> None:
    text = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: g}\nagents:\n  a:\n    role: r\n"
    assert not crewai.claims("agents.yaml", text)
    assert crewai.claims("agents.yaml", "version:\n  role: an agent called version\n  goal: g\n")


def test_graph_names_follow_the_folder() -> None:
    assert crewai.graph_name("src/pkg/config/agents.yaml") == "src/pkg"
    assert crewai.graph_name("config/tasks.yaml") == "crew"
    assert crewai.graph_name("agents.yaml") == "crew"
    assert crewai.graph_name("crews/poem/agents.yaml") == "crews/poem"


# The loading and topology findings of the corpus crews. AL002: `name:`/`description:` are not
# crewai.Agent fields and are dropped. No AL109: CrewAI has no way to write an entry (the crew
# starts at its first task's agent), so the engine does not ask for one.
CORPUS_FINDINGS = [
    "AL002 crewai/AyushKr421/Project-2-CrewAI-Native-Delegation-Analytics-Assistant/config/agents.yaml:2",
    "AL002 crewai/AyushKr421/Project-2-CrewAI-Native-Delegation-Analytics-Assistant/config/agents.yaml:17",
    "AL002 crewai/AyushKr421/Project-2-CrewAI-Native-Delegation-Analytics-Assistant/config/agents.yaml:25",
    "AL002 crewai/AyushKr421/Project-2-CrewAI-Native-Delegation-Analytics-Assistant/config/agents.yaml:35",
    "AL002 crewai/AyushKr421/Project-2-CrewAI-Native-Delegation-Analytics-Assistant/config/agents.yaml:43",
    "AL002 crewai/AyushKr421/Project-2-CrewAI-Native-Delegation-Analytics-Assistant/config/agents.yaml:55",
]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_sweep(tmp_path: Path) -> None:
    materialize_corpus(tmp_path)
    settings = api.settings_for(["crewai"], CliOverrides(select=("ALL",)), isolated=True, root=tmp_path)
    result = api.check(["crewai"], settings, root=tmp_path)
    assert not result.internal_error
    assert [f for f in result.findings if f.code.startswith("AL9")] == []
    found = [f"{f.code} {f.path}:{f.line}" for f in result.findings if f.code.startswith(("AL0", "AL1"))]
    assert found == CORPUS_FINDINGS
    # every crew agent is checked for limits: no timeout anywhere in the corpus
    timeouts = {f.path.split("/")[1] for f in result.findings if f.code == "AL301"}
    assert timeouts == {"16kushaal", "Aakeeo", "AyushKr421"}
