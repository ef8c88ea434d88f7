"""AutoGen AgentChat teams defined in Python: the entities (and findings) of their component
JSON twins, termination conditions combined with | and &, and participants from other modules.

Shapes from real files: SongChiYoung/autogen-oaiapi examples/example_register.py (a writer and
an editor in a round robin stopped only by TextMentionTermination("TERMINATE")),
lukaskellerstein/ai 10_AutoGen/1_NEW/0_AgentChat/6_saving/2_component/2_team/script.py
(RoundRobinGroupChat(participants=[agent], termination_condition=MaxMessageTermination(2))),
420-ai/OpenOperator agents/agent_oogen/agent/team.py (a custom agent class, positional
participants, TextMessageTermination), and a travel planner whose agents are imported from
agents/agents.py (a RoundRobinGroupChat of four with TextMentionTermination)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters import autogen_code
from agentlint.loaders.python import load_python
from agentlint.model.entities import GraphPart
from agentlint.model.project import Project
from tests.helpers import project_findings

LOOPS = ["AL101", "AL102", "AL103", "AL105", "AL111", "AL310"]


def parts_of(files: dict[str, str]) -> list[GraphPart]:
    return [part for path, text in files.items() for part in autogen_code.adapt(load_python(path, text)).parts]


REGISTER = """\
from autogen_oaiapi.server import Server
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination, TimeoutTermination

client = OpenAIChatCompletionClient(
    model="gpt-4.1-nano-2025-04-14"
)
agent1 = AssistantAgent(name="writer", model_client=client)
agent2 = AssistantAgent(name="editor", model_client=client)
team = RoundRobinGroupChat(
    participants=[agent1, agent2],
    termination_condition={stop},
)

server = Server()
server.model.register(name="TEST_TEAM", actor=team, source_select="writer")
"""


def register(stop: str) -> dict[str, str]:
    return {"example_register.py": REGISTER.replace("{stop}", stop)}


def test_claims_only_agentchat_modules() -> None:
    assert autogen_code.claims("team.py", "from autogen_agentchat.teams import Swarm")
    assert not autogen_code.claims("team.py", "import autogen_core")
    assert not autogen_code.claims("team.json", "autogen_agentchat")


def test_round_robin_entities() -> None:
    (part,) = parts_of(register('TextMentionTermination("TERMINATE")'))
    assert part.name == "example_register.py:team" and part.entry == "writer" and part.complete
    assert [(e.source, e.target, e.kind.value, e.span.start.line) for e in part.edges] == [
        ("writer", "editor", "sequence", 13), ("editor", "writer", "sequence", 13)
    ]
    assert part.terminals == ("writer", "editor") and part.terminates
    assert part.turn_limit is None and part.turn_limit_default == "autogen.max_turns" and not part.turn_limit_unstated
    writer = part.agents[0]
    assert (writer.name, writer.model, writer.span.start.line, writer.span.start.column) == ("writer", "gpt-4.1-nano-2025-04-14", 10, 30)
    assert writer.settable == frozenset({"model", "prompt", "tools", "max_iterations"})


def test_text_mention_alone_is_an_unbounded_loop(tmp_path: Path) -> None:
    assert project_findings(tmp_path, register('TextMentionTermination("TERMINATE")'), LOOPS) == [
        ("AL102", "example_register.py", 13, 18), ("AL310", "example_register.py", 11, 30)
    ]


def test_or_with_a_message_cap_bounds_it_and_and_does_not(tmp_path: Path) -> None:
    capped = register('TextMentionTermination("TERMINATE") | MaxMessageTermination(max_messages=12)')
    (part,) = parts_of(capped)
    assert (part.turn_limit, part.turn_limit_setting, part.span_of("turn_limit").start.line) == (12, "max_messages", 14)
    assert project_findings(tmp_path / "or", capped, LOOPS) == []
    both = register('TextMentionTermination("TERMINATE") & MaxMessageTermination(12)')
    assert project_findings(tmp_path / "and", both, LOOPS) == [
        ("AL102", "example_register.py", 13, 18), ("AL310", "example_register.py", 11, 30)
    ]
    high = register("MaxMessageTermination(500)")
    assert project_findings(tmp_path / "high", high, ["AL103"]) == [("AL103", "example_register.py", 14, 49)]


def test_timeout_is_a_run_level_cap_of_unstated_turns(tmp_path: Path) -> None:
    timed = register('TextMentionTermination("TERMINATE") | TimeoutTermination(timeout_seconds=120)')
    (part,) = parts_of(timed)
    assert part.turn_limit is None and part.turn_limit_unstated and part.turn_limit_default is None
    assert project_findings(tmp_path, timed, LOOPS) == []
    # & needs every operand: a timeout and a text the model may never say is no bound
    both = register('TextMentionTermination("TERMINATE") & TimeoutTermination(120)')
    (part,) = parts_of(both)
    assert not part.turn_limit_unstated and part.turn_limit is None


def test_no_termination_condition_is_an_endless_loop(tmp_path: Path) -> None:
    source = REGISTER.replace("    termination_condition={stop},\n", "")
    (part,) = parts_of({"t.py": source})
    assert part.terminals == () and part.terminates is False
    assert project_findings(tmp_path, {"t.py": source}, ["AL101"]) == [("AL101", "t.py", 13, 18)]
    with_turns = source.replace("participants=[agent1, agent2],", "participants=[agent1, agent2], max_turns=6,")
    assert project_findings(tmp_path / "turns", {"t.py": with_turns}, LOOPS) == []


SINGLE = """\
from autogen_agentchat.agents import AssistantAgent, UserProxyAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

