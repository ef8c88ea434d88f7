"""Collector configurations written as a string inside a Kubernetes manifest: a ``ConfigMap``
``data`` value (``relay.yaml: |``) or the ``v1alpha1`` ``OpenTelemetryCollector``
``spec.config: |``. The string is parsed as YAML and its positions are moved to where its lines
are in the file, so findings point into the manifest.

Only a literal block scalar whose lines are the file's lines minus one indentation is read
(checked line by line): a folded or quoted string has no such line mapping, and is not read.
The result is one LocatedDoc: the manifest with the string replaced by the parsed mapping, its
source map holding both (pointers under the string's own pointer).
"""

from __future__ import annotations

from typing import Any

from agentlint.loaders.base import LoadedFile, LocatedDoc
from agentlint.model.source import Pointer, Pos, Span



def embedded_configs(file: LoadedFile, doc: LocatedDoc) -> list[tuple[Pointer, LocatedDoc]]:
    """Each (pointer, merged document) of a collector config held in a string of ``doc``."""
    data = doc.data
    if not isinstance(data, dict):
        return []
    candidates: list[tuple[Pointer, str]] = []
    if data.get("kind") == "ConfigMap" and isinstance(data.get("data"), dict):
        candidates = [(("data", key), value) for key, value in data["data"].items() if isinstance(value, str)]
    elif data.get("kind") == "OpenTelemetryCollector" and isinstance(data.get("spec"), dict):
        value = data["spec"].get("config")
        candidates = [(("spec", "config"), value)] if isinstance(value, str) else []
    out = []
    for pointer, text in candidates:
        if "pipelines" in text and ("receivers" in text or "exporters" in text):
            merged = _merged(file, doc, pointer, text)
            if merged is not None:
                out.append((pointer, merged))
    return out


def _offset(file: LoadedFile, doc: LocatedDoc, pointer: Pointer, text: str) -> tuple[int, int] | None:
    """(lines, columns) to add to a position in ``text`` to get its position in the file."""
    span = doc.source_map.value(pointer)
    if span is None:
        return None
    lines = file.text.split("\n")
    content = text.split("\n")
    if content and content[-1] == "":
        content.pop()
    first = span.start.line  # the ``|`` header's line; the content starts on the next one
    body = lines[first : first + len(content)]
    if not content or len(body) != len(content):
        return None
    indent = next((len(line) - len(line.lstrip(" ")) for line in body if line.strip()), None)
    if indent is None or indent == 0:
        return None
    for written, embedded in zip(body, content):
        written = written.rstrip("\r")
        if embedded == "" and written.strip() == "":
            continue
        if written[:indent].strip(" ") or written[indent:] != embedded:
            return None
    return first, indent


def _shift(span: Span, lines: int, columns: int) -> Span:
    return Span(Pos(span.start.line + lines, span.start.column + columns), Pos(span.end.line + lines, span.end.column + columns))


def _replaced(data: Any, pointer: Pointer, value: Any) -> Any:
    """``data`` with the node at ``pointer`` replaced (the mappings on the way copied)."""
    if not pointer:
        return value
    copy = dict(data)
    copy[pointer[0]] = _replaced(data[pointer[0]], pointer[1:], value)
    return copy


def _merged(file: LoadedFile, doc: LocatedDoc, pointer: Pointer, text: str) -> LocatedDoc | None:
    from agentlint.loaders.yaml import LinkedSourceMap, load_yaml

    offset = _offset(file, doc, pointer, text)
    if offset is None:
        return None
    inner = load_yaml(file.path, text)
    if inner.problems or len(inner.docs) != 1 or not isinstance(inner.docs[0].data, dict):
        return None
    lines, columns = offset
    source, own = inner.docs[0].source_map, doc.source_map
    merged = LinkedSourceMap()
    merged.values = {**own.values, **{pointer + p: _shift(s, lines, columns) for p, s in source.values.items() if p}}
    merged.keys = {**own.keys, **{pointer + p: _shift(s, lines, columns) for p, s in source.keys.items()}}
    merged.links = {**getattr(own, "links", {}), **{pointer + a: pointer + b for a, b in getattr(source, "links", {}).items()}}
    return LocatedDoc(doc.path, _replaced(doc.data, pointer, inner.docs[0].data), merged, doc.index)
