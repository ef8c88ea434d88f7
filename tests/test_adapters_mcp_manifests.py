"""MCP manifest adapters: registry ``server.json``, ``smithery.yaml``, the Docker MCP catalog.

Fixtures are written inline in the shape of the real files in the corpus; every entity is
asserted with its positions (1-based line and column), and look-alike files must not be
claimed. The last tests rebuild the corpus with its real paths and run the whole engine on it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from agentlint import api
from agentlint.adapters import mcp_docker_catalog, mcp_server_json, mcp_smithery
from agentlint.adapters.base import Adapted, Adapter, all_adapters
from agentlint.config import CliOverrides
from agentlint.engine import load, syntax_of
from agentlint.model.source import Pos, Span
from agentlint.model.tools import ExampleConfig, Tool, ToolServer, Transport

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def adapt(adapter: Adapter, path: str, text: str) -> Adapted:
    assert adapter.claims(path, text), f"{adapter.name} should claim {path}"
    syntax = syntax_of(path)
    assert syntax in adapter.syntaxes
    settings = api.settings_for(["."], CliOverrides(), isolated=True, root=Path("."))
    loaded = load(path, text, syntax, settings)
    assert loaded.problems == []
    return adapter.adapt(loaded)


def only(adapted: Adapted, kind: type) -> Any:
    found = [e for e in adapted.entities if isinstance(e, kind)]
    assert len(found) == 1, found
    return found[0]


def at(line: int, column: int, end_column: int, end_line: int | None = None) -> Span:
    return Span(Pos(line, column), Pos(end_line or line, end_column))


def problems(adapted: Adapted) -> list[tuple[str, int, int, str]]:
    return [(v.code, v.location.span.line, v.location.span.column, v.message) for v in adapted.problems]


# -- smithery.yaml ------------------------------------------------------------------------

NMAP = """\
# Smithery configuration file: https://smithery.ai/docs/config#smitheryyaml

startCommand:
  type: stdio
  configSchema:
    # JSON Schema defining the configuration options for the MCP.
    type: object
    properties: {}
  commandFunction:
    # A JS function that produces the CLI command based on the given config to start the MCP on stdio.
    |-
    (config) => ({ command: 'uv', args: ['run', 'main.py'] })
  exampleConfig: {}
"""


def test_smithery_legacy_command_function_literals_at_exact_columns() -> None:
    out = adapt(mcp_smithery.ADAPTER, "tools/NmapMCP/smithery.yaml", NMAP)
    server = only(out, ToolServer)
    assert (server.name, server.dialect, server.config, server.transport) == ("NmapMCP", "smithery", "manifest", Transport.STDIO)
    assert server.span == at(3, 1, 13)
    launch = server.launch
    assert launch is not None
    assert (launch.command.value, launch.command.span) == ("uv", at(12, 29, 33))
    assert [(a.value, a.span) for a in launch.args] == [("run", at(12, 42, 47)), ("main.py", at(12, 49, 58))]
    assert str(launch.args[1].ref) == "tools/NmapMCP/smithery.yaml#/startCommand/commandFunction/args/1"
    schema = server.get("config_schema")
    assert (schema.data, schema.base) == ({"type": "object", "properties": {}}, ("startCommand", "configSchema"))
    example = only(out, ExampleConfig)
    assert (example.data, example.what, example.span, example.schema) == ({}, "exampleConfig", at(13, 3, 16), schema)
    assert server.get("command_function").span.start == Pos(11, 5)
    assert problems(out) == []


SANDBOX = """\
# Smithery.ai configuration
startCommand:
  type: stdio
  configSchema:
    {}
  commandFunction:
      |
        (config) => ({
          "command": "node",
          "args": [
            "build/index.js", config.verbose ? "-v" : "-q",
            `--port=${config.port}`  // a template literal keeps its placeholder
          ],
          "env": {
            "302AI_API_KEY": "YOUR_API_KEY",
            LOG_LEVEL: config.logLevel,
            PORT: 8080,
            ...config.extraEnv
          }
        })
