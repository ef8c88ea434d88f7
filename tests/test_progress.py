"""Progress on long runs: a bar on stderr only when it is a terminal and the run is long."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentlint import api, cli
from tests.conftest import REPO

GRAPH = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: g%d}\nagents:\n  a: {role: r}\n  b: {role: r}\nedges:\n  - {from: a, to: b}\n  - {from: b, to: a}\n"


def _project(tmp_path: Path, count: int = 5) -> Path:
    for index in range(count):
        (tmp_path / f"g{index}.yaml").write_text(GRAPH % index, encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    return tmp_path


def test_callback_counts_every_file_in_order(tmp_path: Path) -> None:
    root = _project(tmp_path)
    calls: list[tuple[int, int]] = []
    settings = api.settings_for(["."], isolated=True, root=root)
    api.check(["."], settings, root=root, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, 6) for i in range(1, 7)]


def test_callback_is_optional_and_changes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    settings = api.settings_for(["."], isolated=True, root=root)
    plain = api.check(["."], settings, root=root)
    counted = api.check(["."], settings, root=root, progress=lambda done, total: None)
    assert plain == counted


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    code = "import sys; from agentlint.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, cwd=cwd, timeout=60)


@pytest.mark.parametrize("command", [["check", "--format", "concise"], ["report"]])
def test_not_a_terminal_prints_nothing_extra(tmp_path: Path, command: list[str]) -> None:
    root = _project(tmp_path)
    default = _run([*command, "--isolated", "."], root)
    silent = _run([*command, "--isolated", "--no-progress", "."], root)
    assert default.stdout == silent.stdout
    assert default.stdout  # findings / a report were written
    assert default.returncode == silent.returncode
    assert default.stderr == silent.stderr  # at most the summary line of concise output, no bar
    assert b"loading" not in default.stderr and b"\x1b" not in default.stderr


def test_rich_not_imported_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    root = _project(tmp_path)
    code = (
        "import sys; from agentlint.cli import main; main(['check', '--format', 'concise', '--isolated', %r]);"
        "print('RICH=' + str('rich' in sys.modules))"
    ) % str(root)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.stdout.splitlines()[-1] == "RICH=False"
    assert out.stderr.startswith("Found ") and out.stderr.count("\n") == 1  # concise's summary only


def test_no_bar_without_a_terminal_or_with_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    args = cli._parser().parse_args(["check"])
    monkeypatch.setattr(sys, "stderr", _Stream(tty=False))
    assert cli._progress(args) is None
    monkeypatch.setattr(sys, "stderr", _Stream(tty=True))
    assert isinstance(cli._progress(args), cli._Progress)
    assert cli._progress(cli._parser().parse_args(["check", "--no-progress"])) is None
    assert cli._progress(cli._parser().parse_args(["report", "--no-progress"])) is None


def test_short_run_never_starts_the_bar() -> None:
    progress = cli._Progress()
    for done in range(1, 300):
        progress(done, 299)
    assert progress._bar is None
    progress.close()


def test_long_run_bar_goes_to_stderr_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    monkeypatch.setattr(cli._Progress, "DELAY", 0.0)
    settings = api.settings_for(["."], isolated=True, root=root)
    progress = cli._Progress()
    try:
        api.check(["."], settings, root=root, progress=progress)
        assert progress._bar is not None
    finally:
        progress.close()
    assert capsys.readouterr().out == ""


class _Stream:
    def __init__(self, tty: bool) -> None:
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
