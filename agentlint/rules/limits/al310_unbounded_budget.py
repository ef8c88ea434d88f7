from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.budget import budget
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


class UnboundedBudget(Rule):
    """A request's worst case has no upper bound on LLM calls or on time.

    ## What it does
    For the graph's entry agent, computes static upper bounds on LLM calls and wall-clock
    time along the worst path: iterations × retries per agent, times how often each loop can
    repeat, plus timeouts × retries for time. Unset limits take the framework's default where
    it has one. When a factor has no bound, reports the graph once, at its entry agent, naming the
    causes and pointing at them as related locations.

    ## Why is this bad?
    This is the static answer to "why did this request take 18 seconds / cost so much": if
    nothing bounds the worst case, a single request can spend without limit, and no dashboard
    threshold is meaningful.
    """

    code = "AL310"
    name = "unbounded-budget"
    summary = "Worst-case request budget is unbounded"
    severity = Severity.WARNING
    checklist = Checklist.NO_UNBOUNDED_LOOPS
    entities = ("AgentGraph",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for graph in project.graphs:
            worst = budget(graph, project.topology(graph), project.pins)
            if worst is None or (worst.llm_calls is not None and worst.seconds is not None):
                continue
            if worst.endless:
                continue  # a loop with no exit makes every budget moot: endless-cycle (AL101) says so
            factors = [name for name, value in (("LLM calls", worst.llm_calls), ("time", worst.seconds)) if value is None]
            reasons = list(dict.fromkeys(reason for _, reason in worst.culprits))
            shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
            entry = graph.agents[worst.entry]
            yield self.violation(
                f"a request entering at '{worst.entry}' has no upper bound on {' or '.join(factors)}: {shown}",
                entry,
                args=(graph.name, *factors),
                related=tuple(thing.location(note=reason) for thing, reason in worst.culprits),
            )

    valid = (
        Example.of(
            HEADER
            + """entry: writer
terminals: [publisher]
agents:
  writer: {role: writer, timeout: 30, retries: {max_attempts: 2}}
  critic: {role: critic, timeout: 20, retries: {max_attempts: 1}}
  publisher: {role: publisher, timeout: 5, retries: {max_attempts: 1}}
edges:
  - {from: writer, to: critic, kind: call}
  - {from: critic, to: writer, when: needs changes, max_traversals: 3}
  - {from: critic, to: publisher, when: approved}
""",
            title="Bounded loop, timeouts everywhere: at most 4 × (2 + 1) + 1 = 13 calls and 4 × 80 + 5 = 325 s",
        ),
    )
    invalid = (
        Example.of(
            HEADER
            + """entry: writer
terminals: [publisher]
agents:
  writer: {role: writer, timeout: 30, retries: {max_attempts: 2}}  # expect: AL310
  critic: {role: critic, timeout: 20, retries: {max_attempts: 1}}
  publisher: {role: publisher, retries: {max_attempts: 1}}
edges:
  - {from: writer, to: critic, kind: call}
  - {from: critic, to: writer, when: needs changes}
  - {from: critic, to: publisher, when: approved}
""",
            title="An unbounded revision loop and a publisher without a timeout",
        ),
    )