"""


def test_smithery_quoted_keys_env_and_computed_values() -> None:
    server = only(adapt(mcp_smithery.ADAPTER, "302ai/302_sandbox_mcp/smithery.yaml", SANDBOX), ToolServer)
    launch = server.launch
    assert (launch.command.value, launch.command.span) == ("node", at(9, 22, 28))
    # a computed argument keeps its place as a ${expression} placeholder; a template keeps ${...}
    assert [(a.value, a.span) for a in launch.args] == [
        ("build/index.js", at(11, 13, 29)),
        ('${config.verbose ? "-v" : "-q"}', at(11, 31, 59)),
        ("--port=${config.port}", at(12, 13, 36)),
    ]
    env = [(s.name, s.value, s.name_span, s.value_span, s.secret_declared) for s in server.env]
    assert env == [
        ("302AI_API_KEY", "YOUR_API_KEY", at(15, 13, 28), at(15, 30, 44), False),
        ("LOG_LEVEL", "${config.logLevel}", at(16, 13, 22), at(16, 24, 39), False),
        ("PORT", "8080", at(17, 13, 17), at(17, 19, 23), False),
    ]
    assert server.get("config_schema").data == {}
    assert [e for e in adapt(mcp_smithery.ADAPTER, "smithery.yaml", SANDBOX).entities if isinstance(e, ExampleConfig)] == []


CEREBRUS = """\
startCommand:
  type: stdio
  configSchema:
    type: object
    required: []
    properties:
      walletKey:
        type: string
  commandFunction:
    |-
    (config) => {
      // command: 'not-this', a comment is not code
      const note = "command: 'nor-this'";
      const env = {};
      if (config.walletKey) env.CEREBRUS_WALLET_KEY = config.walletKey;
      env['MODE'] = 'live';
      return { command: 'uvx', args: ['cerebrus-pulse-mcp'], env };
    }
"""


def test_smithery_env_assignments_and_comments_and_strings_are_not_code() -> None:
    server = only(adapt(mcp_smithery.ADAPTER, "smithery.yaml", CEREBRUS.replace("\n", "\r\n")), ToolServer)
    assert server.name == "smithery"
    assert (server.launch.command.value, server.launch.command.span) == ("uvx", at(17, 25, 30))
    assert [(a.value, a.span) for a in server.launch.args] == [("cerebrus-pulse-mcp", at(17, 39, 59))]
    assert [(s.name, s.value, s.name_span, s.value_span) for s in server.env] == [
        ("CEREBRUS_WALLET_KEY", "${config.walletKey}", at(15, 33, 52), at(15, 55, 71)),
        ("MODE", "live", at(16, 11, 17), at(16, 21, 27)),
    ]


@pytest.mark.parametrize(
    ("scalar", "command", "args"),
    [
        pytest.param(
            "\"(config) => ({command: 'npx', args: ['-y', '@acme/mcp@1.2.0']})\"",
            ("npx", at(4, 29, 34)),
            [("-y", at(4, 43, 47)), ("@acme/mcp@1.2.0", at(4, 49, 66))],
            id="double-quoted",
        ),
        pytest.param(
            ">-\n    (config) => ({\n      command: 'npx',\n      args: ['-y', '@acme/mcp@1.2.0'] })",
            ("npx", at(6, 16, 21)),
            [("-y", at(7, 14, 18)), ("@acme/mcp@1.2.0", at(7, 20, 37))],
            id="folded",
        ),
        pytest.param(
            "|2-\n      (config) => ({command: 'npx', args: ['-y', '@acme/mcp@1.2.0']})",
            ("npx", at(5, 30, 35)),
            [("-y", at(5, 44, 48)), ("@acme/mcp@1.2.0", at(5, 50, 67))],
            id="explicit-indent",
        ),
        pytest.param(
            "\"(config) => ({command: \\\"npx\\\", args: []})\"",
            ("npx", at(4, 5, 49)),
            [],
            id="escaped-maps-to-the-scalar",
        ),
    ],
)
def test_smithery_scalar_styles(scalar: str, command: tuple[str, Span], args: list[tuple[str, Span]]) -> None:
    text = f"startCommand:\n  type: stdio\n  commandFunction:\n    {scalar}\n"
    server = only(adapt(mcp_smithery.ADAPTER, "smithery.yaml", text), ToolServer)
    assert (server.launch.command.value, server.launch.command.span) == command
    assert [(a.value, a.span) for a in server.launch.args] == args


def test_smithery_spread_computed_command_and_shorthand_env() -> None:
    text = (
        "startCommand:\n  type: stdio\n  commandFunction: |-\n"
        "    (config) => ({ command: config.docker ? 'docker' : 'npx', args: [...config.args, 'srv'], env: { TOKEN } })\n"
    )
    server = only(adapt(mcp_smithery.ADAPTER, "smithery.yaml", text), ToolServer)
    assert (server.launch.command.value, server.launch.command.span) == ("${config.docker ? 'docker' : 'npx'}", at(4, 29, 61))
    assert [(a.value, a.span) for a in server.launch.args] == [("${...config.args}", at(4, 70, 84)), ("srv", at(4, 86, 91))]
    assert [(s.name, s.value, s.name_span, s.value_span) for s in server.env] == [("TOKEN", None, at(4, 101, 106), at(4, 101, 106))]


LATENCY = """\
startCommand:
  type: http
  configSchema:
    type: object
    properties:
      apiKey:
        type: string
        "x-from":
          header: x-api-key
      budgetTokens:
        type: integer
        maximum: 16000
    required:
      - apiKey
  exampleConfig:
    apiKey: "zl_live_your_key_here"
    budgetTokens: 4000
