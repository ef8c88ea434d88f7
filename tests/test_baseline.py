"""Baselines: write, hide exactly the recorded findings, report new and fixed ones, atomic writes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from agentlint import api, baseline
from agentlint.cli import main
from agentlint.config import ConfigError
from agentlint.findings import RunResult
from tests.conftest import REPO

GRAPH = REPO / "tests" / "projects" / "json-graph" / "graph.json"
ORIGINAL = [
    ("AL104", "graph.json"),
    ("AL106", "graph.json"),
    ("AL107", "graph.json"),
    ("AL303", "graph.json"),
    ("AL311", "graph.json"),
]
FIXED_MESSAGE = "baseline entries no longer match (fixed): prune them with 'agentlint baseline write'"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(GRAPH, tmp_path / "graph.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _codes(findings) -> list[tuple[str, str]]:
    return sorted((f.code, f.path) for f in findings)


def _check(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str], str]:
    code = main(["check", "--isolated", "--format", "concise", *extra, "."])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_write_then_check_hides_exactly_those_findings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "write", "--isolated", "."]) == 0
    assert "wrote 5 baseline entries to .agentlint-baseline.json" in capsys.readouterr().err
    doc = json.loads((project / ".agentlint-baseline.json").read_text("utf-8"))
    assert doc["schema_version"] == 1
    assert sorted((e["code"], e["path"]) for e in doc["findings"]) == ORIGINAL
    assert all(set(e) == {"fingerprint", "code", "path", "message"} for e in doc["findings"])
    assert doc["findings"] == sorted(doc["findings"], key=lambda e: (e["path"], e["code"], e["fingerprint"], e["message"]))

    code, out, err = _check(capsys, "--baseline", ".agentlint-baseline.json")
    assert (code, out, err) == (0, [], "All checked: no problems in 1 file, 5 in the baseline.\n")  # the summary says what the baseline hid
    settings = api.settings_for(["."], isolated=True)
    result = api.check(["."], settings, baseline=baseline.load(".agentlint-baseline.json"))
    assert result.findings == ()
    assert _codes(result.baselined) == ORIGINAL
    assert result.fixed == ()

    # Line numbers do not matter: shift everything down.
    (project / "graph.json").write_text("\n\n\n" + GRAPH.read_text("utf-8"), encoding="utf-8")
    assert _check(capsys, "--baseline", ".agentlint-baseline.json") == (0, [], "All checked: no problems in 1 file, 5 in the baseline.\n")
    # Without the baseline, everything is back.
    code, out, _ = _check(capsys)
    assert code == 1 and len(out) == 5


def test_new_findings_show_and_fixed_entries_are_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "write", "--isolated", "--output", "bl.json"]) == 0
    capsys.readouterr()
    text = GRAPH.read_text("utf-8")
    # Fix the typo (AL106 goes; 'auditor' becomes reachable: AL104 goes, but it reaches no
    # terminal: a new AL105) and add an agent without a role that nobody reaches (a new AL104
    # and a new AL107).
    text = text.replace('"to": "auditer"', '"to": "auditor"')
    text = text.replace(
        '"auditor": {"timeout": 10, "retries": {"max_attempts": 1}}',
        '"auditor": {"timeout": 10, "retries": {"max_attempts": 1}},\n'
        '    "ghost": {"timeout": 10, "retries": {"max_attempts": 1}}',
    )
    (project / "graph.json").write_text(text, encoding="utf-8")
    code, out, err = _check(capsys, "--baseline", "bl.json")
    assert code == 1
    assert [line.split(": ", 2)[2] for line in out] == [
        "no terminal agent is reachable from 'auditor': requests that reach it cannot finish [AL105]",
        "agent 'ghost' is not reachable from the entry agent 'intake' [AL104]",
        "agent 'ghost' has no role [AL107]",
    ]
    assert err == f"agentlint: 2 {FIXED_MESSAGE}\nFound 3 problems (1 error, 2 warnings, 0 infos) in 1 file, 3 in the baseline.\n"
    result = api.check(["."], api.settings_for(["."], isolated=True), baseline=baseline.load("bl.json"))
    assert _codes(result.fixed) == [("AL104", "graph.json"), ("AL106", "graph.json")]
    assert _codes(result.baselined) == [("AL107", "graph.json"), ("AL303", "graph.json"), ("AL311", "graph.json")]

    # Writing again prunes the fixed entries and records the new findings.
    assert main(["baseline", "write", "--isolated", "--output", "bl.json"]) == 0
    capsys.readouterr()
    assert _check(capsys, "--baseline", "bl.json") == (0, [], "All checked: no problems in 1 file, 6 in the baseline.\n")


def test_entries_for_files_outside_the_run_are_not_fixed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "sub").mkdir()
    other = GRAPH.read_text("utf-8").replace('"billing"', '"refunds"')
    (project / "sub" / "graph.json").write_text(other, encoding="utf-8")
    assert main(["baseline", "write", "--isolated"]) == 0
    capsys.readouterr()
    code = main(["check", "--isolated", "--format", "concise", "--baseline", ".agentlint-baseline.json", "sub"])
    assert (code, capsys.readouterr().err) == (0, "All checked: no problems in 1 file, 5 in the baseline.\n")
    # A deleted file's entries are fixed.
    (project / "sub" / "graph.json").unlink()
    assert _check(capsys, "--baseline", ".agentlint-baseline.json") == (0, [], f"agentlint: 5 {FIXED_MESSAGE}\nAll checked: no problems in 1 file, 5 in the baseline.\n")


def test_write_is_atomic(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = project / "bl.json"
    target.write_text("old\n", encoding="utf-8")
    result = api.check(["."], api.settings_for(["."], isolated=True))

    def broken(src: str, dst: str) -> None:
        assert Path(src).parent == target.parent  # the temporary file sits next to the target
        assert json.loads(Path(src).read_text("utf-8"))["schema_version"] == 1
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(ConfigError, match="cannot write the baseline: No space left on device"):
        baseline.write(result, target)
    assert target.read_text("utf-8") == "old\n"
    assert sorted(p.name for p in project.iterdir()) == ["bl.json", "graph.json"]
    monkeypatch.undo()
    assert baseline.write(result, target) == 5
    assert sorted(p.name for p in project.iterdir()) == ["bl.json", "graph.json"]
    assert baseline.load(target).fingerprints() == {f.fingerprint for f in result.findings}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_only_folder_keeps_old_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = project / "ro"
    folder.mkdir()
    (folder / "bl.json").write_text("old\n", encoding="utf-8")
    folder.chmod(0o555)
    try:
        assert main(["baseline", "write", "--isolated", "--output", "ro/bl.json"]) == 2
        assert "ro/bl.json: cannot write the baseline" in capsys.readouterr().err
        assert sorted(p.name for p in folder.iterdir()) == ["bl.json"]
        assert (folder / "bl.json").read_text("utf-8") == "old\n"
    finally:
        folder.chmod(0o755)


def test_internal_errors_are_never_baselined() -> None:
    from agentlint.findings import Finding, Location, Severity
    from agentlint.model.source import Span

    crash = Finding("AL901", "internal-error", Severity.ERROR, "boom", Location("", Span.point(1)), "fp901")
    other = Finding("AL104", "x", Severity.WARNING, "m", Location("a.yaml", Span.point(1)), "fp104")
    assert [e.code for e in baseline.entries_for([crash, other])] == ["AL104"]
    known = baseline.parse(json.loads(baseline.dumps(baseline.entries_for([crash, other]))))
    kept, hidden, fixed = baseline.apply([crash, other], known, lambda path: True)
    assert (kept, hidden, fixed) == ([crash], [other], ())
    assert RunResult(findings=()).baselined == () and RunResult(findings=()).fixed == ()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{\n  "schema_version": 1,\n  "findings": [,]\n}\n', "bl.json:3:16: invalid baseline JSON: Expecting value"),
        ("[]", "bl.json: invalid baseline: expected a JSON object, got an array"),
        ('{"schema_version": 2, "findings": []}', "bl.json: invalid baseline: /schema_version must be 1, got 2"),
        ('{"schema_version": 1}', "bl.json: invalid baseline: /findings must be an array, got null"),
        ('{"schema_version": 1, "findings": [], "x": 1}', "bl.json: invalid baseline: unknown key 'x'"),
        (
            '{"schema_version": 1, "findings": [{"fingerprint": "a", "code": "AL1", "message": ""}]}',
            "bl.json: invalid baseline: /findings/0/path is missing",
        ),
        (
            '{"schema_version": 1, "findings": [{"fingerprint": 3, "code": "AL1", "path": "p", "message": ""}]}',
            "bl.json: invalid baseline: /findings/0/fingerprint must be a non-empty string, got 3",
        ),
        (b"\xff\xfe{}", "bl.json: the baseline is not UTF-8"),
        (None, "bl.json: baseline file not found"),
    ],
)
def test_invalid_baseline_exits_2_with_a_located_message(
    project: Path, capsys: pytest.CaptureFixture[str], content: str | bytes | None, message: str
) -> None:
    if isinstance(content, str):
        (project / "bl.json").write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        (project / "bl.json").write_bytes(content)
    code, out, err = _check(capsys, "--baseline", "bl.json")
    assert code == 2
    assert out == []
    assert err.startswith(f"agentlint: error: {message}"), err


def test_unwritable_folder_is_a_config_error(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import tempfile

    (project / "bl.json").write_text("old\n", encoding="utf-8")

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    assert main(["baseline", "write", "--isolated", "--output", "bl.json"]) == 2
    assert capsys.readouterr().err == "agentlint: error: bl.json: cannot write the baseline: Permission denied\n"
    assert (project / "bl.json").read_text("utf-8") == "old\n"


# -- issue 12, point 11: fingerprints and baseline paths are relative to the project root ----
@pytest.mark.parametrize("marker", [".git", "agentlint.toml"])
def test_a_baseline_written_at_the_root_matches_a_run_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], marker: str
) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(GRAPH, tmp_path / "sub" / "graph.json")
    if marker == ".git":
        (tmp_path / ".git").mkdir()
    else:
        (tmp_path / marker).write_text('fail-on = "warning"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["baseline", "write", "."]) == 0
    capsys.readouterr()
    doc = json.loads((tmp_path / ".agentlint-baseline.json").read_text("utf-8"))
    assert {item["path"] for item in doc["findings"]} == {"sub/graph.json"}
    monkeypatch.chdir(tmp_path / "sub")
    code = main(["check", "--format", "concise", "--baseline", "../.agentlint-baseline.json"])
    captured = capsys.readouterr()
    # nothing new, and no false "5 baseline entries no longer match (fixed)"
    assert (code, captured.out, captured.err) == (0, "", "All checked: no problems in 1 file, 5 in the baseline.\n")
    # the same fingerprints from either folder (SARIF partialFingerprints agree with the baseline)
    from_sub = api.check(["."], api.settings_for(["."]))
    monkeypatch.chdir(tmp_path)
    from_root = api.check(["sub"], api.settings_for(["sub"]))
    assert sorted(f.fingerprint for f in from_sub.findings) == sorted(f.fingerprint for f in from_root.findings)
    assert {f.fingerprint for f in from_root.findings} == {item["fingerprint"] for item in doc["findings"]}
    assert {f.path for f in from_sub.findings} == {"graph.json"}  # findings still show run paths


def test_a_fixed_entry_is_reported_from_a_subfolder_by_its_project_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "sub").mkdir()
    shutil.copy(GRAPH, tmp_path / "sub" / "graph.json")
    monkeypatch.chdir(tmp_path)
    assert main(["baseline", "write", "."]) == 0
    (tmp_path / "sub" / "graph.json").unlink()  # deleted: its entries are fixed, seen from sub too
    (tmp_path / "sub" / "other.json").write_text("{}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "sub")
    capsys.readouterr()
    main(["check", "--format", "concise", "--baseline", "../.agentlint-baseline.json"])
    assert f"agentlint: 5 {FIXED_MESSAGE}\n" in capsys.readouterr().err


def test_fingerprints_of_a_graph_defined_in_code_match_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A LangGraph graph is named ``path:variable`` in its findings' arguments: that path is
    rebased to the project root too (it was relative to the working directory)."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(REPO / "examples" / "langgraph-research", tmp_path / "proj")
    monkeypatch.chdir(tmp_path)
    from_root = api.check(["proj"], api.settings_for(["proj"], isolated=True))
    monkeypatch.chdir(tmp_path / "proj")
    from_sub = api.check(["."], api.settings_for(["."], isolated=True))
    assert any(f.code == "AL103" for f in from_root.findings)
    assert sorted((f.code, f.fingerprint) for f in from_sub.findings) == sorted((f.code, f.fingerprint) for f in from_root.findings)


def test_fingerprints_of_a_crew_named_by_its_folder_match_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CrewAI crew is named by its folder (``apps/crew/src/research``) in its findings'
    arguments: from ``apps/crew`` that folder is ``src/research``, rebased to the project root."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(REPO / "examples" / "research-crew", tmp_path / "apps" / "crew" / "src" / "research")
    monkeypatch.chdir(tmp_path)
    from_root = api.check(["apps"], api.settings_for(["apps"], isolated=True))
    monkeypatch.chdir(tmp_path / "apps" / "crew")
    from_sub = api.check(["."], api.settings_for(["."], isolated=True))
    assert any(f.code == "AL311" for f in from_root.findings)
    assert sorted((f.code, f.fingerprint) for f in from_sub.findings) == sorted((f.code, f.fingerprint) for f in from_root.findings)
