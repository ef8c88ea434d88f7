from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.telemetry import Concern
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule
from agentlint.rules.observability._switches import violations


class TracesNotSampled(Rule):
    """Every trace kept: an always-on sampler, written or by default.

    ## What it does
    Reports tracing that keeps every trace: `OTEL_TRACES_SAMPLER=always_on` (or
    `parentbased_always_on`) in env files, compose services, manifests and workflows; a
    `TracerProvider` built with `ALWAYS_ON` or with no sampler in code that sends GenAI spans
    (the SDK then samples everything unless `OTEL_TRACES_SAMPLER` says otherwise);
    `LANGFUSE_SAMPLE_RATE=1`; and OpenTelemetry Collector traces pipelines with neither a
    `probabilistic_sampler` nor a `tail_sampling` processor. A default is not reported when
    the project samples somewhere else — a ratio sampler in code, `OTEL_TRACES_SAMPLER` set to
    a ratio, or a sampling processor in a Collector pipeline — since one sampling stage is
    enough. Values in templates (`.env.example`) are recommendations: info.

    ## Why is this bad?
    Agent traces are large — every prompt, completion and tool call of every step — and an
    agent run makes many of them. Keeping all of them multiplies the cost of the trace
    backend with traffic and keeps more user content than anyone will read. The seed's
    checklist asks that traces are sampled: keep errors and a representative share, not
    everything.

    ## How to fix
    Sample at the SDK (`OTEL_TRACES_SAMPLER=parentbased_traceidratio` with
    `OTEL_TRACES_SAMPLER_ARG=0.1`, or `TracerProvider(sampler=ParentBased(TraceIdRatioBased(0.1)))`)
    or in the Collector (`probabilistic_sampler`, or `tail_sampling` that keeps errors and
    slow traces).
    """

    code = "AL512"
    name = "traces-not-sampled"
    summary = "Every trace kept (no sampling)"
    severity = Severity.WARNING
    checklist = Checklist.TRACES_SAMPLED
    entities = ("TelemetrySwitch",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        return violations(
            self, project, Concern.SAMPLING, "keeps every trace",
            "sample a share of traces at the SDK or in the Collector", one_stage=True,
        )

    valid = (
        Example.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT=https://otel.example.com:4318\n"
            "OTEL_TRACES_SAMPLER=parentbased_traceidratio\n"
            "OTEL_TRACES_SAMPLER_ARG=0.1\n",
            path=".env",
            title="A ratio sampler",
        ),
    )
    invalid = (
        Example.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT=https://otel.example.com:4318\n"
            "OTEL_TRACES_SAMPLER=always_on  # expect: AL512\n",
            path=".env",
            title="Every trace kept",
        ),
    )

