"""The reading half of the otel-collector adapter (``adapters/otel_collector.py`` keeps the
cheap ``claims`` and imports this module for the first file it claims, so that a run with no
Collector config imports neither model.collector nor model.telemetry)."""

from __future__ import annotations

from typing import Any

from agentlint.adapters.base import Adapted
from agentlint.loaders.base import LoadedFile, LocatedDoc
from agentlint.model.collector import (
    CONTENT_SIGNALS,
    NOT_STORED,
    SAMPLER_TYPES,
    CollectorComponent,
    CollectorConfig,
    ComponentUse,
    Endpoint,
    ExporterSettings,
    Pipeline,
    Sampler,
    Section,
    component_type,
)
from agentlint.model.source import Pointer, Span
from agentlint.model.telemetry import Concern, Origin, TelemetrySwitch

_GRPC = frozenset({"otlp", "otlp_grpc"})
_HTTP = frozenset({"otlphttp", "otlp_http", "zipkin"})
_CONSOLE = frozenset({"debug", "logging"})
_ROLES = (Section.RECEIVERS, Section.PROCESSORS, Section.EXPORTERS)


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        base = _config_base(doc.data)
        if base is not None:
            config = _config(doc, base)
            out.entities.append(config)
            out.entities.extend(_switches(config, base))
    return out


def _config_base(data: Any) -> Pointer | None:
    """Where the Collector configuration is in a document: its root, ``spec.config`` of an
    ``OpenTelemetryCollector`` resource, or nowhere."""
    if not isinstance(data, dict):
        return None
    if data.get("kind") == "OpenTelemetryCollector":
        spec = data.get("spec")
        config = spec.get("config") if isinstance(spec, dict) else None
        return ("spec", "config") if isinstance(config, dict) else None
    service = data.get("service")
    if isinstance(service, dict) and isinstance(service.get("pipelines"), dict):
        return ()
    if any(isinstance(data.get(section.value), dict) for section in (Section.RECEIVERS, Section.EXPORTERS)):
        return ()  # components only: the pipelines are in another --config file
    return None


def _at(node: Any, *keys: str) -> Any:
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _config(doc: LocatedDoc, base: Pointer) -> CollectorConfig:
    from agentlint.adapters._collector_edits import processor_edits

    smap = doc.source_map
    data = _at(doc.data, *[str(k) for k in base])
    components: list[CollectorComponent] = []
    sections: set[Section] = set()
    for section in Section:
        node = data.get(section.value)
        if node is None or isinstance(node, dict):  # absent, or ``processors:`` with nothing under it: defines nothing
            sections.add(section)
        for name in node if isinstance(node, dict) else ():
            pointer = base + (section.value, name)
            components.append(CollectorComponent(doc.ref(pointer), smap.locate(pointer), (), section, str(name)))
    service = data.get("service") if isinstance(data.get("service"), dict) else {}
    pipelines = []
    declared = service.get("pipelines")
    for name, spec in (declared if isinstance(declared, dict) else {}).items():
        pointer = base + ("service", "pipelines", name)
        lists: dict[Section, tuple[ComponentUse, ...]] = {}
        unstated: list[ComponentUse] = []
        complete = isinstance(spec, dict)
        for role in _ROLES:
            uses, hidden, known = _uses(doc, pointer + (role.value,), spec.get(role.value) if isinstance(spec, dict) else None, role)
            lists[role] = uses
            unstated.extend(hidden)
            complete = complete and known
        pipelines.append(
            Pipeline(
                doc.ref(pointer),
                smap.locate(pointer),
                (),
                str(name),
                lists[Section.RECEIVERS],
                lists[Section.PROCESSORS],
                lists[Section.EXPORTERS],
                complete,
                tuple(unstated),
            )
        )
    extensions, _, _ = _uses(doc, base + ("service", "extensions"), service.get("extensions"), Section.EXTENSIONS)
    processors = data.get("processors") if isinstance(data.get("processors"), dict) else {}
    edits = []
    samplers = []
    for name, settings in processors.items():
        pointer = base + ("processors", name)
        edits.extend(processor_edits(doc, pointer, str(name), settings))
        if component_type(str(name)) in SAMPLER_TYPES:
            samplers.append(_sampler(doc, pointer, str(name), settings))
    exporters = data.get("exporters") if isinstance(data.get("exporters"), dict) else {}
    return CollectorConfig(
        doc.ref(base),
        smap.locate(base) if base else Span.point(1),
        (),
        tuple(components),
        tuple(pipelines),
        extensions,
        tuple(_exporter(doc, base + ("exporters", name), str(name), settings) for name, settings in exporters.items()),
        tuple(edits),
        tuple(samplers),
        frozenset(sections),
        standalone=not base,
    )


