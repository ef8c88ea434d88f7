from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.project import Project
from agentlint.model.prompts import PromptVersion
from agentlint.options import option
from agentlint.rule import Example, Rule
from agentlint.rules.prompts._registry_examples import REGISTRY

_LANGFUSE = """[
  {"name": "support-triage", "version": 7, "type": "text", "prompt": "Classify {{ticket}}",
   "config": {"model": "gpt-4.1-2025-04-14"}, "labels": ["production", "latest"], "tags": []},
  {"name": "support-summary", "version": 2, "type": "text", "prompt": "Summarise {{thread}}",
   "labels": ["staging"], "tags": [], "commitMessage": "shorter"}
]
"""


@dataclass(frozen=True)
class Options:
    label: str = option("production", "The label that marks the version serving traffic.")


class MissingRollbackTarget(Rule):
    """A registry prompt without a production version, or whose production version has
    nothing to roll back to.

    ## What it does
    For each prompt of a registry, reports a missing `production` label (the label is an
    option), and a production version with no earlier version recorded as rollback target.
    The target is the registry's explicit `rollback:` (which must be an earlier version), else
    the version before the production one: registries keep every version, so it is still
    there. A Langfuse version N counts N-1 as its target (Langfuse keeps every version). A
    source that may hold only some of a prompt's versions (a Langfuse export) is not reported
    for lacking the label; files without labels (`.prompty`, `.prompt`) are not registries.

    ## Why is this bad?
    When a new prompt version misbehaves in production, the fix is to move the label back,
    in seconds, to a version that is known to work. Without a production label nobody can
    say which version is live; without an earlier version the only way back is writing a
    prompt during the incident.
    """

    code = "AL404"
    name = "missing-rollback-target"
    summary = "Registry prompt without a production version or rollback target"
    severity = Severity.WARNING
    checklist = Checklist.PROMPT_ROLLBACK
    entities = ("PromptVersion",)
    Options = Options

    def check(self, project: Project, options: Options) -> Iterator[Violation]:
        label = options.label
        groups: dict[tuple[str, str], list[PromptVersion]] = {}
        for prompt in project.prompts:
            groups.setdefault((prompt.registry, prompt.name), []).append(prompt)
        for (_, name), versions in groups.items():
            released = [v for v in versions if label in v.labels]
            if not released and any(v.labels_complete for v in versions):
                first = versions[0]
                message = f"prompt '{name}' has no '{label}' label: nobody can tell which version is live, nor move it back"
                yield self.violation(message, first, field="labels" if first.has("labels") else "name", args=(name, label), ref=first.ref)
            for version in released:
                if version.rollback_to is not None:
                    continue
                if version.has("rollback"):
                    message = f"the rollback target of prompt '{name}' is not earlier than its {label} version {version.version}"
                    yield self.violation(message, version, field="rollback", args=(name, label, version.version or ""), ref=version.ref)
                    continue
                message = (
                    f"{label} version {version.version} of prompt '{name}' has no earlier version to roll back to: "
                    "keep the previous stable version in the registry, or record one as 'rollback'"
                )
                span = version.label_spans[version.labels.index(label)]
                yield self.violation(message, Location(version.ref.path, span), args=(name, label, version.version or ""), ref=version.ref)

    valid = (
        Example(
            (
                (
                    "prompts.yaml",
                    REGISTRY
                    + "  router:\n    labels: {production: 4, staging: 4}\n    versions:\n"
                    + '      - {version: 3, text: "Route {{ticket}}."}\n      - {version: 4, text: "Route {{ticket}}: billing or tech."}\n'
                    + "  tech:\n    labels: {production: 7}\n    rollback: 5\n    versions:\n"
                    + "      - {version: 5, text: Check the status page.}\n      - {version: 6, text: Escalate every error.}\n"
                    + "      - {version: 7, text: Escalate customer-facing errors.}\n",
                ),
                ("langfuse/prompts.json", _LANGFUSE),
            ),
            title="An implicit and an explicit target; a Langfuse export (version 6 exists, staging-only is partial)",
        ),
    )
    invalid = (
        Example(
            (
                (
                    "prompts.yaml",
                    REGISTRY
                    + "  responder:\n    labels: {production: 1}  # expect: AL404\n    versions:\n"
                    + '      - {version: 1, text: "Send {{reply}}."}\n'
                    + "  legal:\n    labels: {staging: 1}  # expect: AL404\n    versions:\n"
                    + '      - {version: 1, text: "Flag liability in {{reply}}."}\n'
                    + "  tech:\n    labels: {production: 6}\n    rollback: 7  # expect: AL404\n    versions:\n"
                    + "      - {version: 5, text: Check the status page.}\n      - {version: 6, text: Escalate every error.}\n"
                    + "      - {version: 7, text: Escalate customer-facing errors.}\n",
                ),
            ),
            title="A first version in production, no production label, a rollback target that is newer",
        ),
        Example.of(
            REGISTRY + "  router:\n    labels: {production: 4}  # expect: AL404\n    versions:\n"
            '      - {version: 3, text: "Route {{ticket}}."}\n      - {version: 4, text: "Route {{ticket}}: billing or tech."}\n',
            path="prompts.yaml",
            title="Another release label",
            label="live",
        ),
    )
