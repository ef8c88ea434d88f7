from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.tools._policy_examples import POLICY_HEAD


class PolicyMissingLimits(Rule):
    """A server in a tool policy with no timeout or no rate limit.

    ## What it does
    For each server of a `kind: ToolPolicy` document, checks that a `timeout` and a
    `rate_limit` apply to it, set on the server or inherited from the document's `defaults`.

    ## Why is this bad?
    MCP client configs cannot hold rate limits, and most cannot hold timeouts: the tool
    policy is where the team says how long a call may take and how often a tool may be hit.
    A server left out runs with whatever the client and the provider allow.
    """

    code = "AL209"
    name = "policy-missing-limits"
    summary = "Tool policy without a timeout or rate limit"
    severity = Severity.WARNING
    checklist = Checklist.TOOL_LIMITS
    entities = ("PolicyEntry",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for entry in project.policies:
            if entry.tool is not None:
                continue  # tools inherit their server's limits; the server is reported
            missing = [name for name, value in (("timeout", entry.timeout_seconds), ("rate_limit", entry.rate_limit)) if value is None]
            if missing:
                yield self.violation(
                    f"tool policy for server '{entry.server}' sets no {' and no '.join(missing)} (nor do its defaults)",
                    entry,
                    args=(entry.server, *missing),
                )

    valid = (
        Example.of(
            POLICY_HEAD
            + "defaults:\n  timeout: 30s\n  rate_limit: 60/1m\n  on_failure: abort\nservers:\n  stripe: {}\n  crm:\n    timeout: 5s\n",
            path="tool-policy.yaml",
            title="Limits inherited from defaults",
        ),
    )
    invalid = (
        Example.of(
            POLICY_HEAD + "servers:\n  stripe:  # expect: AL209\n    timeout: 10s\n    on_failure: abort\n",
            path="tool-policy.yaml",
            title="No rate limit anywhere",
        ),
    )