def _uses(
    doc: LocatedDoc, pointer: Pointer, node: Any, role: Section
) -> tuple[tuple[ComponentUse, ...], tuple[ComponentUse, ...], bool]:
    """The entries of a pipeline list: the ids it states, those it does not (``${env:X}`` in
    them), and whether the list itself is a list of strings (absent counts as empty)."""
    if node is None:
        return (), (), True
    if not isinstance(node, list):
        return (), (), False
    stated, unstated = [], []
    for index, item in enumerate(node):
        if isinstance(item, str):
            at = pointer + (index,)
            use = ComponentUse(doc.ref(at), doc.source_map.locate(at), (), item, role)
            (unstated if "${" in item else stated).append(use)
    return tuple(stated), tuple(unstated), len(stated) + len(unstated) == len(node)


def _scalar_span(doc: LocatedDoc, pointer: Pointer) -> Span:
    return doc.source_map.value(pointer) or doc.source_map.locate(pointer)


def _exporter(doc: LocatedDoc, pointer: Pointer, name: str, settings: Any) -> ExporterSettings:
    span = doc.source_map.locate(pointer)
    if not isinstance(settings, dict):
        return ExporterSettings(doc.ref(pointer), span, (), name)
    fields: list[tuple[str, Span]] = []
    endpoints = []
    for key, signal in (("endpoint", ""), ("traces_endpoint", "traces"), ("logs_endpoint", "logs")):
        value = settings.get(key)
        if isinstance(value, str):
            endpoints.append(Endpoint(signal, value.strip(), _scalar_span(doc, pointer + (key,))))
    insecure: bool | None = None
    for where in (("tls", "insecure"), ("insecure",)):  # ``insecure`` at the top: exporters before configtls
        value = _at(settings, *where)
        if value is not None:
            insecure = value if isinstance(value, bool) else None
            if insecure and any(_at(settings, *where[:-1], ca) for ca in ("ca_file", "ca_pem")):
                insecure = False  # configtls: insecure with a CA still loads a TLS config
            fields.append(("tls.insecure", _scalar_span(doc, pointer + where)))
            break
    verbosity = ""
    if isinstance(settings.get("verbosity"), str):
        verbosity = settings["verbosity"].strip().lower()
        fields.append(("verbosity", _scalar_span(doc, pointer + ("verbosity",))))
    elif isinstance(settings.get("loglevel"), str):
        verbosity = "loglevel=" + settings["loglevel"].strip().lower()
        fields.append(("verbosity", _scalar_span(doc, pointer + ("loglevel",))))
    return ExporterSettings(doc.ref(pointer), span, tuple(fields), name, tuple(endpoints), insecure, verbosity)


def _sampler(doc: LocatedDoc, pointer: Pointer, name: str, settings: Any) -> Sampler:
    """A sampler, and what it writes that keeps every trace: a probabilistic sampler at 100 %,
    a tail sampler whose every policy is ``always_sample`` (tailsamplingprocessor README)."""
    span = doc.source_map.locate(pointer)
    if not isinstance(settings, dict):
        return Sampler(doc.ref(pointer), span, (), name)
    value = settings.get("sampling_percentage")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 100:
        at = _scalar_span(doc, pointer + ("sampling_percentage",))
        return Sampler(doc.ref(pointer), span, (("keeps_all", at),), name, f"sampling_percentage: {value:g}")
    policies = settings.get("policies")
    if isinstance(policies, list) and policies and all(isinstance(p, dict) and p.get("type") == "always_sample" for p in policies):
        at = doc.source_map.locate(pointer + ("policies",))
        return Sampler(doc.ref(pointer), span, (("keeps_all", at),), name, "every policy is always_sample")
    return Sampler(doc.ref(pointer), span, (), name)


# -- switches ------------------------------------------------------------------------------


