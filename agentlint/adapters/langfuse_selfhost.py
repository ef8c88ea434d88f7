"""Self-hosted Langfuse: docker compose files that run ``langfuse/langfuse`` (web) or
``langfuse/langfuse-worker`` -> :class:`StoreSecret` for every secret of Langfuse and its
stores (Postgres, ClickHouse, Redis, MinIO) left at a documented default or a placeholder, and
:class:`PublishedStore` for every store port published on all host interfaces.

Secrets are read from each service's ``environment`` (mapping or ``KEY=value`` list; a
``${VAR:-default}`` fallback is judged by its default and remembers ``VAR``) and from a Redis
``command`` with ``--requirepass``. A file that does not run Langfuse is not read: a
``postgres`` password elsewhere is not a trace store's.
"""

from __future__ import annotations

import re

from agentlint.adapters._env_yaml import ComposeService, Lines, compose_services, is_compose
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import NodeRef, Pos, Span
from agentlint.model.trace_store import (
    PublishedStore,
    Store,
    StoreSecret,
    published_on_all_interfaces,
    secret_part,
    split_fallback,
    store_image,
    store_of,
    weak,
)

_LANGFUSE_IMAGE = re.compile(r"^\s*image\s*:\s*[\"']?[^\s\"'#]*langfuse/langfuse", re.M)
_CHANGEME = re.compile(r"\s*#.*\bchange\s*me\b", re.I)


def claims(path: str, text: str) -> bool:
    return "{{" not in text and _LANGFUSE_IMAGE.search(text) is not None


def _secrets(path: str, doc: LocatedDoc, service: ComposeService, lines: Lines) -> list[StoreSecret]:
    out = []
    for var in service.scope.last().values():
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
            continue
        marked = _CHANGEME.match(lines.rest_of_line(var.value_span)) is not None
        ref = NodeRef(path, var.pointer, doc.index)
        out.append(StoreSecret(ref, var.value_span, (("name", var.name_span),), service.name, var.name, secret, store, why, fallback, marked))
    return out


def _requirepass(path: str, doc: LocatedDoc, service: ComposeService, lines: Lines) -> StoreSecret | None:
    """``command: --requirepass ${REDIS_AUTH:-myredissecret}`` (Langfuse's own Redis)."""
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
        return None
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
    return StoreSecret(ref, at, (), service.name, "--requirepass", value, Store.REDIS, why, fallback, marked)


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    lines = Lines(file.text)
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
            found.extend(_secrets(file.path, doc, service, lines))
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
            weak_here = tuple(dict.fromkeys(s.variable for s in found if s.store is store))
            for index, (port, span) in enumerate(service.ports):
                if published_on_all_interfaces(port):
                    ref = NodeRef(file.path, ("services", service.name, "ports", index), doc.index)
                    out.entities.append(PublishedStore(ref, span, (), service.name, store, port, weak_here))
    return out


ADAPTER = Adapter("langfuse-selfhost", frozenset({Syntax.YAML}), claims, adapt)
