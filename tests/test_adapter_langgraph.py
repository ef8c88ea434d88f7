"""LangGraph code: builders, routes, limits and prebuilt agents read into the neutral model,
and the topology rules' exact findings on small realistic graphs and on two real files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.langgraph_code import adapt, claims
from agentlint.loaders.python import load_python
from agentlint.model.entities import EdgeKind, GraphPart
from tests.conftest import REPO
from tests.helpers import project_findings

FIXTURES = REPO / "tests" / "fixtures" / "langgraph"


def parts(text: str, path: str = "graph.py") -> list[GraphPart]:
    return adapt(load_python(path, text)).parts


def topology(part: GraphPart) -> tuple[list[str], list[tuple[str, str, str, int]]]:
    return [a.name for a in part.agents], sorted((e.source, e.target, e.kind.value, e.span.start.line) for e in part.edges)


WRITER_CRITIC = """\
from typing import Literal

from langgraph.graph import END, START, StateGraph


def writer(state):
    return {"draft": "..."}


def critic(state) -> Literal["writer", "__end__"]:
    return "writer" if state.get("changes") else "__end__"


builder = StateGraph(dict)
builder.add_node("writer", writer)
builder.add_node("critic", critic)
builder.add_edge(START, "writer")
builder.add_edge("writer", "critic")
builder.add_conditional_edges("critic", critic)
graph = builder.compile()
"""


def test_claims_only_langgraph_modules() -> None:
    assert claims("g.py", "from langgraph.graph import StateGraph")
    assert claims("a.py", "from langchain.agents import create_agent")
    assert not claims("g.py", "import openai")
    assert not claims("g.yaml", "langgraph")


def test_builder_topology_entry_terminals_and_name() -> None:
    (part,) = parts(WRITER_CRITIC)
    assert part.name == "graph.py:graph"
    assert part.framework == "langgraph" and part.complete
    assert part.entry == "writer"
    assert part.terminals == ("critic",)
    assert topology(part) == (
        ["writer", "critic"],
        [("critic", "writer", "handoff", 19), ("writer", "critic", "sequence", 18)],
    )
    assert part.turn_limit is None and part.turn_limit_default == "langgraph.recursion_limit"
    writer = part.agents[0]
    assert writer.ref.pointer == ("graph", "graph", "nodes", "writer") and writer.span.start.line == 15
    assert writer.settable == frozenset() and writer.max_attempts is None


def test_loop_without_recursion_limit_is_reported_at_the_edge(tmp_path: Path) -> None:
    assert project_findings(tmp_path, {"graph.py": WRITER_CRITIC}, ["AL1"]) == [("AL103", "graph.py", 18, 1)]


def test_pinned_old_langgraph_quotes_its_default(tmp_path: Path) -> None:
    files = {"graph.py": WRITER_CRITIC, "pyproject.toml": '[project]\nname = "x"\ndependencies = ["langgraph==0.2.74"]\n'}
    assert project_findings(tmp_path, files, ["AL1"]) == [("AL111", "graph.py", 18, 1)]


@pytest.mark.parametrize(
    ("call", "line", "found"),
    [
        ('graph.invoke({}, {"recursion_limit": 50})', 22, []),
        ('graph.invoke({}, config={"recursion_limit": 500})', 22, [("AL103", "graph.py", 22, 26)]),
        ("graph.invoke({}, config=RunnableConfig(recursion_limit=500))", 22, [("AL103", "graph.py", 22, 40)]),
        ('graph.with_config(recursion_limit=500).invoke({})', 22, [("AL103", "graph.py", 22, 19)]),
        ('graph.with_config({"recursion_limit": 500}).stream({})', 22, [("AL103", "graph.py", 22, 20)]),
        ("graph.invoke({}, config={'recursion_limit': settings.limit})", 22, []),  # unknown is a bound
        ("graph.invoke({}, config=passed_in)", 22, []),
    ],
)
def test_recursion_limit_forms(tmp_path: Path, call: str, line: int, found: list) -> None:
    text = WRITER_CRITIC.replace(
        "from langgraph.graph", "from langchain_core.runnables import RunnableConfig\nfrom langgraph.graph"
    ) + f"{call}\n"
    assert text.splitlines()[line - 1] == call
    assert project_findings(tmp_path, {"graph.py": text}, ["AL1"]) == found


def test_config_bound_to_a_variable_in_a_function(tmp_path: Path) -> None:
    text = WRITER_CRITIC + 'def run(q):\n    config = {"configurable": {"thread_id": q}, "recursion_limit": 40}\n    return graph.invoke(q, config)\n'
    (part,) = parts(text)
    assert part.turn_limit == 40 and part.span_of("turn_limit").start.line == 22
    assert project_findings(tmp_path, {"graph.py": text}, ["AL1"]) == []


def test_unknown_limit_is_a_bound_of_unknown_size(tmp_path: Path) -> None:
    text = WRITER_CRITIC + "graph.invoke({}, config={'recursion_limit': cfg.limit})\n"
    (part,) = parts(text)
    assert part.turn_limit is None and part.turn_limit_unstated
    assert part.turn_limit_setting == "recursion_limit" and part.turn_limit_default is None
    # neither missing (AL102/AL111), nor too high (AL103), nor an unbounded budget (AL310)
    assert project_findings(tmp_path, {"graph.py": text}, ["AL102", "AL103", "AL111", "AL310", "AL311"]) == []


def test_command_routes_literal_annotation_send_and_destinations() -> None:
    text = """\
