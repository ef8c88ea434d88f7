"""MCP tools/list results and Tool JSON: every shape seen in the wild, with exact tool entities
and spans (1-based lines and columns); look-alike files that are not MCP tools produce nothing.
The last tests run the whole engine over the corpus copy with real paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint import api
from agentlint.adapters import mcp_tools_list
from agentlint.adapters.base import Adapted
from agentlint.config import CliOverrides
from agentlint.engine import load
from agentlint.loaders.base import Syntax
from agentlint.model.source import Pos, Span
from agentlint.model.tools import Tool

ADAPTER = mcp_tools_list.ADAPTER
REAL_CORPUS = Path("/tmp/mcpcorpus")


def adapt(path: str, text: str) -> Adapted:
    assert ADAPTER.claims(path, text), f"should claim {path}"
    settings = api.settings_for(["."], CliOverrides(), isolated=True, root=Path("."))
    loaded = load(path, text, Syntax.JSON, settings)
    assert loaded.problems == []
    adapted = ADAPTER.adapt(loaded)
    assert adapted.problems == [] and adapted.parts == []
    return adapted


def tools(adapted: Adapted) -> list[Tool]:
    assert all(isinstance(e, Tool) for e in adapted.entities)
    return list(adapted.entities)


def at(line: int, column: int, end_column: int) -> Span:
    return Span(Pos(line, column), Pos(line, end_column))


LIST_RESULT = """{
  "resultType": "complete",
  "tools": [
    {
      "name": "get_weather",
      "title": "Weather Information Provider",
      "description": "Get current weather information for a location",
      "inputSchema": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]},
      "outputSchema": {"type": "object", "properties": {"temperature": {"type": "number"}}},
      "annotations": {"readOnlyHint": true, "openWorldHint": true}
    },
    {"name": "set_alarm", "inputSchema": {"type": "object"}, "outputSchema": null, "annotations": null}
  ],
  "nextCursor": "next-page-cursor",
  "ttlMs": 300000,
  "cacheScope": "public"
}
"""


def test_list_result_with_cursor_and_ttl() -> None:
    first, second = tools(adapt("tools/weather.json", LIST_RESULT))
    assert (first.name, first.server, first.source, first.group) == ("get_weather", None, "tools-list", "tools/weather.json#/tools")
    assert first.span == at(5, 15, 28)
    assert first.title == "Weather Information Provider"
    assert first.description == "Get current weather information for a location"
    assert first.annotations == (("openWorldHint", True), ("readOnlyHint", True))
    assert first.hint("readOnlyHint", False) is True and first.destructive is False
    assert first.ref.pointer == ("tools", 0)
    assert first.input_schema is not None and first.input_schema.base == ("tools", 0, "inputSchema")
    assert first.input_schema.data["required"] == ["location"]
    assert first.input_schema.locate(("required", 0)).span == at(8, 102, 112)
    assert first.output_schema is not None and first.output_schema.base == ("tools", 0, "outputSchema")
    assert first.span_of("description") == at(7, 22, 70)
    assert first.span_of("inputSchema") == at(8, 7, 20)  # a mapping: its key
    # null optional fields are how SDKs serialise "absent"
    assert (second.name, second.span, second.output_schema, second.annotations) == ("set_alarm", at(12, 14, 25), None, None)
    assert second.destructive is True


def test_bare_array() -> None:
    text = '[\n  {"name": "echo", "inputSchema": {"type": "object"}},\n  {"name": "ping", "inputSchema": {}}\n]\n'
    echo, ping = tools(adapt("echo-tools.json", text))
    assert [(t.name, t.span, t.ref.pointer, t.group, t.source) for t in (echo, ping)] == [
        ("echo", at(2, 12, 18), (0,), "echo-tools.json#", "tools-list"),
        ("ping", at(3, 12, 18), (1,), "echo-tools.json#", "tools-list"),
    ]
    assert ping.input_schema is not None and ping.input_schema.data == {}


def test_json_rpc_envelope() -> None:
    text = (
        '{"jsonrpc": "2.0", "id": 2, "result": {\n'
        '  "tools": [{"name": "read_file", "description": "Read a file", "inputSchema": {"type": "object"}}],\n'
        '  "nextCursor": null\n}}\n'
    )
    (tool,) = tools(adapt("recordings/tools-list.json", text))
    assert (tool.name, tool.span, tool.ref.pointer) == ("read_file", at(2, 22, 33), ("result", "tools", 0))
    assert tool.group == "recordings/tools-list.json#/result/tools"
    assert tool.input_schema is not None and tool.input_schema.base == ("result", "tools", 0, "inputSchema")


def test_snapshot_wrapper_names_the_server() -> None:
    text = """{
  "format": "mcp-tools-snapshot",
  "formatVersion": 1,
  "server": {"name": "ce-analyzer-mcp", "version": "0.2.1"},
  "tools": [
    {"name": "search_compilers", "inputSchema": {"type": "object"}, "annotations": {"readOnlyHint": true}}
  ]
}
"""
    (tool,) = tools(adapt("mcp-tools.json", text))
    assert (tool.name, tool.server, tool.source, tool.span) == ("search_compilers", "ce-analyzer-mcp", "tools-list", at(6, 14, 32))
    assert tool.annotations == (("readOnlyHint", True),)


@pytest.mark.parametrize(
    ("wrapper", "server"),
    [('"serverInfo": {"name": "github", "version": "1.0"}', "github"), ('"server": "gitlab"', "gitlab"), ('"server": 7', None)],
)
def test_other_wrappers_naming_the_server(wrapper: str, server: str | None) -> None:
    text = '{' + wrapper + ', "tools": [{"name": "create_issue", "inputSchema": {"type": "object"}}]}\n'
    (tool,) = tools(adapt("snapshot.json", text))
    assert (tool.name, tool.server) == ("create_issue", server)


def test_single_tool_with_draft_07_schema() -> None:
    text = """{
  "name": "calculate_sum",
  "description": "Add two numbers",
  "inputSchema": {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
    "required": ["a", "b"]
  }
}
"""
    (tool,) = tools(adapt("Tool/with-explicit-draft-07-input-schema.json", text))
    assert (tool.name, tool.source, tool.server, tool.span, tool.ref.pointer) == ("calculate_sum", "tool", None, at(2, 11, 26), ())
    assert tool.group == "Tool/with-explicit-draft-07-input-schema.json#"
    assert tool.input_schema is not None and tool.input_schema.base == ("inputSchema",)
    assert tool.output_schema is None and tool.annotations is None


def test_null_input_schema_is_kept_for_the_contract_rules() -> None:
    (tool,) = tools(adapt("t.json", '{"tools": [{"name": "x", "inputSchema": null}]}\n'))
    assert tool.input_schema is not None and tool.input_schema.data is None


@pytest.mark.parametrize(
    ("path", "text"),
    [
        pytest.param(
            "servers/database-server/tools.json",
            '[{"name": "query_database", "description": "Run SQL", "arguments": [{"name": "query", "type": "string"}]}]\n',
            id="docker-catalog-tools-json",
        ),
        pytest.param(
            "mcp-tools.json",
            '{"name": "aiken-devtools-mcp", "tools": [{"name": "aiken_build", "safety": "safe", "category": "project"}]}\n',
            id="vendor-catalog-without-inputSchema",
        ),
        pytest.param(
            "tools_list.json",
            '{{ define "props" }}\n{"type": "object"}\n{{ end }}\n{"tools": [{"name": "listApps", "inputSchema": {{ template "props" }}}]}\n',
            id="go-template",
        ),
        pytest.param("tools.yaml", 'tools:\n  - {name: a, "inputSchema": {type: object}}\n', id="not-json"),
    ],
)
def test_look_alikes_are_not_claimed(path: str, text: str) -> None:
    assert not ADAPTER.claims(path, text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"$defs": {"Tool": {"required": ["inputSchema", "name"]}}}\n', id="a-json-schema-about-tools"),
        pytest.param('{"tools": [{"name": "a", "inputSchema": {}}, {"name": "b", "parameters": {}}]}\n', id="not-every-item-a-tool"),
        pytest.param('[{"name": 3, "inputSchema": {}}]\n', id="name-not-a-string"),
        pytest.param('{"tools": "inputSchema"}\n', id="tools-not-a-list"),
        pytest.param('[{"jsonrpc": "2.0", "method": "tools/list"}, {"inputSchema": {}}]\n', id="a-message-log"),
    ],
)
def test_claimed_look_alikes_produce_nothing(text: str) -> None:
    assert adapt("tools.json", text).entities == []


def test_go_template_is_not_reported_as_broken_json(tmp_path: Path) -> None:
    (tmp_path / "tools_list.json").write_text('{{ define "x" }}\n{"inputSchema": {}}\n{{ end }}\n', encoding="utf-8")
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert [(f.code, f.path) for f in result.findings] == []


# -- the real files, with their real paths ----------------------------------------------

SWEEP = ("mcp-tools-list", "mcp-docker-catalog")


@pytest.mark.skipif(not all((REAL_CORPUS / d).is_dir() for d in SWEEP), reason="corpus copy with real paths not present")
def test_corpus_sweep() -> None:
    settings = api.settings_for(list(SWEEP), CliOverrides(select=("ALL",)), isolated=True, root=REAL_CORPUS)
    result = api.check(list(SWEEP), settings, root=REAL_CORPUS)
    assert not result.internal_error
    assert [f for f in result.findings if f.code.startswith("AL9")] == []
    # Every MCP tool file is valid: no contract, identity or injection finding.
    assert [(f.code, f.path, f.line) for f in result.findings if f.code.startswith("AL21")] == []


@pytest.mark.skipif(not (REAL_CORPUS / "mcp-tools-list").is_dir(), reason="corpus copy with real paths not present")
def test_corpus_tools_are_read() -> None:
    found: dict[str, list[tuple[str, str | None, str]]] = {}
    for path in sorted((REAL_CORPUS / "mcp-tools-list").rglob("*.json")):
        rel = path.relative_to(REAL_CORPUS).as_posix()
        text = path.read_text(encoding="utf-8")
        if ADAPTER.claims(rel, text):
            found[rel] = [(t.name, t.server, t.source) for t in tools(adapt(rel, text))]
    base = "mcp-tools-list/modelcontextprotocol/modelcontextprotocol/schema/2026-07-28/examples/"
    assert found[base + "ListToolsResult/tools-list-with-cursor-and-ttl.json"] == [("get_weather", None, "tools-list")]
    assert found[base + "Tool/with-explicit-draft-07-input-schema.json"] == [("calculate_sum", None, "tool")]
    compiler = found["mcp-tools-list/Malkovsky/compiler-explorer-mcp/mcp-tools.json"]
    assert len(compiler) == 9 and {server for _, server, _ in compiler} == {"ce-analyzer-mcp"}
    assert compiler[0] == ("search_compilers", "ce-analyzer-mcp", "tools-list")
    # the kintone file is a Go template and the Aiken catalog has no inputSchema: not MCP tools
    assert set(found) == {
        base + "ListToolsResult/tools-list-with-cursor-and-ttl.json",
        base + "Tool/with-explicit-draft-07-input-schema.json",
        "mcp-tools-list/Malkovsky/compiler-explorer-mcp/mcp-tools.json",
    }
