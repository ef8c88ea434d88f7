"""Agent runs inside Python ``while`` loops (adapters/agent_run_loops.py): a loop only the
model's output ends is an agent graph loop that unbounded-loop (AL102) reports at the
``while``; a counter, a time check, a stop flag, a human's input or an exception handler is a
bound (or an unknown one) and gives nothing. Shapes from public repositories: the OpenAI
Agents ``llm_as_a_judge.py`` example and its variants (an unused iteration counter, a bound
only in auto mode, a ``while not result or …`` condition, a Gradio generator), an interactive
chat loop, counted refinement loops."""

from __future__ import annotations

import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.agent_run_loops import ADAPTER
from agentlint.loaders.python import load_python
from agentlint.model.entities import Agent, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Pos, Span
from tests.helpers import project_findings, project_result

_AGENTS = """from agents import Agent, ItemHelpers, Runner, trace

generator = Agent(name="story_outline_generator", instructions="Write an outline.")
evaluator = Agent(name="evaluator", instructions="Judge it.", output_type=EvaluationFeedback)

"""  # 5 lines: a test's body starts on line 6

# openai/openai-agents-python examples/agent_patterns/llm_as_a_judge.py (main)
JUDGE = _AGENTS + """async def main() -> None:
    input_items = [{"content": "a story", "role": "user"}]
    with trace("LLM as a judge"):
        while True:
            story_outline_result = await Runner.run(
                generator,
                input_items,
            )
            input_items = story_outline_result.to_input_list()
            evaluator_result = await Runner.run(evaluator, input_items)
            result: EvaluationFeedback = evaluator_result.final_output
            if result.score == "pass":
                break
            input_items.append({"content": f"Feedback: {result.feedback}", "role": "user"})
"""


def parts(source: str, path: str = "app.py") -> list[GraphPart]:
    return ADAPTER.adapt(load_python(path, source)).parts


def al102(tmp_path: Path, source: str) -> list[tuple[str, str, int, int]]:
    return project_findings(tmp_path, {"app.py": source}, ("AL1", "AL3"))


def test_the_judge_loop_is_one_graph_with_exact_agents_and_edges() -> None:
    (part,) = parts(JUDGE)
    graph = "app.py:main:loop"
    base = NodeRef("app.py", ("run_loops", "main", 0))
    header = Span(Pos(9, 9), Pos(9, 19))
    assert part.name == graph and part.framework == "python" and part.span == header
    assert part.entry is None and part.terminals == ("generator", "evaluator")
    assert part.agents == (
        Agent(base.child("agents", "generator"), Span(Pos(10, 42), Pos(13, 14)), (), "generator", graph, "python", settable=frozenset()),
        Agent(base.child("agents", "evaluator"), Span(Pos(15, 38), Pos(15, 72)), (), "evaluator", graph, "python", settable=frozenset()),
    )
    first, back = part.edges
    assert first == Edge(base.child("edges", "generator->evaluator"), header, (), "generator", "evaluator", EdgeKind.SEQUENCE, graph)
    assert (back.source, back.target, back.span.start, back.max_traversals) == ("evaluator", "generator", Pos(18, 17), None)
    assert back.condition == "the model's output does not end it (its exits: line 18)"


def test_the_judge_loop_is_reported_once_at_the_while(tmp_path: Path) -> None:
    assert al102(tmp_path, JUDGE) == [("AL102", "app.py", 9, 9)]
    (finding,) = [f for f in project_result(tmp_path, {"app.py": JUDGE}).findings if f.code == "AL102"]
    assert "loop generator → evaluator → generator has no bound of its own" in finding.message
    assert "only the model's output ends this Python loop" in finding.message


def test_an_iteration_counter_that_no_exit_reads_is_no_bound(tmp_path: Path) -> None:
    # an Ollama variant of the example: it counts iterations only to print them
    source = JUDGE.replace("    with trace", "    iteration = 1\n    with trace").replace(
        '            input_items.append(', "            iteration += 1\n            input_items.append("
    )
    assert al102(tmp_path, source) == [("AL102", "app.py", 10, 9)]


