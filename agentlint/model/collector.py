"""OpenTelemetry Collector configurations, as facts (FORMATS.md §5, STANDARDS.md §5.7).

A :class:`CollectorConfig` is one configuration document: a standalone ``otel-collector-config.yaml``
or the ``spec.config`` of an ``OpenTelemetryCollector`` resource. It lists the components each
section defines (``type[/name]`` ids), the ``service.pipelines`` that wire them, what each
exporter sends where (endpoint, TLS, console verbosity) and what each processor does to span and
log attributes (:class:`AttributeEdit`). Rules read it with ``project.of(CollectorConfig)``; the
queries here (which pipelines feed which through connectors, which GenAI content keys a
processor removes) are pure and never read files.

Only components named in ``service.pipelines`` run: a processor that is defined but unused
protects nothing, and a pipeline that names an undefined component stops the Collector.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from agentlint.model.entities import Located
from agentlint.model.source import Span

T = TypeVar("T")


class Section(enum.Enum):
    """A top-level section of a Collector configuration (its singular names a component)."""

    RECEIVERS = "receivers"
    PROCESSORS = "processors"
    EXPORTERS = "exporters"
    CONNECTORS = "connectors"
    EXTENSIONS = "extensions"

    @property
    def singular(self) -> str:
        return self.value[:-1]


# Signals that carry prompts and completions: span attributes and events, log records.
CONTENT_SIGNALS = frozenset({"traces", "logs"})


# Exporters that keep nothing: ``nop`` drops data, console exporters print it (judged apart).
NOT_STORED = frozenset({"nop", "debug", "logging"})


def component_type(component_id: str) -> str:
    """``otlp/jaeger`` -> ``otlp``: the type a component id names (``type[/name]``)."""
    return component_id.split("/", 1)[0]


@dataclass(frozen=True, slots=True)
class CollectorComponent(Located):
    """One component defined in a section: ``span`` is its key (``otlp/jaeger:``)."""

    section: Section
    id: str

    @property
    def type(self) -> str:
        return component_type(self.id)


@dataclass(frozen=True, slots=True)
class ComponentUse(Located):
    """One entry of a pipeline's ``receivers``/``processors``/``exporters`` list (or of
    ``service.extensions``): ``span`` is the entry as written."""

    id: str
    role: Section  # the list it is in: RECEIVERS, PROCESSORS, EXPORTERS or EXTENSIONS


@dataclass(frozen=True, slots=True)
class Pipeline(Located):
    """``service.pipelines.<signal>[/name]``; ``span`` is its key. A list written as something
    the file does not state (``receivers: ${env:RECEIVERS}``, a list of mappings) makes the
    pipeline ``complete=False``; an entry the file does not state (``batch/${env:ENV}``) is
    ``unstated``, not among the uses: what it may be is ``may_hide``."""

    id: str
    receivers: tuple[ComponentUse, ...] = ()
    processors: tuple[ComponentUse, ...] = ()
    exporters: tuple[ComponentUse, ...] = ()
    complete: bool = True
    unstated: tuple[ComponentUse, ...] = ()

    def may_hide(self, role: Section, types: frozenset[str]) -> bool:
        """Whether an unstated entry of list ``role`` may be a component of one of ``types``:
        its type is unstated too (``${env:P}``) or is one of them (``redaction/${env:ENV}``)."""
        return any(
            use.role is role and ("${" in component_type(use.id) or component_type(use.id) in types) for use in self.unstated
        )

    @property
    def signal(self) -> str:
        return self.id.split("/", 1)[0]

    def uses(self) -> Iterator[ComponentUse]:
        yield from self.receivers
        yield from self.processors
        yield from self.exporters


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where an exporter sends one signal (``""`` = every signal): the URL or ``host:port`` as
    written, and its value's span."""

    signal: str
    url: str
    span: Span


