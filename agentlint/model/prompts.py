"""Neutral model of prompt registries: versions, labels, change metadata, and references.

Every prompt source (agentlint's ``kind: PromptRegistry``, Langfuse exports, ``.prompty``,
dotprompt ``.prompt``, LangChain hub ``prompt.json``, promptfoo) maps into ``PromptVersion``;
agents' prompt fields map into ``PromptReference``. Rules never see a dialect.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentlint.model.entities import Located
from agentlint.model.source import Span
from agentlint.model.tools import Setting, Text

MUTABLE_LABELS = frozenset({"latest"})


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A template variable as written in the text (``{{ticket}}``, ``{ticket}``, ``{{#if x}}``),
    with the exact span of the placeholder in the file (inside a block scalar or file body)."""

    name: str
    span: Span
    # The innermost enclosing section (``{{#items}}…{{/items}}``, ``{{#each items}}``): inside
    # one, a name may be a field of the section's items rather than a variable of the prompt.
    section: str | None = None


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
    # The source records every label of this prompt (a registry file lists all its versions
    # and labels), so "no production label" is a fact, not a gap in a partial export.
    labels_complete: bool = False
    # The format has a place for review metadata (a registry's reviewed_by/approved_by): a
    # missing reviewer is then a gap, not a limit of the format (files reviewed in pull
    # requests record the review in git, not in the file).
    can_record_review: bool = False
    # A prompt that exists to be evaluated, not run by an agent (promptfoo's inline prompts):
    # it is neither a definition agents' references resolve against nor one they must use.
    evaluation_only: bool = False
    template_format: str = "mustache"  # mustache, jinja2, f-string, handlebars
    # Prompt files (AL406-AL409): the scalar values of the front matter / config as written
    # (``model.configuration.api_key``), the prompt text in located pieces (a body line, a
    # JSON string), and whether ``model`` names an Azure OpenAI deployment, whose model
    # version is chosen in Azure rather than in the file.
    settings: tuple[Setting, ...] = ()
    text_pieces: tuple[Text, ...] = ()
    model_is_deployment: bool = False


@dataclass(frozen=True, slots=True)
class InstructionText(Located):
    """Instruction text written into an agent or task config (CrewAI ``backstory``, a task's
    ``description``, ADK ``instruction``, AutoGen ``system_message``): prompt text sent to the
    model with every request, in located pieces (one per line, exact inside block scalars)."""

    owner: str  # "agent 'researcher'", "task 'research'"
    setting: str  # the key that holds it: "backstory"
    pieces: tuple[Text, ...]


def content_hash(content: str, model: str | None = None, parameters: object = None) -> str:
    """sha256 of the canonical content, model and parameters: every source hashes alike, so
    one name and version defined in two places compare equal exactly when they are equal."""
    import hashlib
    import json

    canonical = json.dumps([content, model, parameters], sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PromptReference(Located):
    """An agent's use of a prompt: ``name@version``, ``name:label`` or a bare ``name``."""

    agent: str
    name: str
    version: str | None = None
    label: str | None = None
    # References read from code (``get_prompt("x")``, ``hub.pull("o/x")``): the prompt sources
    # of a project that could define the name (None: any source; (): none in a repository,
    # e.g. the LangSmith hub), the label a reference without version or label resolves to
    # (Langfuse: ``production``, LangSmith: ``latest``), and whether a version or label is
    # passed that the code does not state statically (unknown: neither pinned nor floating).
    sources: tuple[str, ...] | None = None
    default_label: str | None = None
    selector_unknown: bool = False

    @property
    def pinned(self) -> bool:
        if self.selector_unknown:
            return True  # unknown is not missing
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


@dataclass(frozen=True, slots=True)
class UnnamedPromptFetch(Located):
    """A prompt fetched in code under a name the code does not state statically
    (``langfuse.get_prompt(name)``, ``hub.pull(identifier)``): any prompt of ``sources`` (None:
    any source; (): none in a repository) may be the one fetched, so none of them is unused,
    and the name is unknown rather than undefined."""

    agent: str  # the function that fetches it (the file, at module level)
    sources: tuple[str, ...] | None = None
