"""LangGraph loops bounded by a state counter (adapters/_code/langgraph_guards.py): the route
into the loop is taken only while a counter the loop increments is below a limit. Shapes are
transcribed from real files (rkuma18/LangChain 5_state_dive/1_basic_state.py,
hereandnowai/ai-agent-mastery 03-langgraph-tiny-projects/05_cycle.py, the ABHAY4545 agent.py
fixture, a retry loop that resets its counter as in yonatangross/orchestkit's routing rule,
Mitchu727/iusGPT's message-count router); names are changed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.langgraph_code import adapt
from agentlint.loaders.python import load_python
from agentlint.model.entities import GraphPart
from tests.helpers import project_findings


def part_of(text: str, path: str = "graph.py") -> GraphPart:
    (part,) = adapt(load_python(path, text)).parts
    return part


def bounds(part: GraphPart) -> list[tuple[str, str, int | None, tuple[int, int] | None]]:
    """(source, target, max_traversals, where the bound is read) for each edge."""
    out = []
    for edge in sorted(part.edges, key=lambda e: (e.source, e.target)):
        at = edge.span_of("max_traversals").start if edge.max_traversals is not None else None
        out.append((edge.source, edge.target, edge.max_traversals, (at.line, at.column) if at else None))
    return out


# rkuma18/LangChain: a path map, the guard in the if branch, the start in the input dict
TALLY = """\
from typing import TypedDict
from langgraph.graph import END, StateGraph


class Tally(TypedDict):
    count: int


def bump(state: Tally) -> Tally:
    return {"count": state["count"] + 1}


def keep_going(state):
    if (state["count"] < 5):
        return "more"
    else:
        return "done"


workflow = StateGraph(Tally)
workflow.add_node("bump", bump)
workflow.set_entry_point("bump")
workflow.add_conditional_edges("bump", keep_going, {"more": "bump", "done": END})
app = workflow.compile()
initial = {"count": 0}
print(app.invoke(initial))
"""

# hereandnowai: a lambda node, an `a if test else b` router, the start in invoke's input
CYCLE = """\
from langgraph.graph import StateGraph, START, END
def again(s): return "step" if s["n"] < 3 else END
g = StateGraph(dict)
g.add_node("step", lambda s: {"n": s["n"] + 1})
g.add_edge(START, "step")
g.add_conditional_edges("step", again)
print(g.compile().invoke({"n": 0}))
"""

# a node that routes itself with Command, its counter compared with a module constant
COMMAND = """\
from typing import Literal, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.types import Command

MAX_ROUNDS = 3


class Draft(TypedDict):
    text: str
    rounds: int


def writer(state: Draft) -> Command[Literal["critic", "__end__"]]:
    text = llm.invoke(state["text"]).content
    if state.get("rounds", 0) < MAX_ROUNDS and "TODO" in text:
        return Command(goto="critic", update={"text": text, "rounds": state.get("rounds", 0) + 1})
    return Command(goto=END, update={"text": text})


def critic(state: Draft):
    return {"text": llm.invoke("Critique: " + state["text"]).content}


builder = StateGraph(Draft)
builder.add_node("writer", writer)
builder.add_node("critic", critic)
builder.add_edge(START, "writer")
builder.add_edge("critic", "writer")
graph = builder.compile()
"""

# the limit checked first, the route into the loop after it; a pydantic state with a default
EARLY_EXIT = """\
from pydantic import BaseModel
from langgraph.graph import StateGraph, START, END
from langgraph.prebuilt import ToolNode

MAX_STEPS = 6


class Research(BaseModel):
    question: str
    steps: int = 0


def agent(state: Research):
    return {"steps": state.steps + 1, "question": state.question}


def route(state: Research):
    if state.steps >= MAX_STEPS:
        return END
    return "tools"


