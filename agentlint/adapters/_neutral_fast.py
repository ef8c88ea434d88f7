"""A plain-Python reading of a valid ``AgentGraph`` or ``PromptRegistry`` document, without pydantic (issue 14).

Defining the pydantic models of ``shapes.neutral`` costs ~90 ms per process, more than the rest
of a one-file check. Most documents are plain and valid, so ``plain_graph`` (``plain_registry``)
checks the shape ``shapes.neutral.AgentGraphDoc`` (``shapes.prompts.PromptRegistryDoc``) states
(known keys, exact types, the same constraints) and returns the attributes the model would.
Whatever it is not sure about — an unknown key, a type pydantic would coerce (``1`` for a
string, ``true`` for an int, ``"3"`` for an int), a field-name alias, an unusual name
character, any error — makes it return ``None``, and the caller validates with pydantic, so
every error message and position stays what pydantic reports. ToolPolicy documents:
``_neutral_fast_policy``.

``seconds`` lives here (re-exported by ``shapes.neutral``) so the fast path needs no pydantic.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Optional, Union

_DURATION = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def seconds(value: Union[int, float, str]) -> float:
    """A duration: a number of seconds or a string like ``30s``, ``500ms``, ``2m``, ``1h``."""
    if isinstance(value, (int, float)):
        return float(value)
    match = _DURATION.match(value.strip())
    if not match:
        raise ValueError(f"'{value}' is not a duration: use seconds (30) or a unit (500ms, 30s, 2m, 1h)")
    return float(match.group(1)) * _UNITS[match.group(2)]


class _Kind(Enum):
    """The values of ``shapes.neutral.EdgeKindName`` (only ``.value`` is read)."""

    handoff = "handoff"
    delegate = "delegate"
    call = "call"
    sequence = "sequence"


_KINDS = {kind.value: kind for kind in _Kind}
_TOP = frozenset({"apiVersion", "kind", "metadata", "entry", "terminals", "agents", "edges"})
_METADATA = frozenset({"name", "description"})
_AGENT = frozenset({"role", "description", "model", "prompt", "tools", "timeout", "retries", "max_iterations"})
_RETRIES = frozenset({"max_attempts"})
_EDGE = frozenset({"from", "to", "kind", "when", "max_traversals"})


class Unsure(Exception):
    """The document is not plainly valid: let pydantic decide."""


@dataclass(frozen=True)
class Retries:
    max_attempts: int


@dataclass(frozen=True)
class AgentSpec:
    role: Optional[str] = None
    description: Optional[str] = None
    model: Optional[str] = None
    prompt: Optional[str] = None
    tools: list[str] = field(default_factory=list)
    timeout: Union[float, str, None] = None
    retries: Optional[Retries] = None
    max_iterations: Optional[int] = None


@dataclass(frozen=True)
class EdgeSpec:
    source: str
    target: str
    kind: _Kind = _Kind.handoff
    when: Optional[str] = None
    max_traversals: Optional[int] = None


@dataclass(frozen=True)
class Metadata:
    name: str
    description: Optional[str] = None


@dataclass(frozen=True)
class GraphSpec:
    metadata: Metadata
    entry: Optional[str] = None
    terminals: list[str] = field(default_factory=list)
    agents: dict[str, AgentSpec] = field(default_factory=dict)
    edges: list[EdgeSpec] = field(default_factory=list)


def plain_graph(data: dict[str, Any]) -> GraphSpec | None:
    """The document read as ``AgentGraphDoc`` would read it, or None when pydantic must decide."""
    try:
        return _graph(data)
    except Unsure:
        return None


def _graph(data: dict[str, Any]) -> GraphSpec:
    _keys(data, _TOP)
    if data.get("apiVersion") != "agentlint/v1" or data.get("kind") != "AgentGraph" or "metadata" not in data:
        raise Unsure
    meta = _mapping(data["metadata"], _METADATA)
    if "name" not in meta:
        raise Unsure
    agents = _mapping(data.get("agents", {}), None)
    return GraphSpec(
        metadata=Metadata(_name(meta["name"]), _text(meta.get("description"))),
        entry=None if data.get("entry") is None else _name(data["entry"]),
        terminals=[_name(item) for item in _sequence(data.get("terminals", []))],
        agents={_name(name): _agent(agent) for name, agent in agents.items()},
        edges=[_edge(edge) for edge in _sequence(data.get("edges", []))],
    )


def _agent(value: Any) -> AgentSpec:
    agent = _mapping(value, _AGENT)
    retries = agent.get("retries")
    if retries is not None:
        retries_map = _mapping(retries, _RETRIES)
        if "max_attempts" not in retries_map:
            raise Unsure
        retries = Retries(_count(retries_map["max_attempts"]))
    return AgentSpec(
        role=_text(agent.get("role")),
        description=_text(agent.get("description")),
        model=_text(agent.get("model")),
        prompt=_text(agent.get("prompt")),
        tools=[_string(tool) for tool in _sequence(agent.get("tools", []))],
        timeout=_duration(agent.get("timeout")),
        retries=retries,
        max_iterations=None if agent.get("max_iterations") is None else _count(agent["max_iterations"]),
    )


def _edge(value: Any) -> EdgeSpec:
    edge = _mapping(value, _EDGE)
    if "from" not in edge or "to" not in edge:
        raise Unsure
    kind = edge.get("kind", "handoff")
    if type(kind) is not str or kind not in _KINDS:
        raise Unsure
    return EdgeSpec(
        source=_name(edge["from"]),
        target=_name(edge["to"]),
        kind=_KINDS[kind],
        when=_text(edge.get("when")),
        max_traversals=None if edge.get("max_traversals") is None else _count(edge["max_traversals"]),
    )


def _keys(value: dict[Any, Any], known: frozenset[str]) -> None:
    for key in value:
        if type(key) is not str or key not in known:
            raise Unsure


def _mapping(value: Any, known: frozenset[str] | None) -> dict[Any, Any]:
    if type(value) is not dict:
        raise Unsure
    if known is not None:
        _keys(value, known)
    return value


def _sequence(value: Any) -> list[Any]:
    if type(value) is not list:
        raise Unsure
    return value


def _string(value: Any) -> str:
    if type(value) is not str:
        raise Unsure
    return value


def _text(value: Any) -> str | None:
    return None if value is None else _string(value)


def _plain_end(char: str) -> bool:
    # \S in both pydantic's (Rust) regex and Python's: printable ASCII or a letter/digit.
    return "!" <= char <= "~" or char.isalnum()


def _name(value: Any) -> str:
    """``shapes.neutral.Name``: 1–128 characters, no control characters, no outer whitespace."""
    text = _string(value)
    if not 1 <= len(text) <= 128 or not _plain_end(text[0]) or not _plain_end(text[-1]):
        raise Unsure
    if any(char < " " for char in text):
        raise Unsure
    return text


def _count(value: Any) -> int:
    """An ``int`` with ``ge=1``; a bool, a float or a digit string is pydantic's to coerce or refuse."""
    if type(value) is not int or value < 1:
        raise Unsure
    return value


