"""OpenAI Codex CLI configuration (TOML): ``[mcp_servers.<name>]`` tables -> ToolServer.

Codex reads ``~/.codex/config.toml`` and, in a trusted project, ``.codex/config.toml``; repos
also commit copies under other names, so any ``.toml`` file with an ``mcp_servers`` table is
read too. Field names and defaults follow Codex's own ``RawMcpServerConfig`` (codex-rs config
``mcp_types.rs``) and ``mcp_connection_manager.rs`` (startup 10 s, tool call 60 s):

- stdio: ``command``, ``args``, ``env`` (table), ``env_vars``, ``cwd``;
- streamable HTTP: ``url``, ``bearer_token_env_var``, ``http_headers``, ``env_http_headers``
  (header -> name of an environment variable);
- both: ``startup_timeout_sec`` (or legacy ``startup_timeout_ms``), ``tool_timeout_sec``,
  ``enabled``, ``required``, ``enabled_tools``, ``disabled_tools``.

Headers: ``http_headers`` are kept as written. Headers whose value Codex takes from the
environment are rendered as placeholders so that rules see no literal secret: an
``env_http_headers`` entry ``X-Key = "VAR"`` becomes ``X-Key: ${VAR}``, and
``bearer_token_env_var = "VAR"`` becomes ``Authorization: Bearer ${VAR}`` (located at that key
and its value). A literal ``bearer_token`` (old releases) becomes ``Authorization: Bearer <it>``.
"""

from __future__ import annotations

import re
from typing import Any

from agentlint.adapters._mcp_common import launch, settings, text, texts
from agentlint.adapters.base import Adapted, Adapter, field_spans, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import Pointer
from agentlint.model.tools import Setting, TimeoutSetting, ToolServer, Transport

_PATH = re.compile(r"(^|/)\.codex/config\.toml$")
# A top-level ``[mcp_servers.x]`` / ``[mcp_servers]`` header or ``mcp_servers.x.command = ...``.
_CONTENT = re.compile(r"""^[ \t]*(?:\[[ \t]*["']?mcp_servers["']?[ \t]*[.\]]|["']?mcp_servers["']?[ \t]*[.=])""", re.M)

TOOL_TIMEOUT = ("tool_timeout_sec", 60.0)  # Codex DEFAULT_TOOL_TIMEOUT
STARTUP_TIMEOUT = ("startup_timeout_sec", 10.0)  # Codex DEFAULT_STARTUP_TIMEOUT


def claims(path: str, text_: str) -> bool:
    if not path.lower().endswith(".toml"):
        return False
    return _PATH.search(path) is not None or _CONTENT.search(text_) is not None


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        if isinstance(doc.data, dict) and "mcp_servers" in doc.data:
            _adapt_doc(doc, out)
    return out


def _adapt_doc(doc: LocatedDoc, out: Adapted) -> None:
    servers = doc.data["mcp_servers"]
    if not isinstance(servers, dict):
        out.problems.append(shape_problem(doc, ("mcp_servers",), "'mcp_servers' must be a table of servers by name"))
        return
    for name, entry in servers.items():
        pointer: Pointer = ("mcp_servers", name)
        if not isinstance(entry, dict):
            out.problems.append(shape_problem(doc, pointer, f"server '{name}' must be a table", key=True))
            continue
        problems = _problems(doc, pointer, name, entry)
        if problems:
            out.problems.extend(problems)
            continue
        out.entities.append(_server(doc, pointer, name, entry))


def _problems(doc: LocatedDoc, pointer: Pointer, name: str, entry: dict[str, Any]) -> list:
    """What makes Codex refuse this server (it then fails to load the whole config)."""
    out = []
    has_command, has_url = "command" in entry, "url" in entry
    if not has_command and not has_url:
        out.append(shape_problem(doc, pointer, f"server '{name}' has neither 'command' nor 'url': Codex cannot start it", key=True))
    elif has_command and has_url:
        out.append(shape_problem(doc, pointer + ("url",), f"server '{name}' sets both 'command' and 'url': Codex rejects it", key=True))
    for key in ("command", "url"):
        if key in entry and not isinstance(entry[key], str):
            out.append(shape_problem(doc, pointer + (key,), f"'{key}' of server '{name}' must be a string"))
    for key in ("tool_timeout_sec", "startup_timeout_sec", "startup_timeout_ms"):
        if key in entry and _seconds(entry[key]) is None:
            big = isinstance(entry[key], int) and not isinstance(entry[key], bool)
            out.append(shape_problem(doc, pointer + (key,), f"'{key}' of server '{name}' must be a number" + (" that fits in 64 bits (TOML integers do)" if big else "")))
    for key in ("args", "enabled_tools", "disabled_tools", "env_vars"):
        if key in entry and not isinstance(entry[key], list):
            out.append(shape_problem(doc, pointer + (key,), f"'{key}' of server '{name}' must be an array of strings"))
    for key in ("env", "http_headers", "env_http_headers"):
        if key in entry and not isinstance(entry[key], dict):
            out.append(shape_problem(doc, pointer + (key,), f"'{key}' of server '{name}' must be a table"))
    if "enabled" in entry and not isinstance(entry["enabled"], bool):
        out.append(shape_problem(doc, pointer + ("enabled",), f"'enabled' of server '{name}' must be true or false"))
    return out


