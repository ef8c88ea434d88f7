"""The environment variables that decide what telemetry records and where it goes: one table,
read by the environment adapter (dotenv, compose, Kubernetes, Helm, Dockerfile, Actions) to
emit :class:`~agentlint.model.telemetry.TelemetrySwitch` and
:class:`~agentlint.model.telemetry.TracingSetup` facts. Nothing here reads files.

Sources (names, values and defaults as each library reads them):

- ``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT``: opentelemetry-util-genai (enum
  ``NO_CONTENT`` default, ``SPAN_ONLY``, ``EVENT_ONLY``, ``SPAN_AND_EVENT``) and older or
  other instrumentations (Elastic, Azure: boolean ``true``/``1``); default no content;
- ``TRACELOOP_TRACE_CONTENT``: traceloop-sdk ``(os.getenv(...) or "true").lower() == "true"``:
  content traced unless set to something else;
- ``OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA``: openai-agents ``run_config.py``, default
  ``"true"``, on for ``1/true/yes/on``;
- ``ADK_CAPTURE_MESSAGE_CONTENT_IN_SPANS``: google-adk, default true;
- ``AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED``: azure-ai-inference / azure-ai-projects
  tracing, default false;
- ``LANGSMITH_HIDE_INPUTS``/``_OUTPUTS`` (also ``LANGCHAIN_`` prefixed): langsmith, nothing
  hidden by default;
- ``OPENINFERENCE_HIDE_*``: openinference-instrumentation ``TraceConfig``, all false by default;
- ``OPENAI_LOG``: openai SDK (``debug`` logs request options, bodies included);
- ``LITELLM_LOG``: litellm (``DEBUG`` prints the raw request sent to the provider);
- ``OTEL_TRACES_SAMPLER`` (+ ``OTEL_TRACES_SAMPLER_ARG``): OpenTelemetry SDK environment
  variables, default ``parentbased_always_on``, ratio default 1.0;
- ``LANGFUSE_SAMPLE_RATE``: langfuse SDK, default 1.0;
- ``OTEL_EXPORTER_OTLP_INSECURE`` / ``_TRACES_INSECURE`` (default false) and
  ``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``_TRACES_ENDPOINT``: OTLP exporter specification.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

from agentlint.model.pins import has_placeholder
from agentlint.model.telemetry import Concern, TracingKind


class Verdict(enum.Enum):
    RISKY = "risky"  # the value turns the concern on
    SAFE = "safe"  # the value turns it off
    UNKNOWN = "unknown"  # set at deploy time (``${VAR}``) or a value the library ignores


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _flag(value: str, *, truthy: frozenset[str] = _TRUE, falsy: frozenset[str] = _FALSE) -> Verdict:
    word = value.strip().lower()
    if word in truthy:
        return Verdict.RISKY
    if word in falsy:
        return Verdict.SAFE
    return Verdict.UNKNOWN


def _capture(value: str) -> Verdict:
    word = value.strip().lower()
    if word in {"true", "1", "span_only", "event_only", "span_and_event"}:
        return Verdict.RISKY
    if word in {"false", "0", "no_content"}:
        return Verdict.SAFE
    return Verdict.UNKNOWN


def _traceloop(value: str) -> Verdict:
    # (os.getenv("TRACELOOP_TRACE_CONTENT") or "true").lower() == "true": empty means true
    word = value.strip().lower()
    return Verdict.RISKY if word in ("", "true") else Verdict.SAFE


def _hidden(value: str) -> Verdict:
    """``*_HIDE_*=false`` shows the content (risky); ``true`` hides it."""
    return {Verdict.RISKY: Verdict.SAFE, Verdict.SAFE: Verdict.RISKY, Verdict.UNKNOWN: Verdict.UNKNOWN}[_flag(value)]


def _openai_log(value: str) -> Verdict:
    word = value.strip().lower()
    return Verdict.RISKY if word == "debug" else Verdict.SAFE if word in ("info", "") else Verdict.UNKNOWN


def _litellm_log(value: str) -> Verdict:
    word = value.strip().upper()
    return Verdict.RISKY if word == "DEBUG" else Verdict.SAFE if word in ("INFO", "WARNING", "ERROR", "CRITICAL", "") else Verdict.UNKNOWN


_ALWAYS = frozenset({"always_on", "parentbased_always_on"})
_SAMPLERS = frozenset(
    {"always_off", "traceidratio", "parentbased_always_off", "parentbased_traceidratio", "parentbased_jaeger_remote", "jaeger_remote", "xray"}
)


def _sampler(value: str) -> Verdict:
    word = value.strip().lower()
    if word in _ALWAYS:
        return Verdict.RISKY
    return Verdict.SAFE if word in _SAMPLERS else Verdict.UNKNOWN


def ratio(value: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number == number else None  # NaN is no ratio


def _sample_rate(value: str) -> Verdict:
    number = ratio(value)
    if number is None:
        return Verdict.UNKNOWN
    return Verdict.RISKY if number >= 1.0 else Verdict.SAFE


_URL = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*)://(\[[^\]/]*\]|[^/:?#\s]*)")


def endpoint_host(value: str) -> tuple[str, str] | None:
    """(scheme, host) of an ``scheme://host[:port]/…`` endpoint, or None."""
    match = _URL.match(value)
    return (match.group(1).lower(), match.group(2).strip("[]").lower()) if match else None


