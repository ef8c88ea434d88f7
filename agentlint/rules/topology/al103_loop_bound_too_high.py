from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.budget import number_text
from agentlint.model.defaults import Resolved, implicit_cap
from agentlint.model.graph import cycle_path
from agentlint.model.project import AgentGraph, Project
from agentlint.options import option
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import AUTOGEN_TEAM, HEADER, MAF_REVIEW, adk_loop


@dataclass(frozen=True)
class Options:
    max_traversals: int = option(10, "Highest allowed max_traversals on an edge.", ge=1)
    max_iterations: int = option(25, "Highest allowed max_iterations on an agent.", ge=1)
    max_turns: int = option(
        100,
        "Highest allowed run-level cap on turns, supersteps or LLM calls (LangGraph recursion_limit, "
        "AutoGen/OpenAI Agents max_turns, MAF maxTurns, ADK max_llm_calls), explicit or the framework "
        "default, on a graph with a loop it bounds.",
        ge=1,
    )

    def maximum(self, cap: Resolved) -> int:
        """The maximum a framework default is judged against: a loop node's own count
        (Flowise maxLoopCount) like max_traversals, a run-level cap like max_turns."""
        return self.max_traversals if cap.default.per_loop else self.max_turns


class LoopBoundTooHigh(Rule):
    """A declared loop bound above the project's maximum.

    ## What it does
    Reports an edge whose `max_traversals`, or an agent whose `max_iterations`, is above the
    configured maximum (10 traversals and 25 iterations by default; CrewAI's own default
    `max_iter` is 25).

    A run-level cap on turns, supersteps or LLM calls bounds every loop of its graph that has
    no bound of its own, and is judged against `max-turns` (100 by default): an explicit one
    (AutoGen `max_turns` or a `MaxMessageTermination`, MAF `maxTurns`, LangGraph
    `recursion_limit`), reported where it is written when the graph has such a loop; and, when
    none is set, the framework's default when it stops the run (ADK `RunConfig.max_llm_calls`
    500, LangGraph `recursion_limit` 10007 since 1.1.5, MagenticOne `max_turns` 20, MAF
    `maxTurns` 100), reported at each loop it bounds, quoted for the version the project pins.
    Flowise's `maxLoopCount` (default 5) counts one loop's passes and is judged against
    `max-traversals`. A default at or below the maximum is implicit-loop-bound (AL111).

    ## Why is this bad?
    A bound of 1,000 is a bound on paper only: each traversal is at least one LLM call, so the
    worst case costs and lasts as much as an unbounded loop would before someone notices.
    """

    code = "AL103"
    name = "loop-bound-too-high"
    summary = "Loop bound above the configured maximum"
    severity = Severity.WARNING
    checklist = Checklist.NO_UNBOUNDED_LOOPS
    entities = ("Edge", "Agent", "AgentGraph")
    Options = Options

    def check(self, project: Project, options: Options) -> Iterator[Violation]:
        for graph in project.graphs:
            for edge in graph.edges:
                if edge.max_traversals is not None and edge.max_traversals > options.max_traversals:
                    yield self.violation(
                        f"edge {edge.source} → {edge.target} allows {number_text(edge.max_traversals)} traversals, "
                        f"above the maximum of {options.max_traversals}",
                        edge,
                        field="max_traversals",
                        args=(graph.name, edge.source, edge.target, number_text(edge.max_traversals)),
                    )
            yield from self._run_level(project, graph, options)
        for agent in project.agents():
            if agent.max_iterations is not None and agent.max_iterations > options.max_iterations:
                yield self.violation(
                    f"agent '{agent.name}' allows {number_text(agent.max_iterations)} iterations, "
                    f"above the maximum of {options.max_iterations}",
                    agent,
                    field="max_iterations",
                    args=(agent.graph, agent.name, number_text(agent.max_iterations)),
                )

    def _run_level(self, project: Project, graph: AgentGraph, options: Options) -> Iterator[Violation]:
        topology = project.topology(graph)
        part = graph.turn_limit_part()
        if part is not None and graph.turn_limit is not None and graph.turn_limit > options.max_turns:
            loops = topology.unbounded_loops()  # a cap on a graph without such a loop bounds nothing
            if loops:
                setting = part.turn_limit_setting or "the run-level turn limit"
                more = f" and {len(loops) - 1} more" if len(loops) > 1 else ""
                yield self.violation(
                    f"{setting} of {graph.turn_limit} is the only bound of loop {cycle_path(loops[0][0])}{more}, "
                    f"above the maximum of {options.max_turns}: lower {setting} to at most {options.max_turns}",
                    part,
                    field="turn_limit",
                    args=(graph.name, "turn_limit", str(graph.turn_limit)),
                )
        cap = implicit_cap(graph.turn_limit, graph.turn_limit_default, project.pins_at(graph))
        if cap is None or cap.value is None or cap.value <= options.maximum(cap):
            return
        maximum = options.maximum(cap)
        for cycle in topology.open_unbounded_loops():
            yield self.loop_violation(
                f"loop {cycle_path(cycle)} is bounded only by the framework default, above the maximum of {maximum}: "
                f"{cap.describe()}; set {cap.default.setting} to at most {maximum}, or bound the loop itself",
                graph.name,
                cycle,
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
        Example.of(
            MAF_REVIEW.format(head="maxTurns: 100\n", expect=""), path="workflow.yaml", title="A run-level cap at the maximum"
        ),
        Example.of(
            MAF_REVIEW.format(head="", expect=""), path="workflow.yaml", title="MAF's default of 100 supersteps is at the maximum"
        ),
        Example.of(
            MAF_REVIEW.format(head="maxTurns: 1000\n", expect="").split("    - kind: ConditionGroup")[0],
            path="workflow.yaml",
            title="A high cap on a workflow without a loop bounds nothing worth reporting",
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
        Example.of(
            AUTOGEN_TEAM.format(expect="", cap="  max_turns: 1000  # expect: AL103\n"),
            path="team.yaml",
            title="An explicit run-level cap far above the maximum",
        ),
        Example(
            adk_loop(expect="  # expect: AL103"),
            title="Google ADK's default of 500 LLM calls per run is the loop's only bound",
        ),
        Example.of(
            MAF_REVIEW.format(head="", expect="  # expect: AL103"),
            path="workflow.yaml",
            title="A stricter project maximum than MAF's default of 100 supersteps",
            max_turns=50,
        ),
    )
