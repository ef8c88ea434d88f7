"""AutoGen AgentChat component JSON/YAML: team configs and AutoGen Studio galleries.

Every component is ``{provider, component_type, label, description, config}``. A team
(``RoundRobinGroupChat``, ``SelectorGroupChat``, ``Swarm``, ``MagenticOneGroupChat``,
``GraphFlow``) becomes one graph part: its participants are the agents, and the edges are who
may speak after whom:

* round robin: a cycle through the participants in order;
* selector / MagenticOne: the model (orchestrator) picks any participant after any other;
* swarm: each agent's ``handoffs``, and the speaker keeps the turn until it hands off;
* GraphFlow: the declared ``graph.nodes[*].edges`` with their conditions.

A team stops when its ``termination_condition`` fires (checked after every message, so after
any participant) or after ``max_turns`` (MagenticOne: default 20; its orchestrator can also
end the task): then every participant is a terminal. A team with neither never stops, which
the cycle rules see as a loop with no exit. ``MaxMessageTermination`` reachable through
``Or`` combinators caps the turns like ``max_turns`` does (each turn adds at least one
message). Nested teams (``SocietyOfMindAgent.config.team``) are parts of their own.

Agents: ``config.name``; ``config.description`` is the role AutoGen shows the selector;
``model_client.config.model``; ``system_message``; tool names; ``max_tool_iterations``.
AgentChat has no per-agent timeout or retry field: only the model client's ``timeout`` and
``max_retries`` express them, so the agent can set them only when its client does.
"""

from __future__ import annotations

import re
from typing import Any

from agentlint.adapters.base import Adapted, Adapter, shape_problem, value_at as _at
from agentlint.findings import Violation
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.budget import finite
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import Pointer, Span, json_pointer

_CLAIM = re.compile(r"""["']?provider["']?\s*:\s*["']?autogen_agentchat\.""")
FRAMEWORK = "autogen"
TEAMS = ("RoundRobinGroupChat", "SelectorGroupChat", "Swarm", "MagenticOneGroupChat", "GraphFlow")


def claims(path: str, text: str) -> bool:
    return _CLAIM.search(text) is not None


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        data = doc.data
        if not isinstance(data, dict):
            continue
        base = doc.path + (f"[{doc.index}]" if doc.index else "")
        if isinstance(data.get("provider"), str):
            _component(doc, (), base, out)
        components = data.get("components")
        if isinstance(components, dict) and isinstance(components.get("teams"), list):
            for index, team in enumerate(components["teams"]):
                if isinstance(team, dict):
                    pointer: Pointer = ("components", "teams", index)
                    _component(doc, pointer, f"{base}#{json_pointer(pointer)}", out)
        _system_messages(file, doc, out)
    return out


def _system_messages(file: LoadedFile, doc: LocatedDoc, out: Adapted) -> None:
    """Each agent's system_message as instruction text (secret-in-prompt judges it)."""
    from agentlint.adapters._instructions import add_instructions

    agents = [agent for part in out.parts for agent in part.agents if agent.ref.path == doc.path and agent.ref.doc == doc.ref().doc]
    add_instructions(file, out, ((doc, a.ref.pointer + ("config", "system_message"), a.prompt, f"agent '{a.name}'") for a in agents))


def _class(component: Any) -> str:
    provider = component.get("provider") if isinstance(component, dict) else None
    return provider.rsplit(".", 1)[-1] if isinstance(provider, str) else ""


def _component(doc: LocatedDoc, pointer: Pointer, graph: str, out: Adapted) -> None:
    """A team (or a lone agent) at ``pointer``: its part, then the parts of nested teams."""
    component = _at(doc.data, pointer)
    kind = _class(component)
    if kind in TEAMS:
        _team(doc, pointer, graph, kind, out)
    elif component.get("component_type") == "agent":
        agent = _agent(doc, pointer, graph, out.problems)
        if agent is not None:
            out.parts.append(GraphPart(doc.ref(pointer), agent.span, (), graph, entry=agent.name, agents=(agent,), framework=FRAMEWORK))
            _nested(doc, pointer, out)


def _nested(doc: LocatedDoc, participant: Pointer, out: Adapted) -> None:
    team = _at(doc.data, participant + ("config", "team"))
    if isinstance(team, dict) and _class(team) in TEAMS:
        pointer = participant + ("config", "team")
        _component(doc, pointer, f"{doc.path}{f'[{doc.index}]' if doc.index else ''}#{json_pointer(pointer)}", out)


