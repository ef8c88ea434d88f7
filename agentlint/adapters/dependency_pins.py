"""The package versions a project pins, so that framework defaults are quoted for the
version that runs: ``pyproject.toml`` (``==`` pins in ``[project].dependencies`` and Poetry's
exact versions, every package: they also decide what a deployment installs) and the
``uv.lock`` / ``poetry.lock`` lockfiles (only the packages whose defaults agentlint knows,
model.defaults). ``requirements*.txt`` pins come from adapters.requirements."""

from __future__ import annotations

import re
from typing import Any

from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.defaults import DEFAULTS
from agentlint.model.entities import DependencyPin
from agentlint.model.source import Pointer

_PACKAGES = frozenset(d.package for d in DEFAULTS.values())
_NAMES = re.compile(r"(^|/)(pyproject\.toml|uv\.lock|poetry\.lock)$")
_EXACT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([0-9][0-9A-Za-z.+!-]*)\s*(?:;.*)?$")
_MENTION = re.compile("|".join(re.escape(p) for p in sorted(_PACKAGES)), re.I)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def claims(path: str, text: str) -> bool:
    return _NAMES.search(path) is not None and _MENTION.search(text) is not None


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        if isinstance(doc.data, dict):
            if file.path.endswith(".lock"):
                _lock(doc, out)
            else:
                _pyproject(doc, out)
    return out


def _pin(doc: LocatedDoc, pointer: Pointer, package: str, version: str, out: Adapted, every: bool = False) -> None:
    """``every``: keep pins of any package (a manifest's own pins decide what a deployment
    installs, model.deployment), else only of packages with known defaults (lockfiles)."""
    name = normalise(package)
    if every or name in _PACKAGES:
        span = doc.source_map.locate(pointer)
        out.entities.append(DependencyPin(doc.ref(pointer), span, (), package=name, version=version))


def _pyproject(doc: LocatedDoc, out: Adapted) -> None:
    data: dict[str, Any] = doc.data
    project = data.get("project")
    if isinstance(project, dict) and isinstance(project.get("dependencies"), list):
        for index, requirement in enumerate(project["dependencies"]):
            match = _EXACT.match(requirement) if isinstance(requirement, str) else None
            if match:
                _pin(doc, ("project", "dependencies", index), match.group(1), match.group(2), out, every=True)
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    deps = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(deps, dict):
        for name, spec in deps.items():
            version = spec.get("version") if isinstance(spec, dict) else spec
            if isinstance(version, str) and re.fullmatch(r"=?=?\s*[0-9][0-9A-Za-z.+!-]*", version.strip()):
                _pin(doc, ("tool", "poetry", "dependencies", name), name, version.strip().lstrip("="), out, every=True)


def _lock(doc: LocatedDoc, out: Adapted) -> None:
    packages = doc.data.get("package")
    if not isinstance(packages, list):
        return
    for index, package in enumerate(packages):
        if isinstance(package, dict) and isinstance(package.get("name"), str) and isinstance(package.get("version"), str):
            _pin(doc, ("package", index, "version"), package["name"], package["version"], out)


ADAPTER = Adapter("dependency-pins", frozenset({Syntax.TOML}), claims, adapt)