def _switches(config: CollectorConfig, base: Pointer) -> list[TelemetrySwitch]:
    prefix = "".join(f"{part}." for part in base)
    connectors = config.connectors()
    used: dict[str, list[Pipeline]] = {}
    for pipeline in config.pipelines:
        if pipeline.signal in CONTENT_SIGNALS:
            for use in config.exports_out(pipeline, connectors):
                used.setdefault(use.id, []).append(pipeline)
    out: list[TelemetrySwitch] = []
    for exporter in config.exporters:
        pipelines = used.get(exporter.id)
        if not pipelines:
            continue
        names = ", ".join(dict.fromkeys(p.id for p in pipelines))
        out.extend(_transport(exporter, pipelines, names, prefix))
        console = _console(exporter, names, prefix)
        if console is not None:
            out.append(console)
    sampled = _samplers_on_the_way(config)
    for pipeline in config.pipelines:
        # a pipeline without receivers is an overlay merged into another --config file: judged there
        stored = [e for e in config.exports_out(pipeline, connectors) if component_type(e.id) not in NOT_STORED]
        known = pipeline.complete and not pipeline.may_hide(Section.PROCESSORS, SAMPLER_TYPES)
        if pipeline.signal == "traces" and known and pipeline.receivers and stored:
            out.append(_sampling(config, pipeline, sampled[pipeline.id], prefix))
    return out


def _host(url: str) -> str:
    """The host an endpoint names: ``http://user@tempo:4318/v1`` and ``dns:///tempo:4317`` -> ``tempo``."""
    rest = url.split("://", 1)[1] if "://" in url else url
    rest = rest.lstrip("/").split("/", 1)[0].rsplit("@", 1)[-1]
    if rest.startswith("["):
        return rest[1:].split("]", 1)[0]
    return rest.split(":", 1)[0] if rest.count(":") <= 1 else rest


_WHY = {  # by Reach name: model.telemetry_env is imported when an exporter is read
    "LOOPBACK": "loopback: the traffic stays on this host",
    "HOST": "'{host}' is the machine the container runs on",
    "SAME_NETWORK": "'{host}' is a dotless service name (same compose network or cluster namespace)",
    "CLUSTER": "'{host}' is a Kubernetes service name: the traffic stays in the cluster network",
}


def _where(host: str) -> tuple[bool, str]:
    """Whether plaintext to ``host`` leaves the host's own network, and why not when it does not
    (the places the environment adapter gives OTLP endpoints: model/telemetry_env.reach)."""
    from agentlint.model.telemetry_env import Reach, reach

    place = reach(host.lower().rstrip("."))
    return place is Reach.REMOTE, _WHY.get(place.name, "").format(host=host)


def _transport(exporter: ExporterSettings, pipelines: list[Pipeline], names: str, prefix: str) -> list[TelemetrySwitch]:
    setting = f"{prefix}exporters.{exporter.id}"
    if exporter.type in _GRPC:
        endpoint = next((e for e in exporter.endpoints if e.signal == ""), None)
        if endpoint is None or "${" in endpoint.url or (exporter.has("tls.insecure") and exporter.tls_insecure is None):
            return []
        if endpoint.url.lower().startswith("https://") or not exporter.tls_insecure:
            how = "https:// endpoint" if endpoint.url.lower().startswith("https://") else "TLS (the Collector's default)"
            return [_switch(exporter, Concern.TRANSPORT, f"{setting}.endpoint", endpoint.url, False, f"{exporter.id} exports {names} to {endpoint.url} over {how}", span=endpoint.span, implicit=not exporter.has("tls.insecure"))]
        risky, why = _where(_host(endpoint.url))
        detail = f"{exporter.id} exports {names} without TLS (tls.insecure: true) to {endpoint.url}" + (f": {why}" if why else "")
        return [_switch(exporter, Concern.TRANSPORT, f"{setting}.tls.insecure", "true", risky, detail, field="tls.insecure", fix=_TLS_FIX)]
    if exporter.type not in _HTTP:
        return []
    out, seen = [], set()
    for signal in dict.fromkeys(p.signal for p in pipelines):
        endpoint = next((e for e in exporter.endpoints if e.signal == signal), None) or next((e for e in exporter.endpoints if e.signal == ""), None)
        if endpoint is None or endpoint.span in seen or "${" in endpoint.url:
            continue
        seen.add(endpoint.span)
        key = f"{setting}.{(signal + '_') if endpoint.signal else ''}endpoint"
        lowered = endpoint.url.lower()
        if lowered.startswith("https://"):
            out.append(_switch(exporter, Concern.TRANSPORT, key, endpoint.url, False, f"{exporter.id} exports {names} over https", span=endpoint.span))
        elif lowered.startswith("http://"):
            risky, why = _where(_host(endpoint.url))
            detail = f"{exporter.id} exports {names} in plaintext to {endpoint.url}" + (f": {why}" if why else "")
            out.append(_switch(exporter, Concern.TRANSPORT, key, endpoint.url, risky, detail, span=endpoint.span, fix="use an https:// endpoint"))
    return out


