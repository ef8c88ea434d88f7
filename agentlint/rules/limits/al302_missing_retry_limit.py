from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.defaults import has_finite_default
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


class MissingRetryLimit(Rule):
    """An agent without a retry limit.

    ## What it does
    Reports agents that declare no `retries.max_attempts`.

    ## Why is this bad?
    Without an explicit limit the retry behaviour is whatever the framework and the provider
    client default to, often retries inside retries. The checklist asks for a limit per agent
    so that the worst case of a failing dependency is known.
    """

    code = "AL302"
    name = "missing-retry-limit"
    summary = "Agent without a retry limit"
    severity = Severity.WARNING
    checklist = Checklist.AGENT_RETRY_LIMITS
    entities = ("Agent",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for agent in project.agents():
            if "max_attempts" in agent.invalid:
                continue  # written with a value the framework rejects: the AL002 there is the defect
            if agent.max_attempts is None and agent.can_set("max_attempts") and not has_finite_default(agent, "max_attempts", project.pins_at(agent)):
                key = agent.key_for("max_attempts", "")
                yield self.violation(
                    f"agent '{agent.name}' has no retry limit"
                    + (": set 'retries: {max_attempts: N}'" if agent.framework == "agentlint" else f": set '{key}' ({agent.framework} sets none by default)" if key else f" ({agent.framework} sets none by default)"),
                    agent,
                    args=(agent.graph, agent.name),
                )

    valid = (Example.of(HEADER + "agents:\n  router:\n    role: router\n    retries: {max_attempts: 1}\n"),)
    invalid = (Example.of(HEADER + "agents:\n  router: {role: router, timeout: 30}  # expect: AL302\n"),)