class Reach(enum.Enum):
    LOOPBACK = "loopback"
    HOST = "host"  # the machine a container runs on (host.docker.internal)
    SAME_NETWORK = "same-network"  # a dotless name: a compose service or a Kubernetes service
    CLUSTER = "cluster"  # <service>.<namespace>.svc[.cluster.local]
    REMOTE = "remote"


# Names a container runtime gives the machine it runs on (Docker Desktop, Podman).
_HOST_GATEWAYS = frozenset({"host.docker.internal", "gateway.docker.internal", "host.containers.internal"})


def reach(host: str) -> Reach:
    if host in ("localhost", "ip6-localhost") or host.endswith(".localhost"):
        return Reach.LOOPBACK
    if host in _HOST_GATEWAYS:
        return Reach.HOST
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if "." not in host:
            return Reach.SAME_NETWORK
        if host.endswith((".svc", ".svc.cluster.local")):
            return Reach.CLUSTER
        return Reach.REMOTE
    # 0.0.0.0 / :: as a destination reach this host (the OS connects to a local address)
    return Reach.LOOPBACK if address.is_loopback or address.is_unspecified else Reach.REMOTE


_REACH_DETAIL = {
    Reach.LOOPBACK: "on this host (loopback)",
    Reach.HOST: "the machine the container runs on",
    Reach.SAME_NETWORK: "a service on the same compose or cluster network (a name without dots)",
    Reach.CLUSTER: "a service inside the Kubernetes cluster",
}


def _endpoint(value: str) -> Verdict:
    parts = endpoint_host(value)
    if parts is None:
        return Verdict.UNKNOWN
    scheme, host = parts
    if scheme == "https":
        return Verdict.SAFE
    if scheme != "http" or not host:
        return Verdict.UNKNOWN
    return Verdict.RISKY if reach(host) is Reach.REMOTE else Verdict.SAFE


def endpoint_detail(value: str) -> str:
    parts = endpoint_host(value)
    if parts is None:
        return ""
    scheme, host = parts
    if scheme != "http":
        return f"exports to {value.strip()}"
    where = reach(host)
    if where is Reach.REMOTE:
        return f"exports in plaintext to {value.strip()}, a host off this machine"
    return f"exports over http:// to {host}: {_REACH_DETAIL[where]}, not risky"


@dataclass(frozen=True, slots=True)
class EnvSwitch:
    """One environment variable: what it controls, how its values read, its default."""

    name: str
    concern: Concern
    judge: Callable[[str], Verdict]
    risky_means: str  # what a risky value does, for ``detail``
    fix: str
    default: str | None = None  # the value when unset, where documented
    default_risky: bool = False
    # Only emit the implicit default in an environment that shows this tracing is on there.
    implied_by: TracingKind | None = None


