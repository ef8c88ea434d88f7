"""From command-line targets to files: relative POSIX paths, excludes, symlink safety."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from agentlint.project_root import ProjectPaths, project_paths  # noqa: F401  (re-exported)

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
    return os.path.splitext(path.rsplit("/", 1)[-1])[1].lower() in EXTENSIONS or _by_name().search(path) is not None


@functools.lru_cache(maxsize=1)
def _by_name() -> re.Pattern[str]:
    """``named_kind(path) is not None`` as one regex."""
    return re.compile("|".join((f"(?i:{_REQUIREMENTS.pattern})", _DOTENV.pattern, _GITIGNORE.pattern, _DOCKERFILE.pattern)))


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
    match = _matcher(tuple(patterns))
    return any(match(name) for name in (rel, *rel.split("/")))


_MAGIC = re.compile(r"[*?\[]")  # what makes a glob more than a name (as ``glob.has_magic``)


@functools.lru_cache(maxsize=32)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether one path or name matches one of ``patterns`` (``fnmatch``, as on this OS):
    patterns without wildcards (the default excludes) are a set lookup, the others one regex
    compiled once per run (matching every part against every pattern through
    ``fnmatch.fnmatch`` was the largest cost of a file the prefilter skips)."""
    names = frozenset(os.path.normcase(p) for p in patterns if not _MAGIC.search(p))
    globs = [fnmatch.translate(os.path.normcase(p)) for p in patterns if _MAGIC.search(p)]
    match = re.compile("|".join(globs)).match if globs else None
    if os.path.normcase("A/") == "A/":  # POSIX: names compare as they are
        if match is None:
            return names.__contains__
        return lambda text: text in names or match(text) is not None
    return lambda text: (norm := os.path.normcase(text)) in names or (match is not None and match(norm) is not None)


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
    return [found[path] for path in sorted(found)], sorted(problems, key=lambda p: p.path)  # one Candidate a path


def _walk(
    top: Path,
    root: Path,
    patterns: tuple[str, ...],
    found: dict[str, Candidate],
    problems: list[Unreadable],
    listing: Listing | None = None,
    trees: tuple[str, ...] | None = None,
) -> None:
    """Iterative depth-first walk in name order. A symlinked directory that points at one of
    its own ancestors is a loop (reported); one that points at a directory seen elsewhere is a
    duplicate (skipped). With ``trees`` (real paths of the checked folders), a symlink
    pointing outside all of them is not followed (``_outside``).

    Paths are built as strings from the folder's own display path, and each entry is tested
    against the excludes by its whole path and its name only: the parts above it were tested
    when its folder was entered (those of ``top`` once, here)."""
    match, by_name = _matcher(patterns), _by_name().search
    top_rel = display_path(top, root)
    top_hit = top_rel != "." and any(match(part) for part in top_rel.split("/"))
    seen: set[tuple[int, int]] = set()
    # (folder, its display path, (dev, inode) of the folders above it); the next folder is
    # the last one: subfolders are pushed in reverse name order, so the stack is never sorted
    stack: list[tuple[Path, str, tuple[tuple[int, int], ...]]] = [(top, top_rel, ())]
    while stack:
        directory, folder_rel, ancestors = stack.pop()
        try:
            st = directory.stat()
        except OSError as exc:
            problems.append(Unreadable(folder_rel, _os_message(exc)))
            continue
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            problems.append(Unreadable(folder_rel, "symlink loop: links back to a folder that contains it"))
            continue
        if key in seen:
            continue
        seen.add(key)
        ancestors = ancestors + (key,)
        try:
            entries = sorted(os.scandir(directory), key=_name)
        except OSError as exc:
            problems.append(Unreadable(folder_rel, _os_message(exc)))
            continue
        if listing is not None:
            listing.folders.add(folder_rel)
        prefix = "" if folder_rel == "." else folder_rel + "/"
        hit = top_hit and directory is top
        subfolders: list[tuple[Path, str, tuple[tuple[int, int], ...]]] = []
        for entry in entries:
            rel = prefix + entry.name
            if hit or match(rel) or match(entry.name):
                if listing is not None:  # not checked, but there: never "does not exist"
                    listing.files.add(rel)
                continue
            if trees is not None and _is_link(entry) and _outside(entry, rel, trees, listing):
                continue
            try:
                if entry.is_dir():
                    subfolders.append((Path(entry.path), rel, ancestors))
                    continue
            except OSError as exc:
                problems.append(Unreadable(rel, _os_message(exc)))
                continue
            if listing is not None:
                listing.files.add(rel)
            if _walked(rel, entry.name, by_name):
                kind = None if entry.is_file() else _special(Path(entry.path))
                if kind is not None:  # a FIFO named x.yaml: opening it would wait forever
                    problems.append(Unreadable(rel, _skipped(kind)))
                    continue
                found.setdefault(rel, Candidate(rel, entry.path, False))
        if os.path.normcase("A") != "A":  # Windows: paths compare without case (as pathlib orders them)
            subfolders.sort(key=lambda item: os.path.normcase(item[0].name))
        stack.extend(reversed(subfolders))


def _walked(rel: str, name: str, by_name: Callable[[str], object]) -> bool:
    """``walked(rel)`` for the file ``name`` at ``rel``, with ``os.path.splitext`` inlined:
    the extension is from the last dot, unless only dots come before it."""
    dot = name.rfind(".")
    if dot > 0 and (name[0] != "." or name[:dot].strip(".")) and name[dot:].lower() in EXTENSIONS:
        return True
    # The name patterns are anchored after a "/" and span at most the last two parts
    # ("requirements/dev.txt"), so they are searched there only. Each needs one of these words
    # (case aside): an ASCII path without any of them is not read by name.
    last = rel.rfind("/")
    tail = rel[rel.rfind("/", 0, last) + 1 :] if last > 0 else rel
    if tail.isascii():
        low = tail.lower()
        if "env" not in low and "requirements" not in low and "constraints" not in low and "gitignore" not in low:
            if "ockerfile" not in low and "ontainerfile" not in low:
                return False
    return by_name(tail) is not None


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


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
