"""MCP client configuration files: VS Code, Cursor, Claude Desktop, Claude Code (``.mcp.json``),
Gemini CLI, Cline, Roo Code, Windsurf — all JSON/JSONC with a map of servers.

Recognised by path first (the dialect decides field meanings: Gemini's ``timeout`` is in
milliseconds, Cline's in seconds); any other JSON file with a top-level ``mcpServers`` object is
read as a generic client config. Field names and defaults: FORMATS.md §4.4.
"""

from __future__ import annotations

import re
from typing import Any

from agentlint.adapters._mcp_common import launch, settings, text, texts
from agentlint.adapters.base import Adapted, Adapter, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import Pointer
from agentlint.model.tools import TimeoutSetting, ToolServer, Transport

# (path pattern, dialect, top-level key); first match wins. Paths are POSIX, repo-relative.
_PATHS = (
    (re.compile(r"(^|/)\.vscode/mcp\.json$"), "vscode", "servers"),
    (re.compile(r"(^|/)\.cursor/mcp\.json$"), "cursor", "mcpServers"),
    (re.compile(r"(^|/)claude_desktop_config\.json$"), "claude-desktop", "mcpServers"),
    (re.compile(r"(^|/)\.mcp\.json$"), "claude-code", "mcpServers"),
    (re.compile(r"(^|/)\.gemini/settings\.json$"), "gemini", "mcpServers"),
    (re.compile(r"(^|/)cline_mcp_settings\.json$"), "cline", "mcpServers"),
    (re.compile(r"(^|/)\.roo/mcp\.json$|(^|/)mcp_settings\.json$"), "roo", "mcpServers"),
    (re.compile(r"(^|/)\.codeium/windsurf/mcp_config\.json$|(^|/)mcp_config\.json$"), "windsurf", "mcpServers"),
    (re.compile(r"(^|/)mcp\.json$"), "mcp", None),
)
_CONTENT = re.compile(r'"mcpServers"\s*:\s*\{')

# Timeout fields of the dialects that have one: (key, unit in seconds, default in seconds).
_TIMEOUTS = {"gemini": ("timeout", 0.001, 600.0), "cline": ("timeout", 1.0, 60.0), "roo": ("timeout", 1.0, 60.0)}
_URL_KEYS = {"windsurf": ("serverUrl", "url"), "gemini": ("httpUrl", "url")}


def dialect_of(path: str) -> tuple[str, str | None] | None:
    for pattern, dialect, key in _PATHS:
        if pattern.search(path):
            return dialect, key
    return None


def claims(path: str, text_: str) -> bool:
    if not path.lower().endswith((".json", ".jsonc")):
        return False
    return dialect_of(path) is not None or _CONTENT.search(text_) is not None


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        if isinstance(doc.data, dict):
            _adapt_doc(doc, out)
        elif dialect_of(doc.path) is not None and dialect_of(doc.path)[1] is not None:
            out.problems.append(shape_problem(doc, (), "an MCP client config must be a JSON object"))
    return out


def _adapt_doc(doc: LocatedDoc, out: Adapted) -> None:
    data: dict[str, Any] = doc.data
    known = dialect_of(doc.path)
    dialect, key = known if known else ("mcp", None)
    if key is None:  # generic mcp.json: VS Code user files use "servers", most others "mcpServers"
        key = "mcpServers" if "mcpServers" in data else "servers" if isinstance(data.get("servers"), dict) else None
        if key is None:
            return
    if dialect == "vscode" and "servers" not in data and isinstance(data.get("mcpServers"), dict):
        out.problems.append(
            shape_problem(doc, ("mcpServers",), "VS Code reads 'servers', not 'mcpServers': these servers are ignored", key=True)
        )
        return
    if dialect != "vscode" and known and "mcpServers" not in data and isinstance(data.get("servers"), dict):
        out.problems.append(
            shape_problem(doc, ("servers",), f"{dialect} reads 'mcpServers', not 'servers': these servers are ignored", key=True)
        )
        return
    servers = data.get(key)
    if servers is None:
        return
    if not isinstance(servers, dict):
        out.problems.append(shape_problem(doc, (key,), f"'{key}' must be an object of servers by name"))
        return
    for name, entry in servers.items():
        pointer: Pointer = (key, name)
        if not isinstance(entry, dict):
            if not str(name).startswith(("_", "$")):  # "_comment": "..." entries are notes
                out.problems.append(shape_problem(doc, pointer, f"server '{name}' must be an object"))
            continue
        server = _server(doc, dialect, pointer, str(name), entry)
        if server is None:
            out.problems.append(
                shape_problem(doc, pointer, f"server '{name}' has neither 'command' nor a URL: no client can start it", key=True)
            )
        else:
            out.entities.append(server)


def _transport(dialect: str, entry: dict[str, Any], url_key: str | None) -> Transport | None:
    declared = entry.get("type", entry.get("transportType", entry.get("transport")))
    if isinstance(declared, str):
        lowered = declared.lower().replace("_", "-")
        if lowered == "stdio":
            return Transport.STDIO
        if lowered == "sse":
            return Transport.SSE
        if lowered in ("http", "streamable-http", "streamablehttp"):
            return Transport.HTTP
    if "command" in entry:
        return Transport.STDIO
    if url_key is not None:
        return Transport.SSE if dialect == "gemini" and url_key == "url" else Transport.HTTP
    return None


def _server(doc: LocatedDoc, dialect: str, pointer: Pointer, name: str, entry: dict[str, Any]) -> ToolServer | None:
    smap = doc.source_map
    url_keys = _URL_KEYS.get(dialect, ("url", "httpUrl", "serverUrl"))
    url_key = next((k for k in url_keys + ("url", "httpUrl", "serverUrl") if isinstance(entry.get(k), str)), None)
    started = launch(doc, pointer, entry)
    if started is None and url_key is None:
        return None
    timeout = None
    if dialect in _TIMEOUTS:
        field, unit, default = _TIMEOUTS[dialect]
        raw = entry.get(field)
        seconds = raw * unit if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None
        timeout = TimeoutSetting(field, seconds, default, smap.value(pointer + (field,)))
    approve_key = next((k for k in ("autoApprove", "alwaysAllow") if k in entry), None)
    trusted = None
    if entry.get("trust") is True:
        trusted = text(doc, pointer + ("trust",), "true")
    return ToolServer(
        ref=doc.ref(pointer),
        span=smap.key(pointer) or smap.locate(pointer),
        fields=tuple((k, smap.value(pointer + (k,)) or smap.locate(pointer)) for k in entry if isinstance(k, str)),
        name=name,
        dialect=dialect,
        config="client",
        transport=_transport(dialect, entry, url_key),
        launch=started,
        url=text(doc, pointer + (url_key,), entry[url_key]) if url_key else None,
        env=settings(doc, pointer + ("env",), entry.get("env")),
        headers=settings(doc, pointer + ("headers",), entry.get("headers")),
        timeout=timeout,
        auto_approve=texts(doc, pointer + (approve_key,), entry.get(approve_key)) if approve_key else (),
        trusted=trusted,
        disabled=entry.get("disabled") is True,
    )


ADAPTER = Adapter("mcp-client", frozenset({Syntax.JSON}), claims, adapt)
