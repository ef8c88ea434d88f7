"""Table-driven tests of the detection helpers behind AL202-AL206: secrets, placeholders,
filesystem roots, local hosts and known servers. The true negatives are values seen in real,
committed MCP client configs."""

from __future__ import annotations

import base64
import json

import pytest

from agentlint.model import capabilities as caps
from agentlint.model import secrets
from agentlint.model.source import NodeRef, Span
from agentlint.model.tools import Launch, Setting, Text

# Random strings shaped like real tokens (never real ones).
R36 = "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
R40 = "KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXu"
R35 = "kWvj7FAc9QeWJKY40uvSwMFLZDe1f8rESQe"
R24 = "dUStPKR0CsTy4Qwb8DwkNhFd"


def _jwt(payload: dict[str, str]) -> str:
    def part(data: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.{R36[:30]}"


SECRETS = [
    # (name, value, expected kind) -- corpus and shapes of real credentials
    ("BRAVE_API_KEY", "BSAREDACTEDredactedREDACTED0000", "Brave Search API key"),
    ("Authorization", "Basic dGVzdEBsaWZlcmF5LmNvbTp0ZXN0", "Basic credential"),
    ("MSSQL_PASSWORD", "RedactedPassw0rdREDACTED", "password"),
    ("TAVILY_API_KEY", f"ghp_{R36}", "GitHub token"),
    ("GITHUB_PERSONAL_ACCESS_TOKEN", f"github_pat_11A{R40}", "GitHub token"),
    ("OPENAI_API_KEY", f"sk-proj-{R40}", "OpenAI API key"),
    ("ANTHROPIC_API_KEY", f"sk-ant-api03-{R40}", "Anthropic API key"),
    ("SLACK_BOT_TOKEN", f"xoxb-2841-{R24}", "Slack token"),
    ("AWS_ACCESS_KEY_ID", "AKIAQ3EGT7NZK4R2PLMW", "AWS access key ID"),
    ("GOOGLE_API_KEY", f"AIza{R35}", "Google API key"),
    ("STRIPE_SECRET_KEY", f"sk_live_{R24}", "Stripe key"),
    ("HF_TOKEN", f"hf_{R36}", "Hugging Face token"),
    ("SUPABASE_SERVICE_ROLE_KEY", _jwt({"role": "service_role", "iss": "supabase"}), "JWT"),
    ("SSH_PRIVATE_KEY", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n", "private key"),
    ("Authorization", f"Bearer {R40}", "Bearer token"),
    ("Authorization", f"token {R40}", "access token"),
    ("X-API-Key", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "key"),
    ("SUPABASE_ACCESS_TOKEN", "sbp_4f1c9a7e2b8d3f6a0c5e9b1d7a3f8c2e6b0d4a9f", "token"),
    ("CLIENT_SECRET", R24, "secret"),
    ("DB_PASS", "hunter2!", "password"),
    ("PGPASSWORD", "s3cr3t-Pg", "password"),
    ("DATABASE_URL", "postgresql://app:Wq8zLr2v@db.internal.acme.io:5432/app", "password"),
    ("SEARCH_ENDPOINT", f"https://api.search.acme.io/v1?api_key={R24}", "key"),
]

NOT_SECRETS = [
    # placeholders and references
    ("TAVILY_API_KEY", "{secret}"),
    ("YOUTUBE_API_KEY", "${input:youtube_api_key}"),
    ("GITHUB_TOKEN", "${env:GITHUB_TOKEN}"),
    ("GITHUB_TOKEN", "${GITHUB_TOKEN}"),
    ("API_KEY", "${API_KEY:-}"),
    ("API_KEY", "$API_KEY"),
    ("API_KEY", "%API_KEY%"),
    ("GITHUB_TOKEN", "{{mcp-github.github_token}}"),
    ("OPENAI_API_KEY", "<your-openai-key>"),
    ("OPENAI_API_KEY", "YOUR_API_KEY"),
    ("OPENAI_API_KEY", "your_key_here"),
    ("OPENAI_API_KEY", "sk-your-key-here"),
    ("OPENAI_API_KEY", "sk-..."),
    ("API_KEY", "my-api-key-2024"),
    ("PERSISTQ_API_KEY", "ttm_live_…"),
    ("MAILBOX_SERVICE_API_KEY", "canonical-fixture-key"),
    ("GITHUB_TOKEN", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
    ("API_KEY", "REDACTED"),
    ("API_KEY", "[REDACTED]"),
    ("API_KEY", "xxx"),
    ("API_KEY", "********"),
    ("DB_PASSWORD", "changeme"),
    ("DB_PASSWORD", "password"),
    ("API_KEY", ""),
    ("API_KEY", "op://Private/OpenAI/credential"),
    ("Authorization", "Bearer ${input:token}"),
    ("Authorization", "Bearer <token>"),
    ("SUPABASE_ANON_KEY", _jwt({"role": "anon", "iss": "supabase"})),
    # values that are not credentials (real configs)
    ("MCP_TIMEOUT", "300"),
    ("MCP_LOG_LEVEL", "INFO"),
    ("MCP_ALLOWED_TARGETS", "scanme.nmap.org,testphp.vulnweb.com"),
    ("MSSQL_USER", "cepm_ro"),
    ("MSSQL_DATABASE", "PKG_ENG"),
    ("MSSQL_SERVER", "redacted-sqlmi.000000000000.database.windows.net"),
    ("MSSQL_DRIVER", "{ODBC Driver 17 for SQL Server}"),
    ("PATH", "C:/Users/te-yihsu/AppData/Local/Programs/Python/Python312/Scripts;%PATH%"),
    ("EXCEL_FILES_PATH", "C:/Users/te-yihsu/Downloads"),
    ("FILE_PATH", "task.json"),
    ("HTTPS_PROXY", "http://127.0.0.1:8080"),
    ("NODE_OPTIONS", "--require ./proxy-preload.cjs"),
    ("AGENT_BRIDGE_STATE_DIR", "${env:HOME}/.agent-bridge-mcp/state"),
    ("OBSIDIAN_REST_URL", "https://host.docker.internal:27124"),
    ("MAX_TOKENS", "4096"),
    ("TOKEN_URL", "https://login.acme.io/oauth/token"),
    ("API_KEY_HEADER", "X-Api-Key"),
    ("SECRET_BACKEND", "vault"),
    ("TOKEN_STORE", "keychain"),
    ("AWS_REGION", "us-east-1"),
    ("SSH_KEY", "~/.ssh/id_ed25519"),
    ("GOOGLE_APPLICATION_CREDENTIALS", "/secrets/sa.json"),
    ("PARTITION_KEY", "tenant_id_2024_v2"),
    ("PUBLIC_KEY", "MCowBQYDK2VwAyEAq8Zp3Lr2"),
    ("API_KEY", "true"),
    ("DB_URL", "postgresql://localhost:5432/mydb"),
    ("DB_URL", "postgresql://user:password@localhost/db"),
    ("SEARCH", "https://mcp.supabase.com/mcp?project_ref=sxqopofoynsqkztozlix&features=docs%2Caccount"),
    ("DESCRIPTION", "Use Bearer authentication for the API"),
]


@pytest.mark.parametrize(("name", "value", "kind"), SECRETS, ids=[f"{n}={k}" for n, _, k in SECRETS])
def test_literal_secret_found(name: str, value: str, kind: str) -> None:
    assert secrets.literal_secret(name, value, header=name == "Authorization") == kind


@pytest.mark.parametrize(("name", "value"), NOT_SECRETS, ids=[f"{n}={v[:20]}" for n, v in NOT_SECRETS])
def test_not_a_secret(name: str, value: str) -> None:
    assert secrets.literal_secret(name, value, header=name == "Authorization") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("OPENAI_API_KEY", True), ("apiKey", True), ("X-API-Key", True), ("x-goog-api-key", True),
        ("Authorization", True), ("PGPASSWORD", True), ("DB_PASS", True), ("GITHUB_PAT", True),
        ("SLACK_BOT_TOKEN", True), ("AWS_SECRET_ACCESS_KEY", True), ("API_KEY_2", True),
        ("MAX_TOKENS", False), ("TOKEN_URL", False), ("AWS_ACCESS_KEY_ID", False), ("KEY_FILE", False),
        ("PUBLIC_KEY", False), ("PATH", False), ("BYPASS", False), ("MONKEY", False), ("AUTH_TYPE", False),
    ],
)  # fmt: skip
def test_secret_name(name: str, expected: bool) -> None:
    assert secrets.secret_name(name) is expected


def test_declared_secret_with_any_name() -> None:
    assert secrets.literal_secret("ACME_CREDENTIAL", "q8Zp3Lr2vW", declared=True) == "credential"
    assert secrets.literal_secret("ACME_REGION", "q8Zp3Lr2vW", declared=True) == "secret"
    assert secrets.literal_secret("ACME_REGION", "q8Zp3Lr2vW") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://app:Wq8zLr2v@db.acme.io/x", [("URL user info", "password")]),
        (f"https://ghp_{R36}@github.com/o/r.git", [("URL user info", "GitHub token")]),
        (f"https://api.acme.io/mcp?token={R24}&v=2", [("URL query parameter token", "token")]),
        (f"https://maps.acme.io/?key=AIza{R35}", [("URL query parameter key", "Google API key")]),
        ("https://mcp.context7.com/mcp", []),
        ("https://mcp.supabase.com/mcp?project_ref=sxqopofoynsqkztozlix&features=docs", []),
        ("https://api.acme.io/mcp?api_key=${input:key}", []),
        ("https://user:${DB_PASSWORD}@db.acme.io/x", []),
        ("http://localhost:8080/o/mcp/sse", []),
    ],
)
def test_url_secrets(url: str, expected: list[tuple[str, str]]) -> None:
    assert list(secrets.url_secrets(url)) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["run", "-e", f"OPENAI_API_KEY=sk-proj-{R40}", "img:1"], [(2, "argument OPENAI_API_KEY", "OpenAI API key")]),
        (["-y", "pkg@1", "--api-key", R24], [(3, "argument --api-key", "key")]),
        (["-y", "pkg@1", f"--token={R24}"], [(2, "argument --token", "token")]),
        (["mcp-remote", "https://x.io/sse", "--header", f"Authorization: Bearer {R40}"],
         [(3, "header argument Authorization", "Bearer token")]),
        (["-y", "pkg", f"xoxb-2841-{R24}"], [(2, "an argument", "Slack token")]),
        # true negatives from real configs
        (["run", "-i", "--rm", "-e", "OBSIDIAN_API_KEY=${input:obsidian-api-key}", "-e",
          "OBSIDIAN_REST_URL=https://host.docker.internal:27124", "ghcr.io/alexw00/obsidian-rest-mcp:latest"], []),
        (["run", "-i", "-e", "MCP_TIMEOUT=300", "-e", "MCP_RATE_LIMIT=5", "kali-mcp-server"], []),
        (["mcp-remote", "https://mcp.example.com/sse", "--header", "Authorization:${AUTH_HEADER}"], []),
        (["-y", "@modelcontextprotocol/server-filesystem", "/Users/alice/Desktop"], []),
        (["mcp-server-time", "--local-timezone=Asia/Tokyo"], []),
        (["-c", "npx -y tavily-mcp@0.1.3"], []),
        (["--api-key", "YOUR_API_KEY"], []),
        (["tool", "run", "arxiv-mcp-server", "--storage-path", "."], []),
    ],
)  # fmt: skip
def test_argument_secrets(words: list[str], expected: list[tuple[int, str, str]]) -> None:
    assert list(secrets.argument_secrets(words)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/", "the filesystem root"), ("~", "the home directory"), ("~/", "the home directory"),
        ("$HOME", "the home directory"), ("${env:HOME}", "the home directory"), ("${userHome}", "the home directory"),
        ("%USERPROFILE%", "the home directory"), ("/Users/alice", "a whole home directory"),
        ("/home/bob/", "a whole home directory"), ("/root", "a whole home directory"), ("C:\\", "a whole drive"),
        ("C:", "a whole drive"), ("C:\\Users\\dana", "a whole home directory"), ("/Users", "every home directory"),
        ("/mnt/c", "a whole drive"),
        ("/Users/alice/Desktop", None), ("/home/bob/projects/app", None), (".", None), ("./data", None),
        ("${workspaceFolder}", None), ("/tmp", None), ("/projects", None), ("C:/UVG/PROYECTO1/MCP_Local", None),
        ("$HOME/notes", None), ("a/users", None),
    ],
)  # fmt: skip
def test_broad_root(value: str, expected: str | None) -> None:
    assert caps.broad_root(value) == expected


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://mcp.acme.io/mcp", "mcp.acme.io"), ("ws://stream.acme.io/mcp", "stream.acme.io"),
        ("http://192.168.1.20:3001/sse", "192.168.1.20"), ("http://user:pw@evil.io/", "evil.io"),
        ("http://localhost:3001/sse", None), ("http://127.0.0.1:8080/mcp", None), ("http://127.1.2.3/x", None),
        ("http://[::1]:8080/", None), ("http://0.0.0.0:8000/mcp", None), ("http://host.docker.internal:8931/mcp", None),
        ("http://app.localhost/mcp", None), ("http://${input:host}/mcp", None), ("https://mcp.acme.io/mcp", None),
        ("wss://stream.acme.io/mcp", None), ("stdio", None),
    ],
)  # fmt: skip
def test_insecure_host(url: str, host: str | None) -> None:
    assert caps.insecure_host(url) == host


