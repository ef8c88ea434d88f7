"""The neutral ``agentlint/v1`` document shapes, as pydantic models.

This module is the single source of truth for the format: the published JSON Schema
(``schemas/agentgraph.schema.json``) is generated from it and kept identical by a test.
Imported only when a file declares ``apiVersion: agentlint/...``.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from agentlint.adapters._neutral_fast import _DURATION, seconds  # the duration reading, shared with the fast path

SCHEMA_ID = "https://agentlint.dev/schemas/agentgraph.schema.json"

# Names are labels: any characters but control characters, no surrounding whitespace.
Name = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^\S(?:[^\x00-\x1f]*\S)?$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _check_duration(value: Union[float, str]) -> Union[float, str]:
    if isinstance(value, str):
        seconds(value)
    elif value <= 0:
        raise ValueError(f"timeout must be positive, got {value:g}")
    return value


# One validator instead of a pydantic union, so that a bad value gives one clear error
# instead of one per union member; the JSON Schema still shows both accepted forms.
Duration = Annotated[
    Union[float, str],
    AfterValidator(_check_duration),
    WithJsonSchema(
        {
            "oneOf": [
                {"type": "number", "exclusiveMinimum": 0},
                {"type": "string", "pattern": _DURATION.pattern},
            ]
        }
    ),
    Field(description="Seconds (number) or a string with a unit: 500ms, 30s, 2m, 1h."),
]


class Retries(_Strict):
    max_attempts: int = Field(ge=1, description="Total attempts including the first call.")


class AgentSpec(_Strict):
    role: Optional[str] = Field(None, description="What the agent is for: planner, executor, critic, router …")
    description: Optional[str] = None
    model: Optional[str] = Field(None, description="Model id, preferably a dated snapshot.")
    prompt: Optional[str] = Field(None, description="Prompt reference: name@version or name:label.")
    tools: list[str] = Field(default_factory=list, description="Tool references, server.tool.")
    timeout: Optional[Duration] = Field(None, description="Wall-clock limit for one invocation.")
    retries: Optional[Retries] = None
    max_iterations: Optional[int] = Field(
        None, ge=1, description="How many times the agent may run per request (bounds every loop through it)."
    )


class EdgeKindName(str, Enum):
    handoff = "handoff"
    delegate = "delegate"
    call = "call"
    sequence = "sequence"


class EdgeSpec(_Strict):
    source: Name = Field(alias="from", description="Agent the edge leaves.")
    target: Name = Field(alias="to", description="Agent the edge enters.")
    kind: EdgeKindName = EdgeKindName.handoff
    when: Optional[str] = Field(None, description="Condition label: when this edge is taken.")
    max_traversals: Optional[int] = Field(
        None, ge=1, description="How many times this edge may be taken per request (a loop bound)."
    )


class Metadata(_Strict):
    name: Name = Field(description="Document name; AgentGraph documents with the same name form one graph.")
    description: Optional[str] = None


class AgentGraphDoc(_Strict):
    """An agent graph in agentlint's neutral format."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        json_schema_extra={"$id": SCHEMA_ID, "title": "agentlint AgentGraph (agentlint/v1)"},
    )

    apiVersion: Literal["agentlint/v1"]
    kind: Literal["AgentGraph"]
    metadata: Metadata
    entry: Optional[Name] = Field(None, description="The agent that receives each request.")
    terminals: list[Name] = Field(default_factory=list, description="Agents that may end a request.")
    agents: dict[Name, AgentSpec] = Field(default_factory=dict)
    edges: list[EdgeSpec] = Field(default_factory=list)


def json_schema() -> dict[str, object]:
    schema = AgentGraphDoc.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
