"""The official MCP Registry ``server.json`` (FORMATS.md §4.3, STANDARDS.md §6.6).

Claimed by name *and* content: json-server mock databases are also called ``server.json``, so
the file must declare a ``$schema`` under ``modelcontextprotocol.io/schemas`` or carry
``packages``/``remotes`` next to a reverse-DNS ``name``. One file → one
``ToolServer(dialect="mcp-registry", config="manifest")``: every ``packages[]`` entry a
PackageRef (OCI identifiers may carry the tag or digest themselves), every declared
environment variable and header a Setting (``isSecret`` kept), the URL and transport of the
first remote (else of the first package). Only the fields read here are shape-checked; the
registry schema as a whole is not re-validated.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from agentlint.adapters._manifest import Reader, oci_reference, where
from agentlint.adapters._mcp_common import text
from agentlint.adapters.base import Adapted, Adapter, field_spans, shape_problem
from agentlint.findings import Violation
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import Pointer
from agentlint.model.tools import PackageRef, Setting, Text, ToolServer, Transport

_SCHEMA = re.compile(r'"\$schema"\s*:\s*"[^"]*modelcontextprotocol\.io/schemas')
_LISTS = re.compile(r'"(?:packages|remotes)"\s*:\s*\[')
_NAME = re.compile(r'"name"\s*:\s*"[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+/[a-zA-Z0-9._-]+"')
_TRANSPORTS = {"stdio": Transport.STDIO, "streamable-http": Transport.HTTP, "sse": Transport.SSE}


def claims(path: str, text_: str) -> bool:
    if posixpath.basename(path).lower() != "server.json":
        return False
    return _SCHEMA.search(text_) is not None or (_LISTS.search(text_) is not None and _NAME.search(text_) is not None)


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        if not isinstance(doc.data, dict):
            out.problems.append(shape_problem(doc, (), "an MCP server.json must be a JSON object"))
            continue
        out.entities.append(_server(doc, out.problems))
    return out


def _server(doc: LocatedDoc, problems: list[Violation]) -> ToolServer:
    data: dict[str, Any] = doc.data
    smap = doc.source_map
    read = Reader(doc, problems)
    name = read.get(data, (), "name", str, "a string (reverse-DNS namespace/name)")
    version = read.get(data, (), "version", str, "a string")
    packages, env, headers = [], [], []
    url: Text | None = None
    transport: Transport | None = None
    for pointer, remote in read.objects(data, (), "remotes"):
        kind = read.get(remote, pointer, "type", str, "a string")
        link = text(doc, pointer + ("url",), read.get(remote, pointer, "url", str, "a string"))
        if transport is None and kind in _TRANSPORTS:
            transport, url = _TRANSPORTS[kind], link
        headers.extend(_settings(read, remote, pointer, "headers"))
    for pointer, package in read.objects(data, (), "packages"):
        ref = _package(read, pointer, package)
        if ref is not None:
            packages.append(ref)
        env.extend(_settings(read, package, pointer, "environmentVariables"))
        carrier = read.get(package, pointer, "transport", dict, "an object")
        if carrier is not None:
            at = pointer + ("transport",)
            kind = read.get(carrier, at, "type", str, "a string")
            link = text(doc, at + ("url",), read.get(carrier, at, "url", str, "a string"))
            if transport is None and kind in _TRANSPORTS:
                transport, url = _TRANSPORTS[kind], link
            headers.extend(_settings(read, carrier, at, "headers"))
    extra: list[tuple[str, Any]] = []
    if version is not None:
        extra.append(("version", text(doc, ("version",), version)))
    repository = data.get("repository")
    if isinstance(repository, dict) and isinstance(repository.get("url"), str):
        extra.append(("repository_url", text(doc, ("repository", "url"), repository["url"])))
    return ToolServer(
        ref=doc.ref(),
        span=smap.value(("name",)) or smap.locate(()),
        fields=field_spans(doc, (), ("name", "version", "packages", "remotes")),
        name=name or posixpath.basename(posixpath.dirname(doc.path)) or "server.json",
        dialect="mcp-registry",
        config="manifest",
        transport=transport,
        url=url,
        env=tuple(env),
        headers=tuple(headers),
        packages=tuple(packages),
        extra=tuple(extra),
    )


def _package(read: Reader, pointer: Pointer, package: dict[str, Any]) -> PackageRef | None:
    doc = read.doc
    ecosystem = read.get(package, pointer, "registryType", str, "a string (npm, pypi, oci, nuget, mcpb, cargo)")
    identifier = read.get(package, pointer, "identifier", str, "a string")
    if identifier is not None and not identifier.strip():
        read.problems.append(shape_problem(doc, pointer + ("identifier",), f"packages/{pointer[-1]}/identifier is empty"))
        return None
    version = read.get(package, pointer, "version", str, "a specific version string")
    digest = read.get(package, pointer, "fileSha256", str, "a SHA-256 hex string")
    if ecosystem is None or identifier is None:
        for key in ("registryType", "identifier"):
            if key not in package:
                read.problems.append(shape_problem(doc, pointer, f"packages/{pointer[-1]} has no '{key}'"))
        return None
    ecosystem = ecosystem.lower()
    if ecosystem == "oci":
        tag, image_digest = oci_reference(identifier)
        version = version if version is not None else tag
        digest = digest if digest is not None else image_digest
    smap = doc.source_map
    return PackageRef(
        ref=doc.ref(pointer),
        span=smap.value(pointer + ("identifier",)) or smap.locate(pointer),
        fields=field_spans(doc, pointer, ("registryType", "identifier", "version", "fileSha256", "runtimeHint")),
        ecosystem=ecosystem,
        identifier=identifier,
        version=version,
        digest=digest,
    )


def _settings(read: Reader, node: dict[str, Any], pointer: Pointer, key: str) -> list[Setting]:
    """``[{name, value, default, isSecret}]`` (env variables, headers) as Settings."""
    doc = read.doc
    smap = doc.source_map
    out = []
    for here, entry in read.objects(node, pointer, key):
        name = read.get(entry, here, "name", str, "a string")
        if name is None:
            if "name" not in entry:
                read.problems.append(shape_problem(doc, here, f"{where(here)} has no 'name'"))
            continue
        secret = read.get(entry, here, "isSecret", bool, "true or false")
        value_key = next((k for k in ("value", "default") if entry.get(k) is not None), None)
        value = entry.get(value_key) if value_key else None
        rendered = value if isinstance(value, str) else _render(value)
        name_span = smap.value(here + ("name",)) or smap.locate(here)
        out.append(
            Setting(
                name=name,
                value=rendered,
                name_span=name_span,
                value_span=(smap.value(here + (value_key,)) if value_key else None) or name_span,
                ref=doc.ref(here),
                secret_declared=secret is True,
            )
        )
    return out


def _render(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


ADAPTER = Adapter("mcp-server-json", frozenset({Syntax.JSON}), claims, adapt)
