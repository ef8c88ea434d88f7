"""n8n workflow exports (JSON): ``nodes[]`` and ``connections`` -> one agent graph per file.

Field names follow n8n's ``INode`` / ``IConnections`` / ``IWorkflowSettings``
(``packages/workflow/src/Interfaces.ts``) and the engine (``workflow-execute.ts``):

- connections are keyed by the source node's NAME, then by type: ``main`` is control flow
  (``{src: {main: [[{node, type, index}], …]}}``, one list per output); ``ai_tool``,
  ``ai_languageModel``, ``ai_memory`` … attach sub-nodes to an AI node and are not flow: an
  ``ai_tool`` link puts the tool's name in ``Agent.tools`` (an AI Agent Tool sub-agent is also
  a CALL edge), an ``ai_languageModel`` link gives the agent its model;
- every node of the flow is a step; sticky notes are not, and neither are sub-nodes (a node
  only attached through ``ai_*`` links, or an unattached node of a sub-node type): n8n never
  runs them as steps;
- AI steps (``@n8n/n8n-nodes-langchain.agent`` / ``agentTool``, a node fed by a language model,
  the OpenAI/Anthropic/Gemini/Ollama app nodes) are the agents: ``options.maxIterations``
  (default ``n8n.max_iterations``); ``retryOnFail`` + ``maxTries`` -> attempts exactly as the
  engine computes them (``min(5, max(2, maxTries || 3))``; an explicit ``retryOnFail: false``
  is one attempt), else the model sub-node's ``options.maxRetries`` + 1; n8n has no per-node
  timeout, so the workflow's ``settings.executionTimeout`` (seconds, ``-1`` = none), which
  bounds every node of a run, is the agent's timeout, else the model sub-node's
  ``options.timeout`` (ms, per request);
- other steps are plumbing: ``settable`` is empty (no missing-timeout/retry findings); their
  ``retryOnFail`` and an HTTP Request's ``options.timeout`` are still recorded;
- the entry is the workflow's only trigger (several triggers: no single entry); IF / Switch /
  Loop Over Items outputs become edge conditions, an output left unconnected makes the node a
  terminal; Loop Over Items (``splitInBatches``, without ``options.reset``) is a for-each: its
  body is a CALL, and the connections back into it are not a loop (see ``_flow``).

Machine-rewritten dumps that key connections by node id (n8n ignores those connections) get an
AL002 finding per key; when no connection is keyed by name the topology is unknown and no
graph is emitted for the file. What each node type means (agent, trigger, sub-node, outputs)
is in ``_n8n_nodes``.
"""

from __future__ import annotations

import re
from typing import Any

from agentlint.adapters._flow import (
    LLM_SETTABLE,
    Link,
    Step,
    as_int,
    as_number,
    foreach_calls,
    graph_name,
    graph_part,
    terminals,
)
from agentlint.adapters._n8n_nodes import (
    AGENT_TYPES,
    DIRECT_LLM,
    as_dict,
    is_sub_node_type,
    is_trigger,
    loop_output,
    output_count,
    output_labels,
    short_type,
    text_value,
)
from agentlint.adapters.base import Adapted, Adapter, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.entities import EdgeKind
from agentlint.model.source import Pointer, Span

_TYPE = re.compile(r'"type"\s*:\s*"(?:n8n-nodes-|@n8n/)')
_CONNECTIONS = re.compile(r'"connections"\s*:')


def claims(path: str, text: str) -> bool:
    return path.lower().endswith(".json") and _CONNECTIONS.search(text) is not None and _TYPE.search(text) is not None


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    flows: list[_Workflow] = []
    for doc in file.docs:
        data = doc.data
        if _is_workflow(data):
            flows.append(_Workflow(doc, out))
        elif isinstance(data, list):  # `n8n export:workflow --all` writes an array of workflows
            flows += [_Workflow(doc, out, (index,)) for index, item in enumerate(data) if _is_workflow(item)]
    for flow in flows:
        flow.run()
    from agentlint.adapters._instructions import add_instructions

    add_instructions(file, out, ((flow.doc, *message) for flow in flows for message in flow.system_messages))  # AL408
    return out


def _is_workflow(data: Any) -> bool:
    return isinstance(data, dict) and "connections" in data and "nodes" in data


