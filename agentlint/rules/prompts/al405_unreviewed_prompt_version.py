from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.prompts._registry_examples import REGISTRY


class UnreviewedPromptVersion(Rule):
    """A prompt version that records no review or approval.

    ## What it does
    Reports every prompt version without a reviewer or approver (`reviewed_by` or
    `approved_by`) in a source that has a place for them (`kind: PromptRegistry`). Prompt
    files (`.prompty`, `.prompt`) are reviewed in pull requests, and Langfuse keeps no review
    field: their versions are not reported. Off by default: enable it when every prompt
    change goes through review.

    ## Why is this bad?
    A prompt change is a behaviour change of the product, often larger than a code change of
    the same size: one sentence can switch off a refusal or a tool. A version without a
    recorded review is a change nobody but its author has read.
    """

    code = "AL405"
    name = "unreviewed-prompt-version"
    summary = "Prompt version without recorded review or approval"
    severity = Severity.WARNING
    checklist = Checklist.PROMPTS_REVIEWED
    entities = ("PromptVersion",)
    enabled_by_default = False

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for prompt in project.prompts:
            if prompt.reviewed_by or not prompt.can_record_review:
                continue
            yield self.violation(
                f"version {prompt.version} of prompt '{prompt.name}' records no review: add reviewed_by or approved_by once someone other than its author has read it",
                prompt,
                field="version",
                args=(prompt.name, prompt.version or ""),
            )

    valid = (
        Example.of(
            REGISTRY
            + "  router:\n    versions:\n"
            + '      - {version: 3, reviewed_by: deepak.r, text: "Route {{ticket}}."}\n'
            + '      - {version: 4, approved_by: support-leads, text: "Route {{ticket}}: billing or tech."}\n',
            path="prompts.yaml",
            title="Reviewed and approved versions",
        ),
    )
    invalid = (
        Example.of(
            REGISTRY
            + "  router:\n    versions:\n"
            + '      - {version: 3, reviewed_by: deepak.r, text: "Route {{ticket}}."}\n'
            + "      - version: 4  # expect: AL405\n        author: maria.k\n"
            + '        text: "Route {{ticket}}: billing or tech."\n',
            path="prompts.yaml",
            title="An author is not a reviewer",
        ),
    )