model_client = OpenAIChatCompletionClient(
    model="gpt-4o",
    timeout=30,
    max_retries=3,
)
agent = AssistantAgent(
    name="assistant",
    model_client=model_client,
    handoffs=["flights_refunder", "user"],
    system_message="Use tools to solve tasks.",
)

team = RoundRobinGroupChat(participants=[agent], termination_condition=MaxMessageTermination(2))
"""


def test_single_agent_team_with_a_message_cap_and_client_limits(tmp_path: Path) -> None:
    (part,) = parts_of({"script.py": SINGLE})
    (agent,) = part.agents
    assert (agent.timeout_seconds, agent.max_attempts, agent.as_written("max_attempts")) == (30, 4, "max_retries=3")
    assert agent.prompt == "Use tools to solve tasks." and part.turn_limit == 2
    assert project_findings(tmp_path, {"script.py": SINGLE}, LOOPS + ["AL30"]) == []


OPERATOR = """\
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.conditions import TextMessageTermination

from agent.agent_me import OOMeAgent

agent_me = OOMeAgent()

termination_condition = TextMessageTermination(agent_me.name)

team = RoundRobinGroupChat(
        [agent_me],
        termination_condition=termination_condition,
    )
"""


def test_custom_agent_class_and_an_unknown_condition_give_no_finding(tmp_path: Path) -> None:
    (part,) = parts_of({"agents/agent_oogen/agent/team.py": OPERATOR})
    assert [a.name for a in part.agents] == ["agent_me"] and part.agents[0].settable == frozenset()
    assert part.turn_limit_unstated  # what TextMessageTermination bounds is not known: never "unbounded"
    assert project_findings(tmp_path, {"agents/agent_oogen/agent/team.py": OPERATOR}, ["AL1", "AL3"]) == []


PLANNER = """\
from autogen_agentchat.conditions import TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat

from agents.agents import planner_agent, local_agent, language_agent


termination = TextMentionTermination("TERMINATE")
group_chat = RoundRobinGroupChat(
    [planner_agent, local_agent, language_agent], termination_condition=termination
)
"""
AGENTS = """\
from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

model_client = OpenAIChatCompletionClient(model="gpt-4o-2024-08-06")
planner_agent = AssistantAgent("planner_agent", model_client=model_client, description="Plans the trip")
local_agent = AssistantAgent("local_agent", model_client=model_client, description="Suggests local activities")
language_agent = AssistantAgent("language_agent", model_client=model_client, description="Gives language tips")
"""


def test_participants_imported_from_another_module_are_linked(tmp_path: Path) -> None:
    files = {"app/main.py": PLANNER, "app/agents/agents.py": AGENTS}
    (graph,) = Project.build(parts_of(files)).graphs
    assert graph.name == "app/main.py:group_chat" and graph.entry == "planner_agent" and graph.complete
    assert sorted((e.source, e.target) for e in graph.edges) == [
        ("language_agent", "planner_agent"), ("local_agent", "language_agent"), ("planner_agent", "local_agent")
    ]
    assert project_findings(tmp_path, files, LOOPS) == [("AL102", "app/main.py", 9, 5), ("AL310", "app/agents/agents.py", 7, 33)]


SWARM = """\
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.base import Handoff
from autogen_agentchat.conditions import HandoffTermination, TextMentionTermination
from autogen_agentchat.teams import Swarm
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o-2024-08-06")
travel_agent = AssistantAgent("travel_agent", model_client=client, handoffs=["flights_refunder", "user"])
flights_refunder = AssistantAgent("flights_refunder", model_client=client, handoffs=[Handoff(target="travel_agent"), "user"])
termination = HandoffTermination(target="user") | TextMentionTermination("TERMINATE")
team = Swarm([travel_agent, flights_refunder], termination_condition=termination)
"""


def test_swarm_handoffs_and_handoff_termination(tmp_path: Path) -> None:
    (part,) = parts_of({"swarm.py": SWARM})
    assert sorted((e.source, e.target, e.span.start.line) for e in part.edges) == [
        ("flights_refunder", "flights_refunder", 11), ("flights_refunder", "travel_agent", 9),
        ("travel_agent", "flights_refunder", 8), ("travel_agent", "travel_agent", 11),
    ]
    # a handoff to the user ends the run, but the model decides it: nothing bounds the loop
    assert project_findings(tmp_path, {"swarm.py": SWARM}, ["AL102"]) == [("AL102", "swarm.py", 8, 78)]


FLOW = """\
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import DiGraphBuilder, GraphFlow
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o-2024-08-06")
writer = AssistantAgent("writer", model_client=client)
reviewer = AssistantAgent("reviewer", model_client=client)
summary = AssistantAgent("summary", model_client=client)