def _team(doc: LocatedDoc, pointer: Pointer, graph: str, kind: str, out: Adapted) -> None:
    smap = doc.source_map
    config = _at(doc.data, pointer + ("config",))
    if not isinstance(config, dict) or not isinstance(config.get("participants"), list):
        out.problems.append(shape_problem(doc, pointer + ("config",), f"{kind} team needs a 'participants' list in its config"))
        return
    agents: list[Agent] = []
    for index in range(len(config["participants"])):
        agent = _agent(doc, pointer + ("config", "participants", index), graph, out.problems)
        if agent is not None:
            agents.append(agent)
    if not agents:
        return
    stop = _termination(config.get("termination_condition"), pointer + ("config", "termination_condition"))
    max_turns = config.get("max_turns")
    explicit = max_turns if _positive_int(max_turns) else None
    caps = [(v, p) for v, p in ((explicit, pointer + ("config", "max_turns")), stop.cap) if v is not None]
    turn_limit, limit_at = min(caps, key=lambda c: c[0]) if caps else (None, None)
    default = None
    if "max_turns" not in config and kind == "MagenticOneGroupChat":
        default = "autogen.magentic_max_turns"
    elif explicit is None and kind != "MagenticOneGroupChat":
        default = "autogen.max_turns"
    # the run can end after any participant's turn: when the condition fires, at the turn
    # cap, or (MagenticOne) when the orchestrator judges the task done
    stops = stop.exists or turn_limit is not None or kind == "MagenticOneGroupChat"
    edges, references, entry = _edges(doc, pointer, graph, kind, config, agents, stop.handoff_targets, out.problems)
    order = [a.name for a in agents]
    terminals: tuple[str, ...] = tuple(order) if stops else ()
    fields = tuple(
        (name, span)
        for name, span in (
            ("participants", smap.key(pointer + ("config", "participants"))),
            ("termination_condition", smap.key(pointer + ("config", "termination_condition")) if stop.exists else None),
            ("turn_limit", smap.value(limit_at) if limit_at else None),
        )
        if span is not None
    )
    label = _at(doc.data, pointer + ("label",))
    span = smap.value(pointer + ("label",)) if isinstance(label, str) else smap.locate(pointer + ("provider",))
    out.parts.append(
        GraphPart(
            ref=doc.ref(pointer),
            span=span,
            fields=fields,
            name=graph,
            entry=entry,
            terminals=terminals,
            agents=tuple(agents),
            edges=tuple(edges),
            references=tuple(references),
            framework=FRAMEWORK,
            turn_limit=turn_limit,
            turn_limit_default=default,
            turn_limit_setting=str(limit_at[-1]) if limit_at else None,  # max_turns or max_messages
            terminates=stop.exists,
        )
    )
    for index in range(len(config["participants"])):
        _nested(doc, pointer + ("config", "participants", index), out)


