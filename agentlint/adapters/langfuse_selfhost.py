"""Self-hosted Langfuse: docker compose files that run ``langfuse/langfuse`` (web) or
``langfuse/langfuse-worker`` -> :class:`StoreSecret` for every secret of Langfuse and its
stores (Postgres, ClickHouse, Redis, MinIO) left at a documented default or a placeholder, and
:class:`PublishedStore` for every store port published on all host interfaces. Secrets
that are fine are emitted too (``why`` None): the readiness report counts what was checked. Values files of
the Langfuse Helm chart (``values*.yaml`` with a top-level ``langfuse`` section holding
``salt`` or ``nextauth``) -> :class:`StoreSecret` for the chart's secret settings
(``langfuse.salt``, ``langfuse.nextauth.secret``, ``langfuse.encryptionKey``, each as a scalar
or ``{value: …}``; ``postgresql.auth.password``, ``clickhouse.auth.password``,
``redis``/``valkey.auth.password``, ``minio``/``s3.auth.rootPassword``) and for the store
secrets in ``langfuse.additionalEnv``.

Secrets are read from each service's ``environment`` (mapping or ``KEY=value`` list; a
``${VAR:-default}`` fallback is judged by its default and remembers ``VAR``) and from a Redis
``command`` with ``--requirepass``. A file that does not run Langfuse is not read: a
``postgres`` password elsewhere is not a trace store's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agentlint.adapters.base import Adapted, Adapter, value_at
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import NodeRef, Pos, Span

if TYPE_CHECKING:  # the helpers are imported when a compose file or chart values are read
    from agentlint.adapters._env_yaml import ComposeService, EnvScope, Lines
    from agentlint.model.trace_store import StoreSecret

_LANGFUSE_IMAGE = re.compile(r"^\s*image\s*:\s*[\"']?[^\s\"'#]*langfuse/langfuse", re.M)
_CHANGEME = re.compile(r"\s*#.*\bchange\s*me\b", re.I)
_VALUES_NAME = re.compile(r"(?:^|/)values(?:[.-][^/]*)?\.ya?ml\Z", re.I)
_CHART_TOP = re.compile(r"^langfuse\s*:", re.M)
_CHART_KEYS = re.compile(r"^[ \t]+(?:salt|nextauth)\s*:", re.M)
# (pointer in the chart's values, the variable the chart sets from it)
_CHART_SECRETS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("langfuse", "salt"), "SALT"),
    (("langfuse", "salt", "value"), "SALT"),
    (("langfuse", "encryptionKey"), "ENCRYPTION_KEY"),
    (("langfuse", "encryptionKey", "value"), "ENCRYPTION_KEY"),
    (("langfuse", "nextauth", "secret"), "NEXTAUTH_SECRET"),
    (("langfuse", "nextauth", "secret", "value"), "NEXTAUTH_SECRET"),
    (("nextauth", "secret"), "NEXTAUTH_SECRET"),
    (("nextauth", "secret", "value"), "NEXTAUTH_SECRET"),
    (("postgresql", "auth", "password"), "POSTGRES_PASSWORD"),
    (("postgresql", "auth", "postgresPassword"), "POSTGRES_PASSWORD"),
    (("clickhouse", "auth", "password"), "CLICKHOUSE_PASSWORD"),
    (("redis", "auth", "password"), "REDIS_PASSWORD"),
    (("valkey", "auth", "password"), "REDIS_PASSWORD"),
    (("minio", "auth", "rootPassword"), "MINIO_ROOT_PASSWORD"),
    (("s3", "auth", "rootPassword"), "MINIO_ROOT_PASSWORD"),
)


def _is_chart_values(path: str, text: str) -> bool:
    return _VALUES_NAME.search(path) is not None and _CHART_TOP.search(text) is not None and _CHART_KEYS.search(text) is not None


def claims(path: str, text: str) -> bool:
    if _is_chart_values(path, text):
        return True
    return _LANGFUSE_IMAGE.search(text) is not None and "/templates/" not in f"/{path}"  # not a Helm template


def _secrets(path: str, doc: LocatedDoc, scope: EnvScope, where: str, lines: Lines) -> list[StoreSecret]:
    from agentlint.model.trace_store import StoreSecret, secret_part, split_fallback, store_of, weak

    out = []
    for var in scope.last().values():
        store = store_of(var.name)
        if store is None or var.value is None or var.value_span is None:
            continue
        value, fallback = var.value, ""
        split = split_fallback(value)
        if split is not None:
            fallback, value = split
        secret = secret_part(var.name, value)
        why = weak(var.name, secret)
        if why is None:
            secret, fallback = "", ""  # checked: set at deploy time, or possibly a real secret
        marked = _CHANGEME.match(lines.rest_of_line(var.value_span)) is not None
        ref = NodeRef(path, var.pointer, doc.index)
        out.append(StoreSecret(ref, var.value_span, (("name", var.name_span),), where, var.name, secret, store, why, fallback, marked))
    return out


def _requirepass(path: str, doc: LocatedDoc, service: ComposeService, lines: Lines) -> StoreSecret | None:
    """``command: --requirepass ${REDIS_AUTH:-myredissecret}`` (Langfuse's own Redis)."""
    from agentlint.model.trace_store import Store, StoreSecret, split_fallback, weak

    if service.command is None:
        return None
    command, span = service.command
    words = command.split()
    if "--requirepass" not in words:
        return None
    index = words.index("--requirepass")
    if index + 1 >= len(words):
        return None
    word = words[index + 1]
    value, fallback = word, ""
    split = split_fallback(word)
    if split is not None:
        fallback, value = split
    why = weak("REDIS_AUTH", value)
    if why is None:
        value, fallback = "", ""
    at = span
    for number in range(span.start.line, span.end.line + 1):  # the word as written, when on one line
        column = lines.line(number).find(word)
        if column >= 0:
            at = Span(Pos(number, column + 1), Pos(number, column + 1 + len(word)))
            break
    marked = _CHANGEME.match(lines.rest_of_line(at)) is not None or any(
        _CHANGEME.match(" " + lines.line(n)) for n in range(max(1, span.start.line - 1), at.start.line)
    )
    ref = NodeRef(path, ("services", service.name, "command"), doc.index)
    return StoreSecret(ref, at, (), f"service {service.name}", "--requirepass", value, Store.REDIS, why, fallback, marked)


def _chart_values(path: str, doc: LocatedDoc, lines: Lines) -> list[StoreSecret]:
    from agentlint.adapters._env_yaml import helm_scopes
    from agentlint.model.trace_store import Store, StoreSecret, store_of, weak

    out = []
    smap = doc.source_map
    for pointer, variable in _CHART_SECRETS:
        value = value_at(doc.data, pointer)
        span = smap.value(pointer)
        if not isinstance(value, str) or span is None:
            continue
        why = weak(variable, value)
        store = store_of(variable) or Store.LANGFUSE
        marked = _CHANGEME.match(lines.rest_of_line(span)) is not None
        setting = ".".join(pointer)
        out.append(
            StoreSecret(NodeRef(path, pointer, doc.index), span, (), "the Langfuse chart's values", variable, value.strip() if why else "", store, why, "", marked, setting)
        )
    for scope in helm_scopes(doc):
        out.extend(_secrets(path, doc, scope, f"values {scope.label}", lines))
    return out


def adapt(file: LoadedFile) -> Adapted:
    from agentlint.adapters._env_yaml import Lines, compose_services, is_compose
    from agentlint.model.trace_store import PublishedStore, Store, StoreSecret, published_on_all_interfaces, store_image

    out = Adapted()
    lines = Lines(file.text)
    if _is_chart_values(file.path, file.text):
        for doc in file.docs:
            if isinstance(doc.data, dict) and isinstance(doc.data.get("langfuse"), dict):
                out.entities.extend(_chart_values(file.path, doc, lines))
        return out
    for doc in file.docs:
        if not is_compose(doc):
            continue
        services = list(compose_services(doc, lines))
        if not any(store_image(s.image) is Store.LANGFUSE for s in services):
            continue
        found: list[StoreSecret] = []
        stores: dict[str, Store] = {}
        for service in services:
            store = store_image(service.image)
            if store is None:
                continue
            stores[service.name] = store
            found.extend(_secrets(file.path, doc, service.scope, f"service {service.name}", lines))
            if store is Store.REDIS:
                secret = _requirepass(file.path, doc, service, lines)
                if secret is not None:
                    found.append(secret)
        spans: set = set()
        unique = []
        for secret in found:  # a '<<: *env' merge repeats the anchored values: one fact each
            if secret.span not in spans:
                spans.add(secret.span)
                unique.append(secret)
        found = unique
        out.entities.extend(found)
        for service in services:
            store = stores.get(service.name)
            if store is None or store is Store.LANGFUSE:
                continue
            weak_here = tuple(dict.fromkeys(s.variable for s in found if s.store is store and s.why is not None))
            for index, (port, span) in enumerate(service.ports):
                if published_on_all_interfaces(port):
                    ref = NodeRef(file.path, ("services", service.name, "ports", index), doc.index)
                    out.entities.append(PublishedStore(ref, span, (), service.name, store, port, weak_here))
    return out


ADAPTER = Adapter("langfuse-selfhost", frozenset({Syntax.YAML}), claims, adapt)
