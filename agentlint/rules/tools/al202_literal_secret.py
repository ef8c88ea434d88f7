from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.project import Project
from agentlint.model.secrets import server_secrets
from agentlint.model.source import NodeRef
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class LiteralSecret(Rule):
    """A credential written literally into an MCP server's configuration.

    ## What it does
    Reports API keys, tokens, passwords and `Authorization` credentials written as literal
    values in a server's `env`, `headers`, launch arguments (`--api-key V`, `-e KEY=V`,
    `--header "Authorization: Bearer V"`, scripts of `bash -c`) or URL (`https://user:pass@…`,
    `?api_key=…`). A value is a credential when its format is unmistakable (OpenAI `sk-`,
    Anthropic `sk-ant-`, GitHub `ghp_`/`github_pat_`, Slack `xox…`, AWS `AKIA…`, Google
    `AIza…`, Stripe `sk_live_`, Hugging Face `hf_`, Brave `BSA…`, JWTs, private keys,
    `Basic`/`Bearer` credentials), or when a secret-looking name (`*KEY`, `*TOKEN`, `*SECRET`,
    `*PASSWORD`, `Authorization` …) holds a random-looking literal. Placeholders and references
    are not reported: `${input:x}`, `${env:X}`, `${X:-default}`, `$X`, `{secret}`,
    `<your-key>`, `YOUR_API_KEY`, `xxx`, `REDACTED`, `changeme`, paths and plain URLs.
    Disabled servers are checked too: they are committed all the same. The message names the
    variable and the kind of credential, never the value.

    ## Why is this bad?
    A config file is committed, copied between machines and pasted into issues: a literal key
    in it is a leaked key. Reference it instead (`${input:id}` with `password: true` in VS
    Code, `${env:NAME}` in Cursor, `${NAME}` in Claude Code) and rotate any key that was
    committed.
    """

    code = "AL202"
    name = "literal-secret"
    summary = "Literal credential in an MCP server configuration"
    severity = Severity.ERROR
    checklist = Checklist.TOOLS_LEAST_PRIVILEGE
    entities = ("ToolServer",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        for server in project.servers:
            seen: set[NodeRef] = set()
            for where, kind, span, ref in server_secrets(server):
                if ref in seen:  # one finding per value, however many credentials it holds
                    continue
                seen.add(ref)
                yield self.violation(
                    f"server '{server.name}': {where} holds a literal {kind}; "
                    "move it to an input or environment-variable reference",
                    Location(ref.path, span),
                    ref=ref,
                    args=(server.name, where),
                    masked=True,
                )

    valid = (
        Example.of(
            '{\n  "inputs": [{"type": "promptString", "id": "yt", "description": "YouTube key", "password": true}],\n'
            '  "servers": {\n'
            '    "youtube": {"command": "node", "args": ["build/index.js"], "env": {"YOUTUBE_API_KEY": "${input:yt}"}},\n'
            '    "obsidian": {"command": "docker", "args": ["run", "-i", "--rm", "-e", "OBSIDIAN_API_KEY=${input:yt}",\n'
            '      "-e", "OBSIDIAN_REST_URL=https://host.docker.internal:27124", "ghcr.io/o/obsidian-mcp:1.2.0"]},\n'
            '    "state": {"command": "agent-bridge-mcp", "env": {"STATE_DIR": "${env:HOME}/.state"}}\n  }\n}\n',
            path=".vscode/mcp.json",
            title="Inputs and environment references (VS Code)",
        ),
        Example.of(
            '{"mcpServers": {\n'
            '  "tavily": {"command": "bash", "args": ["-c", "npx -y tavily-mcp@0.1.3"], "env": {"TAVILY_API_KEY": "{secret}"}},\n'
            '  "kali": {"command": "docker", "args": ["run", "-i", "-e", "MCP_TIMEOUT=300", "kali-mcp:1.0"]},\n'
            '  "excel": {"command": "python", "args": ["server.py"], "env": {"PATH": "C:/Python/Scripts;%PATH%",\n'
            '    "MSSQL_DRIVER": "{ODBC Driver 17 for SQL Server}", "MAX_TOKENS": "4096", "TOKEN_URL": "https://id.example.org/token"}}\n'
            "}}\n",
            path="cline_mcp_settings.json",
            title="Placeholders and values that are not credentials (Cline)",
        ),
        Example.of(
            '{"mcpServers": {\n'
            '  "gh": {"type": "http", "url": "https://api.githubcopilot.com/mcp/",\n'
            '    "headers": {"Authorization": "Bearer ${GITHUB_PAT}", "X-Api-Key": "${API_KEY:-}"}},\n'
            '  "search": {"command": "npx", "args": ["-y", "brave-mcp@1.0.0", "--api-key", "YOUR_API_KEY"],\n'
            '    "env": {"OPENAI_API_KEY": "sk-your-key-here", "GITHUB_TOKEN": "<your-token>", "DB_PASSWORD": "changeme"}},\n'
            '  "remote": {"command": "npx", "args": ["-y", "mcp-remote@0.1.18", "https://mcp.example.org/sse",\n'
            '    "--header", "Authorization: Bearer ${AUTH_TOKEN}"]}\n}}\n',
            path=".mcp.json",
            title="Claude Code references and documentation placeholders",
        ),
    )
    invalid = (
        Example.of(
            '{\n  "servers": {\n    "liferay": {\n      "type": "http", "url": "http://localhost:8080/o/mcp/sse",\n'
            '      "headers": {\n        "Authorization": "Basic dGVzdEBsaWZlcmF5LmNvbTp0ZXN0"  // expect: AL202\n'
            "      }\n    },\n    \"search\": {\n      \"url\": \"https://search.example.net/mcp?api_key=Zq3xW9vK2mT7rP5s\"  // expect: AL202\n"
            "    }\n  }\n}\n",
            path=".vscode/mcp.json",
            title="A Basic credential in a header and a key in a URL query",
        ),
        Example.of(
            '{"mcpServers": {\n'
            '  "brave": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-brave-search"], "disabled": true,\n'
            '    "env": {"BRAVE_API_KEY": "BSAREDACTEDredactedREDACTED0000"}},\n'
            '  "mssql": {"command": "python", "args": ["server.py"], "env": {"MSSQL_USER": "cepm_ro",\n'
            '    "MSSQL_PASSWORD": "RedactedPassw0rdREDACTED"}}\n}}\n',
            path="cline_mcp_settings.json",
            title="A Brave key on a disabled server and a SQL password (Cline)",
            expect=(("cline_mcp_settings.json", 3, "AL202"), ("cline_mcp_settings.json", 5, "AL202")),
        ),
        Example.of(
            '{"mcpServers": {\n'
            '  "openai": {"command": "docker", "args": ["run", "-i", "--rm",\n'
            '    "-e", "OPENAI_API_KEY=sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS",\n'
            '    "mcp/openai:1.0"]},\n'
            '  "db": {"command": "npx", "args": ["-y", "@acme/db-mcp@2.1.0", "--token", "f3A9c2E7b1D8e4F6a0B5"]}\n}}\n',
            path=".mcp.json",
            title="Credentials in launch arguments",
            expect=((".mcp.json", 3, "AL202"), (".mcp.json", 5, "AL202")),
        ),
    )