_CONTENT_FIX = "set it to false (or NO_CONTENT), or mask content in the collector before it is stored"

SWITCHES: tuple[EnvSwitch, ...] = (
    EnvSwitch(
        "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", Concern.CONTENT_CAPTURE, _capture,
        "GenAI instrumentations record prompts and completions on spans or events",
        "set OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=NO_CONTENT (false for boolean instrumentations)",
        default="NO_CONTENT",
    ),
    EnvSwitch(
        "TRACELOOP_TRACE_CONTENT", Concern.CONTENT_CAPTURE, _traceloop,
        "Traceloop/OpenLLMetry records prompts and completions on every LLM span",
        "set TRACELOOP_TRACE_CONTENT=false", default="true", default_risky=True, implied_by=TracingKind.TRACELOOP,
    ),
    EnvSwitch(
        "OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA", Concern.CONTENT_CAPTURE, _flag,
        "the OpenAI Agents SDK puts model and tool inputs and outputs in its traces",
        "set OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA=false", default="true", default_risky=True,
    ),
    EnvSwitch(
        "ADK_CAPTURE_MESSAGE_CONTENT_IN_SPANS", Concern.CONTENT_CAPTURE, _flag,
        "Google ADK records prompts and responses on its spans",
        "set ADK_CAPTURE_MESSAGE_CONTENT_IN_SPANS=false", default="true", default_risky=True,
    ),
    EnvSwitch(
        "AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED", Concern.CONTENT_CAPTURE, _flag,
        "Azure AI tracing records chat messages, tool arguments and results on spans",
        "set AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED=false", default="false",
    ),
    *(
        EnvSwitch(
            f"{prefix}_HIDE_{part}", Concern.CONTENT_CAPTURE, _hidden,
            f"LangSmith stores run {part.lower()} as sent", f"set {prefix}_HIDE_{part}=true", default="false",
        )
        for prefix in ("LANGSMITH", "LANGCHAIN")
        for part in ("INPUTS", "OUTPUTS")
    ),
    *(
        EnvSwitch(
            f"OPENINFERENCE_HIDE_{part}", Concern.CONTENT_CAPTURE, _hidden,
            f"OpenInference (Phoenix) records {part.lower().replace('_', ' ')} on spans",
            f"set OPENINFERENCE_HIDE_{part}=true", default="false",
        )
        for part in ("INPUTS", "OUTPUTS", "INPUT_MESSAGES", "OUTPUT_MESSAGES", "PROMPTS")
    ),
    EnvSwitch(
        "OPENAI_LOG", Concern.DEBUG_LOGGING, _openai_log,
        "the openai SDK logs every request's options, messages included",
        "unset OPENAI_LOG or set OPENAI_LOG=info",
    ),
    EnvSwitch(
        "LITELLM_LOG", Concern.DEBUG_LOGGING, _litellm_log,
        "litellm logs the raw request sent to the provider, messages included",
        "set LITELLM_LOG=INFO or WARNING",
    ),
    EnvSwitch(
        "OTEL_TRACES_SAMPLER", Concern.SAMPLING, _sampler,
        "every trace is kept, with every prompt it carries",
        "set OTEL_TRACES_SAMPLER=parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG below 1 (e.g. 0.1)",
        default="parentbased_always_on", default_risky=True, implied_by=TracingKind.OPENTELEMETRY,
    ),
    EnvSwitch(
        "LANGFUSE_SAMPLE_RATE", Concern.SAMPLING, _sample_rate,
        "Langfuse keeps every trace",
        "set LANGFUSE_SAMPLE_RATE below 1 (e.g. 0.1)", default="1.0", default_risky=True, implied_by=TracingKind.LANGFUSE,
    ),
    *(
        EnvSwitch(
            name, Concern.TRANSPORT, _flag, "the OTLP gRPC exporter sends traces without TLS",
            f"remove {name} and export over TLS", default="false",
        )
        for name in ("OTEL_EXPORTER_OTLP_INSECURE", "OTEL_EXPORTER_OTLP_TRACES_INSECURE")
    ),
    *(
        EnvSwitch(
            name, Concern.TRANSPORT, _endpoint, "traces, prompts included, cross the network in plaintext",
            "export over https:// (or to a collector on this host or network that forwards over TLS)",
        )
        for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    ),
)

