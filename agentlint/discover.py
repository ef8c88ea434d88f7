"""From command-line targets to files: relative POSIX paths, excludes, symlink safety."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Directories never worth reading (VCS data, environments, caches, build output).
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".agentlint_cache", "build", "dist", ".eggs", "site-packages",
)
EXTENSIONS = frozenset({".yaml", ".yml", ".json", ".jsonc", ".toml", ".lock", ".prompty", ".prompt", ".py"})
# Files read by name, whatever their extension: pip requirements and constraints files (pip's
# conventions: requirements.txt, requirements-dev.txt, dev-requirements.txt, requirements/*.txt)
# dotenv files (.env, .env.local, prod.env) and .gitignore (whether a .env is committed).
# Never every .txt.
_REQUIREMENTS = re.compile(
    r"(?:^|/)(?:[^/]*requirements[^/]*\.txt|requirements/[^/]+\.txt|constraints(?:[-_.][^/]*)?\.txt)\Z", re.IGNORECASE
)
_DOTENV = re.compile(r"(?:^|/)(?:\.env(?:\.[^/]+)?|[^/]+\.env)\Z")
_GITIGNORE = re.compile(r"(?:^|/)\.gitignore\Z")
# Dockerfile, Containerfile, Dockerfile.dev, api.Dockerfile (not Dockerfile.dockerignore).
_DOCKERFILE = re.compile(
    r"(?:^|/)(?:[Dd]ockerfile|[Cc]ontainerfile)(?:\.(?![^/]*ignore\Z)[^/]+)?\Z|(?:^|/)[^/]+\.[Dd]ockerfile\Z"
)


def named_kind(path: str) -> str | None:
    """"requirements", "dotenv", "gitignore" or "dockerfile" for the files read by name, else None."""
    if _REQUIREMENTS.search(path):
        return "requirements"
    if _DOTENV.search(path):
        return "dotenv"
    if _GITIGNORE.search(path):
        return "gitignore"
    if _DOCKERFILE.search(path):
        return "dockerfile"
    return None


def walked(path: str) -> bool:
    """Whether a folder walk checks the file at ``path`` (relative POSIX): its extension is one
    agentlint reads (as ``os.path.splitext`` takes it: leading dots are part of the name), or
    it is read by name."""
    return os.path.splitext(path.rsplit("/", 1)[-1])[1].lower() in EXTENSIONS or named_kind(path) is not None


def files_regex() -> str:
    """The files a folder walk checks, as one Python regex searched in a relative POSIX path:
    the ``files`` of the pre-commit hook in ``.pre-commit-hooks.yaml`` (a test keeps the two
    equal, so the hook is passed exactly the files discovery reads, no fewer and no more)."""
    # [yY][aA][mM][lL] rather than (?i:yaml): the walk compares str.lower(), which turns the
    # Kelvin sign into 'k' (the only non-ASCII character it lowers to ASCII) and leaves 'ſ',
    # which re's case folding matches to 's'.
    cases = {c: c + c.upper() + ("\u212a" if c == "k" else "") for c in "".join(EXTENSIONS)}
    extensions = "|".join(sorted("".join(f"[{cases[c]}]" for c in ext[1:]) for ext in EXTENSIONS))
    # os.path.splitext: the extension is after the last dot, and leading dots are not one.
    by_extension = rf"(?:^|/)\.*[^/.][^/]*\.(?:{extensions})\Z"
    named = (f"(?i:{_REQUIREMENTS.pattern})", _DOTENV.pattern, _GITIGNORE.pattern, _DOCKERFILE.pattern)
    return "|".join((by_extension, *named))


def excluded_regex() -> str:
    """The folders and files a walk never enters or reads (``DEFAULT_EXCLUDES``: any part of
    the path), as one Python regex searched in a relative POSIX path: the ``exclude`` of the
    pre-commit hook (a test keeps the two equal)."""
    names = "|".join(re.escape(name) for name in sorted(DEFAULT_EXCLUDES))
    return rf"(?:^|/)(?:{names})(?:/|\Z)"


@dataclass(slots=True)
class Listing:
    """What a run looked at: every path seen in a walked folder (files of any extension, and
    excluded files and folders, which exist but are not checked) and every folder walked.
    Rules use it to tell "this file does not exist" from "this run did not look there"."""

    files: set[str]
    folders: set[str]
    # (path, note): symlinks in a walked folder that point outside the checked folders and
    # were not followed (no --follow-symlinks), for a skip note in --show-files
    outside: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True, order=True)
class Candidate:
    path: str  # relative POSIX path shown to the user
    real: str  # path to open
    explicit: bool  # named on the command line (always checked, even with an odd extension)


@dataclass(frozen=True, slots=True)
class Unreadable:
    path: str
    message: str


def display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        try:
            return Path(os.path.relpath(path, root)).as_posix()
        except ValueError:  # other drive on Windows
            return path.as_posix()


def excluded(rel: str, patterns: Iterable[str]) -> bool:
    """Whether the path or any of its parts matches a pattern (``fnmatch``, as on this OS)."""
    match = _one_pattern(tuple(patterns)).match
    return any(match(os.path.normcase(name)) for name in (rel, *rel.split("/")))


@functools.lru_cache(maxsize=32)
def _one_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """All patterns as one regex, compiled once per run: matching each path part against each
    pattern through ``fnmatch.fnmatch`` was the largest cost of a file the prefilter skips."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns))


