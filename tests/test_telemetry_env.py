"""Telemetry in the environment (issue 10 point 4) and self-hosted Langfuse (point 6): the
telemetry-env adapter's TelemetrySwitch and TracingSetup facts from dotenv, compose,
Kubernetes, Helm, Dockerfile and GitHub Actions files (exact spans), what it claims, and the
langfuse-selfhost adapter with AL520/AL521 end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint.adapters import langfuse_selfhost, telemetry_env
from agentlint.loaders.dockerfile import load_dockerfile
from agentlint.loaders.dotenv import load_dotenv
from agentlint.loaders.yaml import load_yaml
from agentlint.model.source import Pos, Span
from agentlint.model.telemetry import Concern, Origin, TelemetrySwitch, TracingKind, TracingSetup
from agentlint.model.telemetry_env import BY_NAME, Reach, Verdict, judge, reach
from agentlint.model.trace_store import PublishedStore, Store, StoreSecret, Why
from tests.helpers import project_findings, project_result


def _facts(path: str, text: str) -> list:
    if path.rsplit("/", 1)[-1].startswith(".env") or path.endswith(".env"):
        loaded = load_dotenv(path, text)
    elif "ockerfile" in path:
        loaded = load_dockerfile(path, text)
    else:
        loaded = load_yaml(path, text)
    assert telemetry_env.claims(path, text)
    return telemetry_env.adapt(loaded).entities


def _switches(entities: list) -> list[tuple]:
    return [
        (s.setting, s.value, s.risky, s.implicit, s.origin, s.span.start.line, s.span.start.column)
        for s in entities
        if isinstance(s, TelemetrySwitch)
    ]


def _setups(entities: list) -> list[tuple]:
    return [(s.kind, s.origin, s.span.start.line, s.span.start.column) for s in entities if isinstance(s, TracingSetup)]


# ---- the table --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "verdict"),
    [
        ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true", Verdict.RISKY),
        ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "SPAN_AND_EVENT", Verdict.RISKY),
        ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "event_only", Verdict.RISKY),
        ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "NO_CONTENT", Verdict.SAFE),
        ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "${CAPTURE}", Verdict.UNKNOWN),
        ("TRACELOOP_TRACE_CONTENT", "", Verdict.RISKY),  # (getenv(...) or "true") == "true"
        ("TRACELOOP_TRACE_CONTENT", "0", Verdict.SAFE),
        ("OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA", "on", Verdict.RISKY),
        ("OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA", "false", Verdict.SAFE),
        ("LANGSMITH_HIDE_INPUTS", "false", Verdict.RISKY),
        ("LANGCHAIN_HIDE_OUTPUTS", "true", Verdict.SAFE),
        ("OPENINFERENCE_HIDE_INPUTS", "False", Verdict.RISKY),
        ("OPENAI_LOG", "debug", Verdict.RISKY),
        ("OPENAI_LOG", "info", Verdict.SAFE),
        ("LITELLM_LOG", "DEBUG", Verdict.RISKY),
        ("OTEL_TRACES_SAMPLER", "parentbased_always_on", Verdict.RISKY),
        ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio", Verdict.SAFE),
        ("LANGFUSE_SAMPLE_RATE", "1", Verdict.RISKY),
        ("LANGFUSE_SAMPLE_RATE", "0.2", Verdict.SAFE),
        ("LANGFUSE_SAMPLE_RATE", "nan", Verdict.UNKNOWN),
        ("OTEL_EXPORTER_OTLP_INSECURE", "true", Verdict.RISKY),
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://10.0.0.7:4318/v1/traces", Verdict.RISKY),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317", Verdict.SAFE),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318", Verdict.SAFE),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://[::1]:4318", Verdict.SAFE),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otlp.example.com", Verdict.SAFE),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector.example.com:4317", Verdict.UNKNOWN),
    ],
)
def test_values_as_each_library_reads_them(name: str, value: str, verdict: Verdict) -> None:
    assert judge(BY_NAME[name], value) is verdict


def test_reach_of_hosts() -> None:
    assert reach("localhost") is Reach.LOOPBACK
    assert reach("host.docker.internal") is Reach.HOST
    assert reach("0.0.0.0") is Reach.LOOPBACK and reach("::1") is Reach.LOOPBACK
    assert reach("otel-collector") is Reach.SAME_NETWORK
    assert reach("otel-collector.observability.svc.cluster.local") is Reach.CLUSTER
    assert reach("collector.example.com") is Reach.REMOTE


# ---- dotenv -----------------------------------------------------------------------------

DOTENV = (
    "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector.example.com:4318\n"  # 1
    "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=span_only\n"  # 2
    "OPENAI_LOG=\n"  # 3
    "LANGFUSE_PUBLIC_KEY=pk-lf-1234\n"  # 4
    "LANGFUSE_SECRET_KEY=${LANGFUSE_SECRET_KEY}\n"  # 5
    "LANGFUSE_SAMPLE_RATE=0.1\n"  # 6
)


def test_dotenv_switches_setups_and_implicit_sampler() -> None:
    entities = _facts(".env", DOTENV)
    assert _switches(entities) == [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.example.com:4318", True, False, Origin.DOTENV, 1, 29),
        ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "span_only", True, False, Origin.DOTENV, 2, 52),
        ("OPENAI_LOG", "", False, False, Origin.DOTENV, 3, 1),  # empty value: the name's span
        ("LANGFUSE_SAMPLE_RATE", "0.1", False, False, Origin.DOTENV, 6, 22),
        # the OTLP endpoint turns tracing on and no sampler is set: the SDK default keeps all
        ("OTEL_TRACES_SAMPLER", "", True, True, Origin.DOTENV, 1, 1),
    ]
    assert _setups(entities) == [
        (TracingKind.OPENTELEMETRY, Origin.DOTENV, 1, 1),
        (TracingKind.LANGFUSE, Origin.DOTENV, 4, 1),
    ]
    implicit = [s for s in entities if isinstance(s, TelemetrySwitch) and s.implicit][0]
    assert implicit.env == ("OTEL_TRACES_SAMPLER",) and implicit.concern is Concern.SAMPLING
    assert "parentbased_always_on" in implicit.detail
    endpoint = [s for s in entities if isinstance(s, TelemetrySwitch)][0]
    assert endpoint.span == Span(Pos(1, 29), Pos(1, 62)) and endpoint.concern is Concern.TRANSPORT


def test_a_template_recommends_and_implies_no_default() -> None:
    entities = _facts(".env.example", "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318\nTRACELOOP_TRACE_CONTENT=true\n")
    assert _switches(entities) == [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318", False, False, Origin.TEMPLATE, 1, 29),
        ("TRACELOOP_TRACE_CONTENT", "true", True, False, Origin.TEMPLATE, 2, 25),
    ]
    assert _setups(entities) == [(TracingKind.OPENTELEMETRY, Origin.TEMPLATE, 1, 1)]


def test_traceloop_default_only_where_traceloop_is_configured() -> None:
    assert _switches(_facts("prod.env", "TRACELOOP_API_KEY=${KEY}\n")) == [
        ("TRACELOOP_TRACE_CONTENT", "", True, True, Origin.DOTENV, 1, 1)
    ]
    assert _switches(_facts("prod.env", "TRACELOOP_API_KEY=${KEY}\nTRACELOOP_TRACE_CONTENT=false\n")) == [
        ("TRACELOOP_TRACE_CONTENT", "false", False, False, Origin.DOTENV, 2, 25)
    ]
    assert _switches(_facts("prod.env", "OPENAI_LOG=debug\n")) == [("OPENAI_LOG", "debug", True, False, Origin.DOTENV, 1, 12)]


# ---- docker compose ---------------------------------------------------------------------

COMPOSE = """\
services:
  agent:
    build: .
    env_file: .env.agent
    environment:
      OTEL_EXPORTER_OTLP_ENDPOINT: http://collector.example.com:4318
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: "true"
  worker:
    image: ghcr.io/acme/worker:1.4
    environment:
      - OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318
      - "OTEL_TRACES_SAMPLER=parentbased_traceidratio"
      - LANGSMITH_TRACING=true
      - LANGSMITH_HIDE_INPUTS
  otel-collector:
    image: otel/opentelemetry-collector-contrib:0.115.0
