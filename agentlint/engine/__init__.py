"""Files -> loaders -> adapters -> project -> rules -> findings -> RunResult.

The engine owns everything rules must not do: severity resolution, per-path overrides,
suppressions, fingerprints, crash isolation and sorting.
"""

from __future__ import annotations

import gc
import hashlib
import os
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from agentlint.baseline import Baseline
from agentlint.cache import Cache, capture, replay
from agentlint.cache import digest as cache_digest
from agentlint.adapters._code.markers import mentions_known_library
from agentlint.adapters.base import Adapted
from agentlint.config import Settings, with_scopes
from agentlint.discover import Candidate, Listing, discover, excluded, project_paths, read_bytes
# engine.files and engine.finish hold the reading and the closing halves; their names that
# other modules and tests reach as ``engine.<name>`` stay importable from here (the language
# server's fast path calls engine._option_groups and engine._finish).
from agentlint.engine.files import (
    _claimed,
    _decoded,
    _excluded_by_scope,
    _imported_constants,
    _python_concerns_us,
    _syntax_by_content,
    _wide_library,
    is_jsonc,
    load,
    syntax_of,
)
from agentlint.engine.finish import _defines_anything, _finish, _option_groups, _within, fingerprint
from agentlint.findings import PROJECT_PATH, FileRecord, FileStatus, Location, RunResult, Violation
from agentlint.loaders.base import LoadedFile, LoadError, Syntax, decode, refuse_wide, sniff_text
from agentlint.loaders.python import decode_python
from agentlint.model.deployment import Coverage
from agentlint.model.entities import GraphPart
from agentlint.model.project import Project
from agentlint.model.source import NodeRef, Span
from agentlint.registry import present_kinds, rule_index, runnable
from agentlint.unclaimed import unread_agent_code, worth_announcing



@dataclass(slots=True)
class _Run:
    settings: Settings
    violations: list[Violation] = field(default_factory=list)
    files: dict[str, LoadedFile] = field(default_factory=dict)
    parts: list[GraphPart] = field(default_factory=list)
    entities: list = field(default_factory=list)
    checked: int = 0
    skipped: int = 0
    crashed: bool = False
    cache: Cache | None = None  # the persistent cache (agentlint.cache); None: --no-cache
    paths: set[str] = field(default_factory=set)  # every file considered, for baseline scoping
    prefiltered: dict[str, Candidate] = field(default_factory=dict)  # .py files the prefilter skipped
    records: list[FileRecord] = field(default_factory=list)  # what became of each file (--show-files)
    overlay: Mapping[str, bytes] = field(default_factory=dict)  # path -> bytes read instead of the file (stdin, editor buffers)
    memo: Memo | None = None  # per-file results kept between runs (the language server)

    def skip(self, candidate: Candidate, status: FileStatus, text: str | None = None, note: str = "") -> None:
        self.skipped += 1
        notable = bool(note) or worth_announcing(candidate.path, text, candidate.explicit)
        self.records.append(FileRecord(candidate.path, status, (), notable, note))

    def crash(self, code: str, where: str, path: str, exc: BaseException) -> None:
        self.crashed = True
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        at = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
        message = f"internal error in {where}: {type(exc).__name__}: {exc}{at}; please report it"
        self.violations.append(Violation(code, message, Location(path, Span.point(1)), NodeRef(path), (where,)))


def _process(run: _Run, candidate: Candidate) -> None:
    syntax = syntax_of(candidate.path)
    if syntax is None and candidate.explicit:  # named on the command line: read by content
        syntax = _syntax_by_content(run, candidate)
    if syntax is None:
        note = "named on the command line, but neither its extension nor its content is a format agentlint reads"
        run.skip(candidate, FileStatus.NOT_RECOGNISED, note=note if candidate.explicit else "")
        return
    if candidate.path in run.overlay:
        raw: bytes | str = run.overlay[candidate.path]
    else:
        raw = read_bytes(candidate.real, run.settings.at(candidate.path).limits.max_file_bytes)
    if isinstance(raw, str):
        if syntax is Syntax.PYTHON and not _python_concerns_us(candidate, run.settings.at(candidate.path).limits.max_file_bytes):
            run.skip(candidate, FileStatus.NO_LIBRARY)  # a 20 MB data module that names no agent library
            return
        run.violations.append(LoadError("AL003", raw).violation(candidate.path))
        run.records.append(FileRecord(candidate.path, FileStatus.UNREADABLE))
        run.checked += 1
        return
    if run.cache is not None:
        _read_cached(run, candidate, syntax, raw)
    else:
        _read(run, candidate, syntax, raw)
    loaded = run.files.get(candidate.path)
    if loaded is not None and not loaded.docs and not loaded.comments and candidate.path not in run.overlay:
        loaded.let_go(candidate.real, raw)  # no suppression needs it: read again for a code frame


