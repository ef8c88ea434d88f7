"""PydanticAI code (``from pydantic_ai import Agent``) -> one single-agent graph per ``Agent(...)``.

Each ``Agent(...)`` call is an Agent, labelled by its ``name=`` when stated, else by the
variable it is bound to. Agent delegation (a tool of agent A, ``@a.tool``/``@a.tool_plain`` or
listed in ``tools=[...]``, that runs agent B) is a ``DELEGATE`` edge A -> B; agents joined by
such edges form one GraphPart named ``<path>:<label>`` after the agent no other one runs (its
entry), every agent a terminal; an agent on its own is a single-agent graph.

- ``retries=`` (tool-call and output-validation retries; model HTTP retries belong to the
  client, which other adapters read) is ``max_attempts = retries + 1``. Left unset, the
  framework default applies (``pydantic-ai.retries``: 1, implicit); set to a value the module
  does not state, it is a limit of unknown size (not settable here, never reported missing).
- The run-level cap is ``UsageLimits(request_limit=)`` passed as ``usage_limits=`` to
  ``agent.run/run_sync/run_stream/iter`` in the module: the worst case over the agent's runs.
  A run without ``usage_limits=``, or with ``UsageLimits()`` leaving ``request_limit`` unset,
  gets the default of 50 requests (``pydantic-ai.request_limit``, an implicit bound: info at
  most); ``request_limit=None`` is no bound; a value not stated is a bound of unknown size.
  An agent the module never runs is bounded by that default, unless another module runs it
  (``from .agents import support_agent`` … ``support_agent.run(..., usage_limits=...)``): such a
  run with a stated ``request_limit`` is a ``GraphRun`` linked to the agent's graph after every
  module is read (the module-level variable is a ``GraphSymbol``); one with ``None`` or a value
  not stated makes the cap unknown (a run-level cap the link cannot express as disabled is not
  reported as the default either); one without ``usage_limits`` leaves the default.

Static ``system_prompt=``/``instructions=`` strings are located instruction text (AL408 judges
them); a list or tuple of prompts, or a function, is not read. The model is the id written
(``"openai:gpt-4o"``) or the ``model_name`` of a ``pydantic_ai.models`` object made in the
module, located there (AL409); an Azure deployment name (``azure:``, ``provider=AzureProvider``)
or an id the environment may override is not read.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.agent_calls import BuiltAgent, Limit, bound_call, built_agents, callee_of, limit_of, runs_of
from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.instruction_code import instruction_text
from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument, argument_span, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.code_link import GraphRun, GraphSymbol
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Span

FRAMEWORK = "pydantic-ai"
RETRIES_KEY = "pydantic-ai.retries"
REQUESTS_KEY = "pydantic-ai.request_limit"
_AGENTS = frozenset({"pydantic_ai.Agent", "pydantic_ai.agent.Agent"})
_LIMITS = frozenset({"pydantic_ai.UsageLimits", "pydantic_ai.usage.UsageLimits", "pydantic_ai.settings.UsageLimits"})
_RUNS = frozenset({"run", "run_sync", "run_stream", "iter", "run_stream_events"})
_MODELS = "pydantic_ai.models."  # OpenAIChatModel, AnthropicModel, GoogleModel ... (model_name first)


def claims(path: str, text: str) -> bool:
    return path.endswith(".py") and "pydantic_ai" in text


def _request_limit(facts: ModuleFacts, run: ast.Call, scope: FunctionScope | None) -> tuple[Limit, Span]:
    given = argument(run, "usage_limits")
    if given is MISSING:
        return ("default", None), facts.span(run)
    if not isinstance(given, ast.expr):
        return ("unknown", None), facts.span(run)
    limits = bound_call(facts, given, scope)
    if isinstance(limits, ast.Constant) and limits.value is None:
        return ("default", None), facts.span(given)
    if isinstance(limits, ast.Call) and callee_of(facts, limits) in _LIMITS:
        return limit_of(facts, limits, "request_limit", scope), argument_span(facts, limits, "request_limit")
    return ("unknown", None), facts.span(given)


def _turn_limit(limits: list[tuple[Limit, Span]]) -> tuple[int | None, bool, str | None, Span | None]:
    """(turn_limit, unstated, default key, where): the worst case over the agent's runs."""
    if not limits:
        return None, False, REQUESTS_KEY, None
    for (kind, _), span in limits:
        if kind == "none":
            return None, False, None, span
    for (kind, _), span in limits:
        if kind == "unknown":
            return None, True, None, span
    stated = [(value, span) for (kind, value), span in limits if kind == "value" and isinstance(value, float)]
    highest = max(stated, key=lambda pair: pair[0]) if stated else None
    if any(kind == "default" for (kind, _), _ in limits) and (highest is None or highest[0] < 50):
        return None, False, REQUESTS_KEY, None
    assert highest is not None
    return int(highest[0]), False, None, highest[1]


