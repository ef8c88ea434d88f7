"""Baselines: adopt agentlint on a legacy project without fixing everything first.

``agentlint baseline write`` records today's active findings by fingerprint (rule + entity,
not line numbers, so moving code keeps them matched); ``agentlint check --baseline FILE`` then
hides the findings recorded there and reports only new ones. Entries that no longer match a
finding are *fixed* and listed so the file can be pruned by writing it again.

The file (keys sorted, 2-space indent, UTF-8, trailing newline; entries sorted by path,
code, fingerprint)::

    {"schema_version": 1,
     "findings": [{"fingerprint": str, "code": str, "path": str, "message": str}, ...]}

Only ``fingerprint`` decides a match; ``code``, ``path`` and ``message`` are for reviewers
(and ``path`` scopes fixed-entry reporting). Internal errors (AL901) are never recorded.

Fingerprints and ``path`` are relative to the project root (``discover.project_paths``: the
``--config`` file's folder, else the git work tree, else the config file's folder, else the
targets' common folder), never to the working directory: a baseline written at the root
matches a run from a subfolder, and SARIF fingerprints agree with it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from agentlint.config import ConfigError
from agentlint.discover import ProjectPaths, special_kind
from agentlint.findings import Finding, RunResult

SCHEMA_VERSION = 1
DEFAULT_FILE = ".agentlint-baseline.json"
NEVER_BASELINED = frozenset({"AL901"})  # an internal error is never accepted debt
_FIELDS = ("fingerprint", "code", "path", "message")


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    path: str
    code: str
    fingerprint: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"fingerprint": self.fingerprint, "code": self.code, "path": self.path, "message": self.message}


@dataclass(frozen=True, slots=True)
class Baseline:
    entries: tuple[Entry, ...] = ()
    source: str = ""

    def fingerprints(self) -> frozenset[str]:
        return frozenset(e.fingerprint for e in self.entries)


def entries_for(findings: Iterable[Finding], paths: ProjectPaths | None = None) -> tuple[Entry, ...]:
    """Entries for ``findings``; with ``paths``, each path relative to the project root."""
    rebase = paths.to_project if paths is not None else (lambda path: path)
    return tuple(
        sorted(
            Entry(rebase(f.path), f.code, f.fingerprint, f.message) for f in findings if f.code not in NEVER_BASELINED
        )
    )


def dumps(entries: Iterable[Entry]) -> str:
    document = {"schema_version": SCHEMA_VERSION, "findings": [e.to_dict() for e in sorted(entries)]}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(result: RunResult, path: str | os.PathLike[str], paths: ProjectPaths | None = None) -> int:
    """Record ``result``'s active findings in ``path``, atomically; returns the entry count.

    The text goes to a temporary file in the target's folder, which then replaces the target
    (``os.replace``): readers see the old file or the new one, never a partial one. On error
    the temporary file is removed and the old file is left as it was."""
    entries = entries_for(result.findings, paths)
    _write_atomic(Path(path), dumps(entries))
    return len(entries)


def _write_atomic(target: Path, text: str) -> None:
    from agentlint.safe_write import write_text

    try:
        write_text(target, text)
    except OSError as exc:
        raise ConfigError(f"cannot write the baseline: {exc.strerror or exc}", str(target)) from None


def load(path: str | os.PathLike[str]) -> Baseline:
    """Read a baseline file; a :class:`ConfigError` (exit 2) locates whatever is wrong."""
    where = str(path)
    try:
        kind = special_kind(os.stat(path).st_mode)
        if kind is not None:  # a FIFO would block forever, a device never end
            raise ConfigError(f"cannot read the baseline: not a regular file ({kind})", where)
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("baseline file not found (create it with 'agentlint baseline write')", where) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the baseline: {exc.strerror or exc}", where) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"the baseline is not UTF-8 ({exc.reason} at byte {exc.start})", where) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"invalid baseline JSON: {exc.msg}", where, exc.lineno, exc.colno) from None
    except RecursionError:  # a baseline is two levels deep: thousands of nested arrays are not one
        raise ConfigError("invalid baseline: JSON nested too deeply (a baseline is an object of flat entries)", where) from None
    return parse(document, where)


def parse(document: object, where: str = "") -> Baseline:
    def fail(message: str) -> ConfigError:
        return ConfigError(f"invalid baseline: {message}", where)

    if not isinstance(document, dict):
        raise fail(f"expected a JSON object, got {_kind(document)}")
    unknown = sorted(set(document) - {"schema_version", "findings"})
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} (expected 'schema_version' and 'findings')")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise fail(f"/schema_version must be {SCHEMA_VERSION}, got {json.dumps(version)}")
    items = document.get("findings")
    if not isinstance(items, list):
        raise fail(f"/findings must be an array, got {_kind(items)}")
    entries: list[Entry] = []
    for index, item in enumerate(items):
        pointer = f"/findings/{index}"
        if not isinstance(item, dict):
            raise fail(f"{pointer} must be an object, got {_kind(item)}")
        for key in _FIELDS:
            value = item.get(key)
            if not isinstance(value, str) or (key != "message" and not value):
                problem = "is missing" if key not in item else f"must be a non-empty string, got {json.dumps(value)}"
                raise fail(f"{pointer}/{key} {problem}")
        extra = sorted(set(item) - set(_FIELDS))
        if extra:
            raise fail(f"{pointer}: unknown key {extra[0]!r}")
        entries.append(Entry(item["path"], item["code"], item["fingerprint"], item["message"]))
    return Baseline(tuple(sorted(entries)), where)


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def apply(
    active: list[Finding], baseline: Baseline, in_scope: Callable[[str], bool]
) -> tuple[list[Finding], list[Finding], tuple[Entry, ...]]:
    """Split ``active`` into (still active, baselined) and list the entries that match nothing.

    ``in_scope(path)`` says whether this run could have produced a finding in ``path``: an
    unmatched entry for a file outside the checked paths is not reported as fixed."""
    known = baseline.fingerprints()
    kept: list[Finding] = []
    hidden: list[Finding] = []
    for finding in active:
        if finding.fingerprint in known and finding.code not in NEVER_BASELINED:
            hidden.append(finding)
        else:
            kept.append(finding)
    matched = {f.fingerprint for f in hidden}
    fixed = tuple(e for e in baseline.entries if e.fingerprint not in matched and in_scope(e.path))
    return kept, hidden, fixed


def fixed_message(count: int) -> str:
    return f"{count} baseline entries no longer match (fixed): prune them with 'agentlint baseline write'"
