"""OpenTelemetry Collector configs (issue 10 point 5): what the otel-collector adapter claims,
the CollectorConfig and TelemetrySwitch facts it emits (exact spans), AL530 and AL531 end to
end, hostile input, and the real corpus."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.base import all_adapters
from agentlint.adapters.otel_collector import adapt, claims
from agentlint.loaders.base import Syntax
from agentlint.loaders.yaml import load_yaml
from agentlint.model.collector import AttributeEdit, CollectorConfig, EditKind, Section
from agentlint.model.project import Project
from agentlint.model.source import NodeRef, Span
from agentlint.model.telemetry import Concern, Origin, TelemetrySwitch
from agentlint.registry import all_rules
from tests.conftest import CORPUS
from tests.helpers import materialize_corpus, project_findings

OKTA = """\
# OpenTelemetry Collector Configuration

receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317

processors:
  batch:
    timeout: 1s
  attributes:
    actions:
      - key: service.name
        value: okta-mcp-server
        action: insert

exporters:
  debug:
    verbosity: detailed
  otlp/jaeger:
    endpoint: jaeger:4317
    tls:
      insecure: true
  prometheus:
    endpoint: 0.0.0.0:8889

service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch, attributes]
      exporters: [debug, otlp/jaeger]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug, prometheus]
