"""Microsoft Agent Framework declarative YAML (Prompt agents, Workflows) and the Semantic Kernel
agent spec -> graph parts: exact agents, edges and spans; GotoAction loops, counter guards,
maxTurns; PowerFx and ${...} values never read as literals; what the engine reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint import api
from agentlint.adapters.maf import adapt, claims
from agentlint.config import CliOverrides
from agentlint.loaders.yaml import load_yaml
from agentlint.model.entities import Agent, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Pos, Span
from tests.helpers import assert_read


def span_of(text: str, needle: str, nth: int = 0) -> Span:
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Span(Pos(line, column), Pos(line, column + len(needle)))


def adapted(text: str, path: str):
    loaded = load_yaml(path, text)
    assert loaded.problems == []
    return adapt(loaded)


def parts(text: str, path: str = "agents/workflow.yaml") -> list[GraphPart]:
    out = adapted(text, path)
    assert out.problems == []
    return out.parts


def findings(tmp_path: Path, name: str, text: str, select: tuple[str, ...] = ("ALL",)) -> list[tuple[str, int, int, str]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    settings = api.settings_for(["."], CliOverrides(select=select), isolated=True, root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert not result.internal_error
    if not result.findings:  # "no findings" only after the file was read
        assert_read(result, [name])
    return [(f.code, f.line, f.column, f.message) for f in result.findings]


PROMPT = """\
kind: Prompt
name: Assistant
description: Helpful assistant
instructions: You answer in JSON.
model:
    id: =Env.AZURE_OPENAI_DEPLOYMENT_NAME
    provider: AzureOpenAI
tools:
  - kind: mcp
    name: microsoft_learn
    url: https://learn.microsoft.com/api/mcp
  - kind: code_interpreter
"""


def test_prompt_agent_is_a_single_agent_graph() -> None:
    path = "agents/assistant.yaml"
    (part,) = parts(PROMPT, path)
    (agent,) = part.agents
    assert agent == Agent(
        ref=NodeRef(path, ()),
        span=span_of(PROMPT, "Assistant"),
        fields=(
            ("role", span_of(PROMPT, "Helpful assistant")),
            ("description", span_of(PROMPT, "Helpful assistant")),
            ("prompt", span_of(PROMPT, "You answer in JSON.")),
            ("tools", span_of(PROMPT, "tools")),
        ),
        name="Assistant",
        graph=path,
        framework="maf",
        role="Helpful assistant",
        model=None,  # =Env.… is a PowerFx formula resolved at run time, not a model name
        prompt="You answer in JSON.",
        tools=("microsoft_learn", "code_interpreter"),
        description="Helpful assistant",
        settable=frozenset({"role", "description", "model", "prompt", "tools"}),
    )
    assert (part.name, part.entry, part.edges, part.framework) == (path, "Assistant", (), "maf")


def test_literal_model_and_no_limits_to_report(tmp_path: Path) -> None:
    text = PROMPT.replace("=Env.AZURE_OPENAI_DEPLOYMENT_NAME", "gpt-4o-mini")
    (part,) = parts(text)
    assert (part.agents[0].model, dict(part.agents[0].fields)["model"]) == ("gpt-4o-mini", span_of(text, "gpt-4o-mini"))
    # no timeout, retry or iteration field exists in the format: nothing to report on limits;
    # the literal model is an alias, which the prompt rules report (AL409)
    assert [f for f in findings(tmp_path, "agent.yaml", text) if f[0] != "AL409"] == []


SK_SPEC = """\
type: foundry_agent
name: FunctionCallingAgent
description: Answers questions about the menu.
instructions: Use the provided functions.
model:
  id: ${AzureAI:ChatModelId}
tools:
  - id: MenuPlugin.get_specials
    type: function
  - id: MenuPlugin.get_item_price
    type: function
"""


def test_semantic_kernel_spec() -> None:
    (part,) = parts(SK_SPEC, "spec.yaml")
    (agent,) = part.agents
    assert (agent.name, agent.span, agent.framework, agent.model, agent.tools, agent.role) == (
        "FunctionCallingAgent",
        span_of(SK_SPEC, "FunctionCallingAgent"),
        "semantic-kernel",
        None,
        ("MenuPlugin.get_specials", "MenuPlugin.get_item_price"),
        "Answers questions about the menu.",
    )


MATH_CHAT = """\
kind: Workflow
trigger:
  kind: OnConversationStart
  id: workflow_demo
  actions:
    - kind: InvokeAzureAgent
      id: question_student
      agent:
        name: StudentAgent
    - kind: InvokeAzureAgent
      id: question_teacher
      agent:
        name: TeacherAgent
    - kind: SetVariable
      id: set_count_increment
      variable: Local.TurnCount
      value: =Local.TurnCount + 1
    - kind: ConditionGroup
      id: check_completion
      conditions:
        - condition: =!IsBlank(Find("CONGRATULATIONS", Upper(MessageText(Local.TeacherResponse))))
          id: check_turn_done
          actions:
            - kind: SendActivity
              id: sendActivity_done
              activity: GOLD STAR!
        - condition: =Local.TurnCount < 4
          id: check_turn_count
          actions:
            - kind: GotoAction
              id: goto_student_agent
              actionId: question_student
      elseActions:
        - kind: SendActivity
          id: sendActivity_tired
          activity: Let's try again later...