"""


def test_compose_mapping_and_list_environments() -> None:
    entities = _facts("docker-compose.yml", COMPOSE)
    assert _switches(entities) == [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.example.com:4318", True, False, Origin.COMPOSE, 6, 36),
        ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true", True, False, Origin.COMPOSE, 7, 59),
        # no implicit sampler for 'agent': its env_file may set one
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4318", False, False, Origin.COMPOSE, 11, 37),
        # a ratio sampler without OTEL_TRACES_SAMPLER_ARG keeps every trace (ratio 1.0)
        ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio", True, False, Origin.COMPOSE, 12, 30),
        ("LANGSMITH_HIDE_INPUTS", "", False, False, Origin.COMPOSE, 14, 9),  # passed from the host: unknown
    ]
    first = [s for s in entities if isinstance(s, TelemetrySwitch)][0]
    assert first.detail.endswith("(service agent, which also loads .env.agent)")
    same_network = [s for s in entities if isinstance(s, TelemetrySwitch)][2]
    assert "same compose or cluster network" in same_network.detail and "not risky" in same_network.detail
    assert _setups(entities) == [
        (TracingKind.OPENTELEMETRY, Origin.COMPOSE, 6, 7),
        (TracingKind.LANGSMITH, Origin.COMPOSE, 13, 9),
        (TracingKind.OPENTELEMETRY, Origin.COMPOSE, 11, 9),
    ]


def test_env_files_resolve_against_the_compose_folder() -> None:
    from agentlint.adapters._env_yaml import env_files

    assert env_files("deploy/compose.yaml", "../.env") == (".env",)
    assert env_files("deploy/compose.yaml", ["a.env", {"path": "./b.env", "required": False}, "${X}.env"]) == (
        "deploy/a.env",
        "deploy/b.env",
    )


def test_yaml_files_claimed_only_for_their_shapes() -> None:
    claims = telemetry_env.claims
    assert claims("deploy/compose.prod.yaml", "services:\n  a:\n    environment:\n      OTEL_SDK_DISABLED: 'true'\n")
    assert not claims("docker-compose.yml", "services:\n  a:\n    image: nginx\n")  # nothing telemetry
    assert not claims("chart/templates/deployment.yaml", "kind: Deployment\nenv:\n  - name: OTEL_X\n    value: {{ .Values.x }}\n")
    assert not claims("agents.yaml", "agents:\n  - name: OTEL_HELPER\n")
    logging_tag = "services:\n  a:\n    image: x\n    logging: {options: {tag: '{{.Name}}'}}\n    environment: [LITELLM_LOG=DEBUG]\n"
    assert claims("compose.yaml", logging_tag)


# ---- Kubernetes, Helm, Actions, Dockerfile ----------------------------------------------

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent-api
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/agent-api:2.3.1
          env:
            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: http://otel-collector.observability.svc.cluster.local:4318
            - name: OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT
              valueFrom:
                configMapKeyRef: {name: tracing, key: capture}
            - name: OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA
              value: "true"
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-eval
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: eval
              envFrom:
                - configMapRef: {name: tracing}
              env:
                - name: OTEL_EXPORTER_OTLP_ENDPOINT
                  value: https://otlp.example.com
"""


