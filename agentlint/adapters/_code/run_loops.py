"""Python ``while`` loops around agent runs: which runs they hold, and what can end them.

Used by ``adapters/agent_run_loops.py``. A loop is judged from its own statements only:

* an *agent run* is a call that runs an agent to its answer: OpenAI Agents
  ``Runner.run/run_sync/run_streamed``, and ``run``/``run_sync``/``run_async``/``kickoff``/
  ``invoke``/``ainvoke`` … on a receiver the module binds to an agent of a known framework
  (``_RECEIVERS``);
* a name is *model output* when an assignment to it in the loop takes a run's result or another
  model-output name (a fixpoint over the loop's assignments);
* an *exit* is a ``break`` of this loop, a ``return``, a ``raise`` or ``sys.exit``, and the
  ``while`` condition itself; each exit is guarded by the ``if`` tests around it.

Each test is split on ``and``/``or``/``not`` into atoms. An atom reading model output is the
model's choice; an atom that reads anything else the loop changes (a counter, a list it appends
to, a call, an attribute: ``rounds >= max_rounds``, ``bridge.stopped()``) may end the loop on its
own, so it counts as a bound (or an unknown one); an atom of names the loop never changes is a
setting: its static value when the module states one, else the bound holds only in the runs
where the setting says so (``if auto_mode:``). An exit inside an ``except`` or ``match`` is an
unknown bound. A loop that reads a human (``input()``) is a conversation, not a model loop.
"""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import FunctionScope, ModuleFacts

_RUNNER = frozenset({"agents.Runner.run", "agents.Runner.run_sync", "agents.Runner.run_streamed"})
_RUN_METHODS = frozenset({"run", "run_sync", "run_async", "run_stream", "kickoff", "kickoff_async", "invoke", "ainvoke"})
# constructors whose result, bound to a name, is something that runs an agent when a run method is called
_RECEIVERS = (
    "google.adk.runners.",  # Runner, InMemoryRunner: run/run_async
    "pydantic_ai.Agent",
    "pydantic_ai.agent.Agent",
    "smolagents.CodeAgent",
    "smolagents.ToolCallingAgent",
    "smolagents.agents.",
    "crewai.Crew",
    "crewai.crew.Crew",
    "langgraph.prebuilt.create_react_agent",
    "langchain.agents.create_agent",
)
_HUMAN = frozenset({"input", "raw_input", "getpass", "ask", "prompt", "receive", "receive_text", "receive_json", "recv"})
_ENDS = frozenset({"sys.exit", "exit", "quit", "os._exit"})
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class Control(enum.IntEnum):
    """Who decides whether an exit is taken, weakest bound first."""

    NEVER = -1  # a setting the module states that never lets the exit be taken
    MODEL = 0  # the model's output alone: it may never say so
    SETTING = 1  # a setting the loop does not change, of a value the module does not state
    BOUND = 2  # something else the loop changes (a counter), or a setting that holds: a bound or an unknown


@dataclass(frozen=True, slots=True)
class Run:
    call: ast.Call
    label: str  # the agent as the code names it (a variable, ``self.<attr>``), or "agent@<line>"


@dataclass(frozen=True, slots=True)
class Verdict:
    runs: tuple[Run, ...]
    model_exits: tuple[ast.AST, ...]  # the exits the model decides, in source order
    settings: tuple[ast.expr, ...]  # settings the other exits need (``auto_mode``)


def runs_in(facts: ModuleFacts, nodes: list[ast.AST], scope: FunctionScope | None) -> list[Run]:
    out = []
    for node in nodes:
        if isinstance(node, ast.Call):
            label = _run_label(facts, node, scope)
            if label is not None:
                out.append(Run(node, label))
    return out


