from __future__ import annotations

from agentlint.checklist import Checklist
from agentlint.findings import Severity
from agentlint.rule import Example, Rule, Source


class InternalError(Rule):
    """agentlint itself failed while checking (a crashed rule or adapter).

    ## What it does
    When a rule or an adapter raises, the engine catches it, reports this finding with the
    exception and where it happened, goes on with everything else, and exits with code 2.
    A loader or adapter crash is located in the file being read; a rule judges the whole
    project at once, so its crash is located at `.` (the project root), line 1. JUnit output
    counts it as an error, not a failure.

    ## Why is this bad?
    Unknown is not a pass: the checks that crashed did not run, so the run cannot be trusted
    to be clean. Please report it with the file that triggers it.
    """

    code = "AL901"
    name = "internal-error"
    summary = "A rule or adapter crashed"
    severity = Severity.ERROR
    checklist = Checklist.INPUTS_VALID
    entities = ("Run",)
    source = Source.ENGINE
    untestable = "only a bug in agentlint produces it; tests inject a crashing rule instead"

    valid = (Example.of("apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"),)
