"""Neutral model of prompt registries: versions, labels, change metadata, and references.

Every prompt source (agentlint's ``kind: PromptRegistry``, Langfuse exports, ``.prompty``,
dotprompt ``.prompt``, LangChain hub ``prompt.json``, promptfoo) maps into ``PromptVersion``;
agents' prompt fields map into ``PromptReference``. Rules never see a dialect.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentlint.model.entities import Located
from agentlint.model.source import Span

MUTABLE_LABELS = frozenset({"latest"})


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A template variable as written in the text (``{{ticket}}``, ``{ticket}``, ``{{#if x}}``),
    with the exact span of the placeholder in the file (inside a block scalar or file body)."""

    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class PromptVersion(Located):
    """One version of one prompt, as a registry or prompt file defines it."""

    name: str
    version: str | None  # None: the source has no version for it (a bare .prompty file)
    source: str  # agentlint, langfuse, prompty, dotprompt, langchain-hub, promptfoo
    registry: str  # the file (or registry document) that defines it
    content: str  # the template text, chat messages joined as "role: content" lines
    content_hash: str  # sha256 of the canonical content + model + parameters
    labels: tuple[str, ...] = ()
    label_spans: tuple[Span, ...] = ()  # one per label
    model: str | None = None
    declared_variables: tuple[Placeholder, ...] | None = None  # None: the format declares none
    used_variables: tuple[Placeholder, ...] = ()
    author: str | None = None
    reviewed_by: str | None = None  # reviewed or approved by
    change_note: str | None = None
    date: str | None = None
    rollback_to: str | None = None  # the earlier version recorded as rollback target
    template_format: str = "mustache"  # mustache, jinja2, f-string, handlebars


@dataclass(frozen=True, slots=True)
class PromptReference(Located):
    """An agent's use of a prompt: ``name@version``, ``name:label`` or a bare ``name``."""

    agent: str
    name: str
    version: str | None = None
    label: str | None = None

    @property
    def pinned(self) -> bool:
        return self.version is not None or (self.label is not None and self.label not in MUTABLE_LABELS)


def parse_reference(text: str) -> tuple[str, str | None, str | None]:
    """``name@3`` -> (name, "3", None); ``name:production`` -> (name, None, "production")."""
    if "@" in text:
        name, _, version = text.rpartition("@")
        return name, version or None, None
    if ":" in text:
        name, _, label = text.rpartition(":")
        return name, None, label or None
    return text, None, None
