from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.tools._policy_examples import POLICY_HEAD


class PolicyMissingFailureMode(Rule):
    """A server or tool in a tool policy with no failure mode.

    ## What it does
    Checks that every server of a `kind: ToolPolicy` (directly or through `defaults`) says
    what happens when a call fails: `abort`, `{retry: {max_attempts: N}}` or
    `{fallback: server.tool}`. A fallback must name another tool as `server.tool`.

    ## Why is this bad?
    Without a declared failure mode each agent improvises: it retries forever, gives up
    silently, or invents an answer. The checklist asks for retry, fallback or abort to be
    decided before deployment.
    """

    code = "AL220"
    name = "policy-missing-failure-mode"
    summary = "Tool policy without a failure mode"
    severity = Severity.WARNING
    checklist = Checklist.TOOL_FAILURE_MODES
    entities = ("PolicyEntry",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for entry in project.policies:
            if entry.tool is None and entry.failure_mode is None:
                yield self.violation(
                    f"tool policy for server '{entry.server}' defines no on_failure (abort, retry or fallback)",
                    entry,
                    args=(entry.server,),
                )
            server, dot, tool = (entry.fallback or "").partition(".")
            if entry.fallback is not None and not (server and dot and tool):
                what = f"{entry.server}.{entry.tool}" if entry.tool else entry.server
                yield self.violation(
                    f"fallback '{entry.fallback}' of '{what}' is not a server.tool reference",
                    entry,
                    field="on_failure",
                    args=(what, entry.fallback),
                )

    valid = (
        Example.of(
            POLICY_HEAD
            + "defaults:\n  on_failure: {retry: {max_attempts: 2}}\nservers:\n  stripe: {}\n"
            + "  search:\n    on_failure: {fallback: cache.lookup}\n",
            path="tool-policy.yaml",
        ),
    )
    invalid = (
        Example.of(
            POLICY_HEAD
            + "servers:\n  stripe:  # expect: AL220\n    timeout: 10s\n"
            + "  search:\n    on_failure: {fallback: cache}  # expect: AL220\n",
            path="tool-policy.yaml",
        ),
    )
