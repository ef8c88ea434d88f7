"""Environments written in YAML: docker compose services, Kubernetes workload containers,
GitHub Actions ``env:`` blocks and Helm values env lists, as :class:`EnvScope` (variables with
the span of each name and value). Shared by the telemetry-environment and self-hosted
Langfuse adapters. Plain data walks only; nothing is resolved across files.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.loaders.base import LocatedDoc
from agentlint.model.source import Pointer, Span
from agentlint.model.telemetry import Origin

_BREAK = re.compile(r"\r\n|\n|\r")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


@dataclass(frozen=True, slots=True)
class EnvVar:
    name: str
    value: str | None  # None: filled from elsewhere (valueFrom, a compose KEY with no value)
    name_span: Span
    value_span: Span | None  # None when no value is written
    pointer: Pointer

    @property
    def span(self) -> Span:
        return self.value_span if self.value_span is not None and self.value else self.name_span


@dataclass(frozen=True, slots=True)
class EnvScope:
    """One environment: a compose service, a container, an ``env:`` block, an env list."""

    origin: Origin
    pointer: Pointer
    label: str  # "service api", "container app of Deployment/web"
    variables: tuple[EnvVar, ...]
    complete: bool  # nothing else (env_file, envFrom) adds variables this file cannot see
    doc: int = 0

    def values(self) -> dict[str, str]:
        """Known values, the last binding of a name winning (as compose and Kubernetes do)."""
        return {v.name: v.value for v in self.variables if v.value is not None}

    def last(self) -> dict[str, EnvVar]:
        return {v.name: v for v in self.variables}


@dataclass(frozen=True, slots=True)
class ComposeService:
    name: str
    image: str
    ports: tuple[tuple[str, Span], ...]  # short-syntax entries as written, long syntax rendered
    command: tuple[str, Span] | None
    scope: EnvScope


class Lines:
    """Line texts of a file, to find ``KEY`` and ``value`` inside a ``KEY=value`` scalar."""

    def __init__(self, text: str) -> None:
        self.lines = _BREAK.split(text)

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def rest_of_line(self, span: Span) -> str:
        return self.line(span.end.line)[span.end.column - 1 :]

    def split_item(self, item: str, span: Span) -> tuple[Span, Span]:
        """Spans of ``KEY`` and ``value`` in a one-line ``KEY=value`` scalar written plain or
        quoted without escapes; otherwise the whole scalar for both."""
        key, _, _ = item.partition("=")
        if span.start.line == span.end.line:
            raw = self.line(span.start.line)[span.start.column - 1 : span.end.column - 1]
            inner = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"" else raw
            if inner == item:
                col = span.start.column + (len(raw) - len(inner)) // 2
                at = span.start
                name = Span(at._replace(column=col), at._replace(column=col + len(key)))
                value = Span(at._replace(column=col + len(key) + 1), at._replace(column=col + len(item)))
                return name, value
        return span, span


def scalar_text(value: object) -> str | None:
    """A YAML scalar as the environment receives it; None for null, mappings and lists."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def _mapping_env(doc: LocatedDoc, pointer: Pointer, data: dict) -> list[EnvVar]:
    smap = doc.source_map
    out = []
    for name, value in data.items():
        if not isinstance(name, str):
            continue
        at = pointer + (name,)
        name_span = smap.key(at) or smap.locate(at)
        text = scalar_text(value)
        out.append(EnvVar(name, text, name_span, smap.value(at) if text is not None else None, at))
    return out


def _list_env(doc: LocatedDoc, pointer: Pointer, data: list, lines: Lines) -> list[EnvVar]:
    """compose ``- KEY=value`` (``- KEY`` passes the host's value through: unknown)."""
    smap = doc.source_map
    out = []
    for index, item in enumerate(data):
        if not isinstance(item, str) or not item:
            continue
        at = pointer + (index,)
        span = smap.value(at) or smap.locate(at)
        name, sep, value = item.partition("=")
        if not _NAME.match(name):
            continue
        name_span, value_span = lines.split_item(item, span)
        out.append(EnvVar(name, value if sep else None, name_span, value_span if sep else None, at))
    return out


def _k8s_env(doc: LocatedDoc, pointer: Pointer, data: list) -> list[EnvVar]:
    """Kubernetes / Helm ``- name: X`` ``value: y`` (``valueFrom``: unknown)."""
    smap = doc.source_map
    out = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        at = pointer + (index,)
        name_span = smap.value(at + ("name",)) or smap.locate(at)
        text = scalar_text(item.get("value")) if "value" in item else None
        value_span = smap.value(at + ("value",)) if text is not None else None
        out.append(EnvVar(item["name"], text, name_span, value_span, at + ("value",) if text is not None else at))
    return out


