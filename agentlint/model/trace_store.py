"""Self-hosted trace stores (Langfuse): the secrets a deployment gives them and the ports it
publishes, as facts. The Langfuse adapter emits them for compose files and Helm values that
run Langfuse; AL520 and AL521 judge them. Nothing here reads files.

The documented defaults are those of Langfuse's own ``docker-compose.yml`` (every one marked
``# CHANGEME`` there): ``SALT: "mysalt"``, ``ENCRYPTION_KEY`` of 64 zeros, ``NEXTAUTH_SECRET:
mysecret``, ``postgres``/``postgres`` in ``DATABASE_URL`` and ``POSTGRES_PASSWORD``,
``clickhouse`` for ClickHouse, ``myredissecret`` for Redis and ``miniosecret`` for MinIO and
the ``LANGFUSE_S3_*_SECRET_ACCESS_KEY`` settings that log in to it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from urllib.parse import unquote

from agentlint.model.entities import Located


class Store(enum.Enum):
    """What a secret protects."""

    LANGFUSE = "Langfuse"  # the web/worker app: API-key hashing, stored-key encryption, sessions
    POSTGRES = "Postgres"
    CLICKHOUSE = "ClickHouse"
    REDIS = "Redis"
    MINIO = "MinIO"


class Why(enum.Enum):
    LANGFUSE_DEFAULT = "a default Langfuse publishes (docker-compose.yml, Helm chart)"
    PLACEHOLDER = "a placeholder"


@dataclass(frozen=True, slots=True)
class StoreSecret(Located):
    """A secret of a self-hosted trace store, as written. ``why`` says why it is no secret (a
    documented default, a placeholder), or is None for a value set at deploy time or one that
    may be a real secret: checked and fine. ``span``: the value as written (for a
    ``${VAR:-default}`` fallback, the whole expression)."""

    service: str  # where it is set, as a message names it: "service langfuse-worker", "values langfuse.salt"
    variable: str  # SALT, DATABASE_URL, redis --requirepass …
    value: str  # the default or placeholder itself; "" when ``why`` is None (never a real secret)
    store: Store
    why: Why | None
    fallback: str = ""  # the variable of a ``${VAR:-default}`` fallback: the default applies unless VAR is set
    marked: bool = False  # a ``# CHANGEME`` comment on its line says to change it
    setting: str = ""  # the key as written when it is not ``variable`` (a Helm values path)

    @property
    def written(self) -> str:
        return self.setting or self.variable


@dataclass(frozen=True, slots=True)
class PublishedStore(Located):
    """A trace store's port published on every host interface (``"5432:5432"``, not
    ``127.0.0.1:5432:5432``). ``span``: the port entry."""

    service: str
    store: Store
    port: str  # as written
    secrets: tuple[str, ...]  # the default secrets of this store in the same file (variables)


# Documented defaults and common placeholders (lower case); an ENCRYPTION_KEY is also a
# placeholder when it repeats one character (the all-zeros example).
LANGFUSE_DEFAULTS = frozenset({"mysalt", "mysecret", "postgres", "clickhouse", "myredissecret", "miniosecret", "minio"})
# The Langfuse Helm chart's values.yaml ships "changeme" (a placeholder) and these defaults.
PLACEHOLDERS = frozenset(
    {
        "changeme", "change-me", "change_me", "changeit", "change-this", "secret", "password", "passwd", "pass",
        "admin", "default", "example", "test", "your-secret", "yoursecret", "your_secret", "replace-me", "replaceme",
        "todo", "salt", "secretkey", "secret-key", "mypassword",
    }
)

_VARIABLES: dict[str, Store] = {
    "SALT": Store.LANGFUSE,
    "ENCRYPTION_KEY": Store.LANGFUSE,
    "NEXTAUTH_SECRET": Store.LANGFUSE,
    "DATABASE_URL": Store.POSTGRES,
    "POSTGRES_PASSWORD": Store.POSTGRES,
    "CLICKHOUSE_PASSWORD": Store.CLICKHOUSE,
    "REDIS_AUTH": Store.REDIS,
    "REDIS_PASSWORD": Store.REDIS,
    "MINIO_ROOT_PASSWORD": Store.MINIO,
    "REDIS_CONNECTION_STRING": Store.REDIS,
}
_URLS = frozenset({"DATABASE_URL", "REDIS_CONNECTION_STRING"})
_S3_SECRET = re.compile(r"LANGFUSE_S3_[A-Z_]+_SECRET_ACCESS_KEY\Z")
_URL_PASSWORD = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:([^@/\s]*)@")
_FALLBACK = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^}]*)\}\Z")
_REPEATED = re.compile(r"(.)\1{15,}\Z")


def store_of(variable: str) -> Store | None:
    if _S3_SECRET.match(variable):
        return Store.MINIO
    return _VARIABLES.get(variable)


def secret_part(variable: str, value: str) -> str:
    """The secret inside a value: the password of a ``DATABASE_URL`` or
    ``REDIS_CONNECTION_STRING``, else the value."""
    if variable in _URLS:
        match = _URL_PASSWORD.match(value.strip())
        return unquote(match.group(1)) if match else ""
    return value.strip()


def split_fallback(value: str) -> tuple[str, str] | None:
    """``${VAR:-default}`` (or ``${VAR-default}``) -> (VAR, default); None otherwise."""
    match = _FALLBACK.match(value.strip())
    return (match.group(1), match.group(2)) if match else None


def weak(variable: str, secret: str) -> Why | None:
    """Why ``secret`` is no secret: a documented default, a placeholder; None when it may be one.
    An empty value is not judged (the service refuses to start or the variable is unused)."""
    word = secret.strip().lower()
    if not word or "${" in word or word.startswith("$"):
        return None
    if word in LANGFUSE_DEFAULTS:
        return Why.LANGFUSE_DEFAULT
    if variable == "ENCRYPTION_KEY" and _REPEATED.match(word):
        return Why.LANGFUSE_DEFAULT if word == "0" * 64 else Why.PLACEHOLDER
    if word in PLACEHOLDERS or (word.startswith("<") and word.endswith(">")):
        return Why.PLACEHOLDER
    return None


_IMAGES = (
    (re.compile(r"(?:^|/)langfuse/langfuse(?:-worker)?(?:[:@]|\Z)"), Store.LANGFUSE),
    (re.compile(r"(?:^|/)(?:postgres|postgresql|pgvector/pgvector)(?:[:@]|\Z)"), Store.POSTGRES),
    (re.compile(r"(?:^|/)clickhouse(?:-server)?(?:[:@]|\Z)"), Store.CLICKHOUSE),
    (re.compile(r"(?:^|/)(?:redis|valkey)(?:[:@]|\Z)"), Store.REDIS),
    (re.compile(r"(?:^|/)minio(?:[:@]|\Z)"), Store.MINIO),
)


def store_image(image: str) -> Store | None:
    """Which store a container image runs (``docker.io/langfuse/langfuse:3`` -> LANGFUSE)."""
    for pattern, store in _IMAGES:
        if pattern.search(image.strip().lower()):
            return store
    return None


def published_on_all_interfaces(port: str) -> bool:
    """Short syntax ``[HOST_IP:]HOST_PORT:CONTAINER_PORT[/proto]``: published without a
    loopback host address. A bare ``CONTAINER_PORT`` publishes on a random host port (still
    every interface)."""
    text = port.strip().split("/", 1)[0]
    if text.startswith("["):  # [::1]:5432:5432
        host = text[1 : text.find("]")] if "]" in text else ""
        return host not in ("::1",)
    parts = text.split(":")
    if len(parts) >= 3:
        return not parts[0].startswith("127.") and parts[0] not in ("localhost",)
    return True
