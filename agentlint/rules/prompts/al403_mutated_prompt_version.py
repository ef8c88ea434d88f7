from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.prompts import PromptVersion
from agentlint.rule import Example, Rule
from agentlint.rules.prompts._registry_examples import REGISTRY


class MutatedPromptVersion(Rule):
    """One prompt version defined twice with different content.

    ## What it does
    Compares every definition of the same prompt name and version, in one file or across
    files, by a hash of its text (or chat messages), model and parameters. A definition that
    differs from the first one is reported, with the first as related location. Identical
    copies (the same text written in another YAML style, say) are fine. Only definitions from
    the same kind of source are compared: a `.prompty` file and a registry write the same
    prompt differently (front matter, role markers).

    ## Why is this bad?
    A version is a promise that the text behind it never changes: evaluations, approvals,
    traces and rollbacks all refer to it. Two different texts under one version mean the
    deployed prompt depends on which file or registry wins, and a trace saying "v4" no longer
    says what the model was told.
    """

    code = "AL403"
    name = "mutated-prompt-version"
    summary = "Prompt version redefined with different content"
    severity = Severity.ERROR
    checklist = Checklist.PROMPTS_IMMUTABLE
    entities = ("PromptVersion",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        first: dict[tuple[str, str, str], PromptVersion] = {}
        for prompt in project.prompts:
            if prompt.version is None:
                continue
            key = (prompt.source, prompt.name, prompt.version)
            original = first.setdefault(key, prompt)
            if original is prompt or original.content_hash == prompt.content_hash:
                continue
            where = f"{original.ref.path}:{original.span.line}"
            yield self.violation(
                f"version {prompt.version} of prompt '{prompt.name}' is defined again with different content (first at "
                f"{where}): a released version must not change; publish the change as a new version",
                prompt,
                field="version",
                args=(prompt.name, prompt.version),
                related=(original.location("version", note=f"version {prompt.version} first defined here"),),
            )

    valid = (
        Example(
            (
                ("prompts.yaml", REGISTRY + '  router:\n    versions:\n      - {version: 4, text: "Route {{ticket}} to billing or tech."}\n'),
                (
                    "team/prompts.yaml",
                    REGISTRY
                    + "  router:\n    versions:\n      - version: 4\n        text: >-\n          Route {{ticket}}\n          to billing or tech.\n"
                    + "  critic:\n    versions:\n      - {version: 4, text: Reply APPROVED or list fixes.}\n",
                ),
            ),
            title="The same text in another YAML style, and the same version number of another prompt",
        ),
    )
    invalid = (
        Example(
            (
                ("prompts.yaml", REGISTRY + '  router:\n    versions:\n      - {version: 4, text: "Route {{ticket}} to billing or tech."}\n'),
                (
                    "team/prompts.yaml",
                    REGISTRY
                    + "  router:\n    versions:\n"
                    + '      - {version: 4, text: "Route {{ticket}} to billing, tech or sales."}  # expect: AL403\n'
                    + "  critic:\n    versions:\n      - {version: 2, model: gpt-4o-2024-08-06, text: Reply APPROVED or list fixes.}\n"
                    + "      - {version: 2, model: gpt-4o-mini-2024-07-18, text: Reply APPROVED or list fixes.}  # expect: AL403\n",
                ),
            ),
            title="A version edited in a second file, and one listed twice with another model",
        ),
    )
