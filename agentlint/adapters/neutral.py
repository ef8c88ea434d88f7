"""agentlint's own format: ``apiVersion: agentlint/v1``, ``kind: AgentGraph``, ``ToolPolicy`` or ``PromptRegistry``.

Recognised by content in any YAML or JSON file. Shapes are checked with the pydantic models
of ``shapes.neutral`` (imported only when such a file is present); every shape error becomes
an AL002 finding at its own key or value. A plain, valid AgentGraph is read by
``_neutral_fast.plain_graph`` without pydantic (same entities; anything unusual goes to pydantic).
"""

from __future__ import annotations

import re
from sys import intern
from typing import Any

from agentlint.adapters.base import Adapted, Adapter, field_spans, pydantic_problems, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.entities import Agent, AgentReferences, Edge, EdgeKind, GraphPart
from agentlint.model.source import Pointer, Span, shared_pointer, shared_span
from agentlint.model.prompts import PromptReference, parse_reference
from agentlint.model.tools import ToolReference

_CLAIM = re.compile(r"""apiVersion["']?\s*:\s*["']?agentlint/""")
KINDS = ("AgentGraph", "ToolPolicy", "PromptRegistry")
_AGENT_FIELDS = ("role", "description", "model", "prompt", "tools", "timeout", "retries", "max_iterations")
_EDGE_FIELDS = ("from", "to", "kind", "when", "max_traversals")


def claims(path: str, text: str) -> bool:
    return _CLAIM.search(text) is not None


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        data = doc.data
        if not isinstance(data, dict) or not str(data.get("apiVersion", "")).startswith("agentlint/"):
            continue
        if data.get("apiVersion") != "agentlint/v1":
            out.problems.append(
                shape_problem(doc, ("apiVersion",), f"unsupported apiVersion '{data.get('apiVersion')}': use agentlint/v1")
            )
            continue
        kind = data.get("kind")
        if kind == "AgentGraph":
            _adapt_graph(doc, data, out)
        elif kind == "ToolPolicy":
            from agentlint.adapters._neutral_policy import adapt_policy

            adapt_policy(doc, data, out)
        elif kind == "PromptRegistry":
            from agentlint.adapters._neutral_prompts import adapt_registry

            adapt_registry(doc, data, out, file.text)
        else:
            message = f"unknown kind '{kind}' for agentlint/v1: expected one of {', '.join(KINDS)}"
            out.problems.append(shape_problem(doc, ("kind",) if "kind" in data else (), message))
    return out


def _shared(value: Any) -> Any:
    """One object per short string value: JSON documents give a new string for every value (the
    YAML loader interns its own), and a large project's entities repeat the same names."""
    return intern(value) if type(value) is str and len(value) <= 64 else value


def _surrogate_at(data: Any) -> tuple[Pointer, bool]:
    """The first key or string value holding a lone surrogate, and whether it is a key."""

    def bad(text: str) -> bool:
        return not text.isascii() and any("\ud800" <= char <= "\udfff" for char in text)

    stack: list[tuple[Pointer, Any]] = [((), data)]
    while stack:  # depth first, in document order
        pointer, node = stack.pop()
        if isinstance(node, str) and bad(node):
            return pointer, False
        members = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        children = []
        for key, value in members:
            if isinstance(key, str) and bad(key):
                return pointer + (key,), True
            children.append((pointer + (key,), value))
        stack.extend(reversed(children))
    return (), False


