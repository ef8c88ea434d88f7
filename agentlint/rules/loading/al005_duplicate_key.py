from __future__ import annotations

from agentlint.checklist import Checklist
from agentlint.findings import Severity
from agentlint.rule import Example, Rule, Source


class DuplicateKey(Rule):
    """The same key twice in one mapping or object.

    ## What it does
    Reported by the YAML and JSON loaders at the second occurrence of a key in one mapping.

    ## Why is this bad?
    YAML and JSON parsers keep only the last value, silently: the server entry or limit a reviewer
    reads first is not the one that is used.
    """

    code = "AL005"
    name = "duplicate-key"
    summary = "Duplicate key in a mapping"
    severity = Severity.WARNING
    checklist = Checklist.INPUTS_VALID
    entities = ("File",)
    source = Source.LOADER

    valid = (
        Example.of('{"apiVersion": "agentlint/v1", "kind": "AgentGraph", "metadata": {"name": "desk"}}\n', path="graph.json"),
    )
    invalid = (
        Example.of(
            '{"apiVersion": "agentlint/v1", "kind": "AgentGraph",\n "metadata": {"name": "desk"},\n "metadata": {"name": "desk2"}}\n',
            path="graph.json",
            expect=(("graph.json", 3, "AL005"),),
        ),
        Example.of(
            "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\nagents:\n"
            "  router: {role: router}\n  router: {role: triage}  # expect: AL005\n",
        ),
    )
