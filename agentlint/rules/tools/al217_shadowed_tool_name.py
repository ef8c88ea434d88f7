from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.tools import Tool, ToolServer
from agentlint.rule import Example, Rule

_CONFIG = """{
  "mcpServers": {
    "github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"]},
    "gitlab": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-gitlab@2025.4.25"]}%s
  }
}
"""


def _snapshot(server: str, *names: str) -> str:
    tools = ",\n".join(f'    {{"name": "{n}", "inputSchema": {{"type": "object"}}}}' for n in names)
    return f'{{\n  "format": "mcp-tools-snapshot",\n  "server": {{"name": "{server}"}},\n  "tools": [\n{tools}\n  ]\n}}\n'


class ShadowedToolName(Rule):
    """Two servers of one client config provide a tool with the same name.

    ## What it does
    For each MCP client config (`.cursor/mcp.json`, `.vscode/mcp.json`, Claude Desktop …),
    matches its enabled servers to the tools listed for them (tools/list snapshots that name
    their server) and reports a tool name provided by two different servers. The finding is
    at the later server's entry in the config; both tool definitions are related. Tools whose
    server is not known are not considered.

    ## Why is this bad?
    The model chooses tools by name. Clients that do not prefix tool names with the server
    show two tools called alike, or keep only one of them, so a call meant for one server
    reaches the other (an issue filed in the wrong tracker, or a malicious server
    intercepting a trusted server's tool). MCP leaves disambiguation to the client.
    """

    code = "AL217"
    name = "shadowed-tool-name"
    summary = "Same tool name from two servers of one client config"
    severity = Severity.WARNING
    checklist = Checklist.TOOL_CONTRACTS
    entities = ("Tool", "ToolServer")

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        by_server: dict[str, list[Tool]] = {}
        for tool in project.tools:
            if tool.server is not None:
                by_server.setdefault(tool.server, []).append(tool)
        configs: dict[str, list[ToolServer]] = {}
        for server in project.servers:
            if server.config == "client" and not server.disabled and server.name in by_server:
                configs.setdefault(server.ref.path, []).append(server)
        for servers in configs.values():
            providers: dict[str, tuple[ToolServer, Tool]] = {}
            for server in sorted(servers, key=lambda s: s.span.start):
                names: dict[str, Tool] = {}
                for tool in by_server[server.name]:
                    names.setdefault(tool.name, tool)
                for name, tool in names.items():
                    if name not in providers:
                        providers[name] = (server, tool)
                        continue
                    other, first = providers[name]
                    if other.name == server.name:
                        continue
                    yield self.violation(
                        f"servers '{other.name}' and '{server.name}' both provide tool '{name}': "
                        "the model cannot tell them apart; rename, filter or disable one",
                        server,
                        args=(other.name, server.name, name),
                        related=(
                            first.location(note=f"'{name}' of server '{other.name}'"),
                            tool.location(note=f"'{name}' of server '{server.name}'"),
                        ),
                    )

    valid = (
        Example(
            (
                (".cursor/mcp.json", _CONFIG % ""),
                (".vscode/mcp.json", '{"servers": {"jira": {"type": "http", "url": "https://mcp.example.com/jira"}}}\n'),
                ("tools/github.json", _snapshot("github", "create_issue", "list_pull_requests")),
                ("tools/gitlab.json", _snapshot("gitlab", "create_merge_request")),
                ("tools/jira.json", _snapshot("jira", "create_issue")),
                ("tools/unknown.json", '{"tools": [{"name": "create_merge_request", "inputSchema": {"type": "object"}}]}\n'),
            ),
            title="The same name from servers of different configs, and a list of an unknown server",
        ),
    )
    invalid = (
        Example(
            (
                (".cursor/mcp.json", _CONFIG % ",\n    \"linear\": {\"url\": \"https://mcp.linear.app/sse\", \"disabled\": true}"),
                ("tools/github.json", _snapshot("github", "create_issue", "list_pull_requests")),
                ("tools/gitlab.json", _snapshot("gitlab", "create_issue", "create_merge_request")),
                ("tools/linear.json", _snapshot("linear", "create_issue")),
            ),
            title="github and gitlab both provide create_issue (linear is disabled)",
            expect=((".cursor/mcp.json", 4, "AL217"),),
        ),
    )
