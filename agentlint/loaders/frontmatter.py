"""Front matter files -> LocatedDoc + template body (``.prompty``, dotprompt ``.prompt``).

A file opens with a ``---`` line (blank lines may precede it), holds YAML up to the next
``---`` line, and continues with a template body. The YAML loader reads a copy of the text in
which every line outside the front matter (the two ``---`` lines and the whole body) is emptied
but kept as a line break: documents, comments and AL001 problems carry the file's own lines
and columns, and nothing in the body (a ``# heading``, a ``---`` rule) can reach the YAML
parser. The body is template text, never YAML: a ``#`` in it is prompt text, not a comment.

A file without front matter loads with no documents and no problem; whether a bare template
is valid is the adapter's call. An opening ``---`` that is never closed is an AL001 at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from agentlint.loaders.base import LoadedFile, Limits, LoadError, Syntax
from agentlint.loaders.yaml import load_yaml
from agentlint.model.source import Span

_LINES = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_FENCE = re.compile(r"---[ \t]*\Z")


@dataclass(slots=True)
class FrontMatterFile(LoadedFile):
    """A loaded front matter file: ``docs`` hold the front matter (at most one document)."""

    has_front_matter: bool = False
    body: str = ""  # the template after the closing ``---`` line, line breaks as written
    body_line: int = 1  # the 1-based line on which the body starts


def split_lines(text: str) -> list[tuple[str, str]]:
    """(content, line break) per line; ``\\r\\n``, ``\\r`` and ``\\n`` are the only breaks."""
    out = []
    for match in _LINES.finditer(text):
        if match.start() == len(text) and out and not match.group(0):
            break
        out.append((match.group(1), match.group(2)))
        if not match.group(2):
            break
    return out


def load_frontmatter(path: str, text: str, limits: Limits = Limits()) -> FrontMatterFile:
    """Split ``text`` into front matter and body; never raises for bad input."""
    lines = split_lines(text)
    opening = 0
    while opening < len(lines) and not lines[opening][0].strip():
        opening += 1
    if opening == len(lines) or not _FENCE.match(lines[opening][0]):
        return FrontMatterFile(path=path, syntax=Syntax.FRONTMATTER, text=text, body=text, body_line=1)
    closing = next((n for n in range(opening + 1, len(lines)) if _FENCE.match(lines[n][0])), None)
    if closing is None:
        problem = LoadError(
            "AL001", "front matter opened with '---' is never closed: end it with a '---' line before the template", opening + 1, 1
        )
        return FrontMatterFile(
            path=path, syntax=Syntax.FRONTMATTER, text=text, problems=[problem.violation(path)], has_front_matter=True, body_line=opening + 1
        )
    masked = "".join((content if opening < number < closing else "") + brk for number, (content, brk) in enumerate(lines))
    parsed = load_yaml(path, masked, limits)
    # The parser may notice an unclosed quote or bracket only at the end of the (emptied)
    # text: such a problem belongs to the closing fence, not to a line of the template.
    fence = Span.point(closing + 1, 1)
    problems = [replace(p, location=replace(p.location, span=fence)) if p.location.span.start.line > closing + 1 else p for p in parsed.problems]
    return FrontMatterFile(
        path=path,
        syntax=Syntax.FRONTMATTER,
        text=text,
        docs=parsed.docs,
        comments=parsed.comments,
        problems=problems,
        has_front_matter=True,
        body="".join(content + brk for content, brk in lines[closing + 1 :]),
        body_line=closing + 2,
    )
