"""OpenAI Agents SDK code read into the neutral model: handoffs (at construction, appended
after it, through handoff()), as_tool call edges, clone(), and Runner.run's max_turns as the
graph's run-level bound (unset: the SDK default of 10, an implicit bound reported as info at
most; None: no bound; unstated: a bound of unknown size). Shapes from real files:
openai/openai-agents-python examples/customer_service/main.py, agent_patterns/routing.py,
agent_patterns/agents_as_tools.py and agent_patterns/llm_as_a_judge.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.openai_agents_code import adapt, claims
from agentlint.loaders.python import load_python
from agentlint.model.code_link import GraphRun
from agentlint.model.entities import EdgeKind, GraphPart
from tests.helpers import mutated_source, project_findings, project_result


def parts(text: str, path: str = "main.py") -> list[GraphPart]:
    return adapt(load_python(path, text)).parts


def edges(part: GraphPart) -> list[tuple[str, str, str, int]]:
    return sorted((e.source, e.target, e.kind.value, e.span.start.line) for e in part.edges)


CUSTOMER_SERVICE = '''\
from __future__ import annotations as _annotations

from agents import Agent, RunContextWrapper, Runner, TResponseInputItem, function_tool, handoff, trace
from agents.extensions.handoff_prompt import RECOMMENDED_PROMPT_PREFIX


@function_tool
async def faq_lookup_tool(question: str) -> str:
    return "I'm sorry, I don't know the answer to that question."


async def on_seat_booking_handoff(context: RunContextWrapper[AirlineAgentContext]) -> None:
    context.context.flight_number = "FLT-123"


faq_agent = Agent[AirlineAgentContext](
    name="FAQ Agent",
    handoff_description="A helpful agent that can answer questions about the airline.",
    instructions=f"""{RECOMMENDED_PROMPT_PREFIX}
    You are an FAQ agent.""",
    tools=[faq_lookup_tool],
)

seat_booking_agent = Agent[AirlineAgentContext](
    name="Seat Booking Agent",
    handoff_description="A helpful agent that can update a seat on a flight.",
    instructions="You are a seat booking agent.",
)

triage_agent = Agent[AirlineAgentContext](
    name="Triage Agent",
    handoff_description="A triage agent that can delegate a customer's request to the appropriate agent.",
    instructions="You are a helpful triaging agent.",
    handoffs=[
        faq_agent,
        handoff(agent=seat_booking_agent, on_handoff=on_seat_booking_handoff),
    ],
)

faq_agent.handoffs.append(triage_agent)
seat_booking_agent.handoffs.append(triage_agent)


async def main():
    current_agent: Agent[AirlineAgentContext] = triage_agent
    input_items: list[TResponseInputItem] = []
    while True:
        user_input = input("Enter your message: ")
        with trace("Customer service"):
            input_items.append({"content": user_input, "role": "user"})
            result = await Runner.run(current_agent, input_items, context=context{run_args})
            input_items = result.to_input_list()
            current_agent = result.last_agent
'''



def customer_service(run_args: str) -> str:
    return CUSTOMER_SERVICE.replace("{run_args}", run_args)


AGENTS_AS_TOOLS = """\
from agents import Agent, Runner, trace

spanish_agent = Agent(name="spanish_agent", instructions="You translate to Spanish")
french_agent = Agent(name="french_agent", instructions="You translate to French")

orchestrator_agent = Agent(
    name="orchestrator_agent",
    instructions="You use the tools given to you to translate.",
    tools=[
        spanish_agent.as_tool(tool_name="translate_to_spanish", tool_description="Spanish"),
        french_agent.as_tool(tool_name="translate_to_french", tool_description="French"),
    ],
)
synthesizer_agent = Agent(name="synthesizer_agent", instructions="Produce a final response.")


async def main(msg):
    with trace("Orchestrator evaluator"):
        orchestrator_result = await Runner.run(orchestrator_agent, msg)
        synthesizer_result = await Runner.run(synthesizer_agent, orchestrator_result.to_input_list())
"""

JUDGE = """\
from agents import Agent, ItemHelpers, Runner, TResponseInputItem, trace

story_outline_generator = Agent(name="story_outline_generator", instructions="You generate a story outline.")
evaluator = Agent[None](name="evaluator", instructions="You evaluate a story outline.", output_type=EvaluationFeedback)