def _read(run: _Run, candidate: Candidate, syntax: Syntax, raw: bytes) -> None:
    """A file's bytes -> its record, problems, parts and entities, and the LoadedFile kept for
    suppressions and code frames: everything the persistent cache keeps."""
    if syntax is Syntax.PYTHON and not mentions_known_library(raw) and not _wide_library(raw):
        run.skip(candidate, FileStatus.NO_LIBRARY, note=unread_agent_code(raw))  # never parsed (unless its constants are
        run.prefiltered[candidate.path] = candidate  # imported by a module that is: see below
        return
    try:
        refuse_wide(raw)  # UTF-16/32, Python source included
        text = decode_python(raw) if syntax is Syntax.PYTHON else decode(raw)
    except LoadError as exc:
        sniff = sniff_text(raw)  # recognise a UTF-16 agent config to say why it is not read
        if candidate.explicit or syntax is Syntax.PYTHON or _claimed(candidate.path, sniff, syntax):  # as for AL001
            run.violations.append(exc.violation(candidate.path))
            run.records.append(FileRecord(candidate.path, FileStatus.UNREADABLE))
            run.checked += 1
        else:
            run.skip(candidate, FileStatus.NOT_RECOGNISED, sniff)
        return
    adapters = _claimed(candidate.path, text, syntax)
    if not adapters and syntax is not Syntax.PYTHON:  # Python that passed the prefilter is parsed:
        run.skip(candidate, FileStatus.NOT_RECOGNISED, text)  # a syntax error hides whatever the file defines
        return
    run.checked += 1
    run.records.append(FileRecord(candidate.path, FileStatus.READ, tuple(a.name for a in adapters)))
    # A syntax tree is ~30 objects per source byte, all freed by reference counting once the
    # adapters are done: the cyclic collector would only re-scan them, many times per file.
    paused = syntax is Syntax.PYTHON and gc.isenabled()
    if paused:
        gc.disable()
    try:
        loaded = _load_and_adapt(run, candidate, text, syntax, adapters)
    finally:
        if paused:
            gc.enable()
    # Entities keep their own spans; source maps are needed later only to place suppression
    # comments and config suppressions, so files without comments keep just their text.
    if not loaded.comments and not run.settings.all_suppressions:
        loaded.docs = []
    if loaded.module is not None:  # the facts point back at the module: break the cycle, so that
        loaded.module.facts = None  # reference counting frees the tree now, not a later full GC
    loaded.module = None  # the syntax tree is ~30 bytes per source byte: adapters are done with it
    run.files[candidate.path] = loaded


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What reading one file added to a run, to add again while the file is unchanged."""

    stamp: object
    violations: tuple[Violation, ...]
    parts: tuple[GraphPart, ...]
    entities: tuple
    records: tuple[FileRecord, ...]
    loaded: LoadedFile | None
    prefiltered: Candidate | None
    checked: int
    skipped: int


class Memo:
    """Per-file results of loading and adapting, kept by a long-lived process (the language
    server) between runs with the same settings: a file is read again only when its bytes (an
    overlay) or its size and modification time (on disk) changed. A file whose reading crashed
    is not kept."""

    def __init__(self) -> None:
        self.outcomes: dict[str, _Outcome] = {}
        self.reused = 0

    def process(self, run: _Run, candidate: Candidate) -> None:
        stamp = self._stamp(run, candidate)
        kept = self.outcomes.get(candidate.path)
        if kept is not None and stamp is not None and kept.stamp == stamp:
            self.reused += 1
            run.violations.extend(kept.violations)
            run.parts.extend(kept.parts)
            run.entities.extend(kept.entities)
            run.records.extend(kept.records)
            run.checked += kept.checked
            run.skipped += kept.skipped
            if kept.loaded is not None:
                run.files[candidate.path] = kept.loaded
            if kept.prefiltered is not None:
                run.prefiltered[candidate.path] = kept.prefiltered
            return
        marks = (len(run.violations), len(run.parts), len(run.entities), len(run.records), run.checked, run.skipped)
        crashed, run.crashed = run.crashed, False
        try:
            _process(run, candidate)
        finally:
            fresh, run.crashed = run.crashed, crashed or run.crashed
        if fresh or stamp is None:
            self.outcomes.pop(candidate.path, None)
            return
        self.outcomes[candidate.path] = _Outcome(
            stamp,
            tuple(run.violations[marks[0] :]),
            tuple(run.parts[marks[1] :]),
            tuple(run.entities[marks[2] :]),
            tuple(run.records[marks[3] :]),
            run.files.get(candidate.path),
            run.prefiltered.get(candidate.path),
            run.checked - marks[4],
            run.skipped - marks[5],
        )

    def forget(self, path: str | None = None) -> None:
        """Read ``path`` (every file, when None) again next time, whatever its stamp says."""
        if path is None:
            self.outcomes.clear()
        else:
            self.outcomes.pop(path, None)

    @staticmethod
    def _stamp(run: _Run, candidate: Candidate) -> object:
        if candidate.path in run.overlay:
            return ("overlay", hashlib.sha256(run.overlay[candidate.path]).digest(), candidate.explicit)
        try:
            info = os.stat(candidate.real)
        except OSError:
            return None
        return ("disk", info.st_mtime_ns, info.st_size, info.st_ino, candidate.explicit)


def _read_cached(run: _Run, candidate: Candidate, syntax: Syntax, raw: bytes) -> None:
    """``_read`` through the persistent cache: what the same bytes gave last time (same path,
    syntax and load settings), else read them and keep what they gave unless reading crashed."""
    cache = run.cache
    assert cache is not None
    options = (run.settings.at(candidate.path).limits, bool(run.settings.all_suppressions))
    key = cache.key(candidate.path, candidate.explicit, syntax, options)
    content = cache_digest(raw)
    kept = cache.get(key, content)
    if kept is not None:
        replay(run, candidate, kept, lambda: _decoded(raw, syntax))
        return
    marks = (len(run.violations), len(run.parts), len(run.entities), len(run.records), run.checked, run.skipped)
    crashed, run.crashed = run.crashed, False
    try:
        _read(run, candidate, syntax, raw)
    finally:
        fresh, run.crashed = run.crashed, crashed or run.crashed
    if not fresh:
        cache.put(key, content, capture(run, candidate.path, marks, _decoded(raw, syntax)))


def _load_and_adapt(run: _Run, candidate: Candidate, text: str, syntax: Syntax, adapters: list) -> LoadedFile:
    loaded = load(candidate.path, text, syntax, run.settings.at(candidate.path))
    run.violations.extend(loaded.problems)
    for adapter in adapters:
        try:
            adapted: Adapted = adapter.adapt(loaded)
        except Exception as exc:  # an adapter bug must not stop the other files
            run.crash("AL901", f"the {adapter.name} adapter", candidate.path, exc)
            continue
        run.parts.extend(adapted.parts)
        run.entities.extend(adapted.entities)
        run.violations.extend(adapted.problems)
    return loaded


def run(
    targets: Iterable[str],
    settings: Settings,
    root: Path,
    only: frozenset[str] | None = None,
    baseline: Baseline | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Check ``targets`` (relative to ``root``). With ``only``, report findings in those paths only
    (the rest of the targets is still loaded, so cross-file graphs are seen whole). With
    ``baseline``, findings recorded there move to ``RunResult.baselined``. ``progress``, if
    given, is called with ``(done, total)`` after each discovered file."""
    return analyse(targets, settings, root, only, baseline, progress)[0]


