from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.prompts import UnnamedPromptFetch
from agentlint.rule import Example, Rule
from agentlint.rules.prompts._registry_examples import REGISTRY, graph

_EXPORT = (
    '{{"name": "{name}", "type": "text", "version": 3, "prompt": "{text}", '
    '"labels": ["production"], "commitMessage": "first"}}\n'
)
_FETCHES = """from langfuse import get_client

langfuse = get_client()


def triage_prompt() -> str:
    return langfuse.get_prompt("triage", version=3).compile()


def team_prompt(team: str) -> str:
    return langfuse.get_prompt(f"{team}-reply", version=3).compile()
"""


class UnreferencedPrompt(Rule):
    """A prompt that no agent uses.

    ## What it does
    Reports each prompt (once, at its first definition) whose name no agent's `prompt:`
    references and no code fetches (`langfuse.get_prompt("x")`, `hub.pull("owner/x")`).
    Only projects that reference prompts at all are checked: where prompts are loaded in ways
    agentlint does not read, it cannot see the use. A fetch whose name the code does not state
    (`get_prompt(name)`, a name from the environment or another module) may load any prompt,
    so a project that has one is not checked either. Prompts that exist only to be evaluated
    (promptfoo's inline prompts) are not reported. Off by default.

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
        if not project.prompt_references or project.of(UnnamedPromptFetch):
            return  # nothing says which prompts are used, or any of them may be
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
        Example(
            (
                ("app.py", _FETCHES),
                ("prompts/triage.json", _EXPORT.format(name="triage", text="Route {{ticket}}.")),
                ("prompts/billing-reply.json", _EXPORT.format(name="billing-reply", text="Answer {{question}}.")),
            ),
            title="Code fetches a prompt by a name it builds: any prompt may be used",
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
        Example(
            (
                ("app.py", _FETCHES.split("\n\n\ndef team_prompt")[0] + "\n"),
                ("prompts/triage.json", _EXPORT.format(name="triage", text="Route {{ticket}}.")),
                ("prompts/legacy-triage.json", _EXPORT.format(name="legacy-triage", text="Route the ticket.")),
            ),
            title="Code fetches prompts by name: one the project exports is never fetched",
            expect=(("prompts/legacy-triage.json", 1, "AL410"),),
        ),
    )
