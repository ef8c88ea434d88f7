from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.options import option
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


@dataclass(frozen=True)
class Options:
    max_traversals: int = option(10, "Highest allowed max_traversals on an edge.", ge=1)
    max_iterations: int = option(25, "Highest allowed max_iterations on an agent.", ge=1)


class LoopBoundTooHigh(Rule):
    """A declared loop bound above the project's maximum.

    ## What it does
    Reports an edge whose `max_traversals`, or an agent whose `max_iterations`, is above the
    configured maximum (10 traversals and 25 iterations by default; CrewAI's own default
    `max_iter` is 25).

    ## Why is this bad?
    A bound of 1,000 is a bound on paper only: each traversal is at least one LLM call, so the
    worst case costs and lasts as much as an unbounded loop would before someone notices.
    """

    code = "AL103"
    name = "loop-bound-too-high"
    summary = "Loop bound above the configured maximum"
    severity = Severity.WARNING
    checklist = Checklist.NO_UNBOUNDED_LOOPS
    entities = ("Edge", "Agent")
    Options = Options

    def check(self, project: Project, options: Options) -> Iterator[Violation]:
        for graph in project.graphs:
            for edge in graph.edges:
                if edge.max_traversals is not None and edge.max_traversals > options.max_traversals:
                    yield self.violation(
                        f"edge {edge.source} → {edge.target} allows {edge.max_traversals} traversals, "
                        f"above the maximum of {options.max_traversals}",
                        edge,
                        field="max_traversals",
                        args=(graph.name, edge.source, edge.target, str(edge.max_traversals)),
                    )
        for agent in project.agents():
            if agent.max_iterations is not None and agent.max_iterations > options.max_iterations:
                yield self.violation(
                    f"agent '{agent.name}' allows {agent.max_iterations} iterations, "
                    f"above the maximum of {options.max_iterations}",
                    agent,
                    field="max_iterations",
                    args=(agent.graph, agent.name, str(agent.max_iterations)),
                )

    valid = (
        Example.of(
            HEADER
            + """agents:
  researcher: {role: researcher, max_iterations: 25}
edges:
  - {from: researcher, to: researcher, max_traversals: 10}
""",
            title="Bounds at the maximum",
        ),
    )
    invalid = (
        Example.of(
            HEADER
            + """agents:
  researcher:
    role: researcher
    max_iterations: 200  # expect: AL103
edges:
  - from: researcher
    to: researcher
    max_traversals: 1000  # expect: AL103
""",
            title="Bounds that bound nothing",
        ),
        Example.of(
            HEADER
            + """agents:
  researcher: {role: researcher, max_iterations: 8}  # expect: AL103
""",
            title="A stricter project maximum",
            max_iterations=5,
        ),
    )
