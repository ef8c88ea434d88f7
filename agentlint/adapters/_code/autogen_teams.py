"""AutoGen AgentChat teams and agents constructed in Python: what the calls state.

A team is a call of ``autogen_agentchat.teams.<Team>``; a participant resolves (through
names bound once) to an agent call of this module (``autogen_agentchat.agents.*`` or
``autogen_ext.agents.*``), to a name imported from another module (linked by
``model.code_link``), or to something unseen (a custom agent class, a factory's result):
a participant all the same, named after the expression, of which nothing else is known.
``DiGraphBuilder`` calls (``add_node``/``add_edge``/``set_entry_point``, chained or not) on a
builder whose ``build()`` is the GraphFlow's ``graph`` give its edges.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument

TEAMS = ("RoundRobinGroupChat", "SelectorGroupChat", "Swarm", "MagenticOneGroupChat", "GraphFlow")
_MAX_DEPTH = 12


def team_class(callee: str | None) -> str | None:
    if callee is None or not callee.startswith("autogen_agentchat."):
        return None
    last = callee.rsplit(".", 1)[-1]
    return last if last in TEAMS else None


def is_agent(callee: str | None) -> bool:
    return callee is not None and (callee.startswith("autogen_agentchat.agents.") or callee.startswith("autogen_ext.agents."))


@dataclass(frozen=True, slots=True)
class Member:
    """A participant: an agent call of this module, an imported symbol, or an unseen value."""

    expr: ast.expr  # as written in the participants list (where edges point)
    call: ast.Call | None = None
    symbol: str | None = None
    label: str = ""  # for an unseen participant: its source text


@dataclass(slots=True)
class FlowEdge:
    source: ast.expr
    target: ast.expr
    at: ast.Call
    condition: str | None


@dataclass(slots=True)
class Flow:
    edges: list[FlowEdge] = field(default_factory=list)
    nodes: list[ast.expr] = field(default_factory=list)  # add_node(agent), in order
    entry: ast.expr | None = None
    known: bool = True


class Reader:
    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self._by_builder: dict[int, list] | None = None  # type: ignore[type-arg]

    def bound(self, expr: ast.AST, scope: FunctionScope | None) -> tuple[ast.AST, FunctionScope | None]:
        for _ in range(_MAX_DEPTH):
            if not isinstance(expr, ast.Name):
                return expr, scope
            if scope is not None and expr.id in scope.bindings:
                value = scope.bindings[expr.id]
            else:
                value, scope = self.facts.bindings.get(expr.id), None
            if value is None:
                return expr, scope
            expr = value
        return expr, scope

    def member(self, expr: ast.expr, scope: FunctionScope | None) -> Member:
        target, _ = self.bound(expr, scope)
        if isinstance(target, ast.Call) and is_agent(self.facts.qualname(target.func)):
            return Member(expr, call=target)
        if isinstance(target, ast.Name) and target.id in self.facts.imports:
            symbol = self.facts.imports[target.id]
            if not symbol.startswith("autogen"):
                return Member(expr, symbol=symbol)
        return Member(expr, label=self.facts.module.segment(expr) or f"line{expr.lineno}")

    def members(self, team: ast.Call, scope: FunctionScope | None) -> tuple[list[Member], bool]:
        found = argument(team, "participants", 0)
        if not isinstance(found, ast.expr):
            return [], False
        target, inner = self.bound(found, scope)
        if isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute) and target.func.attr == "get_participants":
            return [], False  # DiGraphBuilder.get_participants(): the flow's nodes give them
        if not isinstance(target, (ast.List, ast.Tuple)):
            return [], False
        items = [e for e in target.elts if not isinstance(e, ast.Starred)]
        return [self.member(e, inner) for e in items], len(items) == len(target.elts)

    def agent_name(self, call: ast.Call, scope: FunctionScope | None) -> str | None:
        found = argument(call, "name", 0)
        value = self.facts.value(found, scope) if isinstance(found, ast.expr) else None
        return value.value if isinstance(value, Static) and isinstance(value.value, str) and value.value.strip() else None

    def handoffs(self, call: ast.Call, scope: FunctionScope | None) -> list[tuple[str, ast.expr]]:
        """An agent's ``handoffs=["b", Handoff(target="c")]`` as (target name, where)."""
        found = argument(call, "handoffs")
        if not isinstance(found, ast.expr):
            return []
        target, inner = self.bound(found, scope)
        out = []
        for item in target.elts if isinstance(target, (ast.List, ast.Tuple)) else ():
            node, at = self.bound(item, inner)[0], item
            if isinstance(node, ast.Call):
                found_target = argument(node, "target", 0)
                node = found_target if isinstance(found_target, ast.expr) else None
            value = self.facts.value(node, inner) if node is not None else None
            if isinstance(value, Static) and isinstance(value.value, str):
                out.append((value.value, at))
            elif isinstance(node, ast.expr) and node is not None:
                member = self.member(node, inner)  # Handoff(target=agent)? AgentChat takes a name
                if member.call is not None:
                    name = self.agent_name(member.call, inner)
                    if name:
                        out.append((name, at))
        return out

    def flow(self, team: ast.Call, scope: FunctionScope | None) -> Flow:
        """The edges of a GraphFlow's ``graph=builder.build()``."""
        graph = argument(team, "graph", 1)
        if not isinstance(graph, ast.expr):
            return Flow(known=False)
        built, inner = self.bound(graph, scope)
        if not (isinstance(built, ast.Call) and isinstance(built.func, ast.Attribute) and built.func.attr == "build"):
            return Flow(known=False)
        builder = self._root(built.func.value, inner)
        if builder is None:
            return Flow(known=False)
        flow = Flow()
        for site in self._builder_calls().get(id(builder), ()):
            call, func = site.call, site.call.func
            assert isinstance(func, ast.Attribute)
            if func.attr == "add_node" and call.args:
                flow.nodes.append(call.args[0])
            elif func.attr == "set_entry_point" and call.args:
                flow.entry = call.args[0]
            elif func.attr == "add_edge" and len(call.args) >= 2:
                condition = argument(call, "condition", 2)
                text = None
                if isinstance(condition, ast.expr):
                    value = self.facts.value(condition, site.scope)
                    text = f"the message contains {value.value!r}" if isinstance(value, Static) and isinstance(value.value, str) else "a condition"
                flow.edges.append(FlowEdge(call.args[0], call.args[1], call, text))
            else:
                flow.known = False
        return flow

    def _builder_calls(self) -> dict[int, list]:  # type: ignore[type-arg]
        """Builder method calls by the DiGraphBuilder they start from, found once per module."""
        if self._by_builder is None:
            self._by_builder = {}
            for site in self.facts.calls:
                func = site.call.func
                if isinstance(func, ast.Attribute) and func.attr in ("add_node", "add_edge", "set_entry_point", "add_conditional_edges"):
                    root = self._root(func.value, site.scope)
                    if root is not None:
                        self._by_builder.setdefault(id(root), []).append(site)
        return self._by_builder

    def _root(self, expr: ast.AST, scope: FunctionScope | None) -> ast.Call | None:
        """The ``DiGraphBuilder()`` call a chain of builder calls starts from."""
        for _ in range(64):
            expr, scope = self.bound(expr, scope)
            if not isinstance(expr, ast.Call):
                return None
            if (self.facts.qualname(expr.func) or "").endswith("DiGraphBuilder"):
                return expr
            if not isinstance(expr.func, ast.Attribute) or expr.func.attr not in ("add_node", "add_edge", "set_entry_point"):
                return None
            expr = expr.func.value
        return None

    def keyword(self, call: ast.Call, name: str) -> ast.expr | None | bool:
        """A keyword's expression, None when surely absent, False when ``**kwargs`` may pass it."""
        found = argument(call, name)
        if found is MISSING:
            return None
        return found if isinstance(found, ast.expr) else False