def _launch(command: str, *args: str) -> Launch:
    def text(value: str, index: int) -> Text:
        return Text(value, Span.point(1, index + 1), NodeRef("mcp.json", ("args", index)))

    return Launch(text(command, 0), tuple(text(a, i + 1) for i, a in enumerate(args)))


@pytest.mark.parametrize(
    ("launch", "expected"),
    [
        (_launch("npx", "-y", "mcp-server-commands"), "mcp-server-commands"),
        (_launch("npx", "-y", "@wonderwhy-er/desktop-commander@latest"), "@wonderwhy-er/desktop-commander"),
        (_launch("uvx", "mcp-shell-server==1.1.8"), "mcp-shell-server"),
        (_launch("uvx", "terminal_controller"), "terminal_controller"),
        (_launch("python", "-m", "terminal_controller"), "terminal_controller"),
        (_launch("/home/u/.venv/bin/mcp-server-shell"), "mcp-server-shell"),
        (_launch("cmd", "/c", "npx", "-y", "@simonb97/server-win-cli"), "@simonb97/server-win-cli"),
        (_launch("bash", "-c", "exec npx -y iterm-mcp"), "iterm-mcp"),
        (_launch("docker", "run", "-i", "--rm", "mcp/desktop-commander:latest"), "mcp/desktop-commander"),
        # not command runners
        (_launch("bash", "-c", "npx -y tavily-mcp@0.1.3"), None),
        (_launch("npx", "-y", "@e2b/mcp-server"), None),
        (_launch("uvx", "mcp-server-fetch"), None),
        (_launch("docker", "mcp", "gateway", "run"), None),
        (_launch("node", "/Users/me/shell-tools/build/index.js"), None),
        (_launch("npx", "-y", "@modelcontextprotocol/server-filesystem", "/tmp"), None),
    ],
)
def test_command_server(launch: Launch, expected: str | None) -> None:
    found = caps.command_server(launch)
    assert (found.name if found else None) == expected