# TOML integers are 64-bit signed: a longer one makes Codex's TOML parser reject the file
_TOML_INTEGERS = range(-(2**63), 2**63)


def _seconds(value: Any) -> float | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value) if value in _TOML_INTEGERS else None
    if isinstance(value, float):
        return value
    return None


def _timeout(doc: LocatedDoc, pointer: Pointer, entry: dict[str, Any], field: str, default: float) -> TimeoutSetting:
    return TimeoutSetting(field, _seconds(entry.get(field)), default, doc.source_map.value(pointer + (field,)))


def _startup(doc: LocatedDoc, pointer: Pointer, entry: dict[str, Any]) -> TimeoutSetting:
    field, default = STARTUP_TIMEOUT
    if field not in entry and "startup_timeout_ms" in entry:  # the legacy key, in milliseconds
        ms = _seconds(entry["startup_timeout_ms"])
        span = doc.source_map.value(pointer + ("startup_timeout_ms",))
        return TimeoutSetting("startup_timeout_ms", None if ms is None else ms / 1000, default, span)
    return _timeout(doc, pointer, entry, field, default)


def _headers(doc: LocatedDoc, pointer: Pointer, entry: dict[str, Any]) -> tuple[Setting, ...]:
    smap = doc.source_map
    out = list(settings(doc, pointer + ("http_headers",), entry.get("http_headers")))
    from_env = entry.get("env_http_headers")
    if isinstance(from_env, dict):
        for header, variable in from_env.items():
            child = pointer + ("env_http_headers", header)
            out.append(
                Setting(
                    name=str(header),
                    value=f"${{{variable}}}" if isinstance(variable, str) else None,
                    name_span=smap.locate(child),
                    value_span=smap.value(child) or smap.locate(child),
                    ref=doc.ref(child),
                )
            )
    for key in ("bearer_token_env_var", "bearer_token"):
        value = entry.get(key)
        if isinstance(value, str):
            child = pointer + (key,)
            rendered = f"Bearer ${{{value}}}" if key == "bearer_token_env_var" else f"Bearer {value}"
            out.append(
                Setting("Authorization", rendered, smap.locate(child), smap.value(child) or smap.locate(child), doc.ref(child))
            )
    return tuple(out)


def _server(doc: LocatedDoc, pointer: Pointer, name: str, entry: dict[str, Any]) -> ToolServer:
    smap = doc.source_map
    extra: list[tuple[str, Any]] = [("startup_timeout", _startup(doc, pointer, entry))]
    for key in ("enabled_tools", "disabled_tools", "env_vars"):
        if key in entry:
            extra.append((key, texts(doc, pointer + (key,), entry[key])))
    for key in ("cwd", "bearer_token_env_var", "default_tools_approval_mode"):
        located = text(doc, pointer + (key,), entry.get(key))
        if located is not None:
            extra.append((key, located))
    if isinstance(entry.get("required"), bool):
        extra.append(("required", entry["required"]))
    started = launch(doc, pointer, entry)
    field, default = TOOL_TIMEOUT
    return ToolServer(
        ref=doc.ref(pointer),
        span=smap.locate(pointer),
        fields=field_spans(doc, pointer, [k for k in entry if isinstance(k, str)]),
        name=str(name),
        dialect="codex",
        config="client",
        transport=Transport.STDIO if started is not None else Transport.HTTP,
        launch=started,
        url=text(doc, pointer + ("url",), entry.get("url")),
        env=settings(doc, pointer + ("env",), entry.get("env")),
        headers=_headers(doc, pointer, entry),
        timeout=_timeout(doc, pointer, entry, field, default),
        disabled=entry.get("enabled") is False,
        extra=tuple(extra),
    )


ADAPTER = Adapter("mcp-codex", frozenset({Syntax.TOML}), claims, adapt)
