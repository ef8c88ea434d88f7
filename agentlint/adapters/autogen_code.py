"""AutoGen AgentChat teams defined in Python -> the entities their component JSON emits.

Each team call (``RoundRobinGroupChat``, ``SelectorGroupChat``, ``Swarm``,
``MagenticOneGroupChat``, ``GraphFlow``) becomes one GraphPart named ``<path>:<variable>``,
with the edges adapters/autogen.py draws for the same team (see its docstring): round robin
is a cycle in participant order; selector and MagenticOne let the model pick any participant
after any other; a swarm speaker keeps the turn until it hands off (``handoffs=[...]``); a
GraphFlow has the ``DiGraphBuilder`` edges. The run stops when ``termination_condition`` fires
or at ``max_turns`` (MagenticOne: 20 by default); then every participant is a terminal.

Termination is read as _code/autogen_stop.py says: ``MaxMessageTermination(n)`` caps the
turns like ``max_turns`` (the smaller wins); ``|`` stops at the first operand, ``&`` only when
all have fired, so it bounds only if every operand does; ``TimeoutTermination`` and
``TokenUsageTermination`` are run-level caps of no stated turn count (a bound of unknown
size: ``turn_limit_unstated``); a team whose only stop is ``TextMentionTermination`` or
``HandoffTermination`` (a text or handoff the model may never produce) has no bound, and
AutoGen's ``max_turns`` defaults to none: the loop rules report it like the JSON twin's. A
round robin through a ``UserProxyAgent`` with a termination condition waits for a person every
round, who can say the word: a bound of unstated size, not an unbounded loop.

Agents: ``name`` (first argument), ``description``, ``system_message``, the model client's
``model``/``timeout``/``max_retries`` when the client is built in the module, tool names,
``max_tool_iterations``. AgentChat agents always have a description (a default one), and no
timeout or retry field of their own, so neither is asked of them. A participant imported from
another module is linked by ``model.code_link`` (its module defines it as a lone agent part);
one the module cannot see (a custom agent class, a factory's result) is a participant named
after its expression, of which nothing else is known.
"""

from __future__ import annotations

import ast
import math
from dataclasses import replace

from agentlint.adapters._code.autogen_stop import read_stop
from agentlint.adapters._code.autogen_teams import Member, Reader, is_agent, team_class
from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.instruction_code import instruction_text
from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.budget import finite
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Span

FRAMEWORK = "autogen"


def claims(path: str, text: str) -> bool:
    return path.endswith(".py") and "autogen_agentchat" in text