def _duration(value: Any) -> Union[float, str, None]:
    if value is None:
        return None
    if type(value) is str:
        if _DURATION.match(value.strip()) is None:
            raise Unsure
        return value
    if type(value) is int and 0 < value < 2**53:
        return float(value)
    if type(value) is float:
        if not math.isfinite(value) or value <= 0:
            raise Unsure
        return value
    raise Unsure


# -- kind: PromptRegistry (shapes.prompts.PromptRegistryDoc) ----------------------------------

_REGISTRY = frozenset({"apiVersion", "kind", "metadata", "prompts"})
_PROMPT = frozenset({"description", "versions", "labels", "rollback"})
_VERSION = frozenset(
    {"version", "text", "messages", "variables", "model", "parameters", "author", "reviewed_by", "approved_by", "change_note", "date"}
)
_MESSAGE = frozenset({"role", "content"})
_VARIABLE = frozenset({"description"})


@dataclass(frozen=True)
class Message:
    role: str
    content: str


@dataclass(frozen=True)
class VersionSpec:
    version: Union[int, str]
    text: Optional[str] = None
    messages: Optional[list[Message]] = None
    variables: Union[list[str], dict[str, Any], None] = None
    model: Optional[str] = None
    parameters: Optional[dict[str, Any]] = None
    author: Optional[str] = None
    reviewed_by: Optional[str] = None
    approved_by: Optional[str] = None
    change_note: Optional[str] = None
    date: Optional[str] = None


