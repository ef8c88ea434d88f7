from __future__ import annotations

import json
from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.tools._contracts import label_of, value_location


class InputSchemaNotObject(Rule):
    """A tool's input schema does not declare `"type": "object"` at its root.

    ## What it does
    Reports tools whose `inputSchema` root has no `"type": "object"` (missing, another type, a
    list of types, or a boolean schema). A value that is not a schema at all (`null`, a
    string) is AL210's finding.

    ## Why is this bad?
    Tool arguments are always a JSON object, and every MCP revision requires the input schema
    to say so with `type: "object"`. The TypeScript SDK validates `tools/list` results with
    that literal: one tool without it makes the client reject the whole list, so the server
    appears to have no tools at all. Tools without parameters use
    `{"type": "object", "additionalProperties": false}`.
    """

    code = "AL211"
    name = "input-schema-not-object"
    summary = "Tool input schema root is not type object"
    severity = Severity.ERROR
    checklist = Checklist.TOOL_CONTRACTS
    entities = ("Tool",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for tool in project.tools:
            schema = tool.input_schema
            if schema is None:
                continue
            label = label_of(schema)
            data = schema.data
            if isinstance(data, bool):
                message, at = f"{label} is the boolean schema {str(data).lower()}", schema.locate(())
            elif not isinstance(data, dict):
                continue  # not a schema: AL210
            elif "type" not in data:
                message, at = f"{label} has no 'type'", schema.locate(())
            elif data["type"] != "object":
                message, at = f"{label} has type {json.dumps(data['type'], ensure_ascii=False)}", value_location(schema, ("type",))
            else:
                continue
            yield self.violation(
                f"tool '{tool.name}': {message}: MCP requires \"type\": \"object\" at the root of the input schema",
                at,
                ref=schema.ref(),
                args=(tool.name, label),
            )

    valid = (
        Example.of(
            """[
  {"name": "ping", "inputSchema": {"type": "object", "additionalProperties": false}},
  {
    "name": "create_user",
    "inputSchema": {
      "type": "object",
      "properties": {"kind": {"type": "string", "enum": ["person", "bot"]}},
      "oneOf": [{"type": "object", "required": ["kind"]}, {"type": "null"}]
    }
  }
]
""",
            path="tools.json",
            title="No parameters, and a union below an object root",
        ),
    )
    invalid = (
        Example.of(
            """{"jsonrpc": "2.0", "id": 2, "result": {"tools": [
  {"name": "list_files", "inputSchema": {"properties": {"dir": {"type": "string"}}}},
  {"name": "get_time", "inputSchema": {}},
  {"name": "tag", "inputSchema": {"type": ["object", "null"]}},
  {"name": "echo", "inputSchema": {"type": "string"}},
  {"name": "noop", "inputSchema": true}
]}}
""",
            path="tools.json",
            title="Missing type, a type list, a string root and a boolean schema",
            expect=(
                ("tools.json", 2, "AL211"),
                ("tools.json", 3, "AL211"),
                ("tools.json", 4, "AL211"),
                ("tools.json", 5, "AL211"),
                ("tools.json", 6, "AL211"),
            ),
        ),
    )

