from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.budget import number_text
from agentlint.model.agent_graph import AgentGraph
from agentlint.model.budget_text import path_text
from agentlint.model.project import Project
from agentlint.options import option
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


@dataclass(frozen=True)
class Options:
    max_llm_calls: int = option(50, "Highest acceptable worst-case LLM calls per request.", ge=1)
    max_seconds: float = option(300.0, "Highest acceptable worst-case wall-clock seconds per request.", ge=1)


class BudgetTooHigh(Rule):
    """A request's worst case is bounded, but above the configured maxima.

    ## What it does
    Computes the same static worst-case budget as `unbounded-budget` (AL310) and reports a
    graph whose bounded worst case exceeds `max-llm-calls` (50) or `max-seconds` (300), with the
    arithmetic (each agent's iterations × attempts, or timeout × attempts, and how many passes
    each loop makes) and the agents of the worst path as related locations. A long formula shows
    its largest terms and `+ N more totalling X`, a long path its first agents and its last; the
    related locations name every agent of the path (so that a `--whole-project` hook shows the
    finding when any of their files changed). A delegate (a
    smolagents managed agent, an agent run in a tool or used as a tool) can run once per step
    of its caller: a manager of 8 steps over a worker of 10 is 8 × (1 + 10) calls. A run-level
    cap on LLM requests (ADK `RunConfig.max_llm_calls`, PydanticAI `request_limit`) counts
    retries itself, so it caps the total as it stands.

    ## Why is this bad?
    Bounds multiply: three retries of an agent inside a loop of ten, behind a router that
    retries too, is already hundreds of calls. The budget shows the product before production
    traffic does.
    """

    code = "AL311"
    name = "budget-too-high"
    summary = "Worst-case request budget above the configured maxima"
    severity = Severity.WARNING
    checklist = Checklist.NO_UNBOUNDED_LOOPS
    entities = ("AgentGraph",)
    Options = Options

    def check(self, project: Project, options: Options) -> Iterator[Violation]:
        for graph in project.graphs:
            worst = project.budget(graph)
            if worst is None:
                continue
            over = []
            if worst.llm_calls is not None and worst.llm_calls > options.max_llm_calls:
                over.append(f"{number_text(worst.llm_calls)} LLM calls = {worst.calls_formula} (max-llm-calls = {options.max_llm_calls})")
            if worst.seconds is not None and worst.seconds > options.max_seconds:
                over.append(f"{number_text(worst.seconds)} s = {worst.seconds_formula} (max-seconds = {options.max_seconds:g})")
            if over:
                yield self.violation(
                    f"a request entering at '{worst.entry}' can take up to {' and '.join(over)}, along {path_text(worst.path)}",
                    graph.agents[worst.entry],
                    args=(graph.name,),
                    related=_related(graph, worst.path),
                )

    valid = (
        Example.of(
            HEADER
            + "entry: router\nagents:\n  router: {role: router, timeout: 10, retries: {max_attempts: 2}}\n"
            + "  helper: {role: helper, timeout: 30, retries: {max_attempts: 2}}\n"
            + "edges:\n  - {from: router, to: helper}\n",
            title="2 + 2 calls and 80 s at most",
        ),
    )
    invalid = (
        Example.of(
            HEADER
            + "entry: writer\nterminals: [writer]\nagents:\n"
            + "  writer: {role: writer, timeout: 60, retries: {max_attempts: 3}, max_iterations: 5}  # expect: AL311\n"
            + "  critic: {role: critic, timeout: 30, retries: {max_attempts: 2}}\n"
            + "edges:\n  - {from: writer, to: critic}\n  - {from: critic, to: writer, max_traversals: 10}\n",
            title="A bounded loop whose product is far above the maxima",
        ),
    )


def _related(graph: AgentGraph, path: tuple[str, ...]) -> tuple[Location, ...]:
    """Every agent after the entry on the worst path: a change to any of them changes the
    budget, so a --whole-project run over that file shows the finding (engine.finish._concerns)."""
    return tuple(graph.agents[name].location(note=f"on the worst path: {name}") for name in path[1:])
