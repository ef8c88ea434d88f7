"""Findings as LSP diagnostics: 1-based code-point spans become 0-based ranges in the
position encoding negotiated with the client (UTF-16 unless it offered UTF-32 or UTF-8)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types

from agentlint.findings import Finding, Severity
from agentlint.model.source import Pos, Span

SOURCE = "agentlint"
# The published rule pages (rules/ALnnn.md), next to the published schemas (agentlint.dev/schemas/)
RULES_URL = "https://agentlint.dev/rules/"
UNUSED_SUPPRESSION = "AL903"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
_LINES = re.compile(r"\r\n|\r|\n")  # as the loaders count lines (not at \f or U+2028)


def split_lines(text: str) -> list[str]:
    return _LINES.split(text)


def rule_url(code: str) -> str:
    return f"{RULES_URL}{code}.md"


def units(encoding: str | None) -> Callable[[str], int]:
    """How many code units of the negotiated encoding a string takes."""
    if encoding == types.PositionEncodingKind.Utf32:
        return len
    if encoding == types.PositionEncodingKind.Utf8:
        return lambda s: len(s.encode("utf-8", "surrogatepass"))
    return lambda s: len(s.encode("utf-16-le", "surrogatepass")) // 2


class Lines:
    """One document's lines, to turn code-point columns into the client's code units and back."""

    def __init__(self, text: str, encoding: str | None) -> None:
        self.lines = split_lines(text)
        self.count = units(encoding)
        self.identity = encoding == types.PositionEncodingKind.Utf32

    def position(self, pos: Pos) -> types.Position:
        line = max(pos.line - 1, 0)
        if line >= len(self.lines):
            return types.Position(line=len(self.lines), character=0)
        column = max(pos.column - 1, 0)
        if self.identity:
            return types.Position(line=line, character=min(column, len(self.lines[line])))
        return types.Position(line=line, character=self.count(self.lines[line][:column]))

    def range(self, span: Span) -> types.Range:
        return types.Range(start=self.position(span.start), end=self.position(span.end))

    def column(self, position: types.Position) -> Pos:
        """The 1-based code-point position of an LSP position."""
        if position.line >= len(self.lines):
            return Pos(len(self.lines) + 1, 1)
        text = self.lines[position.line]
        if self.identity:
            return Pos(position.line + 1, min(position.character, len(text)) + 1)
        used = 0
        for index, char in enumerate(text):
            if used >= position.character:
                return Pos(position.line + 1, index + 1)
            used += self.count(char)
        return Pos(position.line + 1, len(text) + 1)


def diagnostic(finding: Finding, lines: Lines, uri_of: Callable[[str], str], lines_of: Callable[[str], Lines | None]) -> types.Diagnostic:
    related = []
    for location in finding.related:
        other = lines if location.path == finding.path else lines_of(location.path)
        if other is None:
            continue
        related.append(
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=uri_of(location.path), range=other.range(location.span)),
                message=location.note or "related location",
            )
        )
    return types.Diagnostic(
        range=lines.range(finding.location.span),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(finding.code)) if re.fullmatch(r"AL\d{3}", finding.code) else None,
        source=SOURCE,
        related_information=related or None,
        tags=[types.DiagnosticTag.Unnecessary] if finding.code == UNUSED_SUPPRESSION else None,
        data={"name": finding.name, "fingerprint": finding.fingerprint},
    )


def uri_to_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if re.match(r"^/[A-Za-z]:", path):  # file:///c:/x on Windows
        path = path[1:]
    return Path(path)


def path_to_uri(path: Path) -> str:
    return path.absolute().as_uri()
