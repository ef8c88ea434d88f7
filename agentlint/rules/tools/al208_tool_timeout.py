from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.project import Project
from agentlint.options import option
from agentlint.rule import Example, Rule
from agentlint.rules.tools._policy_examples import POLICY_HEAD


@dataclass(frozen=True)
class Options:
    max_seconds: float = option(120.0, "Highest acceptable tool-call timeout, in seconds.", ge=0.001)


class ToolTimeout(Rule):
    """A tool timeout left unset where the client has a field for it, or set too high.

    ## What it does
    For MCP clients whose config has a per-server timeout (Gemini CLI `timeout` in
    milliseconds, Cline and Roo `timeout` in seconds, Codex `tool_timeout_sec`), reports
    servers that leave it unset (the message quotes the client's default) or set it above
    `max-seconds` (120 s by default). MCP servers started from OpenAI Agents SDK code are read
    too: `client_session_timeout_seconds` above the maximum, or `None`/`0` (no limit); left
    unset, the SDK's 5 s applies and is not reported. Tool policies (`kind: ToolPolicy`) whose effective
    timeout is above the maximum are reported too. Clients without such a field (VS Code,
    Cursor, Claude Desktop) are never reported: declare their limits in a tool policy.
    Disabled servers are skipped.

    ## Why is this bad?
    A hung tool call holds the agent, and the user, for as long as the client waits: Gemini
    CLI waits ten minutes by default. An explicit, short timeout turns a stuck server into a
    fast, handled failure.
    """

    code = "AL208"
    name = "tool-timeout"
    summary = "Tool timeout unset or above the maximum"
    severity = Severity.WARNING
    checklist = Checklist.TOOL_LIMITS
    entities = ("ToolServer", "PolicyEntry")
    Options = Options

    def check(self, project: Project, options: Options) -> Iterator[Violation]:
        limit = options.max_seconds
        for server in project.servers:
            timeout = server.timeout
            if timeout is None or server.disabled:
                continue
            if timeout.seconds is None:
                default = f"{timeout.default_seconds:g} s" if timeout.default_seconds is not None else "no limit"
                yield self.violation(
                    f"server '{server.name}' sets no '{timeout.field}': the client waits {default} for each tool call",
                    server,
                    args=(server.name, "unset"),
                )
            elif timeout.seconds > limit:
                yield self.violation(
                    f"server '{server.name}' allows {timeout.seconds:g} s per tool call, above the maximum of {limit:g} s",
                    Location(server.ref.path, timeout.span or server.span),
                    ref=server.ref,
                    args=(server.name, "high"),
                )
        for entry in project.policies:
            if entry.timeout_seconds is not None and entry.timeout_seconds > limit:
                what = f"{entry.server}.{entry.tool}" if entry.tool else entry.server
                yield self.violation(
                    f"tool policy for '{what}' allows {entry.timeout_seconds:g} s, above the maximum of {limit:g} s",
                    entry,
                    field="timeout",
                    args=(what,),
                )

    valid = (
        Example.of(
            '{"mcpServers": {"time": {"command": "uvx", "args": ["mcp-server-time==0.6.2"], "timeout": 30}}}\n',
            path="cline_mcp_settings.json",
            title="Cline with an explicit 30 s timeout",
        ),
        Example.of(
            '{"mcpServers": {"docs": {"url": "https://docs.example.com/mcp"}}}\n',
            path=".cursor/mcp.json",
            title="Cursor has no timeout field: nothing to report here",
        ),
        Example.of(
            '{"mcpServers": {"old": {"command": "node", "args": ["x.js"], "disabled": true}}}\n',
            path="cline_mcp_settings.json",
            title="A disabled server does not run",
        ),
    )
    invalid = (
        Example.of(
            "from agents.mcp import MCPServerStdio\n\n"
            "time = MCPServerStdio(\n"
            "    params={\"command\": \"uvx\", \"args\": [\"mcp-server-time==0.6.2\"]},\n"
            "    client_session_timeout_seconds=600,  # expect: AL208\n"
            ")\n"
            "fetch = MCPServerStdio(params={\"command\": \"uvx\", \"args\": [\"mcp-server-fetch==2025.4.7\"]})\n",
            path="agent/tools.py",
            title="OpenAI Agents SDK: ten minutes per call; unset is the SDK's 5 s, a bound",
        ),
        Example.of(
            '{\n  "mcpServers": {\n    "search": {"httpUrl": "https://search.example.com/mcp"},\n'
            '    "files": {"command": "node", "args": ["fs.js"], "timeout": 900000}\n  }\n}\n',
            path=".gemini/settings.json",
            title="Gemini: unset (10 minutes by default) and 15 minutes",
            expect=((".gemini/settings.json", 3, "AL208"), (".gemini/settings.json", 4, "AL208")),
        ),
        Example.of(
            POLICY_HEAD + "servers:\n  reports:\n    timeout: 10m  # expect: AL208\n    rate_limit: 5/1m\n    on_failure: abort\n",
            path="tool-policy.yaml",
            title="A policy that waits ten minutes",
        ),
    )
