"""Flowise canvases: Agentflow v2 and chatflow (v1) JSON exports, ``{nodes[], edges[]}``.

Agentflow v2: every node is a step (``data.name`` such as ``startAgentflow``,
``agentAgentflow``, ``llmAgentflow``, ``conditionAgentflow``, ``loopAgentflow``,
``iterationAgentflow``); ``edges[]`` say which step runs after which. The agents are the
nodes that call a model and answer (``agentAgentflow``, ``llmAgentflow``,
``conditionAgentAgentflow``), named by their labels (made unique with the node id when two
share one); the other steps are collapsed into the edges between agents. Loops are not edges:
a ``loopAgentflow`` node jumps back to ``inputs.loopBackToNode`` (``"<nodeId>-<label>"``) at
most ``inputs.maxLoopCount`` times (Flowise's default: 5), then the run ends. The nodes inside
an ``iterationAgentflow`` block (``parentNode``) run for each item, then the block's own edges
continue. The start node is where a run enters.

Chatflow (v1): components wired into each other's inputs; the agents and chains are the
agents, and one that consumes another (through a chain tool or directly) calls it. The ending
node, whose output feeds nothing, is the entry.

Flowise agent nodes have no timeout, retry or iteration field; a chat model's ``timeout``
(milliseconds), when set, is the agent's. Nor do they have a role field: the label names
the agent.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from agentlint.adapters.base import Adapted, Adapter, value_at as _at
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.entities import Agent, Edge, EdgeKind, GraphPart
from agentlint.model.source import Pointer, Span

if TYPE_CHECKING:  # _flow is imported when a flow is read, not when the adapter is discovered
    from agentlint.adapters._flow import Hop

_CLAIM_ANCHORS = re.compile(r'"inputAnchors"\s*:')
_CLAIM_EDGES = re.compile(r'"edges"\s*:')
FRAMEWORK = "flowise"
# agent-like v2 nodes and the prefix of their inputs
AGENT_NODES = {"agentAgentflow": "agent", "llmAgentflow": "llm", "conditionAgentAgentflow": "conditionAgent"}
V1_AGENT_CATEGORIES = ("Agents", "Chains")
V1_UNSUPPORTED = ("Multi Agents", "Sequential Agents")  # supervisor / sequential graphs: another model
_INSTANCE = re.compile(r"\{\{\s*([\w-]+)\.data\.instance\s*\}\}")
_TAG = re.compile(r"<[^>]+>")
# what an agent node can write: no role, timeout, retry or iteration field (a chat model's
# timeout, when set, is added)
SETTABLE = frozenset({"model", "prompt", "tools"})


def claims(path: str, text: str) -> bool:
    return _CLAIM_ANCHORS.search(text) is not None and _CLAIM_EDGES.search(text) is not None


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        data = doc.data
        if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
            continue
        nodes = _nodes(data)
        if any(str(_at(node, ("data", "name"))).endswith("Agentflow") for _, node in nodes):
            _agentflow(doc, nodes, out)
        elif not any(_at(node, ("data", "category")) in V1_UNSUPPORTED for _, node in nodes):
            _chatflow(doc, nodes, out)
    return out


def _nodes(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return [(i, n) for i, n in enumerate(data["nodes"]) if isinstance(n, dict) and isinstance(n.get("id"), str)]


def _edges(data: dict[str, Any], known: set[str]) -> list[tuple[int, dict[str, Any]]]:
    return [
        (i, e)
        for i, e in enumerate(data["edges"])
        if isinstance(e, dict) and e.get("source") in known and e.get("target") in known
    ]


def _names(nodes: list[tuple[int, dict[str, Any]]], named: set[str]) -> dict[str, str]:
    """Agent names of the ``named`` nodes: their labels, with the node id added to every
    label that several of them share."""
    labels = {}
    for _, node in nodes:
        if node["id"] not in named:
            continue
        label = _at(node, ("data", "label"))
        labels[node["id"]] = label.strip() if isinstance(label, str) and label.strip() else node["id"]
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    return {nid: (f"{label} ({nid})" if counts[label] > 1 else label) for nid, label in labels.items()}


def _agentflow(doc: LocatedDoc, nodes: list[tuple[int, dict[str, Any]]], out: Adapted) -> None:
    from agentlint.adapters._flow import END, Hop, collapse

    smap = doc.source_map
    data = doc.data
    index_of = {node["id"]: i for i, node in nodes}
    kind = {node["id"]: str(_at(node, ("data", "name"))) for _, node in nodes}
    live = {nid for nid, name in kind.items() if name != "stickyNoteAgentflow"}
    parent = {node["id"]: node.get("parentNode") for _, node in nodes if node.get("parentNode") in live}
    flow: dict[str, list[Hop]] = {nid: [] for nid in live}
    edges = [(i, e) for i, e in _edges(data, live)]
    for i, edge in edges:
        source, target = edge["source"], edge["target"]
        condition = _condition(data["nodes"][index_of[source]], edge.get("sourceHandle"))
        flow[source].append(Hop(target, doc.ref(("edges", i)), smap.locate(("edges", i)), condition))
    uses_default = False
    for nid in live:
        node = data["nodes"][index_of[nid]]
        at: Pointer = ("nodes", index_of[nid], "data", "inputs")
        if kind[nid] == "loopAgentflow":
            target = str(_at(node, ("data", "inputs", "loopBackToNode")) or "").split("-")[0]
            count, explicit = _loop_count(_at(node, ("data", "inputs", "maxLoopCount")))
            uses_default = uses_default or (count is None and explicit is False)
            if target in live:
                span = smap.value(at + ("loopBackToNode",)) or smap.locate(("nodes", index_of[nid]))
                bound_span = smap.value(at + ("maxLoopCount",)) if explicit else None
                flow[nid].append(Hop(target, doc.ref(at + ("loopBackToNode",)), span, "loop", count, bound_span))
            flow[nid].append(Hop(END, doc.ref(("nodes", index_of[nid])), smap.locate(("nodes", index_of[nid]))))
    # an iteration block runs its children (the ones no sibling feeds) for each item; a child
    # that feeds nothing hands back to the block's own successors
    for child, block in parent.items():
        fed = {e["target"] for _, e in edges if parent.get(e["source"]) == block}
        if child not in fed:
            flow[block].insert(0, Hop(child, doc.ref(("nodes", index_of[child])), smap.locate(("nodes", index_of[child])), "for each item"))
    for child, block in parent.items():
        if not flow[child]:
            after = [h for h in flow[block] if parent.get(h.target) != block] or [
                Hop(END, doc.ref(("nodes", index_of[block])), smap.locate(("nodes", index_of[block])))
            ]
            flow[child] = list(after)
    agents = [nid for _, node in nodes if (nid := node["id"]) in live and kind[nid] in AGENT_NODES]
    if not agents:
        return
    starts = [nid for nid in live if kind[nid] == "startAgentflow"]
    start = starts[0] if starts else None
    names = _names(nodes, set(agents) | set(starts[:1]))
    collapsed = collapse(flow, agents, start) if start else None
    keys = list(agents)
    if start and collapsed is not None and len(collapsed.entries) > 1:
        keys.insert(0, start)  # several agents run first: the start node stands for the entry
        collapsed = collapse(flow, keys, start)
    built = [_agent(doc, index_of[nid], names[nid], AGENT_NODES.get(kind[nid])) for nid in keys]
    links = collapsed.links if collapsed else collapse(flow, agents, agents[0]).links
    graph_edges = []
    for link in links:
        hop = link.located
        fields = (("max_traversals", hop.bound_span),) if hop.bound_span is not None else ()
        graph_edges.append(
            Edge(hop.ref, hop.span, fields, names[link.source], names[link.target], EdgeKind.SEQUENCE, doc.path, link.condition, link.bound)
        )
    terminals = tuple(names[k] for k in keys if collapsed is not None and k in collapsed.terminals)
    entry = names[collapsed.entries[0]] if collapsed is not None and collapsed.entries else None
    out.parts.append(
        GraphPart(
            ref=doc.ref(),
            span=smap.locate(("nodes",)),
            fields=(),
            name=doc.path,
            entry=entry,
            terminals=terminals,
            agents=tuple(built),
            edges=tuple(graph_edges),
            framework=FRAMEWORK,
            turn_limit_default="flowise.max_loop_count" if uses_default else None,
        )
    )


def _loop_count(value: Any) -> tuple[int | None, bool | None]:
    """(count, explicit): Flowise reads ``maxLoopCount ? parseInt(maxLoopCount) : 5``.
    explicit=False: the default applies; None: a value that is no number (a variable)."""
    if value is None or value == "" or value == 0:
        return None, False
    if isinstance(value, bool):
        return None, None
    if isinstance(value, int):
        return value, True
    if isinstance(value, float) and value.is_integer():
        return int(value), True
    if isinstance(value, str):
        match = re.match(r"^\s*(\d+)", value)  # parseInt reads leading digits
        return (int(match.group(1)), True) if match else (None, None)
    return None, None


def _condition(node: dict[str, Any], handle: Any) -> str | None:
    """The branch an edge leaves a condition node by, from its ``sourceHandle``."""
    name = _at(node, ("data", "name"))
    if name not in ("conditionAgentflow", "conditionAgentAgentflow", "humanInputAgentflow") or not isinstance(handle, str):
        return None
    match = re.search(r"-output-(\d+)$", handle)
    if not match:
        return None
    index = int(match.group(1))
    inputs = _at(node, ("data", "inputs")) or {}
    if name == "conditionAgentAgentflow":
        scenarios = inputs.get("conditionAgentScenarios") if isinstance(inputs, dict) else None
        if isinstance(scenarios, list) and index < len(scenarios) and isinstance(scenarios[index], dict):
            return _text(scenarios[index].get("scenario")) or f"scenario {index}"
    if name == "conditionAgentflow":
        conditions = inputs.get("conditions") if isinstance(inputs, dict) else None
        if isinstance(conditions, list) and index < len(conditions) and isinstance(conditions[index], dict):
            c = conditions[index]
            return " ".join(p for p in (_text(c.get("value1")), str(c.get("operation") or ""), _text(c.get("value2"))) if p)
        if isinstance(conditions, list) and index == len(conditions):
            return "else"
    anchors = _at(node, ("data", "outputAnchors"))
    for anchor in anchors if isinstance(anchors, list) else ():
        if isinstance(anchor, dict) and anchor.get("id") == handle and isinstance(anchor.get("description"), str):
            return anchor["description"]
    return f"output {index}"


def _text(value: Any) -> str:
    return " ".join(_TAG.sub(" ", value).split()) if isinstance(value, str) else ""


def _agent(doc: LocatedDoc, index: int, name: str, prefix: str | None) -> Agent:
    """An agent-like v2 node (prefix: its inputs' prefix), or the start node (prefix None)."""
    smap = doc.source_map
    node: Pointer = ("nodes", index)
    inputs_at: Pointer = node + ("data", "inputs")
    inputs = _at(doc.data, inputs_at)
    inputs = inputs if isinstance(inputs, dict) else {}
    span = smap.value(node + ("data", "label")) or smap.locate(node)
    if prefix is None:
        return Agent(doc.ref(node), span, (), name, doc.path, FRAMEWORK, settable=frozenset())
    config_at = inputs_at + (f"{prefix}ModelConfig",)
    config = inputs.get(f"{prefix}ModelConfig")
    config = config if isinstance(config, dict) else {}
    model, model_at = None, None
    for key in ("customModelName", "modelName"):
        if isinstance(config.get(key), str) and config[key].strip():
            model, model_at = config[key], config_at + (key,)
            break
    if model is None and isinstance(inputs.get(f"{prefix}Model"), str):
        model, model_at = inputs[f"{prefix}Model"], inputs_at + (f"{prefix}Model",)
    prompt, prompt_at = _system_prompt(inputs, prefix, inputs_at)
    tools = []
    for tool in inputs.get("agentTools") or () if isinstance(inputs.get("agentTools"), list) else ():
        if isinstance(tool, dict) and isinstance(tool.get("agentSelectedTool"), str):
            tools.append(tool["agentSelectedTool"])
    timeout = _milliseconds(config.get("timeout"))
    fields = tuple(
        (attribute, where)
        for attribute, where in (
            ("model", smap.value(model_at) if model_at else None),
            ("prompt", smap.value(prompt_at) if prompt_at else None),
            ("tools", smap.key(inputs_at + ("agentTools",)) if tools else None),
            ("timeout_seconds", smap.value(config_at + ("timeout",)) if timeout is not None else None),
        )
        if where is not None
    )
    return Agent(
        ref=doc.ref(node),
        span=span,
        fields=fields,
        name=name,
        graph=doc.path,
        framework=FRAMEWORK,
        model=model,
        prompt=prompt,
        tools=tuple(dict.fromkeys(tools)),
        timeout_seconds=timeout,
        settable=SETTABLE | ({"timeout_seconds"} if timeout is not None else set()),
    )


def _system_prompt(inputs: dict[str, Any], prefix: str, at: Pointer) -> tuple[str | None, Pointer | None]:
    if prefix == "conditionAgent" and isinstance(inputs.get("conditionAgentInstructions"), str):
        return _text(inputs["conditionAgentInstructions"]) or None, at + ("conditionAgentInstructions",)
    messages = inputs.get(f"{prefix}Messages")
    for index, message in enumerate(messages if isinstance(messages, list) else ()):
        if isinstance(message, dict) and message.get("role") in ("system", "developer") and isinstance(message.get("content"), str):
            return _text(message["content"]) or None, at + (f"{prefix}Messages", index, "content")
    return None, None


def _milliseconds(value: Any) -> float | None:
    """A model timeout in milliseconds (LangChain JS), as seconds; None when unset."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and value > 0:
        return value / 1000
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*", value) and float(value) > 0:
        return float(value) / 1000
    return None


def _chatflow(doc: LocatedDoc, nodes: list[tuple[int, dict[str, Any]]], out: Adapted) -> None:
    """v1: a consumer calls the agents and chains wired (directly or through tools) into it."""
    from agentlint.adapters._flow import Hop, collapse

    smap = doc.source_map
    data = doc.data
    index_of = {node["id"]: i for i, node in nodes}
    agents = [node["id"] for _, node in nodes if _at(node, ("data", "category")) in V1_AGENT_CATEGORIES]
    if not agents:
        return
    flow: dict[str, list[Hop]] = {nid: [] for nid in index_of}
    feeds: set[str] = set()
    for i, edge in _edges(data, set(index_of)):
        feeds.add(edge["source"])
        flow[edge["target"]].append(Hop(edge["source"], doc.ref(("edges", i)), smap.locate(("edges", i))))
    names = _names(nodes, set(agents))
    endings = [nid for nid in agents if nid not in feeds]
    entry = endings[0] if len(endings) == 1 else None
    collapsed = collapse(flow, agents, entry or agents[0])
    built = [_v1_agent(doc, data, index_of, nid, names[nid]) for nid in agents]
    graph_edges = [
        Edge(link.located.ref, link.located.span, (), names[link.source], names[link.target], EdgeKind.CALL, doc.path)
        for link in collapsed.links
    ]
    out.parts.append(
        GraphPart(
            ref=doc.ref(),
            span=smap.locate(("nodes",)),
            fields=(),
            name=doc.path,
            entry=names[entry] if entry else None,
            agents=tuple(built),
            edges=tuple(graph_edges),
            framework=FRAMEWORK,
        )
    )


def _v1_agent(doc: LocatedDoc, data: dict[str, Any], index_of: dict[str, int], nid: str, name: str) -> Agent:
    smap = doc.source_map
    node: Pointer = ("nodes", index_of[nid])
    inputs = _at(data, node + ("data", "inputs"))
    inputs = inputs if isinstance(inputs, dict) else {}
    model, model_at, timeout, timeout_at = None, None, None, None
    match = _INSTANCE.fullmatch(str(inputs.get("model", "")).strip())
    if match and match.group(1) in index_of:
        model_node: Pointer = ("nodes", index_of[match.group(1)], "data", "inputs")
        model_inputs = _at(data, model_node)
        if isinstance(model_inputs, dict):
            if isinstance(model_inputs.get("modelName"), str) and model_inputs["modelName"].strip():
                model, model_at = model_inputs["modelName"], model_node + ("modelName",)
            timeout = _milliseconds(model_inputs.get("timeout"))
            timeout_at = model_node + ("timeout",) if timeout is not None else None
    tools = []
    for ref in inputs.get("tools") or () if isinstance(inputs.get("tools"), list) else ():
        found = _INSTANCE.fullmatch(str(ref).strip())
        if found and found.group(1) in index_of:
            label = _at(data, ("nodes", index_of[found.group(1)], "data", "label"))
            tools.append(label if isinstance(label, str) else found.group(1))
    prompt = inputs.get("systemMessage") or inputs.get("systemMessagePrompt")
    fields = tuple(
        (attribute, where)
        for attribute, where in (
            ("model", smap.value(model_at) if model_at else None),
            ("tools", smap.key(node + ("data", "inputs", "tools")) if tools else None),
            ("timeout_seconds", smap.value(timeout_at) if timeout_at else None),
        )
        if where is not None
    )
    span: Span = smap.value(node + ("data", "label")) or smap.locate(node)
    return Agent(
        ref=doc.ref(node),
        span=span,
        fields=fields,
        name=name,
        graph=doc.path,
        framework=FRAMEWORK,
        model=model,
        prompt=prompt if isinstance(prompt, str) and prompt.strip() else None,
        tools=tuple(dict.fromkeys(tools)),
        timeout_seconds=timeout,
        settable=SETTABLE | ({"timeout_seconds"} if timeout is not None else set()),
    )


ADAPTER = Adapter(FRAMEWORK, frozenset({Syntax.JSON}), claims, adapt)
