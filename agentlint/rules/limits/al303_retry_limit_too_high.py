from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.budget import number_text
from agentlint.model.clients import SettingState
from agentlint.model.project import Project
from agentlint.options import option
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


@dataclass(frozen=True)
class Options:
    max_attempts: int = option(5, "Highest allowed retries.max_attempts (attempts include the first).", ge=1)


class RetryLimitTooHigh(Rule):
    """A retry limit above the project's maximum.

    ## What it does
    Reports agents whose `retries.max_attempts` is above the configured maximum (5 by
    default), and LLM clients built in code whose retry setting allows more attempts than
    that (`OpenAI(max_retries=10)` makes up to 11 attempts; `litellm.completion(num_retries=…)`,
    `ChatGoogleGenerativeAI(max_retries=…)`, which counts attempts, alike). A retry count the
    code does not state statically is not reported, and neither is `max_retries=0`: failing
    fast (abort, or a retry layer of the application's own) is a failure mode too.

    ## Why is this bad?
    Retries multiply: an agent that retries 10 times, calling a tool that retries 10 times,
    makes 100 calls against a dependency that is already failing, and the request's latency
    grows with every one of them.
    """

    code = "AL303"
    name = "retry-limit-too-high"
    summary = "Retry limit above the configured maximum"
    severity = Severity.WARNING
    checklist = Checklist.AGENT_RETRY_LIMITS
    entities = ("Agent", "LLMClient")
    Options = Options

    def check(self, project: Project, options: Options) -> Iterator[Violation]:
        for agent in project.agents():
            if agent.max_attempts is not None and agent.max_attempts > options.max_attempts:
                written = agent.as_written("max_attempts")  # a retry count: say what was written
                attempts = number_text(agent.max_attempts)  # a 400-digit count is "at least 10^15"
                allows = f"sets {written} ({attempts} attempts)" if written else f"allows {attempts} attempts"
                yield self.violation(
                    f"agent '{agent.name}' {allows}, above the maximum of {options.max_attempts}",
                    agent,
                    field="max_attempts",
                    args=(agent.graph, agent.name, number_text(agent.max_attempts)),
                )
        for client in project.clients:
            retries = client.retries
            if retries.state is not SettingState.STATIC or retries.value is None or client.test_code:
                continue
            attempts = int(retries.value) + 1
            if attempts > options.max_attempts:
                yield self.violation(
                    f"{client.constructor}(...) sets {retries.keyword}={number_text(retries.value)} ({number_text(attempts)} attempts per request)"
                    f"{retries.overridable()}, above the maximum of {options.max_attempts}: lower {retries.keyword}",
                    client,
                    field="retries",
                    args=(client.constructor, number_text(attempts)),
                )

    valid = (
        Example.of(HEADER + "agents:\n  router:\n    role: router\n    retries: {max_attempts: 5}\n"),
        Example.of(
            "from openai import OpenAI\n"
            "from app.config import settings\n\n"
            "fast = OpenAI(timeout=20, max_retries=0)\n"
            "default = OpenAI(timeout=20)\n"
            "tuned = OpenAI(timeout=20, max_retries=settings.llm_retries)\n",
            path="app.py",
            title="LLM clients: no retries, the SDK's two, a value from settings",
        ),
    )
    invalid = (
        Example.of(HEADER + "agents:\n  router:\n    role: router\n    retries: {max_attempts: 20}  # expect: AL303\n"),
        Example(
            (("crew/config/agents.yaml", "researcher:\n  role: Researcher\n  goal: Find facts\n  max_retry_limit: 10  # expect: AL303\n"),),
            title="CrewAI: max_retry_limit counts retries (10 retries, 11 attempts)",
        ),
        Example.of(
            HEADER + "agents:\n  router:\n    role: router\n    retries:\n      max_attempts: 3  # expect: AL303\n",
            title="A stricter project maximum",
            max_attempts=2,
        ),
        Example.of(
            "import os\n"
            "from openai import AsyncOpenAI\n"
            "from langchain_google_genai import ChatGoogleGenerativeAI\n\n"
            "client = AsyncOpenAI(timeout=30, max_retries=10)  # expect: AL303\n"
            "gemini = ChatGoogleGenerativeAI(model='gemini-2.5-flash', timeout=30,\n"
            "                                max_retries=int(os.getenv('GEMINI_RETRIES', '8')))  # expect: AL303\n",
            path="app.py",
            title="LLM clients in code that retry too often",
        ),
    )
