from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.defaults import has_finite_default
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


class MissingTimeout(Rule):
    """An agent without a timeout.

    ## What it does
    Reports agents that declare no `timeout` (wall-clock limit for one invocation), naming the
    framework's own key for it (CrewAI `max_execution_time`, ADK
    `generate_content_config.http_options.timeout`, n8n `settings.executionTimeout` …). A timeout
    written with a value the framework rejects is reported once, as invalid (AL002), not here.

    ## Why is this bad?
    Most frameworks set no wall-clock limit by default (CrewAI `max_execution_time`, LangGraph
    node timeouts, OpenAI Agents tools: all None). One slow provider call then holds the whole
    request, and its callers, until something outside gives up.
    """

    code = "AL301"
    name = "missing-timeout"
    summary = "Agent without a timeout"
    severity = Severity.ERROR
    checklist = Checklist.AGENT_TIMEOUTS
    entities = ("Agent",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for agent in project.agents():
            if "timeout_seconds" in agent.invalid:
                continue  # written with a value the framework rejects: the AL002 there is the defect
            if agent.timeout_seconds is None and agent.can_set("timeout_seconds") and not has_finite_default(agent, "timeout_seconds", project.pins_at(agent)):
                key = agent.key_for("timeout_seconds", "timeout")
                advice = "(e.g. 30s)" if agent.framework == "agentlint" else f"({agent.framework} sets none by default)"
                yield self.violation(
                    f"agent '{agent.name}' has no timeout: set '{key}' {advice}",
                    agent,
                    args=(agent.graph, agent.name),
                )

    valid = (
        Example.of(HEADER + "agents:\n  router: {role: router, timeout: 30}\n  critic: {role: critic, timeout: 2m}\n"),
    )
    invalid = (
        Example.of(HEADER + "agents:\n  router:  # expect: AL301\n    role: router\n    retries: {max_attempts: 2}\n"),
    )