def test_a_bound_that_holds_only_in_auto_mode_is_reported_and_named(tmp_path: Path) -> None:
    # the newer upstream example: max_rounds = 3 if auto_mode else None
    source = JUDGE.replace(
        "    with trace",
        "    auto_mode = is_auto_mode()\n    max_rounds = 3 if auto_mode else None\n    rounds = 0\n    with trace",
    ).replace(
        "                break\n",
        "                break\n            if auto_mode:\n                rounds += 1\n"
        "                if max_rounds is not None and rounds >= max_rounds:\n                    break\n",
    )
    assert al102(tmp_path, source) == [("AL102", "app.py", 12, 9)]
    (part,) = parts(source)
    assert part.edges[-1].condition == (
        "the model's output does not end it (its exits: line 21); any other exit needs `auto_mode` and `max_rounds is not None`"
    )


def test_a_while_condition_on_the_verdict(tmp_path: Path) -> None:
    source = _AGENTS + """async def main(input_items):
    result = None
    while not result or result.score == "needs_improvement":
        orchestrator_result = await Runner.run(generator, input_items)
        input_items = orchestrator_result.to_input_list()
        evaluator_result = await Runner.run(evaluator, input_items)
        result = evaluator_result.final_output
"""
    assert al102(tmp_path, source) == [("AL102", "app.py", 8, 5)]


def test_a_generator_loop_with_one_run_is_a_self_loop(tmp_path: Path) -> None:
    # a Gradio handler: the translation streams from a helper, the evaluator's score ends it
    source = _AGENTS + """async def async_inference(history, evaluator_agent=None):
    try:
        while True:
            async for history in stream_translation(history):
                yield history
            evaluator_result = await Runner.run(evaluator_agent, history)
            result = evaluator_result.final_output
            if result.score == "pass":
                yield history
                break
            elif result.score == "end":
                break
            elif result.score == "needs_improvement":
                history.append({"role": "user", "content": result.feedback})
    except Exception as e:
        yield history
"""
    assert al102(tmp_path, source) == [("AL102", "app.py", 8, 9)]
    (part,) = parts(source)
    assert [(e.source, e.target, e.span.start.line) for e in part.edges] == [("evaluator_agent", "evaluator_agent", 8)]


_BOUNDED = {
    "a chat loop reads a human": """async def main():
    messages = []
    while True:
        user_input = input("User: ")
        messages.append({"role": "user", "content": user_input})
        runner = await Runner.run(starting_agent=generator, input=messages)
        messages = runner.to_input_list()
""",
    "a counted while": """async def main(input_items):
    iteration = 0
    max_iterations = 3
    while iteration < max_iterations:
        iteration += 1
        result = (await Runner.run(evaluator, input_items)).final_output
        if result.score == "pass":
            break
""",
    "approval or attempts": """async def main(input_items):
    plan_approved, plan_attempts = False, 0
    while not plan_approved and plan_attempts < 3:
        plan_attempts += 1
        plan_evaluation = (await Runner.run(evaluator, input_items)).final_output
        if plan_evaluation.score == "pass":
            plan_approved = True
""",
    "a for loop over a range": """async def main(input_items):
    for attempt in range(2):
        result = (await Runner.run(evaluator, input_items)).final_output
        if result.score >= 8:
            break
""",
    "a stop button": """async def main(bridge, input_items):
    while True:
        result = (await Runner.run(evaluator, input_items)).final_output
        if bridge.stopped():
            break
        if result.score == "pass":
            break
""",
    "a verdict or a count": """async def main(input_items):
    rounds = 0
    while True:
        rounds += 1
        result = (await Runner.run(evaluator, input_items)).final_output
        if result.score == "pass" or rounds >= 5:
            break
""",
    "a deadline": """import time

async def main(input_items, budget):
    start = time.monotonic()
    while True:
        result = (await Runner.run(evaluator, input_items)).final_output
        if result.score == "pass":
            return result
        if time.monotonic() - start > budget:
            raise TimeoutError
""",
    "an exception handler exit": """async def main(input_items):
    while True:
        try:
            result = (await Runner.run(evaluator, input_items)).final_output
        except MaxTurnsExceeded:
            break
        if result.score == "pass":
            break
""",
    "a server loop with no exit": """async def serve(queue):
    while True:
        task = await queue.get()
        await Runner.run(evaluator, task)
""",
    "a global stop flag set elsewhere": """running = True

def stop(*_):
    global running
    running = False

async def main(input_items):
    while running:
        result = (await Runner.run(evaluator, input_items)).final_output
        if result.score == "pass":
            break
""",
    "no agent run": """def main(items):
    while True:
        item = items.pop()
        if item.score == "pass":
            break
""",
}