def discover(
    targets: Iterable[str],
    root: Path,
    exclude: Iterable[str] = (),
    force_exclude: bool = False,
    listing: Listing | None = None,
    follow_symlinks: bool = False,
) -> tuple[list[Candidate], list[Unreadable]]:
    """Files to check under ``targets``; directories are walked without following symlinked
    directories twice (loops are reported, not followed). ``listing``, when given, collects
    every file and folder the walk saw.

    A symlink met while walking that points outside every folder named in ``targets`` (a
    file or folder elsewhere on the machine) is not followed unless ``follow_symlinks``: it
    is listed in ``listing.outside``. A symlink named on the command line is followed: it
    was asked for."""
    patterns = tuple(DEFAULT_EXCLUDES) + tuple(exclude)
    found: dict[str, Candidate] = {}
    problems: list[Unreadable] = []
    trees: tuple[str, ...] | None = None
    if not follow_symlinks:
        folders = [Path(t) if Path(t).is_absolute() else root / t for t in targets]
        trees = tuple(os.path.realpath(f) for f in folders if f.is_dir())
    for target in targets:
        path = Path(target)
        absolute = path if path.is_absolute() else root / path
        rel = display_path(Path(os.path.normpath(absolute)), root)
        try:
            is_dir = absolute.is_dir()
        except OSError as exc:
            problems.append(Unreadable(rel, _os_message(exc)))
            continue
        if is_dir:
            _walk(absolute, root, patterns, found, problems, listing, trees)
        elif absolute.exists() or absolute.is_symlink():
            if force_exclude and excluded(rel, patterns):
                continue
            if listing is not None:
                listing.files.add(rel)
            kind = _special(absolute)
            if kind is not None:
                problems.append(Unreadable(rel, _skipped(kind)))
                continue
            found.setdefault(rel, Candidate(rel, str(absolute), True))
        else:
            problems.append(Unreadable(rel, "no such file or directory"))
    return sorted(found.values()), sorted(problems, key=lambda p: p.path)


