"""AL903's safe fix: a stale suppression leaves the file (own-line: its whole line; trailing:
with the blanks before it), or only its stale codes leave the brackets; codes of rules that
did not run stay; nothing is offered where the edit would not be certain."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint import api
from agentlint.cli import main
from agentlint.config import CliOverrides

GRAPH = """apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: desk}
entry: router
agents:
  # agentlint: ignore[AL107] nobody remembers why
  router: {role: router, timeout: 30, retries: {max_attempts: 2}}  # agentlint: ignore[AL301, AL302] set by the gateway
  billing: {role: billing, retries: {max_attempts: 2}}  # agentlint: ignore[AL301, AL107] old
  tech: {role: tech, timeout: 5, retries: {max_attempts: 2}}  # agentlint: ignore[AL107] why # keep this note
edges:
  - {from: router, to: billing, kind: handoff}
  - {from: router, to: tech, kind: handoff}
"""

APP = """from openai import OpenAI

client = OpenAI(timeout=30)\t# agentlint: todo[AL304] later
other = OpenAI(timeout=20)
# agentlint: ignore[AL304] the client has a timeout"""


def fixes(root: Path, select: str) -> list[tuple[str, int, str | None]]:
    cli = CliOverrides(select=(select.split(",")))
    result = api.check(["."], api.settings_for(["."], cli, isolated=True, root=root), root=root)
    return [(f.path, f.line, f.fix.title if f.fix else None) for f in result.findings if f.code == "AL903"]


def test_unused_suppressions_are_removed_and_others_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    (tmp_path / "agents.yaml").write_text(GRAPH, encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    assert fixes(tmp_path, "AL107,AL301,AL304,AL903") == [
        ("agents.yaml", 6, "Remove the unused suppression"),
        ("agents.yaml", 7, "Remove AL301 from the suppression"),  # AL302 did not run: kept
        ("agents.yaml", 8, "Remove AL107 from the suppression"),  # AL301 is used by billing
        ("agents.yaml", 9, None),  # another comment follows the reason
        ("app.py", 3, "Remove the unused suppression"),
        ("app.py", 5, "Remove the unused suppression"),
    ]
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--isolated", "--format", "concise", "--select", "AL107,AL301,AL304,AL903", "--fix", "."]) == 1
    err = capsys.readouterr().err
    assert "agentlint: Fixed 5 problems (1 remaining).\n" in err
    assert (tmp_path / "agents.yaml").read_text(encoding="utf-8") == GRAPH.replace(
        "  # agentlint: ignore[AL107] nobody remembers why\n", ""
    ).replace("ignore[AL301, AL302] set", "ignore[AL302] set").replace("ignore[AL301, AL107] old", "ignore[AL301] old")
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == (
        "from openai import OpenAI\n\nclient = OpenAI(timeout=30)\nother = OpenAI(timeout=20)"
    )


def test_every_stale_code_of_one_directive_shares_one_fix(tmp_path: Path) -> None:
    (tmp_path / "agents.yaml").write_text(GRAPH, encoding="utf-8")
    found = fixes(tmp_path, "AL107,AL301,AL302,AL903")
    assert [row for row in found if row[1] == 7] == [
        ("agents.yaml", 7, "Remove the unused suppression"),
        ("agents.yaml", 7, "Remove the unused suppression"),
    ]


PART_A = """apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: desk}
entry: router
agents:
  router: {role: router, timeout: 30, retries: {max_attempts: 2}}
  tech: {role: tech, timeout: 30, retries: {max_attempts: 2}}
edges:
  - {from: router, to: tech, kind: handoff}
"""

PART_B = """apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: desk}
agents:
  tech: {role: tech, timeout: 30, retries: {max_attempts: 2}}  # agentlint: ignore[AL108] merged on purpose
"""


def test_a_run_over_some_files_reports_but_never_removes_a_suppression_another_file_may_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The AL108 that b.yaml's suppression hides needs a.yaml: checked alone, b.yaml's suppression
    looks stale. AL903 says so, but --fix leaves the file; with the whole project it is used."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.yaml").write_text(PART_A, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(PART_B, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    select = ["--select", "AL108,AL903"]
    assert main(["check", "--isolated", "--no-cache", "--format", "concise", *select, "."]) == 0
    capsys.readouterr()
    assert main(["check", "--isolated", "--no-cache", "--format", "json", *select, "b.yaml"]) == 1
    import json

    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["code"], finding["path"], finding["line"], "fix" in finding) == ("AL903", "b.yaml", 5, False)
    assert main(["check", "--isolated", "--no-cache", "--format", "concise", *select, "--fix", "b.yaml"]) == 1
    assert (tmp_path / "b.yaml").read_text(encoding="utf-8") == PART_B
    assert main(["check", "--isolated", "--no-cache", "--format", "concise", *select, "--whole-project", "--fix", "b.yaml"]) == 0
    assert (tmp_path / "b.yaml").read_text(encoding="utf-8") == PART_B
