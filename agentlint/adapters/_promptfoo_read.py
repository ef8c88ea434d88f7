"""The reading half of the promptfoo adapter (``adapters/promptfoo.py`` keeps the cheap ``claims``
and imports this module for the first file it claims)."""

from __future__ import annotations

import re
from typing import Any

from agentlint.adapters._prompt_files import ScalarText
from agentlint.adapters._scalar_text import LineIndex
from agentlint.adapters._templates import scan_jinja
from agentlint.adapters.base import Adapted
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.prompts import PromptVersion, content_hash
from agentlint.model.source import Pointer


_FILE = re.compile(r"\S+\.(?:txt|md|json|jsonl|ya?ml|py|js|mjs|cjs|ts|j2|jinja2?|njk|nunjucks)(?::\w+)?\Z", re.IGNORECASE)


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    index: LineIndex | None = None
    for doc in file.docs:
        if not isinstance(doc.data, dict):
            continue
        prompts = doc.data.get("prompts")
        entries: list[tuple[Pointer, Any]]
        if isinstance(prompts, str):
            entries = [(("prompts",), prompts)]
        elif isinstance(prompts, list):
            entries = [(("prompts", i), p) for i, p in enumerate(prompts)]
        else:
            continue  # absent, or the legacy {path: label} map of prompt files
        for pointer, entry in entries:
            at, text, name = pointer, None, None
            if isinstance(entry, str):
                text = entry
            elif isinstance(entry, dict) and isinstance(entry.get("raw"), str):
                at, text = pointer + ("raw",), entry["raw"]
                name = next((entry[k] for k in ("label", "id") if isinstance(entry.get(k), str) and entry[k]), None)
            if text is None or _is_file(text):
                continue
            index = index or LineIndex(file.text)
            _add(file, doc, index, at, text, name or _label(pointer), out)
    return out


def _is_file(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith("file://") or (_FILE.match(stripped) is not None and "{{" not in stripped)


def _label(pointer: Pointer) -> str:
    return "prompts" if len(pointer) == 1 else f"prompts[{pointer[1]}]"


def _add(file: LoadedFile, doc: LocatedDoc, index: LineIndex, at: Pointer, text: str, name: str, out: Adapted) -> None:
    scalar = ScalarText(doc, index, at, text, file.syntax is Syntax.JSON)
    uses, _ = scan_jinja(text)
    out.entities.append(
        PromptVersion(
            ref=doc.ref(at),
            span=scalar.whole,
            fields=(("content", scalar.whole),),
            name=name,
            version=None,
            source="promptfoo",
            registry=file.path,
            content=text,
            content_hash=content_hash(text),
            used_variables=scalar.placeholders(uses),
            template_format="jinja2",
            text_pieces=scalar.pieces(),
        )
    )
