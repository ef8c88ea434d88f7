from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER, LANGGRAPH_MANAGER, THROUGH_UNDEFINED


class UnreachableAgent(Rule):
    """An agent that no path from the entry agent reaches.

    ## What it does
    Walks the graph from its `entry` agent and reports every agent the walk never visits.
    Graphs without an entry are reported by `missing-entry` (AL109) instead. An agent that an
    edge from an undefined agent leads to is left to `undefined-agent` (AL106): the route to it
    may pass through the missing agent, and one defect gets one finding.

    A graph read from code that could not be read completely (a `Command` whose target is not
    stated, edges added in a loop over an unknown list) is skipped: a route to the agent may be
    missing, and a missing edge is never assumed.

    ## Why is this bad?
    An unreachable agent is dead configuration, or, more often, a missing edge: the team
    believes requests reach the agent and they never do. Either way the reviewed topology and
    the running one differ.
    """

    code = "AL104"
    name = "unreachable-agent"
    summary = "Agent not reachable from the entry agent"
    severity = Severity.WARNING
    checklist = Checklist.TOPOLOGY_REVIEWED
    entities = ("Agent",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for graph in project.graphs:
            if not graph.complete:
                continue  # code the adapter could not read: edges may be missing, never guess
            if graph.entry is None or graph.entry not in graph.agents:
                continue
            topology = project.topology(graph)
            reached = topology.reachable_from(graph.entry)
            fed, _ = topology.past_undefined()  # a route through an undefined agent: AL106's
            for name, agent in graph.agents.items():
                if name not in reached and name not in fed:
                    yield self.violation(
                        f"agent '{name}' is not reachable from the entry agent '{graph.entry}'",
                        agent,
                        args=(graph.name, name),
                    )

    valid = (
        Example.of(
            HEADER
            + """entry: router
agents:
  router: {role: router}
  billing: {role: billing specialist}
edges:
  - {from: router, to: billing, when: invoice question}
""",
        ),
        Example.of(
            LANGGRAPH_MANAGER.format(tail='builder.add_edge("worker", "manager")\n'),
            path="graph.py",
            title="LangGraph: the worker is reached by the manager's Command",
        ),
        Example.of(HEADER + THROUGH_UNDEFINED, title="A route through a misspelt agent: undefined-agent (AL106) reports the typo, once"),
    )
    invalid = (
        Example.of(
            HEADER
            + """entry: router
agents:
  router: {role: router}
  billing: {role: billing specialist}
  refunds: {role: refunds specialist}  # expect: AL104
edges:
  - {from: router, to: billing, when: invoice question}
  - {from: refunds, to: billing}
""",
            title="Nothing routes to refunds",
        ),
        Example.of(
            LANGGRAPH_MANAGER.format(tail='builder.add_edge("worker", "manager")\nbuilder.add_node("auditor", worker)  # expect: AL104\n'),
            path="graph.py",
            title="LangGraph: a node added that nothing routes to",
        ),
    )
