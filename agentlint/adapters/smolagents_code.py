"""smolagents code (``from smolagents import CodeAgent, ToolCallingAgent``) -> neutral graphs.

Each ``CodeAgent(...)``/``ToolCallingAgent(...)`` is an Agent; a manager's
``managed_agents=[...]`` are ``DELEGATE`` edges (the managed agent works on a sub-task and
reports back), and agents joined by them form one graph named ``<path>:<label>`` after the
manager no other agent manages (else the first). An agent is labelled by its ``name=`` when
stated, else by its variable. Every agent may end its run by answering: all are terminals.

``max_steps=`` is the agent's own loop bound (``max_iterations``): unset, the default of 20
steps applies (``smolagents.max_steps``, implicit: info at most); set to a value the module
does not state, a bound of unknown size (not settable here, never reported missing). A run
``agent.run(task, max_steps=N)`` in the module overrides it for that run (``max_steps or
self.max_steps``): the bound is the worst case over the agent's runs. A
``managed_agents`` list the module cannot read (a parameter, a comprehension) leaves the graph
incomplete: rules built on an edge's absence skip it. A static ``instructions=`` string is
located instruction text (AL408 judges it). The agent's model is the ``model_id`` of the model
object it is given, made in the module (``LiteLLMModel(model_id=...)``, ``OpenAIServerModel``,
``InferenceClientModel`` ...), located there; one object given to several agents is the model
of the first only, so that it is judged once (AL409). ``AzureOpenAIServerModel`` (a deployment
name) and ids the environment may override are not read.

A ``CodeAgent`` runs the Python its model writes. With ``executor_type="local"``, or with no
``executor_type`` (the default is ``"local"``: ``CodeAgent.__init__(..., executor_type=
"local")`` in smolagents/agents.py; before it, ``use_e2b_executor=False``), that code runs in
this process, in smolagents' restricted interpreter: a CodeExecution fact (AL226). A remote
executor (``"e2b"``, ``"docker"``, ``"modal"``, ``"wasm"`` …), ``use_e2b_executor=True``, an
``executor=`` object, or a value the module does not state is no fact.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.agent_calls import BuiltAgent, Limit, bound_call, built_agents, callee_of, limit_of, runs_of
from agentlint.adapters._code.scope import MISSING, ModuleFacts, argument, argument_span, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.instruction_code import instruction_text
from agentlint.model.code_execution import CodeExecution, ExecutionKind
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Span

FRAMEWORK = "smolagents"
STEPS_KEY = "smolagents.max_steps"
_RUNS = frozenset({"run"})
_DEFAULT_STEPS = 20.0
_AGENTS = frozenset({f"smolagents{mid}.{kind}" for mid in ("", ".agents") for kind in ("CodeAgent", "ToolCallingAgent")})
# model classes whose model_id names the provider's model (AzureOpenAIServerModel's is a deployment)
_MODELS = frozenset({
    f"smolagents{mid}.{kind}" for mid in ("", ".models")
    for kind in ("LiteLLMModel", "OpenAIServerModel", "OpenAIModel", "InferenceClientModel", "HfApiModel", "AmazonBedrockModel",
                 "AmazonBedrockServerModel")
})


def claims(path: str, text: str) -> bool:
    return path.endswith(".py") and "smolagents" in text


def _managed(facts: ModuleFacts, built: BuiltAgent, by_call: dict[int, BuiltAgent]) -> tuple[list[tuple[BuiltAgent, Span]], bool]:
    """The agents ``built`` manages, with where each is named, and whether the list is fully read."""
    given = argument(built.call, "managed_agents")
    if given is MISSING:
        return [], True
    if not isinstance(given, ast.expr):
        return [], False
    items = bound_call(facts, given, built.scope)
    if isinstance(items, ast.Constant) and items.value is None:
        return [], True
    if not isinstance(items, (ast.List, ast.Tuple)):
        return [], False
    out, complete = [], True
    for item in items.elts:
        target = by_call.get(id(bound_call(facts, item, built.scope)))
        if target is None:
            complete = False
        else:
            out.append((target, facts.span(item)))
    return out, complete


def _steps(facts: ModuleFacts, built: BuiltAgent) -> tuple[str, float | str | None, Span]:
    """The agent's step bound: the worst case over its runs in the module (a run's own
    ``max_steps`` when it states a positive one, else the agent's), or the agent's own."""
    own: Limit = limit_of(facts, built.call, "max_steps", built.scope)
    own_span = argument_span(facts, built.call, "max_steps")
    own = own if own[0] != "none" else ("unknown", None)  # max_steps=None is rejected at run time
    candidates: list[tuple[Limit, Span]] = []
    for run, scope in runs_of(facts, built, _RUNS):
        given: Limit = limit_of(facts, run, "max_steps", scope)
        if given[0] == "value" and isinstance(given[1], float) and given[1] > 0:
            candidates.append((given, argument_span(facts, run, "max_steps")))
        elif given[0] == "unknown":
            candidates.append((given, argument_span(facts, run, "max_steps")))
        else:  # unset, None or 0: the agent's own
            candidates.append((own, own_span))
    candidates = candidates or [(own, own_span)]
    unknown = [c for c in candidates if c[0][0] == "unknown"]
    if unknown:
        return "unknown", None, unknown[0][1]
    stated = [(limit[1], span) for limit, span in candidates if limit[0] == "value" and isinstance(limit[1], float)]
    highest = max(stated, key=lambda pair: pair[0]) if stated else None
    if any(limit[0] == "default" for limit, _ in candidates) and (highest is None or highest[0] < _DEFAULT_STEPS):
        return "default", None, own_span
    assert highest is not None
    return "value", highest[0], highest[1]


def _model(facts: ModuleFacts, built: BuiltAgent, seen: set[int]) -> tuple[str | None, Span | None]:
    """The ``model_id`` of the model object the agent is given, made in the module
    (``LiteLLMModel(model_id="anthropic/claude-3-5-sonnet-latest")``); an Azure deployment
    name, an id the deployment may override or one the module does not state is unknown."""
    given = argument(built.call, "model", 1)
    if not isinstance(given, ast.expr):
        return None, None
    made = bound_call(facts, given, built.scope)
    if not (isinstance(made, ast.Call) and callee_of(facts, made) in _MODELS) or id(made) in seen:
        return None, None  # one model object given to several agents is judged once, at its first
    seen.add(id(made))
    model_id = argument(made, "model_id", 0)
    if not isinstance(model_id, ast.expr):
        return None, None
    known = facts.value(model_id, built.scope)
    if isinstance(known, Static) and known.env is None and isinstance(known.value, str) and known.value.strip():
        return known.value, facts.span(model_id)
    return None, None


def _agent(facts: ModuleFacts, built: BuiltAgent, base: NodeRef, graph: str, seen: set[int]) -> Agent:
    fields: list[tuple[str, Span]] = []
    implicit: tuple[tuple[str, str], ...] = ()
    settable = {"model", "max_iterations"}
    steps = None
    kind, value, span = _steps(facts, built)
    if kind == "value" and isinstance(value, float):
        steps = int(value)
        fields.append(("max_iterations", span))
    elif kind == "default":
        implicit = (("max_iterations", STEPS_KEY),)
    else:
        settable.discard("max_iterations")
    model, where = _model(facts, built, seen)
    if model is not None and where is not None:
        fields.append(("model", where))
    return Agent(base.child("agents", built.label), built.span, tuple(fields), built.label, graph, FRAMEWORK,
                 model=model, max_iterations=steps, implicit=implicit, settable=frozenset(settable),
                 keys=(("max_iterations", "max_steps"),), delegates=argument(built.call, "managed_agents") is not MISSING)


def _local_executor(facts: ModuleFacts, built: BuiltAgent) -> CodeExecution | None:
    if not built.callee.endswith("CodeAgent") or argument(built.call, "executor") is not MISSING:
        return None
    e2b = argument(built.call, "use_e2b_executor")
    if e2b is not MISSING and not (isinstance(e2b, ast.Constant) and e2b.value is False):
        return None
    given = argument(built.call, "executor_type")
    if given is MISSING:
        detail, span = "executor_type is unset, and defaults to \"local\"", facts.span(built.call.func)
    elif isinstance(given, ast.expr):
        value = facts.value(given, built.scope)
        if not (isinstance(value, Static) and value.value == "local" and value.env is None):
            return None
        detail, span = "executor_type=\"local\"", argument_span(facts, built.call, "executor_type")
    else:
        return None
    imports = argument(built.call, "additional_authorized_imports")
    if isinstance(imports, ast.expr):
        listed = facts.value(imports, built.scope)
        if isinstance(listed, Static) and isinstance(listed.value, (list, tuple)) and "*" in listed.value:
            detail += ", with every import authorized (\"*\")"
    ref = NodeRef(facts.module.path, ("code-execution", built.label))
    return CodeExecution(ref, span, (), ExecutionKind.LOCAL_CODE_AGENT, f"CodeAgent '{built.label}'", detail)


def adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    if facts is None:
        return Adapted()
    agents = built_agents(facts, _AGENTS)
    if not agents:
        return Adapted()
    by_call = {id(a.call): a for a in agents}
    managed = {id(a.call): _managed(facts, a, by_call) for a in agents}
    parent = {id(a.call): id(a.call) for a in agents}

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for agent in agents:
        for target, _ in managed[id(agent.call)][0]:
            parent[root(id(agent.call))] = root(id(target.call))
    groups: dict[int, list[BuiltAgent]] = {}
    for agent in agents:
        groups.setdefault(root(id(agent.call)), []).append(agent)
    out = Adapted()
    path = facts.module.path
    models: set[int] = set()  # model objects already given to an agent
    for agent in agents:
        local = _local_executor(facts, agent)
        if local is not None:
            out.entities.append(local)
        given = argument(agent.call, "instructions")
        if isinstance(given, ast.expr):
            ref = NodeRef(path, ("agents", agent.label, "instructions"))
            text = instruction_text(facts, given, agent.scope, ref, f"agent '{agent.label}'", "instructions")
            if text is not None:
                out.entities.append(text)
    for group in groups.values():
        targets = {id(t.call) for a in group for t, _ in managed[id(a.call)][0]}
        heads = [a for a in group if id(a.call) not in targets]
        head = heads[0] if heads else group[0]
        name = f"{path}:{head.label}"
        base = NodeRef(path, ("graph", head.label))
        edges, refs = [], []
        for agent in group:
            for target, span in managed[id(agent.call)][0]:
                ref = base.child("edges", f"{agent.label}->{target.label}")
                edges.append(Edge(ref, span, (), agent.label, target.label, EdgeKind.DELEGATE, name,
                                  f"{agent.label} delegates to {target.label}"))
                refs.append(AgentReference(ref.child("target"), span, (), target.label, name, "edge target"))
        out.parts.append(GraphPart(
            base, head.span, (), name,
            entry=head.label if len(heads) == 1 else None,
            terminals=tuple(a.label for a in group),
            agents=tuple(_agent(facts, a, base, name, models) for a in group),
            edges=tuple(edges), references=tuple(refs), framework=FRAMEWORK, entry_declarable=False,
            complete=all(managed[id(a.call)][1] for a in group),
        ))
    return out


ADAPTER = Adapter("smolagents-code", frozenset({Syntax.PYTHON}), claims, adapt)