def _walk(
    top: Path,
    root: Path,
    patterns: tuple[str, ...],
    found: dict[str, Candidate],
    problems: list[Unreadable],
    listing: Listing | None = None,
    trees: tuple[str, ...] | None = None,
) -> None:
    """Iterative walk. A symlinked directory that points at one of its own ancestors is a
    loop (reported); one that points at a directory seen elsewhere is a duplicate (skipped).
    With ``trees`` (real paths of the checked folders), a symlink pointing outside all of
    them is not followed (``_outside``)."""
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, tuple[tuple[int, int], ...]]] = [(top, ())]
    while stack:
        directory, ancestors = stack.pop()
        try:
            st = directory.stat()
        except OSError as exc:
            problems.append(Unreadable(display_path(directory, root), _os_message(exc)))
            continue
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            problems.append(Unreadable(display_path(directory, root), "symlink loop: links back to a folder that contains it"))
            continue
        if key in seen:
            continue
        seen.add(key)
        ancestors = ancestors + (key,)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Unreadable(display_path(directory, root), _os_message(exc)))
            continue
        if listing is not None:
            listing.folders.add(display_path(directory, root))
        for entry in entries:
            rel = display_path(Path(entry.path), root)
            if excluded(rel, patterns):
                if listing is not None:  # not checked, but there: never "does not exist"
                    listing.files.add(rel)
                continue
            if trees is not None and _is_link(entry) and _outside(entry, rel, trees, listing):
                continue
            try:
                if entry.is_dir():
                    stack.append((Path(entry.path), ancestors))
                    continue
            except OSError as exc:
                problems.append(Unreadable(rel, _os_message(exc)))
                continue
            if listing is not None:
                listing.files.add(rel)
            if walked(rel):
                kind = None if entry.is_file() else _special(Path(entry.path))
                if kind is not None:  # a FIFO named x.yaml: opening it would wait forever
                    problems.append(Unreadable(rel, _skipped(kind)))
                    continue
                found.setdefault(rel, Candidate(rel, entry.path, False))
        # walk in a stable order
        stack.sort(key=lambda item: item[0], reverse=True)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _outside(entry: os.DirEntry[str], rel: str, trees: tuple[str, ...], listing: Listing | None) -> bool:
    """Whether the symlink ``entry`` points outside every checked folder (then it is not
    followed: a repository's link to ``/etc`` or to a home folder is not part of it). The
    skip is noted for the folders and for the files a walk would read."""
    target = os.path.realpath(entry.path)
    if any(target == tree or target.startswith(tree.rstrip(os.sep) + os.sep) for tree in trees):
        return False
    try:
        folder = entry.is_dir()
    except OSError:
        folder = False
    if listing is not None:
        listing.files.add(rel)
        if folder or walked(rel):
            what = "folder" if folder else "file"
            listing.outside.append((rel, f"symlink to a {what} outside the checked folder, not followed; --follow-symlinks follows it"))
    return True


