"""``langgraph.json`` (LangGraph CLI / platform deployment config, langgraph-cli ``schemas.py``):
the graphs it serves, the packages it installs and the environment it loads.

* ``graphs``: ``{"id": "./src/agent/graph.py:graph"}``, ``{"id": "pkg.module:graph"}`` or
  ``{"id": {"path": "…", "description": "…"}}`` -> a ``GraphEntryPoint`` (paths resolved from
  this file's folder, as the CLI resolves them); so are ``auth.path``, ``http.app`` and
  ``encryption.path``, which the server imports the same way. A spec with a ``/`` or ending in ``.py`` is a
  file; otherwise it is a dotted module name, which may live in the project (``pkg/module.py``,
  also under ``src/``) or in an installed package.
* ``dependencies``: every entry that is not a local path (``.``, ``./pkg``) -> a
  ``DeploymentDependency`` (the CLI ``pip install``s it).
* ``env``: a path -> an ``EnvFileReference``; an inline object -> ``EnvSettings``.

Whether a file exists, a module binds the variable, a dependency floats or a value is a
credential is decided by rules (with the run's Coverage), never here.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.deployment import (
    DeploymentDependency,
    EnvFileReference,
    EnvOrigin,
    EnvSettings,
    GraphEntryPoint,
    folder_of,
    resolve,
)
from agentlint.model.pins import is_local_path
from agentlint.model.source import Span
from agentlint.model.tools import Setting

_NAME = re.compile(r"(?:^|/)langgraph[^/]*\.json\Z", re.IGNORECASE)
_CODE_SETTINGS = (("auth", "path"), ("http", "app"), ("encryption", "path"))
_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


def claims(path: str, text: str) -> bool:
    return _NAME.search(path) is not None and ('"graphs"' in text or '"dependencies"' in text)


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        if isinstance(doc.data, dict):
            _graphs(doc, out)
            _dependencies(doc, out)
            _env(doc, out)
    return out


def _span(doc: LocatedDoc, pointer: tuple) -> Span:
    return doc.source_map.value(pointer) or doc.source_map.locate(pointer)


def _graphs(doc: LocatedDoc, out: Adapted) -> None:
    graphs = doc.data.get("graphs")
    if isinstance(graphs, dict):
        for graph_id, value in graphs.items():
            pointer: tuple = ("graphs", graph_id)
            if isinstance(value, dict):
                value, pointer = value.get("path"), pointer + ("path",)
            _entry(doc, pointer, value, str(graph_id), "", out)
    # other code the server imports at start-up (langgraph-cli rewrites these paths like graphs)
    for section, key in _CODE_SETTINGS:
        holder = doc.data.get(section)
        if isinstance(holder, dict):
            _entry(doc, (section, key), holder.get(key), "", f"{section}.{key}", out)


def _entry(doc: LocatedDoc, pointer: tuple, value: Any, graph_id: str, setting: str, out: Adapted) -> None:
    if not isinstance(value, str) or ":" not in value:
        return
    where, _, variable = value.partition(":")  # the first colon, as langgraph-cli splits it
    where, variable = where.strip(), variable.strip()
    if not where or not variable.isidentifier():
        return
    base = folder_of(doc.path)
    by_path = "/" in where or "\\" in where or where.endswith(".py")
    if by_path:
        target = resolve(base, where)
        if target is None:
            return  # outside the project: not this run's to judge
        files: tuple[str, ...] = (target,)
    elif _MODULE.match(where):
        module = where.replace(".", "/")
        found = (resolve(base, f"{prefix}{module}{suffix}") for prefix in ("", "src/") for suffix in (".py", "/__init__.py"))
        files = tuple(f for f in found if f is not None)
    else:
        return
    out.entities.append(
        GraphEntryPoint(doc.ref(pointer), _span(doc, pointer), (), graph_id, value, files, variable, by_path, doc.path, setting)
    )


def _dependencies(doc: LocatedDoc, out: Adapted) -> None:
    dependencies = doc.data.get("dependencies")
    if not isinstance(dependencies, list):
        return
    for index, spec in enumerate(dependencies):
        if isinstance(spec, str) and spec.strip() and not is_local_path(spec.strip()):
            pointer = ("dependencies", index)
            out.entities.append(DeploymentDependency(doc.ref(pointer), _span(doc, pointer), (), spec.strip(), doc.path))


def _env(doc: LocatedDoc, out: Adapted) -> None:
    env: Any = doc.data.get("env")
    if isinstance(env, str) and env.strip():
        target = resolve(folder_of(doc.path), env.strip())
        if target is not None:
            out.entities.append(EnvFileReference(doc.ref(("env",)), _span(doc, ("env",)), (), posixpath.normpath(target), doc.path))
    elif isinstance(env, dict):
        smap = doc.source_map
        settings = tuple(
            Setting(name, value, smap.key(("env", name)) or _span(doc, ("env",)), _span(doc, ("env", name)), doc.ref(("env", name)))
            for name, value in env.items()
            if isinstance(value, str)
        )
        out.entities.append(EnvSettings(doc.ref(("env",)), _span(doc, ("env",)), (), EnvOrigin.INLINE, settings, doc.path))


ADAPTER = Adapter("langgraph-json", frozenset({Syntax.JSON}), claims, adapt)
