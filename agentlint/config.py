"""Configuration: ``[tool.agentlint]`` in pyproject.toml or ``agentlint.toml``.

Per file, as ruff resolves it: the closest config file in a file's folder or its ancestors
applies to that file; in one directory ``agentlint.toml`` wins over ``pyproject.toml``, and a
pyproject.toml without a ``[tool.agentlint]`` table does not count. ``--config FILE`` applies
one file to every file, ``--isolated`` none.

What a config file decides for the files under it: which rules run (select, ignore), their
severities, per-file-ignores and overrides (globs relative to the config's folder), rule
options, fail-on, exclude, max-file-size and max-depth. A finding is judged by the config of
the file it is located in, also when it is about a graph spanning several files.
``[[suppress]]`` entries of every config found apply (each names its file). The *base*
config, found from the working directory, applies to files with no config above them and to
findings with no file. The command line wins over every config file.

Precedence lives in ``_layer`` only: rule defaults < config file < per-path overrides <
command line. Every setting remembers where it came from, for ``agentlint config --explain``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from agentlint.config_parts import ConfigError, ConfigSuppression, Override, locate_key
from agentlint.findings import Finding, Severity
from agentlint.loaders.base import Limits

__all__ = ["CONFIG_FILES", "CliOverrides", "ConfigError", "ConfigSuppression", "Override", "Settings", "find_config", "locate_key", "resolve"]

CONFIG_FILES = ("agentlint.toml", "pyproject.toml")


@dataclass(frozen=True)
class Settings:
    """What the engine needs; built only by ``resolve`` (and ``with_scopes``). This object is
    the base config's layer; ``scopes`` are the layers of the other config files found above
    the checked files, deepest folder first; ``at(path)`` picks the one that applies."""

    selected: frozenset[str]
    severities: dict[str, Severity]
    options: dict[str, Any]
    fail_on: Severity = Severity.WARNING
    exclude: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    limits: Limits = Limits()
    inline_suppressions: bool = True
    suppressions: tuple[ConfigSuppression, ...] = ()
    config_path: str | None = None  # as shown: relative to the run's root
    origins: dict[str, str] = field(default_factory=dict)  # "AL101.severity" -> "pyproject.toml:12"
    root: str = ""  # absolute folder finding paths are relative to ("" : the layer's folder is the root)
    folder: str = ""  # absolute folder of this layer's config file ("" without one)
    fixed: bool = False  # --config or --isolated: this layer applies to every file
    cli: CliOverrides | None = None
    scopes: tuple[Settings, ...] = ()
    _at: dict[str, Settings] = field(default_factory=dict, init=False, compare=False, repr=False)  # a cache: fresh in every copy

    def at(self, path: str) -> Settings:
        """The layer that applies to ``path`` (relative to the root, as in findings)."""
        if not self.scopes:
            return self
        directory = path.rpartition("/")[0]
        found = self._at.get(directory)
        if found is None:
            absolute = _absolute(self.root, directory)
            found = next((s for s in self.scopes if _under(absolute, s.folder)), self)
            if found is not self and self.folder and _under(absolute, self.folder) and len(self.folder) > len(found.folder):
                found = self  # the base config is closer to this file than any other
            self._at[directory] = found
        return found

    def layers(self) -> tuple[Settings, ...]:
        return (self, *self.scopes)

    def relative(self, path: str) -> str:
        """``path`` (relative to the root) relative to this layer's config folder, for globs."""
        if not self.folder or not self.root or self.folder == self.root:
            return path
        return Path(os.path.relpath(_absolute(self.root, path), self.folder)).as_posix()

    def severity_for(self, code: str, path: str) -> Severity:
        layer = self.at(path)
        severity = layer.severities[code]
        local = layer.relative(path)
        for override in layer.overrides:
            if override.matches(local):
                for c, s in override.severity:
                    if c == code:
                        severity = s
        return severity

    def ignored_at(self, code: str, path: str) -> bool:
        """Not selected for the file, or ignored there by a per-file ignore."""
        layer = self.at(path)
        if code not in layer.selected:
            return True
        local = layer.relative(path)
        return any(code in o.ignore and o.matches(local) for o in layer.overrides)

    def fails(self, findings: Iterable[Finding]) -> bool:
        """Whether a finding reaches the fail-on level of the config of its own file."""
        return any(f.severity.rank >= self.at(f.path).fail_on.rank for f in findings)

    @property
    def all_selected(self) -> frozenset[str]:
        return frozenset().union(*(layer.selected for layer in self.layers()))

    @property
    def all_suppressions(self) -> tuple[ConfigSuppression, ...]:
        return tuple(s for layer in self.layers() for s in layer.suppressions)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _absolute(root: str, path: str) -> str:
    return os.path.normpath(os.path.join(root, path)) if path else root


@dataclass(frozen=True, slots=True)
class CliOverrides:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    inline_suppressions: bool = True
    follow_symlinks: bool = False  # follow symlinks that point outside the checked folders


def find_config(start: Path) -> Path | None:
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            if _counts(folder / name):
                return folder / name
    return None