"""


def test_workflow_agents_edges_and_counter_bound() -> None:
    path = "agents/workflow.yaml"
    (part,) = parts(MATH_CHAT, path)
    student, teacher = part.agents
    assert student == Agent(
        ref=NodeRef(path, ("trigger", "actions", 0)),
        span=span_of(MATH_CHAT, "question_student"),
        fields=(("description", span_of(MATH_CHAT, "StudentAgent")),),
        name="question_student",
        graph=path,
        framework="maf",
        description="StudentAgent",
        settable=frozenset({"description"}),
    )
    assert teacher.name == "question_teacher"
    forward, back = part.edges
    assert (forward.source, forward.target, forward.kind, forward.condition, forward.max_traversals, forward.span) == (
        "question_student",
        "question_teacher",
        EdgeKind.SEQUENCE,
        None,
        None,
        span_of(MATH_CHAT, "question_teacher"),
    )
    # the goto back is guarded by a counter the loop increments: at most 3 jumps (1, 2, 3 < 4)
    assert (back.source, back.target, back.condition, back.max_traversals) == (
        "question_teacher",
        "question_student",
        "=Local.TurnCount < 4",
        3,
    )
    assert back.span == span_of(MATH_CHAT, "question_student", 1)  # the goto's actionId
    assert back.ref == NodeRef(path, ("trigger", "actions", 3, "conditions", 1, "actions", 0, "actionId"))
    assert dict(back.fields) == {"max_traversals": span_of(MATH_CHAT, "=Local.TurnCount < 4")}
    assert (part.entry, part.terminals, part.turn_limit, part.turn_limit_default) == (
        "question_student",
        ("question_teacher",),
        None,
        "maf.max_iterations",
    )


def test_counter_bound_only_when_the_loop_always_counts() -> None:
    def bound(text: str) -> int | None:
        (part,) = parts(text)
        return [e.max_traversals for e in part.edges if e.target == "question_student"][0]

    assert bound(MATH_CHAT.replace("< 4", "<= 4")) == 4
    # a start value written before the loop counts
    start = "    - kind: SetVariable\n      id: init\n      variable: Local.TurnCount\n      value: 2\n"
    assert bound(MATH_CHAT.replace("  actions:\n    - kind: InvokeAzureAgent\n", "  actions:\n" + start + "    - kind: InvokeAzureAgent\n", 1)) == 1
    # a reset inside the loop, a decrement, another counter, a formula limit: no bound
    reset = "    - kind: SetVariable\n      id: reset\n      variable: Local.TurnCount\n      value: 0\n"
    assert bound(MATH_CHAT.replace("    - kind: ConditionGroup\n", reset + "    - kind: ConditionGroup\n")) is None
    assert bound(MATH_CHAT.replace("=Local.TurnCount + 1", "=Local.TurnCount - 1")) is None
    assert bound(MATH_CHAT.replace("=Local.TurnCount < 4", "=Local.Other < 4")) is None
    assert bound(MATH_CHAT.replace("=Local.TurnCount < 4", "=Local.TurnCount < Env.MAX")) is None


def test_math_chat_through_the_engine(tmp_path: Path) -> None:
    found = findings(tmp_path, "wf.yaml", MATH_CHAT)
    # the invoked agents are defined elsewhere (no role or limit to write here), and the loop
    # is bounded: nothing to report
    assert [(code, line) for code, line, *_ in found] == []


def test_unguarded_goto_loop_quotes_the_default(tmp_path: Path) -> None:
    text = MATH_CHAT.replace("=Local.TurnCount < 4", "=Local.Mood = \"curious\"")
    found = findings(tmp_path, "wf.yaml", text, ("AL101", "AL102", "AL103", "AL111"))
    assert found == [
        (
            "AL111",
            11,
            11,
            "loop question_student → question_teacher → question_student is bounded only by the framework default: "
            "maxTurns defaults to 100 supersteps (agent-framework-core, newest known version; pin it to be sure); "
            "set maxTurns to make the bound explicit",
        )
    ]
    assert findings(tmp_path, "wf.yaml", "maxTurns: 20\n" + text, ("AL101", "AL102", "AL103", "AL111")) == []
    assert findings(tmp_path, "wf.yaml", "maxTurns: 500\n" + text, ("AL101", "AL102", "AL103", "AL111")) == [
        (
            "AL103",
            1,
            11,
            "maxTurns of 500 is the only bound of loop question_student → question_teacher → question_student, "
            "above the maximum of 100: lower maxTurns to at most 100",
        )
    ]
    (part,) = parts("maxTurns: 20\n" + text)
    assert (part.turn_limit, part.turn_limit_default, dict(part.fields)) == (20, None, {"turn_limit": span_of("maxTurns: 20\n", "20")})
    # a formula is resolved at run time: neither a number nor the default
    (part,) = parts("maxTurns: =Env.MAX_TURNS\n" + text)
    assert (part.turn_limit, part.turn_limit_default, part.turn_limit_unstated) == (None, None, True)
    # ... and a bound all the same: the loop is neither unbounded nor too high
    assert findings(tmp_path, "wf.yaml", "maxTurns: =Env.MAX_TURNS\n" + text, ("AL101", "AL102", "AL103", "AL111")) == []


def test_loop_without_exit_is_endless(tmp_path: Path) -> None:
    text = """\