runtime: container
"""


def test_smithery_http_with_example_config() -> None:
    out = adapt(mcp_smithery.ADAPTER, "0latency-ai/mcp-server/smithery.yaml", LATENCY)
    server = only(out, ToolServer)
    assert (server.transport, server.launch, server.env) == (Transport.HTTP, None, ())
    assert server.get("runtime").value == "container"
    assert server.span_of("exampleConfig") == at(15, 3, 16)
    example = only(out, ExampleConfig)
    assert example.data == {"apiKey": "zl_live_your_key_here", "budgetTokens": 4000}
    assert example.schema.base == ("startCommand", "configSchema")
    assert example.schema.data["properties"]["budgetTokens"]["maximum"] == 16000
    assert str(example.ref) == "0latency-ai/mcp-server/smithery.yaml#/startCommand/exampleConfig"


def test_smithery_shape_problems() -> None:
    out = adapt(mcp_smithery.ADAPTER, "smithery.yaml", "startCommand:\n  type: websocket\n  commandFunction: 42\nenv: [A]\n")
    assert problems(out) == [
        ("AL002", 2, 9, "startCommand.type must be 'stdio' or 'http', not 'websocket'"),
        ("AL002", 3, 20, "commandFunction must be a string of JavaScript"),
        ("AL002", 4, 6, "env must be a mapping of variable names to values"),
    ]
    assert only(out, ToolServer).transport is None
    out = adapt(mcp_smithery.ADAPTER, "smithery.yml", "startCommand: [stdio]\n")
    assert (out.entities, problems(out)) == ([], [("AL002", 1, 15, "startCommand must be a mapping")])


def test_smithery_claims_by_name_only() -> None:
    assert not mcp_smithery.ADAPTER.claims("config/smithery.yaml.bak", "startCommand: {}")
    assert not mcp_smithery.ADAPTER.claims("smithery-config.yaml", "startCommand: {}")
    assert mcp_smithery.ADAPTER.claims("a/b/Smithery.yml", "")


# -- MCP Registry server.json ---------------------------------------------------------------

OPA = """\
{
  "$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
  "name": "io.github.kanywst/mcp-opa-authz",
  "version": "0.2.1",
  "repository": {"url": "https://github.com/kanywst/mcp-opa-authz", "source": "github"},
  "packages": [
    {
      "registryType": "oci",
      "identifier": "ghcr.io/kanywst/mcp-opa-authz:0.2.1",
      "transport": {"type": "stdio"},
      "environmentVariables": [
        {"name": "AUTHZEN_PDP_URL", "isRequired": false, "format": "string"},
        {"name": "AUTHZEN_PDP_TOKEN", "isSecret": true, "format": "string"},
        {"name": "LOG_LEVEL", "default": "info"},
        {"name": "PORT", "value": 8080}
      ]
    }
  ]
}
"""


def test_server_json_oci_tag_in_identifier_and_env() -> None:
    out = adapt(mcp_server_json.ADAPTER, "server.json", OPA)
    server = only(out, ToolServer)
    assert (server.name, server.dialect, server.config, server.transport, server.url) == (
        "io.github.kanywst/mcp-opa-authz", "mcp-registry", "manifest", Transport.STDIO, None,
    )
    assert server.span == at(3, 11, 44)
    (package,) = server.packages
    assert (package.ecosystem, package.identifier, package.version, package.digest) == (
        "oci", "ghcr.io/kanywst/mcp-opa-authz:0.2.1", "0.2.1", None,
    )
    assert package.span == at(9, 21, 58)
    assert not package.has("version")
    assert [(s.name, s.value, s.secret_declared, s.name_span.start, s.value_span.start) for s in server.env] == [
        ("AUTHZEN_PDP_URL", None, False, Pos(12, 18), Pos(12, 18)),
        ("AUTHZEN_PDP_TOKEN", None, True, Pos(13, 18), Pos(13, 18)),
        ("LOG_LEVEL", "info", False, Pos(14, 18), Pos(14, 42)),
        ("PORT", "8080", False, Pos(15, 18), Pos(15, 35)),
    ]
    assert (server.get("version").value, server.get("version").span) == ("0.2.1", at(4, 14, 21))
    assert server.get("repository_url").value == "https://github.com/kanywst/mcp-opa-authz"
    assert problems(out) == []


TICKETS = """\
{"name": "io.github.acme/tickets", "description": "Acme tickets", "version": "1.4.2",
 "packages": [
   {"registryType": "npm", "identifier": "@acme/tickets-mcp", "version": "1.4.2", "runtimeHint": "npx",
    "transport": {"type": "stdio"}},
   {"registryType": "mcpb", "identifier": "https://github.com/acme/t/releases/download/v1.4.2/t.mcpb",
    "fileSha256": "fe333e598595000ae021bd27117db32ec69af6987f507ba7a63c90638ff633ce", "transport": {"type": "stdio"}},
   {"registryType": "oci", "identifier": "localhost:5000/acme/tickets@sha256:0123", "transport": {"type": "stdio"}}
 ],
 "remotes": [
   {"type": "sse", "url": "https://mcp.acme.dev/sse",
    "headers": [{"name": "Authorization", "isSecret": true, "isRequired": true}, {"name": "X-Region", "value": "eu"}]}
 ]}
