"""How traces leave the process and which share is kept, as written in Python (issue 10,
point 2), and the set-up calls that say tracing is on at all.

* Transport: ``OTLPSpanExporter``/``OTLPLogExporter`` (gRPC and HTTP), ``openlit.init
  (otlp_endpoint=)``, ``Traceloop.init(api_endpoint=)``, Phoenix ``register(endpoint=)``. An
  ``http://`` endpoint to a host off the machine and its networks is plaintext (risky); loopback,
  a dotless service name (``otel-collector:4317``, the compose or cluster network) and
  ``<service>.<namespace>.svc`` are not (said in ``detail``; hosts are placed by
  ``model/telemetry_env.reach``, as for environment files); ``https://`` is TLS. A gRPC endpoint without a scheme is plaintext only with
  ``insecure=True`` (the scheme overrides ``insecure``). An endpoint the code does not state
  (``os.environ[...]``, a parameter) is unknown: no switch. No endpoint means the local default.
* Sampling: ``TracerProvider()`` without ``sampler=`` is always on unless
  ``OTEL_TRACES_SAMPLER`` says otherwise (implicit, overridable): risky only in a module that
  imports a GenAI library or instrumentation (its spans carry prompts); elsewhere no switch.
  ``ALWAYS_ON``/``ParentBased(ALWAYS_ON)``/a ratio of 1 or more are explicit always-on;
  ``TraceIdRatioBased(0.1)``, ``ParentBased(TraceIdRatioBased(...))`` and ``ALWAYS_OFF`` are not
  risky; a custom sampler is unknown.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import MISSING, CallSite, FunctionScope, argument
from agentlint.adapters._code.telemetry_common import Emitter, sends_genai, truth
from agentlint.model.telemetry import Concern, TracingKind
from agentlint.model.telemetry_env import Reach, reach

T, S = Concern.TRANSPORT, Concern.SAMPLING
_ENDPOINTS: dict[str, tuple[str, str]] = {  # callee -> (endpoint keyword, label)
    "openlit.init": ("otlp_endpoint", "openlit.init"),
    "traceloop.sdk.Traceloop.init": ("api_endpoint", "Traceloop.init"),
    "phoenix.otel.register": ("endpoint", "register"),
}
_ON = frozenset({"ALWAYS_ON", "DEFAULT_ON"})
_OFF = frozenset({"ALWAYS_OFF", "DEFAULT_OFF"})
_SETUPS = {
    "opentelemetry.sdk.trace.TracerProvider": (TracingKind.OPENTELEMETRY, "TracerProvider"),
    "opentelemetry.trace.set_tracer_provider": (TracingKind.OPENTELEMETRY, "trace.set_tracer_provider"),
    "logfire.configure": (TracingKind.LOGFIRE, "logfire.configure"),
    "langsmith.wrappers.wrap_openai": (TracingKind.LANGSMITH, "wrap_openai"),
    "langsmith.wrappers.wrap_anthropic": (TracingKind.LANGSMITH, "wrap_anthropic"),
}
_AGENT_PROCESSORS = ("set_trace_processors", "add_trace_processor")


def setups(em: Emitter, site: CallSite) -> None:
    callee = site.callee or ""
    found = _SETUPS.get(callee)
    if found is not None:
        em.setup(site.call, site.scope, *found)
    elif callee.startswith("logfire.instrument_"):
        em.setup(site.call, site.scope, TracingKind.LOGFIRE, callee)
    elif callee.startswith("mlflow.") and callee.endswith(".autolog"):
        em.setup(site.call, site.scope, TracingKind.MLFLOW, callee)
    elif callee.startswith("agents.") and callee.rpartition(".")[2] in _AGENT_PROCESSORS:
        em.setup(site.call, site.scope, TracingKind.OPENAI_AGENTS, callee.rpartition(".")[2])


# -- transport --------------------------------------------------------------------------------


def host_of(url: str) -> tuple[str, str]:
    """(scheme, host) of an endpoint (``"http"``, ``"collector.example.com"``); scheme "" when
    the endpoint has none (``collector:4317``)."""
    scheme, sep, rest = url.strip().partition("://")
    if not sep:
        scheme, rest = "", url.strip()
    authority = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    if authority.startswith("["):
        host = authority[1:].split("]", 1)[0]
    else:
        host = authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority
    return scheme.lower(), host.lower()


def endpoint_verdict(url: str, insecure: bool | None) -> tuple[bool, str] | None:
    """(risky, detail) for an endpoint, None when the transport cannot be told."""
    scheme, host = host_of(url)
    if not host:
        return None
    plaintext = scheme == "http" or (scheme == "" and insecure is True)
    if scheme == "" and insecure is None:
        return None  # OTEL_EXPORTER_OTLP_INSECURE may decide
    if scheme not in ("", "http", "https", "grpc", "grpcs"):
        return None
    if not plaintext:
        return False, f"exports to {url} over TLS"
    where = reach(host)
    if where is Reach.LOOPBACK:
        return False, f"exports to {url}: loopback, plaintext never leaves the host"
    if where is Reach.SAME_NETWORK:
        return False, f"exports to {url}: '{host}' is a service on the same compose or cluster network, plaintext stays on it"
    if where is not Reach.REMOTE:
        return False, f"exports to {url}: {host} is {'inside the Kubernetes cluster' if where is Reach.CLUSTER else 'the machine the container runs on'}"
    return True, f"exports to {url} without TLS: prompts in spans cross the network in plaintext"


def transport(em: Emitter, site: CallSite) -> None:
    callee, call, facts = site.callee or "", site.call, em.facts
    if callee.startswith("opentelemetry.exporter.otlp") and callee.rpartition(".")[2] in ("OTLPSpanExporter", "OTLPLogExporter"):
        label = callee.rpartition(".")[2]
        grpc = ".grpc." in callee
        endpoint = argument(call, "endpoint", 0)
        insecure_expr = argument(call, "insecure", 1) if grpc else MISSING
        insecure: bool | None = False if insecure_expr is MISSING else None
        if isinstance(insecure_expr, ast.expr):
            insecure = truth(facts, insecure_expr, site.scope)[0]
        if not isinstance(endpoint, ast.expr):
            return  # the local default, or **kwargs
        _endpoint_switch(em, endpoint, site.scope, label, insecure, insecure_expr)
    elif callee in _ENDPOINTS:
        keyword, label = _ENDPOINTS[callee]
        endpoint = argument(call, keyword)
        if isinstance(endpoint, ast.expr):
            _endpoint_switch(em, endpoint, site.scope, label, False, MISSING)


def _endpoint_switch(em: Emitter, endpoint: ast.expr, scope: FunctionScope | None, label: str, insecure: bool | None, insecure_expr: object) -> None:
    value = em.facts.value(endpoint, scope)
    if not isinstance(value, Static) or not isinstance(value.value, str) or value.env:
        return  # from the environment: unknown here
    verdict = endpoint_verdict(value.value, insecure)
    if verdict is None:
        return
    risky, detail = verdict
    scheme, _ = host_of(value.value)
    at, setting = (endpoint, f"{label}(endpoint=)")
    if scheme == "" and isinstance(insecure_expr, ast.expr):
        at, setting = insecure_expr, f"{label}(insecure=)"
    em.switch(at, scope, T, setting, value.value, risky, detail=detail,
              fix="export over TLS (https://, or a gRPC endpoint without insecure=True)" if risky else "")


# -- sampling ---------------------------------------------------------------------------------


def sampling(em: Emitter, site: CallSite) -> None:
    if site.callee != "opentelemetry.sdk.trace.TracerProvider":
        return
    sampler = argument(site.call, "sampler", 0)
    if isinstance(sampler, ast.Constant) and sampler.value is None:
        sampler = MISSING
    if sampler is MISSING:
        genai = sends_genai(em.facts)
        if genai is not None:
            em.switch(site.call, site.scope, S, "TracerProvider(sampler=)", "", True, implicit=True, env=("OTEL_TRACES_SAMPLER",),
                      detail=f"the default sampler keeps every trace, and this module's spans carry {genai} prompts",
                      fix="pass sampler=ParentBased(TraceIdRatioBased(0.1)) or set OTEL_TRACES_SAMPLER=parentbased_traceidratio")
        return
    if not isinstance(sampler, ast.expr):
        return
    verdict = _sampler(em, sampler, site.scope, 0)
    if verdict is None:
        return
    risky, detail = verdict
    em.switch(sampler, site.scope, S, "TracerProvider(sampler=)", em.facts.module.segment(sampler), risky, detail=detail,
              fix="sample a share of traces: ParentBased(TraceIdRatioBased(0.1))" if risky else "")


def _sampler(em: Emitter, expr: ast.expr, scope: FunctionScope | None, depth: int) -> tuple[bool, str] | None:
    facts = em.facts
    if depth > 4:
        return None
    name = facts.qualname(expr) or ""
    last = name.rpartition(".")[2]
    if name.startswith("opentelemetry.sdk.trace.sampling.") and last in _ON | _OFF:
        return (True, "keeps every trace") if last in _ON else (False, "keeps no trace")
    if isinstance(expr, ast.Name) and not name:
        bindings = scope.bindings if scope is not None and expr.id in scope.bindings else facts.bindings
        bound = bindings.get(expr.id)
        return _sampler(em, bound, scope if bindings is not facts.bindings else None, depth + 1) if bound is not None else None
    if not isinstance(expr, ast.Call):
        return None
    callee = facts.qualname(expr.func) or ""
    if not callee.startswith("opentelemetry.sdk.trace.sampling."):
        return None
    kind = callee.rpartition(".")[2]
    if kind in ("TraceIdRatioBased", "ParentBasedTraceIdRatio"):
        rate = argument(expr, "rate", 0)
        value = facts.value(rate, scope) if isinstance(rate, ast.expr) else None
        number = value.number() if isinstance(value, Static) else None
        if number is None:
            return None
        return (True, f"a ratio of {number} keeps every trace") if number >= 1 else (False, f"keeps {number:g} of traces")
    if kind == "ParentBased":
        root = argument(expr, "root", 0)
        return _sampler(em, root, scope, depth + 1) if isinstance(root, ast.expr) else None
    return None
