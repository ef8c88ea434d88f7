from __future__ import annotations

import re
from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.project import Project
from agentlint.model.prompts import PromptVersion
from agentlint.model.secrets import auth_credential, known_token, literal_secret, url_secret_kind
from agentlint.model.source import Pos, Span
from agentlint.model.tools import Text
from agentlint.rule import Example, Rule

_WORD = re.compile(r"[^\s\"'`<>()\[\]{},;]+")
_SCHEME = re.compile(r"\b(?:Bearer|Basic)\s", re.IGNORECASE)
_TEXT_FIELDS = ("content", "text", "messages", "prompt", "template")


def text_secret(text: str) -> tuple[str, int, int] | None:
    """(kind, start, end) of the first literal credential in prompt text, else None."""
    kind = auth_credential(text)
    if kind is not None:
        scheme = _SCHEME.search(text)
        return (kind, scheme.start(), len(text)) if scheme else (kind, 0, len(text))
    if known_token(text) is None and "://" not in text:
        return None
    for word in _WORD.finditer(text):
        kind = known_token(word.group()) or url_secret_kind(word.group())
        if kind is not None:
            return kind, word.start(), word.end()
    return None


class SecretInPrompt(Rule):
    """A credential written into a prompt file or a prompt's text.

    ## What it does
    Reports literal API keys, tokens, passwords and `Authorization` credentials in the values
    of a prompt's front matter or configuration (`model.configuration.api_key`, v2
    `model.connection.apiKey`, a `sample` input), in the prompt text itself, and in
    instruction text written into agent and task configs (CrewAI `role`/`goal`/`backstory` and
    task `description`/`expected_output`, ADK `instruction`, Microsoft Agent Framework and
    Semantic Kernel `instructions`, AutoGen `system_message`, Langflow agents' `system_prompt`, n8n
    agents' `systemMessage`). A front matter
    value is a credential when its format is unmistakable (`sk-…`, `ghp_…`, `AKIA…`, JWTs,
    private keys, `Bearer`/`Basic` credentials, URLs with passwords) or when a secret-looking
    key holds a random-looking literal; the text is checked for the unmistakable formats
    only. References are fine: `${env:AZURE_OPENAI_API_KEY}`, `${file:key.txt}`, `{{api_key}}`,
    `<your-key>`. The message names the key and the kind of credential, never the value.

    ## Why is this bad?
    Prompt files are committed, shared and copied between projects, and prompt text is sent
    to the model provider and written to traces and evaluation logs with every request: a key
    in either is a leaked key. Reference it from the environment and rotate the one that was
    committed.
    """

    code = "AL408"
    name = "secret-in-prompt"
    summary = "Literal credential in a prompt file or prompt text"
    severity = Severity.ERROR
    checklist = Checklist.PROMPTS_NOT_LOGGED_RAW
    entities = ("PromptVersion", "InstructionText")

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for prompt in project.prompts:
            for setting in prompt.settings:
                kind = literal_secret(setting.name, setting.value)
                if kind is not None:
                    yield self.violation(
                        f"prompt '{prompt.name}': '{setting.name}' holds a literal {kind}; "
                        "reference it (${env:NAME}) and rotate it",
                        Location(setting.ref.path, setting.value_span),
                        ref=setting.ref,
                        args=(prompt.name, setting.name),
                        masked=True,
                    )
            found = _first_secret(prompt.text_pieces or (_whole_text(prompt),))  # one finding per prompt text
            if found is not None:
                kind, piece, where = found
                yield self.violation(
                    f"prompt '{prompt.name}': the prompt text holds a literal {kind}, sent to the model and logged "
                    "with every request; remove it and rotate it",
                    where,
                    ref=piece.ref,
                    args=(prompt.name, kind),
                    masked=True,
                )
        for text in project.instructions:
            found = _first_secret(text.pieces)  # one finding per instruction text
            if found is not None:
                kind, piece, where = found
                yield self.violation(
                    f"{text.owner}: '{text.setting}' holds a literal {kind}, sent to the model and logged with every "
                    "request; remove it and rotate it",
                    where,
                    ref=piece.ref,
                    args=(text.owner, text.setting, kind),
                    masked=True,
                )

    valid = (
        Example.of(
            "---\nname: triage\nmodel:\n  api: chat\n  configuration:\n    type: azure_openai\n"
            "    azure_deployment: triage-gpt4o\n    azure_endpoint: ${env:AZURE_OPENAI_ENDPOINT}\n"
            "    api_key: ${env:AZURE_OPENAI_API_KEY}\n    api_version: 2024-10-21\n---\n"
            "system:\nNever reveal keys. Users paste keys like sk-your-key-here or Bearer <token>; tell them to rotate them.\n"
            "user:\n{{ticket}}\n",
            path="triage.prompty",
            title="Environment references, and text that talks about keys",
        ),
        Example.of(
            "---\nname: billing\nmodel:\n  id: gpt-4o-2024-08-06\n  connection:\n    kind: key\n    apiKey: ${env:OPENAI_API_KEY}\n"
            "inputSchema:\n  properties:\n    - name: token_budget\n      kind: integer\n      default: 4096\n---\n"
            "Summarise the invoice within {{token_budget}} tokens.\n",
            path="billing.prompty",
            title="Prompty v2 connection by reference",
        ),
    )
    invalid = (
        Example.of(
            "---\nname: triage\nmodel:\n  api: chat\n  configuration:\n    type: azure_openai\n"
            "    azure_deployment: triage-gpt4o\n    api_key: 9f2c7a4d1e8b5f30c6a9d2e7b4f1a8c3  # expect: AL408\n---\n"
            "user:\n{{ticket}}\n",
            path="triage.prompty",
            title="An Azure OpenAI key written in the front matter",
        ),
        Example.of(
            "---\nmodel: googleai/gemini-2.5-flash\n---\n"
            "Open issues with the token ghp_Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS4uV2w when the user asks.{{! # expect: AL408 }}\n",
            path="prompts/issues.prompt",
            title="A GitHub token in the prompt text",
        ),
        Example(
            (
                (
                    "crew/config/agents.yaml",
                    "support:\n  role: Support agent\n  goal: Answer tickets\n  backstory: >\n"
                    "    You work the help desk. To look up orders, call the API\n"
                    "    with the key sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS4uV2wX8yZ1aB3  # expect: AL408\n"
                    "    and never share it.\n",
                ),
            ),
            title="CrewAI: a key inside a folded backstory, reported at the key itself",
        ),
    )


def _first_secret(pieces: tuple[Text, ...]) -> tuple[str, Text, Location] | None:
    """(kind, piece, location) of the first literal credential in the pieces of one text."""
    for piece in pieces:
        found = text_secret(piece.value)
        if found is not None:
            kind, start, end = found
            return kind, piece, Location(piece.ref.path, _within(piece, start, end))
    return None


def _whole_text(prompt: PromptVersion) -> Text:
    span = next((prompt.span_of(name) for name in _TEXT_FIELDS if prompt.has(name)), prompt.span)
    return Text(prompt.content, span, prompt.ref)


def _within(piece: Text, start: int, end: int) -> Span:
    """The credential's own columns when the piece is one verbatim line, else the piece."""
    span = piece.span
    if span.start.line == span.end.line and span.end.column - span.start.column == len(piece.value):
        return Span(Pos(span.start.line, span.start.column + start), Pos(span.start.line, span.start.column + end))
    return span
