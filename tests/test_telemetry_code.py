"""Telemetry and logging set-up in Python code (issue 10, points 2 and 3): the TelemetrySwitch,
TracingSetup, ManualSpan, LLMCall and ToolFunction entities of adapters/telemetry_code.py with
exact settings, verdicts and lines; unknown values give no switch; the coverage rules AL540,
AL541, AL542 and AL543 on whole projects; and a fuzz test that the adapter never raises on generated sources."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.telemetry_code import ADAPTER
from agentlint.loaders.python import load_python
from agentlint.model.instrumentation import LLMCall, ManualSpan, ToolFunction
from agentlint.model.telemetry import Origin, TelemetrySwitch, TracingKind, TracingSetup
from tests.helpers import project_findings

CODES = ("AL540", "AL541", "AL542", "AL543")


def entities(source: str, path: str = "app.py") -> list[object]:
    return ADAPTER.adapt(load_python(path, source)).entities


def switches(source: str, path: str = "app.py") -> list[tuple[str, str, bool, bool, int, tuple[str, ...]]]:
    """(concern, setting, risky, implicit, line, env) of every switch, in line order."""
    found = [e for e in entities(source, path) if isinstance(e, TelemetrySwitch)]
    assert all(s.origin is Origin.CODE for s in found)
    return sorted((s.concern.value, s.setting, s.risky, s.implicit, s.span.start.line, s.env) for s in found)


def setups(source: str) -> list[tuple[TracingKind, str, int]]:
    return sorted(
        ((e.kind, e.what, e.span.start.line) for e in entities(source) if isinstance(e, TracingSetup)), key=lambda t: (t[2], t[1])
    )


def findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int]]:
    return [(code, path, line) for code, path, line, _ in project_findings(tmp_path, files, CODES)]


# -- debug logging ----------------------------------------------------------------------------


def test_debug_logging_switches() -> None:
    source = (
        "import logging\n"  # 1
        "import os\n"
        "import litellm\n"
        "from openai import OpenAI\n"
        "from langchain.globals import set_debug, set_verbose\n"  # 5
        "\n"
        "logging.basicConfig(level=logging.DEBUG)\n"
        "logging.getLogger('openai').setLevel('DEBUG')\n"
        "log = logging.getLogger('httpx')\n"
        "log.setLevel(10)\n"  # 10
        "litellm.set_verbose = True\n"
        "litellm._turn_on_debug()\n"
        "os.environ['OPENAI_LOG'] = 'debug'\n"
        "set_debug(True)\n"
        "set_verbose(False)\n"  # 15
        "logging.getLogger('app').setLevel(logging.DEBUG)\n"
        "logging.getLogger('openai').setLevel(logging.WARNING)\n"
        "logging.basicConfig(level=os.getenv('LOG_LEVEL', 'DEBUG'))\n"
        "logging.basicConfig(level=settings.level)\n"
    )
    assert switches(source) == [
        ("debug-logging", "OPENAI_LOG", True, False, 13, ()),
        ("debug-logging", "litellm._turn_on_debug()", True, False, 12, ()),
        ("debug-logging", "litellm.set_verbose", True, False, 11, ()),
        ("debug-logging", "logging.basicConfig(level=)", True, False, 7, ()),
        ("debug-logging", "logging.basicConfig(level=)", True, False, 18, ("LOG_LEVEL",)),
        ("debug-logging", "logging.getLogger('httpx').setLevel()", True, False, 10, ()),
        ("debug-logging", "logging.getLogger('openai').setLevel()", True, False, 8, ()),
        ("debug-logging", "set_debug()", True, False, 14, ()),
    ]


def test_basic_config_debug_without_an_llm_library_is_no_switch() -> None:
    assert switches("import logging\nimport opentelemetry\n\nlogging.basicConfig(level=logging.DEBUG)\n") == []


# -- content capture --------------------------------------------------------------------------


def test_content_capture_defaults_and_explicit_values() -> None:
    source = (
        "import openlit\n"  # 1
        "from traceloop.sdk import Traceloop\n"
        "from agents import RunConfig, Runner\n"
        "from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor\n"
        "from openinference.instrumentation.langchain import LangChainInstrumentor\n"  # 5
        "from openinference.instrumentation import TraceConfig\n"
        "\n"
        "Traceloop.init(app_name='support-bot')\n"
        "openlit.init(otlp_endpoint='https://otlp.example.com', capture_message_content=False)\n"
        "quiet = RunConfig(workflow_name='triage', trace_include_sensitive_data=False)\n"  # 10
        "loud = RunConfig(workflow_name='triage')\n"
        "off = RunConfig(tracing_disabled=True)\n"
        "unknown = RunConfig(trace_include_sensitive_data=settings.sensitive)\n"
        "OpenAIInstrumentor().instrument()\n"
        "LangChainInstrumentor().instrument()\n"  # 15
        "LangChainInstrumentor().instrument(config=TraceConfig(hide_inputs=True, hide_outputs=True))\n"
    )
    assert switches(source) == [
        ("content-capture", "OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA", True, True, 11, ("OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA",)),
        ("content-capture", "OPENINFERENCE_HIDE_INPUTS", True, True, 15, ("OPENINFERENCE_HIDE_INPUTS", "OPENINFERENCE_HIDE_OUTPUTS")),
        ("content-capture", "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", False, True, 14,
         ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT",)),
        ("content-capture", "RunConfig(trace_include_sensitive_data=)", False, False, 10, ()),
        ("content-capture", "RunConfig(trace_include_sensitive_data=)", False, False, 12, ()),
        ("content-capture", "TRACELOOP_TRACE_CONTENT", True, True, 8, ("TRACELOOP_TRACE_CONTENT",)),
        ("content-capture", "TraceConfig(hide_inputs=, hide_outputs=)", False, False, 16, ()),
        ("content-capture", "openlit.init(capture_message_content=)", False, False, 9, ()),
        ("transport", "openlit.init(endpoint=)", False, False, 9, ()),
    ]
    assert setups(source) == [
        (TracingKind.TRACELOOP, "Traceloop.init", 8),
        (TracingKind.OPENLIT, "openlit.init", 9),
        (TracingKind.OPENTELEMETRY, "OpenAIInstrumentor", 14),
        (TracingKind.PHOENIX, "LangChainInstrumentor", 15),
        (TracingKind.PHOENIX, "LangChainInstrumentor", 16),
    ]


def test_langfuse_one_switch_per_module_at_the_client() -> None:
    source = (
        "from langfuse import Langfuse, observe\n"  # 1
        "\n"
        "langfuse = Langfuse()\n"
        "\n"
        "@observe()\n"  # 5
        "def answer(question):\n"
        "    return question\n"
        "\n"
        "@observe\n"
        "def plan(question):\n"  # 10
        "    return question\n"
        "\n"
        "@observe(capture_input=False, capture_output=False)\n"
        "def private(question):\n"
        "    return question\n"  # 15
    )
    assert switches(source) == [
        ("content-capture", "@observe(capture_input=, capture_output=)", False, False, 13, ()),
        ("content-capture", "Langfuse(mask=)", True, True, 3, ("Langfuse(mask=)", "LANGFUSE_OBSERVE_DECORATOR_IO_CAPTURE_ENABLED")),
    ]
    assert [(kind, what, line) for kind, what, line in setups(source)] == [
        (TracingKind.LANGFUSE, "Langfuse", 3),
        (TracingKind.LANGFUSE, "@observe", 5),
        (TracingKind.LANGFUSE, "@observe", 9),
        (TracingKind.LANGFUSE, "@observe", 13),
    ]


def test_langfuse_mask_v2_decorators_and_openai_integration() -> None:
    masked = (
        "from langfuse import Langfuse\n"
        "from langfuse.decorators import observe\n\n"
        "def redact(data, **kwargs):\n    return '[redacted]'\n\n"
        "langfuse = Langfuse(mask=redact)\n\n"
        "@observe()\n"
        "def answer(q):\n    return q\n"
    )
    assert switches(masked) == [("content-capture", "Langfuse(mask=)", False, False, 7, ())]
    integration = "from langfuse.openai import openai\n\nreply = openai.chat.completions.create(model='gpt-4o', messages=[])\n"
    assert switches(integration) == [("content-capture", "Langfuse(mask=)", True, True, 1, ("Langfuse(mask=)",))]


# -- transport and sampling -------------------------------------------------------------------


def test_transport_endpoints() -> None:
    source = (
        "import os\n"  # 1
        "from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter\n"
        "from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HTTPExporter\n"
        "\n"
        "a = OTLPSpanExporter(endpoint='collector.example.com:4317', insecure=True)\n"  # 5
        "b = OTLPSpanExporter(endpoint='otel-collector:4317', insecure=True)\n"
        "c = HTTPExporter(endpoint='http://tempo.example.org:4318/v1/traces')\n"
        "d = HTTPExporter(endpoint='http://localhost:4318/v1/traces')\n"
        "e = HTTPExporter(endpoint='https://otlp.example.org/v1/traces')\n"
        "f = OTLPSpanExporter(endpoint=os.environ['OTLP_ENDPOINT'], insecure=True)\n"  # 10
        "g = OTLPSpanExporter(insecure=True)\n"
        "h = OTLPSpanExporter(endpoint='collector.example.com:4317')\n"
        "i = HTTPExporter(endpoint='http://otel-collector.observability.svc.cluster.local:4318/v1/traces')\n"
        "j = OTLPSpanExporter(endpoint='[::1]:4317', insecure=True)\n"
    )
    assert switches(source) == [
        ("transport", "OTLPSpanExporter(endpoint=)", False, False, 8, ()),
        ("transport", "OTLPSpanExporter(endpoint=)", False, False, 9, ()),
        ("transport", "OTLPSpanExporter(endpoint=)", False, False, 12, ()),
        ("transport", "OTLPSpanExporter(endpoint=)", False, False, 13, ()),
        ("transport", "OTLPSpanExporter(endpoint=)", True, False, 7, ()),
        ("transport", "OTLPSpanExporter(insecure=)", False, False, 6, ()),
        ("transport", "OTLPSpanExporter(insecure=)", False, False, 14, ()),
        ("transport", "OTLPSpanExporter(insecure=)", True, False, 5, ()),
    ]
    (service,) = [e for e in entities(source) if isinstance(e, TelemetrySwitch) and e.span.start.line == 6]
    assert "same compose or cluster network" in service.detail


def test_sampling() -> None:
    source = (
        "from openai import OpenAI\n"  # 1
        "from opentelemetry.sdk.trace import TracerProvider\n"
        "from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased, TraceIdRatioBased\n"
        "\n"
        "ratio = ParentBased(TraceIdRatioBased(0.1))\n"  # 5
        "a = TracerProvider()\n"
        "b = TracerProvider(sampler=ratio)\n"
        "c = TracerProvider(sampler=ALWAYS_ON)\n"
        "d = TracerProvider(sampler=TraceIdRatioBased(1.0))\n"
        "e = TracerProvider(sampler=custom_sampler())\n"  # 10
    )
    assert switches(source) == [
        ("sampling", "TracerProvider(sampler=)", False, False, 7, ()),
        ("sampling", "TracerProvider(sampler=)", True, False, 8, ()),
        ("sampling", "TracerProvider(sampler=)", True, False, 9, ()),
        ("sampling", "TracerProvider(sampler=)", True, True, 6, ("OTEL_TRACES_SAMPLER",)),
    ]
    # no GenAI library in the module: an unsampled provider says nothing about prompts
    assert switches("from opentelemetry.sdk.trace import TracerProvider\n\nprovider = TracerProvider()\n") == []


# -- spans and LLM calls ----------------------------------------------------------------------


SPANS = (
    "from openai import OpenAI\n"  # 1
    "from opentelemetry import trace\n"
    "\n"
    "client = OpenAI(timeout=30)\n"
    "tracer = trace.get_tracer(__name__)\n"  # 5
    "\n"
    "\n"
    "def answer(question):\n"
    "    with tracer.start_as_current_span('retrieve') as span:\n"
    "        span.set_attribute('retrieval.query_length', len(question))\n"  # 10
    "    reply = client.chat.completions.create(model='gpt-4o-mini', messages=[])\n"
    "    with tracer.start_as_current_span('chat') as span:\n"
    "        again = client.chat.completions.create(model='gpt-4o-mini', messages=[])\n"
    "        span.set_attribute('gen_ai.request.model', 'gpt-4o-mini')\n"
    "    return reply, again\n"  # 15
    "\n"
    "\n"
    "@tracer.start_as_current_span('plan')\n"
    "def plan(question):\n"
    "    return client.chat.completions.create(model='gpt-4o-mini', messages=[])\n"  # 20
)


def test_spans_and_llm_calls() -> None:
    found = entities(SPANS)
    calls = sorted((c.span.start.line, c.function, c.in_span, c.sibling_spans, c.library) for c in found if isinstance(c, LLMCall))
    assert calls == [(11, "answer", False, 2, "openai"), (13, "answer", True, 2, "openai"), (20, "plan", True, 0, "openai")]
    spans = sorted((s.span.start.line, s.name, s.decorator, s.llm_calls, s.attributes, s.attributes_known) for s in found if isinstance(s, ManualSpan))
    assert spans == [
        (9, "retrieve", False, 0, ("retrieval.query_length",), True),
        (12, "chat", False, 1, ("gen_ai.request.model",), True),
        (18, "plan", True, 1, (), False),
    ]


def test_coverage_rules_on_a_project(tmp_path: Path) -> None:
    # no provider either: the spans go nowhere (AL540 at the client)
    assert findings(tmp_path, {"app.py": SPANS, "requirements.txt": "openai==1.99.9\n"}) == [
        ("AL540", "app.py", 4),
        ("AL541", "app.py", 11),
        ("AL543", "app.py", 12),
    ]


def test_an_instrumentor_anywhere_silences_the_span_rules(tmp_path: Path) -> None:
    files = {
        "app.py": SPANS,
        "telemetry.py": "from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor\n\nOpenAIInstrumentor().instrument()\n",
    }
    assert findings(tmp_path, files) == []


def test_no_tracing_configured(tmp_path: Path) -> None:
    files = {
        "svc/agent.py": "from langchain_openai import ChatOpenAI\n\nllm = ChatOpenAI(model='gpt-4o', timeout=30)\n",
        "svc/llm.py": "from anthropic import Anthropic\n\nclaude = Anthropic(timeout=30)\n",
        "requirements.txt": "langchain-openai==0.3.33\nanthropic==0.64.0\n",
    }
    assert findings(tmp_path, files) == [("AL540", "svc/agent.py", 3)]
    (tmp_path / "svc" / "tracing.py").write_text("from traceloop.sdk import Traceloop\n\nTraceloop.init(app_name='svc')\n")
    assert findings(tmp_path, {}) == []


def test_an_unknown_span_object_is_not_judged(tmp_path: Path) -> None:
    source = SPANS.replace("        span.set_attribute('gen_ai.request.model', 'gpt-4o-mini')\n", "        record(span, again)\n")
    assert findings(tmp_path, {"app.py": source}) == [("AL541", "app.py", 11)]


# -- never raises -----------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "import logging\n", "from openai import OpenAI\n", "from langfuse import observe, Langfuse\n",
        "from opentelemetry.sdk.trace import TracerProvider\n", "from opentelemetry import trace\n",
        "from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter\n",
        "client = OpenAI()\n", "tracer = trace.get_tracer('x')\n", "TracerProvider(sampler=x)\n",
        "TracerProvider(*a, **k)\n", "OTLPSpanExporter(endpoint='http://[::1', insecure=True)\n",
        "OTLPSpanExporter(endpoint=f'http://{h}', insecure=maybe)\n", "logging.getLogger().setLevel()\n",
        "logging.basicConfig(level=[])\n", "@observe(capture_input=x)\ndef f(): pass\n", "Langfuse(mask=None)\n",
        "with tracer.start_as_current_span() as (a, b):\n    client.chat.completions.create()\n",
        "with tracer.start_span(name) as s:\n    s.set_attributes(**k)\n    s.set_attribute()\n",
        "import os\nos.environ['OPENAI_LOG'] = 5\n", "x().instrument(config=y)\n", "@tracer.start_as_current_span\ndef g(): pass\n",
        "from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased\n",
        "TracerProvider(sampler=ParentBased(root=ParentBased(ParentBased(TraceIdRatioBased(10**400)))))\n",
        "TracerProvider(sampler=TraceIdRatioBased(rate='x'))\n", "s = s\nTracerProvider(sampler=s)\n",
        "@(lambda f: f)\ndef h(): pass\n", "with a, tracer.start_span('x') as (c, d):\n    pass\n",
        "os.environ[k] = v\n", "logging.getLogger(name).setLevel(lvl)\n", "client.chat.completions.create(*a)\n",
        "from langchain_core.tools import tool\n@tool\nasync def t():\n    with tracer.start_as_current_span(name=1): pass\n",
        "OTLPSpanExporter('grpc://[::1]:4317', True)\n", "OTLPSpanExporter(endpoint='http://:0')\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FRAGMENTS, max_size=8), st.text(max_size=40))
def test_the_adapter_never_raises(fragments: list[str], tail: str) -> None:
    source = "".join(fragments) + "# " + tail.replace("\n", " ").replace("\r", " ") + "\n"
    try:
        compile(source, "fuzz.py", "exec")
    except (SyntaxError, ValueError):
        return
    entities(source)


def test_a_web_framework_instrumentor_does_not_trace_llm_calls(tmp_path: Path) -> None:
    files = {
        "app.py": SPANS,
        "web.py": "from fastapi import FastAPI\nfrom opentelemetry.instrumentation.fastapi import FastAPIInstrumentor\n\n"
        "FastAPIInstrumentor().instrument()\n",
    }
    assert findings(tmp_path, files) == [("AL541", "app.py", 11), ("AL543", "app.py", 12)]


def test_initial_span_attributes_count() -> None:
    source = SPANS.replace("with tracer.start_as_current_span('chat') as span:", "with tracer.start_as_current_span('chat', attributes={'gen_ai.usage.input_tokens': 0}) as span:")
    (chat,) = [s for s in entities(source) if isinstance(s, ManualSpan) and s.name == "chat"]
    assert chat.attributes == ("gen_ai.usage.input_tokens", "gen_ai.request.model") and chat.attributes_known
    dynamic = SPANS.replace("with tracer.start_as_current_span('chat') as span:", "with tracer.start_as_current_span('chat', attributes=attrs) as span:")
    (chat,) = [s for s in entities(dynamic) if isinstance(s, ManualSpan) and s.name == "chat"]
    assert not chat.attributes_known


def test_environment_written_from_code() -> None:
    source = (
        "import os\n"  # 1
        "os.environ['OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'] = 'SPAN_ONLY'\n"
        "os.environ['TRACELOOP_TRACE_CONTENT'] = 'false'\n"
        "os.environ['OTEL_EXPORTER_OTLP_ENDPOINT'] = 'http://otel.example.net:4318'\n"
        "os.environ['OTEL_TRACES_SAMPLER'] = 'parentbased_always_on'\n"  # 5
        "os.environ['LITELLM_LOG'] = 'DEBUG'\n"
        "os.environ['OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA'] = flag\n"
        "os.environ['OTEL_TRACES_SAMPLER'] = 'traceidratio'\n"  # the ratio may come from the deployment
        "os.environ['ANTHROPIC_LOG'] = 'debug'\n"  # 9
    )
    assert switches(source) == [
        ("content-capture", "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", True, False, 2, ()),
        ("content-capture", "TRACELOOP_TRACE_CONTENT", False, False, 3, ()),
        ("debug-logging", "ANTHROPIC_LOG", True, False, 9, ()),
        ("debug-logging", "LITELLM_LOG", True, False, 6, ()),
        ("sampling", "OTEL_TRACES_SAMPLER", True, False, 5, ()),
        ("transport", "OTEL_EXPORTER_OTLP_ENDPOINT", True, False, 4, ()),
    ]


def test_langfuse_v2_context_mask_and_v3_get_client() -> None:
    v2 = (
        "from langfuse.decorators import langfuse_context, observe\n\n"
        "langfuse_context.configure(mask=lambda data, **kw: data)\n\n"
        "@observe()\n"
        "def answer(q):\n    return q\n"
    )
    assert switches(v2) == [("content-capture", "Langfuse(mask=)", False, False, 3, ())]
    v3 = "from langfuse import get_client, observe\n\nlangfuse = get_client()\n\n@observe\ndef answer(q):\n    return q\n"
    assert switches(v3) == [("content-capture", "Langfuse(mask=)", True, True, 3, ("Langfuse(mask=)", "LANGFUSE_OBSERVE_DECORATOR_IO_CAPTURE_ENABLED"))]


TOOLS = (
    "from langchain_core.tools import tool\n"  # 1
    "from opentelemetry import trace\n"
    "\n"
    "tracer = trace.get_tracer(__name__)\n"
    "\n"  # 5
    "\n"
    "@tool\n"
    "def lookup(order_id: str) -> str:\n"
    "    \"\"\"Look an order up.\"\"\"\n"
    "    return order_id\n"  # 10
    "\n"
    "\n"
    "@tool('refund')\n"
    "def refund(order_id: str) -> str:\n"
    "    \"\"\"Refund an order.\"\"\"\n"  # 15
    "    with tracer.start_as_current_span('refund'):\n"
    "        return order_id\n"
)


def test_tool_functions_and_al542(tmp_path: Path) -> None:
    tools = sorted((t.name, t.framework, t.traced, t.span.start.line) for t in entities(TOOLS, "agent/tools.py") if isinstance(t, ToolFunction))
    assert tools == [("lookup", "langchain", False, 8), ("refund", "langchain", True, 14)]
    assert findings(tmp_path, {"agent/tools.py": TOOLS}) == [("AL542", "agent/tools.py", 8)]
    # a tool-execution span elsewhere in the project may wrap every call
    (tmp_path / "agent" / "runner.py").write_text(
        "from opentelemetry import trace\n\ntracer = trace.get_tracer(__name__)\n\n\n"
        "def run(tool, args):\n    with tracer.start_as_current_span('tool call'):\n        return tool.invoke(args)\n"
    )
    assert findings(tmp_path, {}) == []


def test_tools_in_a_module_without_spans_are_not_read() -> None:
    source = "from langchain_core.tools import tool\n\n@tool\ndef lookup(order_id: str) -> str:\n    return order_id\n"
    assert [e for e in entities(source) if isinstance(e, ToolFunction)] == []


def test_one_environment_default_is_one_switch_per_module() -> None:
    source = (
        "from traceloop.sdk import Traceloop\n"
        "from opentelemetry.instrumentation.openai import OpenAIInstrumentor\n"
        "from openinference.instrumentation.openai import OpenAIInstrumentor as OI\n"
        "from openinference.instrumentation.langchain import LangChainInstrumentor\n\n"
        "Traceloop.init(app_name='bot')\n"
        "OpenAIInstrumentor().instrument()\n"
        "OI().instrument()\n"
        "LangChainInstrumentor().instrument()\n"
    )
    assert switches(source) == [
        ("content-capture", "OPENINFERENCE_HIDE_INPUTS", True, True, 8, ("OPENINFERENCE_HIDE_INPUTS", "OPENINFERENCE_HIDE_OUTPUTS")),
        ("content-capture", "TRACELOOP_TRACE_CONTENT", True, True, 6, ("TRACELOOP_TRACE_CONTENT",)),
    ]


def test_span_names_by_keyword_and_local_constant() -> None:
    source = (
        "from opentelemetry import trace\n\n"
        "tracer = trace.get_tracer(__name__)\n\n\n"
        "def run(tool):\n"
        "    label = 'plan'\n"
        "    with tracer.start_as_current_span(name='retrieve'):\n        pass\n"
        "    with tracer.start_as_current_span(label):\n        pass\n"
        "    with tracer.start_as_current_span(f'tool {tool}'):\n        pass\n"
    )
    assert sorted((s.span.start.line, s.name) for s in entities(source) if isinstance(s, ManualSpan)) == [(8, "retrieve"), (10, "plan"), (12, "")]


def test_the_agents_sdk_traces_by_default(tmp_path: Path) -> None:
    files = {
        "bot.py": "from agents import Agent, OpenAIChatCompletionsModel\nfrom openai import AsyncOpenAI\n\n"
        "client = AsyncOpenAI(timeout=30)\n"
        "agent = Agent(name='triage', instructions='Route the request.', model=OpenAIChatCompletionsModel(model='gpt-4o', openai_client=client))\n",
        "requirements.txt": "openai-agents==0.3.0\nopenai==1.99.9\n",
    }
    assert findings(tmp_path, files) == []


def test_provider_only_setups_leave_llm_calls_to_manual_spans(tmp_path: Path) -> None:
    for setup in ("import logfire\n\nlogfire.configure()\n", "from phoenix.otel import register\n\nprovider = register(project_name='bot')\n"):
        assert findings(tmp_path, {"app.py": SPANS, "tracing.py": setup}) == [("AL541", "app.py", 11), ("AL543", "app.py", 12)]
    auto = "from phoenix.otel import register\n\nprovider = register(project_name='bot', auto_instrument=True)\n"
    assert findings(tmp_path, {"tracing.py": auto}) == []
    assert setups(auto) == [(TracingKind.PHOENIX, "register(auto_instrument=)", 3)]


def test_root_debug_logging_next_to_a_langchain_model() -> None:
    source = "import logging\nfrom langchain_openai import ChatOpenAI\n\nlogging.basicConfig(level='DEBUG')\nllm = ChatOpenAI(timeout=30)\n"
    assert switches(source) == [("debug-logging", "logging.basicConfig(level=)", True, False, 4, ())]
    assert switches("import logging\nimport httpx\n\nlogging.basicConfig(level='DEBUG')\n") == []


def test_a_recording_helper_in_the_block_makes_attributes_unknown() -> None:
    source = SPANS.replace("        span.set_attribute('gen_ai.request.model', 'gpt-4o-mini')\n",
                           "        span.set_attribute('gen_ai.request.model', 'gpt-4o-mini')\n        record_usage(again)\n")
    (chat,) = [s for s in entities(source) if isinstance(s, ManualSpan) and s.name == "chat"]
    assert chat.attributes == ("gen_ai.request.model",) and not chat.attributes_known


# -- the AL51x rules on these switches ---------------------------------------------------------

SWITCHED = (
    "import logging\n"  # 1
    "from openai import OpenAI\n"
    "from traceloop.sdk import Traceloop\n"
    "from opentelemetry.sdk.trace import TracerProvider\n"
    "from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter\n"  # 5
    "\n"
    "Traceloop.init(app_name='support')\n"
    "provider = TracerProvider()\n"
    "exporter = OTLPSpanExporter(endpoint='collector.example.com:4317', insecure=True)\n"
    "logging.getLogger('openai').setLevel(logging.DEBUG)\n"  # 10
    "client = OpenAI(timeout=30)\n"
)


def test_the_al51x_rules_judge_code_switches(tmp_path: Path) -> None:
    codes = ("AL510", "AL511", "AL512", "AL513")
    found = [(c, p, line) for c, p, line, _ in project_findings(tmp_path, {"app/main.py": SWITCHED}, codes)]
    assert found == [("AL510", "app/main.py", 7), ("AL511", "app/main.py", 10), ("AL512", "app/main.py", 8), ("AL513", "app/main.py", 9)]
    env = "TRACELOOP_TRACE_CONTENT=false\nOTEL_TRACES_SAMPLER=parentbased_traceidratio\nOTEL_TRACES_SAMPLER_ARG=0.1\n"
    found = [(c, p, line) for c, p, line, _ in project_findings(tmp_path, {".env": env}, codes)]
    assert found == [("AL511", "app/main.py", 10), ("AL513", "app/main.py", 9)]


def test_a_langfuse_mask_in_another_module_cancels_the_default(tmp_path: Path) -> None:
    observed = "from langfuse import observe\n\n\n@observe()\ndef answer(question):\n    return question\n"
    assert [(c, p, line) for c, p, line, _ in project_findings(tmp_path, {"app/agent.py": observed}, ("AL510",))] == [
        ("AL510", "app/agent.py", 4)
    ]
    masked = "from langfuse import Langfuse\n\n\ndef redact(data, **kwargs):\n    return data\n\n\nlangfuse = Langfuse(mask=redact)\n"
    assert project_findings(tmp_path, {"app/tracing.py": masked}, ("AL510",)) == []
