"""``.gitignore`` -> one LocatedDoc: the list of patterns, as git reads them (gitignore(5)).

Blank lines and lines starting with ``#`` are skipped; trailing spaces are dropped unless
escaped with a backslash; ``\\#`` and ``\\!`` start a literal pattern; ``!`` negates. Each entry is
``{"pattern": …, "negated": bool}`` at pointer ``(i,)``, spanning the line's pattern text.
"""

from __future__ import annotations

import re

from agentlint.loaders.base import Limits, LoadedFile, LocatedDoc, Syntax
from agentlint.loaders.requirements import physical_lines
from agentlint.model.source import Pos, SourceMap, Span

_TRAILING = re.compile(r"(?<!\\)[ ]+\Z")


def load_gitignore(path: str, text: str, limits: Limits | None = None) -> LoadedFile:
    lines = physical_lines(text)
    smap = SourceMap()
    entries: list[dict] = []
    for number, line in enumerate(lines, 1):
        body = _TRAILING.sub("", line)
        if not body or body.startswith("#"):
            continue
        negated = body.startswith("!")
        pattern = body[1:] if negated else body
        if pattern.startswith(("\\#", "\\!")):
            pattern = pattern[1:]
        if not pattern:
            continue
        smap.values[(len(entries),)] = Span(Pos(number, 1), Pos(number, len(body) + 1))
        entries.append({"pattern": pattern, "negated": negated})
    smap.values[()] = Span(Pos(1, 1), Pos(max(1, len(lines)), len(lines[-1]) + 1 if lines else 1))
    return LoadedFile(path, Syntax.GITIGNORE, text, [LocatedDoc(path, entries, smap)])
