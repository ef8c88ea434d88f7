from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.telemetry import Concern
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule
from agentlint.rules.observability._switches import violations


class ContentCaptureEnabled(Rule):
    """Tracing set to record prompt and completion text.

    ## What it does
    Reports the settings that make tracing record the text of prompts, completions and tool
    arguments, wherever the project writes them: environment files, compose services,
    Kubernetes manifests, Dockerfiles and workflows
    (`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`, `span_only`, `event_only`;
    `TRACELOOP_TRACE_CONTENT=true`; `OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA=true`;
    `ADK_CAPTURE_MESSAGE_CONTENT_IN_SPANS=true`; `LANGSMITH_HIDE_INPUTS=false` …), set-up code
    (`Traceloop.init(trace_content=True)`, `openlit.init(capture_message_content=True)`,
    `RunConfig(trace_include_sensitive_data=True)`, Langfuse `@observe()` capturing inputs
    with no `mask`), and OpenTelemetry Collector `debug` exporters at `verbosity: detailed`
    in a traces or logs pipeline (they print every attribute, prompts included). A library
    that captures content by default is reported where it is set up, unless the project sets
    the environment variable that overrides the default (that setting is judged instead).
    Values in templates (`.env.example`, `.env.sample`) are recommendations: info.

    ## Why is this bad?
    Prompts and completions carry what users typed: names, addresses, health and account
    details, pasted documents and credentials. Recorded in spans, they are copied to every
    exporter and trace store, kept for their retention period and shown to everyone with
    access to the tracing UI. The seed's checklist asks that prompts are never stored or
    logged raw.

    ## How to fix
    Turn content capture off (`…_CAPTURE_MESSAGE_CONTENT=false`, `trace_content=False`,
    `capture_input=False`), or keep it on only with a masking function (Langfuse `mask=`)
    or a Collector `redaction`/`attributes` processor that deletes or hashes the GenAI
    content attributes before export.
    """

    code = "AL510"
    name = "content-capture-enabled"
    summary = "Tracing records prompt and completion text"
    severity = Severity.WARNING
    checklist = Checklist.PROMPTS_NOT_LOGGED_RAW
    entities = ("TelemetrySwitch",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        return violations(
            self, project, Concern.CONTENT_CAPTURE, "records prompt and completion text in traces",
            "turn content capture off, or mask content before export",
        )

    valid = (
        Example.of(
            "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=false\n"
            "OTEL_EXPORTER_OTLP_ENDPOINT=https://otel.example.com:4318\n",
            path=".env",
            title="Content capture written off",
        ),
        Example.of(
            "from traceloop.sdk import Traceloop\n\n"
            "Traceloop.init(app_name='support', trace_content=False)\n",
            path="app.py",
            title="Traceloop told not to record content",
        ),
    )
    invalid = (
        Example.of(
            "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true  # expect: AL510\n",
            path=".env",
            title="Prompts and completions recorded as span content",
        ),
        Example.of(
            "from traceloop.sdk import Traceloop\n\n"
            "Traceloop.init(app_name='support', trace_content=True)  # expect: AL510\n",
            path="app.py",
            title="Traceloop set to record prompts",
        ),
    )