@dataclass(frozen=True, slots=True)
class ExporterSettings(Located):
    """What an exporter does with the data: ``span`` is the exporter's key. ``tls_insecure``
    is True/False as written, None when unset or not stated (``${env:INSECURE}``);
    ``verbosity`` is the console exporters' level as written (``verbosity: detailed``, legacy
    ``loglevel: debug`` is kept as ``loglevel=debug``), "" when unset."""

    id: str
    endpoints: tuple[Endpoint, ...] = ()
    tls_insecure: bool | None = None
    verbosity: str = ""

    @property
    def type(self) -> str:
        return component_type(self.id)


class EditKind(enum.Enum):
    """What a processor does to the attributes it matches."""

    DELETE = "delete"  # the attribute is removed (attributes ``delete``, OTTL ``delete_key``)
    HASH = "hash"  # the value is replaced by its hash (attributes ``hash``, OTTL ``SHA256``)
    REPLACE = "replace"  # the value is overwritten or masked (``update``, ``set``, ``replace_pattern``)
    KEEP_ONLY = "keep-only"  # every attribute NOT matched is removed (``keep_keys``, a redaction allowlist)
    MASK_VALUES = "mask-values"  # values matching the user's regexes are masked, whatever the key
    DROP = "drop"  # spans, span events or log records the user's GenAI conditions match are dropped


@dataclass(frozen=True, slots=True)
class AttributeEdit(Located):
    """One action a processor takes on span/log attributes: the exact ``keys`` and key regexes
    (``patterns``, Go RE2 syntax) it applies to, and ``how`` it was written (for messages)."""

    processor: str
    kind: EditKind
    keys: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    how: str = ""

    def covers(self, key: str) -> bool:
        """Whether this edit removes, hashes or masks the content attribute ``key``
        (``gen_ai.prompt`` also stands for its indexed form ``gen_ai.prompt.0.content``). A
        pattern RE2 cannot compile is unknown, and unknown is never missing: it covers.
        MASK_VALUES masks every key but its ``keys`` (a redaction processor's ``ignored_keys``)."""
        if self.kind is EditKind.MASK_VALUES:
            return key not in self.keys
        if self.kind is EditKind.DROP:  # which GenAI telemetry a condition drops is not judged
            return True
        forms = (key, f"{key}.0.content") if key in INDEXED_CONTENT_KEYS else (key,)
        if self.kind is EditKind.KEEP_ONLY:  # kept only when a pattern surely matches
            return key not in self.keys and not any(_search(p, form) is True for p in self.patterns for form in forms)
        return key in self.keys or any(_search(p, form) is not False for p in self.patterns for form in forms)


# GenAI attributes that carry prompts, completions and instructions (semantic conventions, current
# and deprecated names still emitted by OpenLLMetry and older instrumentations: FORMATS.md §5).
CONTENT_KEYS = (
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.system_instructions",
    "gen_ai.prompt",
    "gen_ai.completion",
)
INDEXED_CONTENT_KEYS = frozenset({"gen_ai.prompt", "gen_ai.completion"})


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options=options)
    except re2.error:
        return None


def _search(pattern: str, text: str) -> bool | None:
    """Go's ``regexp.MatchString`` (RE2: linear time, so a hostile pattern cannot hang a run);
    None when RE2 cannot compile the pattern."""
    compiled = _compiled(pattern)
    return None if compiled is None else compiled.search(text) is not None


# Processor types that remove, hash, mask or drop attributes (see adapters/_collector_edits).
SCRUB_TYPES = frozenset({"attributes", "redaction", "transform", "filter"})
# Processor types that keep a share of traces (contrib ``probabilisticsamplerprocessor`` and
# ``tailsamplingprocessor``).
SAMPLER_TYPES = frozenset({"probabilistic_sampler", "tail_sampling"})


@dataclass(frozen=True, slots=True)
class Sampler(Located):
    """A sampling processor; ``span`` is its key. ``keeps_all`` is what the file writes that
    keeps every trace anyway (``sampling_percentage: 100``, or a tail sampler whose every policy
    is ``always_sample``), "" otherwise; its span is ``span_of("keeps_all")``."""

    id: str
    keeps_all: str = ""


