from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.defaults import implicit_cap, loop_defaults
from agentlint.model.graph import cycle_path
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import AUTOGEN_TEAM, HEADER, MAF_REVIEW


_PY_LOOP = """from agents import Agent, Runner

writer = Agent(name="writer", instructions="Draft the reply.")
critic = Agent(name="critic", instructions="Answer PASS when the draft is good, else say what to fix.")


async def reply(ticket: str) -> str:
    draft = ""
{head}{expect}
        draft = (await Runner.run(writer, ticket + draft)).final_output
        verdict = (await Runner.run(critic, draft)).final_output
        if verdict == "PASS":
            return draft
    return draft
"""


# What bounds a loop in each framework's own terms (the graph's framework; others: the neutral format's keys).
_REMEDY = {
    "agentlint": "set max_traversals on one of its edges or max_iterations on one of its agents",
    "openai-agents": "give the run a finite max_turns (None turns the SDK's turn limit off)",
    "pydantic-ai": "run it with a finite usage_limits=UsageLimits(request_limit=N) (None turns the default of 50 off)",
    "autogen": "give the team max_turns or a MaxMessageTermination",
    "adk": "set max_iterations on its LoopAgent or max_llm_calls in the RunConfig",
    "smolagents": "give its agents a finite max_steps",
}

class UnboundedLoop(Rule):
    """A loop that can be left, but where nothing limits how often it repeats.

    ## What it does
    Finds loops that avoid every bound (no edge of the loop has `max_traversals`, no agent of
    it has `max_iterations`) inside a component that does have an exit (an edge out, or a
    terminal agent inside), in a graph that no run-level cap bounds either. A bound on one
    loop of a component does not bound its other loops: each unbounded one is reported.
    A Python `while` loop around agent runs (OpenAI Agents `Runner.run`, PydanticAI,
    smolagents, ADK, CrewAI `kickoff`, LangGraph `invoke`) whose every exit reads the model's
    output is such a loop through the agents it runs; a round counter, a time check, a stop
    flag or a human's input is a bound, and an exit under a setting the code does not state
    (`if auto_mode:`) bounds only the runs where it holds.

    A run-level cap the run fails fast at bounds every loop of its graph: an explicit one
    (AutoGen `max_turns`, MAF `maxTurns`), and a framework default with a finite value for the
    version the project pins (ADK `RunConfig.max_llm_calls`, MAF `maxTurns`, MagenticOne
    `max_turns`, Flowise `maxLoopCount`, LangGraph `recursion_limit`, OpenAI Agents
    `max_turns`, CrewAI Flows `max_method_calls` since 1.10.1). Such loops are not reported here: loop-bound-too-high (AL103) judges a cap
    above the maximum, and implicit-loop-bound (AL111) notes a default that is the only bound.
    What is left is quoted in the message, for the version pinned in the file's folder line
    (pyproject.toml, uv.lock, poetry.lock, requirements) or the newest known one: a default of no limit
    (AutoGen teams' `max_turns`), or an agent's own iteration cap (CrewAI `max_iter`, n8n
    `maxIterations`, Dify `maximum_iterations`, Langflow `max_iterations`), which ends the
    agent's tool loop, not the loop through it.

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
            if graph.capped or implicit_cap(graph.turn_limit, graph.turn_limit_default, project.pins_at(graph)):
                continue  # an explicit cap or a finite framework default bounds it: AL103 / AL111 judge it
            for cycle in project.topology(graph).open_unbounded_loops():
                defaults = loop_defaults([graph.agents[a] for a in cycle.agents], graph.turn_limit_default, project.pins_at(graph))
                if defaults:
                    # what is left here is no limit at all, or an agent's own iteration cap
                    quoted = [d.describe() + ("" if d.value is None else ", which caps only an agent's own tool loop") for d in defaults]
                    tail = f"no framework default stops it either: {'; '.join(quoted)}"
                elif graph.framework == "python":  # a while loop around agent runs (adapters/agent_run_loops.py)
                    tail = "only the model's output ends this Python loop: count its rounds and stop at a maximum"
                else:
                    tail = _REMEDY.get(graph.framework, _REMEDY["agentlint"])
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
        Example.of(
            MAF_REVIEW.format(head="", expect=""),
            path="workflow.yaml",
            title="MAF's default maxTurns stops the run: implicit-loop-bound notes it",
        ),
        Example.of(AUTOGEN_TEAM.format(expect="", cap="  max_turns: 12\n"), path="team.yaml", title="The team has a turn cap"),
        Example.of(
            _PY_LOOP.format(head="    for _ in range(3):", expect=""),
            path="reply.py",
            title="A Python loop that runs the agents at most three times",
        ),
    )
    invalid = (
        Example.of(
            """from agents import Agent, Runner

billing = Agent(name="billing", instructions="Refunds and invoices.")
triage = Agent(name="triage", instructions="Route the customer.", handoffs=[billing])  # expect: AL102
billing.handoffs.append(triage)  # handed back after construction: a cycle

result = Runner.run_sync(triage, "Where is my refund?", max_turns=None)
""",
            path="support/main.py",
            title="OpenAI Agents: max_turns=None disables the SDK's turn limit",
        ),
        Example.of(
            _PY_LOOP.format(head="    while True:", expect="  # expect: AL102"),
            path="reply.py",
            title="A Python loop that only the critic's verdict ends (each run has max_turns; the loop has nothing)",
        ),
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
        Example.of(
            AUTOGEN_TEAM.format(expect="  # expect: AL102", cap=""),
            path="team.yaml",
            title="An AutoGen team's max_turns defaults to no limit, and the critic may never say APPROVED",
        ),
    )
