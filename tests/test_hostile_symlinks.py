"""Symlinks that point outside the checked folders are not followed (issue 12, point 17).

A repository may hold a link to ``/etc``, to a home folder or to a sibling checkout; walking
it read files that are not part of the project (and reported their contents). Such a link,
to a file or a folder, is now listed as skipped with the reason (``--show-files``, and the
"not recognised" count on stderr) unless ``--follow-symlinks``. Links inside the checked
folder, and a link named on the command line, are followed as before.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from agentlint.cli import main
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks")

GRAPH = REPO / "tests" / "projects" / "json-graph" / "graph.json"
FILE_NOTE = "not recognised (symlink to a file outside the checked folder, not followed; --follow-symlinks follows it)"
FOLDER_NOTE = "not recognised (symlink to a folder outside the checked folder, not followed; --follow-symlinks follows it)"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    shutil.copy(GRAPH, outside / "graph.json")
    shutil.copy(GRAPH, outside / "sub" / "other.json")
    (outside / "notes.txt").write_text("not read\n", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / "real").mkdir(parents=True)
    shutil.copy(GRAPH, repo / "real" / "mine.json")
    (repo / "link.json").symlink_to(outside / "graph.json")
    (repo / "linkdir").symlink_to(outside / "sub", target_is_directory=True)
    (repo / "notes.txt").symlink_to(outside / "notes.txt")  # a file a walk would not read anyway
    (repo / "inside").symlink_to(repo / "real", target_is_directory=True)  # inside: followed
    monkeypatch.chdir(repo)
    return repo


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(["check", "--isolated", *argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_links_out_of_the_tree_are_listed_as_skipped_not_followed(repo: Path, capsys) -> None:
    code, out, _ = _run(capsys, "--show-files", ".")
    assert (code, out) == (0, ["inside/mine.json: agentlint", f"link.json: {FILE_NOTE}", f"linkdir: {FOLDER_NOTE}"])
    code, out, err = _run(capsys, "--format", "concise", ".")
    assert {line.split(":", 1)[0] for line in out} == {"inside/mine.json"}
    assert "2 files not recognised (use --show-files)" in err
    assert code == 1


def test_follow_symlinks_reads_them(repo: Path, capsys) -> None:
    _, out, _ = _run(capsys, "--show-files", "--follow-symlinks", ".")
    assert out == ["inside/mine.json: agentlint", "link.json: agentlint", "linkdir/other.json: agentlint"]
    _, out, _ = _run(capsys, "--format", "concise", "--follow-symlinks", ".")
    assert {line.split(":", 1)[0] for line in out} == {"inside/mine.json", "link.json", "linkdir/other.json"}


def test_a_link_named_on_the_command_line_is_followed(repo: Path, capsys) -> None:
    _, out, _ = _run(capsys, "--show-files", "link.json", "linkdir")
    assert out == ["link.json: agentlint", "linkdir/other.json: agentlint"]


def test_baseline_write_does_not_follow_them_either(repo: Path, capsys) -> None:
    assert main(["baseline", "write", "--isolated", "."]) == 0
    text = (repo / ".agentlint-baseline.json").read_text("utf-8")
    assert '"inside/mine.json"' in text and "link.json" not in text and "linkdir" not in text
    assert main(["baseline", "write", "--isolated", "--follow-symlinks", "."]) == 0
    assert '"link.json"' in (repo / ".agentlint-baseline.json").read_text("utf-8")