@dataclass(frozen=True, slots=True)
class CollectorConfig(Located):
    """One Collector configuration document. ``span`` is its first line (or ``config:`` of an
    ``OpenTelemetryCollector``); ``sections`` are the sections whose content is known: written
    as a mapping, empty, or absent (then it defines nothing). A section written as something
    else (``exporters: ${file:exporters.yaml}``) is not in it: what it defines is unknown.
    ``standalone`` is False inside a Kubernetes resource."""

    components: tuple[CollectorComponent, ...] = ()
    pipelines: tuple[Pipeline, ...] = ()
    extensions_used: tuple[ComponentUse, ...] = ()
    exporters: tuple[ExporterSettings, ...] = ()
    edits: tuple[AttributeEdit, ...] = ()
    samplers: tuple[Sampler, ...] = ()
    sections: frozenset[Section] = frozenset()
    standalone: bool = True

    def exporter(self, component_id: str) -> ExporterSettings | None:
        return next((e for e in self.exporters if e.id == component_id), None)

    def connectors(self) -> frozenset[str]:
        return frozenset(c.id for c in self.components if c.section is Section.CONNECTORS)

    def exports_out(self, pipeline: Pipeline, connectors: frozenset[str] | None = None) -> tuple[ComponentUse, ...]:
        """The exporters of ``pipeline`` that are real exporters (not connectors to another
        pipeline); pass ``connectors()`` when asking for many pipelines."""
        connectors = self.connectors() if connectors is None else connectors
        return tuple(e for e in pipeline.exporters if e.id not in connectors)

    def flow(
        self,
        own: Callable[[Pipeline], T],
        source: Callable[[ComponentUse], T],
        join: Callable[[list[T]], T],
        extend: Callable[[T, T], T],
    ) -> dict[str, T]:
        """A fact that flows through connectors, for every pipeline id:
        ``extend(own(p), join(one part per receiver of p))``, where a real receiver's part is
        ``source(receiver)`` and a connector's the ``join`` of the pipelines exporting to it.
        A pipeline still being computed (a cycle, which the Collector refuses) adds nothing.
        Iterative (no recursion limit) and linear in the pipelines and their lists."""
        connectors = self.connectors()
        feeding: dict[str, list[Pipeline]] = {}
        for pipeline in self.pipelines:
            for use in pipeline.exporters:
                if use.id in connectors:
                    feeding.setdefault(use.id, []).append(pipeline)
        memo: dict[str, T] = {}
        active: set[str] = set()
        for start in self.pipelines:
            stack = [(start, False)]
            while stack:
                node, expanded = stack.pop()
                if node.id in memo or (not expanded and node.id in active):
                    continue
                if not expanded:
                    active.add(node.id)
                    stack.append((node, True))
                    stack.extend((f, False) for r in node.receivers for f in feeding.get(r.id, ()) if f.id not in memo and f.id not in active)
                    continue
                parts = []
                for receiver in node.receivers:
                    upstream = [memo[f.id] for f in feeding.get(receiver.id, ()) if f.id in memo]
                    parts.append(join(upstream) if upstream else source(receiver))
                memo[node.id] = extend(own(node), join(parts))
                active.discard(node.id)
        return memo

    def receives_otlp(self) -> dict[str, bool]:
        """Per pipeline id: whether OTLP data (what GenAI instrumentations send) reaches it, from
        an ``otlp`` receiver or through a connector fed by a pipeline it reaches."""
        return self.flow(lambda _p: False, lambda r: component_type(r.id) == "otlp", any, lambda a, b: a or b)

    def content_covered(self) -> dict[str, frozenset[str]]:
        """Per pipeline id: the CONTENT_KEYS removed, hashed or masked on every way into its
        exporters, by its own processors or by those of every pipeline feeding it."""
        edits: dict[str, list[AttributeEdit]] = {}
        for edit in self.edits:
            edits.setdefault(edit.processor, []).append(edit)

        def own(current: Pipeline) -> frozenset[str]:
            mine = [edit for use in current.processors for edit in edits.get(use.id, ())]
            return frozenset(key for key in CONTENT_KEYS if any(edit.covers(key) for edit in mine))

        def join(parts: list[frozenset[str]]) -> frozenset[str]:
            return frozenset.intersection(*parts) if parts else frozenset()

        return self.flow(own, lambda _r: frozenset(), join, frozenset.union)
