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
    # (YAML alias expansion has a fixed budget of its own: loaders/yaml.MAX_EXPANDED_NODES)


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
    # (file on disk, BLAKE2 digest of its bytes) once the run let ``text`` go: see ``source``
    origin: tuple[str, bytes] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def let_go(self, real: str, raw: bytes) -> None:
        """Drop the text (a large run kept every file's text, ~3x the entities it gave) and
        remember where it came from: ``source`` reads it again when a reporter needs it."""
        import hashlib

        self.origin = (real, hashlib.blake2b(raw, digest_size=16).digest())
        self.text = ""

    def source(self) -> str | None:
        """The text as it was loaded: kept, or read again from disk after ``let_go``; None
        when the file changed since (its bytes differ) or cannot be read."""
        if self.origin is None:
            return self.text
        import hashlib

        real, digest = self.origin
        try:
            with open(real, "rb") as handle:
                raw = handle.read()
        except OSError:
            return None
        if hashlib.blake2b(raw, digest_size=16).digest() != digest:
            return None
        try:
            if self.syntax is Syntax.PYTHON:
                from agentlint.loaders.python import decode_python

                return decode_python(raw)
            return decode(raw)
        except LoadError:
            return None


class LoadError(Exception):
    """Raised inside a loader for a located problem; turned into a Violation by the caller."""

    def __init__(
        self, code: str, message: str, line: int = 1, column: int = 1, related: tuple[tuple[int, int, str], ...] = ()
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = max(1, line)
        self.column = max(1, column)
        self.related = related  # (1-based line, column, note) in the same file, e.g. an unclosed '['

    def violation(self, path: str) -> Violation:
        return Violation(
            code=self.code,
            message=self.message,
            location=Location(path, Span.point(self.line, self.column)),
            ref=NodeRef(path),
            args=(self.message,),
            related=tuple(Location(path, Span.point(max(1, line), max(1, column)), note) for line, column, note in self.related),
        )


def decode(raw: bytes) -> str:
    """Bytes -> text, rejecting binary and non-UTF-8 content with a located LoadError.

    A UTF-8 BOM is dropped (editors do not count it as a column). Line endings are kept:
    loaders treat ``\\r\\n`` and ``\\r`` as one line break, and so does the position of an
    invalid byte. UTF-16 and UTF-32 text (a byte order mark, or NULs in every other byte) is
    said to be UTF-16/UTF-32, not binary.
    """
    refuse_wide(raw)
    if b"\x00" in raw[:8192]:
        raise LoadError("AL003", "binary file (NUL bytes): not a text format agentlint reads")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        raise LoadError(
            "AL003", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line, column
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def refuse_wide(raw: bytes) -> None:
    """A located AL003 for UTF-16 or UTF-32 text (Python source included: CPython reads neither)."""
    wide = _wide_encoding(raw[:8192])
    if wide is not None:
        raise LoadError("AL003", f"{wide[0]} text: agentlint reads UTF-8 only; save the file as UTF-8")


def wide_text(raw: bytes) -> str | None:
    """UTF-16/32 bytes decoded, only to recognise what the file is (an agent config saved as
    UTF-16 is worth an AL003 that says so); None for anything else."""
    wide = _wide_encoding(raw[:8192])
    return raw.decode(wide[1], "replace").lstrip("\ufeff") if wide else None


def sniff_text(raw: bytes) -> str:
    """The text of bytes that are not UTF-8, only to recognise what the file is: UTF-16/32
    decoded as such, else U+FFFD for each bad byte."""
    wide = wide_text(raw)
    return raw.decode("utf-8", "replace") if wide is None else wide


_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)", "utf-32"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)", "utf-32"),
    (b"\xff\xfe", "UTF-16 (little-endian)", "utf-16"),
    (b"\xfe\xff", "UTF-16 (big-endian)", "utf-16"),
)


def _wide_encoding(head: bytes) -> tuple[str, str] | None:
    """(``UTF-16 (little-endian)`` …, codec) when ``head`` starts with a byte order mark, or (no
    mark) when it is mostly ASCII written two bytes a character: a NUL in every high byte, none
    elsewhere."""
    for mark, name, codec in _BOMS:
        if head.startswith(mark):
            return name, codec
    pairs = len(head) // 2
    if pairs < 2 or b"\x00" not in head:
        return None
    even, odd = head[0 : pairs * 2 : 2], head[1 : pairs * 2 : 2]
    for high, low, name, codec in ((odd, even, "UTF-16 (little-endian)", "utf-16-le"), (even, odd, "UTF-16 (big-endian)", "utf-16-be")):
        if high.count(0) >= pairs * 0.9 and low.count(0) == 0:
            return name, codec
    return None