# ---- docker compose ---------------------------------------------------------------------


def compose_services(doc: LocatedDoc, lines: Lines) -> Iterator[ComposeService]:
    data = doc.data
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return
    smap = doc.source_map
    for name, service in services.items():
        if not isinstance(service, dict) or not isinstance(name, str):
            continue
        base: Pointer = ("services", name)
        env = service.get("environment")
        variables: list[EnvVar] = []
        if isinstance(env, dict):
            variables = _mapping_env(doc, base + ("environment",), env)
        elif isinstance(env, list):
            variables = _list_env(doc, base + ("environment",), env, lines)
        loads = env_files(doc.path, service.get("env_file"))
        label = f"service {name}" + (f", which also loads {', '.join(loads)}" if loads else "")
        scope = EnvScope(Origin.COMPOSE, base, label, tuple(variables), "env_file" not in service, doc.index)
        ports = []
        for index, port in enumerate(service.get("ports") or () if isinstance(service.get("ports"), list) else ()):
            at = base + ("ports", index)
            span = smap.value(at) or smap.locate(at)
            if isinstance(port, (str, int)):
                ports.append((str(port), span))
            elif isinstance(port, dict) and port.get("published") is not None:
                host_ip = port.get("host_ip")
                text = f"{host_ip}:" if isinstance(host_ip, str) else ""
                ports.append((f"{text}{port['published']}:{port.get('target', '')}", span))
        command = service.get("command")
        command_at = smap.value(base + ("command",)) if isinstance(command, str) else None
        image = service.get("image")
        yield ComposeService(
            name,
            image if isinstance(image, str) else "",
            tuple(ports),
            (command, command_at) if isinstance(command, str) and command_at is not None else None,
            scope,
        )


def env_files(compose_path: str, value: object) -> tuple[str, ...]:
    """``env_file`` (a path, a list of paths or of ``{path, required}``), each resolved
    against the compose file's folder as compose resolves it: the files are read on their own."""
    items = value if isinstance(value, list) else [value]
    folder = posixpath.dirname(compose_path)
    out = []
    for item in items:
        path = item.get("path") if isinstance(item, dict) else item
        if isinstance(path, str) and path and "$" not in path:
            out.append(posixpath.normpath(posixpath.join(folder, path)))
    return tuple(out)


def is_compose(doc: LocatedDoc) -> bool:
    data = doc.data
    services = data.get("services") if isinstance(data, dict) else None
    return isinstance(services, dict) and any(
        isinstance(s, dict) and ({"image", "build", "environment"} & s.keys()) for s in services.values()
    )


# ---- Kubernetes -------------------------------------------------------------------------

WORKLOADS = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def k8s_scopes(doc: LocatedDoc) -> Iterator[EnvScope]:
    data = doc.data
    if isinstance(data, dict) and data.get("kind") == "ConfigMap" and isinstance(data.get("data"), dict):
        # variables for containers that load it (envFrom); only keys that look like variables
        metadata = data.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        env = {k: v for k, v in data["data"].items() if isinstance(k, str) and _NAME.match(k) and k.upper() == k}
        label = f"ConfigMap/{name}" if isinstance(name, str) else "ConfigMap"
        yield EnvScope(Origin.KUBERNETES, ("data",), label, tuple(_mapping_env(doc, ("data",), env)), False, doc.index)
        return
    if isinstance(data, dict) and data.get("kind") == "Instrumentation" and str(data.get("apiVersion", "")).startswith("opentelemetry.io/"):
        yield _instrumentation(doc, data)
        return
    if not isinstance(data, dict) or data.get("kind") not in WORKLOADS:
        return
    path = WORKLOADS[data["kind"]]
    pod = data
    for part in path:
        pod = pod.get(part) if isinstance(pod, dict) else None
    if not isinstance(pod, dict):
        return
    metadata = data.get("metadata")
    workload = f"{data['kind']}/{metadata.get('name')}" if isinstance(metadata, dict) and metadata.get("name") else data["kind"]
    for group in ("initContainers", "containers"):
        containers = pod.get(group)
        if not isinstance(containers, list):
            continue
        for index, container in enumerate(containers):
            if not isinstance(container, dict):
                continue
            at = path + (group, index)
            env = container.get("env")
            variables = _k8s_env(doc, at + ("env",), env) if isinstance(env, list) else []
            label = f"container {container.get('name', index)} of {workload}"
            yield EnvScope(Origin.KUBERNETES, at, label, tuple(variables), "envFrom" not in container, doc.index)


