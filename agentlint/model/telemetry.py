"""Telemetry and logging settings, as facts: what a setting written in code or configuration
does to prompts, completions and traces. Adapters (Python set-up code, dotenv/compose/Kubernetes/
Dockerfile/Actions environments, OpenTelemetry Collector configs) emit them; the AL5xx rules
decide which are findings. Nothing here reads files.

A :class:`TelemetrySwitch` is one setting that matters to privacy or export safety, with the
verdict the setting's own documentation gives (``risky``), whether it was written or is the
library's default (``implicit``), and where the environment can override it (``env``): a
``TracerProvider()`` with no sampler reads ``OTEL_TRACES_SAMPLER``, so an explicit sampler in
any environment the project sets cancels the implicit always-on default.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from agentlint.model.entities import Located


class Concern(enum.Enum):
    """What a switch controls."""

    CONTENT_CAPTURE = "content-capture"  # prompts/completions recorded in spans, events or trace stores
    DEBUG_LOGGING = "debug-logging"  # a library's debug log, which carries request and response bodies
    SAMPLING = "sampling"  # which share of traces is kept (always-on keeps every prompt of every run)
    TRANSPORT = "transport"  # how traces leave the process or host (TLS or plaintext)


class Origin(enum.Enum):
    """Where the setting is written. TEMPLATE: a file that recommends values (``.env.example``,
    ``.env.sample``, ``.env.template``) rather than sets them: findings there are info."""

    CODE = "code"
    DOTENV = "dotenv"
    TEMPLATE = "template"
    COMPOSE = "compose"
    KUBERNETES = "kubernetes"
    HELM = "helm"
    DOCKERFILE = "dockerfile"
    ACTIONS = "actions"
    COLLECTOR = "collector"


@dataclass(frozen=True, slots=True)
class TelemetrySwitch(Located):
    """One privacy- or export-relevant setting. ``span`` is the value as written (the call or
    the name when the value is a default that nothing wrote).

    - ``setting``: what is set, as a user would search for it: an environment variable
      (``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT``), a keyword
      (``Traceloop.init(trace_content=)``), a config path (``exporters.otlp.tls.insecure``);
    - ``value``: as written; "" when the library default applies (``implicit``);
    - ``risky``: the value (or the default) turns the concern on: content captured, debug logs,
      every trace kept, plaintext export. Switches that turn it off are emitted too (``risky``
      False): they cancel implicit defaults elsewhere and show the item was checked;
    - ``env``: environment variables that override this setting when it is a default (empty
      when none can);
    - ``detail``: the fact a message needs ("exports to http://collector.example.com:4318");
    - ``fix``: what to write instead.
    """

    concern: Concern
    setting: str
    value: str
    risky: bool
    origin: Origin
    implicit: bool = False
    env: tuple[str, ...] = ()
    detail: str = ""
    fix: str = ""


class TracingKind(enum.Enum):
    OPENTELEMETRY = "opentelemetry"
    LANGFUSE = "langfuse"
    LANGSMITH = "langsmith"
    TRACELOOP = "traceloop"
    OPENLIT = "openlit"
    PHOENIX = "phoenix"  # Arize Phoenix / OpenInference
    OPENAI_AGENTS = "openai-agents"  # the Agents SDK's built-in tracing
    LOGFIRE = "logfire"
    MLFLOW = "mlflow"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class TracingSetup(Located):
    """Evidence that traces are produced: an SDK set up in code (``TracerProvider``, an
    instrumentor's ``instrument()``, ``Langfuse()``/``@observe``, ``Traceloop.init``), or an
    environment that turns tracing on (``LANGSMITH_TRACING=true``, ``OTEL_EXPORTER_OTLP_ENDPOINT``,
    ``LANGFUSE_PUBLIC_KEY``). ``what`` names it as written."""

    kind: TracingKind
    origin: Origin
    what: str
