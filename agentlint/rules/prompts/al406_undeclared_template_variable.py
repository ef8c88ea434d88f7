from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.project import Project
from agentlint.model.prompts import Placeholder
from agentlint.rule import Example, Rule


class UndeclaredTemplateVariable(Rule):
    """A prompt template uses a variable that the prompt does not declare.

    ## What it does
    For prompts whose format declares their variables -- `.prompty` `inputs`, dotprompt
    `input.schema`, LangChain `input_variables`, agentlint registry `variables` -- reports
    each template variable used but not declared, at its first placeholder (the others are
    related locations). Names the template binds itself (`{% for item in documents %}`,
    `{% set x %}`), attributes, filters and helpers (`{{role "system"}}`, `{{history}}`) are
    not variables; a name inside an `{{#each}}` or mustache section may be a field of the
    items and is not reported. Prompts that declare nothing, and templates that include
    others (`{% include %}`, partials), are not checked.

    ## Why is this bad?
    The caller only passes what the prompt declares: Prompt flow renders an undeclared
    input as empty, Genkit validates input against the schema, LangChain raises a missing
    key at run time. The model then answers a question that was never put in front of it,
    and nothing fails loudly.
    """

    code = "AL406"
    name = "undeclared-template-variable"
    summary = "Template variable used but not declared"
    severity = Severity.ERROR
    checklist = Checklist.PROMPTS_REVIEWED
    entities = ("PromptVersion",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for prompt in project.prompts:
            if prompt.declared_variables is None:
                continue
            declared = sorted({d.name for d in prompt.declared_variables})
            uses: dict[str, list[Placeholder]] = {}
            for use in prompt.used_variables:
                if use.section is None and use.name not in declared:
                    uses.setdefault(use.name, []).append(use)
            listed = f"it declares {', '.join(declared)}" if declared else "it declares no variables"
            for name, found in uses.items():
                first, *rest = found
                yield self.violation(
                    f"prompt '{prompt.name}' uses template variable '{name}', which it does not declare ({listed}): "
                    f"declare it, or fix the name",
                    Location(prompt.ref.path, first.span),
                    ref=prompt.ref,
                    args=(prompt.name, prompt.version or "", name),
                    related=tuple(Location(prompt.ref.path, u.span, f"'{name}' used again") for u in rest),
                )

    valid = (
        Example.of(
            "---\nname: answer\nmodel:\n  api: chat\n  configuration: {type: azure_openai, azure_deployment: chat}\n"
            "inputs:\n  documents: {type: object}\n  question: {type: string}\n---\nsystem:\n"
            "{% for item in documents %}\n[{{ loop.index }}] {{ item.title | upper }}: {{ item.content }}\n{% endfor %}\n"
            "{% if question is defined %}user:\n{{ question }}{% endif %}\n",
            path="answer.prompty",
            title="Prompty: loop variables, attributes, filters and tests are not inputs",
        ),
        Example.of(
            "---\nmodel: googleai/gemini-2.5-flash\ninput:\n  schema:\n    orderId: string\n    note?: string\n"
            "    items(array): string\n---\n{{role \"system\"}}\nYou track orders.\n{{history}}\n{{role \"user\"}}\n"
            "Find order {{orderId}}{{#if note}} ({{note}}){{/if}}.\n{{#each items}}- {{this}} ({{@index}}, {{sku}})\n{{/each}}\n",
            path="prompts/track.prompt",
            title="Dotprompt: helpers, this/@index, and fields of the items of an each block",
        ),
        Example.of(
            '{\n  "_type": "prompt",\n  "input_variables": ["question"],\n  "template_format": "f-string",\n'
            '  "template": "Answer as JSON {{\\"answer\\": ...}}.\\nQuestion: {question}"\n}\n',
            path="prompts/qa/prompt.json",
            title="LangChain hub: doubled braces are literal text",
        ),
        Example.of(
            "You are a helpful assistant.\nHistory:\n{{history}}\nQuestion: {{question}}\n",
            path="chat.prompty",
            title="A prompt that declares no inputs is not checked",
        ),
    )
    invalid = (
        Example.of(
            "---\nname: answer\ninputs:\n  documents: {type: object}\n  question: {type: string}\n---\nsystem:\n"
            "{% for item in documents %}{{ item.content }}{% endfor %}\n"
            "{% for turn in history %}{# expect: AL406 #}\n{{ turn.role }}: {{ turn.content }}\n{% endfor %}\n"
            "user:\n{{ question }}\n",
            path="answer.prompty",
            title="Prompty: a conversation history the inputs do not declare",
        ),
        Example.of(
            "---\nmodel: googleai/gemini-2.5-flash\ninput:\n  schema:\n    orderId: string\n---\n"
            "Find order {{orderId}} for {{customerName}}.{{! # expect: AL406 }}\n",
            path="prompts/track.prompt",
            title="Dotprompt: a placeholder missing from input.schema",
        ),
        Example.of(
            '{\n  "input_variables": ["question"],\n  "template": "Context: {context}\\nQuestion: {question}"\n}\n',
            path="prompts/qa/prompt.json",
            title="LangChain hub: a placeholder missing from input_variables",
            expect=(("prompts/qa/prompt.json", 3, "AL406"),),
        ),
    )
