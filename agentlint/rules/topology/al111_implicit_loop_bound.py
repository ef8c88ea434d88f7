from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.defaults import implicit_cap
from agentlint.model.graph import cycle_path
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import MAF_REVIEW, adk_loop
from agentlint.rules.topology.al103_loop_bound_too_high import Options as LoopBoundOptions

class ImplicitLoopBound(Rule):
    """A loop whose only bound is the framework's default run-level cap.

    ## What it does
    Finds the loops that have no bound of their own (no `max_traversals`, no `max_iterations`)
    in a graph whose run-level cap is left to the framework, where that default stops the run
    and is at or below loop-bound-too-high's maximum (its `max-turns`, or `max-traversals` for
    Flowise's per-loop `maxLoopCount`): MAF `maxTurns` (100 supersteps), MagenticOne
    `max_turns` (20), OpenAI Agents `max_turns` (10), Flowise `maxLoopCount` (5), LangGraph
    `recursion_limit` before 1.0.6 (25), CrewAI Flows `max_method_calls` since 1.10.1 (100 calls of
    one method per kickoff; none before). One finding per loop, quoting the default for the
    version the project pins and naming the setting that makes it explicit. A default above the
    maximum is loop-bound-too-high (AL103); a loop that not even a default bounds is
    unbounded-loop (AL102).

    ## Why is this bad?
    It is not a defect: the run does fail fast at the default. But the bound lives in the
    framework, not in the project: it changes when the framework does (LangGraph's went from 25
    to 10007), and nobody reading the project sees it. Writing it down makes the limit a
    decision, reviewed with the code.
    """

    code = "AL111"
    name = "implicit-loop-bound"
    summary = "Loop bounded only by a framework default"
    severity = Severity.INFO
    checklist = Checklist.NO_UNBOUNDED_LOOPS
    entities = ("AgentGraph", "Edge", "Agent")
    options_from = "AL103"

    def check(self, project: Project, options: LoopBoundOptions) -> Iterator[Violation]:
        for graph in project.graphs:
            cap = implicit_cap(graph.turn_limit, graph.turn_limit_default, project.pins_at(graph))
            if cap is None or cap.value is None or cap.value > options.maximum(cap):
                continue  # nothing finite to quote (AL102), or too high (AL103)
            for cycle in project.topology(graph).open_unbounded_loops():
                yield self.loop_violation(
                    f"loop {cycle_path(cycle)} is bounded only by the framework default: {cap.describe()}; "
                    f"set {cap.default.setting} to make the bound explicit",
                    graph.name,
                    cycle,
                )

    valid = (
        Example.of(MAF_REVIEW.format(head="maxTurns: 20\n", expect=""), path="workflow.yaml", title="The cap is written down"),
        Example(adk_loop(), title="ADK's default of 500 LLM calls is above the maximum: loop-bound-too-high reports it"),
    )
    invalid = (
        Example.of(
            """from agents import Agent, Runner

billing = Agent(name="billing", instructions="Refunds and invoices.")
triage = Agent(name="triage", instructions="Route the customer.", handoffs=[billing])  # expect: AL111
billing.handoffs.append(triage)  # handed back after construction: a cycle

result = Runner.run_sync(triage, "Where is my refund?")
""",
            path="support/main.py",
            title="OpenAI Agents: Runner.run without max_turns stops at the SDK's default of 10 turns",
        ),
        Example.of(
            MAF_REVIEW.format(head="", expect="  # expect: AL111"),
            path="workflow.yaml",
            title="MAF's default of 100 supersteps is the loop's only bound",
        ),
    )