async def main(input_items) -> None:
    while True:
        story_outline_result = await Runner.run(story_outline_generator, input_items)
        evaluator_result = await Runner.run(evaluator, input_items)
        if evaluator_result.final_output.score == "pass":
            break
"""


def test_claims_modules_importing_the_sdk() -> None:
    assert claims("main.py", AGENTS_AS_TOOLS)
    assert claims("main.py", "import agents\n")
    assert not claims("main.py", "from crewai import Agent\n")
    assert not claims("agents.yaml", AGENTS_AS_TOOLS)


def test_customer_service_handoffs_appended_after_construction_make_the_cycles() -> None:
    (part,) = parts(customer_service(""), "examples/customer_service/main.py")
    assert part.name == "examples/customer_service/main.py:triage_agent"
    assert [a.name for a in part.agents] == ["FAQ Agent", "Seat Booking Agent", "Triage Agent"]
    assert edges(part) == [
        ("FAQ Agent", "Triage Agent", "handoff", 40),  # faq_agent.handoffs.append(triage_agent)
        ("Seat Booking Agent", "Triage Agent", "handoff", 41),
        ("Triage Agent", "FAQ Agent", "handoff", 35),
        ("Triage Agent", "Seat Booking Agent", "handoff", 36),  # handoff(agent=seat_booking_agent, ...)
    ]
    assert part.complete and part.entry is None and not part.entry_declarable
    assert set(part.terminals) == {"FAQ Agent", "Seat Booking Agent", "Triage Agent"}  # any agent may answer
    # Runner.run starts at an agent the code does not state (current_agent is rebound): no max_turns, the default
    assert (part.turn_limit, part.turn_limit_default, part.turn_limit_unstated) == (None, "openai-agents.max_turns", False)


@pytest.mark.parametrize(
    ("run_args", "expected"),
    [
        ("", [("AL111", 35, 9)]),  # the SDK default of 10 turns: info, never a warning
        (", max_turns=8", []),
        (", max_turns=settings.max_turns", []),  # unstated: a bound of unknown size
        (", **options", []),  # may pass max_turns: unknown, never missing
        (", max_turns=None", [("AL102", 35, 9)]),  # None disables the turn limit
        (", max_turns=500", [("AL103", 51, 84)]),  # above the maximum of 100
    ],
)
def test_max_turns_bounds_the_handoff_cycles(tmp_path: Path, run_args: str, expected: list[tuple[str, int, int]]) -> None:
    found = project_findings(tmp_path, {"main.py": customer_service(run_args)}, families=("AL1", "AL3"))
    assert [(code, line, column) for code, _, line, column in found] == expected


def test_a_run_without_turn_limit_is_told_to_pass_max_turns(tmp_path: Path) -> None:
    """AL102's remedy is the SDK's own bound, not the neutral format's keys."""
    from tests.helpers import project_result

    result = project_result(tmp_path, {"main.py": customer_service(", max_turns=None")})
    (finding,) = [f for f in result.findings if f.code == "AL102"]
    assert finding.message.endswith("has no bound of its own: give the run a finite max_turns (None turns the SDK's turn limit off)")


def test_pinned_version_is_quoted(tmp_path: Path) -> None:
    from tests.helpers import project_result

    result = project_result(
        tmp_path,
        {"main.py": customer_service(""), "requirements.txt": "openai-agents==0.24.0\n"},
    )
    (finding,) = [f for f in result.findings if f.code == "AL111"]
    assert "max_turns defaults to 10 turns (openai-agents 0.24.0)" in finding.message


def test_agents_as_tools_are_call_edges_and_unconnected_agents_their_own_graph() -> None:
    tools, synth = parts(AGENTS_AS_TOOLS)
    assert tools.name == "main.py:orchestrator_agent" and synth.name == "main.py:synthesizer_agent"
    assert edges(tools) == [
        ("orchestrator_agent", "french_agent", "call", 11),
        ("orchestrator_agent", "spanish_agent", "call", 10),
    ]
    assert tools.entry == "orchestrator_agent" and synth.entry == "synthesizer_agent"


