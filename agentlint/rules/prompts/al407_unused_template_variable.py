from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule


class UnusedTemplateVariable(Rule):
    """A prompt declares a variable that its template never uses.

    ## What it does
    For prompts whose format declares their variables (`.prompty` `inputs`, dotprompt
    `input.schema`, LangChain `input_variables`, agentlint registry `variables`), reports
    each declared variable that no placeholder of the template uses, at its declaration. A use
    anywhere counts, inside loops and sections too; a Prompty input of kind `thread` counts
    as used (the runtime appends it); templates that include others (`{% include %}`,
    partials) are not checked.

    ## Why is this bad?
    Callers compute and pass the value, and the model never sees it: usually a placeholder
    was renamed or deleted in the template and the declaration was left behind, so the
    context the prompt was reviewed with (retrieved documents, the user's locale) silently
    stopped reaching the model.
    """

    code = "AL407"
    name = "unused-template-variable"
    summary = "Declared template variable never used"
    severity = Severity.WARNING
    checklist = Checklist.PROMPTS_REVIEWED
    entities = ("PromptVersion",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for prompt in project.prompts:
            if prompt.declared_variables is None:
                continue
            used = {u.name for u in prompt.used_variables}
            reported: set[str] = set()
            for variable in prompt.declared_variables:
                if variable.name in used or variable.name in reported:
                    continue
                reported.add(variable.name)
                yield self.violation(
                    f"prompt '{prompt.name}' declares variable '{variable.name}', which its template never uses: "
                    f"use it or remove the declaration",
                    Location(prompt.ref.path, variable.span),
                    ref=prompt.ref,
                    args=(prompt.name, prompt.version or "", variable.name),
                )

    valid = (
        Example.of(
            "---\nname: answer\ninputs:\n  documents: {type: object}\n  question: {type: string}\n---\nsystem:\n"
            "{% for item in documents %}{{ item.content }}{% endfor %}\n{% if question %}user:\n{{ question }}{% endif %}\n",
            path="answer.prompty",
            title="Prompty: inputs used in a loop and a condition",
        ),
        Example.of(
            "---\nname: support\nmodel: gpt-4o-mini-2024-07-18\ninputSchema:\n  properties:\n"
            "    - name: question\n      kind: string\n    - name: conversation\n      kind: thread\n---\n"
            "system:\nAnswer briefly.\nuser:\n{{question}}\n",
            path="support.prompty",
            title="Prompty v2: a thread input is appended by the runtime",
        ),
        Example.of(
            "---\ninput:\n  schema:\n    items(array): string\n    shop: string\n---\n"
            "{{#each items}}- {{this}} from {{@root.shop}}\n{{/each}}\n",
            path="prompts/list.prompt",
            title="Dotprompt: a variable reached from inside an each block",
        ),
    )
    invalid = (
        Example.of(
            "---\nname: answer\ninputs:\n  question: {type: string}\n  locale: {type: string}  # expect: AL407\n---\n"
            "user:\n{{ question }}\n",
            path="answer.prompty",
            title="Prompty: an input the template lost",
        ),
        Example.of(
            '{\n  "input_variables": [\n    "question",\n    "context"\n  ],\n  "template": "Question: {question}"\n}\n',
            path="prompts/qa/prompt.json",
            title="LangChain hub: an input variable the template does not use",
            expect=(("prompts/qa/prompt.json", 4, "AL407"),),
        ),
    )