builder = StateGraph(Research)
builder.add_node("agent", agent)
builder.add_node("tools", ToolNode([search]))
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", route, ["tools", END])
builder.add_edge("tools", "agent")
graph = builder.compile()
"""


def test_abhay_repair_loop_is_bounded_by_attempts(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "fixtures" / "langgraph" / "abhay" / "agent.py").read_text()
    part = part_of(text, "agent.py")
    assert part.complete
    assert [b for b in bounds(part) if b[2] is not None] == [("code_execute", "reflector", 4, (89, 10))]


def test_path_map_guard_in_the_if_branch(tmp_path: Path) -> None:
    part = part_of(TALLY)
    assert part.complete and bounds(part) == [("bump", "bump", 5, (14, 9))]
    assert project_findings(tmp_path, {"graph.py": TALLY}, families=("AL1",)) == []


def test_lambda_node_and_conditional_expression_router(tmp_path: Path) -> None:
    part = part_of(CYCLE)
    assert part.complete and bounds(part) == [("step", "step", 3, (2, 32))]
    assert project_findings(tmp_path, {"graph.py": CYCLE}, families=("AL1",)) == []


def test_command_node_guarded_by_a_module_constant(tmp_path: Path) -> None:
    part = part_of(COMMAND)
    assert part.complete
    assert bounds(part) == [("critic", "writer", None, None), ("writer", "critic", 3, (15, 8))]
    assert project_findings(tmp_path, {"graph.py": COMMAND}, families=("AL1",)) == []


def test_limit_checked_before_the_route_with_a_state_class_default(tmp_path: Path) -> None:
    part = part_of(EARLY_EXIT)
    assert part.complete
    assert bounds(part) == [("agent", "tools", 6, (18, 8)), ("tools", "agent", None, None)]
    assert project_findings(tmp_path, {"graph.py": EARLY_EXIT}, families=("AL1",)) == []


def test_a_bound_of_ten_or_less_is_within_the_maximum_and_twenty_is_not(tmp_path: Path) -> None:
    text = TALLY.replace('state["count"] < 5', 'state["count"] <= 20')
    assert bounds(part_of(text)) == [("bump", "bump", 21, (14, 9))]
    assert project_findings(tmp_path, {"graph.py": text}, families=("AL1",)) == [("AL103", "graph.py", 14, 9)]


# -- unknown: no loop finding, the part incomplete, the route not drawn -----------------------

UNKNOWN = {
    # the limit comes from another module
    "imported limit": EARLY_EXIT.replace("MAX_STEPS = 6\n", "").replace(
        "from langgraph.prebuilt import ToolNode\n", "from langgraph.prebuilt import ToolNode\nfrom settings import MAX_STEPS\n"
    ),
    # the loop resets its counter on success (orchestkit's retry rule): no count up
    "reset in the loop": TALLY.replace(
        '    return {"count": state["count"] + 1}', '    if state.get("ok"):\n        return {"count": 0}\n    return {"count": state["count"] + 1}'
    ),
    # nothing states where the counter starts
    "unknown start": TALLY.replace("initial = {\"count\": 0}\nprint(app.invoke(initial))\n", "def run(seed):\n    return app.invoke(seed)\n"),
    # a count of messages (iusGPT): another threshold, not a counter the loop increments
    "message count": TALLY.replace('if (state["count"] < 5):', 'if len(state["messages"]) < 6:'),
    # a node of the loop whose code is in another module may write the counter
    "node elsewhere": EARLY_EXIT.replace('builder.add_node("tools", ToolNode([search]))', 'builder.add_node("tools", run_tools)').replace(
        "from langgraph.prebuilt import ToolNode\n", "from tools import run_tools\n"
    ),
    # the limit is read from the state itself (a debate router's state["max_iteration"])
    "limit in the state": TALLY.replace('state["count"] < 5', 'state["count"] < state["max_count"]'),
    # a node made by a factory of the module (its closure may write the counter)
    "node from a factory": EARLY_EXIT.replace('builder.add_node("agent", agent)', 'builder.add_node("agent", make_agent(llm))').replace(
        "def route(state", "def make_agent(llm):\n    return agent\n\n\ndef route(state"
    ),
    # a threshold on a value the loop computes from itself (it may grow like a count)
    "self-computed score": TALLY.replace('    return {"count": state["count"] + 1}', '    return {"score": state["score"] + 0.1}')
    .replace('if (state["count"] < 5):', 'if state["score"] < 0.8:'),
    # a count the loop takes of something that grows (len of its history)
    "counted length": TALLY.replace('    return {"count": state["count"] + 1}', '    return {"steps": len(state["history"])}')
    .replace('if (state["count"] < 5):', 'if state["steps"] < 5:'),
    # a person decides (a counter next to them, ``s["n"] < 3 and interrupt(…)``, still bounds it)
    "human": CYCLE.replace('def again(s): return "step" if s["n"] < 3 else END', 'def again(s): return "step" if interrupt("more?") else END')
    .replace("from langgraph.graph import StateGraph, START, END", "from langgraph.graph import StateGraph, START, END\nfrom langgraph.types import interrupt"),
}


def test_unclear_guards_are_unknown_never_missing(tmp_path: Path) -> None:
    for index, (case, text) in enumerate(UNKNOWN.items()):
        part = part_of(text)
        assert not part.complete, case
        assert all(b[2] is None for b in bounds(part)), case
        assert project_findings(tmp_path / str(index), {"graph.py": text}, families=("AL10",)) == [], case


# -- no guard: the loop is judged as before ----------------------------------------------------

def test_a_router_reading_only_the_verdict_is_no_bound(tmp_path: Path) -> None:
    text = TALLY.replace('if (state["count"] < 5):', 'if state.get("verdict") != "approved":')
    part = part_of(text)
    assert part.complete and bounds(part) == [("bump", "bump", None, None)]
    assert project_findings(tmp_path, {"graph.py": text}, families=("AL1",)) == [("AL103", "graph.py", 23, 53)]


def test_a_threshold_on_the_models_score_is_no_bound(tmp_path: Path) -> None:
    """Self-refine until the grader's score reaches 0.8: only the model ends the loop (as a verdict
    compared with == does); with the default recursion_limit of 25 that is AL111's, here AL103's."""
    text = TALLY.replace('    return {"count": state["count"] + 1}', '    return {"score": grader.invoke(state).score}').replace(
        'if (state["count"] < 5):', 'if state["score"] < 0.8:'
    ).replace("print(app.invoke(initial))", 'print(app.invoke(initial, {"recursion_limit": 500}))')
    part = part_of(text)
    assert part.complete and bounds(part) == [("bump", "bump", None, None)]
    assert project_findings(tmp_path, {"graph.py": text}, families=("AL1",)) == [("AL103", "graph.py", 26, 28)]


def test_one_guarded_route_does_not_bound_an_unguarded_one(tmp_path: Path) -> None:
    text = TALLY.replace('    else:\n        return "done"', '    elif state.get("retry"):\n        return "more"\n    return "done"')
    part = part_of(text)
    assert part.complete and bounds(part) == [("bump", "bump", None, None)]
    assert project_findings(tmp_path, {"graph.py": text}, families=("AL1",)) == [("AL103", "graph.py", 24, 53)]


def test_a_route_the_code_does_not_name_may_continue_the_loop(tmp_path: Path) -> None:
    text = TALLY.replace('    else:\n        return "done"', '    return state["next"]')
    part = part_of(text)
    assert part.complete and bounds(part) == [("bump", "bump", None, None)]
    assert project_findings(tmp_path, {"graph.py": text}, families=("AL1",)) == [("AL103", "graph.py", 22, 53)]
    # a Command node's plain update is no route: the guarded Command still bounds the loop
    update = COMMAND.replace('    return Command(goto=END, update={"text": text})', '    if not text:\n        return {"text": ""}\n    return Command(goto=END, update={"text": text})')
    assert [b for b in bounds(part_of(update)) if b[2]] == [("writer", "critic", 3, (15, 8))]


def test_a_counter_the_loop_does_not_increment_is_unknown(tmp_path: Path) -> None:
    text = TALLY.replace('    return {"count": state["count"] + 1}', '    return {"other": 1}')
    part = part_of(text)
    assert not part.complete and bounds(part) == []


def test_in_place_increment_and_a_person_next_to_the_counter(tmp_path: Path) -> None:
    text = CYCLE.replace('lambda s: {"n": s["n"] + 1}', "step").replace(
        "g = StateGraph(dict)", 'def step(state):\n    state["n"] += 1\n    return state\ng = StateGraph(dict)'
    ).replace('s["n"] < 3 else END', 's["n"] < 3 and interrupt("more?") else END').replace(
        "START, END\n", "START, END\nfrom langgraph.types import interrupt\n"
    )
    part = part_of(text)
    assert part.complete and bounds(part) == [("step", "step", 3, (3, 32))]
    assert project_findings(tmp_path, {"graph.py": text}, families=("AL1",)) == []


# a counter summed by its reducer (a code-fixing orchestrator's retry_count): {"retry_count": 1} adds 1
SUMMED = """\
import operator
from typing import Annotated, Optional, TypedDict
from langgraph.graph import StateGraph, START, END

