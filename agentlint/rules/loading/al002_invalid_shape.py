from __future__ import annotations

from agentlint.checklist import Checklist
from agentlint.findings import Severity
from agentlint.rule import Example, Rule, Source


class InvalidShape(Rule):
    """A document of a supported format has a wrong shape.

    ## What it does
    Reported by the adapters when a document parses but does not fit its format: an unknown
    key, a missing required key, a value of the wrong type or out of range. Each problem is
    reported at its own key or value, not just the first one.

    ## Why is this bad?
    Frameworks differ: some reject the file at start-up, others silently ignore unknown keys
    (CrewAI drops a misspelled `max_iter`), so the limit a reviewer reads is not the one that
    runs.
    """

    code = "AL002"
    name = "invalid-shape"
    summary = "Document does not match its format"
    severity = Severity.ERROR
    checklist = Checklist.INPUTS_VALID
    entities = ("Document",)
    source = Source.LOADER

    valid = (
        Example.of(
            "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"
            "agents:\n  router: {role: router, timeout: 30s, retries: {max_attempts: 2}}\n"
        ),
    )
    invalid = (
        Example.of(
            """apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: desk}
agents:
  router:
    role: router
    timout: 30  # expect: AL002
    retries: {max_attempts: 0}  # expect: AL002
edges:
  - {from: router}  # expect: AL002
""",
            title="A misspelled key, an out-of-range value and a missing key",
        ),
        Example.of(
            "apiVersion: agentlint/v2  # expect: AL002\nkind: AgentGraph\n",
            title="An unsupported version",
        ),
    )
