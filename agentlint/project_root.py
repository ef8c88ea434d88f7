"""The project root of a run: what fingerprints and baseline paths are relative to."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


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
        # a graph named by its folder (a CrewAI crew, src/x); a bare word may name an agent as
        # well as a folder, so it is left as it is
        if "/" in arg and arg in _folders(self.known):
            return self.to_project(arg)
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


@lru_cache(maxsize=4)
def _folders(known: frozenset[str]) -> frozenset[str]:
    """Every folder holding a file the run saw, and the folders above it (run paths)."""
    out: set[str] = set()
    for path in known:
        folder = posixpath.dirname(path)
        while folder and folder not in out and folder not in (".", ".."):
            out.add(folder)
            folder = posixpath.dirname(folder)
    return frozenset(out)
