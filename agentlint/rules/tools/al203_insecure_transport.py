from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.capabilities import bridged_urls, insecure_host
from agentlint.model.project import Project
from agentlint.model.tools import Text
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class InsecureTransport(Rule):
    """A remote MCP server reached over plain `http://` or `ws://`.

    ## What it does
    Reports a server's `url` (`httpUrl`, `serverUrl`, a manifest's remote URL) and the URL a
    stdio bridge connects to (`npx mcp-remote <url>`, `supergateway`, `mcp-proxy`) when it
    uses `http://` or `ws://` to a host other than this machine. Local hosts are not reported:
    `localhost` and `*.localhost`, `127.0.0.0/8`, `::1`, `0.0.0.0`, and Docker's
    `host.docker.internal` (it resolves to the Docker host from inside a container, so the
    traffic stays on the machine's virtual bridge). Private addresses (`10.x`, `192.168.x`) are
    reported: that traffic crosses a network. A templated host (`http://${input:host}/mcp`)
    is unknown and not reported. Disabled servers are skipped.

    ## Why is this bad?
    MCP requests carry the user's prompts, tool results and, usually, a bearer token. Over
    plain HTTP anyone on the path can read them, and can rewrite tool descriptions and
    results to inject instructions into the agent. Use `https://` (`wss://`).
    """

    code = "AL203"
    name = "insecure-transport"
    summary = "Remote MCP server over plain HTTP"
    severity = Severity.ERROR
    checklist = Checklist.TOOLS_LEAST_PRIVILEGE
    entities = ("ToolServer",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        for server in project.servers:
            if server.disabled:
                continue
            urls: list[tuple[str, Text]] = [(server.url.value, server.url)] if server.url is not None else []
            if server.launch is not None:  # words of a script point at the whole script
                urls.extend((word.value, word.text) for word in bridged_urls(server.launch))
            for value, url in urls:
                host = insecure_host(value)
                if host is not None:
                    scheme = value.split(":", 1)[0].lower()
                    yield self.violation(
                        f"server '{server.name}' connects to {host} over plain {scheme}://: "
                        f"use {scheme}s:// so prompts, tool results and tokens are encrypted",
                        Location(url.ref.path, url.span),
                        ref=url.ref,
                        args=(server.name, host),
                    )

    valid = (
        Example.of(
            '{\n  "servers": {\n'
            '    "local": {"type": "sse", "url": "http://localhost:3001/sse"},\n'
            '    "loopback": {"type": "http", "url": "http://127.0.0.1:8080/mcp"},\n'
            '    "container-host": {"type": "http", "url": "http://host.docker.internal:8931/mcp"},\n'
            '    "templated": {"type": "http", "url": "http://${input:mcp-host}/mcp"},\n'
            '    "secure": {"type": "http", "url": "https://api.githubcopilot.com/mcp/"}\n  }\n}\n',
            path=".vscode/mcp.json",
            title="Local and TLS endpoints",
        ),
        Example.of(
            '{"mcpServers": {\n'
            '  "square": {"command": "npx", "args": ["-y", "mcp-remote@0.1.18", "https://mcp.squareup.com/sse"],\n'
            '    "env": {"HTTPS_PROXY": "http://127.0.0.1:8080"}},\n'
            '  "old": {"url": "http://mcp.internal.example.net/sse", "disabled": true}\n}}\n',
            path="cline_mcp_settings.json",
            title="A bridge over HTTPS, a local proxy and a disabled server",
        ),
    )
    invalid = (
        Example.of(
            "from langchain_mcp_adapters.client import MultiServerMCPClient\n\n"
            "client = MultiServerMCPClient({\n"
            "    \"docs\": {\"url\": \"http://docs.example.org/mcp\", \"transport\": \"streamable_http\"},  # expect: AL203\n"
            "    \"local\": {\"url\": \"http://localhost:8000/mcp\", \"transport\": \"streamable_http\"},\n"
            "})\n",
            path="agent/mcp.py",
            title="A server connected from code (langchain_mcp_adapters)",
        ),
        Example.of(
            '{\n  "servers": {\n'
            '    "tickets": {"type": "http", "url": "http://mcp.tickets.example.com/mcp"},  // expect: AL203\n'
            '    "lan": {"type": "sse", "url": "http://192.168.1.20:3001/sse"},  // expect: AL203\n'
            '    "live": {"type": "http", "url": "ws://stream.example.com/mcp"}  // expect: AL203\n  }\n}\n',
            path=".vscode/mcp.json",
            title="Plain HTTP and WebSocket to other hosts",
        ),
        Example.of(
            '{"mcpServers": {\n'
            '  "docs": {"command": "npx", "args": ["-y", "mcp-remote@0.1.18", "http://docs.example.org/sse", "--allow-http"]}\n'
            "}}\n",
            path=".cursor/mcp.json",
            title="mcp-remote bridging to a plain-HTTP server",
            expect=((".cursor/mcp.json", 2, "AL203"),),
        ),
    )
