"""A persistent per-file cache of what loading and adapting a file produced (issue 14, lever 2).

Like ruff's ``.ruff_cache``: the results of the engine's per-file step (records, located
problems, graph parts and entities, the comments and documents later stages need) are kept in
``.agentlint_cache/`` at the project root, one entry per file path, so that a run reads from
disk only the files whose bytes changed. An entry is used only when all of these match:

- the file's bytes (a BLAKE2 digest of them, stored in the entry),
- the path, how the file was named (on the command line or found by walking), its syntax and
  the settings that change loading (limits, whether config suppressions need the documents),
- agentlint's version, its own source files (their sizes and modification times: an edited
  checkout never reads results of older code), the versions of the libraries loading relies
  on (ruamel.yaml, pydantic, jsonschema ...), the Python version and this format.

Entries are written atomically (a temporary file, then ``os.replace``), so concurrent runs see
an old entry or a new one, never half of one. A truncated, corrupt or foreign entry is a miss,
never an error: its payload carries a checksum, and it is unpickled by an unpickler that builds
only agentlint's own dataclasses, enums and named tuples (a committed entry cannot run code).
An unwritable or read-only folder means no cache, silently. Entries of other versions are
removed (the newest few versions are kept), and entries untouched for a month are pruned at
most once a day.
"""

from __future__ import annotations

import dataclasses
import enum
import gc
import hashlib
import io
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

import agentlint
from agentlint.cache_codec import _pickle

DIR_NAME = ".agentlint_cache"
_FORMAT = 1
_MAGIC = b"ALC\x01"
_HEAD = len(_MAGIC) + 32  # magic, digest of the file's bytes, digest of the payload
_KEEP_VERSIONS = 3  # folders of other agentlint versions or sources beyond these are removed
_MAX_AGE = 30 * 86400  # an entry not used for this long is pruned
_TOUCH_AGE = 86400  # a hit refreshes its entry's time when it is older than this
_GITIGNORE = "# Automatically created by agentlint.\n*\n"
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by agentlint.\n"


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """What the engine's per-file step produced for one file: replayed on a hit."""

    violations: tuple
    parts: tuple
    entities: tuple
    records: tuple
    checked: int
    skipped: int
    prefiltered: bool  # a .py the byte prefilter skipped (read later only for its constants)
    loaded: Any  # the LoadedFile kept for suppressions and code frames, or None
    text: str | None  # loaded.text when it differs from the file's decoded bytes, else None


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def capture(run: Any, path: str, marks: tuple[int, ...], decoded: str | None) -> Outcome:
    """What the engine's per-file step added to ``run`` since ``marks`` (lengths of its
    violations, parts, entities and records, then its checked and skipped counts)."""
    loaded = run.files.get(path)
    text = None
    if loaded is not None:
        text = None if loaded.text == decoded else loaded.text
        loaded = dataclasses.replace(loaded, text="")  # the text is decoded again from the bytes
    return Outcome(
        tuple(run.violations[marks[0] :]),
        tuple(run.parts[marks[1] :]),
        tuple(run.entities[marks[2] :]),
        tuple(run.records[marks[3] :]),
        run.checked - marks[4],
        run.skipped - marks[5],
        path in run.prefiltered,
        loaded,
        text,
    )


def replay(run: Any, candidate: Any, kept: Outcome, decoded: Any) -> None:
    """Add a kept outcome to ``run`` as reading the file would have; ``decoded()`` gives the
    file's text."""
    run.violations.extend(kept.violations)
    run.parts.extend(kept.parts)
    run.entities.extend(kept.entities)
    run.records.extend(kept.records)
    run.checked += kept.checked
    run.skipped += kept.skipped
    if kept.prefiltered:
        run.prefiltered[candidate.path] = candidate
    if kept.loaded is not None:
        kept.loaded.text = kept.text if kept.text is not None else decoded()
        run.files[candidate.path] = kept.loaded


