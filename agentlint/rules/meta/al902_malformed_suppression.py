from __future__ import annotations

from agentlint.checklist import Checklist
from agentlint.findings import Severity
from agentlint.rule import Example, Rule, Source

_HEAD = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\nagents:\n"


class MalformedSuppression(Rule):
    """An `agentlint:` comment that is not a valid suppression.

    ## What it does
    Reports `# agentlint:` directives that are not `ignore[CODES] reason` or
    `todo[CODES] reason`: a bare `ignore` (there is no blanket form), no codes, unknown codes,
    or no reason.

    ## Why is this bad?
    A suppression that does not parse suppresses nothing, and a blanket or unexplained one
    hides problems nobody reviewed. The reason is the evidence the readiness report shows.
    """

    code = "AL902"
    name = "malformed-suppression"
    summary = "Malformed or blanket suppression comment"
    severity = Severity.ERROR
    checklist = Checklist.INPUTS_VALID
    entities = ("Comment",)
    source = Source.ENGINE

    valid = (
        Example.of(
            _HEAD + "  # agentlint: ignore[AL301] the router only forwards, the gateway times it out\n"
            "  router: {role: router, retries: {max_attempts: 1}}\n"
            "  # agentlint is our linter; this comment is not a directive\n"
        ),
    )
    invalid = (
        Example.of(
            _HEAD
            + "  # agentlint: ignore  # expect: AL902\n"
            + "  router: {role: router}\n"
            + "  billing: {role: billing}  # agentlint: ignore[AL301]  # expect: AL902\n"
            + "  tech: {role: tech}  # agentlint: todo[AL999] later  # expect: AL902\n",
            title="Blanket, reasonless and unknown-code directives",
        ),
    )
