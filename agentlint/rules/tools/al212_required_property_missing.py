from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.source import json_pointer
from agentlint.rule import Example, Rule
from agentlint.rules.tools._contracts import Declarations, contract_schemas, subschemas


class RequiredPropertyMissing(Rule):
    """A schema requires a property that it does not declare.

    ## What it does
    For every object subschema of a tool's input and output schemas that has both `required`
    and `properties`, reports each required name that is declared nowhere for that object:
    not in its `properties`, not in the `properties` of the `allOf`/`anyOf`/`oneOf`/`if`/
    `then`/`else`/`dependentSchemas` branches and local `$ref`s that apply to the same object
    (or to the objects that use this `$defs` entry), not matched by a
    `patternProperties` regex, and not admitted by an `additionalProperties` (or
    `unevaluatedProperties`) schema or `true`. The finding points at the name in `required`.

    ## Why is this bad?
    Usually a renamed or misspelt parameter. The model is told the argument is mandatory but
    not its type or meaning, so it guesses; with `additionalProperties: false` no call can pass
    validation at all and the tool is unusable.
    """

    code = "AL212"
    name = "required-property-missing"
    summary = "Required property not declared in properties"
    severity = Severity.ERROR
    checklist = Checklist.TOOL_CONTRACTS
    entities = ("Tool", "ToolServer")  # tool schemas, and server config schemas (contract_schemas)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for owner, label, schema in contract_schemas(project):
            nodes = list(subschemas(schema.data))
            declarations = Declarations(schema.data, nodes)
            for node in nodes:
                required, properties = node.data.get("required"), node.data.get("properties")
                if node.negated or not isinstance(required, list) or not isinstance(properties, dict):
                    continue
                declared = declarations.of(node)
                closed = node.data.get("additionalProperties") is False
                where = f"{label}{json_pointer(node.pointer)}"
                reported: set[str] = set()
                for index, name in enumerate(required):
                    if not isinstance(name, str) or name in reported or declared.admits(name):
                        continue
                    reported.add(name)
                    why = (
                        " and 'additionalProperties: false' rejects it: no call can pass validation"
                        if closed
                        else ", so the model is told nothing about its type or meaning"
                    )
                    yield self.violation(
                        f"{owner}: {where} requires '{name}', which is not in its 'properties'{why}",
                        schema.locate(node.pointer + ("required", index)),
                        ref=schema.ref(node.pointer + ("required", index)),
                        args=(owner, where, name),
                    )

    valid = (
        Example.of(
            """{"tools": [
  {
    "name": "update_record",
    "inputSchema": {
      "type": "object",
      "properties": {"id": {"type": "string"}, "mode": {"enum": ["patch", "put"]}},
      "required": ["id"],
      "oneOf": [
        {"properties": {"mode": {"const": "patch"}}, "required": ["mode", "patch"]},
        {"properties": {"mode": {"const": "put"}}, "required": ["mode", "record"]}
      ],
      "allOf": [{"$ref": "#/$defs/bodies"}],
      "$defs": {"bodies": {"properties": {"patch": {"type": "object"}, "record": {"type": "object"}}}}
    }
  },
  {
    "name": "set_labels",
    "inputSchema": {
      "type": "object",
      "properties": {"issue": {"type": "integer"}},
      "patternProperties": {"^label_": {"type": "string"}},
      "required": ["issue", "label_priority"],
      "additionalProperties": false
    }
  },
  {
    "name": "put_metadata",
    "inputSchema": {
      "type": "object",
      "properties": {"key": {"type": "string"}},
      "required": ["key", "owner"],
      "additionalProperties": {"type": "string"}
    }
  },
  {
    "name": "paginate",
    "inputSchema": {
      "type": "object",
      "properties": {"cursor": {"type": "string"}},
      "allOf": [{"$ref": "#/$defs/page"}],
      "$defs": {"page": {"properties": {"size": {"type": "integer"}}, "required": ["size", "cursor"]}}
    }
  }
]}
""",
            path="tools.json",
            title="Names declared by branches, $refs, patterns and additionalProperties",
        ),
    )
    invalid = (
        Example.of(
            """{"tools": [
  {
    "name": "create_issue",
    "inputSchema": {
      "type": "object",
      "properties": {"title": {"type": "string"}, "body": {"type": "string"}},
      "required": ["title", "repo"],
      "additionalProperties": false
    },
    "outputSchema": {
      "type": "object",
      "properties": {"issue": {"type": "object", "properties": {"url": {"type": "string"}}, "required": [
        "number"
      ]}}
    }
  }
]}
""",
            path="tools.json",
            title="An impossible input and a nested output object",
            expect=(("tools.json", 7, "AL212"), ("tools.json", 13, "AL212")),
        ),
    )

