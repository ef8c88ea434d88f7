"""Prompty files (``.prompty``, FORMATS.md §3.2): YAML front matter + a template body.

Both front matter generations map into one PromptVersion per file:

- v1 (Prompt flow): ``name``, ``version``, ``authors``, ``model {api, configuration {type,
  azure_deployment | model | name, api_key …}, parameters}``, ``inputs {name: {type …} |
  sample}``, ``template: jinja2 | mustache``;
- v2 (``prompty`` 2.x, AgentSchema): ``name``, ``metadata {version, authors}``, ``model`` as a
  string or ``{id, provider, connection {apiKey …}, options}``, ``inputs`` / ``inputSchema.
  properties`` as a list of ``{name, kind, default}``, ``template {format {kind}}``.

The model is ``model.id`` (v2), else the configuration's ``azure_deployment`` (an Azure
deployment name, flagged as such: its model version is chosen in Azure), ``model`` or ``name``.
Declared variables are the inputs, at their names; used variables are the placeholders of the
body (Jinja2 by default, mustache when the template says so), at their tags. A v2 input of
kind ``thread`` counts as used: the runtime appends it when the template does not place it.
An ``{% include %}`` or ``{% extends %}`` hides part of the template, so such a file declares
nothing for the variable checks. A file without front matter is a prompt of its own (v2 reads
it as bare instructions) named after the file.
"""

from __future__ import annotations

from typing import Any

from agentlint.adapters._mustache import scan as scan_mustache
from agentlint.adapters._prompt_files import Body, front_matter, scalar, settings, stem, text_of
from agentlint.adapters._scalar_text import LineIndex
from agentlint.adapters._templates import scan_jinja
from agentlint.adapters.base import Adapted, Adapter, field_spans, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.prompts import Placeholder, PromptVersion, content_hash
from agentlint.model.source import NodeRef, Pointer, Span

_AZURE = frozenset({"azure", "azure_openai", "azureopenai", "foundry"})


def claims(path: str, text: str) -> bool:
    return path.lower().endswith(".prompty")


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    doc, data, readable = front_matter(file)
    if not readable:
        return out
    if data is None:
        assert doc is not None
        out.problems.append(shape_problem(doc, (), "the front matter of a .prompty file must be a mapping of keys"))
        return out
    index = LineIndex(file.text)
    body = Body(file)
    name = data.get("name") if isinstance(data.get("name"), str) and data.get("name") else stem(file.path)
    model, model_at, deployment = _model(data)
    template_format = _format(data)
    if template_format == "jinja2":
        uses, opaque = scan_jinja(body.text)
    elif template_format == "mustache":
        uses, opaque = scan_mustache(body.text), False
    else:
        uses, opaque = [], True  # a renderer agentlint does not read
    used = body.placeholders(uses)
    declared = None
    if doc is not None and not opaque:
        declared, implicit = _declared(doc, data)
        used += implicit
    version_at: Pointer = ("version",) if "version" in data else ("metadata", "version")
    version = text_of(doc, index, version_at, scalar(data, *version_at)) if doc is not None else None
    parameters = scalar(data, "model", "parameters") or scalar(data, "model", "options")
    fields: tuple[tuple[str, Span], ...] = (("content", body.span()),)
    if doc is not None:
        fields += field_spans(doc, (), ("name", "inputs", "inputSchema"))
        fields += tuple(("version", s) for _, s in field_spans(doc, version_at[:-1], version_at[-1:]))
        if model_at is not None:
            fields += (("model", doc.source_map.value(model_at) or doc.source_map.locate(model_at)),)
    out.entities.append(
        PromptVersion(
            ref=doc.ref() if doc is not None else NodeRef(file.path),
            span=_span(doc, body),
            fields=fields,
            name=name,
            version=version,
            source="prompty",
            registry=file.path,
            content=body.text,
            content_hash=content_hash(body.text, model, parameters),
            model=model,
            declared_variables=declared,
            used_variables=used,
            author=_authors(data),
            template_format=template_format,
            settings=settings(doc),
            text_pieces=body.pieces(),
            model_is_deployment=deployment,
        )
    )
    return out


def _span(doc: LocatedDoc | None, body: Body) -> Span:
    if doc is not None:
        smap = doc.source_map
        return smap.value(("name",)) or smap.locate(())
    return body.span(0, 0)


def _model(data: dict[str, Any]) -> tuple[str | None, Pointer | None, bool]:
    """(model or deployment, where it is written, whether it is an Azure deployment name)."""
    model = data.get("model")
    if isinstance(model, str):
        return model, ("model",), False
    if not isinstance(model, dict):
        return None, None, False
    if isinstance(model.get("id"), str):
        provider = str(model.get("provider", "")).lower()
        return model["id"], ("model", "id"), provider in _AZURE
    configuration = model.get("configuration")
    if not isinstance(configuration, dict):
        return None, None, False
    kind = str(configuration.get("type", "")).lower()
    if kind in _AZURE and isinstance(configuration.get("azure_deployment"), str):
        return configuration["azure_deployment"], ("model", "configuration", "azure_deployment"), True
    for key in ("model", "name"):
        if isinstance(configuration.get(key), str):
            return configuration[key], ("model", "configuration", key), False
    return None, None, False


def _format(data: dict[str, Any]) -> str:
    template = data.get("template")
    kind: Any = template
    if isinstance(template, dict):
        kind = template.get("format", template.get("type"))
        if isinstance(kind, dict):
            kind = kind.get("kind")
    if not isinstance(kind, str) or kind in ("", "*"):
        return "jinja2"
    kind = kind.lower()
    return "jinja2" if "jinja" in kind else kind


def _declared(doc: LocatedDoc, data: dict[str, Any]) -> tuple[tuple[Placeholder, ...] | None, tuple[Placeholder, ...]]:
    """(declared inputs, inputs the runtime uses on its own) -- None when none are declared."""
    smap = doc.source_map
    at: Pointer = ("inputs",)
    inputs = data.get("inputs")
    properties = scalar(data, "inputSchema", "properties")
    if properties is not None:
        at, inputs = ("inputSchema", "properties"), properties
    declared, implicit = [], []
    if isinstance(inputs, dict):
        for key, spec in inputs.items():
            declared.append(Placeholder(key, smap.key(at + (key,)) or smap.locate(at + (key,))))
            if isinstance(spec, dict) and spec.get("kind") == "thread":
                implicit.append(declared[-1])
    elif isinstance(inputs, list):
        for position, spec in enumerate(inputs):
            if isinstance(spec, dict) and isinstance(spec.get("name"), str):
                where = at + (position, "name")
                declared.append(Placeholder(spec["name"], smap.value(where) or smap.locate(where)))
                if spec.get("kind") == "thread":
                    implicit.append(declared[-1])
    else:
        return None, ()
    return tuple(declared), tuple(implicit)


def _authors(data: dict[str, Any]) -> str | None:
    authors = data.get("authors", scalar(data, "metadata", "authors"))
    if isinstance(authors, str):
        return authors or None
    if isinstance(authors, list):
        names = [str(a) for a in authors if isinstance(a, (str, int, float)) and not isinstance(a, bool)]
        return ", ".join(names) or None
    return None


ADAPTER = Adapter("prompty", frozenset({Syntax.FRONTMATTER}), claims, adapt)