def test_real_shapes_without_a_cycle_have_no_topology_finding(tmp_path: Path) -> None:
    # no handoff cycle in either; the llm_as_a_judge loop in plain Python (while True around
    # Runner.run, ended by the evaluator's verdict only) is the loop agent-run-loops draws
    found = project_findings(tmp_path, {"tools.py": AGENTS_AS_TOOLS, "judge.py": JUDGE}, families=("AL1",))
    assert found == [("AL102", "judge.py", 8, 5)]


def test_clone_mutation_and_unknown_items() -> None:
    text = (
        "from agents import Agent, Runner, handoff\n"
        "from .billing import billing_agent\n"
        "a = Agent(name='A')\n"
        "b = a.clone(name='B', handoffs=[a])\n"
        "a.handoffs.extend([b])\n"
        "c = a.clone(instructions='x')\n"  # same name: the same agent for the graph
        "d = Agent(name='D', handoffs=[billing_agent])\n"
        "e = Agent(name='E')\n"
        "e.handoffs = [handoff(d)]\n"
        "e.handoffs += [a]\n"
        "Runner.run_sync(a, 'hi', max_turns=6)\n"
    )
    (part,) = parts(text)  # E hands off to A: one group
    assert [a.name for a in part.agents] == ["A", "B", "D", "E"]
    assert edges(part) == [
        ("A", "B", "handoff", 5), ("B", "A", "handoff", 4),
        ("D", "py:billing.billing_agent", "handoff", 7),  # another module's agent: linked by alias
        ("E", "A", "handoff", 10), ("E", "D", "handoff", 9),
    ]
    assert (part.name, part.entry, part.turn_limit, part.turn_limit_setting) == ("main.py:a", "A", 6, "max_turns")
    assert not part.complete  # D hands off to an agent of another module: rules on absent edges skip it


def test_agents_of_two_functions_with_one_local_name_are_two_graphs(tmp_path: Path) -> None:
    # examples/basic/previous_response_id.py builds "Assistant" in main() and in main_stream()
    text = (
        "from agents import Agent, Runner\n"
        "async def main():\n    agent = Agent(name='Assistant')\n    await Runner.run(agent, 'q')\n"
        "async def main_stream():\n    agent = Agent(name='Assistant')\n    Runner.run_streamed(agent, 'q')\n"
        "helper = Agent(name='helper')\nhelper = Agent(name='helper2')\n"
    )
    assert [p.name for p in parts(text)] == ["main.py:main.agent", "main.py:main_stream.agent", "main.py:line8", "main.py:line9"]
    assert project_findings(tmp_path, {"main.py": text}, families=("AL1",)) == []


def test_handoffs_across_modules_link_by_alias(tmp_path: Path) -> None:
    team = (
        "from agents import Agent\n"
        "from .returns import returns\n"
        "billing = Agent(name='billing')\n"
        "triage = Agent(name='triage', handoffs=[billing, returns])\n"
        "billing.handoffs.append(triage)\n"
        "returns.handoffs.append(triage)\n"  # mutating another module's agent
    )
    returns = "from agents import Agent\nreturns = Agent(name='returns', instructions='Open return tickets.')\n"
    result = project_result(tmp_path, {"app/team.py": team, "app/returns.py": returns})
    found = sorted((f.code, f.path, f.line) for f in result.findings if f.code.startswith("AL1"))
    assert found == [("AL111", "app/team.py", 4)]  # one loop through all three, bounded by the SDK default
    # the handoffs back written in a third module that imports both agents: the same one graph
    # (a module is read when it imports the SDK: one that names neither agents nor mcp is skipped unparsed)
    wiring = "from agents import Runner\nfrom app.team import billing, triage\nbilling.handoffs.append(triage)\n"
    team_only = team.replace("billing.handoffs.append(triage)\n", "").replace("returns.handoffs.append(triage)\n", "")
    files = {"app/team.py": team_only, "app/returns.py": returns}
    assert project_findings(tmp_path / "unwired", files, families=("AL1",)) == []  # no loop without the wiring
    files["app/wiring.py"] = wiring
    assert project_findings(tmp_path / "wired", files, families=("AL1",)) == [("AL111", "app/team.py", 4, 41)]
    # an agent of a module this run does not read: the graph is incomplete, never an undefined agent
    lone = project_findings(tmp_path / "lone", {"app/team.py": team}, families=("AL1",))
    assert lone == [("AL111", "app/team.py", 4, 41)]


