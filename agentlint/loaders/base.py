"""What every loader returns, and the byte-level checks all loaders share."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from agentlint.findings import Location, Violation
from agentlint.model.source import NodeRef, Pointer, SourceMap, Span


class Syntax(enum.Enum):
    YAML = "yaml"
    JSON = "json"
    TOML = "toml"
    PYTHON = "python"
    FRONTMATTER = "frontmatter"
    REQUIREMENTS = "requirements"  # pip requirements*.txt
    DOTENV = "dotenv"  # .env files: KEY=value lines
    GITIGNORE = "gitignore"  # .gitignore: which files are not committed
    DOCKERFILE = "dockerfile"  # Dockerfile / Containerfile instructions


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource caps applied while reading; set from config by the engine."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_depth: int = 200
    # An alias-expansion budget: constructed nodes may not exceed this factor times the
    # nodes written in the file (plus a constant), which stops billion-laughs documents.
    max_alias_expansion: int = 10
    max_nodes_floor: int = 100_000


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment as the parser saw it: 1-based position of ``#`` and its text (with ``#``)."""

    line: int
    column: int
    text: str
    own_line: bool  # nothing but whitespace precedes it on its line


@dataclass(slots=True)
class LocatedDoc:
    """One document: plain data (dict/list/str/int/float/bool/None) and where each node is."""

    path: str
    data: Any
    source_map: SourceMap
    index: int = 0

    def ref(self, pointer: Pointer = ()) -> NodeRef:
        return NodeRef(self.path, pointer, self.index)

    def locate(self, pointer: Pointer) -> Location:
        return Location(self.path, self.source_map.locate(pointer))

    def key_or_value(self, pointer: Pointer) -> Span:
        return self.source_map.locate(pointer)


@dataclass(slots=True)
class LoadedFile:
    """A file after its syntax loader: documents, comments, and located problems (AL0xx)."""

    path: str
    syntax: Syntax | None
    text: str = ""
    docs: list[LocatedDoc] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    problems: list[Violation] = field(default_factory=list)
    module: Any = None  # Python files: the parsed LocatedModule (loaders.python), else None

    @property
    def ok(self) -> bool:
        return not self.problems


class LoadError(Exception):
    """Raised inside a loader for a located problem; turned into a Violation by the caller."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = max(1, line)
        self.column = max(1, column)

    def violation(self, path: str) -> Violation:
        return Violation(
            code=self.code,
            message=self.message,
            location=Location(path, Span.point(self.line, self.column)),
            ref=NodeRef(path),
            args=(self.message,),
        )


def decode(raw: bytes) -> str:
    """Bytes -> text, rejecting binary and non-UTF-8 content with a located LoadError.

    A UTF-8 BOM is dropped (editors do not count it as a column). Line endings are kept:
    loaders treat ``\\r\\n`` and ``\\r`` as one line break.
    """
    if b"\x00" in raw[:8192]:
        raise LoadError("AL003", "binary file (NUL bytes): not a text format agentlint reads")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise LoadError(
            "AL003", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line, column
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text
