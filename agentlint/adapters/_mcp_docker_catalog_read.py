"""The reading half of the mcp_docker_catalog adapter (``adapters/mcp_docker_catalog.py`` keeps the cheap ``claims``
and imports this module for the first file it claims)."""

from __future__ import annotations

import posixpath
from typing import Any

from agentlint.adapters._manifest import Reader, oci_reference, where
from agentlint.adapters._mcp_common import schema, settings, text
from agentlint.adapters.base import Adapted, field_spans, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import Pointer
from agentlint.model.tools import PackageRef, Setting, Text, Tool, ToolServer, Transport


_TRANSPORTS = {"sse": Transport.SSE, "streamable-http": Transport.HTTP, "http": Transport.HTTP, "stdio": Transport.STDIO}


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        if file.syntax is Syntax.JSON:
            _tools_json(doc, out)
        elif isinstance(doc.data, dict):
            out.entities.extend(_server_yaml(doc, out))
        elif doc.data is not None:
            out.problems.append(shape_problem(doc, (), "a Docker catalog server.yaml must be a mapping"))
    return out


def _folder(doc: LocatedDoc) -> str:
    return posixpath.basename(posixpath.dirname(doc.path))


def _tools_json(doc: LocatedDoc, out: Adapted) -> None:
    if not isinstance(doc.data, list):
        return  # claimed on a sniff; a JSON object is some other tools.json
    read = Reader(doc, out.problems)
    for index, entry in enumerate(doc.data):
        pointer: Pointer = (index,)
        if not isinstance(entry, dict):
            out.problems.append(shape_problem(doc, pointer, f"tool {index} must be an object"))
            continue
        name = read.get(entry, pointer, "name", str, "a string")
        if name is None:
            if "name" not in entry:
                out.problems.append(shape_problem(doc, pointer, f"tool {index} has no 'name'"))
            continue
        read.objects(entry, pointer, "arguments")  # shape only
        out.entities.append(_tool(doc, read, pointer, entry, name, _folder(doc) or None, None))


def _tool(doc: LocatedDoc, read: Reader, pointer: Pointer, entry: dict[str, Any], name: str, server: str | None, params: Any) -> Tool:
    smap = doc.source_map
    return Tool(
        ref=doc.ref(pointer),
        span=smap.value(pointer + ("name",)) or smap.locate(pointer),
        fields=field_spans(doc, pointer, ("name", "description", "arguments", "parameters")),
        name=name,
        server=server,
        source="docker-catalog",
        description=read.get(entry, pointer, "description", str, "a string"),
        input_schema=schema(doc, pointer + ("parameters",), params),
        annotations=None,
        group=doc.path,
    )


