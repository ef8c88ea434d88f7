"""Telemetry in the environment: the variables of ``agentlint.model.telemetry_env`` as
:class:`TelemetrySwitch` facts and the variables that turn tracing on as :class:`TracingSetup`,
read from dotenv files (templates such as ``.env.example`` as what they recommend), docker
compose services, Kubernetes workload containers, Helm values env lists, Dockerfile ``ENV``
and GitHub Actions ``env:`` blocks.

Each switch points at its value as written (the name when the value is empty). A library
default is emitted (``implicit``) only in an environment that turns that tracing on and says
everything it sets (a dotenv file; a compose service without ``env_file``; a container
without ``envFrom``), at the variable that turns tracing on: the OpenTelemetry sampler where
an OTLP endpoint is set, Langfuse's sample rate where its keys are, Traceloop's content
capture where Traceloop is configured. A value filled in at deploy time (``${VAR}``,
``valueFrom``, ``${{ secrets.X }}``) is set, unknown: a non-risky switch that cancels the
default and is never a finding.
"""

from __future__ import annotations

import posixpath
import re

from agentlint.adapters.base import Adapter, deferred, forward
from agentlint.loaders.base import Syntax

_TEMPLATE = re.compile(r"\.(?:example|sample|template|tmpl|dist)\Z|(?:^|\.)(?:example|sample|template)\.env\Z", re.I)
_WORKFLOW = re.compile(r"(?:^|/)\.github/workflows/[^/]+\.ya?ml\Z", re.I)
_COMPOSE_NAME = re.compile(r"(?:^|/)(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml\Z", re.I)
_VALUES_NAME = re.compile(r"(?:^|/)values(?:[.-][^/]*)?\.ya?ml\Z", re.I)
_SERVICES = re.compile(r"^services\s*:", re.M)
_SERVICE_KEYS = re.compile(r"^[ \t]+(?:image|build|environment)\s*:", re.M)
_K8S_KIND = re.compile(
    r"^kind\s*:\s*[\"']?(?:Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|ConfigMap|Instrumentation)[\"']?\s*(?:#.*)?$", re.M
)
_ENV_LIST = re.compile(r"^[ \t]*(?:env|extraEnv|additionalEnv|extraEnvVars|envVars)\s*:", re.M)
_KNOWN = re.compile(
    r"OTEL_|TRACELOOP_|LANGSMITH_|LANGCHAIN_|LANGFUSE_|OPENINFERENCE_|PHOENIX_|OPENAI_AGENTS_|ADK_CAPTURE|"
    r"AZURE_TRACING_|OPENAI_LOG|LITELLM_LOG|LOGFIRE_TOKEN"
)


def is_template(path: str) -> bool:
    return _TEMPLATE.search(posixpath.basename(path)) is not None


class YamlKind:
    COMPOSE = "compose"
    KUBERNETES = "kubernetes"
    ACTIONS = "actions"
    HELM = "helm"


def yaml_kind(path: str, text: str) -> str | None:
    """Which environment-bearing YAML a file is, from its name and text (no parsing)."""
    if _WORKFLOW.search(path):
        return YamlKind.ACTIONS
    if _SERVICES.search(text) and (_COMPOSE_NAME.search(path) or _SERVICE_KEYS.search(text)):
        return YamlKind.COMPOSE  # "{{.Name}}" in a logging tag is still YAML
    if _VALUES_NAME.search(path) and _ENV_LIST.search(text):
        return YamlKind.HELM
    if _K8S_KIND.search(text) and "{{" not in text:  # a Helm template is not YAML until rendered
        return YamlKind.KUBERNETES
    return None


def claims(path: str, text: str) -> bool:
    name = posixpath.basename(path)
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return True
    if "ockerfile" in name or "ontainerfile" in name:
        return "ENV" in text and _KNOWN.search(text) is not None
    return _KNOWN.search(text) is not None and yaml_kind(path, text) is not None


adapt = deferred("agentlint.adapters._telemetry_env_read")
__getattr__ = forward("agentlint.adapters._telemetry_env_read", __name__)

ADAPTER = Adapter("telemetry-env", frozenset({Syntax.DOTENV, Syntax.DOCKERFILE, Syntax.YAML}), claims, adapt)
