from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER, LANGGRAPH_MANAGER


class UndefinedAgent(Rule):
    """A reference to an agent that the graph does not define.

    ## What it does
    Checks every agent name used by an edge (`from`, `to`), the `entry` and the `terminals`
    against the agents of the graph, across all files that contribute to it.

    A graph read from code that could not be read completely (nodes added in a loop over an
    unknown list) is skipped: the agent may be defined where the adapter could not see.

    ## Why is this bad?
    The framework fails at start-up, or worse, silently drops the edge: a route the team
    reviewed does not exist. A typo in an agent name is the most common cause.
    """

    code = "AL106"
    name = "undefined-agent"
    summary = "Reference to an undefined agent"
    severity = Severity.ERROR
    checklist = Checklist.TOPOLOGY_REVIEWED
    entities = ("AgentReference",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for graph in project.graphs:
            if not graph.complete:
                continue  # code the adapter could not read: edges may be missing, never guess
            for reference in graph.references:
                if reference.name not in graph.agents:
                    yield self.violation(
                        f"{reference.context} '{reference.name}' is not an agent of graph '{graph.name}'",
                        reference,
                        args=(graph.name, reference.context, reference.name),
                    )

    valid = (
        Example(
            (
                (
                    "graph/agents.yaml",
                    HEADER
                    + """entry: router
agents:
  router: {role: router}
""",
                ),
                (
                    "graph/specialists.yaml",
                    HEADER
                    + """agents:
  billing: {role: billing specialist}
edges:
  - {from: router, to: billing}
""",
                ),
            ),
            title="Agents of one graph may be defined across files",
        ),
        Example.of(
            LANGGRAPH_MANAGER.format(tail='builder.add_edge("worker", "manager")\n'),
            path="graph.py",
            title="LangGraph: every name routed to is a node",
        ),
    )
    invalid = (
        Example.of(
            HEADER
            + """entry: rooter  # expect: AL106
terminals: [billing]
agents:
  router: {role: router}
  billing: {role: billing specialist}
edges:
  - {from: router, to: biling}  # expect: AL106
""",
            title="Typos in agent names",
        ),
        Example.of(
            LANGGRAPH_MANAGER.format(tail='builder.add_edge("worker", "manger")  # expect: AL106\n'),
            path="graph.py",
            title="LangGraph: an edge to a node never added",
        ),
    )
