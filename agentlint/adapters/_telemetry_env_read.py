"""The reading half of the telemetry-env adapter (``adapters/telemetry_env.py`` keeps the
cheap ``claims`` and imports this module for the first file it claims, so that a run with no
environment file imports none of model.telemetry_env, model.telemetry or _env_yaml)."""

from __future__ import annotations

import posixpath

from agentlint.adapters._env_yaml import (
    EnvScope,
    EnvVar,
    Lines,
    actions_scopes,
    compose_services,
    helm_scopes,
    is_compose,
    k8s_scopes,
)
from agentlint.adapters.base import Adapted
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import NodeRef, Span
from agentlint.model.telemetry import Concern, Origin, TelemetrySwitch, TracingSetup
from agentlint.model.telemetry_env import (
    BY_NAME,
    SWITCHES,
    Verdict,
    endpoint_detail,
    endpoint_host,
    is_deploy_time,
    judge,
    sampler_keeps_all,
    tracing_turned_on,
)
from agentlint.adapters.telemetry_env import YamlKind, is_template, yaml_kind


# ---- scopes per syntax ------------------------------------------------------------------


def _dotenv_scope(doc: LocatedDoc, template: bool) -> EnvScope | None:
    if not isinstance(doc.data, dict):
        return None
    smap = doc.source_map
    variables = []
    for name, value in doc.data.items():
        name_span = smap.key((name,)) or Span.point(1)
        variables.append(EnvVar(name, value, name_span, smap.value((name,)) if value is not None else None, (name,)))
    origin = Origin.TEMPLATE if template else Origin.DOTENV
    return EnvScope(origin, (), posixpath.basename(doc.path), tuple(variables), not template, doc.index)


def _final_stages(instructions: list) -> set[int]:
    """Indexes of the stages the final image is built on: the last ``FROM`` and, through
    ``FROM <stage>``, the stages it starts from (ENV is inherited from them, not from builders)."""
    names: dict[str, int] = {}
    bases: list[str] = []
    for instruction in instructions:
        if isinstance(instruction, dict) and instruction.get("keyword") == "FROM":
            words = [w for w in str(instruction.get("arguments", "")).split() if not w.startswith("--")]
            if len(words) >= 3 and words[1].lower() == "as":
                names[words[2].lower()] = len(bases)
            bases.append(words[0].lower() if words else "")
    chain: set[int] = set()
    stage = len(bases) - 1
    while stage >= 0 and stage not in chain:
        chain.add(stage)
        stage = names.get(bases[stage], -1)
    return chain


def _dockerfile_scope(doc: LocatedDoc) -> EnvScope | None:
    if not isinstance(doc.data, list):
        return None
    smap = doc.source_map
    variables = []
    final = _final_stages(doc.data)
    stage = -1
    for index, instruction in enumerate(doc.data):
        if isinstance(instruction, dict) and instruction.get("keyword") == "FROM":
            stage += 1
        if not isinstance(instruction, dict) or instruction.get("keyword") != "ENV" or stage not in final:
            continue
        for j, pair in enumerate(instruction.get("pairs", ())):
            at = (index, "pairs", j)
            name_span = smap.value(at + ("name",)) or Span.point(1)
            variables.append(EnvVar(pair["name"], pair["value"], name_span, smap.value(at + ("value",)), at + ("value",)))
    return EnvScope(Origin.DOCKERFILE, (), "image", tuple(variables), False, doc.index)


def scopes(file: LoadedFile) -> list[EnvScope]:
    out: list[EnvScope] = []
    if file.syntax is Syntax.DOTENV:
        template = is_template(file.path)
        out.extend(s for s in (_dotenv_scope(doc, template) for doc in file.docs) if s is not None)
    elif file.syntax is Syntax.DOCKERFILE:
        out.extend(s for s in (_dockerfile_scope(doc) for doc in file.docs) if s is not None)
    elif file.syntax is Syntax.YAML:
        kind = yaml_kind(file.path, file.text)
        lines = Lines(file.text)
        for doc in file.docs:
            if kind == YamlKind.COMPOSE and is_compose(doc):
                out.extend(service.scope for service in compose_services(doc, lines))
            elif kind == YamlKind.KUBERNETES:
                out.extend(k8s_scopes(doc))
            elif kind == YamlKind.ACTIONS:
                out.extend(actions_scopes(doc))
            elif kind == YamlKind.HELM:
                out.extend(helm_scopes(doc))
    return out


