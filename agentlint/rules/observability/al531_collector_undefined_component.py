from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.collector import CollectorConfig, ComponentUse, Section
from agentlint.model.project import Project
from agentlint.rule import Example, Rule

# The sections that may define what each list names: a connector is an exporter of one pipeline
# and a receiver of another.
_DEFINED_IN = {
    Section.RECEIVERS: (Section.RECEIVERS, Section.CONNECTORS),
    Section.PROCESSORS: (Section.PROCESSORS,),
    Section.EXPORTERS: (Section.EXPORTERS, Section.CONNECTORS),
    Section.EXTENSIONS: (Section.EXTENSIONS,),
}


class CollectorUndefinedComponent(Rule):
    """An OpenTelemetry Collector pipeline names a component its configuration does not define.

    ## What it does
    Checks every entry of `service.pipelines.<signal>[/name]` (`receivers`, `processors`,
    `exporters`) and of `service.extensions` against the components the configuration defines,
    by full id (`type[/name]`: `otlp/tempo` is not `otlp`). A receivers list may name a receiver
    or a connector, an exporters list an exporter or a connector, a processors list only a
    processor. An entry defined in another section (an exporter listed under `processors`) is
    reported as such; close matches are suggested. Components that are defined but not used are
    fine. Standalone configs and the `spec.config` of an `OpenTelemetryCollector` resource are
    read. Not reported: a section written as something the file does not state
    (`exporters: ${file:exporters.yaml}`), and a component defined in another Collector config of
    the project (the Collector merges every `--config` file it is given), and a file that defines
    no component at all (an overlay of pipelines for another file). One finding per missing
    component, at its first use; the other uses are related locations. A connector used only as
    an exporter, or only as a receiver, is reported too (the Collector refuses that as well).

    ## Why is this bad?
    The Collector validates its configuration before starting and refuses to run
    (`service::pipelines::traces: references exporter "otlp/tempo" which is not configured`): no
    trace, log or metric leaves the agents until the config is fixed, and a collector that
    crash-loops in a deployment is often noticed only when someone needs the traces.

    ## How to fix
    Define the component under its section (`exporters: {otlp/tempo: {endpoint: …}}`), or fix the
    pipeline entry to the id that is defined.
    """

    code = "AL531"
    name = "collector-undefined-component"
    summary = "Collector pipeline names an undefined component"
    severity = Severity.ERROR
    checklist = Checklist.INPUTS_VALID
    entities = ("CollectorConfig",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        configs = project.of(CollectorConfig)
        everywhere: dict[Section, Counter[str]] = {section: Counter() for section in Section}
        for other in configs:
            if other.standalone:
                for component in other.components:
                    everywhere[component.section][component.id] += 1
        merging = sum(1 for c in configs if c.standalone and c.pipelines)
        for config in configs:
            if not config.components:
                continue  # an overlay of pipelines only, merged into another --config file
            defined: dict[Section, set[str]] = {section: set() for section in Section}
            for component in config.components:
                defined[component.section].add(component.id)
            # ids another standalone config defines (a Collector merges every --config file)
            merged = {s: {i for i, n in everywhere[s].items() if n > (i in defined[s])} for s in Section} if config.standalone else {}
            missing: dict[tuple[Section, str], list[tuple[str, ComponentUse]]] = {}
            uses = [(p.id, use) for p in config.pipelines for use in p.uses()]
            uses += [("", use) for use in config.extensions_used]
            for pipeline, use in uses:
                allowed = _DEFINED_IN[use.role]
                if any(s not in config.sections for s in allowed):
                    continue  # what the section defines is not stated in this file
                if any(use.id in defined[s] or use.id in merged.get(s, ()) for s in allowed):
                    continue
                missing.setdefault((use.role, use.id), []).append((pipeline, use))
            if not (config.standalone and merging - bool(config.pipelines) > 0):
                yield from self._one_sided_connectors(config)  # pipelines merged from another file may use it
            for (role, component), found in missing.items():
                (pipeline, first), rest = found[0], found[1:]
                yield self.violation(
                    _message(defined, role, component, pipeline),
                    first,
                    args=(pipeline, role.value, component),
                    related=tuple(use.location(note=f"also named by pipeline '{p}'" if p else "also named here") for p, use in rest),
                )

    def _one_sided_connectors(self, config: CollectorConfig) -> Iterator[Violation]:
        """A connector is the exporter of one pipeline and the receiver of another; used on one
        side only, the Collector refuses the configuration."""
        if not all(p.complete and not p.unstated for p in config.pipelines):  # an unstated entry may name it
            return
        connectors = config.connectors()
        exported: dict[str, tuple[str, ComponentUse]] = {}
        received: dict[str, tuple[str, ComponentUse]] = {}
        for pipeline in config.pipelines:
            for use in pipeline.exporters:
                if use.id in connectors:
                    exported.setdefault(use.id, (pipeline.id, use))
            for use in pipeline.receivers:
                if use.id in connectors:
                    received.setdefault(use.id, (pipeline.id, use))
        for connector in sorted(connectors):
            if (connector in exported) == (connector in received):
                continue
            (pipeline, first), side, other = (
                (exported[connector], "exporter", "receives from") if connector in exported else (received[connector], "receiver", "exports to")
            )
            yield self.violation(
                f"connector '{connector}' is the {side} of pipeline '{pipeline}', but no pipeline {other} it: "
                "a connector joins two pipelines, and the Collector refuses one used on a single side",
                first,
                args=(pipeline, "connector", connector),
            )

    valid = (
        Example.of(
            "receivers:\n"
            "  otlp:\n"
            "    protocols:\n"
            "      grpc:\n"
            "        endpoint: 0.0.0.0:4317\n"
            "processors:\n"
            "  batch:\n"
            "  memory_limiter:\n"
            "    check_interval: 1s\n"
            "    limit_mib: 512\n"
            "exporters:\n"
            "  otlp/jaeger:\n"
            "    endpoint: jaeger.example.com:4317\n"
            "  prometheus:\n"
            "    endpoint: 0.0.0.0:8889\n"
            "connectors:\n"
            "  spanmetrics:\n"
            "extensions:\n"
            "  health_check:\n"
            "service:\n"
            "  extensions: [health_check]\n"
            "  pipelines:\n"
            "    traces:\n"
            "      receivers: [otlp]\n"
            "      processors: [memory_limiter, batch]\n"
            "      exporters: [otlp/jaeger, spanmetrics]\n"
            "    metrics:\n"
            "      receivers: [spanmetrics]\n"
            "      exporters: [prometheus]\n",
            path="otel-collector-config.yaml",
            title="Every id defined; a connector links two pipelines; batch is defined with no settings",
        ),
        Example(
            (
                ("collector/otelcol-components.yaml", "receivers:\n  otlp:\n    protocols:\n      http:\nprocessors:\n  batch:\nexporters:\n  otlphttp:\n    endpoint: https://otlp.example.com\n"),
                ("collector/otelcol-pipelines.yaml", "service:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      processors: [batch]\n      exporters: [otlphttp]\n"),
            ),
            title="Pipelines in one file, components in another (merged with two --config flags)",
        ),
    )
    invalid = (
        Example.of(
            "receivers:\n"
            "  otlp:\n"
            "    protocols:\n"
            "      grpc:\n"
            "        endpoint: 0.0.0.0:4317\n"
            "processors:\n"
            "  batch:\n"
            "exporters:\n"
            "  otlp/jaeger:\n"
            "    endpoint: jaeger.example.com:4317\n"
            "service:\n"
            "  pipelines:\n"
            "    traces:\n"
            "      receivers: [otlp]\n"
            "      processors: [memory_limiter, batch]  # expect: AL531\n"
            "      exporters: [otlp/tempo]  # expect: AL531\n"
            "    logs:\n"
            "      receivers: [otlp]\n"
            "      processors: [memory_limiter]\n"
            "      exporters: [otlp/jaeger, spanmetrics]  # expect: AL531\n"
            "connectors:\n"
            "  spanmetrics:\n",
            path="otel-collector-config.yaml",
            title="A processor never defined (reported once, at its first use), a misnamed exporter, a connector nothing receives from",
        ),
        Example.of(
            "apiVersion: opentelemetry.io/v1beta1\n"
            "kind: OpenTelemetryCollector\n"
            "metadata:\n"
            "  name: agents\n"
            "spec:\n"
            "  config:\n"
            "    receivers:\n"
            "      otlp:\n"
            "        protocols:\n"
            "          http: {}\n"
            "    exporters:\n"
            "      debug: {}\n"
            "    service:\n"
            "      extensions: [health_check]  # expect: AL531\n"
            "      pipelines:\n"
            "        traces:\n"
            "          receivers: [otlp]\n"
            "          processors: [otlp]  # expect: AL531\n"
            "          exporters: [debug]\n",
            path="k8s/collector.yaml",
            title="In an OpenTelemetryCollector resource: an undefined extension, a receiver listed as a processor",
        ),
    )


def _message(defined: dict[Section, set[str]], role: Section, component: str, pipeline: str) -> str:
    where = f"pipeline '{pipeline}'" if pipeline else "service.extensions"
    kind = role.singular
    wrong = [section for section in Section if component in defined[section]]
    text = f"{where} names {kind} '{component}', which is not defined under {role.value}"
    if wrong:
        text += f" (it is a {wrong[0].singular}, which cannot be used as a {kind})"
    else:
        candidates = sorted(c for s in _DEFINED_IN[role] for c in defined[s])[:200]  # bounded: difflib is quadratic
        close = difflib.get_close_matches(component, candidates, n=1)
        if close:
            text += f" (did you mean '{close[0]}'?)"
    return text + f": the Collector refuses to start ('references {kind} \"{component}\" which is not configured')"
