"""The worst-case budget (AL310/AL311) nests a delegate's cost in its caller's steps, counts a
run-level cap on LLM requests as a cap on the total (not cap × attempts), and counts a CrewAI
agent without ``llm`` as calling CrewAI's default model."""

from __future__ import annotations

from pathlib import Path

from agentlint.model.budget import budget
from tests.helpers import project_result
from tests.test_defaults_and_budget import project_of

SMOL = """\
from smolagents import CodeAgent, LiteLLMModel, ToolCallingAgent, WebSearchTool

model = LiteLLMModel(model_id="anthropic/claude-3-5-sonnet-20241022")
worker = ToolCallingAgent(tools=[WebSearchTool()], model=model, max_steps={worker}, name="worker", description="Searches.")
manager = CodeAgent(tools=[], model=model, managed_agents=[worker], max_steps={manager}, executor_type="e2b")
"""

ADK = """\
from google.adk.agents import LlmAgent, LoopAgent
from google.adk.agents.run_config import RunConfig
from google.adk.runners import InMemoryRunner
from google.adk.tools import exit_loop
from google.genai import types

critic = LlmAgent(
    name="critic",
    model="gemini-2.0-flash-001",
    instruction="Review the draft; call exit_loop when it is good.",
    tools=[exit_loop],
    generate_content_config=types.GenerateContentConfig(
        http_options=types.HttpOptions(timeout=30_000, retry_options=types.HttpRetryOptions(attempts=3)),
    ),
)
reviser = LlmAgent(
    name="reviser",
    model="gemini-2.0-flash-001",
    instruction="Revise the draft.",
    generate_content_config=types.GenerateContentConfig(
        http_options=types.HttpOptions(timeout=20_000, retry_options=types.HttpRetryOptions(attempts=3)),
    ),
)
root_agent = LoopAgent(name="refine", sub_agents=[critic, reviser])
runner = InMemoryRunner(agent=root_agent, app_name="refine")
run_config = RunConfig(max_llm_calls={cap})
"""


def _lines(root: Path, files: dict[str, str], code: str) -> list[str]:
    result = project_result(root, files)
    return [f"{f.path}:{f.line}:{f.column}: {f.message}" for f in result.findings if f.code == code]


def _worst(root: Path, files: dict[str, str]):
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    project = project_of(root)
    (graph,) = [g for g in project.graphs if g.entry is not None]
    return budget(graph, project.topology(graph), project.pins)


def test_a_managed_agent_runs_once_per_step_of_its_manager(tmp_path: Path) -> None:
    # smolagents: a managed agent is called like a tool, one full run per step of the manager
    worst = _worst(tmp_path / "budget", {"agents.py": SMOL.format(worker=10, manager=8)})
    assert (worst.llm_calls, worst.calls_formula, worst.path) == (88.0, "manager 8×1 × (1 + worker 10×1)", ("manager", "worker"))
    assert _lines(tmp_path / "above", {"agents.py": SMOL.format(worker=10, manager=8)}, "AL311") == [
        "agents.py:5:11: a request entering at 'manager' can take up to 88 LLM calls = manager 8×1 × (1 + worker 10×1) "
        "(max-llm-calls = 50), along manager → worker"
    ]
    # 4 × (1 + 10) = 44: below the maximum
    assert _lines(tmp_path / "below", {"agents.py": SMOL.format(worker=10, manager=4)}, "AL311") == []


def test_a_cap_on_llm_requests_caps_the_total_not_cap_times_attempts(tmp_path: Path) -> None:
    # ADK RunConfig.max_llm_calls counts every LLM call of the run, retries included: an
    # unbounded LoopAgent under it makes 40 calls, not 40 × 3 attempts
    worst = _worst(tmp_path / "budget", {"app/agent.py": ADK.format(cap=40)})
    assert (worst.llm_calls, worst.calls_formula) == (40.0, "RunConfig.max_llm_calls 40")
    # each request waits at most one timeout of the slowest agent
    assert (worst.seconds, worst.seconds_formula) == (1200.0, "40 requests × the slowest of (critic 30 s, reviser 20 s)")
    assert _lines(tmp_path / "check", {"app/agent.py": ADK.format(cap=40)}, "AL311") == [
        "app/agent.py:24:29: a request entering at 'refine' can take up to 1200 s = 40 requests × the slowest of "
        "(critic 30 s, reviser 20 s) (max-seconds = 300), along refine → critic → reviser"
    ]
    high = _lines(tmp_path / "high", {"app/agent.py": ADK.format(cap=80)}, "AL311")
    assert high == [
        "app/agent.py:24:29: a request entering at 'refine' can take up to 80 LLM calls = RunConfig.max_llm_calls 80 "
        "(max-llm-calls = 50) and 2400 s = 80 requests × the slowest of (critic 30 s, reviser 20 s) (max-seconds = 300), "
        "along refine → critic → reviser"
    ]


