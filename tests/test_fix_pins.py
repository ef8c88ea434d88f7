"""AL201's safe fix: a bare PyPI package run by uvx / pipx run takes the one exact version the
project's own requirements pin for it; nothing when they pin none or disagree, nothing for npm
packages (no version of them is stated anywhere), a script or an argument that is not the bare
package."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint.cli import main

MCP = """{
  // servers
  "servers": {
    "fetch": {"command": "uvx", "args": ["mcp-server-fetch"]},
    "time": {"command": "uvx", "args": ["mcp-server-time", "--local-timezone=UTC"]},
    "git": {"command": "pipx", "args": ["run", "mcp_server_git"]},
    "sh": {"command": "bash", "args": ["-c", "uvx mcp-server-fetch"]},
    "notion": {"command": "npx", "args": ["-y", "@suekou/mcp-notion-server"]}
  }
}
"""


def run(root: Path, files: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    code = main(["check", "--isolated", "--format", "concise", "--select", "AL201", "--fix", "."])
    out, err = capsys.readouterr()
    return code, out, err


def test_uvx_and_pipx_take_the_version_the_requirements_pin(tmp_path, monkeypatch, capsys) -> None:
    requirements = "mcp-server-fetch==2025.4.7\nMCP_Server_Git==0.6.2\nmcp-server-time>=0.6\n"
    code, out, err = run(tmp_path, {".vscode/mcp.json": MCP, "requirements.txt": requirements}, monkeypatch, capsys)
    assert (tmp_path / ".vscode/mcp.json").read_text(encoding="utf-8") == MCP.replace(
        '["mcp-server-fetch"]', '["mcp-server-fetch==2025.4.7"]'
    ).replace('"mcp_server_git"]', '"mcp_server_git==0.6.2"]')
    assert [line.split(": ")[0] for line in out.splitlines()] == [
        ".vscode/mcp.json:5:41",  # time: a range pins nothing
        ".vscode/mcp.json:7:46",  # a script
        ".vscode/mcp.json:8:49",  # npm: no version stated anywhere
    ]
    assert "agentlint: Fixed 2 problems (3 remaining).\n" in err
    assert code == 1


def test_no_fix_when_two_requirements_files_disagree(tmp_path, monkeypatch, capsys) -> None:
    files = {".vscode/mcp.json": MCP, "requirements.txt": "mcp-server-fetch==2025.4.7\n", "dev/requirements.txt": "mcp-server-fetch==2025.1.1\n"}
    code, _, err = run(tmp_path, files, monkeypatch, capsys)
    assert (tmp_path / ".vscode/mcp.json").read_text(encoding="utf-8") == MCP
    assert "agentlint: Fixed 0 problems (5 remaining).\n" in err
    assert code == 1
