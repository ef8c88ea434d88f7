from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.collector import (
    CONTENT_KEYS,
    CONTENT_SIGNALS,
    INDEXED_CONTENT_KEYS,
    NOT_STORED,
    SCRUB_TYPES,
    CollectorConfig,
    Pipeline,
    Section,
    component_type,
)
from agentlint.model.project import Project
from agentlint.model.telemetry import Concern, Origin, TelemetrySwitch, TracingKind, TracingSetup
from agentlint.rule import Example, Rule

_GENAI_TRACING = frozenset(TracingKind) - {TracingKind.OPENTELEMETRY, TracingKind.OTHER}


class CollectorKeepsGenAIContent(Rule):
    """A Collector pipeline exports the prompts and completions of an LLM application unredacted.

    ## What it does
    Reports each traces or logs pipeline of an OpenTelemetry Collector config that receives
    OTLP telemetry (an `otlp` receiver, directly or through a connector) and exports it to a
    backend (any exporter but `nop`, `debug` and `logging`) while no processor on its way
    removes, hashes or masks every GenAI content attribute: `gen_ai.input.messages`,
    `gen_ai.output.messages`, `gen_ai.system_instructions` (current semantic conventions) and
    `gen_ai.prompt*`, `gen_ai.completion*` (the names OpenLLMetry and older instrumentations
    still emit). It counts a `redaction` processor (its allowlist, `blocked_values`,
    `blocked_key_patterns`), `attributes` actions `delete`/`hash` (by key or regex) and
    `update`/`upsert`, and `transform` statements `delete_key`, `delete_matching_keys`,
    `keep_keys`, `keep_matching_keys`, `replace_pattern`, `replace_all_patterns` and
    `set(attributes["…"], …)` (not `Substring`: truncation is not masking), and a `filter`
    condition on `gen_ai` telemetry (it drops the spans or events it matches). A processor counts
    only where a pipeline uses it. A pipeline that removes some of the keys is reported with
    the ones it misses. A processor entry the file does not state (`${env:SCRUB}`,
    `redaction/${env:ENV}`) may be a scrub: that pipeline is not reported
    (`batch/${env:ENV}` cannot be one).

    GenAI telemetry is judged to reach the Collector only when the project shows an LLM
    application: an agent, an LLM client, a GenAI tracing SDK (Traceloop, OpenLIT, Phoenix,
    Langfuse, the Agents SDK …) or an environment that turns content capture on. A Collector
    config alone (an observability stack for other services) is not reported.

    ## Why is this bad?
    Agent frameworks and GenAI instrumentations put whole conversations in span attributes:
    user messages with names, e-mail addresses and account numbers, retrieved documents, tool
    results. A Collector that forwards them as they are copies that personal data to every trace
    backend, with its own retention and access rules. The Collector is the one place that sees
    every service's telemetry, so it is where content is removed or masked before export.

    ## How to fix
    Add a processor to the pipeline that deletes (or hashes) the content attributes, for
    example `attributes/genai-scrub` with `delete` actions on each key and
    `pattern: ^gen_ai\\.(prompt|completion)(\\..*)?$`, or a `redaction` processor with
    `blocked_key_patterns`.
    """

    code = "AL530"
    name = "collector-keeps-genai-content"
    summary = "Collector exports GenAI prompts and completions unredacted"
    severity = Severity.WARNING
    checklist = Checklist.PII_MASKED
    entities = ("CollectorConfig",)  # agents, LLM clients, tracing set-ups and switches are only looked up

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        configs = project.of(CollectorConfig)
        evidence = _genai_evidence(project) if configs else None
        if evidence is None:
            return
        for config in configs:
            receives, covers, connectors = config.receives_otlp(), config.content_covered(), config.connectors()
            for pipeline in config.pipelines:
                if pipeline.signal not in CONTENT_SIGNALS or not pipeline.complete or pipeline.may_hide(Section.PROCESSORS, SCRUB_TYPES):
                    continue
                exporters = [e.id for e in config.exports_out(pipeline, connectors) if component_type(e.id) not in NOT_STORED]
                if not exporters or not receives.get(pipeline.id):
                    continue
                covered = covers[pipeline.id]
                missing = [key for key in CONTENT_KEYS if key not in covered]
                if missing:
                    yield self.violation(
                        _message(config, pipeline, exporters, covered, missing),
                        pipeline,
                        args=(pipeline.id, *missing),
                        related=(evidence,),
                    )

    valid = (
        Example(
            (
                ("app.py", "from openai import OpenAI\n\nclient = OpenAI(timeout=30)\n"),
                (
                    "otel-collector-config.yaml",
                    "receivers:\n"
                    "  otlp:\n"
                    "    protocols:\n"
                    "      grpc:\n"
                    "        endpoint: 0.0.0.0:4317\n"
                    "processors:\n"
                    "  batch: {}\n"
                    "  attributes/genai-scrub:\n"
                    "    actions:\n"
                    "      - {key: gen_ai.input.messages, action: delete}\n"
                    "      - {key: gen_ai.output.messages, action: delete}\n"
                    "      - {key: gen_ai.system_instructions, action: hash}\n"
                    "      - {pattern: '^gen_ai\\.(prompt|completion)(\\..*)?$', action: delete}\n"
                    "exporters:\n"
                    "  otlphttp/langfuse:\n"
                    "    endpoint: https://cloud.langfuse.com/api/public/otel\n"
                    "service:\n"
                    "  pipelines:\n"
                    "    traces:\n"
                    "      receivers: [otlp]\n"
                    "      processors: [attributes/genai-scrub, batch]\n"
                    "      exporters: [otlphttp/langfuse]\n",
                ),
            ),
            title="An attributes processor deletes every content key (the legacy ones by pattern)",
        ),
        Example(
            (
                ("agent.py", "from openai import OpenAI\n\nclient = OpenAI(timeout=30)\n"),
                (
                    "otelcol.yaml",
                    "receivers:\n"
                    "  otlp:\n"
                    "    protocols:\n"
                    "      http:\n"
                    "processors:\n"
                    "  transform/genai:\n"
                    "    trace_statements:\n"
                    "      - context: span\n"
                    "        statements:\n"
                    "          - delete_matching_keys(attributes, \"^gen_ai\\\\.(input|output)\\\\.messages$\")\n"
                    "          - set(attributes[\"gen_ai.system_instructions\"], SHA256(attributes[\"gen_ai.system_instructions\"]))\n"
                    "          - delete_matching_keys(attributes, \"^gen_ai\\\\.(prompt|completion)\")\n"
                    "  redaction/logs:\n"
                    "    allow_all_keys: true\n"
                    "    blocked_values: ['[\\w.+-]+@[\\w-]+\\.[\\w.]+']\n"
                    "exporters:\n"
                    "  otlp/tempo:\n"
                    "    endpoint: tempo.example.com:4317\n"
                    "  otlphttp/loki:\n"
                    "    endpoint: https://loki.example.com/otlp\n"
                    "  debug: {}\n"
                    "service:\n"
                    "  pipelines:\n"
                    "    traces:\n"
                    "      receivers: [otlp]\n"
                    "      processors: [transform/genai]\n"
                    "      exporters: [otlp/tempo]\n"
                    "    logs:\n"
                    "      receivers: [otlp]\n"
                    "      processors: [redaction/logs]\n"
                    "      exporters: [otlphttp/loki]\n"
                    "    logs/console:\n"
                    "      receivers: [otlp]\n"
                    "      exporters: [debug]\n",
                ),
            ),
            title="OTTL deletes and hashes in traces, redaction masks values in logs; a debug-only pipeline stores nothing",
        ),
    )
    invalid = (
        Example(
            (
                ("app.py", "from openai import OpenAI\n\nclient = OpenAI(timeout=30)\n"),
                (
                    "otel-collector-config.yaml",
                    "receivers:\n"
                    "  otlp:\n"
                    "    protocols:\n"
                    "      grpc:\n"
                    "        endpoint: 0.0.0.0:4317\n"
                    "processors:\n"
                    "  batch:\n"
                    "    timeout: 1s\n"
                    "  attributes:\n"
                    "    actions:\n"
                    "      - key: service.name\n"
                    "        value: okta-mcp-server\n"
                    "        action: insert\n"
                    "exporters:\n"
                    "  otlp/jaeger:\n"
                    "    endpoint: jaeger:4317\n"
                    "    tls:\n"
                    "      insecure: true\n"
                    "service:\n"
                    "  pipelines:\n"
                    "    traces:  # expect: AL530\n"
                    "      receivers: [otlp]\n"
                    "      processors: [batch, attributes]\n"
                    "      exporters: [otlp/jaeger]\n",
                ),
            ),
            title="A pipeline that only adds attributes (an MCP server's collector)",
        ),
        Example(
            (
                ("agent.py", "from openai import OpenAI\n\nclient = OpenAI(timeout=30)\n"),
                (
                    "otel-collector/config.yaml",
                    "receivers:\n"
                    "  otlp:\n"
                    "    protocols:\n"
                    "      grpc:\n"
                    "        endpoint: 0.0.0.0:4317\n"
                    "processors:\n"
                    "  batch:\n"
                    "    timeout: 5s\n"
                    "  attributes/scrub:\n"
                    "    actions:\n"
                    "      - key: gen_ai.prompt\n"
                    "        action: delete\n"
                    "      - key: gen_ai.completion\n"
                    "        action: delete\n"
                    "exporters:\n"
                    "  otlp/tempo:\n"
                    "    endpoint: tempo:4317\n"
                    "service:\n"
                    "  pipelines:\n"
                    "    traces:  # expect: AL530\n"
                    "      receivers: [otlp]\n"
                    "      processors: [attributes/scrub, batch]\n"
                    "      exporters: [otlp/tempo]\n",
                ),
            ),
            title="Only the deprecated names are deleted: gen_ai.input.messages and the others pass",
        ),
    )


