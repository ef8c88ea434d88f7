"""Which syntax a file is read as (by name, else by content), its loader, the adapters that claim
it, the byte prefilter for Python, and the settings modules read for their constants: the
reading half of the engine (agentlint.engine runs it)."""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING

from agentlint.adapters._code.markers import mentions_known_library
from agentlint.adapters.base import adapters_for
from agentlint.config import Settings
from agentlint.discover import Candidate, excluded, named_kind, read_bytes, read_head
from agentlint.loaders.base import LoadedFile, LoadError, Syntax, decode, wide_text
from agentlint.loaders.python import decode_python

if TYPE_CHECKING:
    from agentlint.engine import _Run


_SYNTAX = {
    ".yaml": Syntax.YAML,
    ".yml": Syntax.YAML,
    ".json": Syntax.JSON,
    ".jsonc": Syntax.JSON,
    ".toml": Syntax.TOML,
    ".lock": Syntax.TOML,  # uv.lock, poetry.lock, Cargo.lock; only parsed when an adapter claims it
    ".prompty": Syntax.FRONTMATTER,  # YAML front matter + template body
    ".prompt": Syntax.FRONTMATTER,  # dotprompt (Genkit); look-alikes are left unclaimed
    ".py": Syntax.PYTHON,  # parsed with the stdlib ast only when the byte prefilter passes
}


_NAMED = {
    "requirements": Syntax.REQUIREMENTS,
    "dotenv": Syntax.DOTENV,
    "gitignore": Syntax.GITIGNORE,
    "dockerfile": Syntax.DOCKERFILE,
}  # by file name (discover.named_kind)


def syntax_of(path: str) -> Syntax | None:
    kind = named_kind(path)
    if kind is not None:
        return _NAMED[kind]
    return _SYNTAX.get(os.path.splitext(path)[1].lower())


def is_jsonc(path: str) -> bool:
    lowered = path.lower()
    return lowered.endswith(".jsonc") or "/.vscode/" in f"/{lowered}" or lowered.endswith("devcontainer.json")


# syntax -> (loader module, function): imported only when a file of that syntax is read
_LOADERS = {
    Syntax.YAML: ("yaml", "load_yaml"),
    Syntax.TOML: ("toml", "load_toml"),
    Syntax.FRONTMATTER: ("frontmatter", "load_frontmatter"),
    Syntax.PYTHON: ("python", "load_python"),
    Syntax.REQUIREMENTS: ("requirements", "load_requirements"),
    Syntax.DOTENV: ("dotenv", "load_dotenv"),
    Syntax.GITIGNORE: ("gitignore", "load_gitignore"),
    Syntax.DOCKERFILE: ("dockerfile", "load_dockerfile"),
}


def load(path: str, text: str, syntax: Syntax, settings: Settings) -> LoadedFile:
    if syntax is Syntax.JSON:
        from agentlint.loaders.json import load_json

        return load_json(path, text, settings.limits, jsonc=is_jsonc(path))
    module, function = _LOADERS[syntax]
    loader = getattr(importlib.import_module(f"agentlint.loaders.{module}"), function)
    return loader(path, text, settings.limits)


def _decoded(raw: bytes, syntax: Syntax) -> str | None:
    try:
        return decode_python(raw) if syntax is Syntax.PYTHON else decode(raw)
    except LoadError:
        return None


def _syntax_by_content(run: _Run, candidate: Candidate) -> Syntax | None:
    """The syntax of a file named on the command line whose extension agentlint does not read
    (``graph.cfg``, ``mcp.conf``): JSON when it starts with ``{`` or ``[``, else YAML or TOML,
    the first one an adapter claims and that parses as a mapping or list in that syntax (a
    Markdown page quoting a config is not one). An unreadable file is YAML here, so that
    reading it reports why (AL003)."""
    raw = read_head(candidate.real, run.settings.at(candidate.path).limits.max_file_bytes)
    if not isinstance(raw, bytes):
        return Syntax.YAML
    try:
        text = decode(raw)
    except LoadError:
        return None
    head = text.lstrip("\ufeff \t\r\n")[:1]
    order = (Syntax.JSON, Syntax.YAML, Syntax.TOML) if head in ("{", "[") else (Syntax.YAML, Syntax.TOML)
    settings = run.settings.at(candidate.path)
    for syntax in order:
        if _claimed(candidate.path, text, syntax):
            loaded = load(candidate.path, text, syntax, settings)
            parsed = not any(p.code == "AL001" for p in loaded.problems)
            if parsed and any(isinstance(doc.data, (dict, list)) for doc in loaded.docs):
                return syntax
    return None


def _imported_constants(run: _Run) -> list:
    """Settings modules (``settings.py: MAX_STEPS = 50``) name no agent library, so the prefilter
    skips them; when a module that was read takes a limit from one, read that one too (once, for
    its module-level numbers only). Silent on any problem: it is not a file agentlint checks."""
    if not run.prefiltered:  # no skipped .py file: nothing to read (and nothing to import)
        return []
    from agentlint.model.code_constants import wanted_modules

    wanted = wanted_modules(run.parts, run.entities)
    if not wanted:
        return []
    from agentlint.adapters._code.scope import module_key
    from agentlint.adapters.python_names import constants_of
    from agentlint.loaders.python import load_python

    found = []
    for path, candidate in sorted(run.prefiltered.items()):
        key = module_key(path)
        if not any(key == module or key.endswith("." + module) for module in wanted):
            continue
        raw = read_bytes(candidate.real, run.settings.at(candidate.path).limits.max_file_bytes)
        if isinstance(raw, str):
            continue
        try:
            text = decode_python(raw)
        except LoadError:
            continue
        constants = constants_of(load_python(path, text, run.settings.limits))
        if constants is not None:
            found.append(constants)
    return found


def _wide_library(raw: bytes) -> bool:
    """A UTF-16/32 .py that names a library agentlint reads (reported as UTF-16, not skipped)."""
    text = wide_text(raw) if b"\x00" in raw[:8192] else None
    return text is not None and mentions_known_library(text.encode("utf-8", "replace"))


def _python_concerns_us(candidate: Candidate, limit: int) -> bool:
    """Whether a .py that cannot be read whole (too large) is worth an AL003: named on the
    command line, or its first ``limit`` bytes name a library agentlint reads."""
    if candidate.explicit:
        return True
    head = read_head(candidate.real, limit)
    return isinstance(head, str) or mentions_known_library(head)  # unreadable: say so


def _claimed(path: str, text: str, syntax: Syntax) -> list:
    return [a for a in adapters_for(syntax) if a.claims(path, text)]  # imports only that syntax's adapters


def _excluded_by_scope(settings: Settings, path: str) -> bool:
    """A nested config's ``exclude`` (globs relative to its folder) covers this file. The base
    config's patterns were applied while walking."""
    layer = settings.at(path)
    return layer is not settings and bool(layer.exclude) and excluded(layer.relative(path), layer.exclude)