@pytest.mark.parametrize(
    ("launch", "roots"),
    [
        (_launch("npx", "-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/a", "~"), ["/a", "~"]),
        (_launch("docker", "run", "-i", "--rm", "--mount", "type=bind,src=/Users/u,dst=/projects", "mcp/filesystem", "/projects"),
         ["/Users/u"]),
        (_launch("docker", "run", "-i", "-v", "C:\\Users\\u:/projects:ro", "mcp/filesystem", "/projects"), ["C:\\Users\\u"]),
        (_launch("mcp-filesystem-server", "/srv/data"), ["/srv/data"]),
        (_launch("rust-mcp-filesystem", "--allow-write", "/"), ["/"]),
        (_launch("npx", "-y", "@cyanheads/filesystem-mcp-server"), []),
        (_launch("go", "run", "github.com/mark3labs/mcp-filesystem-server@latest", "/"), ["/"]),
        (_launch("wsl", "docker", "run", "-i", "--mount", "type=bind,src=/home/u,dst=/p", "mcp/filesystem", "/p"), ["/home/u"]),
    ],
)  # fmt: skip
def test_filesystem_roots(launch: Launch, roots: list[str]) -> None:
    found = [value for item in caps.filesystem_servers(launch) for _, value, _ in caps.root_arguments(item)]
    assert found == roots