class _Module:
    def __init__(self, loaded: LoadedFile, facts: ModuleFacts) -> None:
        self.path = loaded.path
        self.facts = facts
        self.reader = Reader(facts)
        self.out = Adapted()
        self.used: set[int] = set()  # agent calls that are participants of a team of this module
        self.keys: dict[str, int] = {}
        self.instructed: set[int] = set()  # agent calls whose system_message is recorded
        self._names: dict[int, dict[int, str]] = {}  # per bindings table: id(bound call) -> name

    def variable(self, call: ast.Call, scope: FunctionScope | None) -> tuple[str | None, bool]:
        """The name a call is bound to (module level first), from tables built once per scope."""
        for bindings, module_level in ((self.facts.bindings, True), (scope.bindings if scope is not None else None, False)):
            if bindings is None:
                continue
            table = self._names.get(id(bindings))
            if table is None:
                table = self._names[id(bindings)] = {}
                for name, value in bindings.items():
                    if isinstance(value, ast.Call):
                        table.setdefault(id(value), name)
            if id(call) in table:
                return table[id(call)], module_level
        return None, False

    def key(self, wanted: str) -> str:
        self.keys[wanted] = self.keys.get(wanted, 0) + 1
        return wanted if self.keys[wanted] == 1 else f"{wanted}#{self.keys[wanted]}"

    def adapt(self) -> Adapted:
        for site in self.facts.calls:
            kind = team_class(site.callee)
            if kind is not None:
                self.out.parts.append(self.team(site.call, kind, site.scope))
        for site in self.facts.calls:
            if is_agent(site.callee) and id(site.call) not in self.used:
                variable, module_level = self.variable(site.call, site.scope)
                if module_level and variable:
                    agent = self.agent(site.call, site.scope, f"{self.path}:{variable}")
                    self.out.parts.append(GraphPart(
                        agent.ref, agent.span, (), agent.graph, entry=agent.name, agents=(agent,), framework=FRAMEWORK,
                        aliases=((f"py:{self.facts.key}.{variable}", agent.name),),
                    ))
        return self.out

    # -- agents ----------------------------------------------------------------------------
    def member_id(self, member: Member, scope: FunctionScope | None) -> str:
        if member.call is not None:
            return self.reader.agent_name(member.call, scope) or member.label or self.facts.module.segment(member.expr)
        if member.symbol is not None:
            return f"py:{member.symbol}"
        return member.label

    def agent(self, call: ast.Call, scope: FunctionScope | None, graph: str) -> Agent:
        facts = self.facts
        variable, _ = self.variable(call, scope)
        name = self.reader.agent_name(call, scope) or variable or f"line{call.lineno}"
        name_at = argument(call, "name", 0)
        span = facts.span(name_at if isinstance(name_at, ast.expr) else call.func)
        fields: list[tuple[str, Span]] = []
        texts: dict[str, str | None] = {}
        for key, attrs in (("description", ("role", "description")), ("system_message", ("prompt",))):
            found = argument(call, key)
            value = facts.value(found, scope) if isinstance(found, ast.expr) else None
            texts[key] = value.value if isinstance(value, Static) and isinstance(value.value, str) and value.value.strip() else None
            if texts[key] is not None:
                fields.extend((attr, facts.span(found)) for attr in attrs)  # type: ignore[arg-type]
        model = timeout = attempts = iterations = None
        written: tuple[tuple[str, str], ...] = ()
        client_expr = argument(call, "model_client", 1)
        client, inner = self.reader.bound(client_expr, scope) if isinstance(client_expr, ast.expr) else (None, None)
        if isinstance(client, ast.Call):
            for key in ("model", "azure_deployment"):
                found = argument(client, key)
                value = facts.value(found, inner) if isinstance(found, ast.expr) else None
                if model is None and isinstance(value, Static) and isinstance(value.value, str):
                    model = value.value
                    # a client shared by several agents: each agent's finding points at its own use
                    shown = client_expr if isinstance(client_expr, ast.Name) else found
                    fields.append(("model", facts.span(shown)))  # type: ignore[arg-type]
            found = argument(client, "timeout")
            value = facts.value(found, inner) if isinstance(found, ast.expr) else None
            number = value.number() if isinstance(value, Static) else None
            if number is not None and number > 0:
                timeout = finite(number)
                fields.append(("timeout_seconds", facts.span(found)))  # type: ignore[arg-type]
            found = argument(client, "max_retries")
            value = facts.value(found, inner) if isinstance(found, ast.expr) else None
            if isinstance(value, Static) and isinstance(value.value, int) and not isinstance(value.value, bool) and value.value >= 0:
                attempts = value.value + 1
                fields.append(("max_attempts", facts.span(found)))  # type: ignore[arg-type]
                written = (("max_attempts", f"max_retries={value.value}"),)
        found = argument(call, "max_tool_iterations")
        value = facts.value(found, scope) if isinstance(found, ast.expr) else None
        if isinstance(value, Static) and isinstance(value.value, int) and not isinstance(value.value, bool) and value.value > 0:
            iterations = value.value
            fields.append(("max_iterations", facts.span(found)))  # type: ignore[arg-type]
        found = argument(call, "system_message")
        if isinstance(found, ast.expr) and id(call) not in self.instructed:
            self.instructed.add(id(call))
            text = instruction_text(facts, found, scope, NodeRef(self.path, ("agents", variable or name, "system_message")), f"agent '{name}'", "system_message")
            if text is not None:
                self.out.entities.append(text)
        tools = self.tools(call, scope)
        if tools:
            fields.append(("tools", facts.span(argument(call, "tools"))))  # type: ignore[arg-type]
        settable = {"model", "prompt", "tools"}
        if (facts.qualname(call.func) or "").endswith("AssistantAgent"):
            settable.add("max_iterations")
        settable |= {a for a, v in (("timeout_seconds", timeout), ("max_attempts", attempts)) if v is not None}
        return Agent(
            NodeRef(self.path, ("agents", variable or name)), span, tuple(fields), name, graph, FRAMEWORK,
            role=texts["description"], model=model, prompt=texts["system_message"], tools=tools,
            timeout_seconds=timeout, max_attempts=attempts, max_iterations=iterations, description=texts["description"],
            settable=frozenset(settable), written=written,
        )

    def tools(self, call: ast.Call, scope: FunctionScope | None) -> tuple[str, ...]:
        found = argument(call, "tools")
        if not isinstance(found, ast.expr):
            return ()
        target, inner = self.reader.bound(found, scope)
        names = []
        for item in target.elts if isinstance(target, (ast.List, ast.Tuple)) else ():
            node, _ = self.reader.bound(item, inner)
            if isinstance(item, ast.Name) and not isinstance(node, ast.Call):
                names.append(item.id)
            elif isinstance(node, ast.Call):
                named = argument(node, "name", 2)
                value = self.facts.value(named, inner) if isinstance(named, ast.expr) else None
                func = argument(node, "func", 0)
                if isinstance(value, Static) and isinstance(value.value, str):
                    names.append(value.value)
                elif isinstance(func, ast.Name):
                    names.append(func.id)
        return tuple(dict.fromkeys(names))

    # -- teams -----------------------------------------------------------------------------
    def team(self, call: ast.Call, kind: str, scope: FunctionScope | None) -> GraphPart:
        facts, reader = self.facts, self.reader
        variable, _ = self.variable(call, scope)
        key = self.key(variable or f"line{call.lineno}")
        graph = f"{self.path}:{key}"
        base = NodeRef(self.path, ("teams", key))
        members, complete = reader.members(call, scope)
        flow = reader.flow(call, scope) if kind == "GraphFlow" else None
        if flow is not None:
            complete = complete and flow.known
            if not members and flow.nodes:
                members, complete = [reader.member(n, scope) for n in flow.nodes], flow.known
        agents: dict[str, Agent] = {}
        order: list[str] = []
        references: list[AgentReference] = []
        for index, member in enumerate(members):
            ident = self.member_id(member, scope)
            if member.call is not None:
                agent = self.agent(member.call, scope, graph)
                if id(member.call) in self.used:  # in an earlier team too: its model is judged there once
                    agent = replace(agent, model=None, prompt=None, fields=tuple(f for f in agent.fields if f[0] != "model"))
                self.used.add(id(member.call))
                agents.setdefault(ident, agent)
            elif member.symbol is None:
                agents.setdefault(ident, Agent(base.child("participants", index), facts.span(member.expr), (), ident, graph, FRAMEWORK, settable=frozenset()))
            else:
                references.append(AgentReference(base.child("participants", index), facts.span(member.expr), (), ident, graph, "participant"))
            order.append(ident)
        order = list(dict.fromkeys(order))
        if kind == "Swarm" and any(m.call is None for m in members):
            complete = False  # a member defined elsewhere hands off where this module cannot see
        # 0.4 took termination_condition second for round robin and swarm (later: keyword only)
        position = 1 if kind in ("RoundRobinGroupChat", "Swarm") else None
        stop = read_stop(facts, self._keyword(call, "termination_condition", position), scope)
        turns_at = argument(call, "max_turns")
        turns = facts.value(turns_at, scope) if isinstance(turns_at, ast.expr) else None
        number = turns.number() if isinstance(turns, Static) else None
        max_turns = int(number) if number is not None and math.isfinite(number) and number >= 1 and number == int(number) else None
        no_cap = isinstance(turns, Static) and (turns.value is None or number == math.inf)
        turns_unstated = isinstance(turns_at, ast.expr) and max_turns is None and not no_cap
        caps = [(v, at, s) for v, at, s in ((max_turns, turns_at, "max_turns"), (stop.count, stop.count_at, "max_messages")) if v is not None]
        limit, limit_at, setting = min(caps, key=lambda c: c[0]) if caps else (None, None, None)
        # a round robin through a UserProxyAgent waits for a person every round, who can stop it
        human = kind == "RoundRobinGroupChat" and stop.exists and any(
            m.call is not None and (facts.qualname(m.call.func) or "").endswith(".UserProxyAgent") for m in members
        )
        unstated = limit is None and (turns_unstated or stop.bounded or human)
        default = None
        if kind == "MagenticOneGroupChat" and argument(call, "max_turns") is MISSING:
            default = "autogen.magentic_max_turns"  # max_turns not passed: 20
        elif limit is None and not unstated and kind != "MagenticOneGroupChat":
            default = "autogen.max_turns"
        stops = stop.exists or limit is not None or unstated or kind == "MagenticOneGroupChat"
        edges, entry = self.edges(kind, call, scope, base, graph, order, members, stop.handoff_targets, flow, references)
        fields = [("participants", facts.span(argument(call, "participants", 0)))] if isinstance(argument(call, "participants", 0), ast.expr) else []
        if limit_at is not None:
            fields.append(("turn_limit", facts.span(limit_at)))
        return GraphPart(
            base, facts.span(call.func), tuple(fields), graph, entry=entry, terminals=tuple(order) if stops else (),
            agents=tuple(agents.values()), edges=tuple(edges), references=tuple(references), framework=FRAMEWORK,
            turn_limit=limit, turn_limit_default=default, turn_limit_unstated=unstated, turn_limit_setting=setting,
            terminates=stop.exists, complete=complete,
        )

    @staticmethod
    def _keyword(call: ast.Call, name: str, position: int | None) -> ast.expr | None:
        """The argument, None when surely absent; ``**kwargs``/``*args`` that may pass it read
        as a condition this module does not state."""
        found = argument(call, name, position)
        if isinstance(found, ast.expr):
            return found
        return None if found is MISSING else ast.Name("__unknown__")

    def edges(self, kind: str, call: ast.Call, scope: FunctionScope | None, base: NodeRef, graph: str, order: list[str],
              members: list[Member], exits: set[str], flow, references: list[AgentReference]) -> tuple[list[Edge], str | None]:  # type: ignore[no-untyped-def]
        facts = self.facts
        declared = argument(call, "participants", 0)
        where = facts.span(declared) if isinstance(declared, ast.expr) else facts.span(call.func)
        edges: list[Edge] = []

        def edge(source: str, target: str, kind_: EdgeKind, condition: str | None, span: Span, label: str) -> None:
            edges.append(Edge(base.child("edges", label), span, (), source, target, kind_, graph, condition))

        if not order:
            return edges, None
        if kind == "RoundRobinGroupChat":
            for i, name in enumerate(order):
                edge(name, order[(i + 1) % len(order)], EdgeKind.SEQUENCE, None, where, f"{i}")
            return edges, order[0]
        if kind in ("SelectorGroupChat", "MagenticOneGroupChat"):
            chooser = "the selector model picks it" if kind == "SelectorGroupChat" else "the orchestrator picks it"
            repeat_at = argument(call, "allow_repeated_speaker")
            repeat_value = facts.value(repeat_at, scope) if isinstance(repeat_at, ast.expr) else None
            repeat = kind == "MagenticOneGroupChat" or len(order) == 1 or (isinstance(repeat_value, Static) and repeat_value.value is True)
            for i, source in enumerate(order):
                for j, target in enumerate(order):
                    if source != target or repeat:
                        edge(source, target, EdgeKind.HANDOFF, chooser, where, f"{i}-{j}")
            return edges, order[0]
        if kind == "Swarm":
            for i, member in enumerate(members):
                source = order[i] if i < len(order) else None
                if source is None:
                    continue
                edge(source, source, EdgeKind.SEQUENCE, "no handoff", where, f"{i}")
                if member.call is None:
                    continue
                for j, (target, at) in enumerate(self.reader.handoffs(member.call, scope)):
                    if target in exits and target not in order:
                        continue  # a HandoffTermination on this target ends the run
                    span = facts.span(at)
                    edge(source, target, EdgeKind.HANDOFF, f"transfer_to_{target}", span, f"{i}-handoff-{j}")
                    references.append(AgentReference(base.child("edges", f"{i}-handoff-{j}", "target"), span, (), target, graph, "edge target"))
            return edges, order[0]
        # GraphFlow
        targets: set[str] = set()
        for index, spec in enumerate(flow.edges if flow is not None else ()):
            source, target = self.flow_node(spec.source, scope), self.flow_node(spec.target, scope)
            if source is None or target is None:
                continue
            edge(source, target, EdgeKind.SEQUENCE, spec.condition, facts.span(spec.at), f"flow-{index}")
            targets.add(target)
        if flow is not None and flow.entry is not None:
            entry = self.flow_node(flow.entry, scope)
            if entry is not None:
                return edges, entry
        starts = [name for name in order if name not in targets]
        return edges, starts[0] if len(starts) == 1 else None

    def flow_node(self, expr: ast.expr, scope: FunctionScope | None) -> str | None:
        value = self.facts.value(expr, scope)
        if isinstance(value, Static) and isinstance(value.value, str):
            return value.value
        member = self.reader.member(expr, scope)
        return self.member_id(member, scope)


def adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    if facts is None:
        return Adapted()
    return _Module(loaded, facts).adapt()


ADAPTER = Adapter("autogen-code", frozenset({Syntax.PYTHON}), claims, adapt)