# ---- facts ------------------------------------------------------------------------------


def _endpoint_scheme(insecure: str, known: dict[str, str]) -> str:
    """The scheme of the endpoint an ``*_INSECURE`` flag applies to ("" when it has none or
    none is set): the OTLP exporters read the flag only for a scheme-less gRPC endpoint."""
    names = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
    for name in names if "_TRACES_" in insecure else names[::-1]:
        if name in known:
            parts = endpoint_host(known[name])
            return parts[0] if parts else ""
    return ""


def _switches(path: str, scope: EnvScope) -> list[TelemetrySwitch]:
    out = []
    last = scope.last()
    known = scope.values()
    for name, var in last.items():
        switch = BY_NAME.get(name)
        if switch is None:
            continue
        ref = NodeRef(path, var.pointer, scope.doc)
        value = var.value
        verdict = Verdict.UNKNOWN if value is None else judge(switch, value)
        detail = f"{name}={value}: {switch.risky_means} ({scope.label})" if verdict is Verdict.RISKY else ""
        if switch.concern is Concern.TRANSPORT and name.endswith("ENDPOINT") and value is not None:
            detail = f"{endpoint_detail(value)} ({scope.label})" if endpoint_detail(value) else detail
        if name.endswith("_INSECURE") and verdict is Verdict.RISKY:
            scheme = _endpoint_scheme(name, known)
            if scheme:  # the exporter follows the endpoint's scheme and ignores the flag
                verdict = Verdict.SAFE
                detail = f"{name}={value} is ignored: the endpoint has a scheme ({scheme}://), which decides ({scope.label})"
        if name == "OTEL_TRACES_SAMPLER" and value is not None and verdict is Verdict.SAFE:
            keeps = sampler_keeps_all(value, known.get("OTEL_TRACES_SAMPLER_ARG"))
            if keeps:
                verdict = Verdict.RISKY
                arg = known.get("OTEL_TRACES_SAMPLER_ARG")
                ratio_text = f"OTEL_TRACES_SAMPLER_ARG={arg}" if arg is not None else "no OTEL_TRACES_SAMPLER_ARG (ratio 1.0)"
                detail = f"{name}={value} with {ratio_text}: {switch.risky_means} ({scope.label})"
        if verdict is Verdict.UNKNOWN and value is not None and is_deploy_time(value):
            detail = f"{name} is set when the environment is deployed ({value}): not known here"
        out.append(
            TelemetrySwitch(
                ref, var.span, (("name", var.name_span),), switch.concern, name, "" if value is None else value,
                verdict is Verdict.RISKY, scope.origin, detail=detail, fix=switch.fix if verdict is Verdict.RISKY else "",
            )
        )
    return out


def _setups_and_defaults(path: str, scope: EnvScope) -> tuple[list[TracingSetup], list[TelemetrySwitch]]:
    known = scope.values()
    last = scope.last()
    setups, defaults = [], []
    for name, kind in tracing_turned_on(known, frozenset(last)):
        var = last[name]
        ref = NodeRef(path, var.pointer, scope.doc)
        setups.append(TracingSetup(ref, var.name_span, (), kind, scope.origin, f"{name} ({scope.label})"))
        if not scope.complete:
            continue
        for switch in SWITCHES:
            if switch.implied_by is not kind or not switch.default_risky or switch.name in last:
                continue
            detail = (
                f"{switch.name} is unset where {name} turns tracing on ({scope.label}): "
                f"the default {switch.default} means {switch.risky_means}"
            )
            defaults.append(
                TelemetrySwitch(
                    ref, var.name_span, (), switch.concern, switch.name, "", True, scope.origin,
                    implicit=True, env=(switch.name,), detail=detail, fix=switch.fix,
                )
            )
    return setups, defaults


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    seen: set[tuple] = set()
    for scope in scopes(file):
        setups, defaults = _setups_and_defaults(file.path, scope)
        for fact in (*_switches(file.path, scope), *setups, *defaults):
            # services merging one anchored block ('<<: *otel-env') share its text: one fact
            key = (type(fact), fact.ref.doc, fact.span, getattr(fact, "setting", None) or getattr(fact, "kind", None))
            if key not in seen:
                seen.add(key)
                out.entities.append(fact)
    return out
