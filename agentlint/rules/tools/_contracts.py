"""Shared queries of the tool-contract rules: a tool's schemas and a walk over the subschemas of
a JSON Schema that knows which keywords apply to the same instance (allOf …) and which to a
child instance (properties …)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from agentlint.findings import Location
from agentlint.model.patterns import search
from agentlint.model.source import Pointer, json_pointer
from agentlint.model.tools import Schema, Tool

# Keywords whose subschemas validate the same instance as their parent.
IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
IN_PLACE_ONE = ("not", "if", "then", "else")
IN_PLACE_MAPS = ("dependentSchemas", "dependencies")  # draft-07 dependencies: lists are skipped
# Keywords whose subschemas validate a child instance (or are only definitions).
CHILD_MAPS = ("properties", "patternProperties", "$defs", "definitions")
CHILD_ONE = (
    "items",
    "additionalItems",
    "additionalProperties",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contains",
    "propertyNames",
    "contentSchema",
)
CHILD_LISTS = ("prefixItems", "items")


def tool_schemas(tool: Tool) -> Iterator[tuple[str, Schema]]:
    """(field name as the file writes it, schema) of the tool's input and output schemas."""
    for schema in (tool.input_schema, tool.output_schema):
        if schema is not None:
            yield label_of(schema), schema


def contract_schemas(project: Any) -> Iterator[tuple[str, str, Schema]]:
    """(owner, field name, schema) of every contract the project declares: the input and
    output schemas of tools, and the configuration schemas of servers (smithery
    ``configSchema``, Docker catalog ``config.parameters``)."""
    for tool in project.tools:
        for label, schema in tool_schemas(tool):
            yield f"tool '{tool.name}'", label, schema
    for server in project.servers:
        schema = server.get("config_schema")
        if isinstance(schema, Schema):
            yield f"server '{server.name}'", label_of(schema), schema


def label_of(schema: Schema) -> str:
    """The key the schema sits under (``inputSchema``, ``outputSchema``, ``parameters`` …)."""
    return schema.base[-1] if schema.base and isinstance(schema.base[-1], str) else "inputSchema"


def value_location(schema: Schema, pointer: Pointer) -> Location:
    """The value at ``pointer`` inside the schema (its key's line when the value is unknown)."""
    span = schema.source_map.value(schema.base + tuple(pointer))
    return Location(schema.path, span) if span is not None else schema.locate(pointer)


@dataclass(frozen=True, slots=True)
class Node:
    pointer: Pointer  # inside the schema
    data: dict[str, Any]
    instance: Pointer  # the outermost subschema that validates the same instance as this one
    negated: bool  # under a ``not`` (at any depth): its keywords say what must NOT hold


def subschemas(root: Any) -> Iterator[Node]:
    """Every object subschema of ``root``, parents before children."""
    stack: list[Node] = [Node((), root, (), False)] if isinstance(root, dict) else []
    while stack:
        node = stack.pop()
        yield node
        found: list[Node] = []
        for key, value in node.data.items():
            here = node.pointer + (key,)
            if key in IN_PLACE_LISTS and isinstance(value, list):
                found += [Node(here + (i,), v, node.instance, node.negated) for i, v in enumerate(value) if isinstance(v, dict)]
            elif key in IN_PLACE_ONE and isinstance(value, dict):
                found.append(Node(here, value, node.instance, node.negated or key == "not"))
            elif key in IN_PLACE_MAPS and isinstance(value, dict):
                found += [Node(here + (k,), v, node.instance, node.negated) for k, v in value.items() if isinstance(v, dict)]
            elif key in CHILD_MAPS and isinstance(value, dict):
                found += [Node(here + (k,), v, here + (k,), node.negated) for k, v in value.items() if isinstance(v, dict)]
            elif key in CHILD_ONE and isinstance(value, dict):
                found.append(Node(here, value, here, node.negated))
            elif key in CHILD_LISTS and isinstance(value, list):
                found += [Node(here + (i,), v, here + (i,), node.negated) for i, v in enumerate(value) if isinstance(v, dict)]
        stack.extend(reversed(found))


def resolve_local(root: Any, ref: Any) -> Any:
    """The target of a local ``#/...`` JSON Pointer ``$ref``, or None."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    node = root
    for raw in ref[1:].split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def at(root: Any, pointer: Pointer) -> Any:
    node = root
    for part in pointer:
        node = node[part]
    return node


@dataclass(slots=True)
class Declared:
    """What an object schema says about its property names, all branches included."""

    names: set[str] = field(default_factory=set)
    patterns: list[str] = field(default_factory=list)
    open: bool = False  # an additionalProperties/unevaluatedProperties schema or true

    def admits(self, name: str) -> bool:
        return self.open or name in self.names or any(_matches(p, name) for p in self.patterns)


class Declarations:
    """The property names declared for the instance a subschema validates: by the outermost
    subschema of that instance, its in-place branches (allOf, anyOf, oneOf, if/then/else,
    dependentSchemas), local ``$ref``s, and the objects that apply a ``$defs`` entry in place."""

    def __init__(self, root: Any, nodes: list[Node]) -> None:
        self.root = root
        self.users: dict[str, set[Pointer]] = {}
        for node in nodes:
            if isinstance(node.data.get("$ref"), str):
                self.users.setdefault(node.data["$ref"], set()).add(node.instance)

    def of(self, node: Node) -> Declared:
        out = Declared()
        tops: set[Pointer] = set()
        queue = [node.instance]
        while queue:
            top = queue.pop()
            if top not in tops:
                tops.add(top)
                self._collect(at(self.root, top), out)
                queue.extend(self.users.get("#" + json_pointer(top), ()))
        return out

    def _collect(self, start: Any, out: Declared) -> None:
        stack, seen = [start], set()
        while stack:  # iterative: a long chain of $refs must not exhaust the recursion limit
            node = stack.pop()
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node.get("properties"), dict):
                out.names.update(str(k) for k in node["properties"])
            if isinstance(node.get("patternProperties"), dict):
                out.patterns.extend(str(k) for k in node["patternProperties"])
            for key in ("additionalProperties", "unevaluatedProperties"):
                out.open |= node.get(key) is True or isinstance(node.get(key), dict)
            stack += [resolve_local(self.root, node.get("$ref")), node.get("if"), node.get("then"), node.get("else")]
            for key in IN_PLACE_LISTS:
                stack += node[key] if isinstance(node.get(key), list) else []
            for key in IN_PLACE_MAPS:
                stack += list(node[key].values()) if isinstance(node.get(key), dict) else []

def _matches(pattern: str, name: str) -> bool:
    return search(pattern, name) is not False  # a match that cannot be checked admits the name
