"""The shape of ``[tool.agentlint]`` (pydantic; imported only when a config file exists, or
to publish its JSON Schema). Imports ``config_parts`` only, never ``config``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pathlib import Path

from agentlint.config_parts import ConfigError, ConfigSuppression, Override, locate_key
from agentlint.findings import Location, Severity, SuppressionKind
from agentlint.model.source import Span
from agentlint.loaders.base import Limits

Level = Literal["error", "warning", "info"]


class _Strict(BaseModel):
    # strict: "50" or true for max-depth, 1e20 for max-file-size are errors, not coerced
    model_config = ConfigDict(extra="forbid", strict=True)


class OverrideSpec(_Strict):
    files: list[str] = Field(min_length=1, description="Glob patterns of paths relative to this config file's folder.")
    ignore: list[str] = Field(default_factory=list, description="Rule selectors to turn off for these files.")
    severity: dict[str, Level] = Field(default_factory=dict, description="Rule selector -> severity.")


class SuppressSpec(_Strict):
    path: str = Field(description="File, relative to the config file's directory.")
    pointer: str = Field("", pattern=r"^(/.*)?$", description="JSON Pointer of the node, e.g. /agents/auditor.")
    codes: list[str] = Field(alias="ignore", min_length=1, description="Rule codes to suppress there.")
    kind: Literal["ignore", "todo"] = "ignore"
    reason: str = Field(min_length=1, description="Why: shown in reports as the evidence.")


class ConfigSpec(_Strict):
    select: Optional[list[str]] = Field(None, description="Rules to run (replaces the default set).")
    extend_select: list[str] = Field(default_factory=list, alias="extend-select", description="Rules to run in addition to the selected ones.")
    ignore: list[str] = Field(default_factory=list, description="Rules not to run.")
    fail_on: Optional[Level] = Field(None, alias="fail-on", description="Lowest severity that fails the run.")
    exclude: list[str] = Field(default_factory=list, description="Glob patterns of paths to skip (matched against the path relative to this file's folder and each of its parts).")
    max_file_size: int = Field(10 * 1024 * 1024, alias="max-file-size", ge=1, le=2**30, description="Files larger than this many bytes are reported (AL003), not read (at most 1 GiB: a file is read whole into memory).")
    max_depth: int = Field(200, alias="max-depth", ge=8, le=10_000, description="Deepest nesting of a document read before it is reported (AL003).")
    severity: dict[str, Level] = Field(default_factory=dict, description="Rule selector -> severity.")
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores", description="Glob (relative to this file's folder) -> rule selectors not reported there.")
    overrides: list[OverrideSpec] = Field(default_factory=list, description="Per-path ignores and severities.")
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict, description="Rule selector -> options.")
    suppress: list[SuppressSpec] = Field(default_factory=list, description="Suppressions for files without comments.")


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
    from agentlint.options import validate
    from agentlint.registry import by_selector

    def fail(message: str, keys: tuple[str | int, ...]) -> ConfigError:
        line, column = locate_key(text, keys, pyproject)
        return ConfigError(message, display, line, column)

    def where(keys: tuple[str | int, ...]) -> str:
        return f"{display}:{locate_key(text, keys, pyproject)[0]}"

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
    schema = ConfigSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://agentlint.dev/schemas/agentlint-config.schema.json"
    schema["title"] = "agentlint configuration (agentlint.toml, or [tool.agentlint] in pyproject.toml)"
    return schema
