"""Prebuilt LangGraph agents, as the graphs they build.

* ``create_react_agent(model, tools)`` (langgraph.prebuilt) and ``create_agent(model, tools)``
  (langchain v1): a model node (``agent`` / ``model``) and a ``tools`` node in a loop; the model
  node is the entry and ends the run when it answers without tool calls. With
  ``ModelCallLimitMiddleware(run_limit=N)`` the loop is capped at N model calls (the turn limit).
* ``create_supervisor([a, b], model=…)`` (langgraph_supervisor): a ``supervisor`` node that
  hands off to each member agent, each handing back; members are named by their ``name=``.
* ``create_swarm([a, b], default_active_agent="a")`` (langgraph_swarm): members hand off to
  each other with ``create_handoff_tool(agent_name=…)`` in their tools; any member whose tools
  list is not written out leaves the part incomplete. Each member can answer (a terminal).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Span

if TYPE_CHECKING:
    from agentlint.adapters._code.langgraph_graph import BuilderReader

REACT = frozenset({"langgraph.prebuilt.create_react_agent", "langgraph.prebuilt.chat_agent_executor.create_react_agent"})
CREATE_AGENT = frozenset({"langchain.agents.create_agent", "langchain.agents.factory.create_agent"})
SUPERVISOR = frozenset({"langgraph_supervisor.create_supervisor", "langgraph_supervisor.supervisor.create_supervisor"})
SWARM = frozenset({"langgraph_swarm.create_swarm", "langgraph_swarm.swarm.create_swarm"})
PREBUILT = REACT | CREATE_AGENT | SUPERVISOR | SWARM
_CALL_LIMIT = frozenset({"langchain.agents.middleware.ModelCallLimitMiddleware"})


@dataclass(slots=True)
class Prebuilt:
    call: ast.Call
    scope: FunctionScope | None
    kind: str  # "react" | "agent" | "supervisor" | "swarm"
    span: Span
    variable: str | None = None
    members: list[tuple[str, Span]] = field(default_factory=list)
    complete: bool = True
    model: str | None = None
    run_limit: tuple[int | None, Span] | None = None
    tools: bool = True  # the agent has tools (else it is one model node, no loop)
    handoffs: list[tuple[str, str, Span]] = field(default_factory=list)  # swarm: (from, to, where)
    entry: str | None = None  # swarm: default_active_agent
    member_exprs: list[ast.expr] = field(default_factory=list)  # supervisor/swarm: the agents passed

    def part(self, path: str, name: str, turn_limit: int | None, written: bool, fields: tuple[tuple[str, Span], ...]) -> GraphPart:
        key = name.rsplit(":", 1)[-1]
        base = NodeRef(path, ("graph", key))
        if self.kind in ("react", "agent"):
            head = "agent" if self.kind == "react" else "model"
            nodes = [(head, self.span), ("tools", self.span)] if self.tools else [(head, self.span)]
            links = [(head, "tools", "the model calls tools"), ("tools", head, None)] if self.tools else []
            setting = "recursion_limit"
            if not written and self.run_limit is not None:  # run_limit=None: a value not stated statically
                turn_limit, written, fields, setting = self.run_limit[0], True, (("turn_limit", self.run_limit[1]),), "run_limit"
        else:
            head = "supervisor" if self.kind == "supervisor" else (self.entry or "")
            nodes = ([("supervisor", self.span)] if self.kind == "supervisor" else []) + self.members
            links = [("supervisor", m, f"supervisor hands off to {m}") for m, _ in self.members] + [(m, "supervisor", None) for m, _ in self.members]
            if self.kind == "swarm":
                links = [(a, b, f"{a} hands off to {b}") for a, b, _ in self.handoffs]
            setting = "recursion_limit"
        agents = tuple(
            Agent(base.child("nodes", n), span, (), n, name, "langgraph", model=self.model if n == head else None,
                  settable=frozenset({"model"}) if n == head or self.kind == "supervisor" and n != "tools" else frozenset())
            for n, span in nodes
        )
        edges = tuple(
            Edge(base.child("edges", f"{s}->{t}"), self.span, (), s, t, EdgeKind.SEQUENCE if c is None else EdgeKind.HANDOFF, name, c)
            for s, t, c in links
        )
        return GraphPart(
            base, self.span, fields if written else (), name,
            entry=head or None,
            terminals=tuple(m for m, _ in self.members) if self.kind == "swarm" else (head,) if head else (),
            agents=agents,
            edges=edges,
            references=tuple(AgentReference(base.child("entry"), self.span, (), head, name, "entry") for _ in [0] if head),
            framework="langgraph",
            turn_limit=turn_limit,
            turn_limit_unstated=written and turn_limit is None,
            turn_limit_default=None if written else "langgraph.recursion_limit",
            turn_limit_setting=setting if written else None,
            complete=self.complete,
        )


def read_prebuilt(facts: ModuleFacts, reader: BuilderReader) -> list[Prebuilt]:
    found: list[Prebuilt] = []
    for site in facts.calls:
        if site.callee not in PREBUILT:
            continue
        kind = "react" if site.callee in REACT else "agent" if site.callee in CREATE_AGENT else "supervisor" if site.callee in SUPERVISOR else "swarm"
        item = Prebuilt(site.call, site.scope, kind, facts.span(site.call))
        model = argument(site.call, "model", 0)
        if isinstance(model, ast.expr):
            value = facts.value(model, site.scope)
            item.model = value.value if isinstance(value, Static) and isinstance(value.value, str) else None
        if kind == "agent":
            item.run_limit = _run_limit(facts, site.call, site.scope)
        if kind in ("react", "agent"):
            tools = argument(site.call, "tools", 1)
            empty = isinstance(tools, (ast.List, ast.Tuple)) and not tools.elts
            item.tools = not (empty or (isinstance(tools, ast.Constant) and tools.value is None) or (kind == "agent" and tools is MISSING))
        if kind == "swarm":
            active = argument(site.call, "default_active_agent", 1)
            value = facts.value(active, site.scope) if isinstance(active, ast.expr) else None
            item.entry = value.value if isinstance(value, Static) and isinstance(value.value, str) else None
            item.complete = item.entry is not None
        if kind in ("supervisor", "swarm"):
            agents = argument(site.call, "agents", 0)
            if not isinstance(agents, (ast.List, ast.Tuple)):
                item.complete = False
            else:
                item.member_exprs = list(agents.elts)
                for member in agents.elts:
                    name = _member_name(facts, reader, member, site.scope)
                    if name is None:
                        item.complete = False
                    else:
                        item.members.append((name, facts.span(member)))
                        if kind == "swarm":
                            handoffs = _handoffs(facts, reader, member, site.scope)
                            if handoffs is None:
                                item.complete = False
                            else:
                                item.handoffs.extend((name, target, span) for target, span in handoffs)
        found.append(item)
    return found


def _through_names(reader: BuilderReader, expr: ast.expr, scope: FunctionScope | None) -> tuple[ast.expr | None, FunctionScope | None]:
    """Follow ``a = b = create_react_agent(...)`` bindings (five at most) to the expression;
    None when a name is bound to nothing readable."""
    for _ in range(5):
        if not isinstance(expr, ast.Name):
            return expr, scope
        bound, scope = reader.binding(expr.id, scope)
        if bound is None:
            return None, scope
        expr = bound
    return None, scope


def _member_name(facts: ModuleFacts, reader: BuilderReader, expr: ast.expr, scope: FunctionScope | None) -> str | None:
    """A member agent's ``name=`` (on create_react_agent/create_agent, or ``.compile(name=…)``)."""
    found, scope = _through_names(reader, expr, scope)
    if isinstance(found, ast.Call):
        given = argument(found, "name")
        if isinstance(given, ast.expr):
            value = facts.value(given, scope)
            return value.value if isinstance(value, Static) and isinstance(value.value, str) else None
    return None


