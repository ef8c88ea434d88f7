"""PydanticAI code read into the neutral model: each Agent(...) a single-agent graph, retries=
as max_attempts (retries + 1, the default of 1 implicit), UsageLimits(request_limit=) passed to
a run as the run-level cap (default 50; None: no cap; unstated: unknown size). Shapes from real
files: p2c2e/test_pydantic_ai retries.py (UsageLimits from pydantic_ai.settings, request_limit=3),
the logfire-instrumented infinite-retry example (retries=3, model_settings=), and a subclass
agent whose retries come from a config module (engineV2: retries=MAX_RETRIES)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.pydantic_ai_code import adapt, claims
from agentlint.loaders.python import load_python
from agentlint.model.entities import GraphPart
from tests.helpers import mutated_source, project_findings

RETRIES = '''\
from typing_extensions import TypedDict

from pydantic_ai import Agent, ModelRetry
from pydantic_ai.exceptions import UsageLimitExceeded
from pydantic_ai.settings import UsageLimits


class NeverResultType(TypedDict):
    never_use_this: str


agent = Agent(
    'claude-3-5-sonnet-latest',
    result_type=NeverResultType,
    system_prompt='Any time you get a response, call the `infinite_retry_tool` to produce another response.',
)


@agent.tool_plain(retries=5)
def infinite_retry_tool() -> int:
    raise ModelRetry('Please try again.')


try:
    result_sync = agent.run_sync(
        'Begin infinite retry loop!', usage_limits=UsageLimits(request_limit=3)
    )
except UsageLimitExceeded as e:
    print(e)
'''

LOGFIRE = '''\
import logfire
from pydantic_ai import Agent, ModelRetry
from pydantic_ai.usage import UsageLimits

logfire.configure()

agent = Agent(
    "openai:gpt-4o-2024-08-06",
    retries=3,
    system_prompt="Any time you get a response, call the `infinite_retry_tool` to produce another response.",
    model_settings={"temperature": 0.0},
)


async def main():
    limits = UsageLimits(request_limit=None)
    await agent.run("Begin infinite retry loop!", usage_limits=limits)
'''

CONFIGURED = '''\
from pydantic_ai import Agent

from config import MAX_RETRIES, MODEL

planner = Agent(MODEL, name="planner", retries=MAX_RETRIES)
writer = Agent(MODEL, name="writer", retries=9)


def run(prompt, limits):
    return planner.run_sync(prompt, usage_limits=limits)
'''


def parts(text: str, path: str = "agent.py") -> list[GraphPart]:
    return adapt(load_python(path, text)).parts


def test_usage_limits_of_a_run_bound_the_agent_and_retries_default_to_one() -> None:
    (part,) = parts(RETRIES, "retries.py")
    (agent,) = part.agents
    assert (part.name, part.entry, part.terminals, agent.name) == ("retries.py:agent", "agent", ("agent",), "agent")
    assert (agent.span.start.line, agent.model) == (12, "claude-3-5-sonnet-latest")
    assert (part.turn_limit, part.turn_limit_default, part.turn_limit_setting) == (3, None, "usage_limits.request_limit")
    assert part.span_of("turn_limit").start == (26, 64)
    assert (agent.max_attempts, agent.implicit) == (None, (("max_attempts", "pydantic-ai.retries"),))


def test_retries_are_attempts_after_the_first_and_request_limit_none_is_no_cap() -> None:
    (part,) = parts(LOGFIRE)
    (agent,) = part.agents
    assert (agent.max_attempts, agent.implicit, agent.span_of("max_attempts").start.line) == (4, (), 9)
    assert agent.as_written("max_attempts") == "retries=3"
    assert (part.turn_limit, part.turn_limit_default, part.turn_limit_unstated) == (None, None, False)
    assert part.span_of("turn_limit").start.line == 16


def test_unstated_values_are_unknown_not_missing() -> None:
    planner, writer = parts(CONFIGURED)
    assert (planner.name, planner.agents[0].max_attempts, planner.agents[0].can_set("max_attempts")) == ("agent.py:planner", None, False)
    assert (planner.turn_limit, planner.turn_limit_unstated) == (None, True)
    # never run here: the default request limit of 50 bounds it
    assert (writer.agents[0].max_attempts, writer.turn_limit, writer.turn_limit_default) == (10, None, "pydantic-ai.request_limit")


def test_findings_through_the_cli(tmp_path: Path) -> None:
    found = project_findings(tmp_path, {"agent.py": CONFIGURED, "retries.py": RETRIES, "logfire_demo.py": LOGFIRE}, families=("AL1", "AL3"))
    # retries=9 is 10 attempts, above the default maximum; the implicit default of 1 retry and the
    # retries from a config module are no finding
    assert found == [("AL303", "agent.py", 6, 38)]


def test_claims_only_modules_naming_pydantic_ai() -> None:
    assert claims("a.py", "from pydantic_ai import Agent") and not claims("a.py", "from pydantic import BaseModel")
    assert not claims("a.yaml", "pydantic_ai")
    assert parts("from pydantic import BaseModel\nAgent = 1\nx = Agent('m')\n") == []


LINES = (RETRIES + LOGFIRE + CONFIGURED).splitlines()
NOISE = (", **kw", "(", ")", ", usage_limits=None", ", retries=None", ", *rest", "agent.run(x, usage_limits=UsageLimits())")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_sources_never_crash(data: st.DataObject) -> None:
    adapt(load_python("agent.py", mutated_source(data, LINES, NOISE)))  # never raises


def test_static_prompts_are_instruction_text(tmp_path: Path) -> None:
    source = (
        "from pydantic_ai import Agent\n\n"
        "agent = Agent(\n"
        '    "openai:gpt-4o-2024-08-06",\n'
        '    system_prompt="Use the key sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS4uV2wX8yZ1aB3 to call the API.",\n'
        '    instructions=PROMPTS["agent"],\n'
        ")\n"
    )
    assert project_findings(tmp_path, {"agent.py": source}, families=("AL4",)) == [("AL408", "agent.py", 5, 32)]


DELEGATION = '''\
from pydantic_ai import Agent, RunContext, UsageLimits

joke_selection_agent = Agent(
    'openai:gpt-4o-2024-08-06',
    system_prompt=(
        'Use the `joke_factory` to generate some jokes, then choose the best. '
        'You must return just a single joke.'
    ),
)
joke_generation_agent = Agent(
    'google-gla:gemini-1.5-flash-002', output_type=list[str]
)


@joke_selection_agent.tool
async def joke_factory(ctx: RunContext[None], count: int) -> list[str]:
    r = await joke_generation_agent.run(
        f'Please generate {count} jokes.',
        usage=ctx.usage,
    )
    return r.output


result = joke_selection_agent.run_sync(
    'Tell me a joke.',
    usage_limits=UsageLimits(request_limit=5, total_tokens_limit=300),
)
'''


def test_agent_delegation_from_a_tool_is_a_delegate_edge() -> None:
    """The PydanticAI docs' agent-delegation example (multi-agent-applications.md)."""
    (part,) = parts(DELEGATION, "jokes.py")
    assert (part.name, part.entry, part.terminals) == (
        "jokes.py:joke_selection_agent", "joke_selection_agent", ("joke_selection_agent", "joke_generation_agent")
    )
    assert [(e.source, e.target, e.kind.value, e.span.start.line) for e in part.edges] == [
        ("joke_selection_agent", "joke_generation_agent", "delegate", 17)
    ]
    assert (part.turn_limit, part.span_of("turn_limit").start.line) == (5, 26)
    listed = DELEGATION.replace("@joke_selection_agent.tool\n", "").replace(
        "    'openai:gpt-4o-2024-08-06',\n", "    'openai:gpt-4o-2024-08-06',\n    tools=[Tool(joke_factory)],\n"
    )
    (part,) = parts(listed, "jokes.py")
    assert [(e.source, e.target) for e in part.edges] == [("joke_selection_agent", "joke_generation_agent")]


