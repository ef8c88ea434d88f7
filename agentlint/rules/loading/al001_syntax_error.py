from __future__ import annotations

from agentlint.checklist import Checklist
from agentlint.findings import Severity
from agentlint.rule import Example, Rule, Source


class SyntaxError_(Rule):
    """A file agentlint reads is not valid YAML, JSON, TOML or Python.

    ## What it does
    Reported by the loaders, at the exact line and column where the parser gave up, for every
    file that a supported format claims (by path or content). The other files are still
    checked. Python files are parsed with the standard library's `ast` (Python 3 grammar of the
    running interpreter) only when they name a library agentlint reads; Python 2 code such as
    `print 'x'` is reported as such. The code is never imported or run.

    ## Why is this bad?
    The framework that reads the file fails at start-up, or a tolerant one skips the broken
    part. Nothing else about the file can be checked until it parses.
    """

    code = "AL001"
    name = "syntax-error"
    summary = "File does not parse"
    severity = Severity.ERROR
    checklist = Checklist.INPUTS_VALID
    entities = ("File",)
    source = Source.LOADER

    valid = (
        Example.of("apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"),
        Example.of('{"apiVersion": "agentlint/v1", "kind": "AgentGraph", "metadata": {"name": "desk"}}\n', path="graph.json"),
        Example.of(
            "# -*- coding: latin-1 -*-\nfrom langgraph.graph import StateGraph\n\nbuilder = StateGraph(dict)  # caf\xe9\n".encode("latin-1"),
            path="graph.py",
            title="Python 3 in a declared encoding",
        ),
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
        Example.of(
            "from langgraph.graph import StateGraph\n\nbuilder = StateGraph(dict\nbuilder.add_node('a', a)\n",
            path="graph.py",
            title="An unclosed call in a LangGraph module",
            expect=(("graph.py", 3, "AL001"),),
        ),
    )
