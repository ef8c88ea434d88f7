from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


class DuplicateAgent(Rule):
    """The same agent name defined twice in one graph.

    ## What it does
    Documents with the same `metadata.name` form one graph; this rule reports an agent that
    two of them define, pointing at the second definition with the first as related location.

    ## Why is this bad?
    Which definition wins depends on file order: the timeout or role a reviewer reads may not
    be the one that runs.
    """

    code = "AL108"
    name = "duplicate-agent"
    summary = "Agent defined twice in one graph"
    severity = Severity.ERROR
    checklist = Checklist.TOPOLOGY_REVIEWED
    entities = ("Agent",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for graph in project.graphs:
            for agent in graph.duplicates:
                first = graph.agents[agent.name]
                yield self.violation(
                    f"agent '{agent.name}' is defined again (first in {first.ref.path}:{first.span.line})",
                    agent,
                    args=(graph.name, agent.name),
                    related=(first.location(note="first definition"),),
                )

    valid = (
        Example(
            (
                ("a.yaml", HEADER + "agents:\n  router: {role: router}\n"),
                ("b.yaml", HEADER.replace("support-desk", "back-office") + "agents:\n  router: {role: router}\n"),
            ),
            title="Same name in two different graphs",
        ),
    )
    invalid = (
        Example(
            (
                ("a.yaml", HEADER + "agents:\n  router: {role: router}\n"),
                ("b.yaml", HEADER + "agents:\n  router: {role: triage}  # expect: AL108\n"),
            ),
            title="Two files of one graph both define router",
        ),
    )