def test_kubernetes_containers() -> None:
    entities = _facts("k8s/agent.yaml", DEPLOYMENT)
    assert _switches(entities) == [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability.svc.cluster.local:4318", False, False, Origin.KUBERNETES, 13, 22),
        ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "", False, False, Origin.KUBERNETES, 14, 21),  # valueFrom
        ("OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA", "true", True, False, Origin.KUBERNETES, 18, 22),
        ("OTEL_TRACES_SAMPLER", "", True, True, Origin.KUBERNETES, 12, 21),  # the Deployment says all it sets
        # the CronJob container has envFrom: no implicit default there
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otlp.example.com", False, False, Origin.KUBERNETES, 35, 26),
    ]
    assert [s.ref.doc for s in entities if isinstance(s, TelemetrySwitch)] == [0, 0, 0, 0, 1]


def test_configmap_data_and_merged_anchors_are_one_fact_each() -> None:
    configmap = (
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: tracing\n"
        "data:\n"
        '  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: "SPAN_AND_EVENT"\n'
        "  config.yaml: |\n"
        "    LITELLM_LOG: DEBUG\n"
    )
    assert _switches(_facts("k8s/tracing.yaml", configmap)) == [
        ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "SPAN_AND_EVENT", True, False, Origin.KUBERNETES, 6, 55)
    ]
    compose = (
        "x-otel: &otel\n"
        "  OTEL_EXPORTER_OTLP_ENDPOINT: http://collector.example.com:4318\n"
        "services:\n"
        "  api:\n"
        "    image: acme/api:1\n"
        "    environment:\n"
        "      <<: *otel\n"
        "  worker:\n"
        "    image: acme/worker:1\n"
        "    environment:\n"
        "      <<: *otel\n"
        "      OTEL_TRACES_SAMPLER: always_on\n"
    )
    entities = _facts("compose.yaml", compose)
    assert _switches(entities) == [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.example.com:4318", True, False, Origin.COMPOSE, 2, 32),
        ("OTEL_TRACES_SAMPLER", "", True, True, Origin.COMPOSE, 2, 3),  # api sets no sampler
        ("OTEL_TRACES_SAMPLER", "always_on", True, False, Origin.COMPOSE, 12, 28),
    ]
    assert _setups(entities) == [(TracingKind.OPENTELEMETRY, Origin.COMPOSE, 2, 3)]


