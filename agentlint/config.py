"""Configuration: ``[tool.agentlint]`` in pyproject.toml or ``agentlint.toml``.

Discovery walks up from the first target to the filesystem root; in one directory
``agentlint.toml`` wins over ``pyproject.toml``, and a pyproject.toml without a
``[tool.agentlint]`` table is skipped (as ruff does). Precedence lives in ``resolve`` only:
rule defaults < config file < per-path overrides < command line. Every setting remembers where
it came from, for ``agentlint config --explain``.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentlint.findings import Location, Severity, SuppressionKind
from agentlint.loaders.base import Limits

CONFIG_FILES = ("agentlint.toml", "pyproject.toml")


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
    files: tuple[str, ...]
    ignore: frozenset[str]
    severity: tuple[tuple[str, Severity], ...]
    origin: str

    def matches(self, path: str) -> bool:
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


@dataclass(frozen=True)
class Settings:
    """What the engine needs; built only by ``resolve``."""

    selected: frozenset[str]
    severities: dict[str, Severity]
    options: dict[str, Any]
    fail_on: Severity = Severity.WARNING
    exclude: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    limits: Limits = Limits()
    inline_suppressions: bool = True
    suppressions: tuple[ConfigSuppression, ...] = ()
    config_path: str | None = None
    origins: dict[str, str] = field(default_factory=dict)  # "AL101.severity" -> "pyproject.toml:12"

    def severity_for(self, code: str, path: str) -> Severity:
        severity = self.severities[code]
        for override in self.overrides:
            if override.matches(path):
                for c, s in override.severity:
                    if c == code:
                        severity = s
        return severity

    def ignored_at(self, code: str, path: str) -> bool:
        return any(code in o.ignore and o.matches(path) for o in self.overrides)


@dataclass(frozen=True, slots=True)
class CliOverrides:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    inline_suppressions: bool = True


def find_config(start: Path) -> Path | None:
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and not _has_tool_table(candidate):
                    continue
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\[?\s*tool\.agentlint\b", text, re.M) is not None


def load_table(path: Path, display: str) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", display) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        raise ConfigError(f"invalid TOML: {str(exc).split(' (at')[0]}", display, line, col) from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("agentlint", {})
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError("[tool.agentlint] must be a table", display, 1, 1)
    return table, text


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


def resolve(
    target: Path,
    cli: CliOverrides = CliOverrides(),
    config_file: Path | None = None,
    isolated: bool = False,
    cwd: Path | None = None,
) -> Settings:
    """The single place where defaults, config file and command line are combined."""
    from agentlint.registry import all_rules

    rules = all_rules()
    cwd = cwd or Path.cwd()
    origins: dict[str, str] = {}
    selected = {code for code, rule in rules.items() if getattr(rule, "enabled_by_default", True)}
    severities = {code: rule.severity for code, rule in rules.items()}
    options = {code: rule.Options() for code, rule in rules.items()}
    for code in rules:
        origins[f"{code}.enabled"] = "default" if code in selected else "default (off)"
        origins[f"{code}.severity"] = "default"
    fail_on = Severity.WARNING
    exclude: tuple[str, ...] = ()
    overrides: list[Override] = []
    limits = Limits()
    suppressions: tuple[ConfigSuppression, ...] = ()
    path = None if isolated else (config_file or find_config(target if target.exists() else cwd))
    display = None
    if path is not None:
        from agentlint.config_schema import apply_file

        display = _display(path, cwd)
        table, text = load_table(path, display)
        applied = apply_file(table, text, display, path.name == "pyproject.toml", rules, selected, severities, options, origins)
        fail_on = applied.fail_on or fail_on
        exclude = applied.exclude
        overrides = applied.overrides
        limits = applied.limits
        suppressions = applied.suppressions
    for code, rule in rules.items():
        if rule.options_from:
            options[code] = options[rule.options_from]  # one setting judged by two rules
    # command line last: it wins over everything
    if cli.select is not None:
        selected = set(_expand(cli.select, "--select"))
        for code in rules:
            origins[f"{code}.enabled"] = "command line (--select)"
    for code in _expand(cli.extend_select, "--extend-select"):
        selected.add(code)
        origins[f"{code}.enabled"] = "command line (--extend-select)"
    for code in _expand(cli.ignore, "--ignore"):
        selected.discard(code)
        origins[f"{code}.enabled"] = "command line (--ignore)"
    if cli.fail_on is not None:
        fail_on = cli.fail_on
        origins["fail-on"] = "command line"
    return Settings(
        selected=frozenset(selected),
        severities=severities,
        options=options,
        fail_on=fail_on,
        exclude=exclude,
        overrides=tuple(overrides),
        limits=limits,
        inline_suppressions=cli.inline_suppressions,
        suppressions=suppressions,
        config_path=display,
        origins=origins,
    )


def _expand(selectors: tuple[str, ...], where: str) -> list[str]:
    from agentlint.registry import by_selector

    out: list[str] = []
    for selector in selectors:
        codes = by_selector(selector)
        if not codes:
            raise ConfigError(f"{where}: unknown rule selector '{selector}' (a code like AL101, a prefix like AL1, a rule name, or ALL)")
        out.extend(codes)
    return out


def _display(path: Path, cwd: Path) -> str:
    from agentlint.discover import display_path

    return display_path(path.resolve(), cwd.resolve())
