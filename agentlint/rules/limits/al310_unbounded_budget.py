from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.budget import Cause, Culprit
from agentlint.model.entities import Edge
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER

_SHOWN = 3  # causes, and settings that bound them, named in the message


class UnboundedBudget(Rule):
    """A request's worst case has no upper bound on LLM calls or on time.

    ## What it does
    For the graph's entry agent, computes static upper bounds on LLM calls and wall-clock time
    along the worst path: iterations × retries per agent (times one plus the dearest delegate's
    cost, for an agent that delegates), times how often each loop can repeat, plus timeouts ×
    retries for time; a run-level cap on LLM requests bounds the calls in total. Unset limits
    take the framework's default where it has one. When a loop or an agent without an iteration
    limit leaves a factor unbounded, reports the graph once, at the agent that makes it
    unbounded, naming the causes with the setting that bounds each (the first three, and how
    many more there are), and pointing at every one of them as a related location. An agent
    without a timeout is left to `missing-timeout` (AL301), and one whose timeout is invalid to
    AL002: one defect, one finding.

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
            worst = project.budget(graph)
            if worst is None or (worst.llm_calls is not None and worst.seconds is not None):
                continue
            if worst.endless:
                continue  # a loop with no exit makes every budget moot: endless-cycle (AL101) says so
            # a missing timeout is missing-timeout's (AL301) finding and an invalid one AL002's:
            # the budget is reported only for causes of its own (a loop, no iteration limit)
            own = [c for c in worst.culprits if c.cause in (Cause.UNBOUNDED_LOOP, Cause.NO_ITERATION_LIMIT)]
            if not own:
                continue
            factors = [f for f in ("LLM calls", "time") if any(f in c.cause.factors for c in own)]
            reasons = list(dict.fromkeys(c.reason for c in own))
            shown = "; ".join(reasons[:_SHOWN]) + (f"; and {len(reasons) - _SHOWN} more" if len(reasons) > _SHOWN else "")
            fixes = list(dict.fromkeys(_fix(c) for c in own))
            shown += ": " + " or ".join(fixes[:_SHOWN]) + (f" (and likewise for {len(fixes) - _SHOWN} more)" if len(fixes) > _SHOWN else "")
            first = own[0].thing
            at = graph.agents.get(first.source, first) if isinstance(first, Edge) else first
            yield self.violation(
                f"a request entering at '{worst.entry}' has no upper bound on {' or '.join(factors)}: {shown}",
                at,
                args=(graph.name, *factors),
                related=tuple(c.thing.location(note=c.reason) for c in own),  # each: a --whole-project hook over its file shows it
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


def _fix(culprit: Culprit) -> str:
    """The setting that bounds the cause."""
    thing = culprit.thing
    if isinstance(thing, Edge):
        return "set max_traversals on an edge of each loop, or the graph's run-level turn limit"
    return f"set '{thing.key_for('max_iterations', 'max_iterations')}' on agent '{thing.name}'"
