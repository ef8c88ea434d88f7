"""The reading half of the mcp_smithery adapter (``adapters/mcp_smithery.py`` keeps the cheap ``claims``
and imports this module for the first file it claims)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import Any

from agentlint.adapters import _js_literals
from agentlint.adapters._mcp_common import schema, settings, text
from agentlint.adapters.base import Adapted, field_spans, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc
from agentlint.model.source import Pointer, Pos, Span
from agentlint.model.tools import ExampleConfig, Launch, Setting, Text, ToolServer, Transport


_TRANSPORTS = {"stdio": Transport.STDIO, "http": Transport.HTTP}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9]?)?")
START: Pointer = ("startCommand",)
# offsets [start, end) in the scalar's JavaScript -> a Span in the file
Locator = Callable[[int, int], Span]


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            out.problems.append(shape_problem(doc, (), "smithery.yaml must be a mapping"))
            continue
        server = _server(file, doc, out)
        if server is not None:
            out.entities.append(server)
    return out


def _server(file: LoadedFile, doc: LocatedDoc, out: Adapted) -> ToolServer | None:
    data: dict[str, Any] = doc.data
    smap = doc.source_map
    start = data.get("startCommand")
    if start is not None and not isinstance(start, dict):
        out.problems.append(shape_problem(doc, START, "startCommand must be a mapping"))
        return None
    start = start or {}
    kind = start.get("type")
    transport = _TRANSPORTS.get(kind) if isinstance(kind, str) else None
    if "type" in start and transport is None:
        out.problems.append(shape_problem(doc, START + ("type",), f"startCommand.type must be 'stdio' or 'http', not {kind!r}"))
    started, env = None, []
    function = start.get("commandFunction")
    if function is not None and not isinstance(function, str):
        out.problems.append(shape_problem(doc, START + ("commandFunction",), "commandFunction must be a string of JavaScript"))
    elif isinstance(function, str):
        started, env = _command_function(file.text, doc, START + ("commandFunction",), function)
    if "env" in data and data["env"] is not None and not isinstance(data["env"], dict):
        out.problems.append(shape_problem(doc, ("env",), "env must be a mapping of variable names to values"))
    env.extend(settings(doc, ("env",), data.get("env")))
    extra: list[tuple[str, Any]] = []
    config_schema = schema(doc, START + ("configSchema",), start.get("configSchema"))
    if config_schema is not None:
        extra.append(("config_schema", config_schema))
        example = start.get("exampleConfig")
        if example is not None:
            where = START + ("exampleConfig",)
            out.entities.append(
                ExampleConfig(
                    ref=doc.ref(where),
                    span=smap.key(where) or smap.locate(where),
                    fields=(),
                    data=example,
                    schema=config_schema,
                    what="exampleConfig",
                    source_map=smap,
                )
            )
    for key in ("runtime",):
        found = text(doc, (key,), data.get(key))
        if found is not None:
            extra.append((key, found))
    if isinstance(function, str):
        extra.append(("command_function", text(doc, START + ("commandFunction",), function)))
    folder = posixpath.basename(posixpath.dirname(doc.path))
    return ToolServer(
        ref=doc.ref(),
        span=smap.key(START) or smap.locate(()),
        fields=field_spans(doc, (), ("startCommand", "runtime", "env", "build"))
        + field_spans(doc, START, ("type", "commandFunction", "configSchema", "exampleConfig")),
        name=folder or "smithery",
        dialect="smithery",
        config="manifest",
        transport=transport,
        launch=started,
        env=tuple(env),
        extra=tuple(extra),
    )


def _command_function(source_text: str, doc: LocatedDoc, pointer: Pointer, function: str) -> tuple[Launch | None, list[Setting]]:
    span = doc.source_map.value(pointer) or doc.source_map.locate(pointer)
    js, locate = scalar_source(source_text, span, function)
    found = _js_literals.extract(js)
    ref = doc.ref(pointer)

    def located(literal: _js_literals.Literal, *keys: Any) -> Text:
        return Text(literal.value, locate(literal.start, literal.end), ref.child(*keys))

    started = None
    if found.command is not None:
        args = tuple(located(arg, "args", i) for i, arg in enumerate(found.args))
        started = Launch(located(found.command, "command"), args)
    env = []
    for name, value in found.env:
        name_span = locate(name.start, name.end)
        env.append(
            Setting(
                name=name.value,
                value=value.value if value is not None else None,
                name_span=name_span,
                value_span=locate(value.start, value.end) if value is not None else name_span,
                ref=ref.child("env", name.value),
            )
        )
    return started, env


def scalar_source(source_text: str, span: Span, value: str) -> tuple[str, Locator]:
    """The scalar's text as written (block scalars dedented) and a map from offsets in it to
    file spans. Block scalars (``|``, ``|-``, ``>``…) and single-line scalars written without
    escapes map exactly; anything else maps every offset to the whole scalar."""
    lines = _LINE_BREAK.split(source_text)
    if not 1 <= span.start.line <= len(lines):
        return value, lambda start, end: span
    first = lines[span.start.line - 1]
    header = _BLOCK_HEADER.match(first, span.start.column - 1)
    if header is not None:
        last = span.end.line if span.end.column > 1 else span.end.line - 1
        content = lines[span.start.line : max(last, span.start.line)]
        indent = _indent(content, value, literal=first[span.start.column - 1] == "|")
        pieces, starts, offset = [], [], 0
        for number, line in enumerate(content, start=span.start.line + 1):
            piece = line[indent:]
            starts.append((offset, number))
            pieces.append(piece)
            offset += len(piece) + 1

        def block(start: int, end: int) -> Span:
            return Span(_pos(starts, start, indent), _pos(starts, end, indent))

        return "\n".join(pieces), block
    if span.start.line == span.end.line:
        raw = first[span.start.column - 1 : span.end.column - 1]
        quoted = raw[:1] in ("'", '"') and len(raw) >= 2 and raw[-1] == raw[0]
        inner, shift = (raw[1:-1], 1) if quoted else (raw, 0)
        if inner == value:
            base = span.start.column + shift
            line = span.start.line
            return value, lambda start, end: Span(Pos(line, base + start), Pos(line, base + end))
    return value, lambda start, end: span


def _indent(content: list[str], value: str, literal: bool) -> int:
    """Content indentation of a block scalar: for a literal scalar the exact difference between
    its first non-blank source line and value line, else that line's leading spaces."""
    source = next((line for line in content if line.strip()), "")
    if literal:
        written = next((line for line in value.split("\n") if line.strip()), None)
        if written is not None and source.endswith(written) and not source[: len(source) - len(written)].strip(" "):
            return len(source) - len(written)
    return len(source) - len(source.lstrip(" "))


def _pos(starts: list[tuple[int, int]], offset: int, indent: int) -> Pos:
    line_offset, number = starts[0] if starts else (0, 1)
    for begin, line in starts:
        if begin > offset:
            break
        line_offset, number = begin, line
    return Pos(number, indent + offset - line_offset + 1)
