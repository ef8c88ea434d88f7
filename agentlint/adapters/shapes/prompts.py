"""The neutral ``kind: PromptRegistry`` shape: the prompts a team ships, every version kept,
and which version each release label points to. The published
``schemas/promptregistry.schema.json`` is generated from these models."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from agentlint.adapters.shapes.neutral import Metadata, Name

SCHEMA_ID = "https://agentlint.dev/schemas/promptregistry.schema.json"


def _check_version(value: Any) -> Any:
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(
            f"version {value!r} is not a string or an integer: quote it ('{value}'), as a number "
            "1.10 reads as 1.1"
        )
    if isinstance(value, int) and value < 0:
        raise ValueError(f"version {value} is negative")
    if isinstance(value, str) and not value.strip():
        raise ValueError("version is empty")
    return value


# One validator instead of a pydantic union, so that a float gives one clear message.
Version = Annotated[
    Union[int, str],
    BeforeValidator(_check_version),
    WithJsonSchema({"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "minLength": 1}]}),
    Field(description="A version: an integer (3) or a string (1.2.0, 2025-01-10a). Versions are immutable."),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Message(_Strict):
    role: Name = Field(description="system, user, assistant, developer …")
    content: str = Field(description="The message template; variables as {{name}}.")


class Variable(_Strict):
    description: Optional[str] = None


class PromptVersionSpec(_Strict):
    """One immutable version: its text (or chat messages) and what it was tested with."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["messages"]}]}
    )

    version: Version
    text: Optional[str] = Field(None, description="The template text; variables as {{name}} (mustache).")
    messages: Optional[list[Message]] = Field(None, description="A chat template: role and content per message.")
    variables: Optional[Union[list[Name], dict[Name, Optional[Variable]]]] = Field(
        None, description="The variables the template expects: a list of names, or names with descriptions."
    )
    model: Optional[str] = Field(None, description="Model id this version was written and evaluated for.")
    parameters: Optional[dict[str, Any]] = Field(None, description="Model parameters: temperature, max_tokens …")
    author: Optional[str] = None
    reviewed_by: Optional[str] = Field(None, description="Who reviewed the change.")
    approved_by: Optional[str] = Field(None, description="Who approved the change (counts as a review).")
    change_note: Optional[str] = Field(None, description="What changed and why.")
    date: Optional[str] = Field(None, description="When the version was created (ISO date).")

    @model_validator(mode="after")
    def _one_body(self) -> PromptVersionSpec:
        if (self.text is None) == (self.messages is None):
            raise ValueError("a version needs exactly one of 'text' or 'messages'")
        return self


class PromptSpec(_Strict):
    description: Optional[str] = None
    versions: list[PromptVersionSpec] = Field(min_length=1, description="Every version ever released, oldest first.")
    labels: dict[Name, Version] = Field(
        default_factory=dict,
        description="Release labels -> version: production, staging, any custom label. 'latest' may be omitted: it "
        "is the newest version.",
    )
    rollback: Optional[Version] = Field(
        None,
        description="The earlier version to return to when the production version fails; default: the version "
        "before it.",
    )


class PromptRegistryDoc(_Strict):
    """A registry of versioned prompts (agentlint/v1).

    ``prompts`` maps each prompt name to its ``versions`` (oldest first; each an immutable
    ``text`` or chat ``messages``, with ``variables``, ``model``, ``parameters``, ``author``,
    ``reviewed_by``/``approved_by``, ``change_note``, ``date``), its release ``labels``
    (label -> version: ``production``, ``staging``, custom ones) and an optional ``rollback``
    version. Agents reference a prompt as ``name@version`` or ``name:label``.

    The rollback target of the production version is ``rollback`` when given (it must be an
    earlier version), else the version before it: registries keep every version, so the one
    before is still there to return to. Versions are ordered by number when they all are
    numbers (``3``, ``1.2.0``), else by their order in the list.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"$id": SCHEMA_ID, "title": "agentlint PromptRegistry (agentlint/v1)"},
    )

    apiVersion: Literal["agentlint/v1"]
    kind: Literal["PromptRegistry"]
    metadata: Metadata
    prompts: dict[Name, PromptSpec] = Field(default_factory=dict)


def json_schema() -> dict[str, object]:
    schema = PromptRegistryDoc.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
