"""Langfuse prompt objects saved as JSON (FORMATS.md §3.1): what ``GET /api/public/v2/prompts/
{name}`` returns and what ``create_prompt`` takes, one object per file or a list of them (also
wrapped as ``{"prompts": [...]}``).

An object is a Langfuse prompt when it has a string ``name``, a ``prompt`` (text, or a list of
chat messages), at least one field only Langfuse writes (``labels`` as a list of names,
``commitMessage``, ``type`` text/chat) and one more of those or ``version``, ``config``, ``tags``.
Files that merely name prompts -- an app's map of Langfuse prompt names with descriptions, a
LangChain hub ``prompt.json`` (``template``), promptfoo chat arrays -- are not prompt objects
and are skipped silently (most are not even claimed: they lack a ``"prompt"`` key).

Each object is one PromptVersion: ``config.model`` is its model and the rest of ``config`` its
parameters (both hashed with the content); chat messages become ``role: content`` lines and a
``{"type": "placeholder", "name": …}`` message a used variable at its name. Labels are the
object's own; an export may hold only some versions of a prompt, so labels are not taken as
complete. The rollback target of version N is the newest earlier version in the file, else
N-1: Langfuse numbers versions 1, 2, 3 … and keeps every one of them.
"""

from __future__ import annotations

from typing import Any

from agentlint.adapters._mustache import scan
from agentlint.adapters._scalar_text import LineIndex, scalar_offsets
from agentlint.adapters.base import Adapted, Adapter, field_spans, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.prompts import Placeholder, PromptVersion, content_hash
from agentlint.model.source import Pointer

_FIELDS = ("name", "version", "type", "prompt", "config", "labels", "tags", "commitMessage")


def claims(path: str, text: str) -> bool:
    if not path.lower().endswith(".json") or '"prompt"' not in text or '"name"' not in text:
        return False
    if '"labels"' not in text and '"commitMessage"' not in text and '"type"' not in text:
        return False
    start = text.lstrip()[:2]
    return start[:1] in ("{", "[") and start != "{{"


def is_prompt(value: Any) -> bool:
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"]:
        return False
    body = value.get("prompt")
    if not isinstance(body, str) and not (isinstance(body, list) and all(isinstance(m, dict) for m in body)):
        return False
    labels = value.get("labels")
    specific = [
        isinstance(labels, list) and all(isinstance(label, str) for label in labels),
        "commitMessage" in value,
        value.get("type") in ("text", "chat"),
    ]
    version = value.get("version")
    more = [isinstance(version, int) and not isinstance(version, bool), isinstance(value.get("config"), dict), isinstance(value.get("tags"), list)]
    return any(specific) and sum(specific) + sum(more) >= 2


def prompt_objects(data: Any) -> tuple[Pointer, list[Any]] | None:
    if is_prompt(data):
        return (), [data]
    pointer: Pointer = ()
    items = data
    if isinstance(data, dict) and len(data) <= 3 and isinstance(data.get("prompts"), list):
        pointer, items = ("prompts",), data["prompts"]
    if isinstance(items, list) and items and all(is_prompt(item) for item in items):
        return pointer, items
    return None


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    index: LineIndex | None = None
    for doc in file.docs:
        found = prompt_objects(doc.data)
        if found is None:
            continue
        index = index or LineIndex(file.text)
        pointer, items = found
        if pointer == () and isinstance(doc.data, dict):
            _adapt_one(doc, (), doc.data, index, {}, out)
            continue
        known: dict[str, list[int]] = {}
        for item in items:
            version = item.get("version")
            if isinstance(version, int) and not isinstance(version, bool):
                known.setdefault(item["name"], []).append(version)
        for position, item in enumerate(items):
            _adapt_one(doc, pointer + (position,), item, index, known, out)
    return out


def _adapt_one(doc: LocatedDoc, at: Pointer, item: dict[str, Any], index: LineIndex, known: dict[str, list[int]], out: Adapted) -> None:
    smap = doc.source_map
    name = item["name"]
    kind = item.get("type", "text")
    body = item["prompt"]
    if (kind == "chat") != isinstance(body, list) or kind not in ("text", "chat"):
        message = f"Langfuse prompt '{name}' has type '{kind}' but its prompt is {'a list' if isinstance(body, list) else 'a string'}"
        out.problems.append(shape_problem(doc, at + ("type",) if "type" in item else at + ("prompt",), message))
        return
    version = item.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 1):
        out.problems.append(shape_problem(doc, at + ("version",), f"Langfuse prompt '{name}': version must be a positive integer"))
        return
    labels = item.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        out.problems.append(shape_problem(doc, at + ("labels",), f"Langfuse prompt '{name}': labels must be a list of names"))
        return
    used: list[Placeholder] = []
    if isinstance(body, str):
        content = body
        used = _placeholders(doc, index, at + ("prompt",), body)
    else:
        lines = []
        for number, message in enumerate(body):
            here = at + ("prompt", number)
            if message.get("type") == "placeholder" and isinstance(message.get("name"), str):
                lines.append(f"placeholder: {message['name']}")
                span = smap.value(here + ("name",)) or smap.locate(here)
                used.append(Placeholder(message["name"], span))
            elif isinstance(message.get("content"), str):
                lines.append(f"{message.get('role', '')}: {message['content']}")
                used += _placeholders(doc, index, here + ("content",), message["content"])
            else:
                out.problems.append(
                    shape_problem(doc, here, f"Langfuse prompt '{name}': a chat message needs role and content, or type placeholder and name")
                )
                return
        content = "\n".join(lines)
    config = item.get("config") if isinstance(item.get("config"), dict) else {}
    model = config.get("model") if isinstance(config.get("model"), str) else None
    parameters = {k: v for k, v in config.items() if k != "model"} or None
    out.entities.append(
        PromptVersion(
            ref=doc.ref(at),
            span=smap.value(at + ("name",)) or smap.locate(at),
            fields=field_spans(doc, at, _FIELDS),
            name=name,
            version=str(version) if version is not None else None,
            source="langfuse",
            registry=doc.path,
            content=content,
            content_hash=content_hash(content, model, parameters),
            labels=tuple(labels),
            label_spans=tuple(smap.value(at + ("labels", i)) or smap.locate(at + ("labels",)) for i in range(len(labels))),
            model=model,
            declared_variables=None,
            used_variables=tuple(used),
            author=_text(item.get("createdBy")),
            change_note=_text(item.get("commitMessage")),
            date=_text(item.get("createdAt") or item.get("updatedAt")),
            rollback_to=_rollback(version, known.get(name, [])),
        )
    )


def _rollback(version: int | None, siblings: list[int]) -> str | None:
    if version is None:
        return None
    earlier = [v for v in siblings if v < version]
    if earlier:
        return str(max(earlier))
    return str(version - 1) if version > 1 else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _placeholders(doc: LocatedDoc, index: LineIndex, pointer: Pointer, value: str) -> list[Placeholder]:
    uses = scan(value)
    if not uses:
        return []
    whole = doc.source_map.value(pointer) or doc.source_map.locate(pointer)
    ranges = scalar_offsets(index, whole, value, json=True)
    if ranges is None or len(ranges) != len(value):
        return [Placeholder(use.name, whole, use.section) for use in uses]
    return [Placeholder(u.name, index.span(ranges[u.start][0], ranges[u.end - 1][1]), u.section) for u in uses]


ADAPTER = Adapter("langfuse", frozenset({Syntax.JSON}), claims, adapt)
