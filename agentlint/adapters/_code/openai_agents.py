"""OpenAI Agents SDK code: the agents a module builds, who hands off to whom, and its runs.

* ``Agent(name=…, handoffs=[…], tools=[…], model=…)`` and ``Agent[Ctx](…)``; ``a.clone(name=…)``
  is another agent with the original's handoffs and tools unless the call replaces them
  (``clone()`` without a new name is the same agent for the graph).
* Handoffs: ``handoffs=[b, handoff(c, …), handoff(agent=d)]`` at construction, and after it
  ``a.handoffs.append(b)`` / ``.extend([…])`` / ``.insert(i, b)`` / ``a.handoffs = […]`` /
  ``a.handoffs += […]`` (the customer-service example builds its cycles this way).
* ``b.as_tool(…)`` in ``tools=[…]`` (or appended to ``a.tools``): a call edge; the caller
  continues when the tool answers.
* ``Runner.run/run_sync/run_streamed(agent, …, max_turns=N)``: N bounds the whole run; unset
  is the SDK's ``DEFAULT_MAX_TURNS`` (10, openai-agents 0.24.0 ``agents/run_config.py``);
  ``max_turns=None`` disables the limit; a value the code does not state is a bound of
  unknown size. A run whose starting agent is not known (``current = result.last_agent``)
  may start at any agent of the module.

An item the adapter cannot resolve (an agent imported from another module, a list built
elsewhere) marks the agent's graph incomplete: rules built on an edge's absence skip it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from agentlint.adapters._code.code_values import bound
from agentlint.adapters._code.evaluate import Static, Unknown
from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument
from agentlint.model.source import Span

AGENT = frozenset({"agents.Agent", "agents.agent.Agent"})
HANDOFF = frozenset({"agents.handoff", "agents.handoffs.handoff"})
RUNNER = frozenset({f"{m}.Runner" for m in ("agents", "agents.run")})
RUN_METHODS = frozenset({"run", "run_sync", "run_streamed"})
_LIST_METHODS = frozenset({"append", "extend", "insert"})


@dataclass(slots=True)
class Link:
    target: AgentDef | None  # None: not resolved
    span: Span
    call: bool = False  # as_tool: a call edge


@dataclass(slots=True)
class AgentDef:
    call: ast.Call
    scope: FunctionScope | None
    name: str | None
    span: Span
    name_span: Span
    model: str | None = None
    handoffs: list[Link] = field(default_factory=list)
    tools: list[Link] = field(default_factory=list)
    handoffs_known: bool = True
    tools_known: bool = True
    fields: list[tuple[str, Span]] = field(default_factory=list)
    same_as: AgentDef | None = None  # clone() without a new name
    foreign: str | None = None  # an agent imported from another module: its dotted name
    instructions: ast.expr | None = None  # as written (a clone's: its own or the original's)
    instructions_scope: FunctionScope | None = None


@dataclass(slots=True)
class Run:
    """A ``Runner.run*`` call: its starting agent (None: unknown) and its max_turns:
    ``("default",)``, ``("none",)`` (disabled), ``("value", n)``, ``("unknown", symbol)``."""

    agent: AgentDef | None
    limit: tuple
    span: Span
    symbol: str | None = None  # the starting agent is another module's: its dotted name


def _plain_bindings(body: list[ast.stmt], declared_global: set[str], walrus: bool) -> dict[str, ast.expr | None]:
    """Names stored exactly once in ``body`` (functions and classes inside not counted), by a
    plain ``name = value`` at its top level: the value; other stored names map to None. Only
    statements are visited (targets, not every expression), unless the source has ``:=``."""
    stores: dict[str, int] = {}
    single: dict[str, ast.expr] = {}

    def store(target: ast.AST | None) -> None:
        if target is None:
            return
        for node in ast.walk(target) if not isinstance(target, ast.Name) else (target,):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                stores[node.id] = stores.get(node.id, 0) + 1
            for name in (getattr(node, "name", None), getattr(node, "rest", None)):  # match patterns
                if isinstance(name, str) and isinstance(node, ast.pattern):
                    stores[name] = stores.get(name, 0) + 1

    for stmt in body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            single[stmt.targets[0].id] = stmt.value
        stack: list[ast.AST] = [stmt]
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stores[node.name] = stores.get(node.name, 0) + 1
                continue
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    stores[name] = 2
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    store(target)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
                store(node.target)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    store(item.optional_vars)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                stores[node.name] = stores.get(node.name, 0) + 1
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bound_name = (alias.asname or alias.name).split(".", 1)[0]
                    stores[bound_name] = stores.get(bound_name, 0) + 1
            elif isinstance(node, ast.match_case):
                store(node.pattern)
            if walrus and isinstance(node, ast.stmt):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.NamedExpr) and isinstance(inner.target, ast.Name):
                        stores[inner.target.id] = 2
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                children = getattr(node, name, None)
                if isinstance(children, list):
                    stack.extend(children)
    return {name: (single.get(name) if count == 1 and name not in declared_global else None) for name, count in stores.items()}


def _is_local(scope: FunctionScope, name: str) -> bool:
    args = scope.node.args
    return any(a.arg == name for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, *(a for a in (args.vararg, args.kwarg) if a)])


def _callee(facts: ModuleFacts, call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Subscript):  # Agent[Context](...)
        func = func.value
    return facts.qualname(func)


class AgentsReader:
    def __init__(self, facts: ModuleFacts, text: str) -> None:
        self.facts = facts
        self.text = text
        self.agents: dict[int, AgentDef] = {}
        self.runs: list[Run] = []
        self._plains: dict[int, dict[str, ast.expr | None]] = {}
        self.foreign: dict[str, AgentDef] = {}

    # -- which agent an expression is ----------------------------------------------------
    def agent_of(self, expr: ast.AST | None, scope: FunctionScope | None, depth: int = 0) -> AgentDef | None:
        expr, scope = bound(self.facts, expr, scope)
        if isinstance(expr, ast.Call):
            found = self.agents.get(id(expr))
            if found is not None:
                return found.same_as or found
        elif isinstance(expr, ast.Name) and expr.id in self.facts.imports and self._imported(expr.id, scope):
            return self._foreign(self.facts.imports[expr.id])
        elif isinstance(expr, ast.Name) and depth < 4:
            # ``a.handoffs = […]`` leaves ``a`` bound once, though the groundwork counts it as
            # rebound: read the one plain assignment of the name in its scope
            value = self._plain(scope).get(expr.id)
            if value is None and scope is not None and expr.id not in self._plain(scope) and not _is_local(scope, expr.id):
                value, scope = self._plain(None).get(expr.id), None
            if value is not None:
                return self.agent_of(value, scope, depth + 1)
        return None

    def _imported(self, name: str, scope: FunctionScope | None) -> bool:
        """``name`` is the imported one where it is used: not bound in the function or module."""
        if scope is not None and (name in scope.bindings or _is_local(scope, name)):
            return False
        if name in self.facts.bindings or self._plain(None).get(name) is not None:
            return False
        return not self.facts.imports[name].startswith("agents.")

    def _foreign(self, symbol: str) -> AgentDef:
        """The stand-in for an agent another module defines (linked by alias after all modules)."""
        found = self.foreign.get(symbol)
        if found is None:
            dummy = ast.Call(func=ast.Name(id=symbol, ctx=ast.Load()), args=[], keywords=[])
            zero = Span.point(1)
            found = self.foreign[symbol] = AgentDef(dummy, None, None, zero, zero, foreign=symbol, handoffs_known=False, tools_known=False)
        return found

    def plain_module_bindings(self) -> dict[str, ast.expr | None]:
        return self._plain(None)

    def _plain(self, scope: FunctionScope | None) -> dict[str, ast.expr | None]:
        key = id(scope.node) if scope is not None else 0
        found = self._plains.get(key)
        if found is None:
            body = scope.node.body if scope is not None else self.facts.module.tree.body
            found = self._plains[key] = _plain_bindings(body, self.facts.declared_global, ":=" in self.text)
        return found

    def _define(self, call: ast.Call, scope: FunctionScope | None, base: AgentDef | None = None) -> AgentDef:
        facts = self.facts
        given = argument(call, "name", 0 if base is None else None)
        name, name_span = None, facts.span(call)
        if isinstance(given, ast.expr):
            value = facts.value(given, scope)
            name = value.value if isinstance(value, Static) and isinstance(value.value, str) and value.value else None
            name_span = facts.span(given)
        elif base is not None and given is MISSING:
            name = base.name
        agent = AgentDef(call, scope, name, facts.span(call), name_span)
        model = argument(call, "model")
        if isinstance(model, ast.expr):
            value = facts.value(model, scope)
            agent.model = value.value if isinstance(value, Static) and isinstance(value.value, str) else None
            agent.fields.append(("model", facts.span(model)))
        elif base is not None:
            agent.model = base.model
        instructions = argument(call, "instructions")
        if isinstance(instructions, ast.expr):
            agent.instructions, agent.instructions_scope = instructions, scope
        elif base is not None and instructions is MISSING:
            agent.instructions, agent.instructions_scope = base.instructions, base.instructions_scope
        if given is MISSING and base is not None:
            agent.same_as = base
        self.agents[id(call)] = agent
        return agent

    # -- reading -------------------------------------------------------------------------
    def read(self) -> None:
        facts = self.facts
        pending: list[tuple[AgentDef, AgentDef | None]] = []
        for site in facts.calls:  # in source order: a clone's original is defined first
            call = site.call
            if _callee(facts, call) in AGENT:
                pending.append((self._define(call, site.scope), None))
            elif isinstance(call.func, ast.Attribute) and call.func.attr == "clone":
                base = self.agent_of(call.func.value, site.scope)
                if base is not None:
                    pending.append((self._define(call, site.scope, base), base))
        for agent, base in pending:
            self._lists(agent, base)
        self._mutations()
        self._runs()

    def _lists(self, agent: AgentDef, base: AgentDef | None) -> None:
        call, scope = agent.call, agent.scope
        target = agent.same_as or agent
        for key in ("handoffs", "tools"):
            given = argument(call, key)
            if given is MISSING:
                if base is not None and target is agent:  # clone(name=…) keeps the original's
                    self._inherit(agent, base, key)
                continue
            if isinstance(given, ast.expr):
                agent.fields.append((key, self.facts.span(given)))
            self._items(target, key, given, scope)

    def _inherit(self, agent: AgentDef, base: AgentDef, key: str) -> None:
        if key == "handoffs":
            agent.handoffs.extend(base.handoffs)
            agent.handoffs_known = agent.handoffs_known and base.handoffs_known
        else:
            agent.tools.extend(base.tools)
            agent.tools_known = agent.tools_known and base.tools_known

    def _items(self, agent: AgentDef, key: str, given: object, scope: FunctionScope | None, single: bool = False) -> None:
        if not isinstance(given, ast.expr):
            self._unknown(agent, key)
            return
        if single:
            items: list[ast.expr] = [given]
        else:
            expr, scope = bound(self.facts, given, scope)
            if not isinstance(expr, (ast.List, ast.Tuple)):
                self._unknown(agent, key)
                return
            items = list(expr.elts)
        for item in items:
            if isinstance(item, ast.Starred):
                self._unknown(agent, key)
                continue
            if key == "handoffs":
                agent.handoffs.append(self._handoff(item, scope))
                if agent.handoffs[-1].target is None:
                    agent.handoffs_known = False
            else:
                link = self._tool(item, scope)
                if link is not None:
                    agent.tools.append(link)

    def _unknown(self, agent: AgentDef, key: str) -> None:
        if key == "handoffs":
            agent.handoffs_known = False
        else:
            agent.tools_known = False

    def _handoff(self, item: ast.expr, scope: FunctionScope | None) -> Link:
        facts = self.facts
        expr, where = bound(facts, item, scope)
        if isinstance(expr, ast.Call) and facts.qualname(expr.func) in HANDOFF:
            inner = argument(expr, "agent", 0)
            target = self.agent_of(inner, where) if isinstance(inner, ast.expr) else None
            return Link(target, facts.span(item))
        return Link(self.agent_of(item, scope), facts.span(item))

    def _tool(self, item: ast.expr, scope: FunctionScope | None) -> Link | None:
        """``b.as_tool(…)``: a call edge to b; other tools are not agents (None)."""
        expr, where = bound(self.facts, item, scope)
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "as_tool":
            return Link(self.agent_of(expr.func.value, where), self.facts.span(item), call=True)
        return None

    def _mutations(self) -> None:
        """``a.handoffs.append(b)`` and friends, ``a.handoffs = […]``, ``a.handoffs += […]``."""
        for site in self.facts.calls:
            func = site.call.func
            if not (isinstance(func, ast.Attribute) and func.attr in _LIST_METHODS):
                continue
            holder = func.value
            if not (isinstance(holder, ast.Attribute) and holder.attr in ("handoffs", "tools")):
                continue
            agent = self.agent_of(holder.value, site.scope)
            if agent is None:
                continue
            position = 1 if func.attr == "insert" else 0
            given = argument(site.call, "object" if func.attr != "extend" else "iterable", position)
            self._items(agent, holder.attr, given, site.scope, single=func.attr != "extend")
        if ".handoffs" not in self.text and ".tools" not in self.text:
            return
        for node, scope in self._statements():
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in ("handoffs", "tools"):
                    agent = self.agent_of(target.value, scope)
                    if agent is None:
                        continue
                    if isinstance(node, ast.Assign):  # replaced: what construction listed is gone
                        if target.attr == "handoffs":
                            agent.handoffs, agent.handoffs_known = [], True
                        else:
                            agent.tools, agent.tools_known = [], True
                    self._items(agent, target.attr, node.value, scope)

    def _statements(self) -> list[tuple[ast.Assign | ast.AugAssign, FunctionScope | None]]:
        found: list[tuple[ast.Assign | ast.AugAssign, FunctionScope | None]] = []
        stack: list[tuple[ast.AST, FunctionScope | None]] = [(self.facts.module.tree, None)]
        while stack:
            node, scope = stack.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    stack.append((child, self.facts.scope_of(child)))
                elif isinstance(child, (ast.Assign, ast.AugAssign)):
                    found.append((child, scope))
                elif isinstance(child, ast.stmt):
                    stack.append((child, scope))
        found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
        return found

    def _runs(self) -> None:
        facts = self.facts
        for site in facts.calls:
            func = site.call.func
            if not (isinstance(func, ast.Attribute) and func.attr in RUN_METHODS and facts.qualname(func.value) in RUNNER):
                continue
            start = argument(site.call, "starting_agent", 0)
            agent = self.agent_of(start, site.scope) if isinstance(start, ast.expr) else None
            symbol = None
            if agent is not None and agent.foreign is not None:  # another module's agent: linked by name
                symbol, agent = agent.foreign, None
            # keyword-only in run/run_sync; run_streamed(agent, input, context, max_turns, ...)
            given = argument(site.call, "max_turns", 3 if func.attr == "run_streamed" else None)
            span = next((facts.span(k) for k in site.call.keywords if k.arg == "max_turns"), facts.span(site.call))
            if given is MISSING:
                limit: tuple = ("default",)
            elif not isinstance(given, ast.expr):
                limit = ("unknown", None)  # **kwargs may pass one
            else:
                value = facts.value(given, site.scope)
                if isinstance(value, Unknown):
                    limit = ("unknown", value.symbol)
                elif value.value is None and value.env is None:
                    limit = ("none",)
                else:
                    number = value.number()
                    finite = number is not None and number == number and abs(number) != float("inf")
                    limit = ("value", int(number)) if finite else ("unknown", None)
            self.runs.append(Run(agent, limit, span, symbol))