BY_NAME: dict[str, EnvSwitch] = {switch.name: switch for switch in SWITCHES}


def is_deploy_time(value: str) -> bool:
    """A value the environment fills in when it runs (``${VAR}``, ``$(VAR)``, ``{{ .Values.x }}``,
    ``${{ secrets.X }}``): unknown here."""
    return has_placeholder(value) or "$(" in value


def judge(switch: EnvSwitch, value: str) -> Verdict:
    return Verdict.UNKNOWN if is_deploy_time(value) else switch.judge(value)


def sampler_keeps_all(sampler: str, arg: str | None) -> bool | None:
    """Whether a ratio sampler keeps every trace: its ratio (``OTEL_TRACES_SAMPLER_ARG``,
    default 1.0) is 1 or more. None when the ratio is not known."""
    if sampler.strip().lower() not in ("traceidratio", "parentbased_traceidratio"):
        return False
    if arg is None:
        return True
    if is_deploy_time(arg):
        return None
    number = ratio(arg)
    return None if number is None else number >= 1.0


# Variables whose presence (with a value that does not turn it off) turns tracing on.
_SETUP: tuple[tuple[str, TracingKind], ...] = (
    ("LANGSMITH_TRACING", TracingKind.LANGSMITH),
    ("LANGSMITH_TRACING_V2", TracingKind.LANGSMITH),
    ("LANGCHAIN_TRACING_V2", TracingKind.LANGSMITH),
    ("LANGCHAIN_TRACING", TracingKind.LANGSMITH),
    ("OTEL_EXPORTER_OTLP_ENDPOINT", TracingKind.OPENTELEMETRY),
    ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", TracingKind.OPENTELEMETRY),
    ("LANGFUSE_PUBLIC_KEY", TracingKind.LANGFUSE),
    ("TRACELOOP_API_KEY", TracingKind.TRACELOOP),
    ("TRACELOOP_BASE_URL", TracingKind.TRACELOOP),
    ("PHOENIX_COLLECTOR_ENDPOINT", TracingKind.PHOENIX),
    ("LOGFIRE_TOKEN", TracingKind.LOGFIRE),
)
_FLAGS = frozenset({"LANGSMITH_TRACING", "LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING"})
# A variable that turns a kind of tracing off wherever it is set to a true value.
_DISABLE = {
    TracingKind.OPENTELEMETRY: ("OTEL_SDK_DISABLED", "true"),
    TracingKind.TRACELOOP: ("TRACELOOP_TRACING_ENABLED", "false"),
    TracingKind.LANGFUSE: ("LANGFUSE_TRACING_ENABLED", "false"),
}


def tracing_turned_on(env: dict[str, str], names: frozenset[str] = frozenset()) -> list[tuple[str, TracingKind]]:
    """(variable, kind) for each variable of ``env`` that turns tracing on, in table order;
    one per kind. Flags count when true; endpoints and keys when set to anything. ``names``:
    variables also set, to values not known here (``valueFrom``), which count as companions."""
    found: list[tuple[str, TracingKind]] = []
    kinds: set[TracingKind] = set()
    for name, kind in _SETUP:
        if name not in env or kind in kinds:
            continue
        value = env[name].strip()
        if name in _FLAGS and value.lower() != "true":
            continue
        if not value:
            continue
        if kind is TracingKind.LANGFUSE and not ({"LANGFUSE_SECRET_KEY", "LANGFUSE_HOST", "LANGFUSE_BASE_URL"} & (env.keys() | names)):
            continue
        off = _DISABLE.get(kind)
        if off is not None and env.get(off[0], "").strip().lower() == off[1]:
            continue
        kinds.add(kind)
        found.append((name, kind))
    return found
