"""The bundled examples/ project, end to end through the CLI: exact findings, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from agentlint.cli import main
from tests.conftest import REPO

EXPECTED = [
    'examples/adk-refiner/refine_loop.yaml:1:14: warning: loop reviser → critic → reviser is bounded only by the framework default, above the maximum of 100: RunConfig.max_llm_calls defaults to 500 LLM calls (google-adk, newest known version; pin it to be sure); set RunConfig.max_llm_calls to at most 100, or bound the loop itself [AL103]',
    "examples/adk-refiner/reviser.yaml:2:7: error: agent 'reviser' has no timeout: set 'generate_content_config.http_options.timeout' (adk sets none by default) [AL301]",
    "examples/adk-refiner/reviser.yaml:2:7: warning: agent 'reviser' has no retry limit: set 'generate_content_config.http_options.retry_options.attempts' (adk sets none by default) [AL302]",
    "examples/adk-refiner/root_agent.yaml:4:7: warning: a request entering at 'answer_pipeline' can take up to 1003 LLM calls = drafter 1×3 + 500 turns × the dearest of (critic 1×2, reviser 1×1) (max-llm-calls = 50), along answer_pipeline → drafter → refine_loop → critic → reviser [AL311]",
    # examples/langgraph-research: one finding per LangGraph defect (a retry policy above the maximum,
    # a node nothing routes to, the writer ⇄ critic loop with no recursion_limit, an edge to a node
    # never added; langgraph.json serving a variable graph.py does not define, a dependency
    # without a version); other engineers' checks of the same project go here too
    "examples/langgraph-research/langgraph.json:2:25: warning: langgraph.json installs 'tavily-python' without a version: pin an exact version (tavily-python==<version>) here or in requirements.txt [AL225]",
    "examples/langgraph-research/langgraph.json:4:17: error: graph 'research' cannot load: 'src/research/graph.py' binds no module-level name 'app'; langgraph.json resolves paths from its own folder [AL112]",
    "examples/langgraph-research/src/research/graph.py:11:44: warning: agent 'researcher' allows 8 attempts, above the maximum of 5 [AL303]",
    "examples/langgraph-research/src/research/graph.py:14:1: warning: agent 'fact_checker' is not reachable from the entry agent 'planner' [AL104]",
    "examples/langgraph-research/src/research/graph.py:20:1: warning: loop writer → critic → writer is bounded only by the framework default, above the maximum of 100: recursion_limit defaults to 10007 supersteps (langgraph 1.2.24); set recursion_limit to at most 100, or bound the loop itself [AL103]",
    "examples/langgraph-research/src/research/graph.py:21:1: error: edge target 'archive' is not an agent of graph 'examples/langgraph-research/src/research/graph.py:graph' [AL106]",
    # the writer's ChatOpenAI has no timeout (langchain-openai hands the SDK timeout=None)
    "examples/langgraph-research/src/research/nodes.py:11:16: warning: ChatOpenAI(...) has no timeout: langchain-openai sets no request timeout by default: its OpenAI client waits without limit; pass timeout=30 (seconds) [AL304]",
    "examples/research-crew/config/agents.yaml:2:1: warning: a request entering at 'researcher' can take up to 106 LLM calls = researcher 8×2 + writer 5×3 + reviewer 25×3 (max-llm-calls = 50), along researcher → writer → reviewer [AL311]",
    "examples/research-crew/config/agents.yaml:12:1: error: agent 'writer' has no timeout: set 'max_execution_time' (crewai sets none by default) [AL301]",
    "examples/research-crew/config/agents.yaml:17:3: error: unknown key 'model' in agent 'writer': CrewAI silently ignores it: did you mean 'llm'? [AL002]",
    "examples/support-desk/.vscode/mcp.json:11:22: error: npx runs '@stripe/mcp' without a version: pin an exact version (@stripe/mcp@<version>) [AL201]",
    "examples/support-desk/agents.yaml:27:21: warning: agent 'billing' allows 10 attempts, above the maximum of 5 [AL303]",
    "examples/support-desk/agents.yaml:29:3: error: agent 'tech' has no timeout: set 'timeout' (e.g. 30s) [AL301]",
    # the budget's own causes (the missing timeouts are AL301's), at the agent that makes it unbounded
    "examples/support-desk/agents.yaml:29:3: warning: a request entering at 'router' has no upper bound on LLM calls or time: loop tech → escalation → tech has no bound; loop writer → critic → writer has no bound: set max_traversals on an edge of each loop, or the graph's run-level turn limit [AL310]",
    'examples/support-desk/agents.yaml:61:5: warning: loop writer → critic → writer has no bound of its own: set max_traversals on one of its edges or max_iterations on one of its agents [AL102]',
    "examples/support-desk/escalation.yaml:17:3: warning: agent 'legal-review' is not reachable from the entry agent 'router' [AL104]",
    'examples/support-desk/escalation.yaml:24:5: warning: loop tech → escalation → tech has no bound of its own: set max_traversals on one of its edges or max_iterations on one of its agents [AL102]',
    "examples/support-desk/prompts.yaml:165:14: warning: production version 1 of prompt 'responder' has no earlier version to roll back to: keep the previous stable version in the registry, or record one as 'rollback' [AL404]",
    "examples/support-desk/prompts.yaml:188:5: warning: prompt 'legal' has no 'production' label: nobody can tell which version is live, nor move it back [AL404]",
    "examples/support-desk/tool-policy.yaml:30:3: warning: tool policy for server 'pagerduty' sets no rate_limit (nor do its defaults) [AL209]",
]


def test_examples_concise(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    code = main(["check", "examples", "--format", "concise"])
    out = capsys.readouterr().out
    assert out.splitlines() == EXPECTED
    assert code == 1


def test_examples_suppressed_todo_is_listed(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    main(["check", "examples", "--format", "json", "--show-suppressed"])
    data = json.loads(capsys.readouterr().out)
    hidden = [f for f in data["findings"] if f["suppression"]]
    assert [(f["code"], f["path"], f["line"], f["suppression"]["kind"]) for f in hidden] == [
        ("AL301", "examples/support-desk/escalation.yaml", 10, "todo"),
        ("AL404", "examples/support-desk/prompts.yaml", 174, "todo"),
    ]
    assert data["summary"]["files_checked"] == 17


def test_examples_fail_on_error_and_exit_zero(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    assert main(["check", "examples", "--fail-on", "error", "--format", "concise"]) == 1
    assert main(["check", "examples", "--select", "AL104", "--fail-on", "error", "--format", "concise"]) == 0
    assert main(["check", "examples", "--exit-zero", "--format", "concise"]) == 0
    capsys.readouterr()


def test_python_dash_m_runs_from_a_fresh_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "agentlint", "check", "examples", "--format", "concise"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == EXPECTED
    # stdout stays machine-readable: the one-line summary goes to stderr
    errors, warnings, infos = (sum(f": {level}: " in line for line in EXPECTED) for level in ("error", "warning", "info"))
    assert (errors + warnings, infos) == (len(EXPECTED), 0)
    assert proc.stderr == f"Found {len(EXPECTED)} problems ({errors} errors, {warnings} warnings, 0 infos) in 17 files, 2 suppressed.\n"