def _os_message(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "symlink loop: the path never resolves to a file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: cannot read this file"
    return exc.strerror or str(exc)


def special_kind(mode: int) -> str | None:
    """What a file that is neither a regular file nor a folder is ("FIFO", "socket", ...):
    reading one can block forever (a FIFO with no writer) or never end (a device)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "special file"


_KINDS = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"))


def _special(path: Path) -> str | None:
    """``special_kind`` of what ``path`` resolves to; None when it cannot be stat'ed (reading
    it says why) or is a regular file or folder."""
    try:
        return special_kind(os.stat(path).st_mode)
    except (OSError, ValueError):
        return None


def _skipped(kind: str) -> str:
    return f"not a regular file ({kind}): skipped"


def read_bytes(real: str, max_bytes: int) -> bytes | str:
    """File bytes, or a message saying why they cannot be read."""
    raw = read_head(real, max_bytes + 1)
    if isinstance(raw, bytes) and len(raw) > max_bytes:
        return f"file larger than the {max_bytes:,}-byte limit (max-file-size): skipped"
    return raw


def read_head(real: str, count: int) -> bytes | str:
    """The first ``count`` bytes, or a message saying why they cannot be read. Only a regular
    file is read: it is opened without blocking (a FIFO swapped in after discovery must not
    hang the run) and checked on the open descriptor."""
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if getattr(exc, "errno", None) == 21:  # EISDIR
            return "is a directory"
        return _os_message(exc)
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            return "is a directory"
        kind = special_kind(mode)
        if kind is not None:
            return _skipped(kind)
        try:
            return handle.read(count)
        except OSError as exc:
            return _os_message(exc)


# -- the project root: what fingerprints and baseline paths are relative to ------------------
@dataclass(frozen=True, slots=True)
class ProjectPaths:
    """Paths of a run (relative to the working directory, as findings show them) and the same
    paths relative to the project root, which fingerprints and baseline entries use so that
    they match from any folder (SARIF's ``%SRCROOT%``, ``originalUriBaseIds``)."""

    run_root: str  # absolute
    project_root: str  # absolute
    # files the run saw (run paths): a message argument that is one of them, or one of them
    # then ``:name`` (a graph defined in code, ``src/app.py:graph``), names that file, and is
    # rebased like the finding's own path
    known: frozenset[str] = frozenset()

    def rebase_args(self, args: tuple[str, ...]) -> tuple[str, ...]:
        if self.run_root == self.project_root or not self.known:
            return args
        return tuple(self._rebase_arg(arg) for arg in args)

    def _rebase_arg(self, arg: str) -> str:
        if arg in self.known:
            return self.to_project(arg)
        at = arg.find(":")
        while at > 0:
            if arg[:at] in self.known:
                return self.to_project(arg[:at]) + arg[at:]
            at = arg.find(":", at + 1)
        return arg

    def to_project(self, path: str) -> str:
        if self.run_root == self.project_root or not path or path == ".":
            return path
        return Path(os.path.relpath(os.path.join(self.run_root, path), self.project_root)).as_posix()

    def to_run(self, path: str) -> str:
        if self.run_root == self.project_root or not path or path == ".":
            return path
        return Path(os.path.relpath(os.path.join(self.project_root, path), self.run_root)).as_posix()


def project_paths(
    targets: Iterable[str], root: Path, config_folder: str = "", explicit: bool = False, known: Iterable[str] = ()
) -> ProjectPaths:
    """The project root of a run over ``targets`` (relative to ``root`` or absolute):

    1. ``config_folder`` when the config file was named (``--config``, ``explicit``);
    2. else the git work tree holding the targets (the closest ``.git`` above their common
       folder), like SARIF's ``%SRCROOT%`` (the repository root);
    3. else ``config_folder``, the folder of the config file found (agentlint.toml, or a
       pyproject.toml with a ``[tool.agentlint]`` table), as ruff anchors paths at its config;
    4. else the working directory, or the targets' common folder when they lie outside it
       (``check sub`` and ``check .`` then agree, as they did before).

    From the repository root or any folder inside it, the same file has the same project
    path, so a baseline written at the root matches a run from a subfolder. ``known``: the
    run paths of the files the run saw (``ProjectPaths.known``)."""
    from dataclasses import replace

    found = _project_root(targets, os.path.abspath(root), config_folder, explicit)
    return replace(found, known=frozenset(known)) if found.run_root != found.project_root else found


def _project_root(targets: Iterable[str], run_root: str, config_folder: str, explicit: bool) -> ProjectPaths:
    if config_folder and explicit:
        return ProjectPaths(run_root, os.path.abspath(config_folder))
    absolute = [os.path.abspath(os.path.join(run_root, t)) for t in (list(targets) or ["."])]
    try:
        common = os.path.commonpath([p if os.path.isdir(p) else os.path.dirname(p) for p in absolute])
    except ValueError:  # different drives
        return ProjectPaths(run_root, run_root)
    here = Path(common)
    for folder in (here, *here.parents):
        if os.path.lexists(folder / ".git"):
            return ProjectPaths(run_root, str(folder))
    if config_folder:
        return ProjectPaths(run_root, os.path.abspath(config_folder))
    inside = common == run_root or common.startswith(run_root.rstrip(os.sep) + os.sep)
    return ProjectPaths(run_root, run_root if inside else common)
