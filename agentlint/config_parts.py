"""What both config modules share, with no pydantic: errors, per-path overrides, config
suppressions and key locations. ``config`` (resolution) and ``config_schema`` (the shape of
``[tool.agentlint]``) both import this module; neither imports the other's names upward."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from agentlint.findings import Location, Severity, SuppressionKind


class ConfigError(Exception):
    """A usage or configuration error: reported with its location, exit code 2."""

    def __init__(self, message: str, path: str = "", line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.path, self.line, self.column = message, path, line, column

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}: " if self.path and self.line else (f"{self.path}: " if self.path else "")
        return f"{where}{self.message}"


@dataclass(frozen=True, slots=True)
class Override:
    """``per-file-ignores`` / ``[[overrides]]``: ``files`` are globs of paths relative to the
    folder of the config file that declares them (as ruff resolves ``per-file-ignores``)."""

    files: tuple[str, ...]
    ignore: frozenset[str]
    severity: tuple[tuple[str, Severity], ...]
    origin: str

    def matches(self, path: str) -> bool:
        """``path`` relative to the config file's folder."""
        return any(fnmatch.fnmatch(path, pattern) for pattern in self.files)


@dataclass(frozen=True, slots=True)
class ConfigSuppression:
    """``[[tool.agentlint.suppress]]``: a finding hidden by path and JSON Pointer."""

    path: str  # relative to the run's root, like finding paths
    pointer: str
    codes: tuple[str, ...]
    kind: SuppressionKind
    reason: str
    origin: Location  # the config entry, for unused-suppression findings


def locate_key(text: str, keys: tuple[str | int, ...], pyproject: bool) -> tuple[int, int]:
    """1-based line/column of the TOML key at ``keys``, found on the raw text because tomllib
    keeps no positions. The deepest matching header, key or inline-table key wins; line 1
    when nothing matches."""
    prefix = ("tool", "agentlint") if pyproject else ()
    wanted = [str(k) for k in prefix + keys if not isinstance(k, int)]
    table: list[str] = []
    best, best_depth = (1, 1), -1

    def split(dotted: str) -> list[str]:
        return [part.strip().strip("\"'") for part in dotted.split(".")]

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if header:
            table = split(header.group(1))
            if table == wanted[: len(table)] and len(table) > best_depth:
                best, best_depth = (number, raw.index("[") + 1), len(table)
            continue
        key = re.match(r"^([A-Za-z0-9_\-\"'. ]+?)\s*=", line)
        if not key:
            continue
        full = table + split(key.group(1))
        if full != wanted[: len(full)]:
            continue
        if len(full) > best_depth:
            best, best_depth = (number, raw.index(key.group(1)) + 1), len(full)
        if len(full) < len(wanted):  # inline table: `AL103 = { max = 1 }`
            inner = re.search(rf"[{{,]\s*{re.escape(wanted[len(full)])}\s*=", raw)
            if inner and len(full) + 1 > best_depth:
                best, best_depth = (number, raw.index(wanted[len(full)], inner.start()) + 1), len(full) + 1
    return best