def test_operator_instrumentation() -> None:
    text = (
        "apiVersion: opentelemetry.io/v1alpha1\n"
        "kind: Instrumentation\n"
        "metadata:\n"
        "  name: genai\n"
        "spec:\n"
        "  exporter:\n"
        "    endpoint: http://otel-collector.observability.svc.cluster.local:4318\n"
        "  sampler:\n"
        "    type: parentbased_traceidratio\n"
        '    argument: "1"\n'
        "  python:\n"
        "    env:\n"
        "      - name: OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT\n"
        '        value: "true"\n'
    )
    entities = _facts("k8s/instrumentation.yaml", text)
    assert _switches(entities) == [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability.svc.cluster.local:4318", False, False, Origin.KUBERNETES, 7, 15),
        ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio", True, False, Origin.KUBERNETES, 9, 11),  # ratio 1
        ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true", True, False, Origin.KUBERNETES, 14, 16),
    ]
    assert _setups(entities) == [(TracingKind.OPENTELEMETRY, Origin.KUBERNETES, 7, 5)]


def test_langfuse_keys_from_a_secret_count() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: agent}\nspec:\n  containers:\n    - name: agent\n      env:\n"
        "        - name: LANGFUSE_PUBLIC_KEY\n          value: pk-lf-0a1b2c\n"
        "        - name: LANGFUSE_SECRET_KEY\n          valueFrom: {secretKeyRef: {name: langfuse, key: secret}}\n"
    )
    entities = _facts("pod.yaml", text)
    assert _setups(entities) == [(TracingKind.LANGFUSE, Origin.KUBERNETES, 8, 17)]
    assert _switches(entities) == [("LANGFUSE_SAMPLE_RATE", "", True, True, Origin.KUBERNETES, 8, 17)]


