"""Framework defaults as facts with versions.

When a user leaves a limit unset, the framework's own default applies, and that default has
changed over releases (LangGraph's recursion limit went 25 → 1000 → 10007). Each entry keeps
the history read from the released wheels (FORMATS.md §2.5, STANDARDS.md §7); ``resolve``
answers for the version the project pins, or for the newest known version, saying which.
"""

from __future__ import annotations

from dataclasses import dataclass


def _key(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


@dataclass(frozen=True, slots=True)
class FrameworkDefault:
    key: str  # "crewai.max_iter"
    package: str  # the PyPI package whose version decides it
    setting: str  # the user-facing setting name
    history: tuple[tuple[str, float | None], ...]  # (first version with this value, value); None = unbounded
    unit: str = ""  # "iterations", "turns", "s", "attempts"
    # A loop node's own count (Flowise maxLoopCount): it bounds each loop like max_traversals
    # on its back edge, not the run's total turns.
    per_loop: bool = False

    def at(self, version: str | None) -> float | None:
        if version is None:
            return self.history[-1][1]
        value = self.history[0][1]
        for since, candidate in self.history:
            if _key(since) <= _key(version):
                value = candidate
        return value


@dataclass(frozen=True, slots=True)
class Resolved:
    default: FrameworkDefault
    value: float | None
    version: str  # the version the value is for
    pinned: bool  # the project pins that version (else: the newest known)

    def describe(self) -> str:
        shown = "no limit" if self.value is None else f"{self.value:g}" + (f" {self.default.unit}" if self.default.unit else "")
        source = f"{self.default.package} {self.version}" if self.pinned else f"{self.default.package}, newest known version; pin it to be sure"
        return f"{self.default.setting} defaults to {shown} ({source})"


_ALL = (
    FrameworkDefault("crewai.max_iter", "crewai", "max_iter", (("0.1", 25.0),), "iterations"),
    FrameworkDefault("crewai.max_execution_time", "crewai", "max_execution_time", (("0.1", None),), "s"),
    FrameworkDefault("crewai.max_retry_limit", "crewai", "max_retry_limit", (("0.1", 2.0),), "retries"),
    # crewai/flow/flow.py Flow(max_method_calls=100), since 1.10.1 (#4705): a listener or router
    # called more often in one kickoff raises RecursionError; no cap before
    FrameworkDefault("crewai.flow_max_method_calls", "crewai", "max_method_calls", (("0.1", None), ("1.10.1", 100.0)), "calls per method"),
    FrameworkDefault("adk.loop_max_iterations", "google-adk", "max_iterations", (("1.0", None),), "iterations"),
    FrameworkDefault("adk.max_llm_calls", "google-adk", "RunConfig.max_llm_calls", (("1.0", 500.0),), "LLM calls"),
    FrameworkDefault("autogen.max_turns", "autogen-agentchat", "max_turns", (("0.4", None),), "turns"),
    FrameworkDefault("autogen.magentic_max_turns", "autogen-agentchat", "max_turns", (("0.4", 20.0),), "turns"),
    # agents/run_config.py DEFAULT_MAX_TURNS = 10 (verified in 0.24.0 and 0.22.0); Runner.run/run_sync/
    # run_streamed(max_turns=DEFAULT_MAX_TURNS); max_turns=None disables the limit
    FrameworkDefault("openai-agents.max_turns", "openai-agents", "max_turns", (("0.0.1", 10.0),), "turns"),
    # agents/mcp/server.py MCPServerStdio/Sse/StreamableHttp(client_session_timeout_seconds=5); None or 0: no limit
    FrameworkDefault(
        "openai-agents.mcp_client_session_timeout", "openai-agents", "client_session_timeout_seconds", (("0.0.1", 5.0),), "s"
    ),
    # pydantic_ai/agent.py Agent.__init__(retries: int = 1): "The default number of retries to allow
    # for tool calls and output validation, before raising an error" (pydantic/pydantic-ai); a
    # retry is an attempt after the first, so the agent makes at most retries + 1 attempts
    FrameworkDefault("pydantic-ai.retries", "pydantic-ai", "retries", (("0.0.1", 1.0),), "retries"),
    # pydantic_ai/usage.py UsageLimits.request_limit: int | None = 50 ("The maximum number of requests
    # allowed to the model"); a run without usage_limits= gets UsageLimits(); None disables it
    FrameworkDefault("pydantic-ai.request_limit", "pydantic-ai", "request_limit", (("0.0.1", 50.0),), "requests"),
    # smolagents/agents.py MultiStepAgent: "max_steps (`int`, default `20`): Maximum number of steps
    # the agent can take to solve the task" (huggingface/smolagents; CodeAgent and ToolCallingAgent)
    FrameworkDefault("smolagents.max_steps", "smolagents", "max_steps", (("0.1", 20.0),), "steps"),
    FrameworkDefault(
        "langgraph.recursion_limit",
        "langgraph",
        "recursion_limit",
        (("0.0.1", 25.0), ("1.0.6", 1000.0), ("1.1.5", 10007.0)),
        "supersteps",
    ),
    FrameworkDefault("maf.max_iterations", "agent-framework-core", "maxTurns", (("1.0", 100.0),), "supersteps"),
    FrameworkDefault("n8n.max_iterations", "n8n", "maxIterations", (("1.0", 10.0),), "iterations"),
    FrameworkDefault("flowise.max_loop_count", "flowise", "maxLoopCount", (("2.0", 5.0),), "iterations", per_loop=True),
    FrameworkDefault("langflow.max_iterations", "langflow", "max_iterations", (("1.0", 15.0),), "iterations"),
    FrameworkDefault("dify.max_iterations", "dify", "maximum_iterations", (("0.6", 5.0),), "iterations"),
)
DEFAULTS: dict[str, FrameworkDefault] = {d.key: d for d in _ALL}


def resolve(key: str, pins: dict[str, str]) -> Resolved:
    """The default ``key`` for the version ``pins`` gives its package, else the newest known."""
    default = DEFAULTS[key]
    pinned = pins.get(default.package)
    version = pinned or default.history[-1][0]
    return Resolved(default, default.at(pinned), version if pinned else "newest known", pinned is not None)


def has_finite_default(agent: object, attribute: str, pins: dict[str, str]) -> bool:
    """The agent left ``attribute`` unset, but its framework's default is a real limit
    (CrewAI retries twice): nothing to report as missing."""
    key = agent.default_for(attribute)  # type: ignore[attr-defined]
    return key is not None and resolve(key, pins).value is not None


def implicit_cap(turn_limit: int | None, turn_limit_default: str | None, pins: dict[str, str]) -> Resolved | None:
    """The framework default that bounds the loops of a graph whose users set no run-level cap:
    a cap the run fails fast at (LangGraph's recursion_limit, ADK's max_llm_calls, MAF's
    maxTurns, Flowise's maxLoopCount …) with a finite value for the pinned version. None when
    the cap is explicit, when the framework has none, or when its default is no limit."""
    if turn_limit is not None or turn_limit_default is None:
        return None
    resolved = resolve(turn_limit_default, pins)
    return resolved if resolved.value is not None else None


def loop_defaults(agents: list, turn_limit_default: str | None, pins: dict[str, str]) -> list[Resolved]:
    """The framework defaults that apply to a loop its users left unbounded: the agents'
    own iteration defaults and the run-level turn limit, each resolved once."""
    keys = sorted({key for agent in agents for attr, key in agent.implicit if attr == "max_iterations"})
    if turn_limit_default is not None:
        keys.append(turn_limit_default)
    return [resolve(key, pins) for key in dict.fromkeys(keys)]