def _has_tool_table(path: Path) -> bool:
    """Whether a pyproject.toml holds ``tool.agentlint``, decided from the parsed TOML: every
    spelling TOML allows counts (``[tool."agentlint"]``, ``[ tool . agentlint ]``, ``agentlint
    = {...}`` under ``[tool]``), and so does a wrong value there (``agentlint = 5``), which
    ``load_table`` then reports. A file that is not TOML at all (invalid syntax, a non-UTF-8
    byte) counts when it mentions agentlint, so that its error is reported instead of the
    defaults applying silently."""
    try:
        raw = _read_regular(path)
    except OSError:
        return False
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return b"agentlint" in raw
    tool = data.get("tool")
    return isinstance(tool, dict) and "agentlint" in tool


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file (never blocks on a FIFO); OSError otherwise."""
    from agentlint.discover import special_kind

    kind = special_kind(os.stat(path).st_mode)
    if kind is not None:
        raise OSError(f"not a regular file ({kind})")
    return path.read_bytes()


def _decode(raw: bytes, display: str) -> str:
    """UTF-8 text, as TOML requires; a bad byte is a config error at its line and column."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise ConfigError(f"invalid TOML: byte 0x{raw[exc.start]:02x} is not UTF-8 (TOML files are UTF-8)", display, line, column) from None


def load_table(path: Path, display: str) -> tuple[dict[str, Any], str]:
    try:
        raw = _read_regular(path)  # --config FIFO: reading it would block forever
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc}", display) from None
    text = _decode(raw, display)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        raise ConfigError(f"invalid TOML: {str(exc).split(' (at')[0]}", display, line, col) from None
    pyproject = path.name == "pyproject.toml"
    if pyproject:
        tool = data.get("tool", {})
        table = tool.get("agentlint", {}) if isinstance(tool, dict) else {}
    else:
        table = data
    if not isinstance(table, dict):
        line, column = locate_key(text, (), pyproject)
        raise ConfigError(f"[tool.agentlint] must be a table, not {_toml_type(table)}", display, line, column)
    return table, text


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array (write [tool.agentlint], not [[tool.agentlint]])"
    return f"a {type(value).__name__}"


def resolve(
    target: Path,
    cli: CliOverrides = CliOverrides(),
    config_file: Path | None = None,
    isolated: bool = False,
    cwd: Path | None = None,
) -> Settings:
    """The base layer: ``config_file`` (applied to every file), else the closest config above
    ``target``, with the command line on top. Other config files join with ``with_scopes``."""
    cwd = cwd or Path.cwd()
    path = None if isolated else (config_file or find_config(target if target.exists() else cwd))
    return _layer(path, cli, cwd, fixed=isolated or config_file is not None)


def with_scopes(settings: Settings, files: Iterable[str]) -> Settings:
    """``settings`` with a layer for every other config file that is the closest one above one
    of ``files`` (absolute paths). Each config file is read once per run."""
    if settings.fixed or settings.cli is None:
        return settings
    nearest: dict[str, Path | None] = {}

    def closest(folder: str) -> Path | None:
        chain: list[str] = []
        found: Path | None = None
        while folder not in nearest:
            chain.append(folder)
            found = next((c for c in (Path(folder) / n for n in CONFIG_FILES) if _counts(c)), None)
            if found is not None:
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        else:
            found = nearest[folder]
        for seen in chain:
            nearest[seen] = found
        return found

    configs = {closest(os.path.dirname(os.path.abspath(f))) for f in files}
    root = Path(settings.root)
    scopes = [_layer(c, settings.cli, root, False) for c in sorted(c for c in configs if c is not None) if os.path.abspath(c.parent) != settings.folder]
    if not scopes:
        return settings
    scopes.sort(key=lambda scope: (-scope.folder.count(os.sep), scope.folder))
    return replace(settings, scopes=tuple(scopes))


def _counts(candidate: Path) -> bool:
    if not candidate.is_file():
        return False
    return candidate.name != "pyproject.toml" or _has_tool_table(candidate)


def _layer(path: Path | None, cli: CliOverrides, cwd: Path, fixed: bool) -> Settings:
    """The single place where defaults, one config file and the command line are combined."""
    from agentlint.registry import LazyOptions, LazyRules, rule_index

    rules = rule_index()  # metadata only: a rule is imported when its options are first read
    origins: dict[str, str] = {}
    selected = {code for code, rule in rules.items() if rule.enabled_by_default}
    severities = {code: rule.severity for code, rule in rules.items()}
    options = LazyOptions(rules)
    for code in rules:
        origins[f"{code}.enabled"] = "default" if code in selected else "default (off)"
        origins[f"{code}.severity"] = "default"
    fail_on = Severity.WARNING
    exclude: tuple[str, ...] = ()
    overrides: list[Override] = []
    limits = Limits()
    suppressions: tuple[ConfigSuppression, ...] = ()
    display = None
    if path is not None:
        from agentlint.config_schema import apply_file

        display = _display(path, cwd)
        table, text = load_table(path, display)
        applied = apply_file(table, text, display, path.name == "pyproject.toml", LazyRules(rules), selected, severities, options, origins)
        fail_on = applied.fail_on or fail_on
        exclude = applied.exclude
        overrides = applied.overrides
        limits = applied.limits
        suppressions = applied.suppressions
    for code, rule in rules.items():
        if rule.options_from:
            options.forget(code)  # one setting judged by two rules: read from its owner's options
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
        root=os.path.abspath(cwd),
        folder=os.path.abspath(path.parent) if path is not None else "",
        fixed=fixed,
        cli=cli,
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