def test_helm_values_env_list() -> None:
    text = (
        "langfuse:\n"
        "  additionalEnv:\n"
        "    - name: LANGFUSE_SAMPLE_RATE\n"
        '      value: "1.0"\n'
        "    - name: OTEL_EXPORTER_OTLP_INSECURE\n"
        "      value: 'true'\n"
    )
    assert _switches(_facts("charts/values-prod.yaml", text)) == [
        ("LANGFUSE_SAMPLE_RATE", "1.0", True, False, Origin.HELM, 4, 14),
        ("OTEL_EXPORTER_OTLP_INSECURE", "true", True, False, Origin.HELM, 6, 14),
    ]


def test_actions_env_at_every_level() -> None:
    text = (
        "name: evals\n"
        "on: [push]\n"
        "env:\n"
        "  LANGSMITH_TRACING: true\n"
        "jobs:\n"
        "  eval:\n"
        "    runs-on: ubuntu-latest\n"
        "    env:\n"
        "      LITELLM_LOG: DEBUG\n"
        "    steps:\n"
        "      - name: run\n"
        "        run: python -m evals\n"
        "        env:\n"
        "          LANGSMITH_HIDE_OUTPUTS: ${{ vars.HIDE }}\n"
    )
    entities = _facts(".github/workflows/evals.yml", text)
    assert _switches(entities) == [
        ("LITELLM_LOG", "DEBUG", True, False, Origin.ACTIONS, 9, 20),
        ("LANGSMITH_HIDE_OUTPUTS", "${{ vars.HIDE }}", False, False, Origin.ACTIONS, 14, 35),
    ]
    assert _setups(entities) == [(TracingKind.LANGSMITH, Origin.ACTIONS, 4, 3)]


def test_dockerfile_env() -> None:
    text = (
        "FROM python:3.12-slim\n"
        "ENV OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://203.0.113.9:4318/v1/traces \\\n"
        "    OTEL_EXPORTER_OTLP_TRACES_INSECURE=true\n"
        "ENV OPENAI_LOG debug\n"
    )
    entities = _facts("Dockerfile", text)
    assert _switches(entities) == [
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://203.0.113.9:4318/v1/traces", True, False, Origin.DOCKERFILE, 2, 40),
        # the http:// scheme decides, not the flag: one defect, reported at the endpoint
        ("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "true", False, False, Origin.DOCKERFILE, 3, 40),
        ("OPENAI_LOG", "debug", True, False, Origin.DOCKERFILE, 4, 16),
    ]
    assert _setups(entities) == [(TracingKind.OPENTELEMETRY, Origin.DOCKERFILE, 2, 5)]


def test_insecure_flag_counts_only_for_a_scheme_less_endpoint() -> None:
    facts = _facts("prod.env", "OTEL_EXPORTER_OTLP_ENDPOINT=https://otlp.example.com\nOTEL_EXPORTER_OTLP_INSECURE=true\n")
    insecure = [s for s in facts if isinstance(s, TelemetrySwitch) and s.setting.endswith("INSECURE")][0]
    assert not insecure.risky and "ignored" in insecure.detail
    facts = _facts("prod.env", "OTEL_EXPORTER_OTLP_ENDPOINT=collector.example.com:4317\nOTEL_EXPORTER_OTLP_INSECURE=true\n")
    assert [(s.setting, s.risky) for s in facts if isinstance(s, TelemetrySwitch) and not s.implicit] == [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", False),  # no scheme: unknown here, the flag decides
        ("OTEL_EXPORTER_OTLP_INSECURE", True),
    ]


def test_dockerfile_builder_stages_do_not_reach_the_image() -> None:
    text = (
        "FROM python:3.12 AS build\n"
        "ENV LITELLM_LOG=DEBUG\n"  # the builder only
        "FROM python:3.12-slim AS base\n"
        "ENV OPENAI_LOG=debug\n"  # inherited by the final stage
        "FROM --platform=linux/amd64 base\n"
        "ENV OTEL_TRACES_SAMPLER=always_on\n"
    )
    assert _switches(_facts("Dockerfile", text)) == [
        ("OPENAI_LOG", "debug", True, False, Origin.DOCKERFILE, 4, 16),
        ("OTEL_TRACES_SAMPLER", "always_on", True, False, Origin.DOCKERFILE, 6, 25),
    ]


def test_engine_reads_these_files(tmp_path: Path) -> None:
    result = project_result(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.12\nENV LITELLM_LOG=DEBUG\n",
            "compose.yaml": COMPOSE,
            ".github/workflows/ci.yml": "on: push\nenv:\n  OPENAI_LOG: debug\njobs: {}\n",
        },
    )
    records = {r.path: r.adapters for r in result.files}
    assert "telemetry-env" in records["Dockerfile"]
    assert "telemetry-env" in records["compose.yaml"]
    assert "telemetry-env" in records[".github/workflows/ci.yml"]


