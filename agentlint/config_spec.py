"""The shape of ``[tool.agentlint]`` as pydantic models: imported only when a config table
needs more than ``config_schema``'s plain reading (rule options, overrides, suppressions, or a
value to report as wrong), and to publish its JSON Schema."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

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
