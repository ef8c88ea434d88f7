"""Langflow flow exports (JSON): ``data.nodes[]`` / ``data.edges[]`` -> one agent graph.

A node is ``{id, type: genericNode|noteNode, data: {type: <component>, node: {template,
outputs, base_classes, display_name, …}}}``; each field's value is ``template.<field>.value``.
Exports embed every component's Python source (``template.code``): it is text to us, never
imported or run, and nothing here walks it.

- every component is a step named by its node id (display names repeat: five "Agent"s);
  notes are not steps;
- an edge into a ``tools`` field (a component in tool mode, output ``component_as_tool``)
  attaches a tool: the tool's id goes into ``Agent.tools`` and the component is not a step,
  except an Agent used as a tool, which is a CALL edge from the agent that uses it; every other
  edge is data flowing from one step to the next (SEQUENCE);
- the entry is the flow's Chat Input (else its only Webhook, else its only root); components
  that the entry does not reach but that feed a reached step (a Text Input holding a system
  prompt, a Prompt Template for a model) are configuration, not steps of the request;
- routers (ConditionalRouter …) label their edges with the output taken; an output left
  unconnected makes the router a terminal; a router on a loop takes each route at most
  ``max_iterations`` times (its edges' ``max_traversals``); Loop components are for-each
  constructs (body = output ``item``, see ``_flow``);
- agents (``Agent``, or a component with ``tools`` and ``agent_llm``/``llm`` inputs) and
  models (base class ``LanguageModel``) are the model-calling steps: ``max_iterations`` (default
  ``langflow.max_iterations``), ``timeout`` (seconds, per model request) and ``max_retries``
  (attempts = retries + 1), each settable only when the component's template has the field.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from agentlint.adapters._flow import (
    MODEL,
    PLAIN,
    Link,
    Step,
    as_int,
    as_number,
    foreach_calls,
    graph_name,
    graph_part,
    terminals,
)
from agentlint.adapters.base import Adapted, Adapter, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.entities import EdgeKind
from agentlint.model.source import Pointer, Span

_BASE_CLASSES = re.compile(r'"base_classes"\s*:')
_TEMPLATE = re.compile(r'"template"\s*:')
_EDGES = re.compile(r'"edges"\s*:')

ROUTERS = frozenset({"ConditionalRouter", "SmartRouter", "DataConditionalRouter"})
LOOPS = {"LoopComponent": "item"}
_LIMITS = (("timeout", "timeout_seconds"), ("max_retries", "max_attempts"), ("max_iterations", "max_iterations"))


def claims(path: str, text: str) -> bool:
    return (
        path.lower().endswith(".json")
        and _BASE_CLASSES.search(text) is not None
        and _TEMPLATE.search(text) is not None
        and _EDGES.search(text) is not None
    )


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        data = doc.data
        if isinstance(data, dict) and isinstance(data.get("data"), dict) and "nodes" in data["data"]:
            flow = _Flow(doc, out)
            flow.run()
            from agentlint.adapters._instructions import add_instructions

            add_instructions(file, out, ((doc, *found) for found in flow.system_prompts))  # AL408 judges them
    return out


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _template(node: dict[str, Any]) -> dict[str, Any]:
    return _dict(_dict(_dict(node.get("data")).get("node")).get("template"))


def _value(node: dict[str, Any], field: str) -> Any:
    return _dict(_template(node).get(field)).get("value")


def is_agent(node: dict[str, Any]) -> bool:
    template = _template(node)
    if _dict(node.get("data")).get("type") == "Agent":
        return True
    return "tools" in template and ("agent_llm" in template or "llm" in template)


def is_model(node: dict[str, Any]) -> bool:
    classes = _dict(_dict(node.get("data")).get("node")).get("base_classes")
    return isinstance(classes, list) and "LanguageModel" in classes


def _on_cycle(start: str, links: list[Link]) -> bool:
    out_of: dict[str, list[str]] = {}
    for link in links:
        out_of.setdefault(link.source, []).append(link.target)
    seen: set[str] = set()
    queue = deque(out_of.get(start, ()))
    while queue:
        node = queue.popleft()
        if node == start:
            return True
        if node not in seen:
            seen.add(node)
            queue.extend(out_of.get(node, ()))
    return False


class _Flow:
    def __init__(self, doc: LocatedDoc, out: Adapted) -> None:
        self.doc = doc
        self.out = out
        self.smap = doc.source_map
        self.system_prompts: list[tuple[Pointer, str, str]] = []  # (where, text, "agent 'name'")

    def span(self, pointer: Pointer) -> Span:
        return self.smap.value(pointer) or self.smap.locate(pointer)

    def run(self) -> None:
        doc = self.doc
        flow = doc.data["data"]
        nodes, edges = flow.get("nodes"), flow.get("edges", [])
        if not isinstance(nodes, list) or not isinstance(edges, list):
            where = ("data", "nodes") if not isinstance(nodes, list) else ("data", "edges")
            self.out.problems.append(shape_problem(doc, where, "a Langflow flow needs 'data.nodes' and 'data.edges' lists"))
            return
        self.nodes: dict[str, tuple[int, dict[str, Any]]] = {}
        for index, node in enumerate(nodes):
            if not isinstance(node, dict) or not isinstance(node.get("id"), str):
                continue
            kind = _dict(node.get("data")).get("type")
            if node.get("type") == "noteNode" or kind in ("note", None):
                continue
            self.nodes.setdefault(node["id"], (index, node))
        flow_edges, tool_edges = self.split(edges)
        tools = {source for source, _, _ in tool_edges if source in self.nodes and not is_agent(self.nodes[source][1])}
        steps = {ident: self.step(ident, index, node) for ident, (index, node) in self.nodes.items() if ident not in tools}
        links = [link for link in flow_edges if link.source not in tools and link.target not in tools]
        for source, target, link in tool_edges:
            if target in steps:
                steps[target].tools.append(source)
                if source in steps:  # an agent used as a tool: called by the agent it serves
                    link.kind = EdgeKind.CALL
                    link.source, link.target = target, source
                    link.source_span, link.target_span = link.target_span, link.source_span
                    links.append(link)
        entry = self.entry(steps, links)
        if entry is not None:
            feeders = self.feeders(entry, steps, links)
            steps = {ident: step for ident, step in steps.items() if ident not in feeders}
            links = [link for link in links if link.source not in feeders and link.target not in feeders]
        loops = {ident: LOOPS[self.kind(ident)] for ident in steps if self.kind(ident) in LOOPS}
        links = foreach_calls(links, loops)
        for ident in steps:
            if self.kind(ident) in ROUTERS and _on_cycle(ident, links):
                self.router_cap(ident, links)
        ordered = list(steps.values())
        self.out.parts.append(
            graph_part(
                doc,
                name=graph_name(doc.data.get("name"), doc.path),
                span=self.smap.value(("name",)) or self.smap.locate(()),
                framework="langflow",
                steps=ordered,
                links=links,
                entry=entry,
                ends=terminals(ordered, links, self.open_routes(steps, edges)),
            )
        )

    def kind(self, ident: str) -> str:
        entry = self.nodes.get(ident)
        kind = _dict(entry[1].get("data")).get("type") if entry else None
        return kind if isinstance(kind, str) else ""

    def split(self, edges: list[Any]) -> tuple[list[Link], list[tuple[str, str, Link]]]:
        flow: list[Link] = []
        tools: list[tuple[str, str, Link]] = []
        for index, edge in enumerate(edges):
            if not isinstance(edge, dict):
                continue
            source, target = edge.get("source"), edge.get("target")
            if not isinstance(source, str) or not isinstance(target, str):
                self.out.problems.append(shape_problem(self.doc, ("data", "edges", index), "an edge needs 'source' and 'target'"))
                continue
            handles = _dict(edge.get("data"))
            output = _dict(handles.get("sourceHandle")).get("name")
            field = _dict(handles.get("targetHandle")).get("fieldName")
            pointer: Pointer = ("data", "edges", index)
            link = Link(
                source=source,
                target=target,
                pointer=pointer,
                span=self.span(pointer),
                source_span=self.span((*pointer, "source")),
                target_span=self.span((*pointer, "target")),
                condition=output if self.kind(source) in ROUTERS and isinstance(output, str) else None,
                output=output if isinstance(output, str) else None,
            )
            if field == "tools" or output == "component_as_tool":
                tools.append((source, target, link))
            else:
                flow.append(link)
        return flow, tools

    def entry(self, steps: dict[str, Step], links: list[Link]) -> str | None:
        for kind in ("ChatInput", "Webhook"):
            found = [ident for ident in steps if self.kind(ident) == kind]
            if found:
                return found[0] if len(found) == 1 else None
        targets = {link.target for link in links}
        roots = [ident for ident in steps if ident not in targets]
        return roots[0] if len(roots) == 1 else None

    def feeders(self, entry: str, steps: dict[str, Step], links: list[Link]) -> set[str]:
        """Steps the entry does not reach that feed a step it does: configuration."""
        out_of: dict[str, list[str]] = {}
        into: dict[str, list[str]] = {}
        for link in links:
            out_of.setdefault(link.source, []).append(link.target)
            into.setdefault(link.target, []).append(link.source)

        def walk(starts: list[str], graph: dict[str, list[str]]) -> set[str]:
            seen = set(starts)
            queue = deque(starts)
            while queue:
                for nxt in graph.get(queue.popleft(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
            return seen

        reached = walk([entry], out_of)
        feeding = walk(sorted(reached), into)
        return {ident for ident in steps if ident in feeding and ident not in reached}

    def open_routes(self, steps: dict[str, Step], edges: list[Any]) -> list[str]:
        """Routers with an output that leads nowhere: the run ends there on that route."""
        used: dict[str, set[str]] = {}
        for edge in edges:
            if isinstance(edge, dict):
                name = _dict(_dict(edge.get("data")).get("sourceHandle")).get("name")
                used.setdefault(str(edge.get("source")), set()).add(str(name))
        found = []
        for ident in steps:
            if self.kind(ident) not in ROUTERS:
                continue
            outputs = _dict(_dict(self.nodes[ident][1].get("data")).get("node")).get("outputs")
            names = [o.get("name") for o in outputs if isinstance(o, dict)] if isinstance(outputs, list) else []
            if any(str(name) not in used.get(ident, set()) for name in names):
                found.append(ident)
        return found

    def router_cap(self, ident: str, links: list[Link]) -> None:
        """A router stops taking its routes after ``max_iterations`` runs: on a loop, each of
        its routes can be taken at most that many times."""
        index, node = self.nodes[ident]
        cap = as_int(_value(node, "max_iterations"))
        if cap is None:
            return
        at = self.span(("data", "nodes", index, "data", "node", "template", "max_iterations", "value"))
        for link in links:
            if link.source == ident:
                link.max_traversals = cap
                link.fields = (*link.fields, ("max_traversals", at))

    def step(self, ident: str, index: int, node: dict[str, Any]) -> Step:
        pointer: Pointer = ("data", "nodes", index)
        template = _template(node)
        kind = self.kind(ident)
        display = _dict(_dict(node.get("data")).get("node")).get("display_name")
        step = Step(
            name=ident,
            pointer=pointer,
            span=self.span((*pointer, "id")),
            role=kind,
            fields=[("role", self.span((*pointer, "data", "type")))],
            description=display if isinstance(display, str) and display else None,
        )
        at: Pointer = (*pointer, "data", "node", "template")
        agent, model = is_agent(node), is_model(node)
        if agent or model:
            written = {attr for field, attr in _LIMITS if field in template}
            step.settable = MODEL | {"tools"} | written if agent else MODEL | (written - {"max_iterations"})
            name = _value(node, "model_name")
            if isinstance(name, str) and name:
                step.model = name
                step.fields.append(("model", self.span((*at, "model_name", "value"))))
            prompt = _value(node, "system_prompt")
            step.prompt = prompt if isinstance(prompt, str) and prompt else None
            if step.prompt is not None:
                self.system_prompts.append(((*at, "system_prompt", "value"), step.prompt, f"agent '{step.name}'"))
        else:
            step.settable = PLAIN
        timeout = as_number(_value(node, "timeout")) if "timeout" in template else None
        if timeout is not None and timeout > 0 and (agent or model):
            step.timeout_seconds = timeout
            step.fields.append(("timeout", self.span((*at, "timeout", "value"))))
        retries = as_int(_value(node, "max_retries")) if "max_retries" in template else None
        if retries is not None and retries >= 0 and (agent or model):
            step.max_attempts = retries + 1
            step.written = (("max_attempts", f"max_retries: {retries}"),)
            step.fields.append(("max_attempts", self.span((*at, "max_retries", "value"))))
        if "max_iterations" in template and agent:
            step.max_iterations = as_int(_value(node, "max_iterations"))
            if step.max_iterations is not None:
                step.fields.append(("max_iterations", self.span((*at, "max_iterations", "value"))))
            else:
                step.implicit = (("max_iterations", "langflow.max_iterations"),)
        elif agent:
            step.implicit = (("max_iterations", "langflow.max_iterations"),)
        return step


ADAPTER = Adapter("langflow", frozenset({Syntax.JSON}), claims, adapt)