# ---- self-hosted Langfuse ---------------------------------------------------------------

LANGFUSE = """\
services:
  langfuse-worker:
    image: docker.io/langfuse/langfuse-worker:3
    environment: &langfuse-worker-env
      DATABASE_URL: postgresql://postgres:postgres@postgres:5432/postgres # CHANGEME
      SALT: "mysalt" # CHANGEME
      ENCRYPTION_KEY: "0000000000000000000000000000000000000000000000000000000000000000" # CHANGEME
      CLICKHOUSE_PASSWORD: ${CLICKHOUSE_PASSWORD:-clickhouse} # CHANGEME
      REDIS_AUTH: ${REDIS_AUTH:-myredissecret} # CHANGEME
  langfuse-web:
    image: docker.io/langfuse/langfuse:3
    ports:
      - 3000:3000
    environment:
      <<: *langfuse-worker-env
      NEXTAUTH_SECRET: mysecret # CHANGEME
  minio:
    image: docker.io/minio/minio
    environment:
      MINIO_ROOT_PASSWORD: miniosecret # CHANGEME
    ports:
      - 9090:9000
      - 127.0.0.1:9091:9001
  redis:
    image: docker.io/redis:7
    # CHANGEME: row below to secure redis password
    command: >
      --requirepass ${REDIS_AUTH:-myredissecret}
    ports:
      - 127.0.0.1:6379:6379
"""


def test_langfuse_secrets_and_published_stores() -> None:
    assert langfuse_selfhost.claims("docker-compose.yml", LANGFUSE)
    entities = langfuse_selfhost.adapt(load_yaml("docker-compose.yml", LANGFUSE)).entities
    secrets = [(s.service, s.variable, s.value, s.store, s.why, s.fallback, s.span.start.line, s.span.start.column) for s in entities if isinstance(s, StoreSecret)]
    assert secrets == [
        ("service langfuse-worker", "DATABASE_URL", "postgres", Store.POSTGRES, Why.LANGFUSE_DEFAULT, "", 5, 21),
        ("service langfuse-worker", "SALT", "mysalt", Store.LANGFUSE, Why.LANGFUSE_DEFAULT, "", 6, 13),
        ("service langfuse-worker", "ENCRYPTION_KEY", "0" * 64, Store.LANGFUSE, Why.LANGFUSE_DEFAULT, "", 7, 23),
        ("service langfuse-worker", "CLICKHOUSE_PASSWORD", "clickhouse", Store.CLICKHOUSE, Why.LANGFUSE_DEFAULT, "CLICKHOUSE_PASSWORD", 8, 28),
        ("service langfuse-worker", "REDIS_AUTH", "myredissecret", Store.REDIS, Why.LANGFUSE_DEFAULT, "REDIS_AUTH", 9, 19),
        # the merged '<<: *langfuse-worker-env' values are the same text: not repeated
        ("service langfuse-web", "NEXTAUTH_SECRET", "mysecret", Store.LANGFUSE, Why.LANGFUSE_DEFAULT, "", 16, 24),
        ("service minio", "MINIO_ROOT_PASSWORD", "miniosecret", Store.MINIO, Why.LANGFUSE_DEFAULT, "", 20, 28),
        ("service redis", "--requirepass", "myredissecret", Store.REDIS, Why.LANGFUSE_DEFAULT, "REDIS_AUTH", 28, 21),
    ]
    assert all(s.marked for s in entities if isinstance(s, StoreSecret))
    published = [(p.service, p.port, p.secrets, p.span.start.line) for p in entities if isinstance(p, PublishedStore)]
    assert published == [("minio", "9090:9000", ("MINIO_ROOT_PASSWORD",), 22)]