def _agent(facts: ModuleFacts, built: BuiltAgent, base: NodeRef, graph: str) -> Agent:
    fields: list[tuple[str, Span]] = []
    implicit: tuple[tuple[str, str], ...] = ()
    settable = {"model", "max_attempts"}
    attempts = None
    written: tuple[tuple[str, str], ...] = ()
    kind, value = limit_of(facts, built.call, "retries", built.scope)
    if kind == "value" and isinstance(value, float):
        attempts = int(value) + 1
        fields.append(("max_attempts", argument_span(facts, built.call, "retries")))
        written = (("max_attempts", f"retries={int(value)}"),)
    elif kind == "default":
        implicit = (("max_attempts", RETRIES_KEY),)
    else:
        settable.discard("max_attempts")  # set from where the module cannot see
    model, where = _model(facts, built)
    if model is not None and where is not None:
        fields.append(("model", where))
    return Agent(base.child("agents", built.label), built.span, tuple(fields), built.label, graph, FRAMEWORK,
                 model=model, max_attempts=attempts, implicit=implicit, settable=frozenset(settable),
                 keys=(("max_attempts", "retries"),), written=written)


def _model(facts: ModuleFacts, built: BuiltAgent) -> tuple[str | None, Span | None]:
    """The model id as written: ``Agent("openai:gpt-4o")``, or the name of a model object made
    in the module (``OpenAIChatModel("gpt-4o", provider=...)``); one the deployment may
    override (``os.getenv("MODEL", ...)``) or that the module does not state is unknown."""
    given = argument(built.call, "model", 0)
    if not isinstance(given, ast.expr):
        return None, None
    made = bound_call(facts, given, built.scope)
    if isinstance(made, ast.Call):
        if not (callee_of(facts, made) or "").startswith(_MODELS):
            return None, None
        provider = argument(made, "provider")
        if provider is not MISSING and not isinstance(provider, ast.expr):
            return None, None  # **kwargs may pass an Azure provider
        if isinstance(provider, ast.expr) and "azure" in ast.dump(bound_call(facts, provider, built.scope)).lower():
            return None, None  # an Azure deployment name: its model version is chosen in Azure
        given = argument(made, "model_name", 0)
        if not isinstance(given, ast.expr):
            return None, None
    known = facts.value(given, built.scope)
    if isinstance(known, Static) and known.env is None and isinstance(known.value, str) and known.value.strip():
        if known.value.strip().lower().startswith("azure:"):
            return None, None
        return known.value, facts.span(given)
    return None, None


def _tool_functions(facts: ModuleFacts, built: BuiltAgent) -> list[ast.AST]:
    """The module's functions given to ``built`` as tools: ``@agent.tool``/``@agent.tool_plain``
    (with or without arguments), or named in its ``tools=[fn, Tool(fn)]``."""
    out: list[ast.AST] = []
    for function in facts.functions.values():
        for decorator in getattr(function, "decorator_list", ()):
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if (isinstance(target, ast.Attribute) and target.attr in ("tool", "tool_plain")
                    and bound_call(facts, target.value, None) is built.call):
                out.append(function)
    given = argument(built.call, "tools")
    if isinstance(given, ast.expr):
        listed = bound_call(facts, given, built.scope)
        for item in listed.elts if isinstance(listed, (ast.List, ast.Tuple)) else ():
            if isinstance(item, ast.Call) and item.args:  # Tool(fn, ...)
                item = item.args[0]
            if isinstance(item, ast.Name) and item.id in facts.functions:
                out.append(facts.functions[item.id])
    return out


