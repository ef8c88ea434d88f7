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
from agentlint.model.trace_store import Store, StoreSecret, Why, weak


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
        if secret.why is None or overridden(project, secret):
            continue
        key = (secret.ref.path, secret.ref.doc, secret.fallback, secret.value) if secret.fallback else (id(secret),)
        groups.setdefault(key, []).append(secret)
    return [(first, rest) for first, *rest in groups.values()]


_GUARDS = {
    "SALT": "it salts the hashes of Langfuse API keys",
    "ENCRYPTION_KEY": "it encrypts the LLM provider keys Langfuse stores",
    "NEXTAUTH_SECRET": "it signs Langfuse login sessions, so a known value lets anyone forge one",
}


_HOLDS = {
    Store.POSTGRES: "Postgres holds Langfuse's users, projects, API keys and prompts",
    Store.CLICKHOUSE: "ClickHouse holds every trace, prompts and completions included",
    Store.REDIS: "Redis queues every ingested event",
    Store.MINIO: "MinIO keeps the raw events and media of every trace",
}


def _guards(secret: StoreSecret) -> str:
    if secret.variable in _GUARDS:
        return _GUARDS[secret.variable]
    kind = "secret key" if secret.variable.endswith("SECRET_ACCESS_KEY") else "password"
    return f"it is the {secret.store.value} {kind}, and {_HOLDS[secret.store]}"


def _what(secret: StoreSecret, how: str) -> str:
    where = f"{secret.written} in {secret.service}"
    url = secret.variable in ("DATABASE_URL", "REDIS_CONNECTION_STRING")
    if url:
        where = f"{where} logs in with password"
    if not secret.fallback:
        return f"{where} '{secret.value}', {how}" if url else f"{where} is '{secret.value}', {how}"
    unset = "it is unset" if secret.fallback == secret.variable else f"{secret.fallback} is unset"
    return f"{where} falls back to '{secret.value}', {how}, whenever {unset}"


def describe(secret: StoreSecret) -> tuple[str, str]:
    """(what is wrong and why it matters, how to fix it) for a message."""
    how = "a default Langfuse publishes" if secret.why is Why.LANGFUSE_DEFAULT else "a placeholder"
    fix = "generate a value and pass it from a secret or an untracked .env"
    if secret.fallback:
        fix = f"set {secret.fallback} to a generated value"
    elif secret.service.startswith(("values ", "the Langfuse chart")):
        fix = "generate a value and reference it from a Kubernetes Secret (secretKeyRef) instead"
    return f"{_what(secret, how)}: {_guards(secret)}", fix
