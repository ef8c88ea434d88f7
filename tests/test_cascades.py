"""One defect, one finding (issue 11, point 4): a root cause is reported, and the findings that
would only follow from it are not. Each scenario is a small broken project run through the whole
engine with every rule on; the exact (code, path, line) set is asserted."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import project_findings

HEAD = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata:\n  name: desk\n"
LIMITS = "timeout: 30, retries: {max_attempts: 2}"

# An edge to and from an undefined agent 'ghost': router → ghost → helper → done. Whether the
# entry reaches helper, and whether router can finish, depends on the missing agent.
UNDEFINED_IN_CHAIN = {
    "graph.yaml": HEAD
    + f"""entry: router
terminals: [done]
agents:
  router: {{role: router, {LIMITS}}}
  helper: {{role: helper, {LIMITS}}}
  done: {{role: finisher, {LIMITS}}}
edges:
  - {{from: router, to: ghost}}
  - {{from: ghost, to: helper}}
  - {{from: helper, to: done}}
"""
}

# The same graph with a real dead end beside the typo: 'orphan' is unreachable on its own.
UNDEFINED_AND_ORPHAN = {
    "graph.yaml": UNDEFINED_IN_CHAIN["graph.yaml"].replace(
        "edges:", f"  orphan: {{role: orphan, {LIMITS}}}\n  stuck: {{role: stuck, {LIMITS}}}\nedges:\n  - {{from: router, to: stuck}}"
    )
}

CREW_AGENTS = """\
researcher:
  role: Researcher
  goal: Find facts
  backstory: You research.
  llm: openai/gpt-4o-2024-08-06
  max_execution_time: ten minutes
  max_retry_limit: 2
  max_iter: 5
"""
CREW_TASKS = """\
research:
  description: Research the topic
  expected_output: A report
  agent: researcher
"""
# max_execution_time is written, with a value CrewAI rejects: AL002, never "no timeout" too.
CREW_INVALID_TIMEOUT = {"crew/config/agents.yaml": CREW_AGENTS, "crew/config/tasks.yaml": CREW_TASKS}

# tasks.yaml without its agents.yaml: one finding for the crew, not one per task.
CREW_NO_AGENTS_FILE = {
    "crew/config/tasks.yaml": CREW_TASKS
    + "write:\n  description: Write it\n  expected_output: An article\n  agent: writer\n"
    + "review:\n  description: Review it\n  expected_output: Notes\n  agent: researcher\n"
}

# A missing timeout is AL301 at the agent, not AL301 plus AL310 at the entry.
MISSING_TIMEOUT = {
    "graph.yaml": HEAD
    + """entry: router
agents:
  router: {role: router, retries: {max_attempts: 2}}
  helper: {role: helper, timeout: 30, retries: {max_attempts: 2}}
edges:
  - {from: router, to: helper}
"""
}

# An unbounded loop is a cause of its own: AL310 stays (beside AL102 for the loop).
MISSING_TIMEOUT_AND_LOOP = {
    "graph.yaml": MISSING_TIMEOUT["graph.yaml"].replace(
        "  - {from: router, to: helper}\n", "  - {from: router, to: helper}\n  - {from: helper, to: router, when: retry}\n"
    ).replace("entry: router\n", "entry: router\nterminals: [helper]\n")
}

ADK_INVALID_TIMEOUT = {
    "agents/root_agent.yaml": """\
name: assistant
model: gemini-2.0-flash-001
instruction: You help.
generate_content_config:
  http_options:
    timeout: soon
    retry_options: {attempts: 2}
