"""promptfoo configs (``promptfooconfig.yaml``, FORMATS.md §3.4): the prompts written inline.

Only what the file holds is mapped. Each inline prompt of ``prompts`` -- a string, or
``{raw, label, id}`` -- is one PromptVersion with its text and its Nunjucks placeholders
(``{{topic}}``, Jinja2 syntax) at their exact spans; it has no version, no model (every
prompt runs against every provider of the file) and declares no variables (``tests[].vars``
are test values, often loaded from files, not a declaration). It is named by its ``label``,
else its ``id``, else ``prompts[N]``. References to prompt files (``file://…``, bare paths
such as ``prompts/triage.txt``) are left to those files; providers and tests are not prompts.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from agentlint.adapters._prompt_files import ScalarText
from agentlint.adapters._scalar_text import LineIndex
from agentlint.adapters._templates import scan_jinja
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.prompts import PromptVersion, content_hash
from agentlint.model.source import Pointer

_CONFIG = re.compile(r"promptfooconfig[\w.-]*\.(?:ya?ml|json)\Z", re.IGNORECASE)
_FILE = re.compile(r"\S+\.(?:txt|md|json|jsonl|ya?ml|py|js|mjs|cjs|ts|j2|jinja2?|njk|nunjucks)(?::\w+)?\Z", re.IGNORECASE)


def claims(path: str, text: str) -> bool:
    return _CONFIG.search(PurePosixPath(path).name) is not None or "promptfoo.dev/config-schema" in text


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


ADAPTER = Adapter("promptfoo", frozenset({Syntax.YAML, Syntax.JSON}), claims, adapt)