_LANGUAGES = ("python", "nodejs", "java", "dotnet", "go", "apacheHttpd", "nginx")


def _instrumentation(doc: LocatedDoc, data: dict) -> EnvScope:
    """The OpenTelemetry Operator's ``Instrumentation``: the variables it injects into the pods
    it instruments (``spec.exporter.endpoint`` -> ``OTEL_EXPORTER_OTLP_ENDPOINT``,
    ``spec.sampler.type``/``argument`` -> ``OTEL_TRACES_SAMPLER``/``_ARG``, ``spec.env`` and
    ``spec.<language>.env``)."""
    smap = doc.source_map
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    variables: list[EnvVar] = []
    for pointer, name in (
        (("spec", "exporter", "endpoint"), "OTEL_EXPORTER_OTLP_ENDPOINT"),
        (("spec", "sampler", "type"), "OTEL_TRACES_SAMPLER"),
        (("spec", "sampler", "argument"), "OTEL_TRACES_SAMPLER_ARG"),
    ):
        node: object = data
        for part in pointer:
            node = node.get(part) if isinstance(node, dict) else None
        text = scalar_text(node)
        if text is not None:
            variables.append(EnvVar(name, text, smap.key(pointer) or smap.locate(pointer), smap.value(pointer), pointer))
    lists = [(("spec", "env"), spec.get("env"))]
    lists += [(("spec", lang, "env"), spec[lang].get("env")) for lang in _LANGUAGES if isinstance(spec.get(lang), dict)]
    for pointer, env in lists:
        if isinstance(env, list):
            variables.extend(_k8s_env(doc, pointer, env))
    metadata = data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    label = f"Instrumentation/{name}" if isinstance(name, str) else "Instrumentation"
    return EnvScope(Origin.KUBERNETES, ("spec",), label, tuple(variables), False, doc.index)


# ---- GitHub Actions ---------------------------------------------------------------------


def actions_scopes(doc: LocatedDoc) -> Iterator[EnvScope]:
    data = doc.data
    if not isinstance(data, dict):
        return
    blocks: list[tuple[Pointer, str, object]] = [(("env",), "workflow", data.get("env"))]
    jobs = data.get("jobs")
    for job_id, job in (jobs.items() if isinstance(jobs, dict) else ()):
        if not isinstance(job, dict):
            continue
        blocks.append((("jobs", job_id, "env"), f"job {job_id}", job.get("env")))
        steps = job.get("steps")
        for index, step in enumerate(steps if isinstance(steps, list) else ()):
            if isinstance(step, dict):
                name = step.get("name") or step.get("id") or f"#{index + 1}"
                blocks.append((("jobs", job_id, "steps", index, "env"), f"step {name} of job {job_id}", step.get("env")))
    for pointer, label, env in blocks:
        if isinstance(env, dict):
            yield EnvScope(Origin.ACTIONS, pointer, label, tuple(_mapping_env(doc, pointer, env)), False, doc.index)


# ---- Helm values ------------------------------------------------------------------------

ENV_LIST_KEYS = frozenset({"env", "extraEnv", "additionalEnv", "extraEnvVars", "envVars"})


def helm_scopes(doc: LocatedDoc, max_depth: int = 12) -> Iterator[EnvScope]:
    """Lists of ``{name, value}`` under an env-list key anywhere in a values file (the clear
    shape charts such as Langfuse's ``langfuse.additionalEnv`` use)."""
    stack: list[tuple[Pointer, object]] = [((), doc.data)]
    while stack:
        pointer, node = stack.pop()
        if not isinstance(node, dict) or len(pointer) > max_depth:
            continue
        for key, child in node.items():
            if key in ENV_LIST_KEYS and isinstance(child, list) and child and all(
                isinstance(i, dict) and isinstance(i.get("name"), str) for i in child
            ):
                at = pointer + (key,)
                label = ".".join(str(p) for p in at)
                yield EnvScope(Origin.HELM, at, label, tuple(_k8s_env(doc, at, child)), False, doc.index)
            elif isinstance(child, dict):
                stack.append((pointer + (key,), child))