def _server_yaml(doc: LocatedDoc, out: Adapted) -> list[Any]:
    data: dict[str, Any] = doc.data
    smap = doc.source_map
    read = Reader(doc, out.problems)
    name = read.get(data, (), "name", str, "a string") or _folder(doc) or "server"
    kind = read.get(data, (), "type", str, "'server', 'remote' or 'poci'")
    image = read.get(data, (), "image", str, "an image reference")
    source = read.get(data, (), "source", dict, "a mapping")
    run = read.get(data, (), "run", dict, "a mapping") or {}
    config = read.get(data, (), "config", dict, "a mapping") or {}
    remote = read.get(data, (), "remote", dict, "a mapping") or {}
    packages: list[PackageRef] = []
    built_from_source = image is not None and image.startswith("mcp/") and source is not None
    if image is not None and not built_from_source:
        packages.append(_image(doc, ("image",), image))
    if source is not None:
        project = read.get(source, ("source",), "project", str, "a repository URL")
        if project is not None:
            packages.append(
                PackageRef(
                    ref=doc.ref(("source",)),
                    span=smap.key(("source",)) or smap.locate(("source",)),
                    fields=field_spans(doc, ("source",), ("project", "branch", "commit")),
                    ecosystem="git",
                    identifier=project,
                    version=read.get(source, ("source",), "branch", str, "a branch name"),
                    digest=read.get(source, ("source",), "commit", str, "a commit SHA"),
                )
            )
    entities: list[Any] = []
    for pointer, tool in read.objects(data, (), "tools"):
        tool_name = read.get(tool, pointer, "name", str, "a string")
        if tool_name is not None:
            entities.append(_tool(doc, read, pointer, tool, tool_name, name, tool.get("parameters")))
        container = read.get(tool, pointer, "container", dict, "a mapping") or {}
        tool_image = read.get(container, pointer + ("container",), "image", str, "an image reference")
        if tool_image is not None:
            packages.append(_image(doc, pointer + ("container", "image"), tool_image))
    env = _env(doc, read, config)
    transport = _TRANSPORTS.get(read.get(remote, ("remote",), "transport_type", str, "'sse' or 'streamable-http'") or "")
    if transport is None and kind in ("server", "poci"):
        transport = Transport.STDIO
    extra: list[tuple[str, Any]] = [("type", text(doc, ("type",), kind))] if kind else []
    if image is not None:
        extra.append(("image", text(doc, ("image",), image)))
    if "allowHosts" in run:
        extra.append(("allow_hosts", tuple(_texts(doc, read.strings(run, ("run",), "allowHosts")))))
    extra.append(("volumes", tuple(_texts(doc, read.strings(run, ("run",), "volumes")))))
    extra.append(("disable_network", read.get(run, ("run",), "disableNetwork", bool, "true or false") is True))
    parameters = config.get("parameters")
    if parameters is not None:
        extra.append(("config_schema", schema(doc, ("config", "parameters"), parameters)))
    url = read.get(remote, ("remote",), "url", str, "a URL")
    headers = remote.get("headers")
    if headers is not None and not isinstance(headers, dict):
        out.problems.append(shape_problem(doc, ("remote", "headers"), "remote/headers must be a mapping"))
    entities.append(
        ToolServer(
            ref=doc.ref(),
            span=smap.value(("name",)) or smap.locate(()),
            fields=field_spans(doc, (), ("name", "image", "type", "source", "run", "config", "remote", "tools")),
            name=name,
            dialect="docker-catalog",
            config="manifest",
            transport=transport,
            url=text(doc, ("remote", "url"), url),
            env=tuple(env),
            headers=settings(doc, ("remote", "headers"), headers),
            packages=tuple(packages),
            extra=tuple(extra),
        )
    )
    return entities


def _image(doc: LocatedDoc, pointer: Pointer, image: str) -> PackageRef:
    tag, digest = oci_reference(image)
    span = doc.source_map.value(pointer) or doc.source_map.locate(pointer)
    return PackageRef(doc.ref(pointer), span, (("identifier", span),), "oci", image, tag, digest)


def _texts(doc: LocatedDoc, items: list[tuple[Pointer, str]]) -> list[Text]:
    return [Text(value, doc.source_map.value(pointer) or doc.source_map.locate(pointer), doc.ref(pointer)) for pointer, value in items]


def _env(doc: LocatedDoc, read: Reader, config: dict[str, Any]) -> list[Setting]:
    """``config.env[]`` (name, value template) and ``config.secrets[]`` (env name, declared secret)."""
    smap = doc.source_map
    out = []
    for key, name_key, secret in (("env", "name", False), ("secrets", "env", True)):
        for pointer, entry in read.objects(config, ("config",), key):
            field = name_key if isinstance(entry.get(name_key), str) else "name"
            name = read.get(entry, pointer, field, str, "a string")
            if name is None:
                if field not in entry:
                    read.problems.append(shape_problem(doc, pointer, f"{where(pointer)} has no '{field}'"))
                continue
            value = None if secret else entry.get("value")
            name_span = smap.value(pointer + (field,)) or smap.locate(pointer)
            out.append(
                Setting(
                    name=name,
                    value=None if value is None else str(value),
                    name_span=name_span,
                    value_span=(smap.value(pointer + ("value",)) if value is not None else None) or name_span,
                    ref=doc.ref(pointer),
                    secret_declared=secret,
                )
            )
    return out
