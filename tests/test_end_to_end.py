"""The bundled examples/ project, end to end through the CLI: exact findings, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from agentlint.cli import main
from tests.conftest import REPO

EXPECTED = [
    # examples/adk-loop-code, examples/autogen-team, examples/openai-agents-support: agents defined in Python code
    'examples/adk-loop-code/story_agent/agent.py:10:19: warning: loop refiner → critic → refiner is bounded only by the framework default, above the maximum of 100: RunConfig.max_llm_calls defaults to 500 LLM calls (google-adk 1.14.0); set RunConfig.max_llm_calls to at most 100, or bound the loop itself [AL103]',
    "examples/adk-loop-code/story_agent/agent.py:17:10: warning: a request entering at 'story_pipeline' can take up to 500 LLM calls = RunConfig.max_llm_calls 500 (google-adk default), the run's cap on LLM requests (max-llm-calls = 50), along story_pipeline → writer → refinement_loop → critic → refiner [AL311]",
    "examples/adk-loop-code/story_agent/sub_agents/refiner/agent.py:4:10: error: agent 'refiner' has no timeout: set 'generate_content_config.http_options.timeout' (adk sets none by default) [AL301]",
    "examples/adk-loop-code/story_agent/sub_agents/refiner/agent.py:4:10: warning: agent 'refiner' has no retry limit: set 'generate_content_config.http_options.retry_options.attempts' (adk sets none by default) [AL302]",
    "examples/adk-loop-code/story_agent/sub_agents/writer/agent.py:6:11: warning: agent 'writer' uses model 'gemini-2.0-flash', an alias: Google's auto-updated alias moves to each new stable version; use the snapshot gemini-2.0-flash-001 [AL409]",
    "examples/adk-loop-code/story_agent/sub_agents/writer/agent.py:11:102: warning: agent 'writer' allows 8 attempts, above the maximum of 5 [AL303]",
    'examples/adk-refiner/refine_loop.yaml:1:14: warning: loop reviser → critic → reviser is bounded only by the framework default, above the maximum of 100: RunConfig.max_llm_calls defaults to 500 LLM calls (google-adk 1.14.0); set RunConfig.max_llm_calls to at most 100, or bound the loop itself [AL103]',
    "examples/adk-refiner/reviser.yaml:2:7: error: agent 'reviser' has no timeout: set 'generate_content_config.http_options.timeout' (adk sets none by default) [AL301]",
    "examples/adk-refiner/reviser.yaml:2:7: warning: agent 'reviser' has no retry limit: set 'generate_content_config.http_options.retry_options.attempts' (adk sets none by default) [AL302]",
    "examples/adk-refiner/root_agent.yaml:4:7: warning: a request entering at 'answer_pipeline' can take up to 500 LLM calls = RunConfig.max_llm_calls 500 (google-adk default), the run's cap on LLM requests (max-llm-calls = 50), along answer_pipeline → drafter → refine_loop → critic → reviser [AL311]",
    "examples/autogen-team/newsroom/agents.py:7:87: warning: agent 'desk' sets max_retries=8 (9 attempts), above the maximum of 5 [AL303]",
    "examples/autogen-team/newsroom/agents.py:16:5: warning: a request entering at 'writer' has no upper bound on LLM calls or time: loop editor → writer → editor has no bound: set max_traversals on an edge of each loop, or the graph's run-level turn limit [AL310]",
    "examples/autogen-team/newsroom/agents.py:22:5: warning: a request entering at 'desk' can take up to 270 LLM calls = 30 turns × the dearest of (desk 1×9) (max-llm-calls = 50) and 5400 s = 30 turns × the slowest of (desk 20 s×9) (max-seconds = 300), along desk [AL311]",
    "examples/autogen-team/newsroom/agents.py:23:18: warning: agent 'desk' uses model 'gpt-4o-mini', an alias: OpenAI moves it to each new snapshot; use the snapshot gpt-4o-mini-2024-07-18 [AL409]",
    'examples/autogen-team/newsroom/teams.py:9:30: warning: loop editor → writer → editor has no bound of its own: no framework default stops it either: max_turns defaults to no limit (autogen-agentchat 0.7.4) [AL102]',
    # examples/crewai-flow: a CrewAI Flow whose review router sends the draft back until the editor
    # approves (no cap in the code, none in crewai 1.6.1), a crew agent without max_execution_time,
    # an editor Agent on the floating 'gpt-4o' alias
    "examples/crewai-flow/src/newsletter_flow/crews/writer_crew/config/agents.yaml:13:1: error: agent 'writer' has no timeout: set 'max_execution_time' (crewai sets none by default) [AL301]",
    "examples/crewai-flow/src/newsletter_flow/main.py:32:9: warning: agent 'editor' uses model 'gpt-4o', an alias: OpenAI moves it to each new snapshot; use the snapshot gpt-4o-2024-11-20 [AL409]",
    "examples/crewai-flow/src/newsletter_flow/main.py:46:9: warning: a request entering at 'read_changelog' has no upper bound on LLM calls or time: loop write_draft → review_draft → write_draft has no bound: set max_traversals on an edge of each loop, or the graph's run-level turn limit [AL310]",
    "examples/crewai-flow/src/newsletter_flow/main.py:52:13: warning: loop write_draft → review_draft → write_draft has no bound of its own: no framework default stops it either: max_method_calls defaults to no limit (crewai 1.6.1) [AL102]",
    # examples/langgraph-research: one finding per LangGraph defect (a retry policy above the maximum,
    # a node nothing routes to, the writer ⇄ critic loop with no recursion_limit, an edge to a node
    # never added; langgraph.json serving a variable graph.py does not define, a dependency
    # without a version); other engineers' checks of the same project go here too
    "examples/langgraph-research/langgraph.json:2:25: warning: langgraph.json installs 'tavily-python' without a version: pin an exact version (tavily-python==<version>) here or in requirements.txt [AL225]",
    "examples/langgraph-research/langgraph.json:4:17: error: graph 'research' cannot load: 'src/research/graph.py' binds no module-level name 'app'; langgraph.json resolves paths from its own folder [AL112]",
    "examples/langgraph-research/src/research/graph.py:11:44: warning: agent 'researcher' allows 8 attempts, above the maximum of 5 [AL303]",
    "examples/langgraph-research/src/research/graph.py:14:1: warning: agent 'fact_checker' is not reachable from the entry agent 'planner' [AL104]",
    'examples/langgraph-research/src/research/graph.py:20:1: warning: loop writer → critic → writer is bounded only by the framework default, above the maximum of 100: recursion_limit defaults to 10007 supersteps (langgraph 1.2.24); set recursion_limit to at most 100, or bound the loop itself [AL103]',
    "examples/langgraph-research/src/research/graph.py:21:1: error: edge target 'archive' is not an agent of graph 'examples/langgraph-research/src/research/graph.py:graph' [AL106]",
    # the writer's ChatOpenAI has no timeout (langchain-openai hands the SDK timeout=None)
    'examples/langgraph-research/src/research/nodes.py:11:16: warning: ChatOpenAI(...) has no timeout: langchain-openai sets no request timeout by default: its OpenAI client waits without limit; pass timeout=30 (seconds) [AL304]',
    'examples/openai-agents-support/src/support/team.py:24:15: info: loop triage → billing → triage is bounded only by the framework default: max_turns defaults to 10 turns (openai-agents 0.24.0); set max_turns to make the bound explicit [AL111]',
    "examples/openai-agents-support/src/support/tools.py:10:46: error: npx runs '@acme/orders-mcp' without a version: pin an exact version (@acme/orders-mcp@<version>) [AL201]",
    "examples/openai-agents-support/src/support/tools.py:17:20: error: server 'tickets' connects to tickets.acme.internal over plain http://: use https:// so prompts, tool results and tokens are encrypted [AL203]",
    "examples/openai-agents-support/src/support/tools.py:24:77: warning: docker run starts image 'ghcr.io/github/github-mcp-server' by the tag 'v0.17.1', which can be re-pushed: pin its digest (ghcr.io/github/github-mcp-server:v0.17.1@sha256:<digest>) [AL221]",
    "examples/openai-agents-support/src/support/tools.py:34:5: warning: server 'refunds' allows 900 s per tool call, above the maximum of 120 s [AL208]",
    # examples/pydantic-ai-desk: PydanticAI agent delegation (writer ⇄ reviewer through tools) with
    # request_limit=None, retries above the maximum, a moving model alias, a Langfuse prompt fetched
    # without a version or label
    "examples/pydantic-ai-desk/src/desk/agents.py:29:5: warning: agent 'support' uses model 'openai:gpt-4o', an alias: OpenAI moves it to each new snapshot; use the snapshot openai:gpt-4o-2024-11-20 [AL409]",
    "examples/pydantic-ai-desk/src/desk/agents.py:34:5: warning: agent 'support' sets retries=8 (9 attempts), above the maximum of 5 [AL303]",
    "examples/pydantic-ai-desk/src/desk/agents.py:37:16: warning: a request entering at 'support' has no upper bound on LLM calls or time: loop writer → reviewer → writer has no bound: set max_traversals on an edge of each loop, or the graph's run-level turn limit [AL310]",
    "examples/pydantic-ai-desk/src/desk/agents.py:54:14: warning: agent 'support_instructions' fetches prompt 'desk-support' without a version or label, so it gets whichever version label 'production' (the default) points to when it runs: pin a version or state a release label [AL401]",
    'examples/pydantic-ai-desk/src/desk/agents.py:75:20: warning: loop writer → reviewer → writer has no bound of its own: run it with a finite usage_limits=UsageLimits(request_limit=N) (None turns the default of 50 off) [AL102]',
    "examples/research-crew/config/agents.yaml:2:1: warning: a request entering at 'researcher' can take up to 106 LLM calls = researcher 8×2 + writer 5×3 + reviewer 25×3 (max-llm-calls = 50), along researcher → writer → reviewer [AL311]",
    "examples/research-crew/config/agents.yaml:12:1: error: agent 'writer' has no timeout: set 'max_execution_time' (crewai sets none by default) [AL301]",
    "examples/research-crew/config/agents.yaml:17:3: error: unknown key 'model' in agent 'writer': CrewAI silently ignores it: did you mean 'llm'? [AL002]",
    # examples/smolagents-research: a moving model alias (one LiteLLMModel shared by both agents: one
    # finding), the CodeAgent manager on the default local executor, and each of the manager's 8 steps
    # can run the search agent's 10 (a managed agent is called like a tool): 8 × (1 + 10) LLM calls
    "examples/smolagents-research/research/agents.py:8:14: warning: agent 'search_agent' uses model 'anthropic/claude-3-5-sonnet-latest', an alias: 'latest' follows every new release; use the snapshot anthropic/claude-3-5-sonnet-20241022 [AL409]",
    'examples/smolagents-research/research/agents.py:23:17: warning: CodeAgent \'manager_agent\' runs model-written code on the host (executor_type is unset, and defaults to "local"): run it in a sandbox (executor_type="e2b", "docker", "modal" or "wasm") or use a ToolCallingAgent [AL226]',
    "examples/smolagents-research/research/agents.py:23:17: warning: a request entering at 'manager_agent' can take up to 88 LLM calls = manager_agent 8×1 × (1 + search_agent 10×1) (max-llm-calls = 50), along manager_agent → search_agent [AL311]",
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
    # examples/traced-assistant: one privacy defect of each kind (its fixed twin, traced-assistant-fixed, has none)
    "examples/traced-assistant/app/main.py:14:12: warning: TracerProvider(sampler=) is left at its default: the default sampler keeps every trace, and this module's spans carry openai prompts; pass sampler=ParentBased(TraceIdRatioBased(0.1)) or set OTEL_TRACES_SAMPLER=parentbased_traceidratio (2 more places left at the default too) [AL512]",
    'examples/traced-assistant/app/main.py:25:5: warning: logger.info(...) logs the prompt `prompt` (parameter, line 24) unmasked: log ids, lengths and token counts, or mask the content first [AL501]',
    'examples/traced-assistant/app/main.py:31:5: warning: logger.info(...) logs the personal data `email` (parameter, line 24) unmasked: log an id or a hash, or mask it first [AL502]',
    'examples/traced-assistant/compose.yaml:9:59: warning: OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true: GenAI instrumentations record prompts and completions on spans or events (service assistant); set OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=NO_CONTENT (false for boolean instrumentations) [AL510]',
    'examples/traced-assistant/otel-collector-config.yaml:14:17: warning: exporters.otlp/backend.tls.insecure: true: otlp/backend exports traces without TLS (tls.insecure: true) to traces.example.com:4317; remove tls.insecure (TLS is the default) and set tls.ca_file if the backend uses a private CA [AL513]',
    "examples/traced-assistant/otel-collector-config.yaml:16:16: warning: exporters.debug.verbosity: detailed: debug (verbosity: detailed) prints every span and log attribute of traces, prompts and completions included, to the Collector's log; use verbosity: basic, or keep the debug exporter out of traces and logs pipelines in deployed configs [AL510]",
    "examples/traced-assistant/otel-collector-config.yaml:20:5: warning: traces pipeline 'traces' exports the LLM application's telemetry (otlp/backend) with prompts and completions intact: no processor removes or masks gen_ai.input.messages, gen_ai.output.messages, gen_ai.system_instructions, gen_ai.prompt*, gen_ai.completion* [AL530]",
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
    assert data["summary"]["files_checked"] == 45


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
    assert errors + warnings + infos == len(EXPECTED)
    assert proc.stderr == f"Found {len(EXPECTED)} problems ({errors} errors, {warnings} warnings, {infos} info{'' if infos == 1 else 's'}) in 45 files, 2 suppressed.\n"