def _edges(
    doc: LocatedDoc,
    team: Pointer,
    graph: str,
    kind: str,
    config: dict[str, Any],
    agents: list[Agent],
    exits: frozenset[str],
    problems: list[Violation],
) -> tuple[list[Edge], list[AgentReference], str | None]:
    smap = doc.source_map
    order = [a.name for a in agents]
    by_name = {a.name: a for a in agents}
    edges: list[Edge] = []
    references: list[AgentReference] = []

    def edge(source: str, target: str, at: Pointer, kind_: EdgeKind, condition: str | None, span: Span | None = None) -> None:
        where = span or smap.locate(at)
        edges.append(Edge(doc.ref(at), where, (), source, target, kind_, graph, condition=condition))

    # turn order is the team's, declared by its participants list: edges point there
    declared = smap.key(team + ("config", "participants"))
    if kind == "RoundRobinGroupChat":
        for i, name in enumerate(order):
            nxt = order[(i + 1) % len(order)]
            edge(name, nxt, by_name[name].ref.pointer, EdgeKind.SEQUENCE, None, declared)
        return edges, references, order[0]
    if kind in ("SelectorGroupChat", "MagenticOneGroupChat"):
        chooser = "the selector model picks it" if kind == "SelectorGroupChat" else "the orchestrator picks it"
        repeat = kind == "MagenticOneGroupChat" or config.get("allow_repeated_speaker") is True or len(order) == 1
        for source in order:
            for target in order:
                if source != target or repeat:
                    edge(source, target, by_name[source].ref.pointer, EdgeKind.HANDOFF, chooser, declared)
        return edges, references, order[0]
    if kind == "Swarm":
        for agent in agents:
            # the speaker keeps the turn until it hands off
            edge(agent.name, agent.name, agent.ref.pointer, EdgeKind.SEQUENCE, "no handoff", declared)
            handoffs = _at(doc.data, agent.ref.pointer + ("config", "handoffs"))
            for index, handoff in enumerate(handoffs if isinstance(handoffs, list) else ()):
                at = agent.ref.pointer + ("config", "handoffs", index)
                target = handoff if isinstance(handoff, str) else handoff.get("target") if isinstance(handoff, dict) else None
                if not isinstance(target, str):
                    continue
                if target in exits and target not in by_name:
                    continue  # a HandoffTermination on this target ends the run
                target_at = at if isinstance(handoff, str) else at + ("target",)
                name = handoff.get("name") if isinstance(handoff, dict) else None
                edge(agent.name, target, at, EdgeKind.HANDOFF, name if isinstance(name, str) else f"transfer_to_{target}", smap.locate(target_at))
                references.append(AgentReference(doc.ref(target_at), smap.locate(target_at), (), target, graph, "edge target"))
        return edges, references, order[0]
    # GraphFlow
    nodes_at = team + ("config", "graph", "nodes")
    nodes = _at(doc.data, nodes_at)
    if not isinstance(nodes, dict):
        problems.append(shape_problem(doc, team + ("config",), "GraphFlow team needs 'graph.nodes'"))
        return edges, references, None
    targets: set[str] = set()
    for node_name, node in nodes.items():
        if node_name not in by_name:
            where = nodes_at + (node_name,)
            references.append(AgentReference(doc.ref(where), smap.locate(where), (), node_name, graph, "edge source"))
        for index, spec in enumerate(node.get("edges", []) if isinstance(node, dict) else ()):
            target = spec.get("target") if isinstance(spec, dict) else None
            if not isinstance(target, str):
                continue
            at = nodes_at + (node_name, "edges", index)
            condition = spec.get("condition")
            text = f"the message contains {condition!r}" if isinstance(condition, str) else None
            edge(node_name, target, at, EdgeKind.SEQUENCE, text)
            targets.add(target)
            references.append(AgentReference(doc.ref(at + ("target",)), smap.locate(at + ("target",)), (), target, graph, "edge target"))
    start = _at(doc.data, team + ("config", "graph", "default_start_node"))
    if isinstance(start, str):
        references.append(AgentReference(doc.ref(team + ("config", "graph", "default_start_node")), smap.locate(team + ("config", "graph", "default_start_node")), (), start, graph, "entry"))
        return edges, references, start
    starts = [name for name in nodes if name not in targets]
    # GraphFlow runs every start node; one entry can only stand for the run when there is one
    return edges, references, starts[0] if len(starts) == 1 else None


class _Stop:
    __slots__ = ("exists", "cap", "handoff_targets")

    def __init__(self, exists: bool, cap: tuple[int | None, Pointer | None], handoff_targets: frozenset[str]) -> None:
        self.exists = exists
        self.cap = cap
        self.handoff_targets = handoff_targets


def _termination(condition: Any, pointer: Pointer) -> _Stop:
    if not isinstance(condition, dict):
        return _Stop(False, (None, None), frozenset())
    targets: set[str] = set()
    cap = _cap(condition, pointer, targets)
    return _Stop(True, cap, frozenset(targets))


def _cap(condition: Any, pointer: Pointer, targets: set[str]) -> tuple[int | None, Pointer | None]:
    """The most messages a run can see before ``condition`` fires, if a message count bounds
    it: ``Or`` fires on its first child, ``And`` only when all of them have."""
    kind = _class(condition)
    config = condition.get("config") if isinstance(condition, dict) else None
    config = config if isinstance(config, dict) else {}
    if kind == "MaxMessageTermination":
        value = config.get("max_messages")
        return (value, pointer + ("config", "max_messages")) if _positive_int(value) else (None, None)
    if kind == "HandoffTermination" and isinstance(config.get("target"), str):
        targets.add(config["target"])
    if kind in ("OrTerminationCondition", "AndTerminationCondition"):
        children = config.get("conditions")
        caps = [
            _cap(child, pointer + ("config", "conditions", index), targets)
            for index, child in enumerate(children if isinstance(children, list) else ())
        ]
        bounded = [c for c in caps if c[0] is not None]
        if kind == "OrTerminationCondition":
            return min(bounded, key=lambda c: c[0]) if bounded else (None, None)
        return max(bounded, key=lambda c: c[0]) if bounded and len(bounded) == len(caps) else (None, None)
    return (None, None)