"""

CLIENT = "from openai import OpenAI\n\nclient = OpenAI(timeout=30)\n"


def _adapt(text: str, path: str = "otel-collector-config.yaml") -> tuple[list[CollectorConfig], list[TelemetrySwitch]]:
    loaded = load_yaml(path, text)
    assert not loaded.problems, loaded.problems
    entities = adapt(loaded).entities
    return [e for e in entities if isinstance(e, CollectorConfig)], [e for e in entities if isinstance(e, TelemetrySwitch)]


def _switches(text: str) -> list[tuple[Concern, bool, bool, str, str, int, int]]:
    return [(s.concern, s.risky, s.implicit, s.setting, s.value, s.span.line, s.span.column) for s in _adapt(text)[1]]


# -- claims ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("otel-collector-config.yaml", OKTA, True),
        ("deploy/otelcol-contrib.yml", "receivers:\n  otlp:\n", True),
        ("collector/agents-collector-config.yml", "exporters:\n  debug: {}\n", True),
        ("observability/config.yaml", OKTA, True),  # by content: service.pipelines with receivers
        ("k8s/collector.yaml", "apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nspec:\n  config:\n    receivers: {}\n", True),
        ("charts/templates/otel-collector-config.yaml", "receivers:\n  otlp: {{ .Values.otlp | toYaml }}\n", False),
        ("otel-collector-values.yaml", "mode: deployment\nimage:\n  repository: otel/opentelemetry-collector-contrib\n", False),
        ("docker-compose.yml", "services:\n  otel-collector:\n    image: otel/opentelemetry-collector\n", False),
        ("agents.yaml", "service:\n  name: triage\nagents:\n  pipelines: []\n", False),  # no receivers/exporters at the top
        ("otel-collector-config.json", "{}", False),
        ("deploy/collector.conf", OKTA, True),  # named on the command line: read by its content
    ],
)
def test_claims(path: str, text: str, expected: bool) -> None:
    assert claims(path, text) is expected


def _yaml_claimants(path: str, text: str) -> list[str]:
    return [a.name for a in all_adapters() if Syntax.YAML in a.syntaxes and a.claims(path, text)]


def test_no_other_adapter_claims_a_collector_config() -> None:
    assert _yaml_claimants("otel-collector-config.yaml", OKTA) == ["otel-collector"]
    assert _yaml_claimants("observability/config.yaml", OKTA) == ["otel-collector"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_claims_nothing_else_in_the_corpus() -> None:
    for line in (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        kind, repo, path = line.split("\t")[:3]
        flat = CORPUS / kind / (repo.replace("/", "__") + "__" + path.replace("/", "__"))
        if not flat.is_file() or not path.endswith((".yaml", ".yml")):
            continue
        text = flat.read_text(encoding="utf-8", errors="replace")
        assert claims(path, text) is (kind == "otel-collector"), (kind, repo, path)


# -- entities -------------------------------------------------------------------------------


def test_components_pipelines_and_exporters_are_located() -> None:
    (config,), _ = _adapt(OKTA)
    assert [(c.section, c.id, c.span.line, c.span.column) for c in config.components] == [
        (Section.RECEIVERS, "otlp", 4, 3),
        (Section.PROCESSORS, "batch", 10, 3),
        (Section.PROCESSORS, "attributes", 12, 3),
        (Section.EXPORTERS, "debug", 19, 3),
        (Section.EXPORTERS, "otlp/jaeger", 21, 3),
        (Section.EXPORTERS, "prometheus", 25, 3),
    ]
    traces, metrics = config.pipelines
    assert (traces.id, traces.signal, traces.span.line, traces.span.column, traces.complete) == ("traces", "traces", 30, 5, True)
    assert [(u.id, u.role, u.span.line, u.span.column) for u in traces.uses()] == [
        ("otlp", Section.RECEIVERS, 31, 19),
        ("batch", Section.PROCESSORS, 32, 20),
        ("attributes", Section.PROCESSORS, 32, 27),
        ("debug", Section.EXPORTERS, 33, 19),
        ("otlp/jaeger", Section.EXPORTERS, 33, 26),
    ]
    assert traces.ref == NodeRef("otel-collector-config.yaml", ("service", "pipelines", "traces"))
    assert metrics.id == "metrics"
    jaeger = config.exporter("otlp/jaeger")
    assert jaeger is not None and jaeger.tls_insecure is True
    assert [(e.signal, e.url, e.span.line) for e in jaeger.endpoints] == [("", "jaeger:4317", 22)]
    assert jaeger.span_of("tls.insecure").start == (24, 17)
    debug = config.exporter("debug")
    assert debug is not None and (debug.verbosity, debug.span_of("verbosity").line) == ("detailed", 20)
    assert config.edits == ()  # an insert adds an attribute, it masks nothing
    assert config.standalone and config.sections == frozenset(Section)


def test_switches_of_the_okta_collector() -> None:
    assert _switches(OKTA) == [
        (Concern.CONTENT_CAPTURE, True, False, "exporters.debug.verbosity", "detailed", 20, 16),
        (Concern.TRANSPORT, False, False, "exporters.otlp/jaeger.tls.insecure", "true", 24, 17),
        (Concern.SAMPLING, True, True, "service.pipelines.traces.processors", "", 30, 5),
    ]
    switches = _adapt(OKTA)[1]
    assert all(s.origin is Origin.COLLECTOR for s in switches)
    assert "'jaeger' is a dotless service name" in switches[1].detail  # same compose network: says which


def _one_exporter(exporter: str, pipeline: str = "traces") -> str:
    return (
        "receivers:\n  otlp:\n    protocols:\n      grpc:\n"
        f"exporters:\n{exporter}"
        f"service:\n  pipelines:\n    {pipeline}:\n      receivers: [otlp]\n      exporters: [out]\n"
    )


@pytest.mark.parametrize(
    ("exporter", "expected"),
    [
        # gRPC: TLS unless tls.insecure: true (configtls default false); http:// is still TLS for gRPC
        ("  otlp/out:\n    endpoint: collector.example.com:4317\n", None),
        ("  otlp:\n    endpoint: collector.example.com:4317\n    tls:\n      insecure: true\n", (True, "exporters.otlp.tls.insecure", 9)),
        ("  otlp_grpc:\n    endpoint: dns:///10.0.3.7:4317\n    tls: {insecure: true}\n", (True, "exporters.otlp_grpc.tls.insecure", 8)),
        ("  otlp:\n    endpoint: localhost:4317\n    tls:\n      insecure: true\n", (False, "exporters.otlp.tls.insecure", 9)),
        ("  otlp:\n    endpoint: collector.example.com:4317\n    tls:\n      insecure: true\n      ca_file: /etc/ca.pem\n", (False, "exporters.otlp.endpoint", 7)),
        ("  otlp/honeycomb:\n    endpoint: http://api.honeycomb.io:443\n", (False, "exporters.otlp/honeycomb.endpoint", 7)),
        ("  otlp:\n    endpoint: tempo.monitoring.svc.cluster.local:4317\n    tls:\n      insecure: true\n", (False, "exporters.otlp.tls.insecure", 9)),
        ("  otlp:\n    endpoint: https://collector.example.com:4317\n    tls:\n      insecure: true\n", (False, "exporters.otlp.endpoint", 7)),
        ("  otlp:\n    endpoint: ${env:OTLP_ENDPOINT}\n    tls:\n      insecure: true\n", "none"),
        ("  otlp:\n    endpoint: collector.example.com:4317\n    tls:\n      insecure: ${env:INSECURE}\n", "none"),
        # HTTP: the URL's scheme decides
        ("  otlphttp:\n    endpoint: http://collector.example.com:4318\n", (True, "exporters.otlphttp.endpoint", 7)),
        ("  otlp_http/langfuse:\n    endpoint: http://[::1]:3000/api/public/otel\n", (False, "exporters.otlp_http/langfuse.endpoint", 7)),
        ("  otlphttp:\n    endpoint: https://x.example.com\n    traces_endpoint: http://x.example.com/v1/traces\n", (True, "exporters.otlphttp.traces_endpoint", 8)),
        ("  otlphttp:\n    endpoint: https://otlp.example.com\n    tls:\n      insecure: true\n", (False, "exporters.otlphttp.endpoint", 7)),
        ("  zipkin:\n    endpoint: http://zipkin.example.com:9411/api/v2/spans\n", (True, "exporters.zipkin.endpoint", 7)),
        ("  kafka:\n    brokers: [kafka.example.com:9092]\n", "none"),
    ],
)
def test_transport(exporter: str, expected: object) -> None:
    name = exporter.split(":", 1)[0].strip()
    text = _one_exporter(exporter).replace("exporters: [out]", f"exporters: [{name}]")
    found = [(s.risky, s.setting, s.span.line) for s in _adapt(text)[1] if s.concern is Concern.TRANSPORT]
    if expected is None:  # TLS by default: a non-risky, implicit switch
        assert [(s.risky, s.implicit) for s in _adapt(text)[1] if s.concern is Concern.TRANSPORT] == [(False, True)]
    elif expected == "none":
        assert found == []
    else:
        assert found == [expected]


def test_an_exporter_only_in_a_metrics_pipeline_has_no_switch() -> None:
    text = _one_exporter("  otlp:\n    endpoint: collector.example.com:4317\n    tls:\n      insecure: true\n", "metrics").replace("[out]", "[otlp]")
    assert _switches(text) == []


def test_console_exporters() -> None:
    legacy = _one_exporter("  logging:\n    loglevel: debug\n", "logs").replace("[out]", "[logging]")
    assert _switches(legacy) == [(Concern.CONTENT_CAPTURE, True, False, "exporters.logging.loglevel", "debug", 7, 15)]
    basic = _one_exporter("  debug:\n    verbosity: basic\n", "logs").replace("[out]", "[debug]")
    assert _switches(basic) == [(Concern.CONTENT_CAPTURE, False, False, "exporters.debug.verbosity", "basic", 7, 16)]


FORWARD = """\
receivers:
  otlp:
    protocols:
      http:
processors:
  probabilistic_sampler:
    sampling_percentage: 15
  redaction:
    allow_all_keys: false
    allowed_keys: [http.method, gen_ai.request.model]
connectors:
  forward/sampled:
exporters:
  otlphttp:
    endpoint: https://otlp.example.com
service:
  pipelines:
    traces/in:
      receivers: [otlp]
      processors: [probabilistic_sampler, redaction]
      exporters: [forward/sampled]
    traces/out:
      receivers: [forward/sampled]
      exporters: [otlphttp]
"""


def test_sampling_and_scrubbing_flow_through_connectors() -> None:
    (config,), switches = _adapt(FORWARD)
    assert [(s.concern, s.risky, s.setting, s.value, s.span.line) for s in switches if s.concern is Concern.SAMPLING] == [
        (Concern.SAMPLING, False, "service.pipelines.traces/out.processors", "probabilistic_sampler", 20)
    ]
    assert config.receives_otlp() == {"traces/in": True, "traces/out": True}
    assert config.content_covered()["traces/out"] == frozenset(
        {"gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions", "gen_ai.prompt", "gen_ai.completion"}
    )
    keeps_all = FORWARD.replace("sampling_percentage: 15", "sampling_percentage: 100")
    assert [(s.risky, s.setting, s.value, s.span.line) for s in _adapt(keeps_all)[1] if s.concern is Concern.SAMPLING] == [
        (True, "processors.probabilistic_sampler.sampling_percentage", "100", 7)
    ]
    tail = FORWARD.replace("probabilistic_sampler:\n    sampling_percentage: 15", "tail_sampling:\n    policies: [{name: all, type: always_sample}]")
    tail = tail.replace("processors: [probabilistic_sampler, redaction]", "processors: [tail_sampling, redaction]")
    assert [(s.risky, s.setting, s.value, s.span.line) for s in _adapt(tail)[1] if s.concern is Concern.SAMPLING] == [
        (True, "processors.tail_sampling.policies", "every policy is always_sample", 7)
    ]
    mixed = tail.replace("[{name: all, type: always_sample}]", "[{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]")
    assert [(s.risky, s.value) for s in _adapt(mixed)[1] if s.concern is Concern.SAMPLING] == [(False, "tail_sampling")]


@pytest.mark.parametrize(
    ("edit", "key", "covered"),
    [
        (AttributeEdit(NodeRef("c"), Span.point(1), (), "attributes", EditKind.DELETE, ("gen_ai.prompt",)), "gen_ai.prompt", True),
        (AttributeEdit(NodeRef("c"), Span.point(1), (), "attributes", EditKind.DELETE, (), (r"^gen_ai\.prompt\.",)), "gen_ai.prompt", True),
        (AttributeEdit(NodeRef("c"), Span.point(1), (), "attributes", EditKind.DELETE, (), (r"^gen_ai\.prompt\.",)), "gen_ai.input.messages", False),
        (AttributeEdit(NodeRef("c"), Span.point(1), (), "t", EditKind.DELETE, (), ("(?<=lookbehind)",)), "gen_ai.input.messages", True),  # RE2 cannot: unknown
        (AttributeEdit(NodeRef("c"), Span.point(1), (), "t", EditKind.KEEP_ONLY, ("http.method",)), "gen_ai.output.messages", True),
        (AttributeEdit(NodeRef("c"), Span.point(1), (), "t", EditKind.KEEP_ONLY, (), ("^gen_ai",)), "gen_ai.output.messages", False),
        (AttributeEdit(NodeRef("c"), Span.point(1), (), "r", EditKind.MASK_VALUES, ("gen_ai.prompt",)), "gen_ai.prompt", False),
        (AttributeEdit(NodeRef("c"), Span.point(1), (), "r", EditKind.MASK_VALUES), "gen_ai.prompt", True),
    ],
)
def test_attribute_edit_covers(edit: AttributeEdit, key: str, covered: bool) -> None:
    assert edit.covers(key) is covered


def test_a_hostile_key_pattern_runs_in_linear_time() -> None:
    edit = AttributeEdit(NodeRef("c"), Span.point(1), (), "a", EditKind.DELETE, (), ("^(a+)+$",))
    start = time.perf_counter()
    assert edit.covers("gen_ai.input.messages") is False
    assert time.perf_counter() - start < 1


TRANSFORM = """\
receivers:
  otlp:
    protocols:
      grpc:
processors:
  transform/genai:
    error_mode: ignore
    trace_statements:
      - context: span
        statements:
          - delete_key(attributes, "gen_ai.input.messages")
          - set(attributes["gen_ai.output.messages"], Substring(attributes["gen_ai.output.messages"], 0, 100))
          - set(span.attributes["gen_ai.system_instructions"], SHA256(span.attributes["gen_ai.system_instructions"]))
    log_statements:
      - replace_all_patterns(log.attributes, "value", "\\\\d{16}", "****")
exporters:
  otlp:
    endpoint: tempo.example.com:4317
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [transform/genai]
      exporters: [otlp]
"""


def test_transform_statements() -> None:
    (config,), _ = _adapt(TRANSFORM)
    assert [(e.kind, e.keys, e.span.line) for e in config.edits] == [
        (EditKind.DELETE, ("gen_ai.input.messages",), 11),
        (EditKind.HASH, ("gen_ai.system_instructions",), 13),
        (EditKind.MASK_VALUES, (), 15),
    ]
    # truncation is not masking: output messages stay; the log statements mask every value
    assert config.content_covered()["traces"] == frozenset(
        {"gen_ai.input.messages", "gen_ai.system_instructions", "gen_ai.output.messages", "gen_ai.prompt", "gen_ai.completion"}
    )


# -- findings end to end ----------------------------------------------------------------------


def test_al530_needs_an_llm_application(tmp_path: Path) -> None:
    alone = project_findings(tmp_path / "alone", {"otel-collector-config.yaml": OKTA}, ["AL53"])
    assert alone == []
    with_client = project_findings(tmp_path / "app", {"otel-collector-config.yaml": OKTA, "app.py": CLIENT}, ["AL53"])
    assert with_client == [("AL530", "otel-collector-config.yaml", 30, 5)]


@pytest.mark.skipif(not (CORPUS / "otel-collector").is_dir(), reason="../shared/corpus is not present")
def test_al530_partial_scrub_names_what_is_missing(tmp_path: Path) -> None:
    from tests.helpers import project_result

    result = project_result(tmp_path, {"otel-collector/config.yaml": CORPUS_MAIRP, "agent.py": CLIENT})
    found = [(f.path, f.line, f.message) for f in result.findings if f.code == "AL530"]
    assert [(path, line) for path, line, _ in found] == [("otel-collector/config.yaml", 52), ("otel-collector/config.yaml", 60)]
    assert "its processors remove gen_ai.prompt*, gen_ai.completion* but not gen_ai.input.messages, " in found[0][2]


def test_al530_reports_a_scrub_defined_but_unused(tmp_path: Path) -> None:
    text = OKTA.replace(
        "  attributes:\n    actions:\n      - key: service.name\n        value: okta-mcp-server\n        action: insert\n",
        "  attributes:\n    actions:\n      - key: service.name\n        value: okta-mcp-server\n        action: insert\n"
        "  redaction/genai:\n    allow_all_keys: true\n    blocked_key_patterns: ['^gen_ai\\.']\n",
    )
    from tests.helpers import project_result

    result = project_result(tmp_path, {"otel-collector-config.yaml": text, "app.py": CLIENT})
    (finding,) = [f for f in result.findings if f.code == "AL530"]
    assert (finding.line, finding.column) == (33, 5)
    assert finding.message.endswith("(redaction/genai would, but this pipeline does not use it)")
    fixed = text.replace("processors: [batch, attributes]", "processors: [batch, attributes, redaction/genai]")
    assert project_findings(tmp_path / "fixed", {"otel-collector-config.yaml": fixed, "app.py": CLIENT}, ["AL530"]) == []


def test_al531_counts_each_missing_component_once(tmp_path: Path) -> None:
    text = OKTA.replace("processors: [batch, attributes]", "processors: [memory_limiter, batch, attributes]").replace(
        "processors: [batch]\n", "processors: [memory_limiter, batch]\n"
    ).replace("exporters: [debug, prometheus]", "exporters: [debug, prometheus, otlp/tempo]")
    from tests.helpers import project_result

    result = project_result(tmp_path, {"otel-collector-config.yaml": text})
    found = [(f.code, f.line, f.column, len(f.related)) for f in result.findings if f.code == "AL531"]
    assert found == [("AL531", 32, 20, 1), ("AL531", 37, 38, 0)]
    # defined in another config of the project (merged with --config): not reported
    other = "processors:\n  memory_limiter:\n    check_interval: 1s\nexporters:\n  otlp/tempo:\n    endpoint: tempo:4317\n"
    assert project_findings(tmp_path / "merged", {"otel-collector-config.yaml": text, "otelcol-extra.yaml": other}, ["AL531"]) == []


def test_al531_skips_a_section_the_file_does_not_state(tmp_path: Path) -> None:
    text = OKTA.replace("exporters:\n  debug:", "exporters: ${file:exporters.yaml}\nunused:\n  debug:")
    assert project_findings(tmp_path, {"otel-collector-config.yaml": text}, ["AL531"]) == []


# -- hostile input -----------------------------------------------------------------------------

_KEYS = st.sampled_from(
    ["receivers", "processors", "exporters", "connectors", "extensions", "service", "pipelines", "traces", "logs",
     "traces/x", "otlp", "otlp/a", "otlphttp", "debug", "redaction", "attributes", "transform", "actions", "key",
     "pattern", "action", "tls", "insecure", "endpoint", "verbosity", "trace_statements", "statements",
     "allowed_keys", "blocked_values", "probabilistic_sampler", "sampling_percentage", "kind", "spec", "config"]
)
_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**30), st.floats(allow_nan=False),
    st.sampled_from(["otlp", "delete", "detailed", "http://a.example.com", "jaeger:4317", "${env:X}", 'delete_key(attributes, "gen_ai.prompt")', "(a+)+$", "OpenTelemetryCollector"]),
    st.text(max_size=12),
)
_DOCS = st.recursive(_LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)), max_leaves=30)


@pytest.mark.parametrize(
    "text",
    [
        "receivers:\n  otlp: {}\nservice:\n  pipelines: [traces]\n",
        "receivers:\n  otlp: {}\nservice:\n  pipelines:\n    traces: [otlp]\n  extensions: 3\n",
        "exporters:\n  x: {}\nprocessors: [a, b]\nservice: 4\n",
        "kind: OpenTelemetryCollector\nspec:\n  config: |\n    receivers: {}\n",  # v1alpha1 string: not read
    ],
)
def test_wrong_shapes_are_read_as_far_as_they_go(text: str) -> None:
    configs, switches = _adapt(text, "otelcol.yaml")
    assert switches == [] and all(p.receivers == () for c in configs for p in c.pipelines)


_IDS = st.sampled_from(["otlp", "otlp/a", "debug", "redaction", "attributes/x", "forward", "probabilistic_sampler", "transform"])
_LISTS = st.one_of(_DOCS, st.lists(_IDS, max_size=3))
_PIPELINE = st.one_of(_DOCS, st.fixed_dictionaries({}, optional={"receivers": _LISTS, "processors": _LISTS, "exporters": _LISTS}))
_SERVICE = st.one_of(
    _DOCS,
    st.fixed_dictionaries({}, optional={
        "pipelines": st.one_of(_DOCS, st.dictionaries(st.sampled_from(["traces", "logs", "traces/a", "metrics"]), _PIPELINE, max_size=3)),
        "extensions": _LISTS,
    }),
)
_SECTION = st.one_of(_DOCS, st.dictionaries(_IDS, _DOCS, max_size=3))
_STRUCTURED = st.fixed_dictionaries({}, optional={
    "receivers": _SECTION, "processors": _SECTION, "exporters": _SECTION, "connectors": _SECTION, "service": _SERVICE,
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.dictionaries(_KEYS, _DOCS, max_size=6), _STRUCTURED), st.booleans())
def test_arbitrary_mappings_never_crash(data: dict, resource: bool) -> None:
    if resource:
        data = {"kind": "OpenTelemetryCollector", "spec": {"config": data}}
    loaded = load_yaml("otel-collector-config.yaml", json.dumps(data))
    entities = adapt(loaded).entities
    project = Project.build([], entities)
    for code in ("AL530", "AL531"):
        rule = all_rules()[code]
        list(rule().check(project, None))


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://user:pw@tempo:4318/v1/traces", "tempo"),
        ("dns:///collector.example.com:4317", "collector.example.com"),
        ("[::1]:4317", "::1"),
        ("https://[2001:db8::1]:4318", "2001:db8::1"),
        ("jaeger:4317", "jaeger"),
    ],
)
def test_endpoint_hosts(url: str, host: str) -> None:
    from agentlint.adapters.otel_collector import _host

    assert _host(url) == host


# -- the corpus ---------------------------------------------------------------------------------

CORPUS_MAIRP = (
    (CORPUS / "otel-collector" / "mairp__agent-observability-stack__otel-collector__config.yaml").read_text(encoding="utf-8")
    if (CORPUS / "otel-collector").is_dir()
    else ""
)


@pytest.mark.skipif(not (CORPUS / "otel-collector").is_dir(), reason="../shared/corpus is not present")
def test_corpus_collectors(tmp_path: Path) -> None:
    """The four real collector configs, next to an LLM client: switches as the files say, AL530
    on every traces/logs pipeline that stores content (none scrubs the current keys), no AL531."""
    materialize_corpus(tmp_path, "otel-collector")
    (tmp_path / "app.py").write_text(CLIENT, encoding="utf-8")
    found = [f for f in project_findings(tmp_path, {}, ["AL51", "AL53"]) if f[0] in ("AL530", "AL531")]
    base = "otel-collector/"
    assert found == [
        ("AL530", base + "0x7067/claude-code-metrics/otel-collector-config-cloud.yaml", 69, 5),
        ("AL530", base + "BalaGanaparthi/okta-mcp-server/otel-collector-config.yaml", 43, 5),
        ("AL530", base + "ilya-kolchinsky/agent-observability-operator/examples/end-to-end-demo/manifests/collector/collector.yaml", 33, 9),
        ("AL530", base + "mairp/agent-observability-stack/otel-collector/config.yaml", 52, 5),
        ("AL530", base + "mairp/agent-observability-stack/otel-collector/config.yaml", 60, 5),
    ]


def test_one_transport_switch_per_exporter_whatever_the_pipelines() -> None:
    text = (
        "receivers:\n  otlp:\n    protocols:\n      grpc:\n"
        "exporters:\n  otlp/remote:\n    endpoint: collector.example.com:4317\n    tls:\n      insecure: true\n"
        "service:\n  pipelines:\n"
        "    traces:\n      receivers: [otlp]\n      exporters: [otlp/remote]\n"
        "    logs:\n      receivers: [otlp]\n      exporters: [otlp/remote]\n"
        "    metrics:\n      receivers: [otlp]\n      exporters: [otlp/remote]\n"
    )
    (switch,) = [s for s in _adapt(text)[1] if s.concern is Concern.TRANSPORT]
    assert (switch.risky, switch.span.start, switch.ref.pointer) == (True, (9, 17), ("exporters", "otlp/remote", "tls", "insecure"))
    assert switch.detail == "otlp/remote exports traces, logs without TLS (tls.insecure: true) to collector.example.com:4317"


def test_thousands_of_chained_pipelines_stay_fast(tmp_path: Path) -> None:
    """5000 traces pipelines chained through forward connectors, each naming an undefined
    processor: no recursion limit, no quadratic scan."""
    count = 5000
    lines = ["receivers:\n  otlp:\n    protocols:\n      grpc:\n", "connectors:\n"]
    lines += [f"  forward/{i}:\n" for i in range(count)]
    lines += ["exporters:\n  otlp:\n    endpoint: tempo.example.com:4317\n", "service:\n  pipelines:\n"]
    for i in range(count):
        receiver = "otlp" if i == 0 else f"forward/{i - 1}"
        exporter = "otlp" if i == count - 1 else f"forward/{i}"
        lines.append(f"    traces/{i}:\n      receivers: [{receiver}]\n      processors: [missing/{i}]\n      exporters: [{exporter}]\n")
    start = time.perf_counter()
    found = project_findings(tmp_path, {"otel-collector-config.yaml": "".join(lines), "app.py": CLIENT}, ["AL53"])
    assert time.perf_counter() - start < 30
    first = 4 + 1 + count + 3 + 2 + 1  # the line of traces/0
    assert [f for f in found if f[0] == "AL530"] == [("AL530", "otel-collector-config.yaml", first + 4 * (count - 1), 5)]
    assert sum(1 for f in found if f[0] == "AL531") == count


def test_a_filter_on_genai_telemetry_counts_as_a_scrub() -> None:
    text = OKTA.replace(
        "  batch:\n    timeout: 1s\n",
        "  batch:\n    timeout: 1s\n  filter/genai:\n    error_mode: ignore\n    traces:\n      spanevent:\n"
        "        - 'name == \"gen_ai.content.prompt\" or name == \"gen_ai.content.completion\"'\n      span:\n"
        "        - 'attributes[\"http.route\"] == \"/health\"'\n",
    ).replace("processors: [batch, attributes]", "processors: [filter/genai, batch, attributes]")
    (config,), _ = _adapt(text)
    assert [(e.processor, e.kind, e.span.line) for e in config.edits] == [("filter/genai", EditKind.DROP, 16)]
    assert len(config.content_covered()["traces"]) == 5


def test_al530_evidence_from_an_environment_that_captures_content(tmp_path: Path) -> None:
    compose = (
        "services:\n  agent:\n    image: ghcr.io/acme/agent:1.4.2\n    environment:\n"
        "      OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4317\n"
        '      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: "true"\n'
    )
    from tests.helpers import project_result

    result = project_result(tmp_path, {"docker-compose.yml": compose, "otel-collector-config.yaml": OKTA})
    (finding,) = [f for f in result.findings if f.code == "AL530"]
    assert (finding.path, finding.line, [(r.path, r.span.line) for r in finding.related]) == (
        "otel-collector-config.yaml", 30, [("docker-compose.yml", 6)]
    )


def test_hostile_ottl_statements_are_scanned_quickly() -> None:
    statements = [
        'delete_key(attributes, "' * 400,
        "set(" + "a." * 4990,
        'keep_keys(attributes, ["' + "x" * 9000,
        "replace_all_patterns(" * 450,
    ]
    text = "processors:\n  transform:\n    trace_statements:\n" + "".join(f"      - {json.dumps(s)}\n" for s in statements)
    text += "exporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      processors: [transform]\n      exporters: [debug]\n"
    start = time.perf_counter()
    (config,), _ = _adapt(text)
    assert time.perf_counter() - start < 2
    # quotes pair up: every second repetition closes a string literal that names an odd key
    assert {(e.kind, e.keys) for e in config.edits} == {(EditKind.DELETE, ("delete_key(attributes, ",))} and len(config.edits) == 200


@pytest.mark.parametrize(
    ("endpoint", "risky"),
    [("0.0.0.0:4317", False), ("host.docker.internal:4317", False), ("10.0.3.7:4317", True), ("tempo.monitoring.svc:4317", False)],
)
def test_plaintext_destinations_are_placed_like_the_environment_adapter_does(endpoint: str, risky: bool) -> None:
    text = _one_exporter(f"  otlp:\n    endpoint: {endpoint}\n    tls:\n      insecure: true\n").replace("[out]", "[otlp]")
    assert [s.risky for s in _adapt(text)[1] if s.concern is Concern.TRANSPORT] == [risky]


@pytest.mark.parametrize(
    ("entry", "reported"),
    [('"batch/${env:ENVIRONMENT:-development}"', True), ('"redaction/${env:ENVIRONMENT}"', False), ('"${env:SCRUB_PROCESSOR}"', False)],
)
def test_an_unstated_processor_entry_hides_a_scrub_only_if_it_may_be_one(tmp_path: Path, entry: str, reported: bool) -> None:
    # the shape of inkeep/agents' deploy/docker/otel-collector-config.yaml
    text = OKTA.replace("processors: [batch, attributes]", f"processors:\n        - attributes\n        - {entry}")
    found = project_findings(tmp_path, {"otel-collector-config.yaml": text, "app.py": CLIENT}, ["AL53"])
    assert found == ([("AL530", "otel-collector-config.yaml", 30, 5)] if reported else [])
    sampling = [s.implicit for s in _adapt(text)[1] if s.concern is Concern.SAMPLING]
    assert sampling == ([True] if entry.startswith('"batch') or entry.startswith('"redaction') else [])


SIGNOZ = """\
connectors:
  signozmeter:
    metrics_flush_interval: 1h
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
processors:
  batch:
  batch/meter:
  signozspanmetrics/delta:
    metrics_exporter: signozclickhousemetrics
