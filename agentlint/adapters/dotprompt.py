"""Dotprompt files (Genkit ``.prompt``, FORMATS.md §3.3): YAML front matter + a Handlebars body.

One PromptVersion per file. The name is ``name`` (else the file name: ``joke.pirate.prompt``
is prompt ``joke``, variant ``pirate``, mapped as ``joke.pirate``), the version ``version``,
the model the ``model`` string. Declared variables are the keys of ``input.schema``, as
Picoschema (``orderId: string``, ``note?: string``, ``items(array): …``) or JSON Schema
(``properties``), at those keys; a schema given by name (registered in code), a scalar
schema or a Picoschema wildcard ``(*)`` declares no fixed set. Used variables are the body's
placeholders (``{{orderId}}``, ``{{#if note}}``, ``{{#each items}}``; not the helpers
``{{role "system"}}``, ``{{history}}``, ``{{media url=…}}``, nor ``{{this}}``/``{{@key}}``).
A partial (``{{> name}}``) hides part of the template: such a file declares nothing.

``.prompt`` is a common extension, so the files are sniffed. Not claimed: partials
(``_name.prompt``) and files with neither front matter nor a dotprompt helper in their text.
Claimed but skipped silently: front matter of another schema (top-level keys dotprompt does
not reserve, such as ``author`` or ``variables``; a ``model`` that is not a string; an
``input`` that is not a mapping) -- these are other tools' prompt files, not broken dotprompt.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from agentlint.adapters._prompt_files import Body, front_matter, scalar, settings, text_of
from agentlint.adapters._scalar_text import LineIndex
from agentlint.adapters._templates import scan_handlebars
from agentlint.adapters.base import Adapted, Adapter, field_spans
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.prompts import Placeholder, PromptVersion, content_hash
from agentlint.model.source import NodeRef, Pointer

# dotpromptz / dotprompt-js parse.ts RESERVED_METADATA_KEYWORDS, plus the ``metadata`` the
# parsers fill; dotted keys (``myext.key``) are extension namespaces.
_RESERVED = frozenset(
    {"config", "description", "ext", "input", "model", "name", "output", "raw", "toolDefs", "tools", "variant", "version", "metadata"}
)
_OPENING = re.compile(r"\A(?:[ \t]*(?:\r\n|\r|\n))*---[ \t]*(?:\r\n|\r|\n)")
_HELPER = re.compile(r"""\{\{\s*(?:role\s+["']|media\s+url=|history\s*\}\}|section\s+["'])""")
_PICO_KEY = re.compile(r"([A-Za-z_$][\w$-]*)(\?)?(?:\(.*\))?\Z")
_JSON_SCHEMA_TYPES = frozenset({"string", "boolean", "null", "number", "integer", "any", "object", "array"})


def claims(path: str, text: str) -> bool:
    name = PurePosixPath(path).name
    if not name.lower().endswith(".prompt") or name.startswith("_"):
        return False
    return _OPENING.match(text) is not None or _HELPER.search(text) is not None


def is_dotprompt(data: dict[str, Any]) -> bool:
    """Front matter that dotprompt would read as its own (see the module docstring)."""
    if any(key not in _RESERVED and "." not in key for key in data):
        return False
    if "model" in data and not isinstance(data["model"], str):
        return False
    return all(key not in data or isinstance(data[key], dict) for key in ("input", "output", "config"))


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    doc, data, readable = front_matter(file)
    if not readable or data is None or not is_dotprompt(data):
        return out
    index = LineIndex(file.text)
    body = Body(file)
    base, _, variant = PurePosixPath(file.path).name[: -len(".prompt")].partition(".")
    name = data["name"] if isinstance(data.get("name"), str) and data["name"] else base
    variant = data["variant"] if isinstance(data.get("variant"), str) and data["variant"] else variant
    uses, opaque = scan_handlebars(body.text)
    model = data.get("model") if isinstance(data.get("model"), str) else None
    fields = (("content", body.span()),)
    if doc is not None:
        fields += field_spans(doc, (), ("name", "version", "model", "input"))
    out.entities.append(
        PromptVersion(
            ref=doc.ref() if doc is not None else NodeRef(file.path),
            span=(doc.source_map.value(("name",)) or doc.source_map.locate(())) if doc is not None else body.span(0, 0),
            fields=fields,
            name=f"{name}.{variant}" if variant else name,
            version=text_of(doc, index, ("version",), data.get("version")) if doc is not None else None,
            source="dotprompt",
            registry=file.path,
            content=body.text,
            content_hash=content_hash(body.text, model, data.get("config")),
            model=model,
            declared_variables=None if opaque or doc is None else _declared(doc, data),
            used_variables=body.placeholders(uses),
            template_format="handlebars",
            settings=settings(doc),
            text_pieces=body.pieces(),
        )
    )
    return out


def _declared(doc: LocatedDoc, data: dict[str, Any]) -> tuple[Placeholder, ...] | None:
    schema = scalar(data, "input", "schema")
    if not isinstance(schema, dict):
        return None  # no schema, a named (registered) schema, or a scalar input
    smap = doc.source_map
    at: Pointer = ("input", "schema")
    if schema.get("type") in _JSON_SCHEMA_TYPES or isinstance(schema.get("properties"), dict):
        if not isinstance(schema.get("properties"), dict) or schema.get("additionalProperties") not in (None, False):
            return None
        at += ("properties",)
        keys = [(key, key) for key in schema["properties"]]
    else:
        keys = []
        for key in schema:
            if key.startswith("("):
                return None  # ``(*): string`` admits any field
            match = _PICO_KEY.match(key)
            if match is None:
                return None
            keys.append((key, match.group(1)))
    return tuple(Placeholder(name, smap.key(at + (key,)) or smap.locate(at + (key,))) for key, name in keys)


ADAPTER = Adapter("dotprompt", frozenset({Syntax.FRONTMATTER}), claims, adapt)