class _Workflow:
    def __init__(self, doc: LocatedDoc, out: Adapted, base: Pointer = ()) -> None:
        self.doc = doc
        self.out = out
        self.smap = doc.source_map
        self.base = base  # where the workflow is: () for an export, (i,) in an array of them
        data: Any = doc.data
        for key in base:
            data = data[key]
        self.data: dict[str, Any] = data
        self.system_messages: list[tuple[Pointer, str, str]] = []  # (where, text, "agent 'name'")

    def at(self, *keys: str | int) -> Pointer:
        return self.base + keys

    def value_span(self, pointer: Pointer) -> Span:
        return self.smap.value(pointer) or self.smap.locate(pointer)

    def run(self) -> None:
        doc, data = self.doc, self.data
        nodes = data.get("nodes")
        connections = data.get("connections")
        if not isinstance(nodes, list):
            self.out.problems.append(shape_problem(doc, self.at("nodes"), "'nodes' must be a list of nodes"))
            return
        if not isinstance(connections, dict):
            message = "'connections' must be an object keyed by node name"
            self.out.problems.append(shape_problem(doc, self.at("connections"), message))
            return
        self.nodes: dict[str, tuple[int, dict[str, Any]]] = {}
        self.nodes_by_index: dict[int, dict[str, Any]] = {}
        ids: dict[str, str] = {}
        for index, node in enumerate(nodes):
            if not isinstance(node, dict):
                continue
            name, node_type = node.get("name"), node.get("type")
            if not isinstance(name, str) or not isinstance(node_type, str):
                self.out.problems.append(shape_problem(doc, self.at("nodes", index), "a node needs a string 'name' and 'type'"))
                continue
            if node_type.endswith(".stickyNote"):
                continue
            self.nodes.setdefault(name, (index, node))
            self.nodes_by_index[index] = node
            if isinstance(node.get("id"), str):
                ids.setdefault(node["id"], name)
        links, attachments, by_name = self.read_connections(connections, ids)
        if not by_name and connections:
            return  # every key is a node id (a rewritten dump): the topology is unknown
        in_flow = {link.source for link in links} | {link.target for link in links}
        attached = {source for source, _, _, _ in attachments}
        steps: dict[str, Step] = {}
        for name, (index, node) in self.nodes.items():
            sub_node = name not in in_flow and (name in attached or is_sub_node_type(node["type"]))
            sub_agent = node["type"] in AGENT_TYPES and name in attached  # an AI Agent Tool
            if sub_node and not sub_agent:
                continue
            steps[name] = self.step(name, index, node)
        models: dict[str, int] = {}
        for source, target, ctype, link in attachments:
            if target not in steps:
                continue
            if ctype == "ai_tool":
                steps[target].tools.append(source)
                if source in steps and self.nodes[source][1]["type"] in AGENT_TYPES:
                    link.kind = EdgeKind.CALL
                    link.source, link.target = target, source
                    link.source_span, link.target_span = link.target_span, link.source_span
                    links.append(link)
            elif ctype == "ai_languageModel" and source in self.nodes:
                models.setdefault(target, self.nodes[source][0])
        for name, step in steps.items():
            self.finish(step, self.nodes[name][1], models.get(name))
        loops = {}
        for name in steps:
            node = self.nodes[name][1]
            output = loop_output(node) if short_type(node["type"]) == "splitInBatches" else None
            if output is not None:
                loops[name] = output
        links = foreach_calls(links, loops)
        triggers = [name for name in steps if is_trigger(self.nodes[name][1]["type"])]
        roots = [name for name in steps if name not in {link.target for link in links}]
        entry = triggers[0] if len(triggers) == 1 else (roots[0] if not triggers and len(roots) == 1 else None)
        ordered = list(steps.values())
        name_span = self.smap.value(self.at("name")) or self.smap.locate(self.base)
        self.out.parts.append(
            graph_part(
                doc,
                name=graph_name(data.get("name"), doc.path + "".join(f"#{key}" for key in self.base)),
                span=name_span,
                framework="n8n",
                steps=ordered,
                links=links,
                entry=entry,
                ends=terminals(ordered, links, self.open_outputs(connections, steps)),
            )
        )

    def read_connections(
        self, connections: dict[str, Any], ids: dict[str, str]
    ) -> tuple[list[Link], list[tuple[str, str, str, Link]], bool]:
        """Main links, ai_* attachments, and whether any key names a node the n8n way."""
        links: list[Link] = []
        attachments: list[tuple[str, str, str, Link]] = []
        by_name = False
        for source, by_type in connections.items():
            key: Pointer = self.at("connections", source)
            if source not in self.nodes and source in ids:
                message = (
                    f"connections are keyed by node names, and '{source}' is the id of node '{ids[source]}': "
                    "n8n ignores the connections listed under it"
                )
                self.out.problems.append(shape_problem(self.doc, key, message, key=True))
                continue
            by_name = True
            if not isinstance(by_type, dict):
                continue
            source_span = self.smap.key(key) or self.smap.locate(key)
            for ctype, outputs in by_type.items():
                if not isinstance(outputs, list):
                    continue
                labels = output_labels(self.nodes.get(source, (0, {}))[1], len(outputs))
                for out_index, targets in enumerate(outputs):
                    for k, target in enumerate(targets if isinstance(targets, list) else ()):
                        name = target.get("node") if isinstance(target, dict) else None
                        if not isinstance(name, str):
                            continue
                        at: Pointer = (*key, ctype, out_index, k)
                        label = labels[out_index] if out_index < len(labels) else f"output {out_index}"
                        link = Link(
                            source=source,
                            target=name,
                            pointer=at,
                            span=self.value_span(at),
                            source_span=source_span,
                            target_span=self.value_span((*at, "node")),
                            condition=label if ctype == "main" else None,
                            output=str(out_index),
                        )
                        if ctype == "main":
                            links.append(link)
                        else:
                            attachments.append((source, name, ctype, link))
        return links, attachments, by_name

    def open_outputs(self, connections: dict[str, Any], steps: dict[str, Step]) -> list[str]:
        """Steps with a normal output that leads nowhere (IF without a false branch, Loop
        Over Items with nothing after "done"), and filters, which may drop every item."""
        found = []
        for name in steps:
            node = self.nodes[name][1]
            if short_type(node["type"]) == "filter":
                found.append(name)
                continue
            count = output_count(node)
            if count is None:
                continue
            main = connections.get(name, {}).get("main") if isinstance(connections.get(name), dict) else None
            main = main if isinstance(main, list) else []
            if any(i >= len(main) or not main[i] for i in range(count)):
                found.append(name)
        return found

    def step(self, name: str, index: int, node: dict[str, Any]) -> Step:
        pointer: Pointer = self.at("nodes", index)
        return Step(
            name=name,
            pointer=pointer,
            span=self.value_span((*pointer, "name")),
            role=node["type"],
            fields=[("role", self.value_span((*pointer, "type")))],
            description=node.get("notes") if isinstance(node.get("notes"), str) else None,
        )

    def finish(self, step: Step, node: dict[str, Any], model_index: int | None) -> None:
        """Limits of a step: the model sub-node's request limits, overridden by the node's
        own retry setting and by the workflow's execution timeout."""
        index = step.pointer[len(self.base) + 1]
        params = as_dict(node.get("parameters"))
        options = as_dict(params.get("options"))
        node_type = node["type"]
        llm = not node.get("disabled") and (node_type in AGENT_TYPES or node_type in DIRECT_LLM or model_index is not None)
        if llm:
            step.settable = LLM_SETTABLE if node_type in AGENT_TYPES else LLM_SETTABLE - {"max_iterations", "tools"}
            step.keys = (("timeout_seconds", "settings.executionTimeout"), ("max_attempts", "retryOnFail/maxTries"), ("max_iterations", "options.maxIterations"))
            if model_index is not None:
                self.model_limits(step, model_index)
            system = options.get("systemMessage", params.get("systemMessage"))
            step.prompt = system if isinstance(system, str) else None
            if step.prompt is not None:
                where = ("options", "systemMessage") if "systemMessage" in options else ("systemMessage",)
                self.system_messages.append((self.at("nodes", index, "parameters", *where), step.prompt, f"agent '{step.name}'"))
            if node_type in AGENT_TYPES:
                if "maxIterations" in options:
                    step.max_iterations = as_int(options["maxIterations"])
                    where = self.at("nodes", index, "parameters", "options", "maxIterations")
                    step.fields.append(("max_iterations", self.value_span(where)))
                else:
                    step.implicit = (("max_iterations", "n8n.max_iterations"),)
            settings = as_dict(self.data.get("settings"))
            limit = as_number(settings.get("executionTimeout"))
            if limit is not None and limit > 0:
                step.timeout_seconds = limit
                step.fields = [f for f in step.fields if f[0] != "timeout"]
                step.fields.append(("timeout", self.value_span(self.at("settings", "executionTimeout"))))
        elif short_type(node_type) == "httpRequest":
            timeout = as_number(options.get("timeout"))
            if timeout is not None and timeout > 0:
                step.timeout_seconds = timeout / 1000
                step.fields.append(("timeout", self.value_span(self.at("nodes", index, "parameters", "options", "timeout"))))
        retry = node.get("retryOnFail")
        if retry is True or retry is False:
            tries = as_int(node.get("maxTries"))
            step.max_attempts = min(5, max(2, tries or 3)) if retry else 1
            step.written = ()  # maxTries counts attempts: the model's maxRetries no longer applies
            where: Pointer = self.at("nodes", index, "maxTries" if retry and "maxTries" in node else "retryOnFail")
            step.fields = [f for f in step.fields if f[0] != "max_attempts"] + [("max_attempts", self.value_span(where))]

    def model_limits(self, step: Step, index: int) -> None:
        """Model name and per-request limits of the language-model sub-node feeding a step."""
        params = as_dict(self.nodes_by_index[index].get("parameters"))
        for key in ("model", "modelName"):
            name = text_value(params.get(key))
            if name is not None:
                step.model = name
                where = self.at("nodes", index, "parameters", key)
                step.fields.append(("model", self.value_span((*where, "value") if isinstance(params[key], dict) else where)))
                break
        options = as_dict(params.get("options"))
        at: Pointer = self.at("nodes", index, "parameters", "options")
        timeout = as_number(options.get("timeout"))
        if timeout is not None and timeout > 0:
            step.timeout_seconds = timeout / 1000
            step.fields.append(("timeout", self.value_span((*at, "timeout"))))
        retries = as_int(options.get("maxRetries"))
        if retries is not None and retries >= 0:
            step.max_attempts = retries + 1
            step.written = (("max_attempts", f"maxRetries: {retries}"),)
            step.fields.append(("max_attempts", self.value_span((*at, "maxRetries"))))


ADAPTER = Adapter("n8n", frozenset({Syntax.JSON}), claims, adapt)
