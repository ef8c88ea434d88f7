"""Editor buffers over the files on disk (api.analyse(overlay=)) and per-file results kept
between runs (engine.Memo): what the language server checks on each keystroke."""

from __future__ import annotations

import json
from pathlib import Path

from agentlint import api, engine
from agentlint.report import render

HEADER = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"
GOOD = HEADER + "agents:\n  router: {role: router, timeout: 30s, retries: {max_attempts: 2}}\n"
BAD = HEADER + "agents:\n  router:\n    role: router\n    retries: {max_attempts: 2}\n"


def located(result) -> list[tuple[str, str, int]]:
    return [(f.code, f.path, f.location.span.start.line) for f in result.findings]


def test_overlay_bytes_are_checked_instead_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.agentlint]\n", encoding="utf-8")
    (tmp_path / "agents.yaml").write_text(GOOD, encoding="utf-8")
    settings = api.settings_for(["."], root=tmp_path)
    assert located(api.check(["."], settings, root=tmp_path)) == []
    result = api.check(["."], settings, root=tmp_path, overlay={str(tmp_path / "agents.yaml"): BAD.encode()})
    assert located(result) == [("AL301", "agents.yaml", 5)]


def test_an_unsaved_new_file_is_added_unless_excluded(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.agentlint]\nexclude = ["drafts"]\n', encoding="utf-8")
    overlay = {"new.yaml": BAD.encode(), "drafts/old.yaml": BAD.replace("desk", "old").encode()}
    settings = api.settings_for(["."], root=tmp_path)
    assert located(api.check(["."], settings, root=tmp_path, overlay=overlay)) == [("AL301", "new.yaml", 5)]


def test_memo_gives_the_same_result_and_rereads_only_changed_files(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "support-desk"
    settings = api.settings_for(["."], root=example)
    memo = engine.Memo()
    plain = api.check(["."], settings, root=example)
    first = api.check(["."], settings, root=example, memo=memo)
    assert memo.reused == 0
    second = api.check(["."], settings, root=example, memo=memo)
    assert memo.reused == first.files_checked + first.files_skipped
    assert json.loads(render("json", second)) == json.loads(render("json", plain))
    changed = api.check(["."], settings, root=example, memo=memo, overlay={"agents.yaml": (HEADER + "agents: [\n").encode()})
    assert memo.reused == 2 * (first.files_checked + first.files_skipped) - 1
    assert ("AL001", "agents.yaml") in {(f.code, f.path) for f in changed.findings}


def test_a_file_changed_on_disk_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.agentlint]\n", encoding="utf-8")
    target = tmp_path / "agents.yaml"
    target.write_text(GOOD, encoding="utf-8")
    settings = api.settings_for(["."], root=tmp_path)
    memo = engine.Memo()
    assert located(api.check(["."], settings, root=tmp_path, memo=memo)) == []
    target.write_text(BAD + "\n", encoding="utf-8")  # another size: another stamp
    assert located(api.check(["."], settings, root=tmp_path, memo=memo)) == [("AL301", "agents.yaml", 5)]


def test_server_without_the_extra_says_so_and_exits_2() -> None:
    import subprocess
    import sys

    code = "import sys; sys.modules['pygls'] = None; from agentlint.cli import main; sys.exit(main(['server']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == "agentlint: error: 'agentlint server' needs the server extra: pip install 'agentlint[server]'\n"
    assert done.stdout == ""