def test_a_delegation_cycle_is_bounded_by_the_request_limit_default_unless_disabled(tmp_path: Path) -> None:
    cycle = (
        "from pydantic_ai import Agent, RunContext, UsageLimits\n\n"
        "a = Agent('openai:gpt-4o-2024-08-06')\n"
        "b = Agent('openai:gpt-4o-2024-08-06')\n\n\n"
        "@a.tool\n"
        "async def ask_b(ctx: RunContext[None], q: str) -> str:\n"
        "    return (await b.run(q, usage=ctx.usage)).output\n\n\n"
        "@b.tool\n"
        "async def ask_a(ctx: RunContext[None], q: str) -> str:\n"
        "    return (await a.run(q, usage=ctx.usage)).output\n"
    )
    disabled = cycle + '\na.run_sync("go", usage_limits=UsageLimits(request_limit=None))\n'
    found = project_findings(tmp_path, {"loop.py": cycle, "loop2.py": disabled}, families=("AL1",))
    assert found == [("AL102", "loop2.py", 9, 19), ("AL111", "loop.py", 9, 19)]


MODELS = '''\
from pydantic_ai import Agent
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.azure import AzureProvider

support_agent = Agent(
    "openai:gpt-4o",
    name="support",
)
writer = Agent(OpenAIChatModel("gpt-4.1"), name="writer")
azure = Agent(OpenAIChatModel("gpt-4o", provider=AzureProvider(azure_endpoint=ENDPOINT)), name="azure")
deployment = Agent("azure:gpt-4o", name="deployment")
pinned = Agent(model="anthropic:claude-sonnet-4-5-20250929", name="pinned")
configured = Agent(os.getenv("DESK_MODEL", "openai:gpt-4o"), name="configured")
'''


