"""The reading half of the dify adapter (``adapters/dify.py`` keeps the cheap ``claims``
and imports this module for the first file it claims)."""

from __future__ import annotations

from typing import Any

from agentlint.adapters._flow import (
    MODEL,
    PLAIN,
    Link,
    Step,
    as_int,
    as_number,
    graph_name,
    graph_part,
    terminals,
    unique_names,
)
from agentlint.adapters._dify_chat import agent_chat
from agentlint.adapters.base import Adapted, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc
from agentlint.model.entities import EdgeKind
from agentlint.model.source import Pointer, Span


GRAPH: Pointer = ("workflow", "graph")
ROOTS = frozenset({"start", "datasource", "trigger-webhook", "trigger-schedule", "trigger-plugin"})
MARKERS = frozenset({"iteration-start", "loop-start"})
# Which limits each model-calling node type can express in the DSL (and the UI).
SETTABLE = {
    "llm": MODEL | {"max_attempts"},
    "agent": MODEL | {"tools", "max_iterations"},
    "question-classifier": frozenset({"model"}),
    "parameter-extractor": frozenset({"model"}),
}


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        data = doc.data
        if not isinstance(data, dict) or not isinstance(data.get("app"), dict):
            continue
        if "workflow" in data and (data.get("kind") == "app" or isinstance(_dict(data["workflow"]).get("graph"), dict)):
            _Workflow(doc, out).run()
        elif isinstance(data.get("model_config"), dict):
            agent_chat(doc, out)
    return out


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _constant(value: Any) -> Any:
    """Agent parameters are ``{type: constant, value: …}``; older exports write the value."""
    return value.get("value") if isinstance(value, dict) and "value" in value else value