exporters:
  clickhousetraces:
    datasource: tcp://clickhouse:9000/signoz_traces
  signozclickhousemeter:
    dsn: tcp://clickhouse:9000/signoz_meter
  clickhouselogsexporter:
    dsn: tcp://clickhouse:9000/signoz_logs
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [signozspanmetrics/delta, batch]
      exporters: [clickhousetraces, signozmeter]
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [clickhouselogsexporter, signozmeter]
    metrics/meter:
      receivers: [signozmeter]
      processors: [batch/meter]
      exporters: [signozclickhousemeter]
"""


def test_a_connector_across_signals_in_signoz_shape(tmp_path: Path) -> None:
    """SigNoz's deploy/docker/otel-collector-config.yaml, cut down: a meter connector fed by
    traces and logs and read by a metrics pipeline is well used; both content pipelines store
    into ClickHouse unredacted; a ClickHouse DSN is no transport the adapter judges."""
    found = project_findings(tmp_path, {"otel-collector-config.yaml": SIGNOZ, "app.py": CLIENT}, ["AL53"])
    assert found == [("AL530", "otel-collector-config.yaml", 23, 5), ("AL530", "otel-collector-config.yaml", 27, 5)]
    assert [(s.concern, s.span.line) for s in _adapt(SIGNOZ)[1]] == [(Concern.SAMPLING, 23)]


@pytest.mark.skipif(not (CORPUS / "otel-collector").is_dir(), reason="../shared/corpus is not present")
def test_corpus_collector_switches_are_judged(tmp_path: Path) -> None:
    """The lead's AL510-AL513 on the corpus's collector switches: the okta MCP server's debug
    exporter at verbosity detailed (AL510), every traces pipeline unsampled (AL512); no AL513:
    every plaintext exporter goes to a compose service (jaeger, tempo, loki) or a cluster service."""
    materialize_corpus(tmp_path, "otel-collector")
    found = project_findings(tmp_path, {}, ["AL51"])
    okta = "otel-collector/BalaGanaparthi/okta-mcp-server/otel-collector-config.yaml"
    ilya = "otel-collector/ilya-kolchinsky/agent-observability-operator/examples/end-to-end-demo/manifests/collector/collector.yaml"
    mairp = "otel-collector/mairp/agent-observability-stack/otel-collector/config.yaml"
    assert found == [("AL510", okta, 29, 16), ("AL512", okta, 43, 5), ("AL512", ilya, 33, 9), ("AL512", mairp, 52, 5)]


def test_the_done_when_collector_defect_is_one_located_finding(tmp_path: Path) -> None:
    """Issue 10, 'Done when': export to a remote collector over tls.insecure is one AL513 at the
    setting; its fixed twin (TLS, a sampler, a scrub) has none of the collector findings."""
    remote = OKTA.replace("endpoint: jaeger:4317", "endpoint: traces.example.com:4317")
    found = project_findings(tmp_path / "bad", {"otel-collector-config.yaml": remote, "app.py": CLIENT}, ["AL51", "AL53"])
    assert found == [
        ("AL510", "otel-collector-config.yaml", 20, 16),
        ("AL512", "otel-collector-config.yaml", 30, 5),
        ("AL513", "otel-collector-config.yaml", 24, 17),
        ("AL530", "otel-collector-config.yaml", 30, 5),
    ]
    fixed = (
        remote.replace("    tls:\n      insecure: true\n", "")
        .replace("verbosity: detailed", "verbosity: basic")
        .replace("  batch:\n    timeout: 1s\n", "  batch:\n    timeout: 1s\n  probabilistic_sampler:\n    sampling_percentage: 10\n"
                 "  redaction:\n    allow_all_keys: true\n    blocked_key_patterns: ['^gen_ai\\.(input|output)\\.messages$', '^gen_ai\\.(prompt|completion|system_instructions)']\n")
        .replace("processors: [batch, attributes]", "processors: [probabilistic_sampler, redaction, batch, attributes]")
    )
    assert project_findings(tmp_path / "fixed", {"otel-collector-config.yaml": fixed, "app.py": CLIENT}, ["AL51", "AL53"]) == []