def _run_label(facts: ModuleFacts, call: ast.Call, scope: FunctionScope | None) -> str | None:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    if facts.qualname(func) in _RUNNER:
        agent = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "starting_agent"), None)
        return _name(agent) or f"agent@{call.lineno}"
    if func.attr not in _RUN_METHODS:
        return None
    receiver = func.value
    made = receiver
    if isinstance(receiver, ast.Name):
        bindings = scope.bindings if scope is not None and receiver.id in scope.bindings else facts.bindings
        made = bindings.get(receiver.id)
    if not isinstance(made, ast.Call):
        return None
    if isinstance(made.func, ast.Attribute) and made.func.attr == "compile" and "langgraph" in _roots(facts):
        return _name(receiver) or f"graph@{call.lineno}"  # builder.compile().invoke(...)
    if isinstance(made.func, ast.Attribute) and made.func.attr == "crew" and func.attr.startswith("kickoff") and "crewai" in _roots(facts):
        return _name(made.func.value) or f"crew@{call.lineno}"  # MyCrew().crew().kickoff(...)
    qualname = facts.qualname(made.func) or ""
    if any(qualname == p or (p.endswith(".") and qualname.startswith(p)) for p in _RECEIVERS):
        agent = next((k.value for k in made.keywords if k.arg == "agent"), None)  # ADK Runner(agent=root_agent)
        return _name(agent) or _name(receiver) or f"agent@{call.lineno}"
    return None


def _roots(facts: ModuleFacts) -> set[str]:
    return {symbol.split(".", 1)[0] for symbol in facts.imports.values()}


def _name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr if node.value.id == "self" else f"{node.value.id}.{node.attr}"
    return None