def test_langfuse_rules_end_to_end(tmp_path: Path) -> None:
    found = project_findings(tmp_path, {"docker-compose.yml": LANGFUSE}, families=("AL52",))
    assert found == [
        ("AL520", "docker-compose.yml", 5, 21),
        ("AL520", "docker-compose.yml", 6, 13),
        ("AL520", "docker-compose.yml", 7, 23),
        ("AL520", "docker-compose.yml", 8, 28),
        ("AL520", "docker-compose.yml", 9, 19),  # and --requirepass on line 28: one fallback, one finding
        ("AL520", "docker-compose.yml", 16, 24),
        ("AL520", "docker-compose.yml", 20, 28),
        ("AL521", "docker-compose.yml", 22, 9),
    ]


def test_a_dotenv_beside_the_compose_file_overrides_fallbacks(tmp_path: Path) -> None:
    dotenv = "CLICKHOUSE_PASSWORD=Zr8c1Qk5Wm2Lp9Xv\nREDIS_AUTH=changeme\n"
    found = project_findings(tmp_path, {"docker-compose.yml": LANGFUSE, ".env": dotenv}, families=("AL520",))
    lines = [line for _, path, line, _ in found if path == "docker-compose.yml"]
    assert 8 not in lines  # overridden by a real secret
    assert 9 in lines  # overridden by another placeholder: still weak


CHART_VALUES = """\
langfuse:
  nextauth:
    url: http://localhost:3000
    secret: changeme
  salt:
    value: "mysalt"
  encryptionKey:
    secretKeyRef: {name: langfuse, key: encryption-key}
  additionalEnv:
    - name: "REDIS_CONNECTION_STRING"
      value: "redis://default:changeme@langfuse-valkey-primary:6379/0"
    - name: "CLICKHOUSE_PASSWORD"
      value: "${CLICKHOUSE_PASSWORD}"
postgresql:
  auth:
    password: postgres
minio:
  auth:
    rootPassword: 'Vh2p8QzL0rTk5Wm1'
"""


def test_langfuse_chart_values() -> None:
    assert langfuse_selfhost.claims("deploy/values.yaml", CHART_VALUES)
    assert not langfuse_selfhost.claims("deploy/config.yaml", CHART_VALUES)
    entities = langfuse_selfhost.adapt(load_yaml("deploy/values.yaml", CHART_VALUES)).entities
    assert [(s.written, s.service, s.value, s.store, s.why, s.span.start.line, s.span.start.column) for s in entities] == [
        ("langfuse.salt.value", "the Langfuse chart's values", "mysalt", Store.LANGFUSE, Why.LANGFUSE_DEFAULT, 6, 12),
        ("langfuse.nextauth.secret", "the Langfuse chart's values", "changeme", Store.LANGFUSE, Why.PLACEHOLDER, 4, 13),
        ("postgresql.auth.password", "the Langfuse chart's values", "postgres", Store.POSTGRES, Why.LANGFUSE_DEFAULT, 16, 15),
        # a value that may be a real secret, and one set at deploy time: checked, fine
        ("minio.auth.rootPassword", "the Langfuse chart's values", "", Store.MINIO, None, 19, 19),
        ("REDIS_CONNECTION_STRING", "values langfuse.additionalEnv", "changeme", Store.REDIS, Why.PLACEHOLDER, 11, 14),
        ("CLICKHOUSE_PASSWORD", "values langfuse.additionalEnv", "", Store.CLICKHOUSE, None, 13, 14),
    ]


