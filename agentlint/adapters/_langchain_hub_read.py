"""The reading half of the langchain_hub adapter (``adapters/langchain_hub.py`` keeps the cheap ``claims``
and imports this module for the first file it claims)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from agentlint.adapters._mustache import scan as scan_mustache
from agentlint.adapters._prompt_files import ScalarText, settings
from agentlint.adapters._scalar_text import LineIndex
from agentlint.adapters._templates import scan_fstring, scan_jinja
from agentlint.adapters.base import Adapted, field_spans
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.prompts import Placeholder, PromptVersion, content_hash
from agentlint.model.source import Pointer
from agentlint.model.tools import Text


_ROLES = {
    "SystemMessagePromptTemplate": "system",
    "HumanMessagePromptTemplate": "human",
    "AIMessagePromptTemplate": "ai",
    "ChatMessagePromptTemplate": "chat",
}
_FORMATS = {"f-string": "f-string", "mustache": "mustache", "jinja2": "jinja2"}


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    index: LineIndex | None = None
    for doc in file.docs:
        data = doc.data
        if _is_legacy(data):
            kwargs, at = data, ()
        elif _lc_kind(data) in ("PromptTemplate", "ChatPromptTemplate") and isinstance(data.get("kwargs"), dict):
            kwargs, at = data["kwargs"], ("kwargs",)
        else:
            continue
        index = index or LineIndex(file.text)
        _adapt_one(file, doc, index, kwargs, at, _lc_kind(data) == "ChatPromptTemplate", out)
    return out


def _is_legacy(data: Any) -> bool:
    if not isinstance(data, dict) or data.get("_type", "prompt") != "prompt" or "lc" in data:
        return False
    variables = data.get("input_variables")
    return isinstance(data.get("template"), str) and isinstance(variables, list) and all(isinstance(v, str) for v in variables)


def _lc_kind(data: Any) -> str | None:
    if not isinstance(data, dict) or data.get("lc") != 1 or data.get("type") != "constructor":
        return None
    ids = data.get("id")
    return ids[-1] if isinstance(ids, list) and ids and isinstance(ids[-1], str) else None


def _adapt_one(file: LoadedFile, doc: LocatedDoc, index: LineIndex, kwargs: dict[str, Any], at: Pointer, chat: bool, out: Adapted) -> None:
    json = file.syntax is Syntax.JSON
    template_format = _FORMATS.get(str(kwargs.get("template_format", "f-string")), "")
    lines: list[str] = []
    used: list[Placeholder] = []
    pieces: list[Text] = []
    opaque = not template_format

    def add(role: str, pointer: Pointer, template: str, fmt: str) -> bool:
        """Map one template; True when its variables cannot all be seen."""
        text = ScalarText(doc, index, pointer, template, json)
        if fmt == "f-string":
            uses, hidden = scan_fstring(template)
        elif fmt == "jinja2":
            uses, hidden = scan_jinja(template)
        elif fmt == "mustache":
            uses, hidden = scan_mustache(template), False
        else:
            uses, hidden = [], True
        used.extend(text.placeholders(uses))
        pieces.extend(text.pieces())
        lines.append(f"{role}: {template}" if role else template)
        return hidden

    if not chat:
        if not isinstance(kwargs.get("template"), str):
            return
        opaque = add("", at + ("template",), kwargs["template"], template_format) or opaque
    else:
        messages = kwargs.get("messages")
        if not isinstance(messages, list):
            return
        for number, message in enumerate(messages):
            here = at + ("messages", number)
            kind = _lc_kind(message)
            inner = message.get("kwargs") if isinstance(message, dict) else None
            if kind == "MessagesPlaceholder" and isinstance(inner, dict) and isinstance(inner.get("variable_name"), str):
                where = here + ("kwargs", "variable_name")
                lines.append(f"placeholder: {inner['variable_name']}")
                used.append(Placeholder(inner["variable_name"], doc.source_map.value(where) or doc.source_map.locate(where)))
                continue
            prompt = inner.get("prompt") if isinstance(inner, dict) else None
            if kind not in _ROLES or _lc_kind(prompt) != "PromptTemplate" or not isinstance(prompt.get("kwargs", {}).get("template"), str):
                opaque = True  # a message agentlint does not read
                continue
            role = inner.get("role", _ROLES[kind]) if kind == "ChatMessagePromptTemplate" else _ROLES[kind]
            own = prompt["kwargs"]
            fmt = _FORMATS.get(str(own.get("template_format", "f-string")), "")
            opaque = add(str(role), here + ("kwargs", "prompt", "kwargs", "template"), own["template"], fmt) or opaque
    content = "\n".join(lines)
    out.entities.append(
        PromptVersion(
            ref=doc.ref(at),
            span=doc.source_map.locate(at + ("template",) if not chat else at + ("messages",)),
            fields=field_spans(doc, at, ("input_variables", "template", "messages", "partial_variables")),
            name=_name(file.path),
            version=None,
            source="langchain-hub",
            registry=file.path,
            content=content,
            content_hash=content_hash(content, None, {"template_format": template_format}),
            declared_variables=None if opaque else _declared(doc, kwargs, at),
            used_variables=tuple(used),
            template_format=template_format or str(kwargs.get("template_format")),
            settings=settings(doc, at + ("partial_variables",)) if isinstance(kwargs.get("partial_variables"), dict) else (),
            text_pieces=tuple(pieces),
        )
    )


def _declared(doc: LocatedDoc, kwargs: dict[str, Any], at: Pointer) -> tuple[Placeholder, ...] | None:
    smap = doc.source_map
    declared = []
    for key in ("input_variables", "optional_variables"):
        names = kwargs.get(key)
        if names is None:
            continue
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return None
        declared += [Placeholder(n, smap.value(at + (key, i)) or smap.locate(at + (key,))) for i, n in enumerate(names)]
    partials = kwargs.get("partial_variables")
    if isinstance(partials, dict):
        declared += [Placeholder(n, smap.key(at + ("partial_variables", n)) or smap.locate(at)) for n in partials]
    return tuple(declared)


def _name(path: str) -> str:
    parts = PurePosixPath(path)
    if parts.stem == "prompt" and parts.parent.name:
        return parts.parent.name
    return parts.stem
