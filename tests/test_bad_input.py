"""Bad input becomes a located finding, never a traceback, and never stops the other files."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from agentlint import api
from agentlint.config import CliOverrides
from agentlint.cli import main

HEAD = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"
GOOD = HEAD + "agents:\n  solo: {role: helper, retries: {max_attempts: 1}}\n"  # AL301 at 5:3


def check(root: Path, *targets: str) -> list[tuple[str, int, int, str]]:
    settings = api.settings_for(list(targets) or ["."], CliOverrides(), isolated=True, root=root)
    result = api.check(list(targets) or ["."], settings, root=root)
    assert not result.internal_error
    return [(f.path, f.line, f.column, f.code) for f in result.findings]


def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def test_every_kind_of_bad_file_is_located_and_the_good_file_still_checked(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", GOOD)
    write(tmp_path, "broken.yaml", HEAD + "agents: {solo: [1, 2}\n")
    write(tmp_path, "broken.json", '{"apiVersion": "agentlint/v1", "kind": "AgentGraph",, "x": 1}')
    write(tmp_path, "latin1.yaml", HEAD.encode() + b"# caf\xe9\n")
    write(tmp_path, "binary.yaml", b"apiVersion: agentlint/v1\x00\x01\x02")
    write(tmp_path, "deep.json", '{"apiVersion": "agentlint/v1", "x": ' + "[" * 5000 + "]" * 5000 + "}")
    write(tmp_path, "shape.yaml", HEAD + "agents: [router]\n")
    write(tmp_path, "tabs.yaml", HEAD + "agents:\n\trouter: {}\n")
    found = check(tmp_path)
    assert found == [
        ("binary.yaml", 1, 1, "AL003"),
        ("broken.json", 1, 53, "AL001"),
        ("broken.yaml", 4, 21, "AL001"),
        ("deep.json", 1, 236, "AL004"),
        ("good.yaml", 5, 3, "AL301"),
        ("latin1.yaml", 4, 6, "AL003"),
        ("shape.yaml", 4, 9, "AL002"),
        ("tabs.yaml", 5, 1, "AL001"),
    ]


def test_unrelated_files_are_skipped_not_reported(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", GOOD)
    write(tmp_path, "docker-compose.yaml", "services: [unclosed\n")
    write(tmp_path, "package.json", b"\xff\xfe not json")
    assert check(tmp_path) == [("good.yaml", 5, 3, "AL301")]
    settings = api.settings_for(["."], CliOverrides(), isolated=True, root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert (result.files_checked, result.files_skipped) == (1, 2)


def test_file_over_the_size_cap(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, "big.yaml", GOOD + "#" * 2000 + "\n")
    write(tmp_path, "agentlint.toml", "max-file-size = 1000\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "concise"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "big.yaml:1:1: error: file larger than the 1,000-byte limit (max-file-size): skipped [AL003]"
    ]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_loops(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", GOOD)
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path, target_is_directory=True)
    found = check(tmp_path)
    assert ("good.yaml", 5, 3, "AL301") in found
    assert ("sub/back", 1, 1, "AL003") in found
    assert ("loop.yaml", 1, 1, "AL003") in check(tmp_path, "loop.yaml")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    write(tmp_path, "secret.yaml", GOOD)
    (tmp_path / "secret.yaml").chmod(0)
    assert check(tmp_path, "secret.yaml") == [("secret.yaml", 1, 1, "AL003")]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = HEAD + 'x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 9):
        bomb += f"x{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]\n"
    write(tmp_path, "bomb.yaml", bomb)
    found = check(tmp_path)
    assert [(p, c) for p, _, _, c in found] == [("bomb.yaml", "AL004")]


def test_crashing_rule_is_al901_and_exit_2(tmp_path: Path, monkeypatch, capsys) -> None:
    from agentlint.registry import all_rules

    write(tmp_path, "good.yaml", GOOD)
    monkeypatch.chdir(tmp_path)

    def boom(self, project, options):
        raise ZeroDivisionError("synthetic")

    monkeypatch.setattr(all_rules()["AL104"], "check", boom)
    code = main(["check", "--format", "concise"])
    out = capsys.readouterr().out.splitlines()
    assert code == 2
    assert out[0].startswith(".:1:1: error: internal error in rule AL104 (unreachable-agent): ZeroDivisionError: synthetic")
    assert out[1] == "good.yaml:5:3: error: agent 'solo' has no timeout: set 'timeout' (e.g. 30s) [AL301]"


def test_same_project_any_file_order_gives_identical_json(tmp_path: Path, capsys, monkeypatch) -> None:
    """Determinism: the same files written in different orders and directory layouts on disk."""
    files = {
        f"graphs/part{i}.yaml": HEAD
        + f"agents:\n  a{i}: {{role: worker}}\nedges:\n  - {{from: a{i}, to: a{(i + 1) % 6}}}\n"
        for i in range(6)
    }
    outputs = []
    for seed in (1, 2, 3):
        root = tmp_path / f"run{seed}"
        order = list(files)
        random.Random(seed).shuffle(order)
        for rel in order:
            write(root, rel, files[rel])
        monkeypatch.chdir(root)
        main(["check", "--format", "json", "--show-suppressed"])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert '"code": "AL101"' in outputs[0]


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_output_is_identical_under_different_hash_seeds(tmp_path: Path, fmt: str) -> None:
    """Determinism across processes: string hashing (set and dict-of-set order) is seeded per
    process, so the in-process runs above share one seed. The examples and end-to-end projects
    (YAML, JSON, TOML, prompts, Python) checked in three processes with different
    ``PYTHONHASHSEED``s give byte-identical reports."""
    import shutil
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    shutil.copytree(repo / "examples", tmp_path / "examples")
    shutil.copytree(repo / "tests" / "projects", tmp_path / "projects")
    outputs = []
    for seed in ("0", "1", "4242"):
        done = subprocess.run(
            [sys.executable, "-m", "agentlint", "check", "--isolated", "--select", "ALL", "--format", fmt, "--show-suppressed", "."],
            cwd=tmp_path, capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(repo)},
        )
        assert done.returncode == 1, done.stderr[-2000:]
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count('"AL') > 20  # a real report, not an empty one


def test_whole_project_reports_only_given_files(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, "a.yaml", HEAD + "entry: x\nagents:\n  x: {role: r, timeout: 1, retries: {max_attempts: 1}}\nedges:\n  - {from: x, to: y}\n")
    write(tmp_path, "b.yaml", HEAD + "agents:\n  y: {role: r}\nedges:\n  - {from: y, to: x}\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--whole-project", "a.yaml", "--format", "concise"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "a.yaml:8:5: error: agents x → y → x loop with no exit edge and no terminal agent: a request that enters it never ends [AL101]"
    ]
    # without --whole-project, a.yaml alone has an undefined agent instead of a loop (only that)
    main(["check", "a.yaml", "--format", "concise"])
    out = capsys.readouterr().out.splitlines()
    assert [line.rsplit(" ", 1)[-1] for line in out] == ["[AL106]"]  # not AL105 on x: its route goes on through y


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_to_a_sibling_is_a_duplicate_not_a_loop(tmp_path: Path) -> None:
    write(tmp_path, "real/good.yaml", GOOD)
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    # both names reach one folder: it is read once, under the first name in sorted order
    assert check(tmp_path) == [("alias/good.yaml", 5, 3, "AL301")]


def test_whole_project_reports_a_loop_closed_in_the_given_file(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, "a.yaml", HEAD + "entry: x\nagents:\n  x: {role: r, timeout: 1, retries: {max_attempts: 1}}\nedges:\n  - {from: x, to: y}\n")
    write(tmp_path, "b.yaml", HEAD + "agents:\n  y: {role: r, timeout: 1, retries: {max_attempts: 1}}\nedges:\n  - {from: y, to: x}\n")
    (tmp_path / ".git").mkdir()
    write(tmp_path, "sub/other.yaml", "x: 1\n")
    monkeypatch.chdir(tmp_path / "sub")
    assert main(["check", "--whole-project", "../b.yaml", "--format", "concise"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "../a.yaml:8:5: error: agents x → y → x loop with no exit edge and no terminal agent: a request that enters it never ends [AL101]"
    ]


def test_directive_above_the_first_key_covers_that_key_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        "g.yaml",
        "# agentlint: ignore[AL107] the header is generated\n"
        + HEAD
        + "agents:\n  a: {timeout: 1, retries: {max_attempts: 1}}\n",
    )
    # it covers apiVersion (line 2), not the whole document: AL107 stays, the directive is unused
    assert check(tmp_path) == [("g.yaml", 1, 1, "AL903"), ("g.yaml", 6, 3, "AL107")]


def test_whole_project_with_a_folder_reports_the_files_under_it(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, "team/a.yaml", GOOD)
    write(tmp_path, "other/b.yaml", GOOD.replace("solo", "other"))
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--whole-project", "team", "--format", "concise", "--select", "AL301"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "team/a.yaml:5:3: error: agent 'solo' has no timeout: set 'timeout' (e.g. 30s) [AL301]"
    ]