class Cache:
    """The cache folder of one run. Nothing touches the disk until the first lookup."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._tag: str | None = None
        self._writable = True
        self._made = False
        self._folders: set[str] = set()
        self.hits = 0
        self.misses = 0
        self.written = 0

    # ------------------------------------------------------------------ keys

    @property
    def tag(self) -> str:
        if self._tag is None:
            self._tag = _version_tag()
        return self._tag

    def key(self, path: str, explicit: bool, syntax: enum.Enum, options: tuple) -> str:
        text = "\x00".join((path, "1" if explicit else "0", str(syntax.value), repr(options)))
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / self.tag / key[:2] / key[2:]

    # ------------------------------------------------------------------ reading

    def get(self, key: str, content: bytes) -> Outcome | None:
        """The outcome stored for ``key`` when it was made from bytes with digest ``content``."""
        entry = self._entry(key)
        try:
            with open(entry, "rb") as handle:
                data = handle.read()
                mtime = os.fstat(handle.fileno()).st_mtime
        except (OSError, ValueError):
            self.misses += 1
            return None
        outcome = _decode(data, content)
        if outcome is None:
            self.misses += 1
            return None
        self.hits += 1
        if self._writable and time.time() - mtime > _TOUCH_AGE:
            try:
                os.utime(entry)
            except OSError:
                pass
        return outcome

    # ------------------------------------------------------------------ writing

    def put(self, key: str, content: bytes, outcome: Outcome) -> None:
        if not self._writable or outcome.prefiltered:  # the byte prefilter is cheaper than an entry
            return
        try:
            payload = _dumps(outcome)
        except Exception:  # an entity that cannot be pickled: that file is simply not cached
            return
        data = b"".join((_MAGIC, content, hashlib.blake2b(payload, digest_size=16).digest(), payload))
        try:
            self._prepare()
            folder = f"{self.directory}{os.sep}{self.tag}{os.sep}{key[:2]}"
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            _atomic_write(f"{folder}{os.sep}{key[2:]}", data)
            self.written += 1
        except OSError:
            self._writable = False  # read-only file system, no permission, disk full: no cache

    def _prepare(self) -> None:
        """Create the folder, its .gitignore and CACHEDIR.TAG, on the first write of a run."""
        if self._made:
            return
        (self.directory / self.tag).mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            target = self.directory / name
            if not target.exists():
                _atomic_write(str(target), text.encode("ascii"))
        self._made = True

    # ------------------------------------------------------------------ pruning

    def close(self) -> None:
        """After a run that wrote entries: remove the folders of older versions, and (once a
        day) entries not used for a month. Errors are ignored: another run may be pruning too."""
        if not self.written:
            return
        try:
            _prune_versions(self.directory, self.tag)
            _prune_old(self.directory / self.tag)
        except OSError:
            pass


# ---------------------------------------------------------------------- versions


def _version_tag() -> str:
    """agentlint's version, the size and mtime of every file of the package, Python's version
    and this format, hashed: a different interpreter or an edited checkout starts afresh."""
    package = os.path.dirname(agentlint.__file__)
    found: list[str] = []
    stack = [package]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                for item in listing:
                    if item.is_dir(follow_symlinks=False):
                        if item.name != "__pycache__":
                            stack.append(item.path)
                    elif not item.name.endswith((".pyc", ".pyo")):
                        st = item.stat()
                        found.append(f"{os.path.relpath(item.path, package)}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            continue
    found.sort()
    head = f"{agentlint.__version__}|{sys.implementation.name}|{sys.version}|{_FORMAT}"
    text = "\n".join([head, *found, *_dependencies()])
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


# Libraries whose results loaders and adapters pass on (parsed values, error messages): an
# upgrade starts a new cache. Read from the *.dist-info names on sys.path (~0.5 ms), not by
# importing them.
_DEPENDENCIES = frozenset(
    {"ruamel_yaml", "ruamel_yaml_clib", "pydantic", "pydantic_core", "jsonschema", "jsonschema_rs", "referencing", "regress", "google_re2"}
)


def _dependencies() -> list[str]:
    found = []
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                project = name.split("-", 1)[0].replace(".", "_").lower()
                if project in _DEPENDENCIES:
                    found.append(name)
    return sorted(found)


def _prune_versions(directory: Path, tag: str) -> None:
    folders = []
    for item in os.scandir(directory):
        if item.is_dir(follow_symlinks=False) and item.name != tag and len(item.name) == 16:
            try:
                folders.append((item.stat(follow_symlinks=False).st_mtime, item.path))
            except OSError:
                continue
    folders.sort(reverse=True)
    os.utime(directory / tag)  # this version is the newest
    for _, path in folders[_KEEP_VERSIONS - 1 :]:
        _remove_tree(Path(path))


def _prune_old(folder: Path) -> None:
    marker = folder / ".pruned"
    now = time.time()
    try:
        if now - marker.stat().st_mtime < _TOUCH_AGE:
            return
    except FileNotFoundError:
        pass
    marker.touch()
    for sub in os.scandir(folder):
        if not sub.is_dir(follow_symlinks=False):
            continue
        for item in os.scandir(sub.path):
            try:
                if now - item.stat(follow_symlinks=False).st_mtime > _MAX_AGE or item.name.endswith(".tmp"):
                    os.unlink(item.path)
            except OSError:
                continue


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


_UNIQUE = itertools.count()


def _atomic_write(target: str, data: bytes) -> None:
    """Write a new file next to ``target``, then rename it over ``target``: a reader sees the
    old entry or the new one, whole (a crash leaves a ``.tmp`` file, pruned later)."""
    temp = f"{target}.{os.getpid()}.{next(_UNIQUE)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.close(fd)
        fd = -1
        os.replace(temp, target)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


# ---------------------------------------------------------------------- the payload
# (the reducers and the restricted unpickler: agentlint.cache_codec)


def _dumps(outcome: Outcome) -> bytes:
    out = io.BytesIO()
    values = tuple(getattr(outcome, f.name) for f in dataclasses.fields(Outcome))
    _pickle()[0](out, protocol=5).dump(values)
    return out.getvalue()


def _decode(data: bytes, content: bytes) -> Outcome | None:
    if len(data) < _HEAD or not data.startswith(_MAGIC) or data[4:20] != content:
        return None
    payload = memoryview(data)[_HEAD:]
    if hashlib.blake2b(payload, digest_size=16).digest() != data[20:36]:
        return None
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        values = _pickle()[1](io.BytesIO(payload)).load()
        return Outcome(*values)  # a foreign shape is a TypeError here: a miss
    except Exception:
        return None
    finally:
        if paused:
            gc.enable()
