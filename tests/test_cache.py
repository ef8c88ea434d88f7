"""The persistent per-file cache (agentlint.cache, issue 14 lever 2): same output, fewer reads.

The suite sets AGENTLINT_NO_CACHE=1 (conftest) so that no other test writes a cache folder;
these tests turn it back on for their own runs.
"""

from __future__ import annotations

import io
import os
import pickle
import shutil
from pathlib import Path

import pytest

from agentlint import api, cache, cli, engine
from tests.conftest import REPO

GRAPH = """\
apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: desk
entry: triage
terminals: [done]

agents:
  triage:
    role: route tickets
    model: gpt-4o-2024-08-06
    timeout: 30s
    retries: {max_attempts: 2}
  refund:
    role: issue refunds
    model: gpt-4o-2024-08-06
    timeout: 30s
    retries: {max_attempts: 2}
  done:
    role: answer
    model: gpt-4o-2024-08-06
    timeout: 30s
    retries: {max_attempts: 2}

edges:
  # agentlint: todo[AL101] the refund loop is bounded by a human (TICKET-1)
  - {from: triage, to: refund}
  - {from: refund, to: triage}
"""

CODE = """\
from langgraph.graph import END, START, StateGraph

from .settings import MAX_STEPS


def step(state):
    return state


builder = StateGraph(dict)
builder.add_node(step)
builder.add_edge(START, "step")
builder.add_conditional_edges("step", lambda s: "step" if s else END, {"step": "step", END: END})
graph = builder.compile()
graph.invoke({}, config={"recursion_limit": MAX_STEPS})
"""


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGENTLINT_NO_CACHE", raising=False)
    monkeypatch.delenv("AGENTLINT_CACHE_DIR", raising=False)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the engine parses and adapts in each run (cache misses; a .py file the byte
    prefilter skips is never parsed, and never cached: the prefilter is cheaper)."""
    seen: list[str] = []
    real = engine._load_and_adapt

    def counting(run, candidate, *args):
        seen.append(candidate.path)
        return real(run, candidate, *args)

    monkeypatch.setattr(engine, "_load_and_adapt", counting)
    return seen


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(["check", "--format", "json", "--no-progress", *args])
    return code, capsys.readouterr().out


def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "src" / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.agentlint]\n")
    (root / "graphs").mkdir()
    (root / "graphs" / "desk.yaml").write_text(GRAPH)
    (root / "graphs" / "other.yaml").write_text(GRAPH.replace("name: desk", "name: other"))
    (root / "src" / "app" / "graph.py").write_text(CODE)
    (root / "src" / "app" / "settings.py").write_text("MAX_STEPS = 500\n")  # no library: prefiltered
    return root


@pytest.mark.parametrize("example", sorted(p.name for p in (REPO / "examples").iterdir() if p.is_dir()))
def test_output_is_byte_identical_with_and_without_the_cache(example: str, tmp_path: Path, capsys, reads) -> None:
    target = str(REPO / "examples" / example)
    folder = str(tmp_path / "cache")
    plain = run_cli(capsys, "--no-cache", target)
    reads.clear()
    cold = run_cli(capsys, "--cache-dir", folder, target)
    read_cold = sorted(reads)
    reads.clear()
    warm = run_cli(capsys, "--cache-dir", folder, target)
    assert plain == cold == warm
    assert read_cold and reads == []  # the warm run loaded no file: every one came from the cache


@pytest.mark.parametrize("command", ["report", "graph", "baseline"])
def test_report_graph_and_baseline_use_the_cache_with_the_same_output(command: str, tmp_path: Path, capsys, reads, monkeypatch) -> None:
    """The other commands that read the project use the cache: a report or a baseline after a check
    in CI reads no file again (graph names paths from the project root, so its own earlier run fills
    its entries), and each prints, or writes, exactly what it does without the cache."""
    monkeypatch.chdir(tmp_path)
    folder = str(tmp_path / "cache")
    examples = str(REPO / "examples")

    def run(name: str, *flags: str) -> tuple[int, str, str]:
        out = tmp_path / f"{name}.json"
        args = {
            "report": ["report", "--reproducible", "--no-progress"],
            "graph": ["graph", "--format", "json"],
            "baseline": ["baseline", "write", "--output", str(out)],
        }[command]
        code = cli.main([*args, *flags, examples])
        return code, capsys.readouterr().out, out.read_text() if out.exists() else ""

    plain = run("plain", "--no-cache")
    if command == "graph":
        assert run("cold", "--cache-dir", folder)[:2] == plain[:2]
    else:
        assert cli.main(["check", "--format", "json", "--no-progress", "--cache-dir", folder, examples]) == 1
        capsys.readouterr()
    reads.clear()
    warm = run("warm", "--cache-dir", folder)
    assert reads == []  # every file came from the cache
    assert warm[:2] == plain[:2] and warm[2] == plain[2]
    assert command != "baseline" or '"findings"' in plain[2]


def test_default_folder_is_at_the_project_root_ignored_by_git_and_by_discovery(tmp_path: Path, capsys, monkeypatch, reads) -> None:
    root = project(tmp_path)
    monkeypatch.chdir(root / "graphs")  # the config's folder is the project, wherever the run starts
    first = run_cli(capsys, ".")
    folder = root / ".agentlint_cache"
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert not list(root.rglob("*.tmp"))
    assert sorted(reads) == ["desk.yaml", "other.yaml"]
    reads.clear()
    monkeypatch.chdir(root)
    cli.main(["check", "--show-files", "."])
    listed = capsys.readouterr().out
    assert ".agentlint_cache" not in listed and "graphs/desk.yaml" in listed
    reads.clear()
    monkeypatch.chdir(root / "graphs")
    assert run_cli(capsys, ".") == first and reads == []


def test_a_hook_run_reads_only_the_changed_files(tmp_path: Path, capsys, monkeypatch, reads) -> None:
    root = project(tmp_path)
    monkeypatch.chdir(root)
    run_cli(capsys, "--whole-project", "graphs/desk.yaml")
    assert sorted(reads) == ["graphs/desk.yaml", "graphs/other.yaml", "src/app/graph.py"]
    reads.clear()
    (root / "graphs" / "desk.yaml").write_text(GRAPH.replace("timeout: 30s", "timeout: 40s"))
    warm = run_cli(capsys, "--whole-project", "graphs/desk.yaml")
    assert reads == ["graphs/desk.yaml"]
    assert warm == run_cli(capsys, "--no-cache", "--whole-project", "graphs/desk.yaml")


def test_suppressions_and_prefiltered_constants_survive_a_hit(tmp_path: Path, capsys, monkeypatch, reads) -> None:
    root = project(tmp_path)
    monkeypatch.chdir(root)
    plain = run_cli(capsys, "--no-cache", "--show-suppressed", ".")
    assert '"AL103"' in plain[1]  # recursion_limit 500, read from the prefiltered settings.py
    assert '"AL101"' in plain[1] and "todo" in plain[1]  # the loop, suppressed by the YAML comment
    run_cli(capsys, "--show-suppressed", ".")
    reads.clear()
    assert run_cli(capsys, "--show-suppressed", ".") == plain and reads == []


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*/*/*") if p.is_file())


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",  # empty
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit of the payload
        lambda data: b"XXXX" + data[4:],  # another format
        lambda data: os.urandom(len(data)),  # garbage
    ],
    ids=["empty", "truncated", "bit-flip", "magic", "garbage"],
)
def test_a_damaged_entry_is_a_miss_and_is_rewritten(tmp_path: Path, capsys, reads, damage) -> None:
    folder = tmp_path / "cache"
    target = str(REPO / "examples" / "support-desk")
    good = run_cli(capsys, "--cache-dir", str(folder), target)
    for entry in entries(folder):
        entry.write_bytes(damage(entry.read_bytes()))
    reads.clear()
    assert run_cli(capsys, "--cache-dir", str(folder), target) == good
    assert len(reads) == len(entries(folder)) > 0
    reads.clear()
    assert run_cli(capsys, "--cache-dir", str(folder), target) == good and reads == []


class _Evil:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_an_entry_that_would_run_code_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    payload = pickle.dumps(_Evil(), protocol=5)
    import hashlib

    content = cache.digest(b"x")
    data = b"".join((b"ALC\x01", content, hashlib.blake2b(payload, digest_size=16).digest(), payload))
    assert cache._decode(data, content) is None
    assert not (tmp_path / "pwned").exists()
    # a well-formed entry whose classes are not agentlint's is refused the same way
    foreign = pickle.dumps((io.BytesIO(b""),) * 9, protocol=5)
    data = b"".join((b"ALC\x01", content, hashlib.blake2b(foreign, digest_size=16).digest(), foreign))
    assert cache._decode(data, content) is None


def test_an_unwritable_cache_folder_means_no_cache(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    target = str(REPO / "examples" / "support-desk")
    plain = run_cli(capsys, "--no-cache", target)
    assert run_cli(capsys, "--cache-dir", str(blocker / "cache"), target) == plain
    assert blocker.read_text() == "not a folder"


def test_no_cache_flag_and_environment(tmp_path: Path, capsys, monkeypatch) -> None:
    root = project(tmp_path)
    monkeypatch.chdir(root)
    run_cli(capsys, "--no-cache", ".")
    monkeypatch.setenv("AGENTLINT_NO_CACHE", "1")
    run_cli(capsys, ".")
    assert not (root / ".agentlint_cache").exists()
    monkeypatch.setenv("AGENTLINT_NO_CACHE", "0")
    monkeypatch.setenv("AGENTLINT_CACHE_DIR", str(tmp_path / "elsewhere"))
    run_cli(capsys, ".")
    assert not (root / ".agentlint_cache").exists() and entries(tmp_path / "elsewhere")


def test_the_key_holds_path_syntax_and_load_settings(tmp_path: Path, capsys, monkeypatch, reads) -> None:
    root = project(tmp_path)
    monkeypatch.chdir(root)
    run_cli(capsys, "graphs")
    (root / "graphs" / "desk.yaml").rename(root / "graphs" / "moved.yaml")  # same bytes, another path
    reads.clear()
    run_cli(capsys, "graphs")
    assert reads == ["graphs/moved.yaml"]
    limits = api.settings_for(["graphs"]).limits
    other = cache.Cache(tmp_path / "unused")
    key = other.key("graphs/desk.yaml", False, engine.Syntax.YAML, (limits, False))
    assert key != other.key("graphs/desk.yaml", True, engine.Syntax.YAML, (limits, False))  # named on the command line
    assert key != other.key("graphs/desk.yaml", False, engine.Syntax.YAML, (limits, True))  # config suppressions
    assert key != other.key("graphs/desk.yaml", False, engine.Syntax.JSON, (limits, False))
    smaller = type(limits)(max_file_bytes=1000)
    assert key != other.key("graphs/desk.yaml", False, engine.Syntax.YAML, (smaller, False))


def test_another_version_starts_afresh_and_old_versions_are_pruned(tmp_path: Path, capsys, monkeypatch, reads) -> None:
    folder = tmp_path / "cache"
    target = str(REPO / "examples" / "research-crew")
    tags = iter(f"{n:016x}" for n in range(1, 10))
    monkeypatch.setattr(cache, "_version_tag", lambda: next(tags))
    for n in range(5):
        reads.clear()
        run_cli(capsys, "--cache-dir", str(folder), target)
        assert reads  # each version reads every file again
        os.utime(folder / f"{n + 1:016x}", (1_000_000 + n, 1_000_000 + n))
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == [f"{n:016x}" for n in (3, 4, 5)]


def test_entries_unused_for_a_month_are_pruned_once_a_day(tmp_path: Path, capsys, monkeypatch, reads) -> None:
    root = project(tmp_path)
    monkeypatch.chdir(root)
    run_cli(capsys, "graphs")
    old = entries(root / ".agentlint_cache")
    assert len(old) == 2
    for entry in old:
        os.utime(entry, (1_000_000, 1_000_000))
    os.utime(next((root / ".agentlint_cache").glob("*/.pruned")), (1_000_000, 1_000_000))
    (root / "graphs" / "other.yaml").unlink()  # its entry is no longer used
    (root / "graphs" / "new.yaml").write_text(GRAPH.replace("name: desk", "name: new"))  # a run that writes prunes
    reads.clear()
    run_cli(capsys, "graphs")
    assert reads == ["graphs/new.yaml"]
    kept = entries(root / ".agentlint_cache")
    assert len(kept) == 2 and [e for e in old if e in kept] == [old[0]] or [e for e in old if e in kept] == [old[1]]
    reads.clear()
    run_cli(capsys, "graphs")
    assert reads == []  # desk.yaml's entry was used (and refreshed), so it was kept


def test_the_version_tag_holds_agentlint_its_sources_and_its_libraries(monkeypatch) -> None:
    tag = cache._version_tag()
    assert tag == cache._version_tag() and len(tag) == 16
    real = cache._dependencies()
    assert any(name.startswith("ruamel_yaml-") or name.startswith("ruamel.yaml-") for name in real)
    monkeypatch.setattr(cache, "_dependencies", lambda: [*real, "pydantic-99.0.dist-info"])
    assert cache._version_tag() != tag  # a library upgrade starts afresh


def test_concurrent_runs_share_one_cache_safely(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = project(tmp_path)
    for n in range(30):
        (root / "graphs" / f"g{n}.yaml").write_text(GRAPH.replace("name: desk", f"name: g{n}"))
    env = {**os.environ, "AGENTLINT_NO_CACHE": "0", "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "agentlint", "check", "--format", "json", "--no-progress", "."]
    runs = [subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outputs = [run.communicate() for run in runs]
    plain = subprocess.run([*command, "--no-cache"], cwd=root, env=env, capture_output=True)
    assert {out for out, _ in outputs} == {plain.stdout} and all(b"Traceback" not in err for _, err in outputs)
    assert not list((root / ".agentlint_cache").rglob("*.tmp"))
    warm = subprocess.run(command, cwd=root, env=env, capture_output=True)
    assert warm.stdout == plain.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_cache_folder_leaves_git_status_clean(tmp_path: Path, capsys, monkeypatch) -> None:
    import subprocess

    root = project(tmp_path)
    monkeypatch.chdir(root)
    quiet = {"capture_output": True, "check": True}
    subprocess.run(["git", "init", "-q", "."], **quiet)
    subprocess.run(["git", "add", "."], **quiet)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init"], **quiet)
    run_cli(capsys, "--whole-project", "graphs/desk.yaml")  # what the pre-commit hook runs
    assert (root / ".agentlint_cache").is_dir()
    status = subprocess.run(["git", "status", "--porcelain", "--ignored=no"], **quiet).stdout
    assert status == b""  # nothing new for git (nor for pre-commit's "files were modified" check)


def test_every_field_of_a_run_is_kept_or_known_not_to_come_from_one_file() -> None:
    """An entry replays what reading a file adds to the run (cache.capture/replay). A new field
    of engine._Run that reading a file may write must be kept too: add it there, then here."""
    import dataclasses

    kept = {"violations", "parts", "entities", "records", "checked", "skipped", "prefiltered", "files", "crashed"}
    per_run = {"settings", "paths", "overlay", "memo", "cache"}  # set before files are read
    assert {f.name for f in dataclasses.fields(engine._Run)} == kept | per_run