class _Workflow:
    def __init__(self, doc: LocatedDoc, out: Adapted) -> None:
        self.doc = doc
        self.out = out
        self.smap = doc.source_map

    def span(self, pointer: Pointer) -> Span:
        return self.smap.value(pointer) or self.smap.locate(pointer)

    def run(self) -> None:
        doc = self.doc
        graph = _dict(_dict(doc.data.get("workflow")).get("graph"))
        nodes, edges = graph.get("nodes"), graph.get("edges", [])
        if not isinstance(nodes, list) or not isinstance(edges, list):
            where = GRAPH + (("nodes",) if not isinstance(nodes, list) else ("edges",))
            self.out.problems.append(shape_problem(doc, where, "a Dify workflow needs 'graph.nodes' and 'graph.edges' lists"))
            return
        found: dict[str, tuple[int, dict[str, Any]]] = {}
        for index, node in enumerate(nodes):
            data = _dict(node.get("data")) if isinstance(node, dict) else {}
            ident = node.get("id") if isinstance(node, dict) else None
            kind = data.get("type")
            if not isinstance(ident, (str, int)) or not isinstance(kind, str) or not kind:
                continue  # notes (type custom-note, no data.type) and malformed entries
            found.setdefault(str(ident), (index, node))
        titles = []
        for ident, (_, node) in found.items():
            data = node["data"]
            if data["type"] in MARKERS:
                continue
            title = data.get("title")
            titles.append((ident, title.strip() if isinstance(title, str) and title.strip() else f"{data['type']} {ident}"))
        self.names = unique_names(titles)
        self.found = found
        steps = {ident: self.step(ident, *found[ident]) for ident in self.names}
        starts = {str(n["data"].get("start_node_id")): ident for ident, (_, n) in found.items() if n["data"].get("start_node_id")}
        markers = {
            ident: self.parent(node) or starts.get(ident) for ident, (_, node) in found.items() if node["data"]["type"] in MARKERS
        }
        links, used = self.links(edges, markers)
        links += self.loop_returns(steps, links)
        ordered = list(steps.values())
        roots = [ident for ident in self.names if found[ident][1]["data"]["type"] in ROOTS]
        entry = self.names[roots[0]] if len(roots) == 1 else None
        app = _dict(doc.data.get("app"))
        self.out.parts.append(
            graph_part(
                doc,
                name=graph_name(app.get("name"), doc.path),
                span=self.smap.value(("app", "name")) or self.smap.locate(("app",)),
                framework="dify",
                steps=ordered,
                links=links,
                entry=entry,
                ends=terminals(ordered, links, self.open_branches(used)),
            )
        )

    def name_of(self, ident: str) -> str:
        return self.names.get(ident, ident)

    def links(self, edges: list[Any], markers: dict[str, str | None]) -> tuple[list[Link], dict[str, set[str]]]:
        """Edges -> links (a marker's edges start at its container, as CALLs into the body),
        and the source handles each node uses."""
        links = []
        used: dict[str, set[str]] = {}
        for index, edge in enumerate(edges):
            if not isinstance(edge, dict):
                continue
            source, target = edge.get("source"), edge.get("target")
            if not isinstance(source, (str, int)) or not isinstance(target, (str, int)):
                self.out.problems.append(shape_problem(self.doc, (*GRAPH, "edges", index), "an edge needs 'source' and 'target'"))
                continue
            source, target = str(source), str(target)
            handle = edge.get("sourceHandle")
            handle = str(handle) if handle is not None else "source"
            used.setdefault(source, set()).add(handle)
            pointer: Pointer = ("workflow", "graph", "edges", index)
            kind, condition = EdgeKind.SEQUENCE, None
            if source in markers:
                container = markers[source]
                if container is None:
                    continue
                kind = EdgeKind.CALL
                condition = "each item" if self.kind(container) == "iteration" else "loop body"
                source = container
            else:
                condition = self.condition(source, handle)
            links.append(
                Link(
                    source=self.name_of(source),
                    target=self.name_of(target),
                    pointer=pointer,
                    span=self.span(pointer),
                    source_span=self.span((*pointer, "source")),
                    target_span=self.span((*pointer, "target")),
                    kind=kind,
                    condition=condition,
                    output=handle,
                )
            )
        return links, used

    def kind(self, ident: str) -> str:
        entry = self.found.get(ident)
        return entry[1]["data"]["type"] if entry else ""

    def condition(self, source: str, handle: str) -> str | None:
        kind = self.kind(source)
        if handle == "source":
            return None
        if handle == "fail-branch":
            return "on failure"
        if kind == "if-else":
            return "else" if handle == "false" else f"case {handle}"
        if kind == "question-classifier":
            for item in _dict(self.found[source][1]["data"]).get("classes") or ():
                if isinstance(item, dict) and str(item.get("id")) == handle and isinstance(item.get("name"), str):
                    return f"class {item['name']}"
            return f"class {handle}"
        return handle

    def branches(self, ident: str) -> list[str]:
        """The source handles a branching node offers."""
        data = self.found[ident][1]["data"]
        if data["type"] == "if-else":
            cases = data.get("cases")
            ids = [str(c.get("case_id")) for c in cases if isinstance(c, dict)] if isinstance(cases, list) else ["true"]
            return ids + ["false"]
        if data["type"] == "question-classifier":
            return [str(c.get("id")) for c in data.get("classes") or () if isinstance(c, dict)]
        return []

    def open_branches(self, used: dict[str, set[str]]) -> list[str]:
        return [
            self.names[ident]
            for ident in self.names
            if any(handle not in used.get(ident, set()) for handle in self.branches(ident))
        ]

    def loop_returns(self, steps: dict[str, Step], links: list[Link]) -> list[Link]:
        """Each last node of a loop body returns to the loop node, at most loop_count times."""
        returns = []
        sources = {link.source for link in links}
        for ident, (index, node) in self.found.items():
            data = node["data"]
            if data["type"] != "loop":
                continue
            body = [
                child
                for child, (_, other) in self.found.items()
                if child in self.names and self.parent(other) == ident
            ]
            at: Pointer = ("workflow", "graph", "nodes", index, "data", "loop_count")
            count = as_int(data.get("loop_count"))
            if count is None:
                message = f"loop '{self.names[ident]}' has no integer 'loop_count'"
                self.out.problems.append(shape_problem(self.doc, at[:-1], message, key=True))
            span = self.span(at) if "loop_count" in data else steps[ident].span
            for child in body:
                name = self.names[child]
                if name in sources:
                    continue
                returns.append(
                    Link(
                        source=name,
                        target=self.names[ident],
                        pointer=at,
                        span=span,
                        source_span=steps[child].span,
                        target_span=steps[ident].span,
                        condition="next iteration",
                        max_traversals=count,
                        fields=(("max_traversals", span),),
                    )
                )
        return returns

    def parent(self, node: dict[str, Any]) -> str | None:
        """The loop or iteration a node sits in."""
        data = node["data"]
        parent = node.get("parentId") or data.get("loop_id") or data.get("iteration_id")
        return str(parent) if parent is not None else None

    def step(self, ident: str, index: int, node: dict[str, Any]) -> Step:
        pointer: Pointer = ("workflow", "graph", "nodes", index)
        data = node["data"]
        kind = data["type"]
        titled = isinstance(data.get("title"), str) and data["title"].strip()
        name_at = (*pointer, "data", "title") if titled else (*pointer, "id")
        step = Step(
            name=self.names[ident],
            pointer=pointer,
            span=self.span(name_at),
            role=kind,
            fields=[("role", self.span((*pointer, "data", "type")))],
            description=data.get("desc") if isinstance(data.get("desc"), str) and data.get("desc") else None,
            settable=SETTABLE.get(kind, PLAIN),
        )
        model = _dict(data.get("model"))
        if isinstance(model.get("name"), str):
            step.model = model["name"]
            step.fields.append(("model", self.span((*pointer, "data", "model", "name"))))
        self.retries(step, data, (*pointer, "data", "retry_config"))
        if kind == "llm":
            step.prompt = _system_prompt(data.get("prompt_template"))
        elif kind == "agent":
            self.agent(step, data, (*pointer, "data", "agent_parameters"))
        elif kind == "http-request":
            self.http_timeout(step, data, (*pointer, "data", "timeout"))
        return step

    def retries(self, step: Step, data: dict[str, Any], at: Pointer) -> None:
        config = data.get("retry_config")
        if not isinstance(config, dict) or not isinstance(config.get("retry_enabled"), bool):
            return
        if config["retry_enabled"]:
            retries = as_int(config.get("max_retries"))
            if retries is None:
                return
            step.max_attempts = retries + 1
            step.written = (("max_attempts", f"max_retries: {retries}"),)
            step.fields.append(("max_attempts", self.span((*at, "max_retries"))))
        else:
            step.max_attempts = 1
            step.fields.append(("max_attempts", self.span((*at, "retry_enabled"))))

    def agent(self, step: Step, data: dict[str, Any], at: Pointer) -> None:
        params = _dict(data.get("agent_parameters"))
        if "maximum_iterations" in params:
            step.max_iterations = as_int(_constant(params["maximum_iterations"]))
            inner = (*at, "maximum_iterations")
            written = (*inner, "value") if isinstance(params["maximum_iterations"], dict) else inner
            step.fields.append(("max_iterations", self.span(written)))
        else:
            step.implicit = (("max_iterations", "dify.max_iterations"),)
        tools = _constant(params.get("tools"))
        for tool in tools if isinstance(tools, list) else ():
            name = tool.get("tool_name") if isinstance(tool, dict) else None
            if isinstance(name, str):
                step.tools.append(name)
        model = _constant(params.get("model"))
        if isinstance(model, dict) and isinstance(model.get("model"), str):
            step.model = model["model"]
            wrapped = isinstance(params["model"], dict) and "value" in params["model"]
            step.fields.append(("model", self.span((*at, "model", *(("value",) if wrapped else ()), "model"))))
        instruction = _constant(params.get("instruction"))
        step.prompt = instruction if isinstance(instruction, str) else None

    def http_timeout(self, step: Step, data: dict[str, Any], at: Pointer) -> None:
        timeout = data.get("timeout")
        if not isinstance(timeout, dict):
            return
        parts = [as_number(timeout.get(key)) for key in ("connect", "read", "write")]
        total = sum(p for p in parts if p is not None and p > 0)
        if total > 0:
            step.timeout_seconds = total
            step.fields.append(("timeout", self.smap.key(at) or self.span(at)))


def _system_prompt(template: Any) -> str | None:
    if isinstance(template, dict):
        text = template.get("text")
        return text if isinstance(text, str) else None
    for message in template if isinstance(template, list) else ():
        if isinstance(message, dict) and message.get("role") == "system" and isinstance(message.get("text"), str):
            return message["text"]
    return None