MAX_RETRIES = 3


class Build(TypedDict):
    code: Optional[str]
    errors: Optional[str]
    retry_count: Annotated[int, operator.add]


def generate(state: Build):
    return {"code": llm.invoke(state.get("errors") or "write it").content}


def check(state: Build):
    errors = lint(state["code"])
    return {"errors": errors, "retry_count": 1 if errors else 0}


def after_check(state: Build):
    if state["errors"] and state["retry_count"] < MAX_RETRIES:
        return "generate"
    return END


builder = StateGraph(Build)
builder.add_node("generate", generate)
builder.add_node("check", check)
builder.add_edge(START, "generate")
builder.add_edge("generate", "check")
builder.add_conditional_edges("check", after_check)
graph = builder.compile()
"""


def test_a_counter_summed_by_its_reducer(tmp_path: Path) -> None:
    part = part_of(SUMMED)
    assert not part.complete  # `1 if errors else 0` is no static step: unknown
    text = SUMMED.replace('"retry_count": 1 if errors else 0}', '"retry_count": 1}')
    part = part_of(text)
    assert part.complete and bounds(part) == [("check", "generate", 3, (24, 28)), ("generate", "check", None, None)]
    assert project_findings(tmp_path, {"graph.py": text}, families=("AL1",)) == []
    # without the reducer the same update sets the counter to 1 each pass: unknown
    plain = text.replace("retry_count: Annotated[int, operator.add]", "retry_count: int")
    assert not part_of(plain).complete


def test_a_way_back_past_the_guard_that_does_not_count_is_unknown(tmp_path: Path) -> None:
    # agent -> tools -> agent counts nothing; only agent -> review -> agent does (review counts)
    text = EARLY_EXIT.replace('    return {"steps": state.steps + 1, "question": state.question}', '    return {"question": state.question}').replace(
        'builder.add_edge("tools", "agent")',
        'builder.add_edge("tools", "agent")\nbuilder.add_node("review", review)\nbuilder.add_edge("review", "agent")',
    ).replace('    return "tools"', '    if state.question:\n        return "tools"\n    return "review"').replace(
        "def route(", "def review(state: Research):\n    return {\"steps\": state.steps + 1}\n\n\ndef route("
    ).replace('["tools", END]', '["tools", "review", END]')
    part = part_of(text)
    assert not part.complete and ("agent", "tools") not in [(e.source, e.target) for e in part.edges]
    assert project_findings(tmp_path, {"graph.py": text}, families=("AL10",)) == []
    # when the tools route counts too, both routes are bounded
    counted = text.replace('    return {"question": state.question}', '    return {"question": state.question, "steps": state.steps + 1}')
    assert [b for b in bounds(part_of(counted)) if b[2]] == [("agent", "review", 6, (22, 8)), ("agent", "tools", 6, (22, 8))]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([TALLY, CYCLE, COMMAND, EARLY_EXIT, SUMMED]), st.lists(st.integers(0, 40), max_size=4), st.sampled_from(["", "    ", "<", ">=", "+ 1", "0", "END"]))
def test_mangled_guards_never_raise(text: str, dropped: list[int], junk: str) -> None:
    """Lines dropped or text inserted: the adapter reads what it can, never raises."""
    lines = text.splitlines()
    for index in dropped:
        if index < len(lines):
            lines[index] = lines[index] + junk if junk.strip() else junk
    try:
        compile("\n".join(lines), "graph.py", "exec")
    except SyntaxError:
        return
    adapt(load_python("graph.py", "\n".join(lines)))
