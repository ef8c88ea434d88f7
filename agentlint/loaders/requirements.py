"""pip requirements files (``requirements*.txt``) -> one LocatedDoc, a list of entries.

The format is pip's (``pip/_internal/req/req_file.py``), read line by line as pip does: a
trailing ``\\`` joins the next physical line; a comment starts at ``#`` at the start of a line
or after whitespace and runs to the end of the logical line; a line starting with ``-`` is an
option (``-r other.txt``, ``-c constraints.txt``, ``-e path``, ``--index-url`` …); anything else
is a requirement, followed by per-requirement options (``--hash=…``) from the first token that
starts with ``-``. Requirements are PEP 508 (``name[extra]==1.2 ; python_version<"3.12"``,
``name @ url``) or a path / URL, which has no name.

Each entry is a dict ``{"kind": "requirement" | "option", "text": …}``; requirements add
``name`` (as written, None for paths and URLs), ``specifier`` (after name and extras,
before the marker) and ``version`` (the one version of an ``==`` / ``===`` pin, else None);
options add ``option`` and ``value``. Pointers: ``(i,)`` is the entry (without comment and
per-requirement options), ``(i, "name")`` and ``(i, "version")`` its parts. Positions are
exact code points, across joined lines too; ``\\r\\n``, ``\\r`` and ``\\n`` break lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from agentlint.loaders.base import Comment, Limits, LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import Pos, SourceMap, Span

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|\Z)")
_COMMENT = re.compile(r"(?:^|(?<=\s))#")
_COMMENT_LINE = re.compile(r"\s*#")
_OPTION = re.compile(r"(-[^ \t=]*)[ \t=]*(.*)")
_TOKEN = re.compile(r"[^ \t]+")
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_EXTRAS = re.compile(r"[ \t]*\[[^\]]*\]")
_EXACT = re.compile(r"[ \t]*(===?)[ \t]*([0-9A-Za-z][0-9A-Za-z.+!_-]*)[ \t]*\Z")
_URLISH = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|[./\\~]|[A-Za-z]:[/\\]")
_ARCHIVE = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2")


def physical_lines(text: str) -> list[str]:
    out = []
    for match in _LINE.finditer(text):
        if match.start() == len(text) and out and not match.group(0):
            break
        out.append(match.group(1))
        if not match.group(2):
            break
    return out


class _Logical:
    """A logical line (physical lines joined as pip joins them) and where each character is:
    segments of (index in the text, line, column of that index)."""

    __slots__ = ("text", "starts", "places")

    def __init__(self, text: str, segments: list[tuple[int, int, int]]) -> None:
        self.text = text
        self.starts = [start for start, _, _ in segments]
        self.places = [(line, column) for _, line, column in segments]

    def pos(self, index: int) -> Pos:
        at = bisect_right(self.starts, index) - 1
        line, column = self.places[at]
        return Pos(line, column + index - self.starts[at])


def _logical(lines: list[str]) -> list[_Logical]:
    """Lines joined at trailing backslashes as pip joins them (a comment line is never
    continued)."""
    out: list[_Logical] = []
    chars: list[str] = []
    segments: list[tuple[int, int, int]] = []
    size = 0
    for number, line in enumerate(lines, 1):
        comment_line = _COMMENT_LINE.match(line) is not None
        if comment_line and chars:  # pip puts a space before it, so that it stays a comment
            chars.append(" ")
            segments.append((size, number, 1))
            size += 1
        joined = line.endswith("\\") and not comment_line
        body = line.rstrip("\\") if joined else line
        chars.append(body)
        segments.append((size, number, 1))
        size += len(body)
        if joined:
            continue
        out.append(_Logical("".join(chars), segments))
        chars, segments, size = [], [], 0
    if chars:
        out.append(_Logical("".join(chars), segments))
    return out


def load_requirements(path: str, text: str, limits: Limits | None = None) -> LoadedFile:
    lines = physical_lines(text)
    smap = SourceMap()
    entries: list[dict] = []
    comments: list[Comment] = []
    for joined in _logical(lines):
        logical, where = joined.text, joined.pos
        comment = _COMMENT.search(logical)
        if comment is not None:
            at = where(comment.start())
            source = lines[at.line - 1]
            comments.append(Comment(at.line, at.column, source[at.column - 1 :], not source[: at.column - 1].strip()))
            logical = logical[: comment.start()]
        stripped = logical.strip()
        if not stripped:
            continue
        start = len(logical) - len(logical.lstrip())
        index = len(entries)

        def span(a: int, b: int) -> Span:
            return Span(where(a), where(b))

        if stripped.startswith("-"):
            match = _OPTION.match(stripped)
            option, value = (match.group(1), match.group(2).strip()) if match else (stripped, "")
            entries.append({"kind": "option", "option": option, "value": value or None, "text": stripped})
            smap.values[(index,)] = span(start, start + len(stripped))
            continue
        # the requirement ends before the first token that starts with "-" (pip's break_args_options)
        end = start
        for token in _TOKEN.finditer(logical, start):
            if token.group(0).startswith("-"):
                break
            end = token.end()
        requirement = logical[start:end]
        entry: dict = {"kind": "requirement", "text": requirement, "name": None, "specifier": "", "version": None}
        entries.append(entry)
        smap.values[(index,)] = span(start, end)
        name = _NAME.match(requirement)
        if name is None or _URLISH.match(requirement) or (requirement.lower().endswith(_ARCHIVE) and "@" not in requirement):
            continue
        after = name.end()
        extras = _EXTRAS.match(requirement, after)
        if extras is not None:
            after = extras.end()
        rest = requirement[after:]
        if rest and rest[0] not in " \t=<>!~;@(":
            continue  # not PEP 508 (a path such as "src/pkg", "pkg.py")
        entry["name"] = name.group(0)
        smap.values[(index, "name")] = span(start, start + name.end())
        specifier = rest.split(";", 1)[0]
        entry["specifier"] = specifier.strip()
        exact = _EXACT.match(specifier)
        if exact is not None and "*" not in exact.group(2):
            entry["version"] = exact.group(2)
            offset = start + after + exact.start(2)
            smap.values[(index, "version")] = span(offset, offset + len(exact.group(2)))
    last = Pos(max(1, len(lines)), len(lines[-1]) + 1 if lines else 1)
    smap.values[()] = Span(Pos(1, 1), last)
    doc = LocatedDoc(path, entries, smap)
    return LoadedFile(path, Syntax.REQUIREMENTS, text, [doc], comments)