def test_a_request_cap_below_the_agents_own_bounds_is_the_budget(tmp_path: Path) -> None:
    # PydanticAI: request_limit caps the requests of the run; the delegation would allow
    # 9 attempts × (1 + writer 1×2) = 27
    source = (
        "from pydantic_ai import Agent, RunContext, UsageLimits\n\n"
        "support = Agent('openai:gpt-4o-2024-08-06', name='support', retries=8)\n"
        "writer = Agent('openai:gpt-4o-2024-08-06', name='writer')\n\n"
        "@support.tool\nasync def draft(ctx: RunContext[None], facts: str) -> str:\n"
        "    return (await writer.run(facts, usage=ctx.usage)).output\n\n"
        "async def answer(question: str) -> str:\n"
        "    return (await support.run(question, usage_limits=UsageLimits(request_limit={cap}))).output\n"
    )
    low = _worst(tmp_path / "low", {"desk.py": source.format(cap=20)})
    assert (low.llm_calls, low.calls_formula) == (20.0, "usage_limits.request_limit 20, the run's cap on LLM requests")
    high = _worst(tmp_path / "high", {"desk.py": source.format(cap=40)})
    assert (high.llm_calls, high.calls_formula, high.path) == (27.0, "support 1×9 × (1 + writer 1×2)", ("support", "writer"))


def test_a_crewai_agent_without_llm_calls_the_default_model(tmp_path: Path) -> None:
    files = {
        "crew/config/agents.yaml": "researcher:\n  role: R\n  goal: G\n  backstory: B\n  max_iter: 5\n"
        "writer:\n  role: W\n  goal: G\n  backstory: B\n  max_execution_time: 120\n  max_retry_limit: 1\n",
        "crew/config/tasks.yaml": "t1:\n  description: D\n  expected_output: O\n  agent: researcher\n"
        "t2:\n  description: D\n  expected_output: O\n  agent: writer\n  context: [t1]\n",
    }
    worst = _worst(tmp_path / "budget", files)
    # max_retry_limit defaults to 2 (3 attempts), max_iter to 25: 5×3 + 25×2
    assert (worst.llm_calls, worst.calls_formula, worst.seconds_formula) == (65.0, "researcher 5×3 + writer 25×2", "writer 120 s×2")


def test_delegation_nests_at_every_level_and_huge_limits_stay_finite(tmp_path: Path) -> None:
    source = (
        "from smolagents import CodeAgent, LiteLLMModel, ToolCallingAgent\n\n"
        "model = LiteLLMModel(model_id='openai/gpt-4o-2024-08-06')\n"
        "c = ToolCallingAgent(tools=[], model=model, max_steps={c}, name='c', description='C.')\n"
        "b = ToolCallingAgent(tools=[], model=model, managed_agents=[c], max_steps={b}, name='b', description='B.')\n"
        "a = CodeAgent(tools=[], model=model, managed_agents=[b], max_steps={a}, executor_type='e2b')\n"
    )
    worst = _worst(tmp_path / "small", {"agents.py": source.format(a=2, b=3, c=4)})
    # 2 × (1 + 3 × (1 + 4)) = 32
    assert (worst.llm_calls, worst.calls_formula, worst.path) == (32.0, "a 2×1 × (1 + b 3×1 × (1 + c 4×1))", ("a", "b", "c"))
    huge = "9" * 300
    worst = _worst(tmp_path / "huge", {"agents.py": source.format(a=huge, b=huge, c=huge)})
    assert worst.llm_calls == 1e15 and worst.culprits == ()
