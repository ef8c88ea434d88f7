from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.defaults import implicit_cap
from agentlint.model.graph import cycle_path
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


class EndlessCycle(Rule):
    """Agents form a loop that no edge leaves and that holds no terminal agent.

    ## What it does
    Finds every strongly connected component of the agent graph (self-loops included) that
    has no edge leading out of it and contains no terminal agent. The finding names every
    agent of the loop, points at one edge of a witness cycle and lists the others as related
    locations, and says what ends each request: the loop's own bound, the framework's default
    run-level cap when it stops the run (ADK's 500 LLM calls, for the version the project
    pins), or nothing.

    A graph read from code that could not be read completely (a `Command` whose target is not
    stated, edges added in a loop over an unknown list) is skipped: an exit may be missing.

    ## Why is this bad?
    Once a request enters such a loop it can never finish: without a bound it runs until the
    provider's limits or the bill stop it; with a bound every run ends in the bound's failure.
    Frameworks accept these graphs and only stop at runtime.
    """

    code = "AL101"
    name = "endless-cycle"
    summary = "Agent loop with no exit"
    severity = Severity.ERROR
    checklist = Checklist.NO_UNBOUNDED_LOOPS
    entities = ("AgentGraph", "Edge")

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for graph in project.graphs:
            if not graph.complete:
                continue  # code the adapter could not read: edges may be missing, never guess
            cap = implicit_cap(graph.turn_limit, graph.turn_limit_default, project.pins_at(graph))
            for cycle in project.topology(graph).cycles():
                if cycle.has_exit or not cycle.witness:
                    continue
                bound = cycle.bound()
                if bound is not None:
                    consequence = f"every request that enters it fails at its bound ({bound})"
                elif cap is not None:  # the framework's default cap fails the run (AL103's policy)
                    consequence = f"every request that enters it fails at the framework default: {cap.describe()}"
                else:
                    consequence = "a request that enters it never ends"
                yield self.loop_violation(
                    f"agents {cycle_path(cycle)} loop with no exit edge and no terminal agent: {consequence}",
                    graph.name,
                    cycle,
                )

    valid = (
        Example.of(
            HEADER
            + """entry: writer
terminals: [publisher]
agents:
  writer: {role: writer}
  critic: {role: critic}
  publisher: {role: publisher}
edges:
  - {from: writer, to: critic, kind: call}
  - {from: critic, to: writer, when: needs changes, max_traversals: 3}
  - {from: critic, to: publisher, when: approved}
""",
            title="A writer-critic loop with an exit to the publisher",
        ),
        Example.of(
            HEADER
            + """entry: triage
terminals: [triage]
agents:
  triage: {role: router}
edges:
  - {from: triage, to: triage, when: ask again, max_traversals: 2}
""",
            title="A self-loop on a terminal agent can always stop",
        ),
    )
    invalid = (
        Example.of(
            HEADER
            + """entry: writer
agents:
  writer: {role: writer}
  critic: {role: critic}
edges:
  - {from: writer, to: critic}  # expect: AL101
  - {from: critic, to: writer, when: needs changes}
""",
            title="Writer and critic hand work back and forth forever",
        ),
        Example.of(
            HEADER
            + """entry: planner
terminals: [reporter]
agents:
  planner: {role: planner}
  researcher: {role: researcher, max_iterations: 5}
  reporter: {role: reporter}
edges:
  - {from: planner, to: researcher, kind: delegate}
  - {from: researcher, to: researcher, kind: call}  # expect: AL101
""",
            title="A bounded self-loop with no way out still never reaches the reporter",
        ),
    )
