from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


class MissingEntry(Rule):
    """A graph with several agents and no entry agent.

    ## What it does
    Reports a graph of two or more agents where no document declares `entry`, for formats
    that can declare one (a CrewAI crew starts at its first task; it has no entry field).

    A graph read from code that could not be read completely is skipped: its entry may be
    set where the adapter could not see.

    ## Why is this bad?
    Without an entry, nobody can say which agents a request reaches: reachability, and the
    budget of a request, cannot be reviewed.
    """

    code = "AL109"
    name = "missing-entry"
    summary = "Graph without an entry agent"
    severity = Severity.WARNING
    checklist = Checklist.TOPOLOGY_REVIEWED
    entities = ("AgentGraph",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for graph in project.graphs:
            if not graph.complete:
                continue  # code the adapter could not read: edges may be missing, never guess
            if graph.entry is None and len(graph.agents) > 1 and graph.entry_declarable:
                part = graph.parts[0]
                yield self.violation(
                    f"graph '{graph.name}' declares no entry agent: add 'entry: <agent>'",
                    part,
                    args=(graph.name,),
                )

    valid = (
        Example.of(HEADER + "entry: router\nagents:\n  router: {role: router}\n  billing: {role: billing}\n"),
        Example.of(HEADER + "agents:\n  assistant: {role: assistant}\n", title="A single agent needs no entry"),
    )
    invalid = (
        Example.of(
            """apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: support-desk  # expect: AL109
agents:
  router: {role: router}
  billing: {role: billing}
""",
        ),
    )