def walk_loop(loop: ast.While) -> list[ast.AST]:
    """The loop's nodes (condition and body), not entering nested functions or classes."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = [loop.test, *reversed(loop.body)]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed([child for child in ast.iter_child_nodes(node) if not isinstance(child, _NESTED)]))
    return out


def judge(facts: ModuleFacts, loop: ast.While, scope: FunctionScope | None) -> Verdict | None:
    """The loop's runs and model-decided exits when every exit is the model's (or holds only
    under a setting); None when the loop holds no run, reads a human, has no exit at all, or
    has an exit the model does not decide."""
    nodes = walk_loop(loop)
    runs = runs_in(facts, nodes, scope)
    if not runs or any(_is_human(facts, node) for node in nodes):
        return None
    run_ids = {id(run.call) for run in runs}
    tainted, changed = _names(nodes, run_ids)
    judge_ = _Judge(facts, scope, tainted, changed, run_ids)
    exits: list[tuple[ast.AST, Control]] = []
    if not (isinstance(loop.test, ast.Constant) and loop.test.value):
        exits.append((loop.test, judge_.force(loop.test, False)))
    judge_.exits(loop.body, [], exits, top=True)
    exits = [(node, control) for node, control in exits if control is not Control.NEVER]
    if not exits or any(control is Control.BOUND for _, control in exits):
        return None
    model = tuple(node for node, control in exits if control is Control.MODEL)
    if not model:
        return None
    return Verdict(tuple(runs), model, tuple(dict.fromkeys(judge_.settings)))


def _is_human(facts: ModuleFacts, node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    return last in _HUMAN


def _names(nodes: list[ast.AST], run_ids: set[int]) -> tuple[set[str], set[str]]:
    """(model-output names, every name the loop changes): assignment targets, names mutated
    through a method call, a subscript or an attribute, and names declared global/nonlocal."""
    pairs: list[tuple[list[str], ast.AST | None]] = []
    changed: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Assign):
            pairs.append(([n for t in node.targets for n in _targets(t)], node.value))
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            pairs.append((list(_targets(node.target)), node.value))
        elif isinstance(node, ast.NamedExpr):
            pairs.append((list(_targets(node.target)), node.value))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            pairs.append((list(_targets(node.target)), node.iter))
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            pairs.append((list(_targets(node.optional_vars)), node.context_expr))
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            changed.update(node.names)
        elif isinstance(node, ast.Delete):
            changed.update(n for t in node.targets for n in _targets(t))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            changed.add(node.func.value.id)  # items.append(...): the list changes
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            base = node.value
            while isinstance(base, (ast.Subscript, ast.Attribute)):
                base = base.value
            if isinstance(base, ast.Name):
                changed.add(base.id)
    for targets, _ in pairs:
        changed.update(targets)
    reads = [(targets, _reads(value, run_ids)) for targets, value in pairs]
    tainted: set[str] = set()
    grew = True
    while grew:  # each pass adds a name or stops: at most len(pairs) passes
        grew = False
        for targets, (names, runs) in reads:
            if (runs or names & tainted) and not set(targets) <= tainted:
                tainted.update(targets)
                grew = True
    return tainted, changed


def _reads(value: ast.AST | None, run_ids: set[int]) -> tuple[set[str], bool]:
    if value is None:
        return set(), False
    names, runs = set(), False
    for node in ast.walk(value):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif id(node) in run_ids:
            runs = True
    return names, runs


def _targets(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _targets(element)]
    if isinstance(target, ast.Starred):
        return _targets(target.value)
    return []


class _Judge:
    def __init__(self, facts: ModuleFacts, scope: FunctionScope | None, tainted: set[str], changed: set[str], runs: set[int]) -> None:
        self.runs = runs
        self.facts = facts
        self.scope = scope
        self.tainted = tainted
        self.changed = changed
        self.settings: list[ast.expr] = []

    def exits(self, body: list[ast.stmt], guards: list[tuple[ast.expr, bool]], out: list[tuple[ast.AST, Control]], top: bool) -> None:
        """Append (exit statement, who decides it) for every exit in ``body``; ``top``: a
        ``break`` there leaves our loop (not one nested in it)."""
        for stmt in body:
            if isinstance(stmt, ast.Break) and top or isinstance(stmt, (ast.Return, ast.Raise)) or self._ends(stmt):
                out.append((stmt, min((self.force(test, want) for test, want in guards), default=Control.BOUND)))
            elif isinstance(stmt, ast.If):
                self.exits(stmt.body, [*guards, (stmt.test, True)], out, top)
                self.exits(stmt.orelse, [*guards, (stmt.test, False)], out, top)
            elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                self.exits(stmt.body, guards, out, top)
            elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
                self.exits(stmt.body, guards, out, False)  # a break there leaves the inner loop
                self.exits(stmt.orelse, guards, out, top)
            elif isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))):
                self.exits(stmt.body + stmt.orelse + stmt.finalbody, guards, out, top)
                for handler in stmt.handlers:  # an exception the loop catches: not judged
                    if self._has_exit(handler.body, top):
                        out.append((handler, Control.BOUND))
            elif isinstance(stmt, ast.Match):
                if any(self._has_exit(case.body, top) for case in stmt.cases):
                    out.append((stmt, Control.BOUND))

    def _has_exit(self, body: list[ast.stmt], top: bool) -> bool:
        found: list[tuple[ast.AST, Control]] = []
        self.exits(body, [], found, top)
        return bool(found)

    def _ends(self, stmt: ast.stmt) -> bool:
        return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and self.facts.qualname(stmt.value.func) in _ENDS

    def force(self, test: ast.expr, want: bool) -> Control:
        """Whether ``test`` is sure to become ``want`` without the model's consent."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.force(test.operand, not want)
        if isinstance(test, ast.BoolOp):
            parts = [self.force(value, want) for value in test.values]
            every = isinstance(test.op, ast.And) == want  # and→True / or→False need every part
            return min(parts) if every else max(parts)
        nodes = list(ast.walk(test))
        names = [n for n in nodes if isinstance(n, ast.Name)]
        if any(n.id in self.tainted for n in names) or any(id(n) in self.runs for n in nodes):
            return Control.MODEL
        plain = all(isinstance(n, (ast.Name, ast.Constant, ast.Compare, ast.cmpop, ast.Load, ast.UnaryOp, ast.unaryop)) for n in nodes)
        if not plain or any(n.id in self.changed or n.id in self.facts.declared_global for n in names):
            return Control.BOUND  # a counter, a call, an attribute, a global set elsewhere: may end the loop
        value = self.facts.value(test, self.scope)
        if isinstance(value, Static) and value.env is None:
            return Control.BOUND if bool(value.value) == want else Control.NEVER
        self.settings.append(test)
        return Control.SETTING
