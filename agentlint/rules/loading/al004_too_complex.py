from __future__ import annotations

from agentlint.checklist import Checklist
from agentlint.findings import Severity
from agentlint.rule import Example, Rule, Source


class TooComplex(Rule):
    """A document nested deeper than the limit, or whose aliases expand too far.

    ## What it does
    Reported by the loaders when nesting exceeds `max-depth` (200 by default) or when YAML
    aliases would expand a document far beyond its written size (a "billion laughs" file).
    Reading stops at that point; other files are still checked.

    ## Why is this bad?
    Such files exhaust memory or the stack of every tool that reads them, the agent runtime
    included. No real agent definition comes close to these limits.
    """

    code = "AL004"
    name = "too-complex"
    summary = "Document too deep or alias expansion too large"
    severity = Severity.ERROR
    checklist = Checklist.INPUTS_VALID
    entities = ("File",)
    source = Source.LOADER

    valid = (
        Example.of(
            "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\nagents:\n"
            "  router: &base {role: router, timeout: 30}\n  billing: *base\n",
            title="Ordinary aliases",
        ),
    )
    invalid = (
        Example.of(
            "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\nagents: " + "[" * 300 + "]" * 300 + "\n",
            title="Nesting 300 levels deep",
            expect=(("agents.yaml", 4, "AL004"),),
        ),
    )
