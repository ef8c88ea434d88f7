from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.defaults import loop_defaults
from agentlint.model.graph import cycle_path
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


class UnboundedLoop(Rule):
    """A loop that can be left, but where nothing limits how often it repeats.

    ## What it does
    Finds loops that avoid every bound (no edge of the loop has `max_traversals`, no agent of
    it has `max_iterations`) inside a component that does have an exit (an edge out, or a
    terminal agent inside). A bound on one loop of a component does not bound its other
    loops: each unbounded one is reported. When a framework default applies (CrewAI's
    `max_iter` of 25, AutoGen's `max_turns`), the message quotes it, for the framework version
    the project pins (pyproject.toml, uv.lock, poetry.lock) or the newest known one. An explicit
    run-level cap (`max_turns`) counts as a bound.

    ## Why is this bad?
    The exit is a condition the model decides. When it is never met (a critic that is never
    satisfied, two agents that keep handing a request back), the loop runs until an outside
    limit kills the request: the "why did this request cost so much" incident. A bound turns
    that into a fast, visible failure.
    """

    code = "AL102"
    name = "unbounded-loop"
    summary = "Agent loop without a bound"
    severity = Severity.WARNING
    checklist = Checklist.NO_UNBOUNDED_LOOPS
    entities = ("AgentGraph", "Edge", "Agent")

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for graph in project.graphs:
            if graph.turn_limit is not None:
                continue  # an explicit run-level cap (max_turns) bounds every loop of the graph
            for cycle, component in project.topology(graph).unbounded_loops():
                if not component.has_exit or not cycle.witness:
                    continue  # no exit at all: endless-cycle (AL101) reports the component
                defaults = loop_defaults([graph.agents[a] for a in cycle.agents], graph.turn_limit_default, project.pins)
                finite = [d for d in defaults if d.value is not None]
                if finite:
                    tail = f"only the framework default stops it: {'; '.join(d.describe() for d in finite)}"
                elif defaults:
                    tail = f"and the framework sets none: {'; '.join(d.describe() for d in defaults)}"
                else:
                    tail = "set max_traversals on one of its edges or max_iterations on one of its agents"
                yield self.loop_violation(f"loop {cycle_path(cycle)} has no bound of its own: {tail}", graph.name, cycle)

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
            title="The revision edge is bounded",
        ),
    )
    invalid = (
        Example.of(
            HEADER
            + """entry: writer
terminals: [publisher]
agents:
  writer: {role: writer}
  critic: {role: critic}
  publisher: {role: publisher}
edges:
  - {from: writer, to: critic, kind: call}  # expect: AL102
  - {from: critic, to: writer, when: needs changes}
  - {from: critic, to: publisher, when: approved}
""",
            title="Only the critic's judgement ends the loop",
        ),
        Example.of(
            HEADER
            + """entry: hub
terminals: [hub]
agents:
  hub: {role: planner}
  search: {role: researcher}
  code: {role: executor}
edges:
  - {from: hub, to: search, kind: delegate, max_traversals: 3}
  - {from: search, to: hub}
  - {from: hub, to: code, kind: delegate}  # expect: AL102
  - {from: code, to: hub}
""",
            title="One bounded loop does not bound its sibling",
        ),
    )
