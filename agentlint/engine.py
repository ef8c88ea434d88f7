"""Files -> loaders -> adapters -> project -> rules -> findings -> RunResult.

The engine owns everything rules must not do: severity resolution, per-path overrides,
suppressions, fingerprints, crash isolation and sorting.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import os
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from agentlint import suppress
from agentlint.baseline import Baseline
from agentlint.cache import Cache, capture, replay
from agentlint.cache import digest as cache_digest
from agentlint.adapters._code.markers import mentions_known_library
from agentlint.adapters.base import Adapted, adapters_for
from agentlint.config import Settings, with_scopes
from agentlint.discover import Candidate, Listing, ProjectPaths, discover, excluded, named_kind, project_paths, read_bytes, read_head
from agentlint.findings import PROJECT_PATH, FileRecord, FileStatus, Finding, Location, RunResult, Severity, Violation
from agentlint.loaders.base import LoadedFile, LoadError, Syntax, decode, refuse_wide, sniff_text, wide_text
from agentlint.loaders.python import decode_python
from agentlint.model.deployment import Coverage
from agentlint.model.entities import GraphPart
from agentlint.model.project import Project
from agentlint.model.source import NodeRef, Span
from agentlint.registry import present_kinds, rule_index, runnable
from agentlint.unclaimed import unread_agent_code, worth_announcing

_SYNTAX = {
    ".yaml": Syntax.YAML,
    ".yml": Syntax.YAML,
    ".json": Syntax.JSON,
    ".jsonc": Syntax.JSON,
    ".toml": Syntax.TOML,
    ".lock": Syntax.TOML,  # uv.lock, poetry.lock, Cargo.lock; only parsed when an adapter claims it
    ".prompty": Syntax.FRONTMATTER,  # YAML front matter + template body
    ".prompt": Syntax.FRONTMATTER,  # dotprompt (Genkit); look-alikes are left unclaimed
    ".py": Syntax.PYTHON,  # parsed with the stdlib ast only when the byte prefilter passes
}


_NAMED = {
    "requirements": Syntax.REQUIREMENTS,
    "dotenv": Syntax.DOTENV,
    "gitignore": Syntax.GITIGNORE,
    "dockerfile": Syntax.DOCKERFILE,
}  # by file name (discover.named_kind)


def syntax_of(path: str) -> Syntax | None:
    kind = named_kind(path)
    if kind is not None:
        return _NAMED[kind]
    return _SYNTAX.get(os.path.splitext(path)[1].lower())


def is_jsonc(path: str) -> bool:
    lowered = path.lower()
    return lowered.endswith(".jsonc") or "/.vscode/" in f"/{lowered}" or lowered.endswith("devcontainer.json")


# syntax -> (loader module, function): imported only when a file of that syntax is read
_LOADERS = {
    Syntax.YAML: ("yaml", "load_yaml"),
    Syntax.TOML: ("toml", "load_toml"),
    Syntax.FRONTMATTER: ("frontmatter", "load_frontmatter"),
    Syntax.PYTHON: ("python", "load_python"),
    Syntax.REQUIREMENTS: ("requirements", "load_requirements"),
    Syntax.DOTENV: ("dotenv", "load_dotenv"),
    Syntax.GITIGNORE: ("gitignore", "load_gitignore"),
    Syntax.DOCKERFILE: ("dockerfile", "load_dockerfile"),
}


def load(path: str, text: str, syntax: Syntax, settings: Settings) -> LoadedFile:
    if syntax is Syntax.JSON:
        from agentlint.loaders.json import load_json

        return load_json(path, text, settings.limits, jsonc=is_jsonc(path))
    module, function = _LOADERS[syntax]
    loader = getattr(importlib.import_module(f"agentlint.loaders.{module}"), function)
    return loader(path, text, settings.limits)


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


def _decoded(raw: bytes, syntax: Syntax) -> str | None:
    try:
        return decode_python(raw) if syntax is Syntax.PYTHON else decode(raw)
    except LoadError:
        return None


def _syntax_by_content(run: _Run, candidate: Candidate) -> Syntax | None:
    """The syntax of a file named on the command line whose extension agentlint does not read
    (``graph.cfg``, ``mcp.conf``): JSON when it starts with ``{`` or ``[``, else YAML or TOML,
    the first one an adapter claims and that parses as a mapping or list in that syntax (a
    Markdown page quoting a config is not one). An unreadable file is YAML here, so that
    reading it reports why (AL003)."""
    raw = read_head(candidate.real, run.settings.at(candidate.path).limits.max_file_bytes)
    if not isinstance(raw, bytes):
        return Syntax.YAML
    try:
        text = decode(raw)
    except LoadError:
        return None
    head = text.lstrip("\ufeff \t\r\n")[:1]
    order = (Syntax.JSON, Syntax.YAML, Syntax.TOML) if head in ("{", "[") else (Syntax.YAML, Syntax.TOML)
    settings = run.settings.at(candidate.path)
    for syntax in order:
        if _claimed(candidate.path, text, syntax):
            loaded = load(candidate.path, text, syntax, settings)
            parsed = not any(p.code == "AL001" for p in loaded.problems)
            if parsed and any(isinstance(doc.data, (dict, list)) for doc in loaded.docs):
                return syntax
    return None


def _imported_constants(run: _Run) -> list:
    """Settings modules (``settings.py: MAX_STEPS = 50``) name no agent library, so the prefilter
    skips them; when a module that was read takes a limit from one, read that one too (once, for
    its module-level numbers only). Silent on any problem: it is not a file agentlint checks."""
    if not run.prefiltered:  # no skipped .py file: nothing to read (and nothing to import)
        return []
    from agentlint.model.code_constants import wanted_modules

    wanted = wanted_modules(run.parts, run.entities)
    if not wanted:
        return []
    from agentlint.adapters._code.scope import module_key
    from agentlint.adapters.python_names import constants_of
    from agentlint.loaders.python import load_python

    found = []
    for path, candidate in sorted(run.prefiltered.items()):
        key = module_key(path)
        if not any(key == module or key.endswith("." + module) for module in wanted):
            continue
        raw = read_bytes(candidate.real, run.settings.at(candidate.path).limits.max_file_bytes)
        if isinstance(raw, str):
            continue
        try:
            text = decode_python(raw)
        except LoadError:
            continue
        constants = constants_of(load_python(path, text, run.settings.limits))
        if constants is not None:
            found.append(constants)
    return found


def _wide_library(raw: bytes) -> bool:
    """A UTF-16/32 .py that names a library agentlint reads (reported as UTF-16, not skipped)."""
    text = wide_text(raw) if b"\x00" in raw[:8192] else None
    return text is not None and mentions_known_library(text.encode("utf-8", "replace"))


def _python_concerns_us(candidate: Candidate, limit: int) -> bool:
    """Whether a .py that cannot be read whole (too large) is worth an AL003: named on the
    command line, or its first ``limit`` bytes name a library agentlint reads."""
    if candidate.explicit:
        return True
    head = read_head(candidate.real, limit)
    return isinstance(head, str) or mentions_known_library(head)  # unreadable: say so


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


def _claimed(path: str, text: str, syntax: Syntax) -> list:
    return [a for a in adapters_for(syntax) if a.claims(path, text)]  # imports only that syntax's adapters


def fingerprint(violation: Violation, paths: ProjectPaths | None = None) -> str:
    """From (code, ref, message arguments), with the path relative to the project root (not
    the working directory): the same finding has the same fingerprint from any folder."""
    ref = violation.ref if violation.ref is not None else NodeRef(violation.location.path)
    if paths is not None:
        ref = NodeRef(paths.to_project(ref.path), ref.pointer, ref.doc)
    ref = str(ref) if violation.ref is not None else ref.path
    args = paths.rebase_args(violation.args) if paths is not None else violation.args
    payload = "\x1f".join((violation.code, ref, *args))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


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
    candidates, unreadable = discover(list(targets), root, settings.exclude, listing=listing, follow_symlinks=follow)
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
    result = _finish(state, rules, frozenset(ran), only, baseline, root, where)
    files = tuple(sorted(state.records))
    if only is not None:
        files = tuple(f for f in files if _within(f.path, only))
    return replace(result, files=files, nothing_found=not _defines_anything(project)), project


def _defines_anything(project: Project) -> bool:
    """Whether the run found any agent, tool, MCP server, tool policy, prompt, LLM client or
    deployment graph entry (langgraph.json) to judge."""
    found = project.graphs or project.servers or project.tools or project.policies or project.prompts
    return bool(found or project.prompt_references or project.clients or project.deployment.entry_points)


def _excluded_by_scope(settings: Settings, path: str) -> bool:
    """A nested config's ``exclude`` (globs relative to its folder) covers this file. The base
    config's patterns were applied while walking."""
    layer = settings.at(path)
    return layer is not settings and bool(layer.exclude) and excluded(layer.relative(path), layer.exclude)


def _option_groups(settings: Settings, code: str) -> list[tuple[object, Callable[[Violation], bool] | None]]:
    """One run of a rule per distinct option set among the configs that select it; each run
    keeps the violations located in files whose config has those options."""
    distinct: list = []
    for layer in settings.layers():
        if code in layer.selected and all(layer.options[code] != seen for seen in distinct):
            distinct.append(layer.options[code])
    if len(distinct) <= 1:
        return [(distinct[0] if distinct else settings.options[code], None)]
    return [(options, lambda v, options=options: settings.at(v.location.path).options[code] == options) for options in distinct]


def _finish(
    state: _Run,
    rules: dict,
    ran: frozenset[str],
    only: frozenset[str] | None,
    baseline: Baseline | None = None,
    root: Path | None = None,
    where: ProjectPaths | None = None,
) -> RunResult:
    settings = state.settings
    directives: list[suppress.Directive] = []
    if settings.inline_suppressions:
        for loaded in state.files.values():
            if loaded.comments:
                found, problems = suppress.parse_directives(loaded, frozenset(rules))
                directives.extend(found)
                state.violations.extend(problems)
    directives.extend(suppress.config_directives(settings.all_suppressions, state.files))
    findings = _to_findings(state.violations, settings, rules, ran, where)
    active, hidden = suppress.apply(findings, directives)
    if "AL903" in ran:
        active.extend(_to_findings(suppress.unused(directives, ran), settings, rules, ran, where))
    if only is not None:
        active = [f for f in active if _concerns(f, only)]
        hidden = [f for f in hidden if _concerns(f, only)]
    baselined: list[Finding] = []
    fixed: tuple = ()
    if baseline is not None:
        from agentlint import baseline as baselines

        def in_scope(path: str) -> bool:  # a file this run looked at, or one deleted since
            path = where.to_run(path) if where is not None else path  # entries: project paths
            if only is not None:
                return path in only
            return path in state.paths or (root is not None and not (root / path).exists())

        active, baselined, fixed = baselines.apply(active, baseline, in_scope)
        baselined.sort(key=Finding.sort_key)
    active.sort(key=Finding.sort_key)
    hidden.sort(key=Finding.sort_key)
    shown = {f.path for f in active} | {f.path for f in hidden}
    sources = {path: text for path in sorted(shown) if path in state.files and (text := state.files[path].source()) is not None}
    return RunResult(
        findings=tuple(active),
        suppressed=tuple(hidden),
        files_checked=state.checked,
        files_skipped=state.skipped,
        rules_run=tuple(sorted(ran)),
        internal_error=state.crashed,
        sources=sources,
        baselined=tuple(baselined),
        fixed=fixed,
    )


def _concerns(finding: Finding, only: frozenset[str]) -> bool:
    """In a --whole-project run: findings located in the given files, findings whose related
    locations are there (the edge that closes a loop may be in another file), and internal
    errors, which are never hidden."""
    if finding.code == "AL901" or _within(finding.path, only):
        return True
    return any(_within(location.path, only) for location in finding.related)


def _within(path: str, only: frozenset[str]) -> bool:
    """The path is one of the given files, or lies under one of the given folders."""
    if path in only or "." in only:
        return True
    return any(path.startswith(given.rstrip("/") + "/") for given in only)


def _to_findings(
    violations: list[Violation], settings: Settings, rules: dict, ran: frozenset[str], where: ProjectPaths | None = None
) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, int] = {}
    for violation in sorted(violations, key=lambda v: (v.location.path, v.location.span, v.code, v.message)):
        code = violation.code
        if code not in ran and code != "AL901":
            continue
        path = violation.location.path
        if settings.ignored_at(code, path):
            continue
        print_ = fingerprint(violation, where)
        count = seen.get(print_, 0)
        seen[print_] = count + 1
        if count:
            print_ = hashlib.sha256(f"{print_}:{count}".encode()).hexdigest()[:16]
        out.append(
            Finding(
                code=code,
                name=rules[code].name if code in rules else "internal-error",
                severity=_severity(settings, code, path, violation.severity) if code in rules else settings.severities.get(code),
                message=violation.message,
                location=violation.location,
                fingerprint=print_,
                related=violation.related,
                masked=violation.masked,
                fix=violation.fix,
            )
        )
    return out


def _severity(settings: Settings, code: str, path: str, cap: Severity | None) -> Severity:
    """The configured severity of a rule's finding, lowered to ``cap`` when the rule gives one
    (a setting in a template file only recommends: its finding is info). Never raised."""
    configured = settings.severity_for(code, path)
    return cap if cap is not None and cap.rank < configured.rank else configured
