"""Issue 11, points 1 and 10: never silently green (what was not read, nothing found at all,
--show-files, SARIF artifacts and notifications) and the conveniences ruff users expect (the
concise summary on stderr, --statistics, stdin with --stdin-filename, FORCE_COLOR, -q)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentlint.cli import main
from agentlint.unclaimed import worth_announcing
from tests.test_report_sarif import _errors

MCP = '{\n  "servers": {\n    "files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/"]}\n  }\n}\n'
PINNED = '{\n  "servers": {\n    "files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/srv"]}\n  }\n}\n'
AL201 = ".vscode/mcp.json:3:48: error: npx runs '@modelcontextprotocol/server-filesystem' without a version: pin an exact version (@modelcontextprotocol/server-filesystem@<version>) [AL201]"
AL204 = ".vscode/mcp.json:3:91: error: server 'files' gives a filesystem server the filesystem root (argument '/'): allow only the directories the task needs [AL204]"
SUMMARY = "Found 2 problems (2 errors, 0 warnings, 0 infos) in 1 file, 1 file not recognised (use --show-files).\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


# A normal repository around one MCP config: CI workflow, package.json and a plain module are
# not agent configuration (never announced); notes.yaml has an `agents:` key no adapter reads.
ORDINARY = {
    ".github/workflows/ci.yml": "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
    "package.json": '{"name": "x", "version": "1.0.0", "scripts": {"test": "jest"}}\n',
    "util.py": "x = 1\n",
}


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _write(tmp_path, {".vscode/mcp.json": MCP, "notes.yaml": "agents:\n  helper: {}\n", **ORDINARY})
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "AGENTLINT_FORMAT", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", "--isolated", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_concise_summary_goes_to_stderr_and_names_what_was_not_read(project: Path, capsys) -> None:
    code, out, err = run(capsys, "--format", "concise")
    assert (code, out.splitlines(), err) == (1, [AL201, AL204], SUMMARY)


def test_quiet_prints_the_findings_only(project: Path, capsys) -> None:
    assert run(capsys, "--format", "concise", "-q") == (1, f"{AL201}\n{AL204}\n", "")
    code, out, err = run(capsys, "--format", "text", "--quiet")
    assert (code, err) == (1, "")
    assert "Found" not in out and AL201.split(": error: ")[1].split(" [")[0] in out
    code, out, _ = run(capsys, "--format", "text")
    assert out.splitlines()[-1] == SUMMARY.strip()


def test_files_named_on_the_command_line_and_skipped_are_announced(project: Path, capsys) -> None:
    _write(project, {"README.md": "# hi\n"})
    code, out, err = run(capsys, "--format", "json", "README.md", "util.py", ".vscode/mcp.json")
    assert (code, err) == (1, "agentlint: 2 files not recognised (use --show-files)\n")
    summary = json.loads(out)["summary"]
    assert (summary["files_not_recognised"], summary["files_checked"], summary["nothing_found"]) == (2, 1, False)


def test_an_ordinary_repository_is_not_announced(tmp_path: Path, monkeypatch, capsys) -> None:
    _write(tmp_path, {".vscode/mcp.json": PINNED, **ORDINARY})
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "--format", "json")[2] == ""
    assert run(capsys, "--format", "concise") == (0, "", "All checked: no problems in 1 file.\n")


def test_show_files_lists_every_file_and_what_became_of_it(project: Path, capsys) -> None:
    code, out, err = run(capsys, "--show-files")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        ".github/workflows/ci.yml: not recognised",
        ".vscode/mcp.json: mcp-client",
        "notes.yaml: not recognised",
        "package.json: not recognised",
        "util.py: skipped: names no library agentlint reads",
    ]


def test_a_run_that_found_nothing_to_judge_is_not_all_clear(tmp_path: Path, monkeypatch, capsys) -> None:
    _write(tmp_path, ORDINARY)
    monkeypatch.chdir(tmp_path)
    nothing = "No agent definition, MCP config or prompt found in 0 files."
    assert run(capsys, "--format", "concise") == (0, "", nothing + "\n")
    code, out, err = run(capsys, "--format", "text")
    assert (code, out.splitlines()[-1], err) == (0, nothing, "")
    code, out, err = run(capsys, "--format", "json")
    assert (code, json.loads(out)["summary"]["nothing_found"], err) == (0, True, f"agentlint: {nothing}\n")


def test_statistics_count_per_rule(project: Path, capsys) -> None:
    _write(project, {"b/.vscode/mcp.json": MCP})
    code, out, err = run(capsys, "--statistics")
    assert out == "2\tAL201\tfloating-version\n2\tAL204\tbroad-filesystem-access\n"
    assert (code, err) == (1, "Found 4 problems (4 errors, 0 warnings, 0 infos) in 2 files, 1 file not recognised (use --show-files).\n")
    code, out, _ = run(capsys, "--statistics", "--format", "json")
    assert json.loads(out) == [
        {"code": "AL201", "count": 2, "name": "floating-version"},
        {"code": "AL204", "count": 2, "name": "broad-filesystem-access"},
    ]


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))


def test_stdin_is_checked_as_the_file_named_by_stdin_filename(project: Path, monkeypatch, capsys) -> None:
    _stdin(monkeypatch, PINNED)  # the editor's buffer, fixed; the file on disk is not
    assert run(capsys, "-", "--stdin-filename", ".vscode/mcp.json", "-q") == (0, "", "")
    _stdin(monkeypatch, MCP)  # a file that does not exist on disk yet
    code, out, _ = run(capsys, "-", "--stdin-filename", "new/.vscode/mcp.json", "--format", "concise")
    assert (code, out.splitlines()) == (1, ["new/" + AL201, "new/" + AL204])


def test_stdin_with_whole_project_reports_only_that_file(project: Path, monkeypatch, capsys) -> None:
    _write(project, {"other/.vscode/mcp.json": MCP})
    _stdin(monkeypatch, MCP)
    code, out, _ = run(capsys, "-", "--stdin-filename", ".vscode/mcp.json", "--whole-project", "--format", "concise")
    assert (code, out.splitlines()) == (1, [AL201, AL204])


@pytest.mark.parametrize("argv", [["-"], ["-", "notes.yaml", "--stdin-filename", "x.json"], ["notes.yaml", "--stdin-filename", "x.json"]])
def test_stdin_needs_one_target_and_a_filename(project: Path, monkeypatch, capsys, argv: list[str]) -> None:
    _stdin(monkeypatch, MCP)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == "agentlint: error: stdin is checked as one file: give '-' as the only target, with --stdin-filename PATH\n"


@pytest.mark.parametrize(
    ("env", "argv", "colored"),
    [
        ({}, [], False),  # not a terminal
        ({"FORCE_COLOR": "1"}, [], True),
        ({"FORCE_COLOR": ""}, [], False),  # set but empty: not set
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False),
        ({"FORCE_COLOR": "1"}, ["--color", "never"], False),
        ({"NO_COLOR": "1"}, ["--color", "always"], True),
    ],
)
def test_force_color_is_honoured_like_no_color(project: Path, monkeypatch, capsys, env: dict[str, str], argv: list[str], colored: bool) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, _ = run(capsys, "--format", "text", *argv)
    assert (code, "\x1b[" in out) == (1, colored)


def test_sarif_carries_artifacts_and_a_notification_for_unrecognised_files(project: Path, capsys) -> None:
    _write(project, {"README.md": "# hi\n"})
    code, out, err = run(capsys, "--format", "sarif", "README.md", ".")
    assert (code, err) == (1, "agentlint: 2 files not recognised (use --show-files)\n")
    doc = json.loads(out)
    assert _errors(doc) == []
    sarif_run = doc["runs"][0]
    assert sarif_run["artifacts"] == [{"location": {"uri": ".vscode/mcp.json", "uriBaseId": "%SRCROOT%"}}]
    invocation = sarif_run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert [(n["descriptor"]["id"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for n in notes] == [
        ("not-recognised", "README.md"),
        ("not-recognised", "notes.yaml"),
    ]


def test_sarif_says_when_nothing_was_found(tmp_path: Path, monkeypatch, capsys) -> None:
    _write(tmp_path, ORDINARY)
    monkeypatch.chdir(tmp_path)
    doc = json.loads(run(capsys, "--format", "sarif")[1])
    assert _errors(doc) == []
    assert "artifacts" not in doc["runs"][0]
    assert doc["runs"][0]["invocations"] == [
        {
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {
                    "descriptor": {"id": "nothing-found"},
                    "level": "warning",
                    "message": {"text": "No agent definition, MCP config or prompt found in 0 files."},
                }
            ],
        }
    ]


@pytest.mark.parametrize(
    ("path", "text", "announced"),
    [
        (".github/workflows/ci.yml", ORDINARY[".github/workflows/ci.yml"], False),
        ("package.json", ORDINARY["package.json"], False),
        ("docker-compose.yaml", "services:\n  web:\n    image: nginx\n", False),
        ("pyproject.toml", "[project]\nname = 'x'\n", False),
        ("uv.lock", "version = 1\n", False),
        ("team.yaml", "agents:\n  - name: a\n", True),
        ("team.yaml", "crew:\n  - agents: [a]\n", False),  # nested keys are not enough
        ("desktop.json", '{"mcpServers": {"x": {"command": "y"}}}', True),
        ("claude.json", '{"projects": {"/x": {"mcpServers": {}}}}', False),
        ("registry.schema.json", '{"properties": {"prompts": {"type": "object"}}}', False),
        ("graph.json", '{"graphs": [{"name": "g", "agents": []}]}', False),
        ("notes.jsonc", '// c\n{"agents": []}', False),  # not parsed: no guess
        ("codex.toml", "[mcp_servers.github]\ncommand = 'x'\n", True),
        ("app.toml", "system_prompt = 'You are'\n", True),
        ("review.prompty", "no front matter", True),  # a prompt file no adapter claimed
        ("docs.yaml", "text: the agents: list is below\n", False),  # not a key
    ],
)
def test_what_looks_like_agent_configuration(path: str, text: str, announced: bool) -> None:
    assert worth_announcing(path, text, explicit=False) is announced


@given(st.text(max_size=30), st.one_of(st.none(), st.text(max_size=60)))
def test_a_named_file_is_always_announced(path: str, text: str | None) -> None:
    assert worth_announcing(path, text, explicit=True) is True


@pytest.mark.parametrize("name", ["research-crew", "langgraph-research", "adk-refiner"])
def test_stdin_gives_the_findings_of_the_file_on_disk(name: str, tmp_path: Path, monkeypatch, capsys) -> None:
    """Differential: every file of an example project, checked from stdin in the context of its
    project, gives exactly what checking it on disk gives (paths, lines, messages, exit code)."""
    import shutil

    from tests.conftest import REPO

    shutil.copytree(REPO / "examples" / name, tmp_path / name)
    (tmp_path / name / ".git").mkdir()  # the project around the files
    monkeypatch.chdir(tmp_path / name)
    files = sorted(p.relative_to(tmp_path / name).as_posix() for p in (tmp_path / name).rglob("*") if p.is_file() and ".git" not in p.parts)
    assert len(files) >= 2
    failing = 0
    for path in files:
        on_disk = run(capsys, "--whole-project", "--format", "concise", path)
        failing += on_disk[0] == 1
        _stdin(monkeypatch, (tmp_path / name / path).read_text("utf-8"))
        assert run(capsys, "-", "--stdin-filename", path, "--whole-project", "--format", "concise") == on_disk, path
    assert failing  # the comparison covers files with findings


@pytest.mark.parametrize(
    ("source", "note"),
    [
        ("from llama_index.core.agent import ReActAgent\n", "imports llama_index: agent code agentlint does not read"),
        ("from crewai import Agent, Crew\n", ""),  # CrewAI code is read (crewai_code)
        ('"""Doc."""\nimport autogen_agentchat.agents as a\n', ""),  # AgentChat code is read (autogen_code)
        ("import autogen\n\nassistant = autogen.AssistantAgent('a')\n", "imports autogen: agent code agentlint does not read"),  # 0.2/AG2
        ("from pydantic_ai import Agent\n", ""),  # PydanticAI code is read (pydantic_ai_code)
        ("from dspy import Predict\n", "imports dspy: agent code agentlint does not read"),
        ("from agents import Agent, Runner\n", ""),  # the OpenAI Agents SDK: read by its adapter
        ("    from smolagents import CodeAgent\n", ""),  # smolagents code is read (smolagents_code)
        ("    from haystack import Pipeline\n", "imports haystack: agent code agentlint does not read"),
        ("import agents_helper\nAGENTS = 'crewai autogen'\n", ""),  # another module; names in strings
        ("# from dspy import Agent\n", ""),  # a comment
        ("x = 1\n" * 2000 + "from dspy import Agent\n", ""),  # past the first 8 KB: imports sit at the top
    ],
)
def test_python_importing_an_agent_library_agentlint_does_not_read(source: str, note: str) -> None:
    from agentlint.unclaimed import unread_agent_code

    assert unread_agent_code(source.encode("utf-8")) == note


def test_skipped_agent_code_is_announced(project: Path, capsys) -> None:
    _write(project, {"crew/main.py": "from dspy import Predict\n\nresearcher = Predict('q -> a')\n"})
    code, out, err = run(capsys, "--show-files")
    assert "crew/main.py: skipped: names no library agentlint reads (imports dspy: agent code agentlint does not read)" in out.splitlines()
    assert "util.py: skipped: names no library agentlint reads" in out.splitlines()
    assert run(capsys, "--format", "concise")[2] == SUMMARY.replace("1 file not", "2 files not")


def test_a_deployment_graph_entry_is_something_to_judge(tmp_path: Path, monkeypatch, capsys) -> None:
    _write(tmp_path, {"langgraph.json": '{"graphs": {"agent": "./missing.py:graph"}, "dependencies": ["."]}\n'})
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "--format", "concise", "--ignore", "AL112") == (0, "", "All checked: no problems in 1 file.\n")
