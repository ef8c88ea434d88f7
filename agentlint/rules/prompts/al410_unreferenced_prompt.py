from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule
from agentlint.rules.prompts._registry_examples import REGISTRY, graph


class UnreferencedPrompt(Rule):
    """A prompt that no agent uses.

    ## What it does
    Reports each prompt (once, at its first definition) whose name no agent's `prompt:`
    references. Only projects whose agents reference prompts at all are checked: where prompts
    are loaded by code (`get_prompt("x")`), agentlint cannot see the use. Prompts that exist
    only to be evaluated (promptfoo's inline prompts) are not reported. Off by default.

    ## Why is this bad?
    Each prompt version should map to the agent that runs it. A prompt nobody references is
    either dead weight that still gets reviewed and evaluated, or, worse, the prompt an agent
    was meant to use while it runs another one.
    """

    code = "AL410"
    name = "unreferenced-prompt"
    summary = "Prompt not referenced by any agent"
    severity = Severity.INFO
    checklist = Checklist.PROMPTS_MAPPED
    entities = ("PromptVersion", "PromptReference")
    enabled_by_default = False

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        if not project.prompt_references:
            return
        used = {reference.name for reference in project.prompt_references}
        reported: set[str] = set()
        for prompt in project.prompts:
            if prompt.name in used or prompt.name in reported or prompt.evaluation_only:
                continue
            reported.add(prompt.name)
            yield self.violation(f"no agent uses prompt '{prompt.name}'", prompt, field="name", args=(prompt.name,))

    valid = (
        Example(
            (
                ("agents.yaml", graph(("router", "router@4"), ("critic", "critic:production"))),
                (
                    "prompts.yaml",
                    REGISTRY
                    + '  router:\n    versions:\n      - {version: 4, text: "Route {{ticket}}."}\n'
                    + "  critic:\n    labels: {production: 1}\n    versions:\n      - {version: 1, text: Reply APPROVED.}\n",
                ),
            ),
            title="Every prompt is used",
        ),
        Example.of(
            REGISTRY + '  router:\n    versions:\n      - {version: 4, text: "Route {{ticket}}."}\n',
            path="prompts.yaml",
            title="No agent references prompts: they are loaded by code",
        ),
    )
    invalid = (
        Example(
            (
                ("agents.yaml", graph(("router", "router@4"))),
                (
                    "prompts.yaml",
                    REGISTRY
                    + '  router:\n    versions:\n      - {version: 4, text: "Route {{ticket}}."}\n'
                    + "  legacy-router:  # expect: AL410\n    versions:\n      - {version: 1, text: Route the ticket.}\n",
                ),
            ),
            title="A prompt left behind",
        ),
    )
