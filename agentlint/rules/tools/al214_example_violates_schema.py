from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.project import Project
from agentlint.model.schemas import instance_problems, schema_problems
from agentlint.model.source import Pointer, Span
from agentlint.model.tools import ExampleConfig
from agentlint.rule import Example, Rule

_SCHEMA = """startCommand:
  type: http
  configSchema:
    type: object
    required: [apiKey]
    properties:
      apiKey:
        type: string
        "x-from":
          header: x-api-key
      budgetTokens:
        type: integer
        default: 4000
        minimum: 500
        maximum: 16000
      dynamicBudget:
        type: boolean
        default: false
"""


class ExampleViolatesSchema(Rule):
    """A configuration example that its own schema rejects.

    ## What it does
    Validates each configuration example against the schema published next to it (smithery
    `exampleConfig` against `configSchema`) and reports every error at the line of the value
    that fails: a missing required key at the example itself, a wrong type or a value out of
    range at that value. Examples of a schema that is itself invalid are not checked (the schema
    is reported instead).

    ## Why is this bad?
    The example is what users copy and what registries show and test the server with. An
    example its own schema rejects means the server cannot be configured as documented, or the
    schema no longer describes the configuration the server reads: the contract has drifted.
    """

    code = "AL214"
    name = "example-violates-schema"
    summary = "Configuration example does not satisfy its schema"
    severity = Severity.ERROR
    checklist = Checklist.TOOL_CONTRACTS
    entities = ("ExampleConfig",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for example in project.examples:
            if schema_problems(example.schema.data):
                continue
            base = example.schema.base
            label = base[-1] if base and isinstance(base[-1], str) else "its schema"
            for problem in instance_problems(example.schema.data, example.data):
                where = example.what + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in problem.pointer)
                yield self.violation(
                    f"{where} does not satisfy {label}: {problem.message}",
                    _location(example, problem.pointer),
                    ref=example.ref.child(*problem.pointer),
                    args=(problem.message,),
                )

    valid = (
        Example.of(
            _SCHEMA + '  exampleConfig:\n    apiKey: "zl_live_your_key_here"\n    budgetTokens: 4000\n    dynamicBudget: false\n',
            path="smithery.yaml",
            title="The example satisfies its schema (x-from is an extension keyword, not an error)",
        ),
        Example.of(
            _SCHEMA + "  exampleConfig:\n    apiKey: zl_live_x\n    budgetTokens: 4000.0\n",
            path="smithery.yaml",
            title="4000.0 is an integer to JSON Schema; optional keys may be left out",
        ),
        Example.of(
            "startCommand:\n  type: stdio\n  configSchema: {type: objekt}\n  exampleConfig: {anything: 1}\n"
            "  commandFunction: |-\n    (config) => ({ command: 'uv', args: ['run', 'main.py'] })\n",
            path="smithery.yaml",
            title="An invalid schema is reported as such, not used to judge its example",
        ),
    )
    invalid = (
        Example.of(
            _SCHEMA
            + "  exampleConfig:  # expect: AL214\n"
            + "    budgetTokens: 20000  # expect: AL214\n"
            + '    dynamicBudget: "no"  # expect: AL214\n',
            path="smithery.yaml",
            title="A missing required key, a value above maximum, a wrong type",
        ),
        Example.of(
            _SCHEMA + "  exampleConfig: {apiKey: 42}  # expect: AL214\n",
            path="mcp/weather/smithery.yaml",
            title="A flow mapping: the wrong value is on the example's own line",
        ),
    )


def _location(example: ExampleConfig, pointer: Pointer) -> Location:
    """The failing value inside the example: the key of a mapping or list (its value may start
    on a later line), the value of a scalar. The example shares its document with its schema,
    so the schema's source map knows where its nodes are."""
    schema = example.schema
    if schema.path != example.ref.path or schema.doc != example.ref.doc:
        return example.location()
    smap = schema.source_map
    full = example.ref.pointer + tuple(pointer)
    node = _at(example.data, pointer)
    span: Span | None = smap.key(full) if isinstance(node, (dict, list)) else None
    span = span or smap.value(full) or smap.locate(full)
    return Location(example.ref.path, span)


def _at(data: Any, pointer: Pointer) -> Any:
    for key in pointer:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return None
    return data
