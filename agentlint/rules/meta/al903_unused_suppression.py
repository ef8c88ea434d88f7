from __future__ import annotations

from agentlint.checklist import Checklist
from agentlint.findings import Severity
from agentlint.rule import Example, Rule, Source

_HEAD = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\nagents:\n"


class UnusedSuppression(Rule):
    """A suppression that suppressed nothing.

    ## What it does
    Reports each code of an `ignore[...]`/`todo[...]` directive that matched no finding, for
    rules that ran. Directives for rules that were not selected are left alone.

    Fix (safe, `agentlint check --fix`): the stale codes leave the brackets, and a directive
    left with none is removed (an own-line directive with its line). Not offered for a
    config-file suppression, a `/* */` comment, or a comment followed by another one.

    ## Why is this bad?
    Stale suppressions hide the next real problem on that node, and make the readiness report
    claim debt that no longer exists.
    """

    code = "AL903"
    name = "unused-suppression"
    summary = "Suppression that matched no finding"
    severity = Severity.WARNING
    checklist = Checklist.INPUTS_VALID
    entities = ("Comment",)
    source = Source.ENGINE

    valid = (
        Example.of(
            _HEAD + "  # agentlint: ignore[AL107] the router is generated; its role is set by the gateway\n"
            "  router: {timeout: 30}\n"
        ),
    )
    invalid = (
        Example.of(
            _HEAD + "  # agentlint: ignore[AL107] nobody remembers why  # expect: AL903\n"
            "  router: {role: router, timeout: 30}\n"
        ),
    )
