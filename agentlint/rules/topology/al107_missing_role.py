from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


class MissingRole(Rule):
    """An agent without a role.

    ## What it does
    Reports agents whose `role` is missing or blank, for frameworks that have a place to
    write one (a workflow step of Flowise or Agent Framework has none).

    ## Why is this bad?
    The readiness checklist asks for clearly defined roles (planner, executor, critic,
    router …). Without one, reviewers cannot tell whether the topology matches the intent,
    and traces show an anonymous step.
    """

    code = "AL107"
    name = "missing-role"
    summary = "Agent without a role"
    severity = Severity.WARNING
    checklist = Checklist.ROLES_DEFINED
    entities = ("Agent",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for agent in project.agents():
            if not (agent.role or "").strip() and agent.can_set("role"):
                yield self.violation(f"agent '{agent.name}' has no role", agent, args=(agent.graph, agent.name))

    valid = (
        Example.of(
            HEADER
            + """agents:
  router:
    role: router
""",
        ),
    )
    invalid = (
        Example.of(
            HEADER
            + """agents:
  router:  # expect: AL107
    model: gpt-4o-2024-08-06
  critic: {role: "  "}  # expect: AL107
""",
        ),
    )
