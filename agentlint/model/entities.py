"""The neutral model: what every adapter produces and every rule reads.

Entities are frozen; each carries ``ref`` (its logical address) and ``span`` (where a finding
about it points: the agent's name, the edge's entry …). ``fields`` keeps the span of each
attribute the source actually wrote, so a rule can point at ``timeout: 900`` itself.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Union

from agentlint.findings import Location
from agentlint.model.source import NodeRef, Pointer, Span, shared_fields, shared_pointer, shared_span


class EdgeKind(enum.Enum):
    HANDOFF = "handoff"  # control passes to the target for the rest of the turn
    DELEGATE = "delegate"  # the target works on a sub-task and reports back
    CALL = "call"  # the source invokes the target like a tool and continues
    SEQUENCE = "sequence"  # the target runs after the source, unconditionally


@dataclass(frozen=True, slots=True)
class Located:
    """Common fields: where the entity is and which attributes were written where."""

    ref: NodeRef
    span: Span
    fields: tuple[tuple[str, Span], ...]

    def __post_init__(self) -> None:
        # Most spans and field tuples recur across a project's entities: keep one of each value
        # (model.source.shared_span), ~40% of what the entities of a large project hold.
        if type(self.span) is Span:
            object.__setattr__(self, "span", shared_span(self.span))
        if self.fields:
            object.__setattr__(self, "fields", shared_fields(self.fields))

    def span_of(self, name: str) -> Span:
        for key, span in self.fields:
            if key == name:
                return span
        return self.span

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.fields)

    def location(self, name: str | None = None, note: str = "") -> Location:
        return Location(self.ref.path, self.span_of(name) if name else self.span, note)


@dataclass(frozen=True, slots=True)
class Agent(Located):
    name: str
    graph: str
    framework: str = "agentlint"
    role: str | None = None
    model: str | None = None
    prompt: str | None = None
    tools: tuple[str, ...] = ()
    timeout_seconds: float | None = None
    max_attempts: int | None = None  # total attempts including the first; None = unset
    max_iterations: int | None = None
    description: str | None = None
    # Attributes left unset for which the framework has its own default, as
    # (attribute, key into model.defaults.DEFAULTS): ("max_iterations", "crewai.max_iter").
    implicit: tuple[tuple[str, str], ...] = ()
    delegates: bool = False  # may hand work to other agents on its own (CrewAI allow_delegation)
    # The attributes this agent's framework can express for it, or None for all of them: a
    # missing-timeout finding on a node type that has no timeout field would be noise.
    settable: frozenset[str] | None = None
    # Attributes written with a value the adapter rejected (its AL002 says so): unknown, never
    # reported as missing, and no cause of an unbounded budget.
    invalid: frozenset[str] = frozenset()
    # The framework's own key for an attribute, as (attribute, key): ("timeout_seconds",
    # "max_execution_time"), so that a message says what to write.
    keys: tuple[tuple[str, str], ...] = ()
    # A setting as the user wrote it where the model holds a derived value, as (attribute, text):
    # ("max_attempts", "max_retry_limit: 10") for 11 attempts.
    written: tuple[tuple[str, str], ...] = ()

    def can_set(self, attribute: str) -> bool:
        return self.settable is None or attribute in self.settable

    def key_for(self, attribute: str, default: str) -> str:
        return dict(self.keys).get(attribute, default)

    def as_written(self, attribute: str) -> str | None:
        return dict(self.written).get(attribute)

    def default_for(self, attribute: str) -> str | None:
        for name, key in self.implicit:
            if name == attribute:
                return key
        return None


@dataclass(frozen=True, slots=True)
class Edge(Located):
    source: str
    target: str
    kind: EdgeKind
    graph: str
    condition: str | None = None
    max_traversals: int | None = None  # per request; None = unbounded

    @property
    def conditional(self) -> bool:
        return self.condition is not None

    def describe(self) -> str:
        when = f" (when {self.condition})" if self.condition else ""
        return f"edge {self.source} → {self.target}{when}"


@dataclass(frozen=True, slots=True)
class AgentReference(Located):
    """A place that names an agent (edge end, entry, terminal); checked for existence."""

    name: str
    graph: str
    context: str  # "edge source", "edge target", "entry", "terminal"


# Interned ``AgentReferences.places``: documents of one shape (so many edges, an entry, so many
# terminals) name their agents at the same pointers, so most share one tuple. Bounded like the
# tables of model.source.
_PLACES: dict[tuple[tuple[str, Pointer], ...], tuple[tuple[str, Pointer], ...]] = {}
_PLACES_MAX = 1 << 14


def _shared_places(places: tuple[tuple[str, Pointer], ...]) -> tuple[tuple[str, Pointer], ...]:
    try:
        found = _PLACES.get(places)
    except TypeError:  # not pairs of a context and a pointer
        return places
    if found is None:
        found = tuple((context, shared_pointer(pointer)) for context, pointer in places)
        if len(_PLACES) < _PLACES_MAX:
            _PLACES[found] = found
    return found


@dataclass(frozen=True, slots=True)
class AgentReferences:
    """The agent references of one document, kept compactly: a sequence of AgentReference.

    A large project has two per edge; as entities each cost an AgentReference and its NodeRef
    (~136 bytes), ~30 MiB at 10,000 files. Here each is two slots of one flat tuple, ``(name,
    span)`` after another (the name is the edge's own string, the span shared), and a
    ``(context, pointer)`` in ``places``, one tuple shared by documents of the same shape.
    Reading one builds the AgentReference the adapter used to build: equal ref, span, name, graph
    and context, so findings and suppressions are the same.
    """

    path: str
    doc: int
    graph: str
    places: tuple[tuple[str, Pointer], ...] = ()  # (context, pointer) of each reference
    flat: tuple[Any, ...] = ()  # (name, span) of each reference, one after another

    def __post_init__(self) -> None:
        if self.places:
            object.__setattr__(self, "places", _shared_places(self.places))

    def __len__(self) -> int:
        return len(self.places)

    def __bool__(self) -> bool:
        return bool(self.places)

    def __getitem__(self, index: int) -> AgentReference:
        count = len(self.places)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("agent reference index out of range")
        context, pointer = self.places[index]
        flat, at = self.flat, index << 1
        return AgentReference(NodeRef(self.path, pointer, self.doc), flat[at + 1], (), flat[at], self.graph, context)

    def __iter__(self) -> Iterator[AgentReference]:
        return map(self.__getitem__, range(len(self.places)))

    def names(self) -> Iterator[str]:
        return iter(self.flat[0::2])

    def renamed(self, graph: str, rename: Callable[[str], str]) -> AgentReferences:
        """The same references in graph ``graph``, each name passed through ``rename``."""
        flat = list(self.flat)
        flat[0::2] = [rename(name) for name in flat[0::2]]
        return AgentReferences(self.path, self.doc, graph, self.places, tuple(flat))


References = Union[tuple[AgentReference, ...], AgentReferences]


def reference_names(references: Iterable[AgentReference]) -> Iterator[str]:
    """The names that ``references`` (a tuple or an AgentReferences) refer to, in order, without
    building the compact ones."""
    if type(references) is AgentReferences:
        return references.names()
    return (reference.name for reference in references)


def undefined_references(references: Iterable[AgentReference], defined: Any) -> Iterator[AgentReference]:
    """The references whose name is not in ``defined``, in order; compact ones are built only
    when they are returned."""
    if type(references) is not AgentReferences:
        yield from (reference for reference in references if reference.name not in defined)
        return
    for index, name in enumerate(references.names()):
        if name not in defined:
            yield references[index]


@dataclass(frozen=True, slots=True)
class ReferenceChain:
    """The references of several parts in order (a merged graph's), read lazily from them."""

    parts: tuple[Sequence[AgentReference], ...] = ()

    def __len__(self) -> int:
        return sum(len(part) for part in self.parts)

    def __bool__(self) -> bool:
        return any(self.parts)

    def __getitem__(self, index: int) -> AgentReference:
        if index < 0:
            index += len(self)
        for part in self.parts:
            if 0 <= index < len(part):
                return part[index]
            index -= len(part)
        raise IndexError("agent reference index out of range")

    def __iter__(self) -> Iterator[AgentReference]:
        for part in self.parts:
            yield from part

    def names(self) -> Iterator[str]:
        for part in self.parts:
            yield from reference_names(part)

    def undefined(self, defined: Any) -> Iterator[AgentReference]:
        """The references whose name is not in ``defined`` (an agent table), in order."""
        for part in self.parts:
            yield from undefined_references(part, defined)


@dataclass(frozen=True, slots=True)
class Task(Located):
    """A unit of work assigned to an agent (CrewAI tasks.yaml); ``context`` names the tasks
    whose output it needs, which must finish first."""

    name: str
    graph: str
    agent: str | None = None
    context: tuple[str, ...] = ()
    context_spans: tuple[Span, ...] = ()  # one per context entry


@dataclass(frozen=True, slots=True)
class GraphPart(Located):
    """One document's contribution to a named agent graph; parts with one name merge."""

    name: str
    entry: str | None = None
    terminals: tuple[str, ...] = ()
    agents: tuple[Agent, ...] = ()
    edges: tuple[Edge, ...] = ()
    references: References = ()  # a tuple, or compact (AgentReferences: the neutral format's)
    tasks: tuple[Task, ...] = ()
    framework: str = "agentlint"
    # Other names this part's agents answer to, as (alias, agent name): an ADK config file
    # defines the agent that other files reach as "file:<its path>". Parts joined by aliases
    # are merged into one graph by the Project (see project.link_parts).
    aliases: tuple[tuple[str, str], ...] = ()
    # A run-level cap on turns/supersteps/LLM calls for the whole graph, explicit or the
    # framework's default (a key into model.defaults.DEFAULTS); None when neither exists.
    turn_limit: int | None = None
    turn_limit_default: str | None = None
    # a run-level cap is set, but to a value the source does not state (``recursion_limit=cfg.x``,
    # ``maxTurns: =Env.X``): a bound of unknown size, never reported as missing or too high
    turn_limit_unstated: bool = False
    turn_limit_symbol: str | None = None  # an unstated cap naming another module's constant
    turn_limit_setting: str | None = None  # the keyword that wrote an explicit turn_limit ("max_turns")
    terminates: bool | None = None  # a termination condition exists (AutoGen); None: n/a
    entry_declarable: bool = True  # the format has a way to name an entry agent (CrewAI has none)
    # False when the adapter met code it cannot read statically (edges added in a loop over an
    # unknown list, a builder passed to a helper, a node routing with an unknown Command): edges
    # may be missing, so rules built on an edge's absence (unreachable, no terminal, no exit,
    # undefined, no entry) skip the graph rather than guess.
    complete: bool = True
    # Files that define this part's agents when the format keeps them apart (a CrewAI tasks.yaml's
    # agents.yaml beside it): when the graph ends up with no agents, whether one of them exists
    # tells "missing" (one undefined-agent finding naming it) from "unreadable" (its own finding).
    agents_from: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DependencyPin(Located):
    """A package version the project pins (pyproject.toml, requirements*.txt, lockfiles)."""

    package: str  # normalised PyPI name
    version: str
