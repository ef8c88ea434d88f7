from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
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
    default).

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
    entities = ("Agent",)
    Options = Options

    def check(self, project: Project, options: Options) -> Iterator[Violation]:
        for agent in project.agents():
            if agent.max_attempts is not None and agent.max_attempts > options.max_attempts:
                yield self.violation(
                    f"agent '{agent.name}' allows {agent.max_attempts} attempts, above the maximum of {options.max_attempts}",
                    agent,
                    field="max_attempts",
                    args=(agent.graph, agent.name, str(agent.max_attempts)),
                )

    valid = (Example.of(HEADER + "agents:\n  router:\n    role: router\n    retries: {max_attempts: 5}\n"),)
    invalid = (
        Example.of(HEADER + "agents:\n  router:\n    role: router\n    retries: {max_attempts: 20}  # expect: AL303\n"),
        Example.of(
            HEADER + "agents:\n  router:\n    role: router\n    retries:\n      max_attempts: 3  # expect: AL303\n",
            title="A stricter project maximum",
            max_attempts=2,
        ),
    )