from typing import Literal
from langgraph.graph import START, StateGraph
from langgraph.types import Command, RetryPolicy, Send


def manager(state) -> Command[Literal["coder", "__end__"]]:
    return Command(goto=state["next"])


def coder(state):
    if state.get("fan"):
        return Command(goto=[Send("tester", state), "manager"])
    return {"code": "..."}


def tester(state):
    return {}


g = StateGraph(dict)
g.add_node(manager)
g.add_node("coder", coder, retry_policy=RetryPolicy(max_attempts=4))
g.add_node("tester", tester, destinations=("manager",), retry_policy=RetryPolicy())
g.add_edge(START, "manager")
app = g.compile()
"""
    (part,) = parts(text)
    assert part.name == "graph.py:app" and part.complete
    assert topology(part)[1] == [
        ("coder", "manager", "handoff", 12),
        ("coder", "tester", "handoff", 12),
        ("manager", "coder", "handoff", 6),
        ("tester", "manager", "handoff", 23),
    ]
    assert part.terminals == ("manager",)  # Command to END
    assert [(a.name, a.max_attempts) for a in part.agents] == [("manager", None), ("coder", 4), ("tester", 3)]


def test_manager_routing_only_by_command_is_neither_unreachable_nor_a_dead_end(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "abhay" / "agent.py", tmp_path / "agent.py")
    # the repair loop is bounded by its counter: should_continue routes to reflector only while
    # state.get("attempts", 0) < 4, and reflector returns attempts + 1 (4 passes from 0)
    assert project_findings(tmp_path, {}) == []
    (part,) = parts((FIXTURES / "abhay" / "agent.py").read_text(), "agent.py")
    assert part.name == "agent.py:app" and part.entry == "manager_cmd" and part.complete
    bounded = [(e.source, e.target, e.max_traversals, e.span_of("max_traversals").start) for e in part.edges if e.max_traversals]
    assert [(s, t, n, (at.line, at.column)) for s, t, n, at in bounded] == [("code_execute", "reflector", 4, (89, 10))]
    assert set(part.terminals) == {"manager_cmd", "summarizer"}


def test_high_explicit_recursion_limit_on_the_orchestrator(tmp_path: Path) -> None:
    target = tmp_path / "src" / "graphs"
    target.mkdir(parents=True)
    shutil.copy(FIXTURES / "alucek" / "src" / "graphs" / "orchestrator_graph.py", target / "orchestrator_graph.py")
    assert project_findings(tmp_path, {}) == [("AL103", "src/graphs/orchestrator_graph.py", 60, 52)]
    (part,) = parts((target / "orchestrator_graph.py").read_text(), "src/graphs/orchestrator_graph.py")
    assert part.name == "src/graphs/orchestrator_graph.py:orchestrator_graph" and part.turn_limit == 1000


def test_nodes_from_another_module_route_with_command(tmp_path: Path) -> None:
    files = {
        "src/app/__init__.py": "",
        "src/app/nodes.py": (
            "from typing import Literal\nfrom langgraph.types import Command\n\n\ndef writer(state):\n    return {}\n\n\n"
            'def critic(state) -> Command[Literal["writer", "__end__"]]:\n    return Command(goto="writer")\n'
        ),
        "src/app/graph.py": (
            "from langgraph.graph import START, StateGraph\nfrom app.nodes import writer\nfrom .nodes import critic as review\n\n"
            'b = StateGraph(dict)\nb.add_node(writer)\nb.add_node("critic", review)\nb.add_edge(START, "writer")\n'
            'b.add_edge("writer", "critic")\ngraph = b.compile()\n'
        ),
        "src/app/main.py": (
            "from langgraph.checkpoint.memory import MemorySaver\nfrom app.graph import graph\n\n\n"
            'def main():\n    return graph.invoke({}, config={"recursion_limit": 300})\n'
        ),
    }
    assert project_findings(tmp_path, files, ["AL1"]) == [("AL103", "src/app/main.py", 6, 37)]
    del files["src/app/main.py"]
    (tmp_path / "src/app/main.py").unlink()
    assert project_findings(tmp_path, files, ["AL1"]) == [("AL103", "src/app/graph.py", 9, 1)]


def test_router_from_another_module(tmp_path: Path) -> None:
    files = {
        "agent/edges.py": (
            "from langgraph.graph import END\n\n\ndef should_continue(state):\n"
            '    if state["messages"][-1].tool_calls:\n        return "tools"\n    return END\n'
        ),
        "agent/graph.py": (
            "from langgraph.graph import START, StateGraph\nfrom langgraph.prebuilt import ToolNode\n"
            "from .edges import should_continue\n\n\ndef call_model(state):\n    return {}\n\n\n"
            'b = StateGraph(dict)\nb.add_node("agent", call_model)\nb.add_node("tools", ToolNode([]))\n'
            'b.add_edge(START, "agent")\nb.add_conditional_edges("agent", should_continue)\nb.add_edge("tools", "agent")\n'
            "graph = b.compile()\n"
        ),
    }
    assert project_findings(tmp_path, files) == [("AL103", "agent/graph.py", 14, 1)]
    (tmp_path / "agent/edges.py").write_text("def should_continue(state):\n    return state['next']\n")
    assert project_findings(tmp_path, {}) == []  # unknown targets: incomplete, and nothing guessed


@pytest.mark.parametrize(
    "body",
    [
        'for name in NAMES:\n    b.add_edge("a", name)\n',  # a list it cannot evaluate
        "wire(b)\n",  # the builder handed to a helper
        'b.add_edge("a", **extra)\n',
        'b.add_node("c", pick_one)\n',  # a node routing with a Command it cannot read
    ],
)
def test_what_cannot_be_read_makes_the_graph_incomplete_not_wrong(tmp_path: Path, body: str) -> None:
    text = (
        "from langgraph.graph import START, StateGraph\nfrom langgraph.types import Command\nfrom helpers import NAMES, wire\n\n\n"
        "def a(s):\n    return {}\n\n\ndef pick_one(s):\n    return Command(goto=s['next'])\n\n\n"
        'b = StateGraph(dict)\nb.add_node("a", a)\nb.add_node("lonely", a)\nb.add_edge(START, "a")\n' + body
    )
    (part,) = parts(text)
    assert not part.complete
    assert project_findings(tmp_path, {"graph.py": text}, ["AL1"]) == []


def test_command_routing_closure_made_by_a_factory_is_unknown(tmp_path: Path) -> None:
    """The supervisor tutorial: make_supervisor_node returns a closure that routes with
    Command; its workers are reached only that way, so they must not be called unreachable."""
    text = (
        "from typing import Literal\nfrom functools import partial\nfrom langgraph.graph import END, START, StateGraph\n"
        "from langgraph.types import Command\n\n\ndef make_supervisor_node(llm, members):\n"
        "    def supervisor_node(state) -> Command[Literal[*members, '__end__']]:\n"
        "        return Command(goto=llm.invoke(state)['next'])\n\n    return supervisor_node\n\n\n"
        "def agent_node(state, name):\n    return Command(goto='supervisor')\n\n\n"
        "b = StateGraph(dict)\nb.add_node('supervisor', make_supervisor_node(llm, ['search']))\n"
        "b.add_node('search', partial(agent_node, name='search'))\nb.add_edge(START, 'supervisor')\ngraph = b.compile()\n"
    )
    (part,) = parts(text)
    assert not part.complete
    assert [(e.source, e.target) for e in part.edges] == [("search", "supervisor")]  # partial(agent_node) is read
    assert project_findings(tmp_path, {"graph.py": text}, ["AL1"]) == []


def test_edges_in_a_loop_over_a_static_list_are_unrolled(tmp_path: Path) -> None:
    text = (
        "from langgraph.graph import START, END, StateGraph\n\n\ndef a(s):\n    return {}\n\n\n"
        'b = StateGraph(dict)\nfor name in ["x", "y", "z"]:\n    b.add_node(name, a)\n    b.add_edge(START, name)\n'
        '    b.add_edge(name, END)\nb.add_node("orphan", a)\n'
    )
    (part,) = parts(text)
    assert part.complete and part.entry == "__start__"
    assert [a.name for a in part.agents] == ["x", "y", "z", "orphan", "__start__"]
    assert project_findings(tmp_path, {"graph.py": text}, ["AL1"]) == [("AL104", "graph.py", 13, 1)]


def test_undefined_node_and_missing_entry(tmp_path: Path) -> None:
    text = (
        "from langgraph.graph import StateGraph\n\n\ndef a(s):\n    return {}\n\n\n"
        'b = StateGraph(dict)\nb.add_node("a", a)\nb.add_node("b", a)\nb.add_edge("a", "b")\nb.add_edge("b", "c")\n'
    )
    assert project_findings(tmp_path, {"graph.py": text}, ["AL1"]) == [("AL106", "graph.py", 12, 1), ("AL109", "graph.py", 8, 5)]


def test_inline_suppression_on_a_langgraph_edge(tmp_path: Path) -> None:
    text = WRITER_CRITIC.replace(
        'builder.add_edge("writer", "critic")',
        '# agentlint: ignore[AL103] the critic approves within three rounds (state counter)\nbuilder.add_edge("writer", "critic")',
    )
    assert project_findings(tmp_path, {"graph.py": text}) == []


def test_prebuilt_react_agent_loops_between_agent_and_tools(tmp_path: Path) -> None:
    text = (
        "from langgraph.prebuilt import create_react_agent\n\n"
        'agent = create_react_agent("openai:gpt-4.1", tools=[search])\n'
    )
    (part,) = parts(text, "agent.py")
    assert part.name == "agent.py:agent" and part.entry == "agent" and part.terminals == ("agent",)
    assert topology(part) == (["agent", "tools"], [("agent", "tools", "handoff", 3), ("tools", "agent", "sequence", 3)])
    assert part.agents[0].model == "openai:gpt-4.1"
    assert project_findings(tmp_path, {"agent.py": text}, ["AL1"]) == [("AL103", "agent.py", 3, 9)]


def test_create_agent_with_a_model_call_limit_is_bounded(tmp_path: Path) -> None:
    text = (
        "from langchain.agents import create_agent\nfrom langchain.agents.middleware import ModelCallLimitMiddleware\n\n"
        'agent = create_agent("openai:gpt-4.1", tools=[search], middleware=[ModelCallLimitMiddleware(run_limit=20)])\n'
    )
    (part,) = parts(text, "agent.py")
    assert [a.name for a in part.agents] == ["model", "tools"]
    assert part.turn_limit == 20 and part.turn_limit_setting == "run_limit"
    assert project_findings(tmp_path, {"agent.py": text}, ["AL1"]) == []


def test_supervisor_hands_off_to_named_members() -> None:
    text = (
        "from langgraph.prebuilt import create_react_agent\nfrom langgraph_supervisor import create_supervisor\n\n"
        'math = create_react_agent(model, [add], name="math_expert")\n'
        'research = create_react_agent(model, [search], name="research_expert")\n'
        "workflow = create_supervisor([math, research], model=model)\napp = workflow.compile()\n"
    )
    supervisor = next(p for p in parts(text, "team.py") if p.entry == "supervisor")
    assert supervisor.name == "team.py:app" and supervisor.complete
    assert sorted((e.source, e.target) for e in supervisor.edges) == [
        ("math_expert", "supervisor"),
        ("research_expert", "supervisor"),
        ("supervisor", "math_expert"),
        ("supervisor", "research_expert"),
    ]
    assert {e.kind for e in supervisor.edges} == {EdgeKind.HANDOFF, EdgeKind.SEQUENCE}


def test_swarm_handoffs_and_members_bounded_by_the_swarm_run(tmp_path: Path) -> None:
    text = (
        "from langgraph.prebuilt import create_react_agent\nfrom langgraph_swarm import create_handoff_tool, create_swarm\n\n"
        'alice = create_react_agent(model, [add, create_handoff_tool(agent_name="Bob")], name="Alice")\n'
        'bob = create_react_agent(model, tools=[create_handoff_tool(agent_name="Alice")], name="Bob")\n'
        'app = create_swarm([alice, bob], default_active_agent="Alice").compile()\n'
        'app.invoke({}, {"recursion_limit": 20})\n'
    )
    swarm = next(p for p in parts(text, "swarm.py") if p.name == "swarm.py:app")
    assert swarm.entry == "Alice" and swarm.terminals == ("Alice", "Bob") and swarm.complete
    assert sorted((e.source, e.target) for e in swarm.edges) == [("Alice", "Bob"), ("Bob", "Alice")]
    assert {p.name: p.turn_limit for p in parts(text, "swarm.py")} == {"swarm.py:alice": 20, "swarm.py:bob": 20, "swarm.py:app": 20}
    assert project_findings(tmp_path, {"swarm.py": text}, ["AL1"]) == []


def test_an_agent_without_tools_has_no_loop() -> None:
    (part,) = parts("from langgraph.prebuilt import create_react_agent\n\nsolo = create_react_agent(model, [])\n")
    assert topology(part) == (["agent"], [])


def test_builder_inside_a_function_named_by_the_module_variable() -> None:
    text = (
        "from langgraph.graph import StateGraph, END\n\n\ndef build():\n    def step(s):\n        return {}\n\n"
        '    g = StateGraph(dict)\n    g.add_node("step", step)\n    g.set_entry_point("step")\n    g.set_finish_point("step")\n'
        "    return g.compile()\n\n\ngraph = build()\n"
    )
    (part,) = parts(text)
    assert part.name == "graph.py:graph" and part.entry == "step" and part.terminals == ("step",)


def test_example_project_graph_draws_the_cycle_marked(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from agentlint.cli import main

    monkeypatch.chdir(REPO / "examples")
    main(["graph", "--format", "mermaid", "langgraph-research"])
    out = capsys.readouterr().out
    # named relative to the project (the folder of its pyproject.toml), not the working directory
    assert "%% agentlint graph src/research/graph.py:graph" in out
    node = "src_research_graph_py_graph__"
    assert f'{node}writer -->|"sequence; AL103"| {node}critic' in out
    assert f"""{node}critic -->|"when Command(goto='writer')"| {node}writer""" in out
    assert "stroke:#d62728" in out  # the unbounded loop's edges are drawn red


SOURCE = WRITER_CRITIC + (FIXTURES / "abhay" / "agent.py").read_text(encoding="utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_sources_never_crash(data: st.DataObject) -> None:
    lines = SOURCE.splitlines()
    for _ in range(data.draw(st.integers(0, 6))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "swap", "indent", "cut", "noise"]))
        if action == "drop":
            del lines[index]
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        elif action == "indent":
            lines[index] = "    " + lines[index]
        elif action == "cut":
            lines[index] = lines[index][: data.draw(st.integers(0, max(0, len(lines[index]))))]
        else:
            lines[index] += data.draw(st.sampled_from([", **kw", "(", ")", " * 3", ".compile()", "[0]", " or END"]))
        if not lines:
            lines = ["pass"]
    loaded = load_python("graph.py", "\n".join(lines))
    adapt(loaded)  # a syntax error leaves no module: silence, never a traceback


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    'b.add_node("{a}", f)', 'b.add_edge("{a}", "{b}")', 'b.add_edge(START, "{a}")', 'b.add_edge("{a}", END)',
    'b.add_conditional_edges("{a}", f, ["{a}", "{b}"])', 'b.add_conditional_edges("{a}", f, {{"k": "{b}", "d": END}})',
    'b.set_entry_point("{b}")', 'b.add_sequence(["{a}", "{b}"])', 'b.add_node("{a}", f, **kw)', 'for n in xs: b.add_edge(n, "{a}")',
    "g = b.compile().with_config(recursion_limit={n})", 'g.invoke({{}}, {{"recursion_limit": {n}}})',
]), max_size=12), st.lists(st.sampled_from("abcde"), min_size=24, max_size=24), st.integers(-5, 20000))
def test_random_builders_never_crash(statements: list[str], names: list[str], limit: int) -> None:
    body = [s.format(a=names[2 * i], b=names[2 * i + 1], n=limit) for i, s in enumerate(statements)]
    text = "from langgraph.graph import StateGraph, START, END\n\n\ndef f(s):\n    return 'a'\n\n\nb = StateGraph(dict)\n" + "\n".join(body) + "\n"
    for part in adapt(load_python("graph.py", text)).parts:
        assert part.framework == "langgraph"
        assert all(edge.source and edge.target for edge in part.edges)


VARIANTS = '''from langgraph.graph import END, StateGraph


def build_async():
    async def edit(state):
        return state

    async def publish(state):
        return state

    builder = StateGraph(dict)
    builder.add_node("edit", edit)
    builder.add_node("publish", publish)
    builder.set_entry_point("edit")
    builder.add_edge("edit", "publish")
    builder.add_edge("publish", END)
    return builder


def build_sync():
    builder = StateGraph(dict)

    @builder.add_node
    def edit(state):
        return state

    def publish(state):
        return state

    builder.add_node(publish)
    builder.set_entry_point("edit")
    builder.add_edge("edit", "publish")
    builder.add_edge("publish", END)
    return builder
'''


def test_graphs_of_two_functions_with_one_variable_name_stay_apart(tmp_path: Path) -> None:
    """A sync and an async variant (langgraph's bench/fanout_to_subgraph.py, test after test in its
    suite) each build `builder`: two graphs named by their function, not one graph with every node
    twice (689 false AL108 on langgraph's own repository); `@builder.add_node` adds a node."""
    found = parts(VARIANTS)
    assert [(p.name, [a.name for a in p.agents]) for p in found] == [
        ("graph.py:build_async.builder", ["edit", "publish"]),
        ("graph.py:build_sync.builder", ["edit", "publish"]),
    ]
    assert project_findings(tmp_path, {"graph.py": VARIANTS}, families=("AL1",)) == []
