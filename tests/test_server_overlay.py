"""Editor buffers over the files on disk (api.analyse(overlay=)) and per-file results kept
between runs (engine.Memo): what the language server checks on each keystroke."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

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


EDITS = [  # (example, file, old text, new text, codes after): edits that add, move or remove findings
    ("support-desk", "agents.yaml", "    timeout: 10s\n", "", ["AL301", "AL303", "AL301", "AL310", "AL102"]),
    ("support-desk", "agents.yaml", "  - {from: critic, to: responder, when: approved}\n", "", ["AL105", "AL303", "AL301", "AL101"]),
    ("support-desk", "agents.yaml", "entry: router\n", "entry: nobody\n", ["AL106", "AL303", "AL301", "AL102"]),
    ("support-desk", "escalation.yaml", "  # agentlint: todo[AL301]", "  # agentlint: todo[AL302]", ["AL903", "AL301", "AL104", "AL102"]),
    ("research-crew", "config/agents.yaml", "", "# a comment\n", ["AL311", "AL301", "AL002"]),
]


@pytest.mark.parametrize(("example", "name", "old", "new", "codes"), EDITS)
def test_the_quick_answer_equals_the_whole_project_check(tmp_path: Path, example: str, name: str, old: str, new: str, codes: list[str]) -> None:
    from agentlint.server.state import Workspace

    root = tmp_path / example
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / example, root)
    text = (root / name).read_text(encoding="utf-8")
    assert old in text
    workspace = Workspace(root)
    workspace.put((root / name).as_uri(), root / name, 1, text)
    workspace.check()
    workspace.put((root / name).as_uri(), root / name, 2, text.replace(old, new, 1))
    quick = workspace.quick(name)
    assert quick is not None
    whole = workspace.check()
    seen = [(f.code, f.location.span, f.message, f.severity) for f in quick.findings[name]]
    assert seen == [(f.code, f.location.span, f.message, f.severity) for f in whole.findings.get(name, [])]
    assert [code for code, *_ in seen] == codes


def test_no_quick_answer_for_a_file_judged_against_every_graph(tmp_path: Path) -> None:
    from agentlint.server.state import Workspace

    root = tmp_path / "support-desk"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "support-desk", root)
    workspace = Workspace(root)
    text = (root / "prompts.yaml").read_text(encoding="utf-8")
    workspace.put((root / "prompts.yaml").as_uri(), root / "prompts.yaml", 1, text)
    assert workspace.quick("prompts.yaml") is None  # no whole-project check yet
    workspace.check()
    workspace.put((root / "prompts.yaml").as_uri(), root / "prompts.yaml", 2, text + "# edited\n")
    assert workspace.quick("prompts.yaml") is None  # prompts only: unreferenced-prompt findings need every graph


def test_server_with_an_old_pygls_says_so_and_exits_2() -> None:
    import subprocess
    import sys

    code = "import sys; sys.modules['pygls.lsp.server'] = None; from agentlint.cli import main; sys.exit(main(['server']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("agentlint: error: 'agentlint server' needs pygls 2 (pip install 'agentlint[server]'): ")


def test_a_new_server_reads_files_unchanged_since_an_earlier_run_from_the_disk_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's Workspace (cache on, as `agentlint server` starts it) fills and reads the
    project's .agentlint_cache: a restarted server parses no unchanged file, with the same findings;
    an unsaved buffer is still checked as typed."""
    pytest.importorskip("lsprotocol")
    from agentlint.server.state import Workspace

    (tmp_path / ".git").mkdir()
    (tmp_path / "agents.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(GOOD.replace("desk", "other"), encoding="utf-8")
    seen: list[str] = []
    real = engine._load_and_adapt
    monkeypatch.setattr(engine, "_load_and_adapt", lambda run, candidate, *args: seen.append(candidate.path) or real(run, candidate, *args))

    def findings(workspace: Workspace) -> list[tuple[str, str, int]]:
        checked = workspace.check()
        return sorted((f.code, f.path, f.line) for found in checked.findings.values() for f in found)

    first = findings(Workspace(tmp_path, cache=True))
    assert first == [("AL301", "agents.yaml", 5)] and sorted(seen) == ["agents.yaml", "other.yaml"]
    assert (tmp_path / ".agentlint_cache").is_dir()
    seen.clear()
    restarted = Workspace(tmp_path, cache=True)
    assert findings(restarted) == first and seen == []  # both from the cache
    restarted.put("file://x", tmp_path / "agents.yaml", 2, GOOD)
    assert findings(restarted) == [] and seen == ["agents.yaml"]  # the buffer, not the cached bytes
    seen.clear()
    assert findings(Workspace(tmp_path / "", cache=False)) == first and sorted(seen) == ["agents.yaml", "other.yaml"]