kind: Workflow
trigger:
  kind: OnConversationStart
  id: chat
  actions:
    - kind: InvokeAzureAgent
      id: ask
      agent: {name: Asker}
    - kind: InvokeAzureAgent
      id: answer
      agent: {name: Answerer}
    - kind: GotoAction
      id: again
      actionId: ask
"""
    found = findings(tmp_path, "wf.yaml", text, ("AL101",))
    assert [(code, line, column) for code, line, column, _ in found] == [("AL101", 10, 11)]


def test_branches_foreach_end_and_several_first_agents() -> None:
    text = """\
kind: Workflow
trigger:
  kind: OnConversationStart
  id: router
  actions:
    - kind: If
      id: pick
      condition: =Local.Lang = "fr"
      then:
        - kind: InvokeAzureAgent
          id: french
          agent: {name: French}
      else:
        - kind: InvokeAzureAgent
          id: english
          agent: {name: English}
        - kind: EndConversation
          id: done
    - kind: Foreach
      id: each
      source: =Local.Items
      actions:
        - kind: InvokeAzureAgent
          id: summarize
          agentName: Summarizer
    - kind: InvokeAzureAgent
      id: wrap_up
      agent: {name: Closer}
"""
    (part,) = parts(text)
    assert [a.name for a in part.agents] == ["router", "french", "english", "summarize", "wrap_up"]
    assert part.agents[0].span == span_of(text, "router")  # the trigger stands for the entry
    assert part.entry == "router"
    assert sorted((e.source, e.target, e.condition) for e in part.edges) == [
        ("french", "summarize", "for each item"),
        ("french", "wrap_up", "no more items"),
        ("router", "english", 'not (=Local.Lang = "fr")'),
        ("router", "french", '=Local.Lang = "fr"'),
        ("summarize", "wrap_up", None),  # after the last item; the per-item repetition is data-bounded
    ]
    assert set(part.terminals) == {"english", "wrap_up"}


def test_dangling_goto_is_a_shape_problem() -> None:
    text = MATH_CHAT.replace("actionId: question_student", "actionId: question_nobody")
    out = adapted(text, "wf.yaml")
    assert [(p.code, p.message, p.location.span) for p in out.problems] == [
        ("AL002", "GotoAction jumps to 'question_nobody', which is no action id of this workflow", span_of(text, "question_nobody"))
    ]


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        (PROMPT, True),
        (MATH_CHAT, True),
        (SK_SPEC, True),
        ("kind: Agent\nname: x\ninstructions: hi\n", True),
        ("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: {}\n", False),
        ("apiVersion: kagent.dev/v1alpha1\nkind: Agent\nspec: {instructions: hi}\n", False),
        ("kind: Workflow\nsteps: []\n", False),
        ("type: chat_completion_agent\n", False),
        ("name: ci\non: push\n", False),
    ],
)
def test_claims(text: str, claimed: bool) -> None:
    assert claims("x.yaml", text) is claimed


def test_corpus_maf_and_semantic_kernel(tmp_path: Path) -> None:
    """Prompt agents and the SK spec: nothing to report (no limit fields exist, roles are
    written). MathChat's student/teacher loop is bounded by its TurnCount guard (3 jumps). The
    workflow steps invoke agents defined elsewhere, which have no role field here (AL107 skips
    them)."""
    from tests.test_adapter_autogen import corpus_findings

    assert corpus_findings("maf-sk-declarative", tmp_path) == []


def test_a_guard_around_the_whole_loop_is_checked_once() -> None:
    text = """\
kind: Workflow
trigger:
  kind: OnConversationStart
  id: chat
  actions:
    - kind: If
      id: gate
      condition: =Local.Turns < 3
      then:
        - kind: InvokeAzureAgent
          id: ask
          agent: {name: Asker}
        - kind: SetVariable
          id: count
          variable: Local.Turns
          value: =Local.Turns + 1
        - kind: ConditionGroup
          id: more
          conditions:
            - condition: =Local.Mood = "curious"
              actions:
                - kind: GotoAction
                  id: again
                  actionId: ask
"""
    (part,) = parts(text)
    (loop,) = part.edges
    assert (loop.source, loop.target, loop.max_traversals) == ("ask", "ask", None)
    # the same guard inside the loop bounds it
    inside = text.replace('=Local.Mood = "curious"', "=Local.Turns < 3")
    (part,) = parts(inside)
    assert part.edges[0].max_traversals == 2
