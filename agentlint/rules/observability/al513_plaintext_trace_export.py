from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.telemetry import Concern
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule
from agentlint.rules.observability._switches import violations


class PlaintextTraceExport(Rule):
    """Traces exported off the host without TLS.

    ## What it does
    Reports trace exports that leave the host in plaintext: `OTEL_EXPORTER_OTLP_INSECURE=true`
    (and the `_TRACES_` variant), `OTEL_EXPORTER_OTLP_ENDPOINT` (or `_TRACES_ENDPOINT`) set to
    an `http://` URL whose host is not loopback, `OTLPSpanExporter(insecure=True)` or an
    `http://` endpoint in code, and OpenTelemetry Collector exporters with `tls.insecure: true`
    or an `http://` endpoint in a traces or logs pipeline. Loopback hosts and single-label
    service names (`otel-collector:4317`, `tempo`: the same compose network or cluster) are
    not reported; values taken from the environment (`${env:ENDPOINT}`) are unknown and not
    reported. Values in templates (`.env.example`) are recommendations: info.

    ## Why is this bad?
    Agent spans carry prompts, completions, tool arguments and often identifiers of users.
    Sent in plaintext across a network, they can be read or altered by anyone on the path;
    the seed's checklist asks that trace exports are encrypted.

    ## How to fix
    Export over TLS: an `https://` endpoint, `insecure: false` (the default) with the
    backend's CA in `tls.ca_file`, or keep plaintext only to a collector on the same host or
    private network (`localhost`, a compose service name).
    """

    code = "AL513"
    name = "plaintext-trace-export"
    summary = "Traces exported without TLS"
    severity = Severity.WARNING
    checklist = Checklist.EXPORTS_ENCRYPTED
    entities = ("TelemetrySwitch",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        return violations(
            self, project, Concern.TRANSPORT, "sends traces without TLS", "export over https:// (TLS)",
        )

    valid = (
        Example.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT=https://otel.example.com:4318\n",
            path=".env",
            title="TLS to a remote backend",
        ),
        Example.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318\n",
            path=".env",
            title="Plaintext to a collector on the same compose network",
        ),
    )
    invalid = (
        Example.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT=http://otel.example.com:4318  # expect: AL513\n",
            path=".env",
            title="Plaintext across the network",
        ),
        Example.of(
            "from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter\n\n"
            "exporter = OTLPSpanExporter(endpoint='otel.example.com:4317', insecure=True)  # expect: AL513\n",
            path="tracing.py",
            title="A gRPC exporter without TLS",
        ),
    )
