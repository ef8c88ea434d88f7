from __future__ import annotations

from agentlint.checklist import Checklist
from agentlint.findings import Severity
from agentlint.rule import Example, Rule, Source


class SyntaxError_(Rule):
    """A file agentlint reads is not valid YAML or JSON.

    ## What it does
    Reported by the loaders, at the exact line and column where the parser gave up, for every
    file that a supported format claims (by path or content). The other files are still
    checked.

    ## Why is this bad?
    The framework that reads the file fails at start-up, or a tolerant one skips the broken
    part. Nothing else about the file can be checked until it parses.
    """

    code = "AL001"
    name = "syntax-error"
    summary = "File is not valid YAML or JSON"
    severity = Severity.ERROR
    checklist = Checklist.INPUTS_VALID
    entities = ("File",)
    source = Source.LOADER

    valid = (
        Example.of("apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"),
        Example.of('{"apiVersion": "agentlint/v1", "kind": "AgentGraph", "metadata": {"name": "desk"}}\n', path="graph.json"),
    )
    invalid = (
        Example.of(
            "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk\nagents: {}\n",
            title="An unclosed flow mapping",
            expect=(("agents.yaml", 4, "AL001"),),
        ),
        Example.of(
            '{"apiVersion": "agentlint/v1",\n "kind": "AgentGraph"\n "metadata": {}}\n',
            path="graph.json",
            title="A missing comma",
            expect=(("graph.json", 3, "AL001"),),
        ),
    )
