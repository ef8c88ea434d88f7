"""Applying ``[tool.agentlint]`` to a layer's settings. A table of plain keys with valid
values (select, ignore, severity, exclude …: what most projects write) is read here directly;
any other table is validated by the pydantic models of ``config_spec`` (imported then: ~100 ms),
which also word every error. Imports ``config_parts`` only, never ``config``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentlint.config_parts import ConfigError, ConfigSuppression, Override, locate_key
from agentlint.findings import Location, Severity, SuppressionKind
from agentlint.model.source import Span
from agentlint.loaders.base import Limits

_LEVELS = ("error", "warning", "info")
_LISTS = ("select", "extend-select", "ignore", "exclude")


@dataclass(frozen=True, slots=True)
class _Plain:
    """What ``apply_file`` reads of a ``ConfigSpec``, for a table with plain keys only."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    exclude: list[str] = field(default_factory=list)
    max_file_size: int = 10 * 1024 * 1024
    max_depth: int = 200
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    overrides: tuple[Any, ...] = ()
    rules: dict[str, Any] = field(default_factory=dict)
    suppress: tuple[Any, ...] = ()


def _strings(value: Any) -> bool:
    return type(value) is list and all(type(item) is str for item in value)


def _plain(table: dict[str, Any]) -> _Plain | None:
    """The table as ``ConfigSpec`` (strict) reads it, when every key is one of the plain ones and
    every value is valid; None otherwise (pydantic decides, and words the error)."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in _LISTS:
            ok = _strings(value)
        elif key == "fail-on":
            ok = type(value) is str and value in _LEVELS
        elif key == "max-file-size":
            ok = type(value) is int and 1 <= value <= 2**30
        elif key == "max-depth":
            ok = type(value) is int and 8 <= value <= 10_000
        elif key == "severity":
            ok = type(value) is dict and all(type(k) is str and type(v) is str and v in _LEVELS for k, v in value.items())
        elif key == "per-file-ignores":
            ok = type(value) is dict and all(type(k) is str and _strings(v) for k, v in value.items())
        else:
            return None
        if not ok:
            return None
        values[key.replace("-", "_")] = value
    return _Plain(**values)


@dataclass(frozen=True, slots=True)
class Applied:
    fail_on: Severity | None
    exclude: tuple[str, ...]
    overrides: list[Override]
    limits: Limits
    suppressions: tuple[ConfigSuppression, ...]


def apply_file(
    table: dict[str, Any],
    text: str,
    display: str,
    pyproject: bool,
    rules: dict[str, Any],
    selected: set[str],
    severities: dict[str, Severity],
    options: dict[str, Any],
    origins: dict[str, str],
) -> Applied:
    from agentlint.registry import by_selector

    def fail(message: str, keys: tuple[str | int, ...]) -> ConfigError:
        line, column = locate_key(text, keys, pyproject)
        return ConfigError(message, display, line, column)

    def where(keys: tuple[str | int, ...]) -> str:
        return f"{display}:{locate_key(text, keys, pyproject)[0]}"

    spec: Any = _plain(table)
    if spec is None:
        from pydantic import ValidationError

        from agentlint.config_spec import ConfigSpec

        try:
            spec = ConfigSpec.model_validate(table)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            loc = tuple(error["loc"])
            if error["type"] == "extra_forbidden":
                raise fail(f"unknown key '{loc[-1]}' in [tool.agentlint{''.join('.' + str(p) for p in loc[:-1])}]", loc) from None
            raise fail(f"{'.'.join(map(str, loc))}: {error['msg']}", loc) from None

    def codes(selector: str, keys: tuple[str | int, ...]) -> list[str]:
        found = by_selector(selector)
        if not found:
            raise fail(f"unknown rule selector '{selector}'", keys)
        return found

    if spec.select is not None:
        selected.clear()
        for selector in spec.select:
            selected.update(codes(selector, ("select",)))
        for code in rules:
            origins[f"{code}.enabled"] = f"{where(('select',))} (select)"
    for selector in spec.extend_select:
        for code in codes(selector, ("extend-select",)):
            selected.add(code)
            origins[f"{code}.enabled"] = f"{where(('extend-select',))} (extend-select)"
    for selector in spec.ignore:
        for code in codes(selector, ("ignore",)):
            selected.discard(code)
            origins[f"{code}.enabled"] = f"{where(('ignore',))} (ignore)"
    for selector, level in spec.severity.items():
        for code in codes(selector, ("severity", selector)):
            severities[code] = Severity(level)
            origins[f"{code}.severity"] = where(("severity", selector))
    for selector, raw in spec.rules.items():
        from pydantic import ValidationError

        from agentlint.options import validate

        for code in codes(selector, ("rules", selector)):
            try:
                options[code] = validate(rules[code].Options, raw)
            except ValidationError as exc:
                error = exc.errors(include_url=False)[0]
                loc = ("rules", selector, *error["loc"])
                if error["type"] == "extra_forbidden":
                    raise fail(f"unknown option '{error['loc'][-1]}' for {code} ({rules[code].name})", loc) from None
                raise fail(f"option {'.'.join(map(str, error['loc']))} of {code}: {error['msg']}", loc) from None
            for name in raw:
                origins[f"{code}.option.{name}"] = where(("rules", selector, name))
    overrides = []
    for pattern, selectors in spec.per_file_ignores.items():
        ignored = {c for s in selectors for c in codes(s, ("per-file-ignores", pattern))}
        overrides.append(Override((pattern,), frozenset(ignored), (), where(("per-file-ignores", pattern))))
    for index, item in enumerate(spec.overrides):
        ignored = {c for s in item.ignore for c in codes(s, ("overrides", index, "ignore"))}
        levels = tuple((c, Severity(level)) for s, level in item.severity.items() for c in codes(s, ("overrides", index, "severity")))
        overrides.append(Override(tuple(item.files), frozenset(ignored), levels, where(("overrides",))))
    if spec.fail_on:
        origins["fail-on"] = where(("fail-on",))
    suppressions = []
    base = Path(display).parent
    for index, item in enumerate(spec.suppress):
        for code in item.codes:
            if not codes(code, ("suppress", index, "ignore")) or len(code) != 5:
                raise fail(f"suppress: '{code}' is not a rule code", ("suppress",))
        line = _nth_table_line(text, "suppress", index, pyproject)
        suppressions.append(
            ConfigSuppression(
                path=(base / item.path).as_posix().removeprefix("./"),
                pointer=item.pointer,
                codes=tuple(c.upper() for c in item.codes),
                kind=SuppressionKind(item.kind),
                reason=item.reason,
                origin=Location(display, Span.point(line)),
            )
        )
    return Applied(
        fail_on=Severity(spec.fail_on) if spec.fail_on else None,
        exclude=tuple(spec.exclude),
        overrides=overrides,
        limits=Limits(max_file_bytes=spec.max_file_size, max_depth=spec.max_depth),
        suppressions=tuple(suppressions),
    )


def _nth_table_line(text: str, name: str, index: int, pyproject: bool) -> int:
    """Line of the index-th ``[[suppress]]`` header (array of tables), else of the key."""
    header = f"[[tool.agentlint.{name}]]" if pyproject else f"[[{name}]]"
    lines = [n for n, raw in enumerate(text.splitlines(), start=1) if raw.strip().replace(" ", "") == header]
    if index < len(lines):
        return lines[index]
    return locate_key(text, (name,), pyproject)[0]


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of ``agentlint.toml`` and of ``[tool.agentlint]`` in
    pyproject.toml (``schemas/agentlint-config.schema.json``), generated from ``ConfigSpec``."""
    from agentlint.config_spec import ConfigSpec

    schema = ConfigSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://agentlint.dev/schemas/agentlint-config.schema.json"
    schema["title"] = "agentlint configuration (agentlint.toml, or [tool.agentlint] in pyproject.toml)"
    return schema
