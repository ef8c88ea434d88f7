from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.schema_refs import dangling_refs
from agentlint.model.schemas import schema_problems
from agentlint.model.source import json_pointer
from agentlint.rule import Example, Rule
from agentlint.rules.tools._contracts import contract_schemas


class InvalidToolSchema(Rule):
    """A tool's input or output schema is not valid JSON Schema.

    ## What it does
    Checks every `inputSchema` and `outputSchema` of the project's MCP tools, and the
    configuration schema of each server manifest (smithery `configSchema`, Docker catalog
    `config.parameters`), against the
    metaschema of the dialect it declares in `$schema` (JSON Schema 2020-12 when it declares
    none, as MCP 2025-11-25 says), offline. Each error is reported at its own line. A `$schema`
    that names a dialect no validator knows is reported too, and so is a `pattern` or
    `patternProperties` name that is not an ECMA-262 regular expression, and a local `$ref`
    (`#/$defs/Id`, `#name`) that points at nothing in the document. `$ref`s that leave the
    document are AL213's concern, not this rule's.

    ## Why is this bad?
    Clients validate tool arguments and structured results against these schemas, and MCP
    says they must fail on schemas they cannot use: depending on the client, the call fails,
    the tool is dropped from the list, or the model is shown a contract that means nothing
    (`"type": "text"`, `"required": true` on a property).
    """

    code = "AL210"
    name = "invalid-tool-schema"
    summary = "Tool schema is not valid JSON Schema"
    severity = Severity.ERROR
    checklist = Checklist.TOOL_CONTRACTS
    entities = ("Tool", "ToolServer")  # tool schemas, and server config schemas (contract_schemas)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for owner, label, schema in contract_schemas(project):
            for problem in schema_problems(schema.data):
                if problem.kind not in ("metaschema", "dialect", "pattern", "depth"):
                    continue  # remote $refs: AL213
                where = f"{label}{json_pointer(problem.pointer)}"
                yield self.violation(
                    f"{owner}: {where}: {problem.message}",
                    schema.locate(problem.pointer),
                    ref=schema.ref(problem.pointer),
                    args=(owner, where, problem.message),
                )
            for pointer, target in dangling_refs(schema.data):
                where = f"{label}{json_pointer(pointer[:-1])}"
                message = f"{pointer[-1]} '{target}' points at nothing in the schema: clients cannot resolve it"
                yield self.violation(
                    f"{owner}: {where}: {message}",
                    schema.locate(pointer),
                    ref=schema.ref(pointer),
                    args=(owner, where, message),
                )

    valid = (
        Example.of(
            """{
  "tools": [
    {
      "name": "calculate_sum",
      "inputSchema": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
        "required": ["a", "b"],
        "definitions": {"unused": {"type": ["string", "null"]}}
      },
      "outputSchema": {"type": "object", "properties": {"sum": {"type": "number"}}}
    },
    {
      "name": "fetch_schema",
      "description": "A remote $ref is AL213's finding, not this rule's.",
      "inputSchema": {"type": "object", "properties": {"spec": {"$ref": "https://example.com/spec.json"}}}
    }
  ]
}
""",
            path="tools.json",
            title="A draft-07 schema, a 2020-12 schema, and a remote $ref",
        ),
    )
    invalid = (
        Example.of(
            """{
  "tools": [
    {
      "name": "search",
      "inputSchema": {
        "type": "object",
        "properties": {
          "query": {"type": "text"},
          "limit": {"type": "integer", "minimum": "1"},
          "tags": {"type": "array", "items": {"type": "string"}, "required": true}
        }
      }
    },
    {
      "name": "legacy",
      "inputSchema": {"$schema": "https://example.com/my-dialect", "type": "object"}
    }
  ]
}
""",
            path="tools.json",
            title="Errors on three lines, and an unknown dialect",
            expect=(("tools.json", 8, "AL210"), ("tools.json", 9, "AL210"), ("tools.json", 10, "AL210"), ("tools.json", 16, "AL210")),
        ),
        Example.of(
            "startCommand:\n  type: http\n  configSchema:\n    type: object\n    properties:\n"
            "      apiKey: {type: str}  # expect: AL210\n",
            path="smithery.yaml",
            title="A smithery configSchema is a contract too",
        ),
        Example.of(
            "startCommand:\n  type: http\n  configSchema:\n    type: object\n    properties:\n"
            "      region: {type: string, pattern: \"[\"}  # expect: AL210\n"
            "    patternProperties:\n      \"^(?P<name>x)\": {type: string}  # expect: AL210\n",
            path="smithery.yaml",
            title="Patterns that are not ECMA-262 regexes (Python's (?P<name>) syntax is not one)",
        ),
        Example.of(
            """{
  "tools": [
    {
      "name": "create_order",
      "inputSchema": {
        "type": "object",
        "properties": {
          "customer": {"$ref": "#/$defs/Customer"},
          "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}},
          "note": {"$ref": "#/$defs/Note"}
        },
        "$defs": {"Customer": {"type": "string"}, "Items": {"type": "object"}}
      }
    }
  ]
}
""",
            path="tools.json",
            title="Local $refs that point at nothing (a misspelt definition, a missing one)",
            expect=(("tools.json", 9, "AL210"), ("tools.json", 10, "AL210")),
        ),
    )
