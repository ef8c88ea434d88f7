from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.schemas import instance_problems, schema_problems
from agentlint.rule import Example, Rule
from agentlint.rules.tools._policy_examples import POLICY_HEAD

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
    Validates each example against its schema (smithery `exampleConfig` against
    `configSchema`; the `examples` of a tool in a `kind: ToolPolicy` against that tool's input
    schema, from the policy or from the server's tools/list snapshot) and reports every error at the line of the value
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
        contracts = {tool.qualified(): tool.input_schema for tool in project.tools if tool.input_schema is not None}
        for example in project.examples:
            schema = example.schema or contracts.get(example.tool)
            if schema is None or schema_problems(schema.data):
                continue  # no contract known, or an invalid one (reported by AL210)
            base = schema.base
            label = base[-1] if base and isinstance(base[-1], str) else "its schema"
            for problem in instance_problems(schema.data, example.data):
                where = example.what + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in problem.pointer)
                yield self.violation(
                    f"{where} does not satisfy {label}: {problem.message}",
                    example.locate(problem.pointer),
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
        Example(
            (
                (
                    "tool-policy.yaml",
                    POLICY_HEAD
                    + "servers:\n  stripe:\n    tools:\n      refund:\n        examples:\n"
                    + "          - {charge: ch_1, amount: 1500}\n"
                    + "          - charge: ch_2\n            amount: 0  # expect: AL214\n",
                ),
                (
                    "tools/stripe.json",
                    '{"format": "mcp-tools-snapshot", "server": {"name": "stripe"}, "tools": [{"name": "refund",'
                    ' "inputSchema": {"type": "object", "properties": {"charge": {"type": "string"},'
                    ' "amount": {"type": "integer", "minimum": 1}}, "required": ["charge", "amount"]}}]}\n',
                ),
            ),
            title="A tool-policy example checked against the schema of the server's tools/list snapshot",
        ),
    )