"""
}


def test_an_undefined_agent_is_reported_once_not_as_unreachable_or_unfinishable(tmp_path: Path) -> None:
    # before: AL105 on router (upstream of ghost) and AL104 on helper and done (downstream)
    assert project_findings(tmp_path, UNDEFINED_IN_CHAIN) == [
        ("AL106", "graph.yaml", 12, 20),
        ("AL106", "graph.yaml", 13, 6),
    ]


def test_agents_with_a_cause_of_their_own_are_still_reported_beside_an_undefined_one(tmp_path: Path) -> None:
    assert project_findings(tmp_path, UNDEFINED_AND_ORPHAN) == [
        ("AL104", "graph.yaml", 11, 3),
        ("AL105", "graph.yaml", 12, 3),
        ("AL106", "graph.yaml", 15, 20),
        ("AL106", "graph.yaml", 16, 6),
    ]


def test_an_invalid_timeout_is_invalid_not_missing(tmp_path: Path) -> None:
    # before: AL002 plus AL301 "no timeout" plus AL310 "no upper bound on time"
    assert project_findings(tmp_path, CREW_INVALID_TIMEOUT) == [("AL002", "crew/config/agents.yaml", 6, 23)]


def test_an_invalid_adk_timeout_is_invalid_not_missing(tmp_path: Path) -> None:
    found = project_findings(tmp_path, ADK_INVALID_TIMEOUT, families=("AL0", "AL3"))
    assert found == [("AL002", "agents/root_agent.yaml", 6, 14)]


def test_a_tasks_file_without_agents_is_one_finding(tmp_path: Path) -> None:
    # before: one AL106 per task
    assert project_findings(tmp_path, CREW_NO_AGENTS_FILE) == [("AL106", "crew/config/tasks.yaml", 4, 10)]


def test_a_missing_timeout_is_not_repeated_as_an_unbounded_budget(tmp_path: Path) -> None:
    # before: AL301 at router and AL310 at router for the same missing timeout
    assert project_findings(tmp_path, MISSING_TIMEOUT) == [("AL301", "graph.yaml", 7, 3)]


def test_an_unbounded_loop_still_makes_the_budget_unbounded(tmp_path: Path) -> None:
    assert project_findings(tmp_path, MISSING_TIMEOUT_AND_LOOP) == [
        ("AL102", "graph.yaml", 11, 5),
        ("AL301", "graph.yaml", 8, 3),
        ("AL310", "graph.yaml", 8, 3),
    ]


CREW_INVALID_RETRIES = {
    "crew/config/agents.yaml": CREW_AGENTS.replace("max_execution_time: ten minutes", "max_execution_time: 60").replace(
        "max_retry_limit: 2", "max_retry_limit: two"
    ),
    "crew/config/tasks.yaml": CREW_TASKS,
}
ADK_INVALID_ATTEMPTS = {
    "agents/root_agent.yaml": ADK_INVALID_TIMEOUT["agents/root_agent.yaml"]
    .replace("timeout: soon", "timeout: 30000")
    .replace("{attempts: 2}", "{attempts: lots}")
}


def test_an_invalid_retry_limit_is_invalid_not_missing(tmp_path: Path) -> None:
    # before: AL002 plus AL302 "no retry limit" on the same agent
    assert project_findings(tmp_path, CREW_INVALID_RETRIES) == [("AL002", "crew/config/agents.yaml", 7, 20)]
    assert project_findings(tmp_path / "adk", ADK_INVALID_ATTEMPTS, families=("AL0", "AL3")) == [
        ("AL002", "agents/root_agent.yaml", 7, 31)
    ]


def test_a_tasks_file_beside_an_unreadable_agents_file_is_the_parse_error_alone(tmp_path: Path) -> None:
    # before: AL001 in agents.yaml plus one AL106 per task in tasks.yaml
    files = dict(CREW_NO_AGENTS_FILE, **{"crew/config/agents.yaml": "researcher:\n  role: Researcher\n  goal: [unclosed\n"})
    assert project_findings(tmp_path, files) == [("AL001", "crew/config/agents.yaml", 4, 1)]


def test_the_missing_agents_file_is_named(tmp_path: Path) -> None:
    from agentlint import api
    from agentlint.config import CliOverrides

    project_findings(tmp_path, CREW_NO_AGENTS_FILE)
    settings = api.settings_for(["."], CliOverrides(select=("AL106",)), isolated=True, root=tmp_path)
    (finding,) = api.check(["."], settings, root=tmp_path).findings
    assert finding.message == (
        "graph 'crew' defines no agents, yet 3 references name 'researcher', 'writer': add crew/config/agents.yaml"
    )


def test_a_misspelt_terminal_is_one_finding_not_one_per_agent(tmp_path: Path) -> None:
    graph = HEAD + f"entry: router\nterminals: [dnoe]\nagents:\n  router: {{role: router, {LIMITS}}}\n  done: {{role: finisher, {LIMITS}}}\n"
    graph += "edges:\n  - {from: router, to: done}\n"
    # before: AL106 on the terminal plus AL105 on router and on done
    assert project_findings(tmp_path, {"graph.yaml": graph}) == [("AL106", "graph.yaml", 6, 13)]