_TLS_FIX = "remove tls.insecure (TLS is the default) and set tls.ca_file if the backend uses a private CA"


def _console(exporter: ExporterSettings, names: str, prefix: str) -> TelemetrySwitch | None:
    if exporter.type not in _CONSOLE or not exporter.verbosity:
        return None
    risky = exporter.verbosity in ("detailed", "loglevel=debug")
    written = exporter.verbosity.replace("loglevel=", "loglevel: ") if "=" in exporter.verbosity else f"verbosity: {exporter.verbosity}"
    key = "loglevel" if exporter.verbosity.startswith("loglevel=") else "verbosity"
    detail = (
        f"{exporter.id} ({written}) prints every span and log attribute of {names}, prompts and completions included, to the Collector's log"
        if risky
        else f"{exporter.id} ({written}) prints summaries, not attributes"
    )
    return _switch(
        exporter, Concern.CONTENT_CAPTURE, f"{prefix}exporters.{exporter.id}.{key}", exporter.verbosity.split("=")[-1], risky, detail,
        field="verbosity", fix="use verbosity: basic, or keep the debug exporter out of traces and logs pipelines in deployed configs",
    )


def _samplers_on_the_way(config: CollectorConfig) -> dict[str, tuple[ComponentUse, ...]]:
    """Per pipeline: the sampling processors every way into it passes (its own first)."""

    def join(parts: list[tuple[ComponentUse, ...]]) -> tuple[ComponentUse, ...]:
        return () if not parts or any(not part for part in parts) else parts[0]

    return config.flow(
        lambda current: tuple(u for u in current.processors if component_type(u.id) in SAMPLER_TYPES),
        lambda _receiver: (),
        join,
        lambda mine, upstream: mine or upstream,
    )


def _sampling(config: CollectorConfig, pipeline: Pipeline, found: tuple[ComponentUse, ...], prefix: str) -> TelemetrySwitch:
    samplers = {s.id: s for s in config.samplers}
    setting = f"{prefix}service.pipelines.{pipeline.id}.processors"
    if not found:
        return TelemetrySwitch(
            pipeline.ref, pipeline.span, (), Concern.SAMPLING, setting, "", True, Origin.COLLECTOR, implicit=True,
            detail=f"traces pipeline '{pipeline.id}' has no probabilistic_sampler or tail_sampling processor: every trace is kept",
            fix="add a probabilistic_sampler (sampling_percentage) or tail_sampling processor to the pipeline",
        )
    use = found[0]
    sampler = samplers.get(use.id)
    if sampler is not None and sampler.keeps_all:
        key = "sampling_percentage" if sampler.keeps_all.startswith("sampling_percentage") else "policies"
        return TelemetrySwitch(
            sampler.ref.child(key), sampler.span_of("keeps_all"), (), Concern.SAMPLING, f"{prefix}processors.{sampler.id}.{key}",
            sampler.keeps_all.split(": ")[-1], True, Origin.COLLECTOR,
            detail=f"{sampler.id} in traces pipeline '{pipeline.id}' keeps every trace ({sampler.keeps_all})",
            fix="set sampling_percentage below 100" if key == "sampling_percentage" else "add a probabilistic or rate_limiting policy",
        )
    return TelemetrySwitch(use.ref, use.span, (), Concern.SAMPLING, setting, use.id, False, Origin.COLLECTOR, detail=f"traces pipeline '{pipeline.id}' samples with {use.id}")


def _switch(
    exporter: ExporterSettings, concern: Concern, setting: str, value: str, risky: bool, detail: str, *,
    field: str | None = None, span: Span | None = None, implicit: bool = False, fix: str = "",
) -> TelemetrySwitch:
    at = span or exporter.span_of(field or "")
    ref = exporter.ref.child(*field.split(".")) if field and exporter.has(field) else exporter.ref
    return TelemetrySwitch(ref, at, (), concern, setting, value, risky, Origin.COLLECTOR, implicit=implicit, detail=detail, fix=fix)
