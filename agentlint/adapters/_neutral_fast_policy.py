"""A plain-Python reading of a valid ``ToolPolicy`` document, without pydantic (issue 14).

The shape is ``shapes.policy.ToolPolicyDoc``; as in ``_neutral_fast``, anything this reading is
not sure about returns ``None`` and pydantic decides, so its messages and positions stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from agentlint.adapters._neutral_fast import _METADATA, Metadata, Unsure, _count, _duration, _keys, _mapping, _name, _string, _text

# shapes.policy.RATE (a copy: that module defines pydantic models)
_RATE = re.compile(r"^([0-9]+)\s*/\s*([0-9]*)\s*(s|sec|m|min|h|hour|d|day)$")
_TOP = frozenset({"apiVersion", "kind", "metadata", "defaults", "servers"})
_LIMITS = frozenset({"timeout", "rate_limit", "on_failure"})
_SERVER = _LIMITS | {"permissions_reviewed", "tools"}
_TOOL = _LIMITS | {"description", "input_schema", "output_schema", "annotations", "examples"}
_REVIEW = frozenset({"by", "on", "note"})


@dataclass(frozen=True)
class Retry:
    max_attempts: int
    then: str = "abort"


@dataclass(frozen=True)
class RetryMode:
    retry: Retry


@dataclass(frozen=True)
class FallbackMode:
    fallback: str


@dataclass(frozen=True)
class Review:
    by: str
    on: Optional[str] = None
    note: Optional[str] = None


@dataclass(frozen=True)
class Limits:
    timeout: Union[float, str, None] = None
    rate_limit: Optional[str] = None
    on_failure: Union[str, RetryMode, FallbackMode, None] = None


@dataclass(frozen=True)
class ToolSpec(Limits):
    description: Optional[str] = None
    input_schema: Any = None
    output_schema: Any = None
    annotations: Optional[dict[str, Any]] = None
    examples: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class ServerSpec(Limits):
    permissions_reviewed: Optional[Review] = None
    tools: dict[str, ToolSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class PolicySpec:
    metadata: Metadata
    defaults: Limits = field(default_factory=Limits)
    servers: dict[str, ServerSpec] = field(default_factory=dict)


def plain_policy(data: dict[str, Any]) -> PolicySpec | None:
    """The document read as ``ToolPolicyDoc`` would read it, or None when pydantic must decide."""
    try:
        _keys(data, _TOP)
        if data.get("apiVersion") != "agentlint/v1" or data.get("kind") != "ToolPolicy" or "metadata" not in data:
            raise Unsure
        meta = _mapping(data["metadata"], _METADATA)
        if "name" not in meta:
            raise Unsure
        servers = _mapping(data.get("servers", {}), None)
        return PolicySpec(
            metadata=Metadata(_name(meta["name"]), _text(meta.get("description"))),
            defaults=Limits(**_limits(_mapping(data.get("defaults", {}), _LIMITS))),
            servers={_string(name): _server(server) for name, server in servers.items()},
        )
    except Unsure:
        return None


def _limits(spec: dict[str, Any]) -> dict[str, Any]:
    rate = spec.get("rate_limit")
    if rate is not None and _RATE.match(_string(rate).strip()) is None:
        raise Unsure
    return {"timeout": _duration(spec.get("timeout")), "rate_limit": rate, "on_failure": _failure(spec.get("on_failure"))}


def _failure(value: Any) -> Union[str, RetryMode, FallbackMode, None]:
    if value is None or value == "abort" and type(value) is str:
        return value
    mode = _mapping(value, None)
    if set(mode) == {"retry"}:
        retry = _mapping(mode["retry"], frozenset({"max_attempts", "then"}))
        then = retry.get("then", "abort")
        if "max_attempts" not in retry or type(then) is not str or then not in ("abort", "fallback"):
            raise Unsure
        return RetryMode(Retry(_count(retry["max_attempts"]), then))
    if set(mode) == {"fallback"} and type(mode["fallback"]) is str and len(mode["fallback"]) >= 3:
        return FallbackMode(mode["fallback"])
    raise Unsure


def _server(value: Any) -> ServerSpec:
    server = _mapping(value, _SERVER)
    review = server.get("permissions_reviewed")
    if review is not None:
        review_map = _mapping(review, _REVIEW)
        if type(review_map.get("by")) is not str or not review_map["by"]:
            raise Unsure
        review = Review(review_map["by"], _text(review_map.get("on")), _text(review_map.get("note")))
    tools = _mapping(server.get("tools", {}), None)
    return ServerSpec(
        **_limits(server),
        permissions_reviewed=review,
        tools={_string(name): _tool(tool) for name, tool in tools.items()},
    )


def _tool(value: Any) -> ToolSpec:
    tool = _mapping(value, _TOOL)
    annotations = tool.get("annotations")
    if annotations is not None and any(type(key) is not str for key in _mapping(annotations, None)):
        raise Unsure
    examples = tool.get("examples", [])
    if type(examples) is not list:
        raise Unsure
    return ToolSpec(
        **_limits(tool),
        description=_text(tool.get("description")),
        input_schema=tool.get("input_schema"),
        output_schema=tool.get("output_schema"),
        annotations=annotations,
        examples=examples,
    )