def test_not_filesystem_servers() -> None:
    for launch in (
        _launch("uvx", "mcp-server-git", "--repository", "/"),
        _launch("npx", "-y", "@modelcontextprotocol/server-memory"),
        _launch("docker", "run", "-i", "-v", "/:/host", "mcp/postgres"),
    ):
        assert caps.filesystem_servers(launch) == []


def test_command_allow_list() -> None:
    def env(name: str, value: str) -> tuple[Setting, ...]:
        span = Span.point(1)
        return (Setting(name, value, span, span, NodeRef("x")),)

    assert caps.has_command_allow_list(env("ALLOW_COMMANDS", "ls,cat"))
    assert not caps.has_command_allow_list(env("ALLOWED_COMMANDS", "all"))
    assert not caps.has_command_allow_list(env("LOG_LEVEL", "INFO"))
    assert caps.is_command_tool("execute_command") and caps.is_command_tool("Run-Command")
    assert not caps.is_command_tool("execute_sql") and not caps.is_command_tool("run_code")


def test_server_secrets_read_scripts_and_header_arguments() -> None:
    from agentlint.model.tools import ToolServer

    launch = _launch(
        "bash", "-c", f"exec npx -y @acme/search-mcp@1.0.0 --api-key {R24}",
        "--header", f"Authorization: Bearer {R40}", "--region", "eu-west-1",
    )  # fmt: skip
    span = Span.point(1)
    env = (Setting("ACME_TOKEN", "${input:acme}", span, span, NodeRef("mcp.json", ("env", "ACME_TOKEN"))),)
    server = ToolServer(NodeRef("mcp.json"), span, (), name="acme", dialect="cursor", config="client", launch=launch, env=env)
    found = [(where, kind, ref.pointer) for where, kind, _, ref in secrets.server_secrets(server)]
    assert found == [
        ("argument --api-key", "key", ("args", 2)),
        ("header argument Authorization", "Bearer token", ("args", 4)),
    ]


def test_env_roots() -> None:
    span = Span.point(1)

    def setting(name: str, value: str) -> Setting:
        return Setting(name, value, span, span, NodeRef("x"))

    env = (
        setting("ALLOWED_DIRECTORIES", "/srv/a:/srv/b"),
        setting("MCP_FS_ROOTS", "${env:HOME},C:\\Work"),
        setting("LOG_LEVEL", "/"),
    )
    assert [value for _, value in caps.env_roots(env)] == ["/srv/a", "/srv/b", "${env:HOME}", "C:\\Work"]