@dataclass(frozen=True)
class PromptSpec:
    versions: list[VersionSpec]
    description: Optional[str] = None
    labels: dict[str, Union[int, str]] = field(default_factory=dict)
    rollback: Union[int, str, None] = None


@dataclass(frozen=True)
class RegistrySpec:
    metadata: Metadata
    prompts: dict[str, PromptSpec] = field(default_factory=dict)


def plain_registry(data: dict[str, Any]) -> RegistrySpec | None:
    """The document read as ``PromptRegistryDoc`` would read it, or None when pydantic must decide."""
    try:
        _keys(data, _REGISTRY)
        if data.get("apiVersion") != "agentlint/v1" or data.get("kind") != "PromptRegistry" or "metadata" not in data:
            raise Unsure
        meta = _mapping(data["metadata"], _METADATA)
        if "name" not in meta:
            raise Unsure
        prompts = _mapping(data.get("prompts", {}), None)
        return RegistrySpec(
            metadata=Metadata(_name(meta["name"]), _text(meta.get("description"))),
            prompts={_name(name): _prompt(prompt) for name, prompt in prompts.items()},
        )
    except Unsure:
        return None


def _prompt(value: Any) -> PromptSpec:
    prompt = _mapping(value, _PROMPT)
    versions = _sequence(prompt.get("versions"))
    if not versions:
        raise Unsure
    labels = _mapping(prompt.get("labels", {}), None)
    return PromptSpec(
        versions=[_version_spec(item) for item in versions],
        description=_text(prompt.get("description")),
        labels={_name(label): _version(target) for label, target in labels.items()},
        rollback=None if prompt.get("rollback") is None else _version(prompt["rollback"]),
    )


def _version(value: Any) -> Union[int, str]:
    """``shapes.prompts.Version``: an int ≥ 0 or a non-blank string."""
    if (type(value) is int and value >= 0) or (type(value) is str and value.strip()):
        return value
    raise Unsure


def _version_spec(value: Any) -> VersionSpec:
    item = _mapping(value, _VERSION)
    if "version" not in item:
        raise Unsure
    text, messages = _text(item.get("text")), item.get("messages")
    if messages is not None:
        messages = [_message(message) for message in _sequence(messages)]
    if (text is None) == (messages is None):
        raise Unsure
    parameters = item.get("parameters")
    if parameters is not None:
        if any(type(key) is not str for key in _mapping(parameters, None)):
            raise Unsure
    return VersionSpec(
        version=_version(item["version"]),
        text=text,
        messages=messages,
        variables=_variables(item.get("variables")),
        model=_text(item.get("model")),
        parameters=parameters,
        author=_text(item.get("author")),
        reviewed_by=_text(item.get("reviewed_by")),
        approved_by=_text(item.get("approved_by")),
        change_note=_text(item.get("change_note")),
        date=_text(item.get("date")),
    )


def _message(value: Any) -> Message:
    message = _mapping(value, _MESSAGE)
    if "role" not in message or "content" not in message:
        raise Unsure
    return Message(_name(message["role"]), _string(message["content"]))


def _variables(value: Any) -> Union[list[str], dict[str, Any], None]:
    if value is None:
        return None
    if type(value) is list:
        return [_name(name) for name in value]
    for name, described in _mapping(value, None).items():
        _name(name)
        if described is not None:
            _text(_mapping(described, _VARIABLE).get("description"))
    return value