def test_not_langfuse_not_read() -> None:
    text = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n"
    assert not langfuse_selfhost.claims("compose.yaml", text)


# ---- hostile shapes ---------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_KEYS = st.sampled_from(
    ["services", "environment", "env", "env_file", "image", "ports", "command", "kind", "spec", "template",
     "containers", "jobs", "steps", "name", "value", "valueFrom", "langfuse", "salt", "nextauth", "secret",
     "additionalEnv", "OTEL_TRACES_SAMPLER", "SALT", "REDIS_AUTH", "published", "host_ip", "path"]
)
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.sampled_from(["Deployment", "langfuse/langfuse:3", "redis:7", "--requirepass", "${X:-mysalt}", "5432:5432",
                     "http://a.example.com", "OTEL_EXPORTER_OTLP_ENDPOINT=http://x", "=", "true", "mysalt"]),
    st.text(max_size=12),
)
_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)), max_leaves=30)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DATA, st.sampled_from(["compose.yaml", "k8s/app.yaml", ".github/workflows/ci.yml", "values.yaml"]))
def test_hostile_shapes_never_crash_the_adapters(data: object, path: str) -> None:
    import yaml

    document = {"kind": "Deployment", "services": data, "spec": {"template": {"spec": {"containers": data}}}, "jobs": data}
    document |= {"langfuse": {"salt": data, "additionalEnv": data}, "env": data}
    text = yaml.safe_dump(document, default_flow_style=False)
    loaded = load_yaml(path, text)
    telemetry_env.adapt(loaded)
    langfuse_selfhost.adapt(loaded)


def test_trace_store_helpers() -> None:
    from agentlint.model.trace_store import published_on_all_interfaces, secret_part, split_fallback, store_image, weak

    assert [published_on_all_interfaces(p) for p in ("5432:5432", "5432", "0.0.0.0:5432:5432", "127.0.0.1:5432:5432", "[::1]:5432:5432", "localhost:1:1")] == [
        True, True, True, False, False, False
    ]
    assert split_fallback("${REDIS_AUTH:-myredissecret}") == ("REDIS_AUTH", "myredissecret")
    assert split_fallback("${SALT:?set it}") is None
    assert secret_part("DATABASE_URL", "postgresql://u:p%40ss@db:5432/x") == "p@ss"
    assert secret_part("DATABASE_URL", "postgresql://db:5432/x") == ""
    assert weak("ENCRYPTION_KEY", "0" * 64) is Why.LANGFUSE_DEFAULT
    assert weak("ENCRYPTION_KEY", "f" * 64) is Why.PLACEHOLDER
    assert weak("SALT", "<your-salt>") is Why.PLACEHOLDER
    assert weak("SALT", "Zr8c1Qk5Wm2Lp9Xv") is None and weak("SALT", "") is None and weak("SALT", "${SALT}") is None
    assert store_image("docker.io/langfuse/langfuse-worker:3") is Store.LANGFUSE
    assert store_image("ghcr.io/acme/langfuse-proxy:1") is None
    assert store_image("clickhouse/clickhouse-server:24.3") is Store.CLICKHOUSE
    assert store_image("valkey/valkey:8") is Store.REDIS


def test_compose_long_port_syntax() -> None:
    text = (
        "services:\n"
        "  langfuse:\n"
        "    image: langfuse/langfuse:3\n"
        "  redis:\n"
        "    image: redis:7\n"
        "    environment:\n"
        "      REDIS_PASSWORD: changeme\n"
        "    ports:\n"
        "      - target: 6379\n"
        "        published: 6379\n"
        "      - {target: 6380, published: 6380, host_ip: 127.0.0.1}\n"
    )
    entities = langfuse_selfhost.adapt(load_yaml("compose.yaml", text)).entities
    assert [(p.port, p.span.start.line, p.secrets) for p in entities if isinstance(p, PublishedStore)] == [
        ("6379:6379", 9, ("REDIS_PASSWORD",))
    ]
