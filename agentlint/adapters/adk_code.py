"""Google ADK agents defined in Python (``agent.py``) -> the entities the YAML twin emits.

Every ``Agent``/``LlmAgent``/``SequentialAgent``/``ParallelAgent``/``LoopAgent`` call becomes
one GraphPart, exactly as one Agent Config file does in adapters/adk.py (same edges, terminals,
escalation and limits; see its docstring for the semantics), so the same rules fire:

* the part is named ``<path>:<variable>`` after the name the agent is bound to, and answers to
  ``code:<path>:<line>:<column>`` (its call) and, at module level, ``py:<module>.<variable>``;
* a child of this module is named by its call's alias; a child imported from another module
  (``from .sub_agents.critic import critic_agent``) by ``py:<imported symbol>``, which
  ``model.code_link`` resolves to the module that defines it (re-exports through a package's
  ``__init__.py`` included) before the Project joins the parts into one graph;
* a child the module cannot see (a factory's result, a parameter) is no node and no edge: the
  part is incomplete and the agent may escalate (it runs something unseen);
* ``max_iterations`` is read statically (``int(os.getenv("LOOP_MAX_ITERATIONS", "5"))`` is 5);
  a value the module does not state bounds the loop by an unknown count: no back edge is
  drawn (a missed loop, never an invented one) and its last child may end it;
* ``generate_content_config=types.GenerateContentConfig(http_options=types.HttpOptions(
  timeout=…, retry_options=types.HttpRetryOptions(attempts=…)))`` (or dicts) gives the
  timeout (milliseconds) and attempts; a config passed from elsewhere, or a ``model`` that is
  not a model name (``LiteLlm(...)``, with its own settings), makes them unknown, not missing.

Every part declares ADK's run-level default ``RunConfig.max_llm_calls`` (500), as the YAML
parts do. The entry is the agent no other agent runs (resolved after linking).
"""

from __future__ import annotations

import ast
import math

from agentlint.adapters._code.adk_agents import LLM, LOOP, PARALLEL, SEQUENTIAL, AdkReader, AgentCall, Child, Imported, Local, read_limits
from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.instruction_code import instruction_text
from agentlint.adapters._code.scope import MISSING, ModuleFacts, argument, facts_of
from agentlint.adapters.adk import KEYS_OF_LIMITS
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.code_link import STEP, GraphRun, GraphSymbol
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Span

FRAMEWORK = "adk"
_SETTABLE = {
    LLM: frozenset({"role", "model", "timeout_seconds", "max_attempts"}),  # "model": it calls one, named or not
    LOOP: frozenset({"role", "max_iterations"}),
    SEQUENTIAL: frozenset({"role"}),
    PARALLEL: frozenset({"role"}),
}


def claims(path: str, text: str) -> bool:
    return path.endswith(".py") and "google.adk" in text


def call_alias(path: str, call: ast.Call) -> str:
    return f"code:{path}:{call.lineno}:{call.col_offset}"