_HANDOFF = frozenset({"langgraph_swarm.create_handoff_tool", "langgraph_swarm.handoff.create_handoff_tool"})


def _handoffs(facts: ModuleFacts, reader: BuilderReader, expr: ast.expr, scope: FunctionScope | None) -> list[tuple[str, Span]] | None:
    """The agents a swarm member can hand off to: ``create_handoff_tool(agent_name="b")`` in
    its ``tools`` list; None when the list is not written out."""
    found, scope = _through_names(reader, expr, scope)
    if not isinstance(found, ast.Call):
        return None
    expr = found
    tools = argument(expr, "tools", 1)
    if isinstance(tools, ast.Name):
        bound, scope = reader.binding(tools.id, scope)
        tools = bound if bound is not None else tools
    if not isinstance(tools, (ast.List, ast.Tuple)):
        return None
    out: list[tuple[str, Span]] = []
    for tool in tools.elts:
        if isinstance(tool, ast.Call) and facts.qualname(tool.func) in _HANDOFF:
            target = argument(tool, "agent_name", 0)
            value = facts.value(target, scope) if isinstance(target, ast.expr) else None
            if not (isinstance(value, Static) and isinstance(value.value, str)):
                return None
            out.append((value.value, facts.span(tool)))
        elif isinstance(tool, ast.Starred):
            return None
    return out


def _run_limit(facts: ModuleFacts, call: ast.Call, scope: FunctionScope | None) -> tuple[int | None, Span] | None:
    middleware = argument(call, "middleware")
    if not isinstance(middleware, (ast.List, ast.Tuple)):
        return None
    for item in middleware.elts:
        if isinstance(item, ast.Call) and facts.qualname(item.func) in _CALL_LIMIT:
            for keyword in item.keywords:
                if keyword.arg == "run_limit":
                    value = facts.value(keyword.value, scope)
                    number = value.number() if isinstance(value, Static) else None
                    return (int(number) if number is not None else None), facts.span(keyword)
    return None