"""


def test_server_json_packages_remotes_headers() -> None:
    server = only(adapt(mcp_server_json.ADAPTER, "servers/acme/server.json", TICKETS), ToolServer)
    assert [(p.ecosystem, p.identifier, p.version, p.digest, p.span.start) for p in server.packages] == [
        ("npm", "@acme/tickets-mcp", "1.4.2", None, Pos(3, 42)),
        ("mcpb", "https://github.com/acme/t/releases/download/v1.4.2/t.mcpb", None,
         "fe333e598595000ae021bd27117db32ec69af6987f507ba7a63c90638ff633ce", Pos(5, 43)),
        ("oci", "localhost:5000/acme/tickets@sha256:0123", None, "sha256:0123", Pos(7, 42)),
    ]
    assert server.packages[0].span_of("version") == at(3, 74, 81)
    assert server.packages[1].span_of("fileSha256") == at(6, 19, 85)
    assert (server.transport, server.url.value, server.url.span) == (Transport.SSE, "https://mcp.acme.dev/sse", at(10, 27, 53))
    assert [(h.name, h.value, h.secret_declared, h.name_span.start) for h in server.headers] == [
        ("Authorization", None, True, Pos(11, 26)),
        ("X-Region", "eu", False, Pos(11, 91)),
    ]


def test_server_json_package_transport_when_no_remote() -> None:
    text = OPA.replace('{"type": "stdio"}', '{"type": "streamable-http", "url": "http://localhost:8000/mcp"}')
    server = only(adapt(mcp_server_json.ADAPTER, "server.json", text), ToolServer)
    assert (server.transport, server.url.value, server.url.span) == (Transport.HTTP, "http://localhost:8000/mcp", at(10, 55, 82))


def test_server_json_shape_problems() -> None:
    text = """{
  "$schema": "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",
  "name": "io.github.acme/x", "version": 2,
  "packages": [
    {"registryType": "npm", "version": "1.0.0"},
    {"registryType": "pypi", "identifier": "x", "environmentVariables": [{"name": "TOKEN", "isSecret": "yes"}]},
    "npm:x",
    {"registryType": "npm", "identifier": ""}
  ],
  "remotes": {"type": "sse"}
}
"""
    out = adapt(mcp_server_json.ADAPTER, "server.json", text)
    assert problems(out) == [
        ("AL002", 3, 42, "version must be a string"),
        ("AL002", 10, 14, "remotes must be an array of objects"),
        ("AL002", 7, 5, "packages/2 must be an object"),
        ("AL002", 5, 5, "packages/0 has no 'identifier'"),
        ("AL002", 6, 104, "packages/1/environmentVariables/0/isSecret must be true or false"),
        ("AL002", 8, 43, "packages/3/identifier is empty"),
    ]
    server = only(out, ToolServer)
    assert [(p.ecosystem, p.identifier) for p in server.packages] == [("pypi", "x")]
    assert [(s.name, s.secret_declared) for s in server.env] == [("TOKEN", False)]
    assert server.get("version") is None
    out = adapt(mcp_server_json.ADAPTER, "server.json", '[{"$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"}]')
    assert problems(out) == [("AL002", 1, 1, "an MCP server.json must be a JSON object")]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        pytest.param("server.json", '{"posts": [{"id": 1, "title": "json-server"}], "comments": [], "profile": {"name": "typicode"}}', id="json-server"),
        pytest.param("mock/server.json", '{"packages": [{"id": 1, "name": "left-pad"}], "users": [{"name": "acme/ops"}]}', id="json-server-packages"),
        pytest.param("server.json", '{"port": 8080, "host": "0.0.0.0", "name": "my-server"}', id="app-settings"),
        pytest.param("manifest.json", OPA, id="other-file-name"),
    ],
)
def test_server_json_look_alikes_are_not_claimed(path: str, text: str) -> None:
    assert not mcp_server_json.ADAPTER.claims(path, text)


def test_server_json_claimed_without_schema_by_reverse_dns_name() -> None:
    text = '{"name": "com.100hires/100hires", "version": "1.0.2", "remotes": [{"type": "streamable-http", "url": "https://mcp.100hires.com/mcp"}]}'
    server = only(adapt(mcp_server_json.ADAPTER, "server.json", text), ToolServer)
    assert (server.name, server.transport, server.url.value, server.packages) == (
        "com.100hires/100hires", Transport.HTTP, "https://mcp.100hires.com/mcp", (),
    )


# -- Docker MCP catalog ----------------------------------------------------------------------

GITHUB = """\
name: github-official
image: ghcr.io/github/github-mcp-server
type: server
about:
  title: GitHub Official
