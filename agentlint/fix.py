"""Safe fixes (``agentlint check --fix`` and ``--diff``): findings' edits spliced into files.

A rule attaches a :class:`~agentlint.findings.Fix` to a violation: edits (path, 1-based
half-open span in code points, replacement text) computed from spans the model holds. This
module applies the fixes of the *active* findings of a run (never suppressed or baselined
ones), one file at a time:

- The text is the file's bytes as they are now, decoded as the loaders decode it (a UTF-8 BOM
  is put back on write, line endings are kept); a file whose text is not the text the run
  checked (edited in the meantime) is left alone.
- Fixes are taken in finding order; a fix whose edits overlap an edit already taken, or insert
  at the same place, waits for the next pass. A fix applies whole or not at all.
- Passes run in memory (:func:`apply`): the fixed texts are laid over the files (the engine's
  overlay) and checked again, until a pass changes nothing; a fix that comes back over the
  same text did not remove its finding and stops the passes. ``--diff`` prints the result of
  every pass and ``--fix`` writes it, each changed file once.
- The result is re-parsed with the file's own loader: a file whose fixed text has a problem
  the original did not (a parse error) keeps its original text and is reported.
- Spliced text keeps everything around the edits as it was: comments, quotes, indentation.

Only files with a fix are ever written, atomically (``safe_write``).
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from agentlint.findings import Edit, Finding, Fix, RunResult

_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks loaders count
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # a line with its break
_BOM = "\ufeff"


class EditError(ValueError):
    """An edit names a position outside the text, or edits of one file overlap."""


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str
    before: str  # as read (a BOM, if any, is not part of it)
    after: str
    fixes: tuple[Fix, ...]  # applied, in finding order
    fixed: int  # findings whose fix was applied (two findings may share one fix)
    bom: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    changes: tuple[FileChange, ...]  # sorted by path
    fixed: int
    deferred: int  # fixes that conflicted with one taken first: for the next pass
    problems: tuple[str, ...] = ()  # files left alone, and why

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def fixable(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.fix is not None and f.fix.edits]


def _line_starts(text: str) -> list[tuple[int, int]]:
    """(offset of the line's first character, offset after its last one) for every line."""
    lines = []
    start = 0
    for match in _BREAK.finditer(text):
        lines.append((start, match.start()))
        start = match.end()
    lines.append((start, len(text)))
    return lines


def _offset(lines: list[tuple[int, int]], line: int, column: int) -> int:
    if not 1 <= line <= len(lines):
        raise EditError(f"line {line} is outside the file ({len(lines)} lines)")
    start, end = lines[line - 1]
    if not 1 <= column <= end - start + 1:
        raise EditError(f"column {column} is outside line {line} ({end - start} characters)")
    return start + column - 1


def _ranges(text: str, edits: Sequence[Edit], lines: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    lines = lines if lines is not None else _line_starts(text)
    out = []
    for edit in edits:
        start = _offset(lines, *edit.span.start)
        end = _offset(lines, *edit.span.end)
        if end < start:
            raise EditError(f"edit ends before it starts at {edit.span.start.line}:{edit.span.start.column}")
        out.append((start, end, edit.text))
    return out


def _conflict(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Overlapping ranges, or two edits starting at the same place (their order is unknown)."""
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def splice(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with every edit applied; raises :class:`EditError` if two edits conflict."""
    ranges = sorted(set(_ranges(text, edits)))
    for left, right in zip(ranges, ranges[1:]):
        if _conflict(left, right):
            raise EditError("edits overlap")
    out, at = [], 0
    for start, end, replacement in ranges:
        out += [text[at:start], replacement]
        at = end
    out.append(text[at:])
    return "".join(out)


def _clashes(taken: list[tuple[int, int, str]], candidate: tuple[int, int, str]) -> bool:
    """Whether ``candidate`` conflicts with a range of ``taken`` (sorted, pairwise without
    conflict): only its neighbours by start can."""
    at = bisect.bisect_left(taken, candidate[0], key=lambda r: r[0])
    return any(_conflict(taken[i], candidate) for i in (at - 1, at) if 0 <= i < len(taken))


def _select(text: str, findings: Sequence[Finding], path: str) -> tuple[list[Fix], list[int], int]:
    """The fixes to apply to one file now (finding order), how many findings each fixes (two
    findings may share one fix), and how many fixes wait for the next pass. Raises EditError
    for an edit outside the text."""
    lines = _line_starts(text)
    taken: list[tuple[int, int, str]] = []
    chosen: dict[Fix, int] = {}  # insertion-ordered: fix -> findings it fixes
    deferred = 0
    for finding in findings:
        fix = finding.fix
        assert fix is not None
        if fix in chosen:
            chosen[fix] += 1  # the same fix for two findings: applied once, fixes both
            continue
        ranges = sorted(_ranges(text, [e for e in fix.edits if e.path == path], lines))
        if any(_conflict(a, b) for a, b in zip(ranges, ranges[1:])) or any(_clashes(taken, r) for r in ranges):
            deferred += 1
            continue
        for r in ranges:
            bisect.insort(taken, r, key=lambda r: r[0])
        chosen[fix] = 1
    return list(chosen), list(chosen.values()), deferred


def _verified(path: str, before: str, chosen: list[Fix], settings: object) -> tuple[list[Fix], list[str]] | None:
    """The fixes whose result loads as cleanly as ``before`` (all of them, else each in turn
    on top of those kept), and why the others were dropped; None when the syntax is unknown."""
    old = _parse_problems(path, before, settings)
    if old is None:
        return None

    def added(fixes: list[Fix]) -> Counter[str]:
        new = _parse_problems(path, splice(before, [edit for fix in fixes for edit in fix.edits]), settings)
        return (new or Counter()) - old

    if not added(chosen):
        return chosen, []
    kept: list[Fix] = []
    dropped = []
    for fix in chosen:
        worse = added([*kept, fix])
        if worse:
            dropped.append(f"{path}: not fixed ({fix.title}): the fixed text would not load cleanly ({', '.join(sorted(worse))})")
        else:
            kept.append(fix)
    return kept, dropped


def _read(root: Path, path: str) -> tuple[str, bool] | None:
    try:
        text = (root / path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return (text[1:], True) if text.startswith(_BOM) else (text, False)


def _parse_problems(path: str, text: str, settings: object) -> Counter[str] | None:
    """The codes of the problems the file's loader reports for ``text``; None when the file's
    syntax is not known from its name (it is then not fixed: nothing could verify it)."""
    from agentlint import engine

    syntax = engine.syntax_of(path)
    if syntax is None:
        return None
    loaded = engine.load(path, text, syntax, settings)  # type: ignore[arg-type]
    return Counter(problem.code for problem in loaded.problems)


def plan(result: RunResult, root: Path, settings: object, texts: Mapping[str, tuple[str, bool]] | None = None) -> Plan:
    """What fixing the active findings of ``result`` would change (nothing is written).
    ``texts``: (text, BOM) of files already fixed in memory, read instead of the disk."""
    by_path: dict[str, list[Finding]] = {}
    for finding in fixable(result.findings):
        assert finding.fix is not None
        paths = {edit.path for edit in finding.fix.edits}
        if paths != {finding.path}:
            continue  # fixes stay within the finding's file
        by_path.setdefault(finding.path, []).append(finding)
    changes: list[FileChange] = []
    problems: list[str] = []
    fixed = deferred = 0
    for path in sorted(by_path):
        read = texts[path] if texts is not None and path in texts else _read(root, path)
        if read is None:
            problems.append(f"{path}: not fixed: it can no longer be read as UTF-8")
            continue
        before, bom = read
        checked = result.sources.get(path)
        if checked != before:
            why = "it changed since it was checked" if checked is not None else "the run kept no text of it to compare"
            problems.append(f"{path}: not fixed: {why}")
            continue
        try:
            chosen, counts, waiting = _select(before, by_path[path], path)
            verified = _verified(path, before, chosen, settings) if chosen else ([], [])
        except EditError as exc:
            problems.append(f"{path}: not fixed: {exc}")
            continue
        if verified is None:
            problems.append(f"{path}: not fixed: its syntax is not known from its name, so the fix cannot be verified")
            continue
        kept, dropped = verified
        problems += dropped
        after = splice(before, [edit for fix in kept for edit in fix.edits])
        deferred += waiting
        if after == before:
            continue
        kept_set = set(kept)
        count = sum(n for fix, n in zip(chosen, counts) if fix in kept_set)
        changes.append(FileChange(path, before, after, tuple(kept), count, bom))
        fixed += count
    return Plan(tuple(changes), fixed, deferred, tuple(problems))


def unified_diff(plan: Plan) -> str:
    """``--diff``: one unified diff per changed file (``a/`` and ``b/`` prefixes, as git)."""
    out = []
    for change in plan.changes:
        before = _LINE.findall(change.before)
        after = _LINE.findall(change.after)
        for line in difflib.unified_diff(before, after, f"a/{change.path}", f"b/{change.path}"):
            out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def write(plan: Plan, root: Path) -> list[str]:
    """Write every changed file atomically; returns the errors (a file that could not be written)."""
    from agentlint.safe_write import write_text

    errors = []
    for change in plan.changes:
        try:
            write_text(root / change.path, (_BOM if change.bom else "") + change.after)
        except OSError as exc:
            errors.append(f"{change.path}: cannot write: {exc.strerror or exc}")
    return errors


MAX_PASSES = 10


@dataclass(frozen=True, slots=True)
class Outcome:
    result: RunResult  # the check of the fixed texts: what remains
    changes: tuple[FileChange, ...]  # original -> fixed text of every changed file, sorted
    fixed: int
    problems: tuple[str, ...]  # fixes not applied, and why

    def plan(self) -> Plan:
        return Plan(self.changes, self.fixed, 0, self.problems)


def apply(
    result: RunResult,
    recheck: Callable[[Mapping[str, bytes]], RunResult],
    root: Path,
    settings: object,
    passes: int = MAX_PASSES,
) -> Outcome:
    """Fix ``result`` in memory: apply its fixes, check again with the fixed texts laid over
    the files (``recheck(overlay)``), and repeat while a pass changes something (fixes that
    conflicted with another wait for the next pass). Nothing is written: ``--diff`` prints
    the changes, ``--fix`` writes them."""
    texts: dict[str, tuple[str, bool]] = {}  # path -> (fixed text, BOM)
    originals: dict[str, str] = {}
    fixed = 0
    problems: list[str] = []
    applied: set[tuple[str, Fix, tuple[str, ...] | None]] = set()
    for _ in range(passes):
        pending = fixable(result.findings)
        signatures = _signatures(result, [(f.path, f.fix) for f in pending])
        again = sorted({f.path for f, signature in zip(pending, signatures) if signature in applied})
        if again:  # a fix that did not remove its finding: never apply it twice
            problems += [f"{path}: a fix did not remove its finding; stopped fixing" for path in again]
            break
        current = plan(result, root, settings, texts)
        problems += [p for p in current.problems if p not in problems]
        if not current.changed:
            break
        for change in current.changes:
            originals.setdefault(change.path, change.before)
            texts[change.path] = (change.after, change.bom)
        fixed += current.fixed
        applied.update(_signatures(result, [(c.path, fix) for c in current.changes for fix in c.fixes]))
        result = recheck({path: ((_BOM if bom else "") + text).encode("utf-8") for path, (text, bom) in texts.items()})
    changes = tuple(
        FileChange(path, originals[path], texts[path][0], (), 0, texts[path][1])
        for path in sorted(texts)
        if texts[path][0] != originals[path]
    )
    return Outcome(result, changes, fixed, tuple(problems))


def _signatures(result: RunResult, fixes: Iterable[tuple[str, Fix | None]]) -> list[tuple[str, Fix, tuple[str, ...] | None]]:
    """Each fix with the text it replaces: the same edits over the same text are the same fix
    again (it did not remove its finding), while equal edits over other text (the next line
    moved up into a removed one's place) are a new fix."""
    lines: dict[str, list[tuple[int, int]]] = {}
    out = []
    for path, fix in fixes:
        assert fix is not None
        text = result.sources.get(path)
        covered = None
        if text is not None:
            if path not in lines:
                lines[path] = _line_starts(text)
            try:
                covered = tuple(text[a:b] for a, b, _ in _ranges(text, fix.edits, lines[path]))
            except EditError:
                pass
        out.append((path, fix, covered))
    return out
