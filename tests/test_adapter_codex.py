"""OpenAI Codex CLI config.toml -> ToolServer entities: exact fields and positions, shape
problems, claims, and the whole pipeline (TOML comments as suppressions) through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentlint.adapters.mcp_codex import ADAPTER, adapt, claims
from agentlint.cli import main
from agentlint.loaders.base import Syntax
from agentlint.loaders.toml import load_toml
from agentlint.model.source import NodeRef, Pointer, Pos, Span
from agentlint.model.tools import Launch, Setting, Text, TimeoutSetting, ToolServer, Transport

PATH = ".codex/config.toml"
CONFIG = """\
# Codex CLI settings committed for the team
model = "gpt-5-codex"
approval_policy = "on-request"

[mcp_servers.github]
command = "docker"
args = ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server:v0.13.0"]
startup_timeout_sec = 30
tool_timeout_sec = 90.5
enabled_tools = ["get_issue", "list_pull_requests"]

[mcp_servers.github.env]
GITHUB_PERSONAL_ACCESS_TOKEN = "${GITHUB_PAT}"

[mcp_servers.docs]
url = "https://docs.example.com/mcp"
bearer_token_env_var = "DOCS_TOKEN"
http_headers = { "X-Team" = "platform" }
env_http_headers = { "X-Api-Key" = "DOCS_API_KEY" }
disabled_tools = ["delete_page"]
enabled = false
"""


def span(line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(Pos(line, col), Pos(end_line, end_col))


def ref(*pointer: str | int) -> NodeRef:
    return NodeRef(PATH, pointer)


def text(value: str, where: Span, *pointer: str | int) -> Text:
    return Text(value, where, ref(*pointer))


def servers(source: str, path: str = PATH) -> tuple[list[ToolServer], list[tuple[str, int, int, str]]]:
    loaded = load_toml(path, source)
    assert loaded.problems == []
    adapted = adapt(loaded)
    problems = [(p.code, p.location.span.start.line, p.location.span.start.column, p.message) for p in adapted.problems]
    return adapted.entities, problems


GH: Pointer = ("mcp_servers", "github")
DOCS: Pointer = ("mcp_servers", "docs")

GITHUB = ToolServer(
    ref=ref(*GH),
    span=span(5, 14, 5, 20),
    fields=(
        ("command", span(6, 11, 6, 19)),
        ("args", span(7, 1, 7, 5)),
        ("startup_timeout_sec", span(8, 23, 8, 25)),
        ("tool_timeout_sec", span(9, 20, 9, 24)),
        ("enabled_tools", span(10, 1, 10, 14)),
        ("env", span(12, 21, 12, 24)),
    ),
    name="github",
    dialect="codex",
    config="client",
    transport=Transport.STDIO,
    launch=Launch(
        text("docker", span(6, 11, 6, 19), *GH, "command"),
        (
            text("run", span(7, 9, 7, 14), *GH, "args", 0),
            text("-i", span(7, 16, 7, 20), *GH, "args", 1),
            text("--rm", span(7, 22, 7, 28), *GH, "args", 2),
            text("-e", span(7, 30, 7, 34), *GH, "args", 3),
            text("GITHUB_PERSONAL_ACCESS_TOKEN", span(7, 36, 7, 66), *GH, "args", 4),
            text("ghcr.io/github/github-mcp-server:v0.13.0", span(7, 68, 7, 110), *GH, "args", 5),
        ),
    ),
    env=(
        Setting(
            "GITHUB_PERSONAL_ACCESS_TOKEN",
            "${GITHUB_PAT}",
            span(13, 1, 13, 29),
            span(13, 32, 13, 47),
            ref(*GH, "env", "GITHUB_PERSONAL_ACCESS_TOKEN"),
        ),
    ),
    timeout=TimeoutSetting("tool_timeout_sec", 90.5, 60.0, span(9, 20, 9, 24)),
    extra=(
        ("startup_timeout", TimeoutSetting("startup_timeout_sec", 30.0, 10.0, span(8, 23, 8, 25))),
        (
            "enabled_tools",
            (
                text("get_issue", span(10, 18, 10, 29), *GH, "enabled_tools", 0),
                text("list_pull_requests", span(10, 31, 10, 51), *GH, "enabled_tools", 1),
            ),
        ),
    ),
)

DOCS_SERVER = ToolServer(
    ref=ref(*DOCS),
    span=span(15, 14, 15, 18),
    fields=(
        ("url", span(16, 7, 16, 37)),
        ("bearer_token_env_var", span(17, 24, 17, 36)),
        ("http_headers", span(18, 1, 18, 13)),
        ("env_http_headers", span(19, 1, 19, 17)),
        ("disabled_tools", span(20, 1, 20, 15)),
        ("enabled", span(21, 11, 21, 16)),
    ),
    name="docs",
    dialect="codex",
    config="client",
    transport=Transport.HTTP,
    url=text("https://docs.example.com/mcp", span(16, 7, 16, 37), *DOCS, "url"),
    headers=(
        Setting("X-Team", "platform", span(18, 18, 18, 26), span(18, 29, 18, 39), ref(*DOCS, "http_headers", "X-Team")),
        Setting(
            "X-Api-Key",
            "${DOCS_API_KEY}",
            span(19, 22, 19, 33),
            span(19, 36, 19, 50),
            ref(*DOCS, "env_http_headers", "X-Api-Key"),
        ),
        Setting(
            "Authorization",
            "Bearer ${DOCS_TOKEN}",
            span(17, 1, 17, 21),
            span(17, 24, 17, 36),
            ref(*DOCS, "bearer_token_env_var"),
        ),
    ),
    timeout=TimeoutSetting("tool_timeout_sec", None, 60.0, None),
    disabled=True,
    extra=(
        ("startup_timeout", TimeoutSetting("startup_timeout_sec", None, 10.0, None)),
        ("disabled_tools", (text("delete_page", span(20, 19, 20, 32), *DOCS, "disabled_tools", 0),)),
        ("bearer_token_env_var", text("DOCS_TOKEN", span(17, 24, 17, 36), *DOCS, "bearer_token_env_var")),
    ),
)


def test_realistic_config_gives_exact_entities() -> None:
    entities, problems = servers(CONFIG)
    assert problems == []
    assert entities == [GITHUB, DOCS_SERVER]
    assert entities[0].get("startup_timeout").seconds == 30.0


def test_adapter_registration() -> None:
    assert (ADAPTER.name, ADAPTER.syntaxes) == ("mcp-codex", frozenset({Syntax.TOML}))


@pytest.mark.parametrize(
    ("path", "source", "claimed"),
    [
        (".codex/config.toml", "", True),
        ("team/.codex/config.toml", 'model = "o3"\n', True),
        ("codex.toml", '[mcp_servers.fs]\ncommand = "npx"\n', True),
        ("config/agents.toml", 'x = 1\n[ mcp_servers ]\nfs.command = "npx"\n', True),
        ("c.toml", 'mcp_servers.fs.command = "npx"\n', True),
        ("C.TOML", 'mcp_servers = { fs = { command = "npx" } }\n', True),
        ("pyproject.toml", '[tool.poetry]\nname = "x"\n', False),
        ("pyproject.toml", '[tool.other.mcp_servers.fs]\ncommand = "npx"\n', False),
        (".codex/config.json", '{"mcp_servers": {}}', False),
    ],
)
def test_claims(path: str, source: str, claimed: bool) -> None:
    assert claims(path, source) is claimed


def test_other_spellings_of_the_same_servers() -> None:
    source = (
        'mcp_servers.a = { command = "npx", args = ["-y", "pkg@1.0.0"] }\n'  # line 1
        "[mcp_servers.b]\n"
        'url = "http://localhost:8080/mcp"\n'
        "startup_timeout_ms = 2500\n"
        "tool_timeout_sec = 15\n"
    )
    (a, b), problems = servers(source, "codex.toml")
    assert problems == []
    assert (a.name, a.span, a.transport, a.launch.command.span, [t.value for t in a.launch.args]) == (
        "a",
        span(1, 13, 1, 14),
        Transport.STDIO,
        span(1, 29, 1, 34),
        ["-y", "pkg@1.0.0"],
    )
    assert a.launch.args[1].span == span(1, 50, 1, 61)
    assert a.timeout == TimeoutSetting("tool_timeout_sec", None, 60.0, None)
    assert (b.name, b.span, b.transport, b.url.value) == ("b", span(2, 14, 2, 15), Transport.HTTP, "http://localhost:8080/mcp")
    assert b.get("startup_timeout") == TimeoutSetting("startup_timeout_ms", 2.5, 10.0, span(4, 22, 4, 26))
    assert b.timeout == TimeoutSetting("tool_timeout_sec", 15.0, 60.0, span(5, 20, 5, 22))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("mcp_servers = 1\n", [("AL002", 1, 15, "'mcp_servers' must be a table of servers by name")]),
        ("[mcp_servers]\nx = 1\n", [("AL002", 2, 1, "server 'x' must be a table")]),
        (
            "[mcp_servers.empty]\nenabled = true\n",
            [("AL002", 1, 14, "server 'empty' has neither 'command' nor 'url': Codex cannot start it")],
        ),
        (
            '[mcp_servers.both]\ncommand = "npx"\nurl = "https://x.example/mcp"\n',
            [("AL002", 3, 1, "server 'both' sets both 'command' and 'url': Codex rejects it")],
        ),
        (
            '[mcp_servers.s]\ncommand = ["npx"]\ntool_timeout_sec = "30"\nenabled = "no"\nenv = ["A=1"]\nargs = "-y"\n',
            [
                ("AL002", 2, 11, "'command' of server 's' must be a string"),
                ("AL002", 3, 20, "'tool_timeout_sec' of server 's' must be a number"),
                ("AL002", 6, 8, "'args' of server 's' must be an array of strings"),
                ("AL002", 5, 7, "'env' of server 's' must be a table"),
                ("AL002", 4, 11, "'enabled' of server 's' must be true or false"),
            ],
        ),
    ],
)
def test_shape_problems(source: str, expected: list) -> None:
    entities, problems = servers(source)
    assert entities == []
    assert problems == expected


def test_a_literal_bearer_token_is_a_header_rules_can_see() -> None:
    (server,), _ = servers('[mcp_servers.x]\nurl = "https://x.example/mcp"\nbearer_token = "sk-live-123"\n')
    assert server.headers == (
        Setting(
            "Authorization",
            "Bearer sk-live-123",
            span(3, 1, 3, 13),
            span(3, 16, 3, 29),
            ref("mcp_servers", "x", "bearer_token"),
        ),
    )


def test_no_servers_no_entities() -> None:
    assert servers('model = "o3"\n[projects."/home/me/repo"]\ntrust_level = "trusted"\n') == ([], [])


# --- through the engine ---------------------------------------------------------------------


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, dict]:
    monkeypatch.chdir(tmp_path)
    code = main(["check", ".", "--isolated", "--format", "json", "--show-suppressed", *args])
    return code, json.loads(capsys.readouterr().out)


def test_engine_reads_codex_config_without_internal_errors(tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / ".codex").mkdir()
    (tmp_path / ".codex" / "config.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")  # not claimed
    code, data = _check(tmp_path, monkeypatch, capsys)
    assert code in (0, 1)
    assert not data["summary"]["internal_error"]
    assert [f for f in data["findings"] if f["code"].startswith("AL9")] == []
    assert (data["summary"]["files_checked"], data["summary"]["files_skipped"]) == (1, 1)


def test_engine_toml_syntax_error_and_suppression_comment(tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / ".codex").mkdir()
    (tmp_path / ".codex" / "config.toml").write_text(
        'model = "o4-mini"\n'
        "\n"
        "[mcp_servers.search]\n"
        'url = "https://search.example.com/mcp"\n'
        "\n"
        "# agentlint: ignore[AL208] the vendor enforces its own 30 s limit\n"
        "[mcp_servers.files]\n"
        'command = "uvx"\n'
        'args = ["mcp-server-filesystem==0.6.2"]\n',
        encoding="utf-8",
    )
    (tmp_path / "broken.toml").write_text('[mcp_servers.x]\ncommand = "npx\n', encoding="utf-8")
    code, data = _check(tmp_path, monkeypatch, capsys, "--select", "AL001,AL208,AL9")
    found = [(f["code"], f["path"], f["line"], f["column"], bool(f["suppression"])) for f in data["findings"]]
    assert found == [
        ("AL208", ".codex/config.toml", 3, 14, False),
        ("AL208", ".codex/config.toml", 7, 14, True),
        ("AL001", "broken.toml", 2, 15, False),  # where tomllib stops: the line break
    ]
    assert code == 1


def test_directive_above_first_server_covers_only_that_server(tmp_path, capsys, monkeypatch) -> None:
    from agentlint.cli import main

    (tmp_path / ".codex").mkdir()
    (tmp_path / ".codex" / "config.toml").write_text(
        "# agentlint: ignore[AL208] the docs server answers from a local cache\n"
        "[mcp_servers.docs]\n"
        'command = "docs-mcp"\n'
        "\n"
        "[mcp_servers.search]\n"
        'command = "search-mcp"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    main(["check", "--isolated", "--select", "AL208,AL903", "--format", "concise"])
    out = capsys.readouterr().out.splitlines()
    assert out == [
        ".codex/config.toml:5:14: warning: server 'search' sets no 'tool_timeout_sec': the client waits 60 s"
        " for each tool call [AL208]"
    ]
