"""AutoGen AgentChat component JSON -> graph parts: exact agents, edges and spans per team type,
termination and turn caps, and what the whole engine reports (a team with neither a
termination condition nor max_turns loops forever; a cap or a message limit bounds it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentlint import api
from agentlint.adapters.autogen import adapt, claims
from agentlint.config import CliOverrides
from agentlint.loaders.json import load_json
from agentlint.model.entities import Agent, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Pos, Span
from tests.helpers import materialize_corpus, project_findings

PATH = "teams/writers.json"


def span_of(text: str, needle: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``needle`` (1-based lines and columns)."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Span(Pos(line, column), Pos(line, column + len(needle)))


def value_span(text: str, key: str, nth: int = 0) -> Span:
    """The span of the scalar written after the ``nth`` ``"key": ``."""
    head = span_of(text, f'"{key}": ', nth)
    line = text.splitlines()[head.start.line - 1]
    start = head.end.column - 1
    end = start
    while end < len(line) and line[end] not in ",}]":
        end += 1
    return Span(head.end, Pos(head.end.line, end + 1))


def parts(text: str, path: str = PATH) -> list[GraphPart]:
    loaded = load_json(path, text)
    assert loaded.problems == []
    adapted = adapt(loaded)
    assert adapted.problems == []
    return adapted.parts


def findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int, int]]:
    return project_findings(tmp_path, files)


def agent(name: str, description: str = "", **config: object) -> dict:
    body: dict = {"name": name, **config}
    if description:
        body["description"] = description
    return {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent", "config": body}


def team(kind: str, participants: list[dict], **config: object) -> str:
    component = {
        "provider": f"autogen_agentchat.teams.{kind}",
        "component_type": "team",
        "label": "Writers",
        "config": {"participants": participants, **config},
    }
    return json.dumps(component, indent=2) + "\n"


TEXT_MENTION = {"provider": "autogen_agentchat.conditions.TextMentionTermination", "config": {"text": "DONE"}}


def max_messages(n: int) -> dict:
    return {"provider": "autogen_agentchat.conditions.MaxMessageTermination", "config": {"max_messages": n}}


def either(*conditions: dict) -> dict:
    return {"provider": "autogen_agentchat.base.OrTerminationCondition", "config": {"conditions": list(conditions)}}


def both(*conditions: dict) -> dict:
    return {"provider": "autogen_agentchat.base.AndTerminationCondition", "config": {"conditions": list(conditions)}}


CLIENT = {
    "provider": "autogen_ext.models.openai.OpenAIChatCompletionClient",
    "component_type": "model",
    "config": {"model": "gpt-4o", "timeout": 30, "max_retries": 2},
}


def test_round_robin_team_agents_edges_and_spans() -> None:
    text = team(
        "RoundRobinGroupChat",
        [
            agent("writer", "writes drafts", model_client=CLIENT, system_message="Write.", max_tool_iterations=3),
            agent("critic", "reviews drafts"),
        ],
        termination_condition=either(TEXT_MENTION, max_messages(12)),
    )
    (part,) = parts(text)
    writer, critic = part.agents
    assert writer == Agent(
        ref=NodeRef(PATH, ("config", "participants", 0)),
        span=span_of(text, '"writer"'),
        fields=(
            ("role", span_of(text, '"writes drafts"')),
            ("description", span_of(text, '"writes drafts"')),
            ("model", span_of(text, '"gpt-4o"')),
            ("prompt", span_of(text, '"Write."')),
            ("max_iterations", value_span(text, "max_tool_iterations")),
            ("timeout_seconds", value_span(text, "timeout")),
            ("max_attempts", value_span(text, "max_retries")),
        ),
        name="writer",
        graph=PATH,
        framework="autogen",
        role="writes drafts",
        model="gpt-4o",
        prompt="Write.",
        timeout_seconds=30.0,
        max_attempts=3,
        max_iterations=3,
        description="writes drafts",
        settable=frozenset({"role", "description", "model", "prompt", "tools", "max_iterations", "timeout_seconds", "max_attempts"}),
        written=(("max_attempts", "max_retries: 2"),),
    )
    # no model client timeout or retries: the provider SDK's defaults apply, nothing to report
    assert (critic.timeout_seconds, critic.max_attempts, critic.settable) == (
        None,
        None,
        frozenset({"role", "description", "model", "prompt", "tools", "max_iterations"}),
    )
    participants = span_of(text, '"participants"')
    assert [(e.source, e.target, e.kind, e.condition, e.span) for e in part.edges] == [
        ("writer", "critic", EdgeKind.SEQUENCE, None, participants),
        ("critic", "writer", EdgeKind.SEQUENCE, None, participants),
    ]
    assert (part.name, part.entry, part.terminals, part.span) == (PATH, "writer", ("writer", "critic"), span_of(text, '"Writers"'))
    assert (part.turn_limit, part.turn_limit_default, part.terminates, part.framework) == (12, "autogen.max_turns", True, "autogen")
    assert dict(part.fields) == {
        "participants": participants,
        "termination_condition": span_of(text, '"termination_condition"'),
        "turn_limit": value_span(text, "max_messages"),
    }


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        # neither a termination condition nor max_turns: the team never stops
        ({}, [("AL101", 6)]),
        ({"max_turns": None, "termination_condition": None}, [("AL101", 6)]),
        # max_turns ends the run normally after that many turns
        ({"max_turns": 6}, []),
        # a text mention alone is the model's decision: a loop without a bound of its own
        ({"termination_condition": TEXT_MENTION}, [("AL102", 6), ("AL310", 19)]),
        # a message limit anywhere under Or bounds the run like max_turns
        ({"termination_condition": either(TEXT_MENTION, max_messages(10))}, []),
        ({"termination_condition": max_messages(10)}, []),
        # And needs every condition: a text mention that never comes keeps it going
        ({"termination_condition": both(TEXT_MENTION, max_messages(10))}, [("AL102", 6), ("AL310", 19)]),
    ],
)
def test_round_robin_termination_as_the_engine_sees_it(tmp_path: Path, config: dict, expected: list) -> None:
    text = team("RoundRobinGroupChat", [agent("writer", "writes"), agent("critic", "reviews")], **config)
    found = findings(tmp_path, {"team.json": text})
    assert [(code, line) for code, _, line, _ in found] == expected
    if expected and expected[0][0] in ("AL101", "AL102"):
        assert found[0][2:] == span_of(text, '"participants"').start  # the team's turn order


def test_endless_team_message_names_the_loop(tmp_path: Path) -> None:
    (tmp_path / "team.json").write_text(team("RoundRobinGroupChat", [agent("writer", "w"), agent("critic", "c")]), encoding="utf-8")
    settings = api.settings_for(["."], CliOverrides(select=("AL101",)), isolated=True, root=tmp_path)
    (finding,) = api.check(["."], settings, root=tmp_path).findings
    assert finding.message == (
        "agents critic → writer → critic loop with no exit edge and no terminal agent: a request that enters it never ends"
    )


def test_selector_any_to_any_and_repeated_speaker() -> None:
    text = team(
        "SelectorGroupChat",
        [agent("planner", "plans"), agent("coder", "codes"), agent("tester", "tests")],
        termination_condition=TEXT_MENTION,
        allow_repeated_speaker=False,
    )
    (part,) = parts(text)
    assert sorted((e.source, e.target) for e in part.edges) == sorted(
        (a, b) for a in ("planner", "coder", "tester") for b in ("planner", "coder", "tester") if a != b
    )
    assert {(e.kind, e.condition) for e in part.edges} == {(EdgeKind.HANDOFF, "the selector model picks it")}
    assert (part.entry, part.terminals, part.turn_limit) == ("planner", ("planner", "coder", "tester"), None)
    repeated = team("SelectorGroupChat", [agent("a", "x"), agent("b", "y")], allow_repeated_speaker=True, max_turns=4)
    (part,) = parts(repeated)
    assert sorted((e.source, e.target) for e in part.edges) == [("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")]
    assert part.turn_limit == 4


def test_swarm_handoffs_exits_and_undefined_targets(tmp_path: Path) -> None:
    text = team(
        "Swarm",
        [
            agent("travel", "plans trips", handoffs=["flights", {"target": "user", "name": "ask_user", "description": "ask"}]),
            agent("flights", "books flights", handoffs=["travel", "hotels"]),
        ],
        termination_condition={"provider": "autogen_agentchat.conditions.HandoffTermination", "config": {"target": "user"}},
    )
    (part,) = parts(text)
    participants = span_of(text, '"participants"')
    assert [(e.source, e.target, e.kind, e.condition, e.span) for e in part.edges] == [
        ("travel", "travel", EdgeKind.SEQUENCE, "no handoff", participants),
        ("travel", "flights", EdgeKind.HANDOFF, "transfer_to_flights", span_of(text, '"flights"')),
        ("flights", "flights", EdgeKind.SEQUENCE, "no handoff", participants),
        ("flights", "travel", EdgeKind.HANDOFF, "transfer_to_travel", span_of(text, '"travel"', 1)),
        ("flights", "hotels", EdgeKind.HANDOFF, "transfer_to_hotels", span_of(text, '"hotels"')),
    ]
    # the hand-off to "user" ends the run (HandoffTermination): no edge, no reference
    assert [(r.name, r.span) for r in part.references] == [
        ("flights", span_of(text, '"flights"')),
        ("travel", span_of(text, '"travel"', 1)),
        ("hotels", span_of(text, '"hotels"')),
    ]
    found = findings(tmp_path, {"swarm.json": text})
    hotels = span_of(text, '"hotels"').start
    assert ("AL106", "swarm.json", hotels.line, hotels.column) in found
    assert {code for code, *_ in found} == {"AL106", "AL102", "AL310"}


def test_magentic_one_default_turns_and_explicit_null() -> None:
    (part,) = parts(team("MagenticOneGroupChat", [agent("web", "browses"), agent("coder", "codes")]))
    assert (part.turn_limit, part.turn_limit_default, part.terminates) == (None, "autogen.magentic_max_turns", False)
    assert part.terminals == ("web", "coder")  # the orchestrator can finish after any turn
    (part,) = parts(team("MagenticOneGroupChat", [agent("web", "browses")], max_turns=None))
    assert (part.turn_limit, part.turn_limit_default) == (None, None)
    assert [(e.source, e.target) for e in part.edges] == [("web", "web")]


def test_magentic_one_loop_quotes_the_default(tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text(team("MagenticOneGroupChat", [agent("web", "b"), agent("coder", "c")]), encoding="utf-8")
    settings = api.settings_for(["."], CliOverrides(select=("AL102", "AL103", "AL111")), isolated=True, root=tmp_path)
    (finding,) = api.check(["."], settings, root=tmp_path).findings
    assert (finding.code, finding.severity.value) == ("AL111", "info")
    assert "bounded only by the framework default: max_turns defaults to 20 turns (autogen-agentchat" in finding.message


def test_graph_flow_declared_edges_and_conditions(tmp_path: Path) -> None:
    graph = {
        "nodes": {
            "writer": {"name": "writer", "edges": [{"target": "reviewer", "condition": None}]},
            "reviewer": {
                "name": "reviewer",
                "edges": [{"target": "writer", "condition": "REVISE"}, {"target": "publisher", "condition": "APPROVE"}],
            },
            "publisher": {"name": "publisher", "edges": []},
        },
        "default_start_node": "writer",
    }
    text = team(
        "GraphFlow",
        [agent("writer", "writes"), agent("reviewer", "reviews"), agent("publisher", "publishes")],
        graph=graph,
    )
    (part,) = parts(text)

    def entry(target: str) -> Pos:  # the edge's object, opened on the line above its target
        at = span_of(text, f'"target": "{target}"').start
        return Pos(at.line - 1, at.column - 2)

    assert [(e.source, e.target, e.condition, e.span.start) for e in part.edges] == [
        ("writer", "reviewer", None, entry("reviewer")),
        ("reviewer", "writer", "the message contains 'REVISE'", entry("writer")),
        ("reviewer", "publisher", "the message contains 'APPROVE'", entry("publisher")),
    ]
    assert (part.entry, part.terminals) == ("writer", ())  # leaves end a GraphFlow: publisher
    # the reviewer's loop can be left (APPROVE) but nothing bounds it
    assert [code for code, *_ in findings(tmp_path, {"flow.json": text})] == ["AL102", "AL310"]


def test_gallery_teams_nested_teams_and_names() -> None:
    inner = json.loads(team("RoundRobinGroupChat", [agent("writer", "w"), agent("editor", "e")], termination_condition=TEXT_MENTION))
    society = {
        "provider": "autogen_agentchat.agents.SocietyOfMindAgent",
        "component_type": "agent",
        "config": {"name": "society", "description": "an inner team", "team": inner},
    }
    gallery = {
        "id": "gallery",
        "components": {
            "agents": [agent("standalone", "a palette entry, not a deployed team")],
            "teams": [json.loads(team("RoundRobinGroupChat", [society, agent("translator", "t")], max_turns=2))],
        },
    }
    text = json.dumps(gallery, indent=1) + "\n"
    outer, nested = parts(text, "gallery.json")
    assert (outer.name, [a.name for a in outer.agents]) == ("gallery.json#/components/teams/0", ["society", "translator"])
    assert outer.agents[0].settable == frozenset({"role", "description", "model", "prompt", "tools"})
    assert (nested.name, [a.name for a in nested.agents], nested.terminates) == (
        "gallery.json#/components/teams/0/config/participants/0/config/team",
        ["writer", "editor"],
        True,
    )


def test_shape_problems_are_located() -> None:
    text = team("RoundRobinGroupChat", [agent("writer", "w"), {"provider": "autogen_agentchat.agents.AssistantAgent", "config": {}}])
    adapted = adapt(load_json(PATH, text))
    second = span_of(text, '"provider": "autogen_agentchat.agents.AssistantAgent"', 1).start
    assert [(p.code, p.message, p.location.span.start) for p in adapted.problems] == [
        ("AL002", "an AutoGen agent component needs 'config.name'", Pos(second.line - 1, second.column - 2))
    ]
    assert [a.name for a in adapted.parts[0].agents] == ["writer"]


def test_claims() -> None:
    assert claims("team.json", '{"provider": "autogen_agentchat.teams.RoundRobinGroupChat"}')
    assert claims("team.yaml", "provider: autogen_agentchat.teams.Swarm\n")
    assert not claims("x.json", '{"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient"}')
    assert not claims("mcp.json", '{"mcpServers": {"x": {"command": "npx"}}}')


# -- the real corpus -------------------------------------------------------------------------


def corpus_findings(category: str, tmp_path: Path) -> list[tuple[str, str, int]]:
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    materialize_corpus(tmp_path, category)
    settings = api.settings_for([category], CliOverrides(select=("ALL",)), isolated=True, root=tmp_path)
    result = api.check([category], settings, root=tmp_path)
    assert not result.internal_error
    assert not [f for f in result.findings if f.code.startswith("AL9")]
    # prompt-family findings (model aliases …) are pinned by the corpus golden, not here
    return [(f.code, f.path.removeprefix(category + "/"), f.line) for f in result.findings if not f.code.startswith("AL4")]


GALLERY = "microsoft/autogen/python/packages/autogen-studio/frontend/src/components/views/gallery/default_gallery.json"


def test_corpus_autogen(tmp_path: Path) -> None:
    """The gallery's four teams all stop at a MaxMessageTermination (10, 10, 20, 30 messages);
    team.json's outer team at max_turns 2, its inner one at 10 messages: no loop finding,
    and their budgets (turn cap × the dearest participant, one agent per turn) stay under the
    default maxima."""
    assert corpus_findings("autogen-component", tmp_path) == []