class _Module:
    def __init__(self, loaded: LoadedFile, facts: ModuleFacts) -> None:
        self.path = loaded.path
        self.facts = facts
        self.reader = AdkReader(facts)
        self.out = Adapted()
        self.keys: dict[int, str] = {}
        seen: dict[str, int] = {}
        for agent in self.reader.agents.values():
            key = agent.variable or self._name(agent) or f"line{agent.call.lineno}"
            seen[key] = seen.get(key, 0) + 1
            self.keys[id(agent.call)] = key if seen[key] == 1 else f"{key}#{seen[key]}"
        # Who reads each agent's description (its role), among the parents this module builds: an
        # LlmAgent (it picks a transfer target by it) or an AgentTool (its tool description) does;
        # a SequentialAgent, LoopAgent or ParallelAgent never does (google-adk
        # flows/llm_flows/agent_transfer.py _get_transfer_targets: an agent's sub_agents, and its
        # parent and peers only when the parent is an LlmAgent). An agent whose parents are in
        # other modules is judged when the modules are linked (code_link: STEP references).
        self.role_read: dict[int, bool] = {}
        for agent in self.reader.agents.values():
            for child, _ in agent.children:
                if isinstance(child, Local):
                    self.role_read[id(child.call)] = self.role_read.get(id(child.call), False) or agent.cls == LLM
            for child, _ in agent.tool_agents:
                if isinstance(child, Local):
                    self.role_read[id(child.call)] = True

    def _name(self, agent: AgentCall) -> str | None:
        found = argument(agent.call, "name")
        value = self.facts.value(found, agent.scope) if isinstance(found, ast.expr) else None
        return value.value if isinstance(value, Static) and isinstance(value.value, str) and value.value else None

    def alias(self, child: Child) -> str:
        return call_alias(self.path, child.call) if isinstance(child, Local) else f"py:{child.symbol}"

    def adapt(self) -> Adapted:
        for agent in self.reader.agents.values():
            self.out.parts.append(self.part(agent))
            if agent.module_level and agent.variable:  # a Runner of another module may cap its graph
                key = self.keys[id(agent.call)]
                self.out.entities.append(GraphSymbol(NodeRef(self.path, ("symbols", agent.variable)), self.facts.span(agent.call.func), (),
                                                     f"{self.facts.key}.{agent.variable}", f"{self.path}:{key}"))
        self.run_config()
        return self.out

    def run_config(self) -> None:
        """``RunConfig(max_llm_calls=N)`` in a module whose ``Runner(agent=…)`` runs an agent of
        the same module: the run-level cap of that agent's graph (the highest one written; a
        value the module does not state is a cap of unknown size). A cap of 0 or less means
        none in ADK: left to the default, as is a RunConfig in another module."""
        facts = self.facts
        roots = []
        for site in facts.calls:
            if (site.callee or "").startswith("google.adk.runners.") and site.callee.rsplit(".", 1)[-1] in ("Runner", "InMemoryRunner"):
                found = argument(site.call, "agent")
                child = self.reader.child(found, site.scope) if isinstance(found, ast.expr) else None
                if isinstance(child, Local):
                    roots.append(child.call)
        imported: list[tuple[str, ast.Call]] = []  # Runner(agent=<an agent of another module>)
        for site in facts.calls:
            if (site.callee or "").startswith("google.adk.runners.") and site.callee.rsplit(".", 1)[-1] in ("Runner", "InMemoryRunner"):
                found = argument(site.call, "agent")
                child = self.reader.child(found, site.scope) if isinstance(found, ast.expr) else None
                if isinstance(child, Imported):
                    imported.append((child.symbol, site.call))
        limits: list[tuple[int | None, ast.expr]] = []
        for site in facts.calls:
            callee = site.callee or ""
            if callee.startswith("google.adk.") and callee.endswith(".RunConfig"):
                found = argument(site.call, "max_llm_calls")
                if isinstance(found, ast.expr):
                    value = facts.value(found, site.scope)
                    number = value.number() if isinstance(value, Static) else None
                    if number is None or (number > 0 and math.isfinite(number)):
                        limits.append((int(number) if number is not None else None, found))
        if not (roots or imported) or not limits:
            return
        stated = [item for item in limits if item[0] is not None]
        limit, at = max(stated, key=lambda item: item[0] or 0) if stated else limits[0]
        for symbol, runner in imported:  # linked to the graph of that agent by model.code_link
            self.out.entities.append(GraphRun(NodeRef(self.path, ("runs", symbol, runner.lineno)), facts.span(at), (), symbol, limit,
                                              setting="RunConfig.max_llm_calls"))
        for call in dict.fromkeys(roots):
            name = f"{self.path}:{self.keys[id(call)]}"
            self.out.parts.append(GraphPart(
                NodeRef(self.path, ("run_config", self.keys[id(call)])), facts.span(at), (("turn_limit", facts.span(at)),), name,
                framework=FRAMEWORK, turn_limit=limit, turn_limit_unstated=limit is None, turn_limit_setting="RunConfig.max_llm_calls",
            ))

    def part(self, agent: AgentCall) -> GraphPart:
        facts, call, cls = self.facts, agent.call, agent.cls
        key = self.keys[id(call)]
        base = NodeRef(self.path, ("agents", key))
        graph = f"{self.path}:{key}"
        name = self._name(agent) or key
        edges: list[Edge] = []
        references: list[AgentReference] = []
        terminals: list[str] = []
        opaque = not agent.children_known
        complete = agent.children_known

        def edge(source: str, target: str, kind: EdgeKind, at: ast.AST, pointer: tuple, condition: str | None = None,
                 max_traversals: int | None = None, bound_at: ast.AST | None = None) -> None:
            fields = (("max_traversals", facts.span(bound_at)),) if bound_at is not None else ()
            edges.append(Edge(base.child(*pointer), facts.span(at), fields, source, target, kind, graph, condition, max_traversals))

        children: list[tuple[str, ast.expr, int]] = []
        for index, (child, element) in enumerate(agent.children):
            if child is None:
                opaque, complete = True, False
                continue
            alias = self.alias(child)
            # a workflow agent's children are its steps: it never reads their description
            context = "sub-agent" if cls == LLM else STEP
            references.append(AgentReference(base.child("sub_agents", index), facts.span(element), (), alias, graph, context))
            children.append((alias, element, index))
        for index, (child, element) in enumerate(agent.tool_agents):
            if child is None:
                continue  # an agent tool the module cannot see: it answers its caller, no loop through it
            alias = self.alias(child)
            references.append(AgentReference(base.child("tools", "agent", index), facts.span(element), (), alias, graph, "tool agent"))
            edge(name, alias, EdgeKind.CALL, element, ("tools", "agent", index), "the model calls the agent tool")
            terminals.append(alias)
        bound, bound_at, bound_fields = self.bound(agent)
        if cls == LLM:
            for alias, element, index in children:
                edge(name, alias, EdgeKind.HANDOFF, element, ("sub_agents", index), "the model transfers to it")
                terminals.append(alias)
        elif cls == PARALLEL:
            for alias, element, index in children:
                edge(name, alias, EdgeKind.CALL, element, ("sub_agents", index))
                terminals.append(alias)
        elif children:
            for alias, element, index in children:
                edge(name, alias, EdgeKind.SEQUENCE, element, ("sub_agents", index))
            for (before, _, _), (after, element, index) in zip(children, children[1:]):
                edge(before, after, EdgeKind.SEQUENCE, element, ("sub_agents", index, "after"))
            if cls == SEQUENTIAL:
                terminals.extend(alias for alias, _, _ in children)
            elif bound is not None or bound_at is not None or opaque:
                terminals.append(children[-1][0])  # a bounded (or partly unseen) loop may end after it
            if cls == LOOP and (bound is not None or bound_at is None):
                edge(children[-1][0], children[0][0], EdgeKind.SEQUENCE, bound_at or call.func, ("loop",),
                     "the next iteration", max(0, bound - 1) if bound is not None else None, bound_at)
        if agent.escalates or opaque:
            terminals.append(name)  # may escalate: can end an enclosing loop
        for setting in ("instruction", "static_instruction", "global_instruction"):
            found = argument(call, setting)
            text = instruction_text(facts, found, agent.scope, base.child(setting), f"agent '{name}'", setting) if isinstance(found, ast.expr) else None
            if text is not None:
                self.out.entities.append(text)
        return GraphPart(
            base, self.agent_span(agent), (), graph, entry=name, terminals=tuple(dict.fromkeys(terminals)),
            agents=(self.agent(agent, base, graph, name, bound_fields),), edges=tuple(edges), references=tuple(references),
            framework=FRAMEWORK, aliases=self.aliases(agent, name), turn_limit_default="adk.max_llm_calls", complete=complete,
        )

    def aliases(self, agent: AgentCall, name: str) -> tuple[tuple[str, str], ...]:
        out = [(call_alias(self.path, agent.call), name)]
        if agent.module_level and agent.variable:
            out.append((f"py:{self.facts.key}.{agent.variable}", name))
        return tuple(out)

    def bound(self, agent: AgentCall) -> tuple[int | None, ast.AST | None, list[tuple[str, Span]]]:
        """A LoopAgent's max_iterations: (value, where, field); (None, where, []) when it is set
        to a value the module does not state; (None, None, []) when unset (or None)."""
        if agent.cls != LOOP:
            return None, None, []
        found = argument(agent.call, "max_iterations")
        if found is MISSING:
            return None, None, []
        if not isinstance(found, ast.expr):
            return None, agent.call, []  # **kwargs may set it
        value = self.facts.value(found, agent.scope)
        number = value.number() if isinstance(value, Static) else None
        if isinstance(value, Static) and (value.value is None or number == 0 or number == math.inf):
            return None, None, []  # no limit: ADK loops `while not self.max_iterations or times_looped < …`
        if number is not None and math.isfinite(number) and number == int(number) and number >= 0:
            return int(number), found, [("max_iterations", self.facts.span(found))]
        return None, found, []

    def agent_span(self, agent: AgentCall) -> Span:
        found = argument(agent.call, "name")
        return self.facts.span(found if isinstance(found, ast.expr) else agent.call.func)

    def agent(self, agent: AgentCall, base: NodeRef, graph: str, name: str, bound_fields: list[tuple[str, Span]]) -> Agent:
        facts, call, scope = self.facts, agent.call, agent.scope
        fields: list[tuple[str, Span]] = []
        values: dict[str, str | None] = {}
        for key, attrs in (("description", ("role", "description")), ("instruction", ("prompt",)), ("model", ("model",))):
            found = argument(call, key)
            if not isinstance(found, ast.expr):
                values[key] = None
                continue
            value = facts.value(found, scope)
            text = value.value if isinstance(value, Static) and isinstance(value.value, str) else None
            values[key] = text.strip() if key == "description" and text else text
            if key != "description" or values[key]:
                fields.extend((attr, facts.span(found)) for attr in attrs)
        tools = argument(call, "tools")
        if isinstance(tools, ast.expr):
            fields.append(("tools", facts.span(tools)))
        settable = set(_SETTABLE[agent.cls])
        if agent.variable == "root_agent" or self.role_read.get(id(call)) is False:
            settable.discard("role")  # no parent reads it: the root, or a workflow agent's step
        timeout = attempts = None
        if agent.cls == LLM:
            limits = read_limits(self.reader, agent)
            model = argument(call, "model")
            if model is not MISSING and values["model"] is None:
                settable -= {"timeout_seconds", "max_attempts"}  # LiteLlm(...) / Gemini(...): its own settings
            settable -= limits.unknown
            if limits.timeout_at is not None:
                timeout = limits.timeout
                fields.append(("timeout_seconds", facts.span(limits.timeout_at)))
            if limits.attempts_at is not None:
                attempts = limits.attempts
                fields.append(("max_attempts", facts.span(limits.attempts_at)))  # attempts count the first try
        description = values.get("description") or None
        return Agent(
            base, self.agent_span(agent), tuple(fields + bound_fields), name, graph, FRAMEWORK,
            role=description, model=values.get("model"), prompt=values.get("instruction"), tools=tuple(agent.tools),
            timeout_seconds=timeout, max_attempts=attempts, description=description,
            settable=frozenset(settable), keys=KEYS_OF_LIMITS,
        )


def adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    if facts is None:
        return Adapted()
    return _Module(loaded, facts).adapt()


ADAPTER = Adapter("adk-code", frozenset({Syntax.PYTHON}), claims, adapt)
