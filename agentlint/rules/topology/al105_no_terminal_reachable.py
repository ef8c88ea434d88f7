from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER, THROUGH_UNDEFINED


class NoTerminalReachable(Rule):
    """An agent from which no terminal agent can be reached.

    ## What it does
    Reports agents with no path to a terminal agent. Terminals are the agents listed in
    `terminals`; when none are listed, agents without outgoing edges are terminals. Agents
    inside a loop with no exit are left to `endless-cycle` (AL101), which names the loop, and
    agents that the entry agent cannot reach to `unreachable-agent` (AL104). Agents with a path to
    an edge whose target is undefined are left to `undefined-agent` (AL106): the request may
    finish through the missing agent, and one defect gets one finding. So is a graph that
    declares a terminal it does not define: which agents were meant to finish is unknown.

    A graph read from code that could not be read completely is skipped, like for
    `unreachable-agent`.

    ## Why is this bad?
    Every request that reaches such an agent can only end by a timeout, a crash or a bound:
    never with an answer.
    """

    code = "AL105"
    name = "no-terminal-reachable"
    summary = "Agent that cannot reach a terminal agent"
    severity = Severity.ERROR
    checklist = Checklist.NO_UNBOUNDED_LOOPS
    entities = ("Agent",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for graph in project.graphs:
            if not graph.complete:
                continue  # code the adapter could not read: edges may be missing, never guess
            if graph.declared_terminals - graph.agents.keys():
                continue  # a terminal that is not an agent (a typo): undefined-agent (AL106) says so, once
            topology = project.topology(graph)
            can_finish = topology.can_reach_any(graph.terminals)
            trapped = {a for c in topology.cycles() if not c.has_exit for a in c.agents}
            # agents no request reaches are unreachable-agent's (AL104) business
            reached = topology.reachable_from(graph.entry) if graph.entry in graph.agents else set(graph.agents)
            _, leading = topology.past_undefined()  # may finish through an undefined agent: AL106's
            for name, agent in graph.agents.items():
                if name not in can_finish and name not in trapped and name in reached and name not in leading:
                    yield self.violation(
                        f"no terminal agent is reachable from '{name}': requests that reach it cannot finish",
                        agent,
                        args=(graph.name, name),
                    )

    valid = (
        Example.of(
            HEADER
            + """entry: router
terminals: [billing, tech]
agents:
  router: {role: router}
  billing: {role: billing specialist}
  tech: {role: support engineer}
edges:
  - {from: router, to: billing, when: invoices}
  - {from: router, to: tech, when: outages}
""",
        ),
        Example.of(HEADER + THROUGH_UNDEFINED, title="A route through a misspelt agent: undefined-agent (AL106) reports the typo, once"),
    )
    invalid = (
        Example.of(
            HEADER
            + """entry: router
terminals: [billing]
agents:
  router: {role: router}
  billing: {role: billing specialist}
  triage: {role: outage triage}  # expect: AL105
  tech: {role: support engineer}  # expect: AL105
edges:
  - {from: router, to: billing, when: invoices}
  - {from: router, to: triage, when: outages}
  - {from: triage, to: tech}
""",
            title="Terminals are declared and the outage path never reaches one",
        ),
    )
