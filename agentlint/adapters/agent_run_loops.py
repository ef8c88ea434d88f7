"""Agent runs inside Python ``while`` loops -> one agent graph per loop the model alone ends.

The generator/evaluator pattern written in plain Python (openai-agents-python
``examples/agent_patterns/llm_as_a_judge.py``)::

    while True:
        outline = await Runner.run(generator, items)
        verdict = (await Runner.run(evaluator, items)).final_output
        if verdict.score == "pass":
            break

is a loop through two agents whose only exit is the evaluator's verdict. Each run keeps its
own ``max_turns``; nothing bounds how often the loop runs them. Such a loop becomes a
GraphPart named ``<path>:<function>:loop`` (``#2`` … for further loops of the function), so
the topology rules judge it like any other agent loop (AL102 reports it):

* its agents are the agents the loop runs, in the order of their first run (OpenAI Agents
  ``Runner.run/run_sync/run_streamed``, ADK runners, PydanticAI and smolagents agents, CrewAI
  ``kickoff``, LangGraph ``invoke``: ``_code/run_loops.py``), named as the code names them
  (an ADK runner by its ``agent=``);
  they are steps of the loop (``settable`` empty): their own settings belong to the graphs
  their frameworks' adapters build;
* a ``SEQUENCE`` edge joins consecutive runs (the first located at the ``while`` statement,
  the others at the run they lead to), and a conditional edge from the last run back to the
  first, located at the model's first exit, is the loop's repetition (one run: a self-loop at
  the ``while``);
* every agent is a terminal: the loop may end after any of them.

Only loops whose exits are all the model's are drawn (a counter, a time check, a stop flag, a
human's ``input()``, an exception handler: a bound or an unknown one, so nothing is drawn). An
exit that holds only under a setting the module does not state (``if auto_mode: … break``) is
no bound for the runs where the setting is off: the loop is drawn and its edge says so.
Refs are ``("run_loops", <function or "<module>">, <ordinal>)``: stable when lines move.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.run_loops import Verdict, judge
from agentlint.adapters._code.scope import FunctionScope, ModuleFacts, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.entities import Agent, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Span

FRAMEWORK = "python"
_MARKERS = ("Runner", "run(", "run_sync(", "run_async(", "kickoff", "invoke(")


def _claims(path: str, text: str) -> bool:
    return path.endswith(".py") and "while" in text and any(marker in text for marker in _MARKERS)


def _adapt(loaded: LoadedFile) -> Adapted:
    out = Adapted()
    facts = facts_of(loaded)
    if facts is None:
        return out
    ordinals: dict[str, int] = {}
    for loop, function in _loops(facts.module.tree):
        scope = facts.scope_of(function) if function is not None else None
        verdict = judge(facts, loop, scope)
        if verdict is None:
            continue
        owner = function.name if function is not None else "<module>"
        index = ordinals.get(owner, 0)
        ordinals[owner] = index + 1
        out.parts.append(_part(facts, loop, verdict, owner, index))
    return out


ADAPTER = Adapter("agent-run-loops", frozenset({Syntax.PYTHON}), _claims, _adapt)


def _loops(tree: ast.Module) -> list[tuple[ast.While, ast.FunctionDef | ast.AsyncFunctionDef | None]]:
    """Every ``while`` loop with its innermost enclosing function (None at module level)."""
    found = []
    stack: list[tuple[ast.AST, ast.FunctionDef | ast.AsyncFunctionDef | None]] = [(tree, None)]
    while stack:
        node, function = stack.pop()
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.While):
                found.append((child, function))
            stack.append((child, inner))
    found.sort(key=lambda pair: (pair[0].lineno, pair[0].col_offset))
    return found


def _part(facts: ModuleFacts, loop: ast.While, verdict: Verdict, owner: str, index: int) -> GraphPart:
    path = facts.module.path
    graph = f"{path}:{owner}:loop" + (f"#{index + 1}" if index else "")
    base = NodeRef(path, ("run_loops", owner, index))
    header = _header(facts, loop)
    first_runs: dict[str, ast.Call] = {}
    for run in verdict.runs:
        first_runs.setdefault(run.label, run.call)
    names = list(first_runs)
    agents = tuple(
        Agent(base.child("agents", name), facts.span(call), (), name, graph, FRAMEWORK, settable=frozenset())
        for name, call in first_runs.items()
    )
    # the first edge is where the loop is written (the finding's place), the others at the run
    # they lead to; the edge back is where the model's verdict would have ended the loop
    edges = [
        Edge(base.child("edges", f"{a}->{b}"), header if i == 0 else facts.span(first_runs[b]), (), a, b, EdgeKind.SEQUENCE, graph)
        for i, (a, b) in enumerate(zip(names, names[1:]))
    ]
    back = header if len(names) == 1 else facts.span(verdict.model_exits[0])
    edges.append(Edge(base.child("edges", "repeat"), back, (), names[-1], names[0], EdgeKind.SEQUENCE, graph, _condition(facts, verdict)))
    return GraphPart(
        base,
        header,
        (),
        graph,
        entry=None,  # no worst-case budget of the loop's own: AL102 is its one finding
        terminals=tuple(names),
        agents=agents,
        edges=tuple(edges),
        framework=FRAMEWORK,
        entry_declarable=False,
    )


def _header(facts: ModuleFacts, loop: ast.While) -> Span:
    """``while <test>``: where the loop is written, not its whole body."""
    start = facts.span(loop).start
    end = facts.span(loop.test).end
    return Span(start, end)


def _condition(facts: ModuleFacts, verdict: Verdict) -> str:
    exits = ", ".join(f"line {node.lineno}" for node in verdict.model_exits[:3])
    text = f"the model's output does not end it (its exits: {exits})"
    settings = [facts.module.segment(setting) for setting in verdict.settings[:2]]
    settings = [s for s in settings if s]
    if settings:
        text += "; any other exit needs " + " and ".join(f"`{s}`" for s in settings)
    return text