source:
  project: https://github.com/github/github-mcp-server
  commit: 23fa0dd1a821d1346c1de2abafe7327d26981606
run:
  allowHosts:
    - api.github.com:443
    - github.com:443
  volumes:
    - '{{github-official.cache}}:/cache'
config:
  secrets:
    - name: github.personal_access_token
      env: GITHUB_PERSONAL_ACCESS_TOKEN
      example: <YOUR_TOKEN>
  env:
    - name: GITHUB_TOOLSETS
      example: repos,issues
      value: '{{github-official.toolsets}}'
  parameters:
    type: object
    properties:
      toolsets:
        type: string
"""


def test_docker_server_yaml() -> None:
    out = adapt(mcp_docker_catalog.ADAPTER, "servers/github-official/server.yaml", GITHUB)
    server = only(out, ToolServer)
    assert (server.name, server.dialect, server.config, server.transport, server.url) == (
        "github-official", "docker-catalog", "manifest", Transport.STDIO, None,
    )
    assert server.span == at(1, 7, 22)
    assert [(p.ecosystem, p.identifier, p.version, p.digest, p.span) for p in server.packages] == [
        ("oci", "ghcr.io/github/github-mcp-server", None, None, at(2, 8, 40)),
        ("git", "https://github.com/github/github-mcp-server", None, "23fa0dd1a821d1346c1de2abafe7327d26981606", at(6, 1, 7)),
    ]
    assert server.packages[1].span_of("commit") == at(8, 11, 51)
    assert [(s.name, s.value, s.secret_declared, s.name_span, s.value_span) for s in server.env] == [
        ("GITHUB_TOOLSETS", "{{github-official.toolsets}}", False, at(21, 13, 28), at(23, 14, 44)),
        ("GITHUB_PERSONAL_ACCESS_TOKEN", None, True, at(18, 12, 40), at(18, 12, 40)),
    ]
    assert [(t.value, t.span) for t in server.get("allow_hosts")] == [("api.github.com:443", at(11, 7, 25)), ("github.com:443", at(12, 7, 21))]
    assert [t.value for t in server.get("volumes")] == ["{{github-official.cache}}:/cache"]
    assert server.get("disable_network") is False
    assert server.get("config_schema").base == ("config", "parameters")
    assert server.get("type").value == "server"
    assert problems(out) == []


def test_docker_pins_latest_branch_and_docker_built_images() -> None:
    text = "name: analyser\nimage: ghcr.io/saidsef/analyser:latest\ntype: server\nsource:\n  project: https://github.com/saidsef/a\n  branch: main\n"
    server = only(adapt(mcp_docker_catalog.ADAPTER, "servers/analyser/server.yaml", text), ToolServer)
    assert [(p.ecosystem, p.identifier, p.version, p.digest) for p in server.packages] == [
        ("oci", "ghcr.io/saidsef/analyser:latest", "latest", None),
        ("git", "https://github.com/saidsef/a", "main", None),
    ]
    assert server.get("allow_hosts") is None
    # mcp/<name> images are built by Docker from the pinned source: the source is the package
    text = "name: tickets\nimage: mcp/tickets\ntype: server\nsource:\n  project: https://github.com/acme/t\n  commit: 0123456789abcdef0123456789abcdef01234567\nrun:\n  disableNetwork: true\n"
    server = only(adapt(mcp_docker_catalog.ADAPTER, "servers/tickets/server.yaml", text), ToolServer)
    assert [(p.ecosystem, p.digest) for p in server.packages] == [("git", "0123456789abcdef0123456789abcdef01234567")]
    assert (server.get("image").value, server.get("disable_network")) == ("mcp/tickets", True)


def test_docker_remote_and_poci() -> None:
    remote = "name: ais-fleet\ntype: remote\ndynamic:\n    tools: true\nabout:\n    title: AIS Fleet\nremote:\n    transport_type: sse\n    url: https://mcp.aisfleet.com/sse\n    headers:\n        Authorization: Bearer {{ais-fleet.token}}\n"
    server = only(adapt(mcp_docker_catalog.ADAPTER, "servers/ais-fleet/server.yaml", remote), ToolServer)
    assert (server.transport, server.url.value, server.url.span, server.packages) == (Transport.SSE, "https://mcp.aisfleet.com/sse", at(9, 10, 38), ())
    assert [(h.name, h.value, h.name_span) for h in server.headers] == [("Authorization", "Bearer {{ais-fleet.token}}", at(11, 9, 22))]
    poci = """\
