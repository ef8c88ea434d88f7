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
    against the agents of the graph, across all files that contribute to it. A graph that
    defines no agent at all (a CrewAI `tasks.yaml` whose `agents.yaml` is missing) is reported
    once, at its first reference, naming the file to add; when that file is there but defines no
    agent (it cannot be parsed, say), its own finding is the one reported.

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
            if not graph.agents and graph.references:
                # nothing defines any agent (CrewAI tasks.yaml without its agents.yaml): one
                # finding for the graph, not one per reference, and none when the file that
                # should define them is there (unreadable or not agents: its own finding says so)
                expected = [path for part in graph.parts for path in part.agents_from]
                coverage = project.deployment.coverage
                if any(coverage.exists(path) or not coverage.listed(path) for path in expected):
                    continue  # there (its own finding says why it defines none), or not looked for
                names = ", ".join(f"'{n}'" for n in dict.fromkeys(graph.references.names()))
                where = f"add {expected[0]}" if expected else "is the file that defines them missing?"
                yield self.violation(
                    f"graph '{graph.name}' defines no agents, yet {len(graph.references)} references name {names}: {where}",
                    graph.references[0],
                    args=(graph.name,),
                )
                continue
            for reference in graph.references.undefined(graph.agents):
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
        Example(
            (
                (
                    "crew/config/tasks.yaml",
                    "research:\n  description: Research the topic\n  expected_output: A report\n  agent: researcher  # expect: AL106\n"
                    "write:\n  description: Write it up\n  expected_output: An article\n  agent: writer\n",
                ),
            ),
            title="CrewAI: tasks.yaml without its agents.yaml is one finding, not one per task",
        ),
    )
