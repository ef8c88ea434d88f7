"""The neutral ``kind: ToolPolicy`` shape: what a team declares per MCP server or tool that
MCP client configs cannot hold (timeouts, rate limits, failure modes, reviews, contracts).
The published ``schemas/toolpolicy.schema.json`` is generated from these models."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from agentlint.adapters.shapes.neutral import Duration, Metadata

SCHEMA_ID = "https://agentlint.dev/schemas/toolpolicy.schema.json"
RATE = re.compile(r"^([0-9]+)\s*/\s*([0-9]*)\s*(s|sec|m|min|h|hour|d|day)$")


def _check_rate(value: str) -> str:
    if not RATE.match(value.strip()):
        raise ValueError(f"'{value}' is not a rate limit: use requests per period, e.g. 60/1m, 10/s, 1000/1h")
    return value


RateLimit = Annotated[str, AfterValidator(_check_rate), Field(description="Requests per period: 60/1m, 10/s, 1000/1h.")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Retry(_Strict):
    max_attempts: int = Field(ge=1, description="Total attempts including the first call.")
    then: Literal["abort", "fallback"] = Field("abort", description="What happens when the attempts run out.")


class RetryMode(_Strict):
    retry: Retry


class FallbackMode(_Strict):
    fallback: str = Field(min_length=3, description="The tool to call instead, as server.tool.")


OnFailure = Union[Literal["abort"], RetryMode, FallbackMode]


class Review(_Strict):
    by: str = Field(min_length=1, description="Who reviewed the permissions.")
    on: Optional[str] = Field(None, description="When (a date).")
    note: Optional[str] = None


class Limits(_Strict):
    timeout: Optional[Duration] = None
    rate_limit: Optional[RateLimit] = None
    on_failure: Optional[OnFailure] = Field(None, description="abort, {retry: {max_attempts: N}} or {fallback: server.tool}.")


class ToolSpec(Limits):
    description: Optional[str] = None
    input_schema: Optional[Any] = Field(None, description="JSON Schema of the arguments (2020-12 unless $schema says otherwise).")
    output_schema: Optional[Any] = None
    annotations: Optional[dict[str, Any]] = Field(None, description="MCP tool annotations: readOnlyHint, destructiveHint …")
    examples: list[Any] = Field(default_factory=list, description="Argument examples; each must satisfy input_schema.")


class ServerSpec(Limits):
    permissions_reviewed: Optional[Review] = None
    tools: dict[str, ToolSpec] = Field(default_factory=dict)


class ToolPolicyDoc(_Strict):
    """Per-server and per-tool limits, failure modes and contracts (agentlint/v1)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"$id": SCHEMA_ID, "title": "agentlint ToolPolicy (agentlint/v1)"},
    )

    apiVersion: Literal["agentlint/v1"]
    kind: Literal["ToolPolicy"]
    metadata: Metadata
    defaults: Limits = Field(default_factory=Limits, description="Applied to every server and tool unless overridden.")
    servers: dict[str, ServerSpec] = Field(default_factory=dict)


def json_schema() -> dict[str, object]:
    schema = ToolPolicyDoc.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