def analyse(
    targets: Iterable[str],
    settings: Settings,
    root: Path,
    only: frozenset[str] | None = None,
    baseline: Baseline | None = None,
    progress: Callable[[int, int], None] | None = None,
    stdin: tuple[str, bytes] | None = None,
    overlay: Mapping[str, bytes] | None = None,
    memo: Memo | None = None,
    cache: Cache | None = None,
) -> tuple[RunResult, Project]:
    """``run``, also returning the Project the rules saw (for ``agentlint graph``). With
    ``stdin`` = ``(path, bytes)``, the file at ``path`` (relative to ``root``) is checked with
    those bytes, whether or not it exists on disk, as if named on the command line. With
    ``overlay`` = ``{path: bytes}`` (editor buffers), each file is checked with those bytes; one
    not found on disk is added unless the config excludes it. With ``memo``, a file whose bytes
    (or, on disk, size and modification time) are those of the last run is not read again."""
    rules = rule_index()  # metadata only: a rule is imported when the project holds its kinds
    given = dict(overlay or {})
    if stdin is not None:
        given[stdin[0]] = stdin[1]
    state = _Run(settings, overlay=given, memo=memo)
    state.cache = cache  # per-file results of earlier runs (agentlint.cache); None: read every file
    listing = Listing(set(), set())
    follow = settings.cli is not None and settings.cli.follow_symlinks
    targets = list(targets)
    candidates, unreadable = discover(targets, root, settings.exclude, listing=listing, follow_symlinks=follow)
    settings = state.settings = with_scopes(settings, [c.real for c in candidates])  # the closest config above each file
    if settings.scopes:
        candidates = [c for c in candidates if c.explicit or not _excluded_by_scope(settings, c.path)]
    if given:
        unreadable = [item for item in unreadable if item.path not in given]
        known = {c.path for c in candidates}
        extra = [Candidate(path, str(root / path), stdin is not None and path == stdin[0]) for path in given if path not in known]
        extra = [c for c in extra if c.explicit or not (excluded(c.path, settings.exclude) or _excluded_by_scope(settings, c.path))]
        if extra:
            candidates = sorted([*candidates, *extra])
    state.paths.update(c.path for c in candidates)
    state.paths.update(item.path for item in unreadable)
    for item in unreadable:
        state.violations.append(LoadError("AL003", item.message).violation(item.path))
        state.records.append(FileRecord(item.path, FileStatus.UNREADABLE))
    for path, note in listing.outside:  # symlinks out of the tree, not followed
        state.records.append(FileRecord(path, FileStatus.NOT_RECOGNISED, (), True, note))
    total = len(candidates)
    for done, candidate in enumerate(candidates, 1):
        try:
            if memo is None:
                _process(state, candidate)
            else:
                memo.process(state, candidate)
        except Exception as exc:
            state.crash("AL901", "loading", candidate.path, exc)
        if progress is not None:
            progress(done, total)
    try:
        state.entities.extend(_imported_constants(state))
    except Exception as exc:
        state.crash("AL901", "reading imported constants", PROJECT_PATH, exc)
    coverage = Coverage(frozenset(listing.files), frozenset(listing.folders))
    project = Project.build(state.parts, state.entities, coverage)
    selected = settings.all_selected
    ran = [code for code in rules if code in selected]
    for code, rule_cls in runnable(ran, present_kinds(project)):
        for options, keep in _option_groups(settings, code):
            try:
                found = rule_cls().check(project, options)
                state.violations.extend(found if keep is None else (v for v in found if keep(v)))
            except Exception as exc:
                state.crash("AL901", f"rule {code} ({rule_cls.name})", PROJECT_PATH, exc)  # rules judge the whole project
                break
    where = project_paths(targets, root, settings.folder, settings.fixed, listing.files | state.paths)
    # a run that read only some files of the project cannot tell a suppression used by a finding
    # another file causes from a stale one: AL903 still says so, but --fix does not remove it
    whole = only is not None or any(os.path.abspath(os.path.join(root, t)) == where.project_root for t in targets)
    result = _finish(state, rules, frozenset(ran), only, baseline, root, where, whole)
    files = tuple(sorted(state.records))
    if only is not None:
        files = tuple(f for f in files if _within(f.path, only))
    return replace(result, files=files, nothing_found=not _defines_anything(project)), project
