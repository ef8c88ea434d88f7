"""GitHub Actions workflow-command reporter: golden file, escaping, grouping, --format auto."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentlint.cli import main
from agentlint.findings import Finding, Location, RunResult, Severity
from agentlint.model.source import Pos, Span
from agentlint.report import render
from agentlint.report.github import escape_data, escape_property
from tests.test_reporters import GOLDEN, canonical


def test_golden() -> None:
    first = render("github", canonical())
    assert render("github", canonical()) == first
    output = first.encode("utf-8")
    path = GOLDEN / "canonical.github.txt"
    if os.environ.get("AGENTLINT_UPDATE") == "1":
        path.write_bytes(output)
    assert output == path.read_bytes()


def test_exact_lines() -> None:
    assert render("github", canonical()).splitlines() == [
        "::group::agents/alpha.yaml",
        "::error file=agents/alpha.yaml,line=2,col=8,endLine=2,endColumn=25,"
        "title=agentlint (AL101)::tool [x] is not declared: add \"x\" to 'tools' [AL101]",
        "::warning file=agents/alpha.yaml,line=3,col=14,endLine=3,endColumn=18,"
        "title=agentlint (AL201)::description contains “é”: Café [AL201]",
        "::endgroup::",
        "::group::agents/beta.yaml",
        "::notice file=agents/beta.yaml,line=2,col=1,endLine=4,endColumn=10,"
        "title=agentlint (AL301)::handoff cycle: beta -> beta (see [AL999]) [AL301]",
        "::endgroup::",
        "::group::crew.yaml",
        "::error file=crew.yaml,line=7,col=2,endLine=7,endColumn=2,"
        "title=agentlint (AL001)::cannot parse: unexpected ':' [AL101] [AL001]",
        "::endgroup::",
        "Found 4 problems (2 errors, 1 warning, 1 info) in 3 files, 2 suppressed, 1 file not recognised (use --show-files).",
    ]


def test_escaping() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("dir,x/a:b%\n.yaml") == "dir%2Cx/a%3Ab%25%0A.yaml"
    # Already-escaped looking text is escaped again, not passed through.
    assert escape_data("%0A") == "%250A"
    finding = Finding(
        code="AL101",
        name="undeclared-tool",
        severity=Severity.WARNING,
        message="50% of\nagents: a,b\r\x1b[31m",
        location=Location("we,ird:dir/a%.yaml", Span(Pos(1, 2), Pos(1, 5))),
        fingerprint="fp",
    )
    output = render("github", RunResult(findings=(finding,), files_checked=1))
    assert output.splitlines() == [
        "::group::we,ird:dir/a%25.yaml",
        "::warning file=we%2Cird%3Adir/a%25.yaml,line=1,col=2,endLine=1,endColumn=5,"
        "title=agentlint (AL101)::50%25 of%0Aagents: a,b%0D [31m [AL101]",
        "::endgroup::",
        "Found 1 problem (0 errors, 1 warning, 0 infos) in 1 file.",
    ]
    # Every command stays on one line.
    assert len(output.splitlines()) == 4


def test_show_suppressed_as_notices() -> None:
    lines = render("github", canonical(), show_suppressed=True).splitlines()
    suppressed = [line for line in lines if "(suppressed:" in line]
    assert suppressed == [
        "::notice file=agents/beta.yaml,line=1,col=7,endLine=1,endColumn=11,"
        "title=agentlint (AL102)::agent 'beta' has no description [AL102] (suppressed: ignore)",
        "::notice file=crew.yaml,line=1,col=1,endLine=1,endColumn=1,"
        "title=agentlint (AL103)::agent 'gamma' is never reached [AL103] (suppressed: todo)",
    ]
    assert lines.count("::group::crew.yaml") == 1


def test_no_findings() -> None:
    assert render("github", RunResult(findings=(), files_checked=2)) == (
        "All checked: no problems in 2 files.\n"
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"GITHUB_ACTIONS": "true", "GITHUB_WORKFLOW": "CI"}, "github"),
        ({"GITHUB_ACTIONS": "true"}, "concise"),
        ({"GITHUB_WORKFLOW": "CI"}, "concise"),
        ({}, "concise"),
    ],
)
def test_format_auto(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    expected: str,
) -> None:
    # Over the size cap: an AL003 finding at bad.yaml:1:1 whatever the file's content.
    (tmp_path / "bad.yaml").write_text("agents: {}\n" + "#" * 2000 + "\n", encoding="utf-8")
    (tmp_path / "agentlint.toml").write_text("max-file-size = 1000\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_WORKFLOW", "AGENTLINT_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for argv in (["check"], ["check", "--format", "auto"]):
        main(argv)
        out = capsys.readouterr().out
        if expected == "github":
            assert out.startswith("::group::bad.yaml\n::error file=bad.yaml,"), out
        else:
            assert out.startswith("bad.yaml:"), out
            assert "::" not in out.split(" ")[0]