def test_bounded_or_unknown_loops_give_nothing(tmp_path: Path) -> None:
    for title, body in _BOUNDED.items():
        assert parts(_AGENTS + body) == [], title
    assert al102(tmp_path, _AGENTS + _BOUNDED["a verdict or a count"]) == []


def test_a_setting_the_module_states_false_is_no_exit(tmp_path: Path) -> None:
    source = "DEBUG = False\n" + JUDGE.replace("                break\n", "                break\n            if DEBUG:\n                break\n")
    assert al102(tmp_path, source) == [("AL102", "app.py", 10, 9)]
    stated_true = source.replace("DEBUG = False", "DEBUG = True")
    assert parts(stated_true) == []


def test_other_frameworks_runs(tmp_path: Path) -> None:
    pydantic_ai = """from pydantic_ai import Agent

critic = Agent("openai:gpt-4o", output_type=Verdict)


def refine(draft):
    while True:
        verdict = critic.run_sync(draft).output
        if verdict.approved:
            return draft
        draft = verdict.rewrite
"""
    assert al102(tmp_path, pydantic_ai) == [("AL102", "app.py", 7, 5)]
    smolagents = """from smolagents import CodeAgent, InferenceClientModel

agent = CodeAgent(tools=[], model=InferenceClientModel())
answer = ""
while "FINAL" not in answer:
    answer = agent.run("Continue the task")
"""
    (part,) = parts(smolagents)
    assert part.name == "app.py:<module>:loop" and [a.name for a in part.agents] == ["agent"]
    langgraph = """from langgraph.graph import StateGraph

graph = builder.compile()


def loop(state):
    while True:
        state = graph.invoke(state)
        if state["done"]:
            break
"""
    (part,) = parts(langgraph)
    assert [a.name for a in part.agents] == ["graph"]
    assert parts(langgraph.replace("from langgraph.graph import StateGraph", "")) == []  # compile() of what?


def test_two_loops_in_one_function_are_two_graphs() -> None:
    source = JUDGE + """        while True:
            again = (await Runner.run(evaluator, input_items)).final_output
            if again.ok:
                break
"""
    assert [p.name for p in parts(source)] == ["app.py:main:loop", "app.py:main:loop#2"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([JUDGE, _AGENTS + _BOUNDED["a verdict or a count"]]), st.integers(0, 2000), st.text(max_size=12))
def test_never_raises(source: str, cut: int, noise: str) -> None:
    text = source[:cut] + noise + source[cut:]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # noise may hold an invalid escape sequence
            compile(text, "app.py", "exec")
    except (SyntaxError, ValueError):
        return
    ADAPTER.adapt(load_python("app.py", text))


def test_adk_and_crewai_runs(tmp_path: Path) -> None:
    adk = """from google.adk.runners import InMemoryRunner
from google.genai import types

runner = InMemoryRunner(agent=root_agent, app_name="review")


async def review(session, message):
    text = ""
    while True:
        async for event in runner.run_async(user_id="u", session_id=session.id, new_message=message):
            if event.is_final_response():
                text = event.content.parts[0].text
                break
        if "APPROVED" in text:
            return text
        message = types.Content(role="user", parts=[types.Part(text="Revise it.")])
"""
    assert al102(tmp_path, adk) == [("AL102", "app.py", 9, 5)]
    (part,) = parts(adk)
    assert [a.name for a in part.agents] == ["root_agent"]  # the runner's agent, not the runner
    crewai = """from crewai import Crew

crew = Crew(agents=[writer, critic], tasks=[draft, review])
verdict = ""
while verdict != "ACCEPT":
    verdict = str(crew.kickoff(inputs={"topic": "agents"}))
"""
    (part,) = parts(crewai)
    assert [a.name for a in part.agents] == ["crew"] and part.edges[0].span.start.line == 5
    # a break inside the inner async for leaves that loop, not ours: alone it is no exit
    no_exit = adk.replace('        if "APPROVED" in text:\n            return text\n', "")
    assert parts(no_exit) == []