def _delegations(facts: ModuleFacts, agents: list[BuiltAgent]) -> dict[int, list[tuple[BuiltAgent, Span]]]:
    """Agent delegation: a tool of agent A that runs agent B (``await b.run(..., usage=ctx.usage)``)."""
    out: dict[int, list[tuple[BuiltAgent, Span]]] = {id(a.call): [] for a in agents}
    runs = {id(a.call): runs_of(facts, a, _RUNS) for a in agents}
    for agent in agents:
        for function in _tool_functions(facts, agent):
            for other in agents:
                for run, scope in runs[id(other.call)]:
                    if scope is not None and scope.node is function and other is not agent:
                        out[id(agent.call)].append((other, facts.span(run.func)))
    return out


def adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    if facts is None:
        return Adapted()
    out = Adapted()
    path = facts.module.path
    agents = built_agents(facts, _AGENTS)
    delegates = _delegations(facts, agents)
    parent = {id(a.call): id(a.call) for a in agents}

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for agent in agents:
        for target, _ in delegates[id(agent.call)]:
            parent[root(id(agent.call))] = root(id(target.call))
    groups: dict[int, list[BuiltAgent]] = {}
    for agent in agents:
        groups.setdefault(root(id(agent.call)), []).append(agent)
    for group in groups.values():
        targets = {id(t.call) for a in group for t, _ in delegates[id(a.call)]}
        heads = [a for a in group if id(a.call) not in targets]
        head = heads[0] if heads else group[0]
        name = f"{path}:{head.label}"
        base = NodeRef(path, ("graph", head.label))
        members = [_agent(facts, built, base, name) for built in group]
        for built in group:
            for setting in ("system_prompt", "instructions"):
                given = argument(built.call, setting)
                if isinstance(given, ast.expr):
                    text = instruction_text(facts, given, built.scope, base.child("agents", built.label, setting),
                                            f"agent '{built.label}'", setting)
                    if text is not None:
                        out.entities.append(text)
        edges, refs = [], []
        for built in group:
            for target, span in delegates[id(built.call)]:
                ref = base.child("edges", f"{built.label}->{target.label}@{span.start.line}")
                edges.append(Edge(ref, span, (), built.label, target.label, EdgeKind.DELEGATE, name,
                                  f"{built.label} runs {target.label} from a tool"))
                refs.append(AgentReference(ref.child("target"), span, (), target.label, name, "edge target"))
        # the run-level cap: the runs that start the group (its head's), the others run inside its tools
        limits = [_request_limit(facts, run, scope) for run, scope in runs_of(facts, head, _RUNS)]
        limit, unstated, default, span = _turn_limit(limits)
        out.parts.append(GraphPart(
            base, head.span, (("turn_limit", span),) if span is not None else (), name,
            entry=head.label if len(heads) == 1 else None, terminals=tuple(a.name for a in members),
            agents=tuple(members), edges=tuple(edges), references=tuple(refs), framework=FRAMEWORK,
            turn_limit=limit, turn_limit_default=default, turn_limit_unstated=unstated,
            turn_limit_setting="usage_limits.request_limit" if limit is not None or unstated else None,
            entry_declarable=False,
        ))
        for built in group:  # another module may run it: its runs are linked by this name
            variable = next((v for v, bound in facts.bindings.items() if bound is built.call), None)
            if built.scope is None and variable is not None:
                out.entities.append(GraphSymbol(NodeRef(path, ("symbols", variable)), built.span, (), f"{facts.key}.{variable}", name))
    out.entities.extend(_foreign_runs(facts))
    return out


def _foreign_runs(facts: ModuleFacts) -> list[GraphRun]:
    """Runs, in this module, of an agent imported from another module, with a cap that is not
    the default: a stated request_limit, or one disabled or not stated (unknown)."""
    out: list[GraphRun] = []
    for site in facts.calls:
        func = site.call.func
        if not (isinstance(func, ast.Attribute) and func.attr in _RUNS and isinstance(func.value, ast.Name)):
            continue
        name = func.value.id
        symbol = facts.imports.get(name)
        if (symbol is None or symbol.startswith("pydantic_ai") or name in facts.bindings
                or (site.scope is not None and name in site.scope.bindings)):
            continue
        (kind, value), span = _request_limit(facts, site.call, site.scope)
        if kind == "default":
            continue
        limit = int(value) if kind == "value" and isinstance(value, float) else None
        ref = NodeRef(facts.module.path, ("runs", symbol, site.call.lineno))
        out.append(GraphRun(ref, span, (), symbol, limit, True, "usage_limits.request_limit"))
    return out


ADAPTER = Adapter("pydantic-ai-code", frozenset({Syntax.PYTHON}), claims, adapt)
