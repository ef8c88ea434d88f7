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


# GitHub's runner reads every line a step prints as a possible workflow command: ``::name ...::``
# at the start of a line (after leading whitespace) and the legacy ``##[name ...]`` anywhere in
# it (actions/runner ActionCommand.TryParseV2 / TryParse). Paths and messages are user text: a
# file named ``::warning title=x::owned.yaml`` must not become an annotation or a
# ``::stop-commands::``.
_LEGACY_COMMAND = "##["
_BROKEN_LEGACY = "#\u200b#["  # a zero-width space: looks the same, takes no cell, parses as no command


def safe_text(text: str) -> str:
    """``one_line``, with the legacy ``##[`` command opener broken by a zero-width space."""
    text = one_line(text)
    return text.replace(_LEGACY_COMMAND, _BROKEN_LEGACY) if _LEGACY_COMMAND in text else text


def safe_path(path: str) -> str:
    """A path as line-oriented formats print it at the start of a line: ``safe_text``, and
    ``./`` in front of a path that starts with a colon or whitespace (``./::warning x.yaml`` is
    the same file, and no workflow command); the project itself (``""``) is ``.``."""
    text = safe_text(path)
    if not text:
        return "."
    return "./" + text if text[0] == ":" or text[0].isspace() else text


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(result: RunResult) -> str:
    """The one-line verdict: ``Found 4 problems (2 errors, 1 warning, 1 info) in 3 files.``,
    ``All checked: no problems in 3 files.``, or, when the run found no agent, tool, MCP server,
    prompt or LLM client at all, says so: a run that judged nothing is not a pass."""
    active = result.findings
    files = plural(result.files_checked, "file")
    if active:
        line = (
            f"Found {plural(len(active), 'problem')} ("
            f"{plural(count(active, Severity.ERROR), 'error')}, "
            f"{plural(count(active, Severity.WARNING), 'warning')}, "
            f"{plural(count(active, Severity.INFO), 'info')}) in {files}"
        )
    elif result.nothing_found:
        line = f"No agent definition, MCP config or prompt found in {files}"
    else:
        line = f"All checked: no problems in {files}"
    if result.suppressed:
        line += f", {len(result.suppressed)} suppressed"
    if result.baselined:
        line += f", {len(result.baselined)} in the baseline"
    note = not_recognised_note(result)
    return line + (f", {note}." if note else ".")


def not_recognised_note(result: RunResult) -> str | None:
    """``3 files not recognised (use --show-files)``, or None when nothing worth saying was skipped."""
    skipped = len(result.not_recognised)
    if not skipped:
        return None
    return f"{plural(skipped, 'file')} not recognised (use --show-files)"


def file_list(result: RunResult) -> str:
    """``--show-files``: every file the run considered and what became of it, one per line."""
    return "".join(f"{safe_path(record.path)}: {safe_text(record.describe())}\n" for record in result.files)


def statistics(result: RunResult) -> list[tuple[int, str, str]]:
    """``--statistics``: (count, code, name) of the active findings, most frequent first."""
    counts: dict[tuple[str, str], int] = {}
    for finding in result.findings:
        key = (finding.code, finding.name)
        counts[key] = counts.get(key, 0) + 1
    return sorted(((n, code, name) for (code, name), n in counts.items()), key=lambda row: (-row[0], row[1]))


def statistics_text(result: RunResult) -> str:
    rows = statistics(result)
    width = max((len(str(n)) for n, _, _ in rows), default=1)
    return "".join(f"{n:>{width}}\t{code}\t{name}\n" for n, code, name in rows)