def _genai_evidence(project: Project) -> Location | None:
    """Where the project shows that GenAI telemetry is produced, or None."""
    for agent in project.agents():
        return agent.location(note=f"agent '{agent.name}'")
    for client in project.clients:
        return client.location(note=f"LLM client {client.constructor}(...)")
    for setup in project.of(TracingSetup):
        if setup.kind in _GENAI_TRACING:
            return setup.location(note=f"GenAI tracing: {setup.what}")
    for switch in project.of(TelemetrySwitch):
        if switch.concern is Concern.CONTENT_CAPTURE and switch.risky and switch.origin is not Origin.COLLECTOR:
            return switch.location(note=f"content capture on: {switch.setting}")
    return None


def _shown(keys: list[str] | frozenset[str]) -> str:
    return ", ".join(f"{key}*" if key in INDEXED_CONTENT_KEYS else key for key in CONTENT_KEYS if key in keys)


def _message(config: CollectorConfig, pipeline: Pipeline, exporters: list[str], covered: frozenset[str], missing: list[str]) -> str:
    kind = "traces" if pipeline.signal == "traces" else "logs"
    head = f"{kind} pipeline '{pipeline.id}' exports the LLM application's telemetry ({', '.join(exporters)})"
    if covered:
        text = f"{head} with some GenAI content intact: its processors remove {_shown(covered)} but not {_shown(missing)}"
    else:
        text = f"{head} with prompts and completions intact: no processor removes or masks {_shown(missing)}"
    here = {use.id for use in pipeline.processors}
    unused = sorted({e.processor for e in config.edits if e.processor not in here and any(e.covers(k) for k in missing)})
    if unused:
        text += f" ({', '.join(unused)} would, but this pipeline does not use {'it' if len(unused) == 1 else 'them'})"
    return text