name: curl
type: poci
about:
  title: Curl
tools:
  - name: curl
    description: Run a curl command.
    parameters:
      type: object
      properties:
        args: {type: array, items: {type: string}}
      required: [args]
    container:
      image: alpine/curl
      command:
        - "{{args|into}}"
"""
    out = adapt(mcp_docker_catalog.ADAPTER, "servers/curl/server.yaml", poci)
    server = only(out, ToolServer)
    assert server.transport is Transport.STDIO
    assert [(p.ecosystem, p.identifier, p.version, p.span) for p in server.packages] == [("oci", "alpine/curl", None, at(14, 14, 25))]
    tool = only(out, Tool)
    assert (tool.name, tool.server, tool.source, tool.span, tool.description, tool.annotations) == (
        "curl", "curl", "docker-catalog", at(6, 11, 15), "Run a curl command.", None,
    )
    assert (tool.input_schema.base, tool.input_schema.data["required"]) == (("tools", 0, "parameters"), ["args"])


TOOLS_JSON = """\
[
  {
    "name": "query_database",
    "description": "Execute natural language queries against the database",
    "arguments": [{"name": "query", "type": "string", "desc": "What to query"}]
  },
  {"name": "list_tables", "description": "List all tables", "arguments": []}
]"""


def test_docker_tools_json() -> None:
    out = adapt(mcp_docker_catalog.ADAPTER, "servers/database-server/tools.json", TOOLS_JSON)
    assert [(t.name, t.server, t.source, t.input_schema, t.annotations, t.span, t.group) for t in out.entities] == [
        ("query_database", "database-server", "docker-catalog", None, None, at(3, 13, 29), "servers/database-server/tools.json"),
        ("list_tables", "database-server", "docker-catalog", None, None, at(7, 12, 25), "servers/database-server/tools.json"),
    ]
    assert out.entities[1].description == "List all tables"
    assert problems(out) == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        pytest.param("tools.json", '{"tools": [{"name": "a", "arguments": []}]}', id="tools-object"),
        pytest.param("tools.json", '[{"name": "search", "inputSchema": {"type": "object"}}]', id="tools-list-dump"),
        pytest.param("tools.json", '[{"name": "a", "arguments": [], "inputSchema": {"type": "object"}}]', id="tools-list-with-arguments"),
        pytest.param("tools.json", '["hammer", "saw"]', id="random-list"),
        pytest.param("catalog/tools.yaml", "- name: a\n  arguments: []\n", id="yaml"),
        pytest.param("deploy/server.yaml", "image: nginx:1.27\nreplicas: 2\nports: [80]\n", id="k8s-like"),
        pytest.param("config/server.yaml", "name: api\nport: 8080\nsource: ./src\n", id="app-config"),
        pytest.param("my-server.yaml", "name: x\nimage: mcp/x\ntype: server\n", id="other-file-name"),
    ],
)
def test_docker_look_alikes_are_not_claimed(path: str, text: str) -> None:
    assert not mcp_docker_catalog.ADAPTER.claims(path, text)


def test_docker_shape_problems() -> None:
    text = "name: x\nimage: [a]\ntype: server\nrun:\n  allowHosts: api.x.com\nconfig:\n  secrets:\n    - env: 3\n"
    out = adapt(mcp_docker_catalog.ADAPTER, "servers/x/server.yaml", text)
    assert problems(out) == [
        ("AL002", 2, 8, "image must be an image reference"),
        ("AL002", 8, 7, "config/secrets/0 has no 'name'"),
        ("AL002", 5, 15, "run/allowHosts must be an array of strings"),
    ]
    server = only(out, ToolServer)
    assert (server.packages, server.env, server.get("allow_hosts")) == ((), (), ())


# -- the real files, at their real paths -----------------------------------------------------

CATEGORIES = ("mcp-server-json", "mcp-smithery", "mcp-docker-catalog")

EXPECTED = {
    "mcp-docker-catalog/docker/mcp-registry/servers/ais-fleet/server.yaml": [
        "server ais-fleet docker-catalog sse url=https://mcp.aisfleet.com/sse packages=[] env=[]",
    ],
    "mcp-docker-catalog/docker/mcp-registry/servers/curl/server.yaml": [
        "server curl docker-catalog stdio url=None packages=[oci:alpine/curl@None#None] env=[]",
        "tool curl/curl schema=('tools', 0, 'parameters')",
    ],
    "mcp-docker-catalog/docker/mcp-registry/servers/database-server/tools.json": [
        f"tool database-server/{name} schema=None"
        for name in (
            "query_database", "list_tables", "describe_table", "execute_sql", "connect_to_database",
            "get_connection_examples", "get_current_database_info",
        )
    ],
    "mcp-docker-catalog/docker/mcp-registry/servers/github-official/server.yaml": [
        "server github-official docker-catalog stdio url=None packages=[oci:ghcr.io/github/github-mcp-server@None#None, "
        "git:https://github.com/github/github-mcp-server@None#23fa0dd1a821d1346c1de2abafe7327d26981606] "
        "env=[GITHUB_PERSONAL_ACCESS_TOKEN(secret)]",
    ],
    "mcp-docker-catalog/docker/mcp-registry/servers/maven-tools-mcp/server.yaml": [
        "server maven-tools-mcp docker-catalog stdio url=None packages=[oci:arvindand/maven-tools-mcp:latest@latest#None, "
        "git:https://github.com/arvindand/maven-tools-mcp@None#d419a7bfeb19f3515838a64f9a695fe38291e0ec] env=[]",
    ],
    "mcp-docker-catalog/docker/mcp-registry/servers/mcp-github-pr-issue-analyser/server.yaml": [
        "server mcp-github-pr-issue-analyser docker-catalog stdio url=None packages=["
        "oci:ghcr.io/saidsef/mcp-github-pr-issue-analyser:latest@latest#None, "
        "git:https://github.com/saidsef/mcp-github-pr-issue-analyser@main#eaa15813df0afcc8cf0142b02a1fae0fe0b4e889] "
        "env=[GITHUB_TOKEN={{mcp-github-pr-issue-analyser.github_token}}]",
    ],
    "mcp-server-json/0-draft/mcp-opa/server.json": [
        "server io.github.kanywst/mcp-opa-authz mcp-registry stdio url=None "
        "packages=[oci:ghcr.io/kanywst/mcp-opa-authz:0.2.1@0.2.1#None] env=[AUTHZEN_PDP_URL, AUTHZEN_PDP_TOKEN(secret), "
        "AUTHZEN_PDP_TIMEOUT, MCP_OPA_EVAL_TIMEOUT, MCP_OPA_ALLOW_NETWORK_BUILTINS]",
    ],
    "mcp-server-json/0xChron/polymarket-mcp/server.json": [
        "server io.github.0xChron/polymarket-mcp mcp-registry http url=http://localhost:8000/mcp "
        "packages=[pypi:0xchron-polymarket-mcp@0.1.1#None] env=[]",
    ],
    "mcp-server-json/0xsl1m/cerebrus-pulse-mcp/server.json": [
        "server io.github.0xsl1m/cerebrus-pulse-mcp mcp-registry stdio url=None packages=[pypi:cerebrus-pulse-mcp@0.4.0#None] env=[]",
    ],
    "mcp-server-json/100Hires/mcp/server.json": [
        "server com.100hires/100hires mcp-registry http url=https://mcp.100hires.com/mcp packages=[] env=[]",
    ],
    "mcp-smithery/0latency-ai/mcp-server/smithery.yaml": [
        "example exampleConfig",
        "server mcp-server smithery http launch=None env=[]",
    ],
    "mcp-smithery/0xPratikPatil/NmapMCP/smithery.yaml": [
        "example exampleConfig",
        "server NmapMCP smithery stdio launch=uv run main.py env=[]",
    ],
    "mcp-smithery/0xsl1m/cerebrus-pulse-mcp/smithery.yaml": [
        "server cerebrus-pulse-mcp smithery stdio launch=uvx cerebrus-pulse-mcp env=[CEREBRUS_WALLET_KEY=${config.walletKey}]",
    ],
    "mcp-smithery/302ai/302_sandbox_mcp/smithery.yaml": [
        "server 302_sandbox_mcp smithery stdio launch=node build/index.js env=[302AI_API_KEY=YOUR_API_KEY]",
    ],
}


def describe(entity: Any) -> str:
    if isinstance(entity, ExampleConfig):
        return f"example {entity.what}"
    if isinstance(entity, Tool):
        return f"tool {entity.server}/{entity.name} schema={entity.input_schema.base if entity.input_schema else None}"
    assert isinstance(entity, ToolServer)
    env = ", ".join(s.name + ("(secret)" if s.secret_declared else "") + (f"={s.value}" if s.value else "") for s in entity.env)
    head = f"server {entity.name} {entity.dialect} {entity.transport.value if entity.transport else None}"
    if entity.dialect == "smithery":
        launch = " ".join(t.value for t in (entity.launch.command, *entity.launch.args)) if entity.launch else None
        return f"{head} launch={launch} env=[{env}]"
    packages = ", ".join(f"{p.ecosystem}:{p.identifier}@{p.version}#{p.digest}" for p in entity.packages)
    return f"{head} url={entity.url.value if entity.url else None} packages=[{packages}] env=[{env}]"


@pytest.fixture(scope="module")
def real_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        pytest.skip("the shared corpus is not available")
    root = tmp_path_factory.mktemp("mcpcorpus")
    with manifest.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["category"] not in CATEGORIES:
                continue
            flat = CORPUS / row["category"] / f"{row['repo'].replace('/', '__')}__{row['path'].replace('/', '__')}"
            target = root / row["category"] / row["repo"] / row["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(flat.read_bytes())
    return root


def test_corpus_entities(real_corpus: Path) -> None:
    settings = api.settings_for(["."], CliOverrides(), isolated=True, root=real_corpus)
    found: dict[str, list[str]] = {}
    for file in sorted(real_corpus.rglob("*")):
        if not file.is_file():
            continue
        rel = file.relative_to(real_corpus).as_posix()
        text = file.read_text(encoding="utf-8")
        adapters = [a for a in all_adapters() if syntax_of(rel) in a.syntaxes and a.claims(rel, text)]
        assert [a.name for a in adapters] == [
            {"mcp-server-json": "mcp-server-json", "mcp-smithery": "mcp-smithery"}.get(rel.split("/")[0], "mcp-docker-catalog")
        ], rel
        loaded = load(rel, text, syntax_of(rel), settings)
        adapted = adapters[0].adapt(loaded)
        assert loaded.problems == [] and adapted.problems == [], rel
        found[rel] = sorted(describe(e) for e in adapted.entities)
    assert found == {path: sorted(lines) for path, lines in EXPECTED.items()}


def test_corpus_whole_engine_has_no_internal_errors(real_corpus: Path) -> None:
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=real_corpus)
    result = api.check(["."], settings, root=real_corpus)
    assert not result.internal_error
    assert [f for f in result.findings if f.code.startswith(("AL9", "AL0"))] == []
    assert [f for f in result.findings if f.code == "AL214"] == []
