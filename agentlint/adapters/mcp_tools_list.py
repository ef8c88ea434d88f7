"""MCP ``tools/list`` results and single Tool definitions (JSON), in the shapes seen in the wild:

- ``{"tools": [...], "nextCursor"?, "ttlMs"?, "cacheScope"?, "resultType"?}``: a ListToolsResult;
- ``[...]``: a bare array of tools;
- ``{"jsonrpc": "2.0", "id": 1, "result": {"tools": [...]}}``: the JSON-RPC response as recorded;
- ``{"format": "mcp-tools-snapshot", "server": {"name": ...}, "tools": [...]}``: snapshot
  wrappers, which name the server the tools belong to;
- ``{"name": ..., "inputSchema": {...}}``: one Tool.

Files that only look alike (Docker catalog ``tools.json`` with ``arguments``, vendor catalogs
without ``inputSchema``, Go templates of a tools list) are not MCP tools and are skipped
silently: every listed tool must be an object with a string ``name`` and an ``inputSchema``.
Field facts: FORMATS.md §4.1-4.2.
"""

from __future__ import annotations

from typing import Any

from agentlint.adapters._mcp_common import schema
from agentlint.adapters.base import Adapted, Adapter, field_spans
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.source import Pointer
from agentlint.model.tools import Schema, Tool


def claims(path: str, text: str) -> bool:
    if not path.lower().endswith((".json", ".jsonc")) or '"inputSchema"' not in text:
        return False
    start = text.lstrip()[:2]
    # "{{" opens a Go/Jinja template that renders to JSON: not JSON itself.
    return start[:1] in ("{", "[") and start != "{{"


def _is_tool(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("name"), str) and "inputSchema" in value


def _server_name(data: dict[str, Any]) -> str | None:
    """The server a snapshot wrapper names (``server: {name}``, ``serverInfo: {name}`` or
    ``server: "name"``); None when the file does not say."""
    for key in ("server", "serverInfo"):
        value = data.get(key)
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return value["name"]
        if key == "server" and isinstance(value, str):
            return value
    return None


def tool_lists(data: Any) -> tuple[Pointer, list[Any], str | None, str] | None:
    """(pointer of the list, its items, server name, source) for a recognised shape, else None."""
    if isinstance(data, list):
        return ((), data, None, "tools-list") if data and all(_is_tool(t) for t in data) else None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("tools"), list):
        pointer: Pointer = ("tools",)
        items = data["tools"]
    elif isinstance(data.get("result"), dict) and isinstance(data["result"].get("tools"), list):
        pointer, items = ("result", "tools"), data["result"]["tools"]
    elif _is_tool(data):
        return (), [data], None, "tool"
    else:
        return None
    if not items or not all(_is_tool(t) for t in items):
        return None
    return pointer, items, _server_name(data), "tools-list"


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        found = tool_lists(doc.data)
        if found is None:
            continue
        pointer, items, server, source = found
        group = str(doc.ref(pointer))
        if source == "tool":
            out.entities.append(_tool(doc, (), items[0], server, source, group))
            continue
        for index, item in enumerate(items):
            out.entities.append(_tool(doc, pointer + (index,), item, server, source, group))
    return out


def _tool(doc: LocatedDoc, pointer: Pointer, entry: dict[str, Any], server: str | None, source: str, group: str) -> Tool:
    smap = doc.source_map
    name_pointer = pointer + ("name",)
    annotations = entry.get("annotations")
    title = entry.get("title")
    description = entry.get("description")
    return Tool(
        ref=doc.ref(pointer),
        span=smap.value(name_pointer) or smap.locate(name_pointer),
        fields=field_spans(doc, pointer, [k for k in entry if isinstance(k, str)]),
        name=entry["name"],
        server=server,
        source=source,
        title=title if isinstance(title, str) else None,
        description=description if isinstance(description, str) else None,
        # inputSchema is required: even ``null`` is kept, so that the contract rules report it.
        input_schema=Schema(entry["inputSchema"], doc.path, pointer + ("inputSchema",), smap, doc.index),
        # ``"outputSchema": null`` is how several SDKs serialise an absent optional field.
        output_schema=schema(doc, pointer + ("outputSchema",), entry.get("outputSchema")),
        annotations=tuple(sorted(annotations.items())) if isinstance(annotations, dict) else None,
        group=group,
    )


ADAPTER = Adapter("mcp-tools-list", frozenset({Syntax.JSON}), claims, adapt)