def _adapt_graph(doc: LocatedDoc, data: dict[str, Any], out: Adapted, fast: bool = True) -> None:
    from agentlint.adapters._neutral_fast import plain_graph, seconds

    spec: Any = plain_graph(data) if fast else None
    if spec is None:  # not plainly valid: pydantic's messages and positions
        from pydantic import ValidationError

        from agentlint.adapters.shapes.neutral import AgentGraphDoc

        try:
            spec = AgentGraphDoc.model_validate(data)
        except ValidationError as exc:
            out.problems.extend(pydantic_problems(doc, (), exc.errors(include_url=False)))
            return
        except UnicodeEncodeError:  # pydantic reads UTF-8 only: a YAML "\ud800" escape is no character
            at, is_key = _surrogate_at(data)
            message = "a \\u escape of a lone surrogate (U+D800-U+DFFF) is not a character: write the character itself"
            out.problems.append(shape_problem(doc, at, message, key=is_key))
            return
    smap = doc.source_map
    name = spec.metadata.name
    doc_span = smap.locate(("metadata", "name"))

    def span(pointer: Pointer) -> Span:
        return smap.key(pointer) or smap.locate(pointer)

    places: list[tuple[str, Pointer]] = []  # the AgentReferences: (context, pointer) of each,
    flat: list = []  # and its (name, span) after another

    def reference(agent: str, pointer: Pointer, context: str) -> None:
        places.append((context, pointer))
        flat.extend((agent, shared_span(smap.locate(pointer))))

    agents = []
    for agent_name, agent in spec.agents.items():
        agent_name = _shared(agent_name)
        pointer: Pointer = ("agents", agent_name)
        agents.append(
            Agent(
                ref=doc.ref(pointer),
                span=span(pointer),
                fields=field_spans(doc, pointer, _AGENT_FIELDS)
                + tuple(("max_attempts", sp) for _, sp in field_spans(doc, pointer + ("retries",), ("max_attempts",))),
                name=agent_name,
                graph=name,
                role=_shared(agent.role),
                description=agent.description,
                model=_shared(agent.model),
                prompt=_shared(agent.prompt),
                tools=shared_pointer(tuple(map(_shared, agent.tools))),  # a tuple of names, kept once like a pointer
                timeout_seconds=seconds(agent.timeout) if agent.timeout is not None else None,
                max_attempts=agent.retries.max_attempts if agent.retries else None,
                max_iterations=agent.max_iterations,
            )
        )
    for agent_name, agent in spec.agents.items():
        agent_name = _shared(agent_name)
        if agent.prompt is not None:
            at_prompt: Pointer = ("agents", agent_name, "prompt")
            prompt_name, version, label = parse_reference(agent.prompt)
            out.entities.append(
                PromptReference(
                    doc.ref(at_prompt),
                    smap.locate(at_prompt),
                    (("value", value),) if (value := smap.value(at_prompt)) is not None else (),  # the text a fix replaces
                    agent=agent_name,
                    name=prompt_name,
                    version=version,
                    label=label,
                )
            )
        for index, tool in enumerate(agent.tools):
            at: Pointer = ("agents", agent_name, "tools", index)
            server, _, tool_name = tool.partition(".")  # two new strings each: keep one of each name
            out.entities.append(
                ToolReference(doc.ref(at), smap.locate(at), (), agent=agent_name, server=intern(server), tool=intern(tool_name))
            )
    edges = []
    for index, edge in enumerate(spec.edges):
        pointer = ("edges", index)
        source, target = _shared(edge.source), _shared(edge.target)
        edges.append(
            Edge(
                ref=doc.ref(pointer),
                span=smap.locate(pointer),
                fields=field_spans(doc, pointer, _EDGE_FIELDS),
                source=source,
                target=target,
                kind=EdgeKind(edge.kind.value),
                graph=name,
                condition=_shared(edge.when),
                max_traversals=edge.max_traversals,
            )
        )
        reference(source, pointer + ("from",), "edge source")
        reference(target, pointer + ("to",), "edge target")
    if spec.entry is not None:
        reference(spec.entry, ("entry",), "entry")
    for index, terminal in enumerate(spec.terminals):
        reference(terminal, ("terminals", index), "terminal")
    out.parts.append(
        GraphPart(
            ref=doc.ref(),
            span=doc_span,
            fields=field_spans(doc, (), ("entry", "terminals", "agents", "edges")),
            name=name,
            entry=spec.entry,
            terminals=tuple(spec.terminals),
            agents=tuple(agents),
            edges=tuple(edges),
            references=AgentReferences(doc.path, doc.index, name, tuple(places), tuple(flat)),
        )
    )


ADAPTER = Adapter("agentlint", frozenset({Syntax.YAML, Syntax.JSON}), claims, adapt)
