"""One workspace folder as the language server sees it: the settings the CLI would use there,
the open buffers laid over the files on disk, and per-file results kept between checks (only
changed files are read again). No LSP here: ``app`` turns what a check returns into messages."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentlint import api, engine
from agentlint.config import ConfigError, with_scopes
from agentlint.discover import display_path
from agentlint.findings import Finding, Location, RunResult, Severity
from agentlint.model.source import Span
from agentlint.server import fast

log = logging.getLogger(__name__)

CONFIG_FILES = frozenset({"agentlint.toml", "pyproject.toml"})


class Cancelled(Exception):
    """A newer version of a buffer arrived while a check was reading files."""


@dataclass(slots=True)
class Buffer:
    uri: str
    path: str  # relative POSIX path from the workspace root, as findings name files
    version: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Checked:
    """What one check found: findings by file, the text each finding's file was checked with
    (for column conversion) and whether the check stands for a crash or a config error."""

    findings: dict[str, list[Finding]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    generation: int = 0
    result: RunResult | None = None
    partial: str | None = None  # a quick answer: only this file's findings are new (fast.quick)


class Workspace:
    """A folder (the editor's workspace folder) checked as ``agentlint check`` checks it from
    there: ``.`` with the config found from the folder, the closest config above each file.
    A ``lone`` one holds files opened outside every workspace folder: only they are checked."""

    def __init__(self, root: Path, lone: bool = False, cache: bool = False) -> None:
        self.root = root
        self.lone = lone  # files opened outside every workspace folder: only they are checked
        self.memo = engine.Memo()
        self.use_cache = cache and not lone  # a lone file's folder may be a home folder: no cache there
        self.cache = None  # the project's .agentlint_cache (agentlint.cache.Cache), made on the first check
        self.settings = None
        self.config_error: ConfigError | None = None
        self.buffers: dict[str, Buffer] = {}
        self.generation = 0  # bumped by every buffer or config change
        self.lock = threading.Lock()
        self.last = Checked()
        self.snapshot: fast.Snapshot | None = None  # what the last whole-project check saw
        self.reload()

    # -- state changes (called on the event loop) --------------------------------------------

    def path_of(self, file: Path) -> str:
        return display_path(file, self.root)

    def contains(self, file: Path) -> bool:
        try:
            file.relative_to(self.root)
        except ValueError:
            return False
        return True

    def put(self, uri: str, file: Path, version: int | None, text: str) -> None:
        with self.lock:
            path = self.path_of(file)
            self.buffers[path] = Buffer(uri, path, version, text)
            self.generation += 1

    def drop(self, file: Path) -> None:
        with self.lock:
            path = self.path_of(file)
            self.buffers.pop(path, None)
            self.memo.forget(path)  # read from disk again
            self.generation += 1

    def saved(self, file: Path) -> bool:
        """A file was saved or changed on disk: forget what was kept for it. Returns whether
        it is a config file (then the settings were reloaded)."""
        with self.lock:
            self.memo.forget(self.path_of(file))
            self.generation += 1
        if file.name in CONFIG_FILES:
            self.reload()
            return True
        return False

    def reload(self) -> None:
        """Resolve the settings again (a config file changed); every file is read again, since
        limits and suppressions in the config shape what loading a file produces."""
        with self.lock:
            try:
                self.settings = api.settings_for(["."], root=self.root)
                self.config_error = None
            except ConfigError as exc:
                self.settings, self.config_error = None, exc
            self.memo.forget()
            self.snapshot = None
            self.cache = None  # the config's folder (where the cache lives) may have moved
            self.generation += 1

    # -- the check (called in the worker thread) ---------------------------------------------

    def _disk_cache(self, settings: Any) -> Any:
        """What ``agentlint check`` keeps in the project's ``.agentlint_cache``: a file the server
        has not kept (the first check, a file changed on disk) is read from there when its bytes
        are those of an earlier run's; what the server reads is written there for the CLI."""
        if not self.use_cache or settings is None:
            return None
        if self.cache is None:
            from agentlint.cache import DIR_NAME, Cache

            self.cache = Cache(api.project_dir(settings, self.root) / DIR_NAME)
        return self.cache

    def check(self) -> Checked:
        with self.lock:
            generation = self.generation
            overlay = {path: buffer.text.encode("utf-8", "surrogatepass") for path, buffer in self.buffers.items()}
            texts = {path: buffer.text for path, buffer in self.buffers.items()}
            settings, error = self.settings, self.config_error
        if error is not None:
            return self._config_problem(error, generation)

        def progress(done: int, total: int) -> None:
            if self.generation != generation:
                raise Cancelled

        try:
            targets = sorted(overlay) if self.lone else ["."]  # a lone file's folder may be a home folder
            if not targets:
                return Checked({}, {}, generation)
            cache = self._disk_cache(settings)
            try:
                result, project = api.analyse(targets, settings, root=self.root, overlay=overlay, memo=self.memo, progress=progress, cache=cache)
            finally:
                if cache is not None:
                    cache.close()  # prunes older versions' entries once it wrote some, as a check does
        except ConfigError as exc:  # a nested config file is broken
            return self._config_problem(exc, generation)
        paths = tuple(record.path for record in result.files)
        scoped = with_scopes(settings, [str(self.root / path) for path in paths])
        found: dict[str, list[Finding]] = defaultdict(list)
        for finding in result.findings:
            found[finding.path].append(finding)
        for path, text in result.sources.items():
            texts.setdefault(path, text)
        checked = Checked(dict(found), texts, generation, result)
        with self.lock:
            if self.generation == generation:  # else a newer check will say what is there
                self.snapshot = fast.Snapshot(paths, scoped, project.deployment.coverage)
                self.last = checked
        return checked

    def quick(self, path: str) -> Checked | None:
        """The quick first answer for the buffer at ``path`` (``fast.quick``), or None."""
        with self.lock:
            generation, buffer, snapshot = self.generation, self.buffers.get(path), self.snapshot
        if buffer is None or snapshot is None or self.config_error is not None:
            return None
        try:
            findings = fast.quick(self.memo, snapshot, self.root, path, buffer.text.encode("utf-8", "surrogatepass"))
        except Exception:  # the whole-project check that follows reports what went wrong
            log.debug("no quick answer for %s", path, exc_info=True)
            return None
        if findings is None:
            return None
        with self.lock:
            last = self.last
            checked = Checked({**last.findings, path: findings}, {**last.texts, path: buffer.text}, generation, None, path)
            if self.generation == generation:
                self.last = checked
        return checked

    def _config_problem(self, error: ConfigError, generation: int) -> Checked:
        where = Path(error.path) if error.path else self.root / "pyproject.toml"
        where = where if where.is_absolute() else self.root / where
        path = self.path_of(where)
        span = Span.point(error.line or 1, error.column or 1)
        finding = Finding("config", "config-error", Severity.ERROR, f"agentlint configuration: {error.message}", Location(path, span), "")
        text = self.buffers[path].text if path in self.buffers else _read(where)
        checked = Checked({path: [finding]}, {path: text}, generation)
        self.last = checked
        return checked

    def crashed(self, exc: BaseException, path: str) -> Checked:
        """A check that raised: one internal-error finding on the file whose change started it."""
        message = f"agentlint internal error while checking: {type(exc).__name__}: {exc}; please report it"
        finding = Finding("AL901", "internal-error", Severity.ERROR, message, Location(path, Span.point(1)), "")
        text = self.buffers[path].text if path in self.buffers else _read(self.root / path)
        return Checked({path: [finding]}, {path: text}, self.generation)


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
