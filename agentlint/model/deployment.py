"""How an agent system is deployed: the entry points a deployment config names (``langgraph.json``
``graphs``), what it installs (``dependencies``), the environment it loads (``env``), and the
facts needed to judge them: which names each parsed Python module binds, and which files and
folders the run looked at (``Coverage``), so that "does not exist" is said only about a place
the run actually listed.
"""

from __future__ import annotations

import enum
import posixpath
import re
from dataclasses import dataclass, field

from agentlint.model.entities import DependencyPin, Located
from agentlint.model.tools import Setting
from agentlint.model.vcs import IgnoreFile, git_ignored


@dataclass(frozen=True, slots=True)
class Coverage:
    """Every path the run saw in the folders it walked (files of any extension, excluded files
    and folders) and every folder it walked (``.`` for the root)."""

    files: frozenset[str] = frozenset()
    folders: frozenset[str] = frozenset()

    def listed(self, path: str) -> bool:
        """The run walked the folder that would hold ``path``: its absence there is a fact."""
        return folder_of(path) in self.folders

    def exists(self, path: str) -> bool:
        return path in self.files


def normalise_package(name: str) -> str:
    """PEP 503: runs of ``-``, ``_`` and ``.`` are one ``-``; case-insensitive."""
    return re.sub(r"[-_.]+", "-", name).lower()


def folder_of(path: str) -> str:
    return posixpath.dirname(path) or "."


def resolve(base: str, relative: str) -> str | None:
    """``relative`` (POSIX or Windows separators) from the folder ``base``, normalised; None
    when it leaves the project root or is absolute."""
    relative = relative.replace("\\", "/")
    if relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        return None
    joined = posixpath.normpath(posixpath.join(base if base != "." else "", relative))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


@dataclass(frozen=True, slots=True)
class ModuleNames(Located):
    """The names a parsed Python module binds at module level (assignments, functions,
    classes, imports). ``dynamic``: it may bind others too (``from x import *``,
    ``globals()``, a module ``__getattr__``), so an absent name proves nothing."""

    names: frozenset[str]
    dynamic: bool = False


@dataclass(frozen=True, slots=True)
class GraphEntryPoint(Located):
    """One ``graphs`` entry of a deployment config (or another code reference in it, such as
    ``auth.path``): the module file and the variable the server loads. ``files`` are the paths (relative to the project root) where the module may
    be, in order: one for a file path, several for a dotted module name (``pkg/mod.py``,
    ``pkg/mod/__init__.py``, under ``src/`` too), which may also be an installed package."""

    graph_id: str
    spec: str  # as written: "./src/agent/graph.py:graph"
    files: tuple[str, ...]
    variable: str
    by_path: bool  # a file path (must exist) rather than a module name (may be installed)
    config: str  # "langgraph.json"
    setting: str = ""  # "" for a graph; else the key that names the code ("auth.path", "http.app")

    def describe(self) -> str:
        return f"{self.setting} '{self.spec}'" if self.setting else f"graph '{self.graph_id}'"


@dataclass(frozen=True, slots=True)
class DeploymentDependency(Located):
    """A package a deployment config installs (``langgraph.json`` ``dependencies[]``)."""

    spec: str
    config: str


class EnvOrigin(enum.Enum):
    INLINE = "inline"  # written in the deployment config itself
    FILE = "file"  # a dotenv file


@dataclass(frozen=True, slots=True)
class EnvSettings(Located):
    """Environment variables with their values: a config's inline ``env`` or a dotenv file."""

    origin: EnvOrigin
    settings: tuple[Setting, ...]
    config: str  # the file that declares them


@dataclass(frozen=True, slots=True)
class EnvFileReference(Located):
    """A deployment config naming a dotenv file it loads (``"env": "./.env"``)."""

    target: str  # resolved path relative to the project root
    config: str


@dataclass(frozen=True, slots=True)
class Deployment:
    """Everything above, as the Project holds it."""

    coverage: Coverage = Coverage()
    entry_points: tuple[GraphEntryPoint, ...] = ()
    modules: dict[str, ModuleNames] = field(default_factory=dict)  # path -> names
    dependencies: tuple[DeploymentDependency, ...] = ()
    env: tuple[EnvSettings, ...] = ()
    env_references: tuple[EnvFileReference, ...] = ()
    pins: tuple[DependencyPin, ...] = ()
    ignores: tuple[IgnoreFile, ...] = ()  # the project's .gitignore files

    def committed(self, path: str) -> bool:
        """As far as the project's .gitignore files tell: git would commit ``path``."""
        return not git_ignored(path, self.ignores)

    def env_file(self, path: str) -> EnvSettings | None:
        for settings in self.env:
            if settings.origin is EnvOrigin.FILE and settings.ref.path == path:
                return settings
        return None

    def pinned(self, package: str) -> DependencyPin | None:
        """An exact pin of ``package`` (normalised name) that a deployment build installs:
        requirements files and pyproject.toml (lockfiles are not read by ``langgraph build``)."""
        package = normalise_package(package)
        for pin in self.pins:
            if pin.package == package and not pin.ref.path.endswith(".lock"):
                return pin
        return None


def unresolved(deployment: Deployment, entry: GraphEntryPoint) -> str | None:
    """Why ``entry`` cannot load, when the run can tell: its file is absent from a folder the
    run listed, or its module (parsed, nothing dynamic) binds no such name; else None. Paths
    in the answer are relative to the config's folder, as the config writes them."""
    coverage = deployment.coverage
    base = folder_of(entry.config)

    def shown(path: str) -> str:
        return posixpath.relpath(path, base) if base != "." else path

    if entry.by_path:
        target = entry.files[0]
        if target in coverage.folders:
            return f"'{shown(target)}' is a folder; the server loads a module file"
        if not coverage.exists(target):
            if not coverage.listed(target):
                return None  # the run did not look there
            near = [f for f in sorted(coverage.files) if f.lower() == target.lower()]
            hint = f" (there is '{shown(near[0])}': paths are case-sensitive where the server runs)" if near else ""
            return f"'{shown(target)}' does not exist{hint}"
    else:
        present = [f for f in entry.files if coverage.exists(f)]
        if not present:
            return None  # perhaps an installed package
        target = present[0]
    module = deployment.modules.get(target)
    if module is None or module.dynamic or entry.variable in module.names:
        return None  # not Python, not parsed, or the name is there (or may be)
    return f"'{shown(target)}' binds no module-level name '{entry.variable}'"