def _agent(doc: LocatedDoc, pointer: Pointer, graph: str, problems: list[Violation]) -> Agent | None:
    smap = doc.source_map
    component = _at(doc.data, pointer)
    config = component.get("config") if isinstance(component, dict) else None
    if not isinstance(config, dict) or not isinstance(config.get("name"), str) or not config["name"].strip():
        problems.append(shape_problem(doc, pointer, "an AutoGen agent component needs 'config.name'"))
        return None
    kind = _class(component)
    cfg: Pointer = pointer + ("config",)
    client: Pointer = cfg + ("model_client", "config")
    client_config = _at(doc.data, client)
    client_config = client_config if isinstance(client_config, dict) else {}
    model = client_config.get("model") or client_config.get("azure_deployment")
    timeout = client_config.get("timeout")
    timeout = finite(timeout) if _positive_number(timeout) else None  # a 400-digit one is huge, not a crash
    retries = client_config.get("max_retries")
    attempts = retries + 1 if isinstance(retries, int) and not isinstance(retries, bool) and retries >= 0 else None
    iterations = config.get("max_tool_iterations")
    iterations = iterations if _positive_int(iterations) else None
    description = config.get("description")
    description = description if isinstance(description, str) and description.strip() else None
    prompt = config.get("system_message") if isinstance(config.get("system_message"), str) else None
    tools = _tools(config)
    # what an agent component can write; timeouts and retries only through its model client,
    # whose unset values are the provider SDK's defaults (see the module docstring)
    settable = {"role", "description", "model", "prompt", "tools"}
    if kind == "AssistantAgent":
        settable.add("max_iterations")
    if timeout is not None:
        settable.add("timeout_seconds")
    if attempts is not None:
        settable.add("max_attempts")
    fields = [
        (name, span)
        for name, span in (
            ("role", smap.value(cfg + ("description",)) if description else None),
            ("description", smap.value(cfg + ("description",)) if description else None),
            ("model", smap.value(client + ("model",)) if isinstance(client_config.get("model"), str) else None),
            ("prompt", smap.value(cfg + ("system_message",)) if prompt is not None else None),
            ("tools", (smap.key(cfg + ("tools",)) if config.get("tools") else smap.key(cfg + ("workbench",))) if tools else None),
            ("max_iterations", smap.value(cfg + ("max_tool_iterations",)) if iterations is not None else None),
            ("timeout_seconds", smap.value(client + ("timeout",)) if timeout is not None else None),
            ("max_attempts", smap.value(client + ("max_retries",)) if attempts is not None else None),
        )
        if span is not None
    ]
    return Agent(
        ref=doc.ref(pointer),
        span=smap.value(cfg + ("name",)) or smap.locate(pointer),
        fields=tuple(fields),
        name=config["name"],
        graph=graph,
        framework=FRAMEWORK,
        role=description,
        model=model if isinstance(model, str) else None,
        prompt=prompt,
        tools=tools,
        timeout_seconds=timeout,
        max_attempts=attempts,
        max_iterations=iterations,
        description=description,
        settable=frozenset(settable),
        written=(("max_attempts", f"max_retries: {retries}"),) if attempts is not None else (),
    )


def _tools(config: dict[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    tools = list(config.get("tools") or []) if isinstance(config.get("tools"), list) else []
    workbench = config.get("workbench")
    for bench in workbench if isinstance(workbench, list) else [workbench] if isinstance(workbench, dict) else []:
        inner = _at(bench, ("config", "tools"))
        tools.extend(inner if isinstance(inner, list) else [])
    for tool in tools:
        name = _at(tool, ("config", "name"))
        if isinstance(name, str):
            names.append(name)
    return tuple(dict.fromkeys(names))


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _positive_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


ADAPTER = Adapter(FRAMEWORK, frozenset({Syntax.JSON, Syntax.YAML}), claims, adapt)