def test_instructions_are_located_text(tmp_path: Path) -> None:
    text = (
        "from agents import Agent\n"
        "PROMPT = 'You are billing. Use key sk-proj-7Hq2Lm9TzR4wVb8KxN3pQy6JdF1sGc5aB2c4Xy7Z for refunds.'\n"
        "billing = Agent(name='billing', instructions=PROMPT)\n"
        "audit = billing.clone(name='audit')\n"  # the clone sends the same text
        "triage = Agent(name='triage', instructions=f'{PREFIX} Route the customer.')\n"  # not stated: no text
    )
    from agentlint.model.prompts import InstructionText

    found = [e for e in adapt(load_python("main.py", text)).entities if isinstance(e, InstructionText)]
    assert [(e.owner, e.setting, e.span.start) for e in found] == [("agent 'billing'", "instructions", (2, 10))]
    assert project_findings(tmp_path, {"main.py": text}, families=("AL408",)) == [("AL408", "main.py", 2, 36)]


def test_run_streamed_takes_max_turns_as_its_fourth_argument() -> None:
    base = "from agents import Agent, Runner\na = Agent(name='a')\na.handoffs.append(a)\n"
    (part,) = parts(base + "Runner.run_streamed(a, 'hi', None, 7)\n")
    assert (part.turn_limit, part.turn_limit_setting) == (7, "max_turns")
    (part,) = parts(base + "Runner.run_streamed(a, 'hi', ctx)\n")  # a context, not a limit
    assert (part.turn_limit, part.turn_limit_default) == (None, "openai-agents.max_turns")


def test_a_run_of_an_imported_agent_is_linked_by_symbol() -> None:
    text = "from agents import Runner\nfrom app.team import triage\nRunner.run_sync(triage, 'hi', max_turns=40)\n"
    loaded = adapt(load_python("run.py", text))
    assert loaded.parts == []
    (run,) = [e for e in loaded.entities if isinstance(e, GraphRun)]
    assert (run.symbol, run.limit, run.setting, run.span.start.line) == ("app.team.triage", 40, "max_turns", 3)


def test_an_agent_run_from_another_module_gets_its_max_turns(tmp_path: Path) -> None:
    team = (
        "from agents import Agent\n"
        "billing = Agent(name='billing')\n"
        "triage = Agent(name='triage', handoffs=[billing])\n"
        "billing.handoffs.append(triage)\n"
    )
    run = "from agents import Runner\nfrom app.team import triage\nRunner.run_sync(triage, 'hi', max_turns=400)\n"
    found = project_findings(tmp_path, {"app/team.py": team, "app/run.py": run}, families=("AL1",))
    assert found == [("AL103", "app/run.py", 3, 31)]


LINES = (customer_service(", max_turns=5") + AGENTS_AS_TOOLS).splitlines()

NOISE = (", **kw", "(", ")", "[0]", ".clone()", ".handoffs", ", *rest")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_sources_never_crash(data: st.DataObject) -> None:
    adapt(load_python("main.py", mutated_source(data, LINES, NOISE)))  # never raises


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from(["list", "append", "handoff", "tool"])), max_size=15),
    st.sampled_from(["", ", max_turns=None", ", max_turns=3", ", max_turns=x"]),
)
@settings(max_examples=100, deadline=None)
def test_random_handoff_graphs_never_crash(links: list[tuple[int, int, str]], limit: str) -> None:
    lines = ["from agents import Agent, Runner, handoff"] + [f"a{i} = Agent(name='n{i}')" for i in range(6)]
    for source, target, how in links:
        if how == "list":
            lines.append(f"a{source}.handoffs = [a{target}]")
        elif how == "append":
            lines.append(f"a{source}.handoffs.append(a{target})")
        elif how == "handoff":
            lines.append(f"a{source}.handoffs.append(handoff(a{target}))")
        else:
            lines.append(f"a{source}.tools.append(a{target}.as_tool())")
    lines.append(f"Runner.run_sync(a0, 'x'{limit})")
    found = parts("\n".join(lines) + "\n")
    assert sum(len(p.agents) for p in found) == 6
    for part in found:
        assert all(e.kind in (EdgeKind.HANDOFF, EdgeKind.CALL) for e in part.edges)
