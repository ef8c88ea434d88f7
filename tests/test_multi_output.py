"""``check --output-format FORMAT=PATH``: one analysis, several renderings, each file byte for
byte what ``check --format FORMAT`` prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentlint.cli import main
from tests.conftest import REPO

EXTRA = ("concise", "json", "github", "sarif", "gitlab", "junit", "text")


def _agentlint(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "agentlint", *args], cwd=REPO, capture_output=True, check=False
    )


def test_each_file_equals_the_single_format_output(tmp_path: Path) -> None:
    specs = [f"{fmt}={tmp_path / 'out' / 'nested' / f'report.{fmt}'}" for fmt in EXTRA]
    argv = ["check", "examples", "--format", "concise"]
    for spec in specs:
        argv += ["--output-format", spec]
    multi = _agentlint(*argv)
    single = _agentlint("check", "examples", "--format", "concise")
    assert multi.returncode == single.returncode == 1, multi.stderr
    assert multi.stdout == single.stdout  # the main --format still goes to stdout, unchanged
    for fmt in EXTRA:
        alone = _agentlint("check", "examples", "--format", fmt, "--color", "never")
        written = (tmp_path / "out" / "nested" / f"report.{fmt}").read_bytes()
        assert written == alone.stdout, fmt
    assert not [p for p in (tmp_path / "out" / "nested").iterdir() if p.name.endswith(".tmp")]


def test_exit_code_unchanged_by_extra_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    assert main(["check", "examples", "--format", "json", "--exit-zero", "--output-format", f"sarif={tmp_path / 'a.sarif'}"]) == 0
    assert main(["check", "examples", "--format", "json", "--output-format", f"junit={tmp_path / 'r.xml'}"]) == 1
    assert main(["check", "examples", "--fail-on", "error", "--select", "AL404", "--format", "json", "--output-format", f"junit={tmp_path / 'r2.xml'}"]) == 0
    capsys.readouterr()
    assert (tmp_path / "r2.xml").read_text(encoding="utf-8").startswith("<?xml")


def test_existing_file_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)
    target = tmp_path / "report.json"
    target.write_text("stale " * 10_000, encoding="utf-8")
    main(["check", "examples", "--format", "concise", "--output-format", f"json={target}"])
    capsys.readouterr()
    main(["check", "examples", "--format", "json"])
    assert target.read_text(encoding="utf-8") == capsys.readouterr().out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("sarif", "expected FORMAT=PATH"),
        ("=out.sarif", "expected FORMAT=PATH"),
        ("sarif=", "expected FORMAT=PATH"),
        ("bogus=out.txt", "unknown format 'bogus'"),
        ("auto=out.txt", "unknown format 'auto'"),
        ("SARIF=out.sarif", "unknown format 'SARIF'"),
    ],
)
def test_bad_values_are_usage_errors(value: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["check", str(REPO / "examples"), "--output-format", value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--output-format" in err and message in err
    assert list(tmp_path.iterdir()) == []


def test_same_path_twice_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x"
    code = main(["check", str(REPO / "examples"), "--output-format", f"sarif={out}", "--output-format", f"json={out}"])
    assert code == 2
    assert "same PATH twice" in capsys.readouterr().err
    assert not out.exists()


def test_unwritable_path_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code = main(["check", "examples", "--format", "concise", "--output-format", f"sarif={blocker / 'sub' / 'a.sarif'}"])
    captured = capsys.readouterr()
    assert code == 2
    assert "cannot write" in captured.err
    assert captured.out  # stdout was still printed
