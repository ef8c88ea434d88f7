"""Google ADK agents constructed in Python: what one ``LlmAgent(...)``/``LoopAgent(...)`` call
states, read from the module's groundwork (scope.py) without running anything.

A child (``sub_agents=[critic]``, ``AgentTool(agent=critic)``) resolves to one of:

* ``Local``: another agent call of this module (inline, or through names bound once);
* ``Imported``: a name imported from elsewhere (``from .sub_agents.critic import critic_agent``),
  linked across modules by ``model.code_link`` once every module is read;
* ``None``: anything else (a factory's result, a parameter, a custom ``BaseAgent``): the
  agent runs something this module cannot see.

Tools decide whether an agent may *escalate* (end an enclosing LoopAgent): the built-in
``exit_loop`` does; a built-in known never to set ``actions.escalate`` does not; a function of
this module escalates only if it takes ``tool_context`` (ADK injects the context, and with it
``actions``, only into a parameter of that name); anything else may.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field

from agentlint.adapters._code.evaluate import Static, Unknown
from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument

LLM, SEQUENTIAL, PARALLEL, LOOP = "LlmAgent", "SequentialAgent", "ParallelAgent", "LoopAgent"
_CLASSES = {"Agent": LLM, "LlmAgent": LLM, SEQUENTIAL: SEQUENTIAL, PARALLEL: PARALLEL, LOOP: LOOP}
# Built-in tools (google.adk.tools) that never set ``actions.escalate`` (as adapters/adk.py).
QUIET_TOOLS = frozenset(
    """AgentTool APIHubToolset ApiRegistry DiscoveryEngineSearchTool MCPToolset McpToolset RemoteMcpServer
    VertexAiLoadProfilesTool VertexAiSearchTool enterprise_web_search get_user_choice google_maps_grounding
    google_search load_artifacts load_memory preload_memory request_input transfer_to_agent url_context
    BuiltInCodeExecutor""".split()
)
CALLBACKS = ("before_agent_callback", "after_agent_callback", "before_model_callback", "after_model_callback",
             "before_tool_callback", "after_tool_callback")
_MAX_DEPTH = 12


def adk_class(callee: str | None) -> str | None:
    """The built-in class a call constructs (``google.adk.agents.LoopAgent``, ``google.adk.Agent``)."""
    if callee is None or not callee.startswith("google.adk."):
        return None
    head, _, last = callee.rpartition(".")
    if head != "google.adk" and not head.startswith("google.adk.agents"):
        return None
    return _CLASSES.get(last)


def _tool_name(callee: str | None) -> str | None:
    if callee is None or not callee.startswith("google.adk.tools"):
        return None
    return callee.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class Local:
    call: ast.Call


@dataclass(frozen=True, slots=True)
class Imported:
    symbol: str


Child = Local | Imported


@dataclass(slots=True)
class AgentCall:
    """One agent constructed by the module."""

    call: ast.Call
    cls: str
    scope: FunctionScope | None
    variable: str | None = None  # the name it is bound to (module level or in its function)
    module_level: bool = False
    children: list[tuple[Child | None, ast.expr]] = field(default_factory=list)  # (child, element)
    children_known: bool = True  # every child element was found (a list literal, no ``*rest``)
    tool_agents: list[tuple[Child | None, ast.expr]] = field(default_factory=list)  # AgentTool(agent=…)
    tools: list[str] = field(default_factory=list)
    escalates: bool = False


class AdkReader:
    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self.agents: dict[int, AgentCall] = {}
        for site in facts.calls:
            cls = adk_class(site.callee)
            if cls is not None:
                self.agents[id(site.call)] = AgentCall(site.call, cls, site.scope)
        self._name_agents()
        for agent in self.agents.values():
            self._read(agent)

    def _name_agents(self) -> None:
        for name, value in self.facts.bindings.items():
            if isinstance(value, ast.Call) and id(value) in self.agents:
                found = self.agents[id(value)]
                found.variable, found.module_level = name, True
        names: dict[int, dict[int, str]] = {}  # per function: id(bound call) -> name, built once
        for agent in self.agents.values():
            if agent.variable is None and agent.scope is not None:
                table = names.get(id(agent.scope))
                if table is None:
                    table = names[id(agent.scope)] = {id(v): n for n, v in agent.scope.bindings.items() if isinstance(v, ast.Call)}
                agent.variable = table.get(id(agent.call))

    # -- names ---------------------------------------------------------------------------
    def bound(self, expr: ast.expr, scope: FunctionScope | None) -> ast.expr | Imported | None:
        """What a name stands for: its one bound expression, or the symbol it imports."""
        for _ in range(_MAX_DEPTH):
            if not isinstance(expr, ast.Name):
                return expr
            if scope is not None and expr.id in scope.bindings:
                value = scope.bindings[expr.id]
            elif expr.id in self.facts.imports:
                symbol = self.facts.imports[expr.id]
                return Imported(symbol) if not symbol.startswith("google.") else None
            else:
                value = self.facts.bindings.get(expr.id)
                scope = None
            if value is None:
                return None
            expr = value
        return None

    def child(self, expr: ast.expr, scope: FunctionScope | None) -> Child | None:
        if isinstance(expr, ast.Attribute):  # ``agent.root_agent`` of ``from my_app import agent``
            symbol = self.facts.qualname(expr)
            return Imported(symbol) if symbol is not None and not symbol.startswith("google.") else None
        target = self.bound(expr, scope)
        if isinstance(target, Imported):
            return target
        if isinstance(target, ast.Call) and id(target) in self.agents:
            return Local(target)
        return None

    def elements(self, expr: ast.expr, scope: FunctionScope | None) -> tuple[list[ast.expr], bool]:
        """The elements of a list argument, and whether they are all of them."""
        target = self.bound(expr, scope)
        if isinstance(target, (ast.List, ast.Tuple)):
            items = [e for e in target.elts if not isinstance(e, ast.Starred)]
            return items, len(items) == len(target.elts)
        if isinstance(target, ast.Constant) and target.value is None:
            return [], True
        return [], False

    # -- one agent -----------------------------------------------------------------------
    def _read(self, agent: AgentCall) -> None:
        call, scope = agent.call, agent.scope
        sub = argument(call, "sub_agents")
        if isinstance(sub, ast.expr):
            items, agent.children_known = self.elements(sub, scope)
            agent.children = [(self.child(item, scope), item) for item in items]
        elif sub is not MISSING:
            agent.children_known = False  # **kwargs may pass them
        for key in CALLBACKS:
            value = argument(call, key)
            if isinstance(value, ast.expr) and not (isinstance(value, ast.Constant) and value.value is None):
                agent.escalates = True  # a callback may set actions.escalate
        if agent.cls != LLM:
            return
        tools = argument(call, "tools")
        if isinstance(tools, ast.expr):
            items, known = self.elements(tools, scope)
            agent.escalates |= not known
            for item in items:
                self._tool(agent, item)
        elif tools is not MISSING:
            agent.escalates = True

    def _tool(self, agent: AgentCall, item: ast.expr) -> None:
        scope = agent.scope
        target = self.bound(item, scope)
        if isinstance(target, ast.Call):
            name = _tool_name(self.facts.qualname(target.func))
            if name == "AgentTool":
                inner = argument(target, "agent", 0)
                agent.tool_agents.append((self.child(inner, scope) if isinstance(inner, ast.expr) else None, target))
                agent.tools.append("AgentTool")
                return
            if name == "FunctionTool":
                func = argument(target, "func", 0)
                if isinstance(func, ast.expr):
                    self._tool(agent, func)
                    return
            if name is not None:
                agent.tools.append(name)
                agent.escalates |= name not in QUIET_TOOLS
                return
            agent.escalates = True
            return
        symbol = self.facts.qualname(item)
        name = _tool_name(symbol)
        if name is not None:
            agent.tools.append(name)
            agent.escalates |= name not in QUIET_TOOLS
            return
        if isinstance(item, ast.Name):
            agent.tools.append(item.id)
            function = self.facts.functions.get(item.id) if target is None or target is item else None
            if function is None or (scope is not None and item.id in scope.bindings):
                agent.escalates = True  # imported or unknown: it may
            elif _takes_context(function):
                agent.escalates = True
            return
        agent.escalates = True


def _takes_context(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = function.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    return "tool_context" in names or args.kwarg is not None


# -- limits --------------------------------------------------------------------------------


@dataclass(slots=True)
class Limits:
    """``generate_content_config.http_options``: timeout (seconds) and attempts, each with the
    node that states it. An attribute in ``unknown`` is set from where the module cannot see
    (a config passed in, ``**kwargs``): a bound of unknown size, never missing."""

    unknown: set[str] = field(default_factory=set)
    timeout: float | None = None
    timeout_at: ast.AST | None = None
    attempts: int | None = None
    attempts_at: ast.AST | None = None


_BOTH = ("timeout_seconds", "max_attempts")


def _keyword(expr: ast.AST | None, key: str) -> tuple[ast.expr | None, bool]:
    """``key`` of a constructor call or a dict literal: (its expression or None, known)."""
    if isinstance(expr, ast.Call):
        found = argument(expr, key)
        if isinstance(found, Unknown):
            return None, False
        return (found if isinstance(found, ast.expr) else None), True
    if isinstance(expr, ast.Dict):
        if any(k is None for k in expr.keys):
            return None, False
        for k, v in zip(expr.keys, expr.values):
            if isinstance(k, ast.Constant) and k.value == key:
                return v, True
        return None, True
    if isinstance(expr, ast.Constant) and expr.value is None:
        return None, True
    return None, False


def read_limits(reader: AdkReader, agent: AgentCall) -> Limits:
    facts, scope = reader.facts, agent.scope
    out = Limits()
    config = argument(agent.call, "generate_content_config")
    if config is MISSING:
        return out
    if isinstance(config, Unknown):
        return Limits(set(_BOTH))
    http, known = _keyword(reader.bound(config, scope), "http_options")
    if not known:
        return Limits(set(_BOTH))
    if http is None:
        return out
    http_node = reader.bound(http, scope)
    timeout, known = _keyword(http_node, "timeout")
    if not known:
        return Limits(set(_BOTH))
    retry, _ = _keyword(http_node, "retry_options")
    if timeout is not None and not (isinstance(timeout, ast.Constant) and timeout.value is None):
        value = facts.value(timeout, scope)
        number = value.number() if isinstance(value, Static) else None
        if number is not None and number > 0:
            out.timeout, out.timeout_at = number / 1000, timeout  # milliseconds
        else:
            out.unknown.add("timeout_seconds")
    if retry is not None and not (isinstance(retry, ast.Constant) and retry.value is None):
        attempts, known = _keyword(reader.bound(retry, scope), "attempts")
        if not known:
            out.unknown.add("max_attempts")
        elif attempts is None or (isinstance(attempts, ast.Constant) and attempts.value is None):
            out.attempts, out.attempts_at = 5, retry  # google-genai: "If not specified, default to 5"
        else:
            value = facts.value(attempts, scope)
            number = value.number() if isinstance(value, Static) else None
            if number is not None and math.isfinite(number) and number >= 0:
                out.attempts, out.attempts_at = max(1, int(number)), attempts  # 0 and 1: one try
            else:
                out.unknown.add("max_attempts")
    return out
