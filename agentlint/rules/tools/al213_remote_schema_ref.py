from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urldefrag

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.schemas import external_refs
from agentlint.model.source import json_pointer
from agentlint.rule import Example, Rule
from agentlint.rules.tools._contracts import contract_schemas, subschemas, value_location


class RemoteSchemaRef(Rule):
    """A tool schema `$ref`s a document outside itself.

    ## What it does
    Reports `$ref` (and `$dynamicRef`) values in tools' input and output schemas that point
    outside the schema document: `https://…/common.json#/$defs/Id`, `./types.json`. References
    inside the document (`#/$defs/Id`) and references to a subschema that the document itself
    names with `$id` are fine. agentlint never fetches anything.

    ## Why is this bad?
    MCP (2026-07-28) says implementations must not dereference network `$ref`s on their own,
    and that an unresolved external reference should make the schema invalid: clients reject
    the tool, or validate arguments against an empty schema. Inline the definition under
    `$defs` instead.
    """

    code = "AL213"
    name = "remote-schema-ref"
    summary = "Tool schema references an external document"
    severity = Severity.ERROR
    checklist = Checklist.TOOL_CONTRACTS
    entities = ("Tool", "ToolServer")  # tool schemas, and server config schemas (contract_schemas)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for owner, label, schema in contract_schemas(project):
            found = external_refs(schema.data)
            if not found:
                continue
            embedded = _embedded_ids(schema.data)
            for pointer, ref in found:
                if _target(schema.data, ref) in embedded:
                    continue
                where = f"{label}{json_pointer(pointer[:-1])}"
                yield self.violation(
                    f"{owner}: {where} refers to '{ref}' outside the schema: clients do not fetch it; "
                    "inline it under '$defs'",
                    value_location(schema, pointer),
                    ref=schema.ref(pointer),
                    args=(owner, where, ref),
                )

    valid = (
        Example.of(
            """{
  "name": "create_order",
  "inputSchema": {
    "$id": "https://example.com/schemas/order.json",
    "type": "object",
    "properties": {
      "customer": {"$ref": "#/$defs/customer"},
      "address": {"$ref": "address.json"},
      "note": {"type": "string", "default": {"$ref": "https://example.com/not-a-ref-just-data"}}
    },
    "$defs": {
      "customer": {"type": "object", "properties": {"id": {"type": "string"}}},
      "address": {"$id": "https://example.com/schemas/address.json", "type": "object"}
    }
  }
}
""",
            path="tool.json",
            title="Local refs, a subschema named by its own $id, and data that looks like a $ref",
        ),
    )
    invalid = (
        Example.of(
            """{"tools": [
  {
    "name": "create_order",
    "inputSchema": {
      "type": "object",
      "properties": {
        "customer": {"$ref": "https://schemas.example.com/customer.json"},
        "items": {"type": "array", "items": {"$ref": "./item.schema.json#/definitions/Item"}}
      }
    }
  }
]}
""",
            path="tools.json",
            title="A network $ref and a relative file $ref",
            expect=(("tools.json", 7, "AL213"), ("tools.json", 8, "AL213")),
        ),
    )


def _base(data: Any) -> str:
    return data["$id"] if isinstance(data, dict) and isinstance(data.get("$id"), str) else ""


def _target(data: Any, ref: str) -> str:
    return _join(_base(data), ref)


def _join(base: str, ref: str) -> str:
    """``ref`` resolved against ``base``, without its fragment; malformed URIs stay as written."""
    try:
        return urldefrag(urljoin(base, ref))[0]
    except ValueError:  # "http://[bad": an invalid IPv6 host
        return ref.partition("#")[0]


def _embedded_ids(data: Any) -> set[str]:
    """Absolute ``$id``s of the schema and its subschemas (resolved against the root ``$id`` only: enough for the
    bundled-schema layout, where nested ids are absolute or siblings of the root)."""
    base = _base(data)
    return {
        _join(base, node.data["$id"])
        for node in subschemas(data)
        if isinstance(node.data.get("$id"), str)
    }
