"""Instrumentation coverage, as facts: the spans a module opens by hand and the LLM calls it
makes inside or outside them (issue 10, point 3). The Python telemetry adapter emits them for
modules that open spans themselves; the AL54x rules judge them. Nothing here reads files.

A *manual span* is a ``with`` block of a tracer's ``start_as_current_span``/``start_span``
(OpenTelemetry) or ``start_as_current_span``/``start_as_current_generation``/
``start_as_current_observation`` (Langfuse), or a function decorated with one of them, with
Langfuse ``@observe`` or LangSmith ``@traceable``. An *LLM call* is a request made through a
client the module builds (``client.chat.completions.create``, ``llm.invoke``), the openai
module client, or ``litellm.completion``.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentlint.model.entities import Located
from agentlint.model.telemetry import Origin, TracingKind, TracingSetup


@dataclass(frozen=True, slots=True)
class ManualSpan(Located):
    """A span opened by hand. ``span`` is the ``with`` item or the decorator.

    - ``name``: the span name as written ("" when not a literal);
    - ``function``: the enclosing function, ``<module>`` at module level;
    - ``decorator``: the span covers a whole function (a decorator), not a block;
    - ``llm_calls``: LLM calls made inside it (nested blocks included);
    - ``attributes``: the attribute keys written on the span object in the block
      (``span.set_attribute("k", v)``, ``span.set_attributes({"k": v})``);
    - ``attributes_known``: every attribute write names its key statically and the span object
      goes nowhere else (not passed to a helper, not stored): only then is ``attributes``
      all there is.
    """

    name: str
    function: str
    decorator: bool
    llm_calls: int
    attributes: tuple[str, ...] = ()
    attributes_known: bool = False
    test_code: bool = False


@dataclass(frozen=True, slots=True)
class LLMCall(Located):
    """An LLM request in a module that opens spans by hand. ``span`` is the call.

    - ``library``: the client's library (``openai``, ``langchain-openai`` …);
    - ``call``: the callee as written (``client.chat.completions.create``);
    - ``function``: the enclosing function, ``<module>`` at module level;
    - ``in_span``: lexically inside a manual span (a ``with`` block, or a function decorated
      with a span decorator);
    - ``sibling_spans``: manual ``with`` spans the same function opens elsewhere (other work
      of that function is traced);
    - ``test_code``: the module is a test (``tests/``, ``test_*.py``, ``conftest.py``).
    """

    library: str
    call: str
    function: str
    in_span: bool
    sibling_spans: int
    test_code: bool = False


@dataclass(frozen=True, slots=True)
class ToolFunction(Located):
    """A tool defined by a decorator (LangChain ``@tool``, ``@mcp.tool()`` on a ``FastMCP``) in
    a module that opens spans by hand. ``span`` is the function definition.

    - ``framework``: ``langchain`` or ``mcp``;
    - ``traced``: decorated with a span decorator, or its body opens a span.
    """

    name: str
    framework: str
    traced: bool
    test_code: bool = False


# Set-ups written in code that create spans only where the code opens them: a provider, a
# client, a decorator. Every other set-up (an instrumentor, Traceloop, OpenLIT, langfuse.openai,
# an environment that turns a framework's tracing on) records LLM calls by itself.
MANUAL_SETUPS: frozenset[tuple[TracingKind, str]] = frozenset(
    {
        (TracingKind.OPENTELEMETRY, "TracerProvider"),
        (TracingKind.OPENTELEMETRY, "trace.set_tracer_provider"),
        (TracingKind.LANGFUSE, "Langfuse"),
        (TracingKind.LANGFUSE, "get_client"),
        (TracingKind.LANGFUSE, "@observe"),
        (TracingKind.LANGSMITH, "@traceable"),
        (TracingKind.LOGFIRE, "logfire.configure"),
        (TracingKind.PHOENIX, "phoenix.otel.register"),  # without auto_instrument=True: a provider only
    }
)


# OpenTelemetry instrumentors of web frameworks, databases and queues: they trace requests and
# queries, never an LLM call (HTTP client instrumentors do give LLM calls a span, so they are
# not listed).
NON_LLM_INSTRUMENTORS = frozenset(
    {
        "FastAPIInstrumentor",
        "FlaskInstrumentor",
        "DjangoInstrumentor",
        "StarletteInstrumentor",
        "SQLAlchemyInstrumentor",
        "RedisInstrumentor",
        "Psycopg2Instrumentor",
        "PsycopgInstrumentor",
        "AsyncPGInstrumentor",
        "PymongoInstrumentor",
        "CeleryInstrumentor",
        "LoggingInstrumentor",
        "SystemMetricsInstrumentor",
        "GrpcInstrumentorServer",
    }
)


def records_llm_calls(setup: TracingSetup) -> bool:
    """Whether ``setup`` may trace LLM calls without a span written around them. Set-ups from
    environments and configuration count (the zero-code ``opentelemetry-instrument`` agent,
    ``LANGSMITH_TRACING=true``): unknown is never missing."""
    if setup.origin is not Origin.CODE:
        return True
    if setup.kind is TracingKind.OPENTELEMETRY and setup.what in NON_LLM_INSTRUMENTORS:
        return False
    return (setup.kind, setup.what) not in MANUAL_SETUPS


USAGE_MARKERS = ("usage", "token")  # gen_ai.usage.input_tokens, llm.token_count.prompt, usage, tokens


def is_usage_attribute(key: str) -> bool:
    lowered = key.lower()
    return any(marker in lowered for marker in USAGE_MARKERS)
