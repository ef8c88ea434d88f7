"""Helpers shared by reporters (standard library only)."""

from __future__ import annotations

import unicodedata

from agentlint.findings import Finding, RunResult, Severity


def shown(result: RunResult, show_suppressed: bool) -> tuple[Finding, ...]:
    """Findings to render: active ones, merged in sort order with suppressed ones if asked."""
    if not show_suppressed or not result.suppressed:
        return result.findings
    return tuple(sorted(result.findings + result.suppressed, key=Finding.sort_key))


def count(findings: tuple[Finding, ...], severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)


def one_line(text: str) -> str:
    """Replace control characters (newlines, tabs, escapes ...) by a space."""
    if text.isprintable():
        return text
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