def test_the_model_is_located_where_it_is_written(tmp_path: Path) -> None:
    """A model string or a model object's model_name: reported at the id; Azure deployment
    names (a provider=AzureProvider, the azure: prefix) and ids the environment may override
    are not the model's version, so they are not read."""
    agents = {p.agents[0].name: p.agents[0] for p in parts(MODELS)}
    assert [agents[n].model for n in ("support", "writer", "azure", "deployment", "pinned", "configured")] == [
        "openai:gpt-4o", "gpt-4.1", None, None, "anthropic:claude-sonnet-4-5-20250929", None
    ]
    found = project_findings(tmp_path, {"agents.py": MODELS}, families=("AL409",))
    assert found == [("AL409", "agents.py", 6, 5), ("AL409", "agents.py", 9, 32)]


AGENTS_MODULE = DELEGATION.split("\n\nresult = joke_selection_agent.run_sync(")[0] + "\n"


def _app(limits: str) -> str:
    return (
        "from pydantic_ai import UsageLimits\n\nfrom jokes.agents import joke_selection_agent\n\n\n"
        "def tell():\n"
        f"    return joke_selection_agent.run_sync('Tell me a joke.'{limits})\n"
    )


def test_runs_in_another_module_cap_the_agents_graph(tmp_path: Path) -> None:
    """The docs' agent-delegation example split in two modules: agents.py builds the agents,
    app.py runs them. A stated request_limit there is the graph's cap (too high: AL103 at it),
    one disabled or not stated is unknown (not the default), none given leaves the default."""
    cycle = AGENTS_MODULE + (
        "\n\n@joke_generation_agent.tool\n"
        "async def pick_again(ctx: RunContext[None], jokes: list[str]) -> str:\n"
        "    return (await joke_selection_agent.run(str(jokes), usage=ctx.usage)).output\n"
    )
    base = {"jokes/__init__.py": "", "jokes/agents.py": cycle}
    cases = {
        "high": (", usage_limits=UsageLimits(request_limit=500)", [("AL103", "jokes/app.py", 7, 86)]),
        "low": (", usage_limits=UsageLimits(request_limit=8)", []),
        "disabled": (", usage_limits=UsageLimits(request_limit=None)", []),
        "unstated": (", usage_limits=LIMITS", []),
        "default": ("", [("AL111", "jokes/agents.py", 17, 15)]),
    }
    for label, (limits, expected) in cases.items():
        found = project_findings(tmp_path / label, {**base, "jokes/app.py": _app(limits)}, families=("AL102", "AL103", "AL111"))
        assert (label, found) == (label, expected)
