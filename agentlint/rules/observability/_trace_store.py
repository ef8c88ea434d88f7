"""Shared by AL520 and AL521: which default secrets of a self-hosted trace store are in force.

A ``${VAR:-default}`` fallback in a compose file applies unless ``VAR`` is set when compose
runs; compose reads ``.env`` next to the compose file for that, so a ``.env`` in the project
beside it that sets ``VAR`` to a value that is not itself a default or placeholder wins.
A fallback repeated for the same variable (``REDIS_AUTH`` in the app and in Redis'
``--requirepass``) is one defect: the first place, the others related.
"""

from __future__ import annotations

import posixpath

from agentlint.model.deployment import EnvSettings
from agentlint.model.project import Project
from agentlint.model.trace_store import StoreSecret, weak


def _dotenv_next_to(project: Project, path: str) -> EnvSettings | None:
    folder = posixpath.dirname(path)
    return project.deployment.env_file(posixpath.join(folder, ".env") if folder else ".env")


def overridden(project: Project, secret: StoreSecret) -> bool:
    """A fallback whose variable a ``.env`` beside the compose file sets to a real secret."""
    if not secret.fallback:
        return False
    env = _dotenv_next_to(project, secret.ref.path)
    if env is None:
        return False
    for setting in env.settings:
        if setting.name == secret.fallback and setting.value:
            return weak(secret.variable, setting.value) is None
    return False


def in_force(project: Project) -> list[tuple[StoreSecret, list[StoreSecret]]]:
    """Default secrets in force, each with the repeats of the same fallback, in file order."""
    groups: dict[tuple, list[StoreSecret]] = {}
    for secret in sorted(project.of(StoreSecret), key=lambda s: (s.ref.path, s.ref.doc, s.span)):
        if overridden(project, secret):
            continue
        key = (secret.ref.path, secret.ref.doc, secret.fallback, secret.value) if secret.fallback else (id(secret),)
        groups.setdefault(key, []).append(secret)
    return [(first, rest) for first, *rest in groups.values()]