builder = DiGraphBuilder()
builder.add_node(writer).add_node(reviewer).add_node(summary)
builder.add_edge(writer, reviewer)
builder.add_edge(reviewer, writer, condition="REVISE")
builder.add_edge(reviewer, summary, condition="APPROVE")
builder.set_entry_point(writer)
graph = builder.build()
flow = GraphFlow(participants=builder.get_participants(), graph=graph, termination_condition=MaxMessageTermination(20))
"""


def test_graph_flow_from_a_builder(tmp_path: Path) -> None:
    (part,) = parts_of({"flow.py": FLOW})
    assert part.entry == "writer" and part.complete and part.turn_limit == 20
    assert [(e.source, e.target, e.condition, e.span.start.line) for e in part.edges] == [
        ("writer", "reviewer", None, 13),
        ("reviewer", "writer", "the message contains 'REVISE'", 14),
        ("reviewer", "summary", "the message contains 'APPROVE'", 15),
    ]
    unbounded = FLOW.replace(", termination_condition=MaxMessageTermination(20)", "")
    assert project_findings(tmp_path, {"flow.py": unbounded}, ["AL101", "AL102"]) == [("AL102", "flow.py", 13, 1)]


def test_selector_and_magentic_one() -> None:
    source = SWARM.replace("Swarm", "SelectorGroupChat").replace(
        "team = SelectorGroupChat([travel_agent, flights_refunder], termination_condition=termination)",
        "team = SelectorGroupChat([travel_agent, flights_refunder], model_client=client, termination_condition=termination)\n"
        "magentic = MagenticOneGroupChat([travel_agent, flights_refunder], model_client=client)",
    ).replace("import SelectorGroupChat", "import SelectorGroupChat, MagenticOneGroupChat")
    selector, magentic = parts_of({"teams.py": source})
    assert sorted((e.source, e.target) for e in selector.edges) == [("flights_refunder", "travel_agent"), ("travel_agent", "flights_refunder")]
    assert len(magentic.edges) == 4 and magentic.turn_limit_default == "autogen.magentic_max_turns"
    assert magentic.terminals == ("travel_agent", "flights_refunder")
    assert magentic.agents[0].model is None  # judged once, in the first team


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="RoundRobinGroupChat(Swarm[a, b]) | & MaxMessageTermination(0123) TextMentionTermination('x') add_edge\n\t()[]=,:'\"", max_size=200))
def test_any_module_text_never_crashes(body: str) -> None:
    text = (
        "from autogen_agentchat.teams import RoundRobinGroupChat, Swarm, DiGraphBuilder, GraphFlow\n"
        "from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination\n"
        "from autogen_agentchat.agents import AssistantAgent\n" + body
    )
    Project.build(autogen_code.adapt(load_python("team.py", text)).parts)


def test_agents_imported_into_two_teams_keep_the_teams_apart(tmp_path: Path) -> None:
    teams = PLANNER + 'pair = RoundRobinGroupChat([planner_agent, local_agent], termination_condition=MaxMessageTermination(6))\n'
    teams = teams.replace("import TextMentionTermination", "import MaxMessageTermination, TextMentionTermination")
    files = {"app/main.py": teams, "app/agents/agents.py": AGENTS}
    graphs = Project.build(parts_of(files)).graphs
    assert [(g.name, sorted(g.agents), g.complete) for g in graphs] == [
        ("app/main.py:group_chat", ["language_agent", "local_agent", "planner_agent"], True),
        ("app/main.py:pair", ["local_agent", "planner_agent"], True),
    ]
    # the model is judged once per agent, in the first team that has it
    assert [g.agents["planner_agent"].model for g in graphs] == ["gpt-4o-2024-08-06", None]
    swarm = "from autogen_agentchat.teams import Swarm\nfrom .agents import planner_agent, local_agent\nteam = Swarm([planner_agent, local_agent])\n"
    (part,) = parts_of({"app/swarm.py": swarm})
    assert not part.complete  # their handoffs are written in the other module


def test_system_message_is_judged_for_secrets_once(tmp_path: Path) -> None:
    key = "sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS4uV2wX8yZ1aB3"
    source = REGISTER.replace('agent1 = AssistantAgent(name="writer", model_client=client)',
                              f'agent1 = AssistantAgent(name="writer", model_client=client, system_message="Use {key} for the API.")')
    source = source.replace("server = Server()", "second = RoundRobinGroupChat([agent1], termination_condition=MaxMessageTermination(4))\nserver = Server()")
    files = {"example_register.py": source.replace("{stop}", "MaxMessageTermination(8)")}
    assert project_findings(tmp_path, files, ["AL408"]) == [("AL408", "example_register.py", 10, 81)]


def test_round_robin_through_a_person_is_bounded_by_that_person(tmp_path: Path) -> None:
    # the AgentChat human-in-the-loop tutorial: the user answers every round and can say APPROVE
    source = (
        "from autogen_agentchat.agents import AssistantAgent, UserProxyAgent\n"
        "from autogen_agentchat.conditions import TextMentionTermination\n"
        "from autogen_agentchat.teams import RoundRobinGroupChat, SelectorGroupChat\n\n"
        "assistant = AssistantAgent('assistant', model_client=client)\n"
        "user_proxy = UserProxyAgent('user_proxy', input_func=input)\n"
        "team = RoundRobinGroupChat([assistant, user_proxy], termination_condition=TextMentionTermination('APPROVE'))\n"
        "picked = SelectorGroupChat([assistant, user_proxy], model_client=client, termination_condition=TextMentionTermination('APPROVE'))\n"
    )
    team, picked = parts_of({"chat.py": source})
    assert team.turn_limit_unstated and not picked.turn_limit_unstated  # the selector may never pick the user
    assert project_findings(tmp_path, {"chat.py": source}, ["AL102"]) == [("AL102", "chat.py", 8, 28)]


def test_huge_and_odd_numbers_are_values_not_crashes(tmp_path: Path) -> None:
    for index, value in enumerate(("1e400", "9" * 400, "float('nan')", "10**400", "-1e400", "2.5", "True")):
        team = (
            "from autogen_agentchat.teams import RoundRobinGroupChat\n"
            "from autogen_agentchat.conditions import MaxMessageTermination as M, TimeoutTermination as T\n"
            "from autogen_agentchat.agents import AssistantAgent\nfrom autogen_ext.models.openai import OpenAIChatCompletionClient as C\n"
            f"a = AssistantAgent('a', model_client=C(model='m', timeout={value}, max_retries={value}), max_tool_iterations={value})\n"
            f"b = AssistantAgent('b', model_client=C(model='m'))\n"
            f"t = RoundRobinGroupChat([a, b], termination_condition=M({value}) | T({value}) & M(3), max_turns={value})\n"
        )
        loop = (
            "from google.adk.agents import LoopAgent, LlmAgent, RunConfig\nfrom google.adk.runners import Runner\nfrom google.genai import types\n"
            f"x = LlmAgent(name='x', generate_content_config=types.GenerateContentConfig(http_options=types.HttpOptions(timeout={value}, "
            f"retry_options=types.HttpRetryOptions(attempts={value}))))\n"
            f"l = LoopAgent(name='l', sub_agents=[x, LlmAgent(name='y')], max_iterations={value})\n"
            f"r = Runner(agent=l)\nc = RunConfig(max_llm_calls={value})\n"
        )
        project_findings(tmp_path / str(index), {"t.py": team, "a.py": loop})  # no internal error (asserted by the helper)


def test_termination_condition_passed_second_as_autogen_0_4_allowed(tmp_path: Path) -> None:
    source = REGISTER.replace("    participants=[agent1, agent2],\n    termination_condition={stop},\n", "    [agent1, agent2], MaxMessageTermination(10)\n")
    (part,) = parts_of({"t.py": source})
    assert part.turn_limit == 10 and part.terminates
    assert project_findings(tmp_path, {"t.py": source}, LOOPS) == []
