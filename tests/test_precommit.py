"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, installed with real pre-commit.

A copy of this working tree is committed into a temporary git repository (the "hook
repository") and referenced by local path and commit from the ``.pre-commit-config.yaml`` of
throwaway project repositories. pre-commit builds the hook's virtualenv once for the module
(it pip-installs agentlint and its dependencies from the machine's configured package index,
hence ``allow_subprocess_network``); every scenario reuses it through a shared
``PRE_COMMIT_HOME`` inside the test's temporary directory.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint.discover import EXTENSIONS, discover, excluded_regex, files_regex, walked

REPO = Path(__file__).resolve().parent.parent
MANIFEST = REPO / ".pre-commit-hooks.yaml"
# What pip needs to build and install agentlint from the hook repository.
HOOK_REPO_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "agentlint")

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None, reason="pre-commit is not installed"),
    pytest.mark.allow_subprocess_network,
]

# --------------------------------------------------------------------------- graphs

CLEAN = """\
apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: support-desk
entry: router
terminals: [billing]
agents:
  router: {role: router, timeout: 10, retries: {max_attempts: 2}}
  billing: {role: billing specialist, timeout: 20s, retries: {max_attempts: 2}}
edges:
  - {from: router, to: billing, kind: handoff, when: invoice question}
  - {from: billing, to: router, when: not billing, max_traversals: 2}
"""

ENDLESS = """\
apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: review-loop
entry: writer
agents:
  writer: {role: writer, timeout: 60, retries: {max_attempts: 2}}
  critic: {role: critic, timeout: 60, retries: {max_attempts: 2}}
edges:
  - {from: writer, to: critic, kind: call}
  - {from: critic, to: writer, when: needs changes}
"""
ENDLESS_ANCHOR = "{from: writer, to: critic, kind: call}"

# One graph split over two files: the loop a -> b -> a has one edge in each file, and b.yaml
# also holds a finding of its own (agent 'b' has no timeout: AL301).
SPLIT_A_BEFORE = """\
apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: split-desk
entry: a
agents:
  a: {role: intake, timeout: 30, retries: {max_attempts: 2}}
"""
SPLIT_A = SPLIT_A_BEFORE + "edges:\n  - {from: a, to: b, kind: handoff}\n"
SPLIT_A_ANCHOR = "{from: a, to: b, kind: handoff}"
SPLIT_B = """\
apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: split-desk
agents:
  b: {role: resolver, retries: {max_attempts: 2}}
edges:
  - {from: b, to: a, when: needs intake}
"""

# Files every project carries: YAML/JSON that is not agentlint's and must be skipped.
UNRELATED = {
    "README.md": "# demo project\n",
    "ci/workflow.yml": "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
    "package.json": '{\n  "name": "demo",\n  "version": "1.0.0",\n  "private": true\n}\n',
}


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in text")


def concise_line(path: str, text: str, anchor: str, severity: str, code: str) -> re.Pattern[str]:
    """The concise line ``path:line:col: severity: <message> [CODE]`` of a finding at ``anchor``."""
    line, col = position(text, anchor)
    return re.compile(rf"^{re.escape(path)}:{line}:{col}: {severity}: .+ \[{code}\]$", re.MULTILINE)


# --------------------------------------------------------------------------- harness


@dataclass
class PreCommit:
    base: Path
    env: dict[str, str]
    hook_repo: Path
    rev: str
    install_seconds: float

    def config(self) -> str:
        return textwrap.dedent(
            f"""\
            repos:
              - repo: {self.hook_repo.as_posix()}
                rev: {self.rev}
                hooks:
                  - id: agentlint
                  - id: agentlint-all
            """
        )

    def project(self, name: str, files: dict[str, str]) -> Path:
        """A git repository with the hook configuration and ``files``, all staged."""
        root = self.base / name
        root.mkdir()
        git(root, self.env, "init", "-q")
        write(root, {".pre-commit-config.yaml": self.config(), **files})
        git(root, self.env, "add", "-A")
        return root

    def run(self, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return run([sys.executable, "-m", "pre_commit", "run", "--color", "never", *args], project, self.env)


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout
    )


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = run(["git", *args], cwd, env)
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout.strip()


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def isolated_env(base: Path) -> dict[str, str]:
    """The test's environment minus anything git/pre-commit/Python-path related from outside;
    the package index settings (PIP_*, pip.conf) are kept so pip can install the hook."""
    dropped = ("GIT_", "PRE_COMMIT", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "SKIP")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    gitconfig = base / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = agentlint tests\n\temail = tests@agentlint.invalid\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[core]\n\tautocrlf = false\n",
        encoding="utf-8",
    )
    env.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
        VIRTUALENV_OVERRIDE_APP_DATA=str(base / "virtualenv-app-data"),
        NO_COLOR="1",
    )
    return env


def build_hook_repo(base: Path, env: dict[str, str]) -> tuple[Path, str]:
    """Commit a copy of the working tree's package files into a fresh repository."""
    hook_repo = base / "hook-repo"
    hook_repo.mkdir()
    for rel in HOOK_REPO_FILES:
        source = REPO / rel
        if source.is_dir():
            shutil.copytree(source, hook_repo / rel, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, hook_repo / rel)
    git(hook_repo, env, "init", "-q")
    git(hook_repo, env, "add", "-A")
    git(hook_repo, env, "commit", "-q", "-m", "agentlint hooks under test")
    return hook_repo, git(hook_repo, env, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def precommit(tmp_path_factory: pytest.TempPathFactory) -> PreCommit:
    base = tmp_path_factory.mktemp("precommit")
    env = isolated_env(base)
    hook_repo, rev = build_hook_repo(base, env)
    harness = PreCommit(base, env, hook_repo, rev, 0.0)
    bootstrap = harness.project("bootstrap", {})
    started = time.perf_counter()
    done = run([sys.executable, "-m", "pre_commit", "install-hooks"], bootstrap, env, timeout=900)
    harness.install_seconds = time.perf_counter() - started
    if done.returncode != 0:
        log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
        details = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        pytest.fail(f"pre-commit install-hooks failed:\n{done.stdout}{done.stderr}\n{details}")
    return harness


def hook_exit_code(output: str) -> int | None:
    """The hook's own exit code as pre-commit reports it for a failed hook."""
    match = re.search(r"^- exit code: (\d+)$", output, re.MULTILINE)
    return int(match.group(1)) if match else None


def finding_lines(output: str) -> list[str]:
    return re.findall(r"^\S+:\d+:\d+: \w+: .* \[AL\d{3}\]$", output, re.MULTILINE)


# --------------------------------------------------------------------------- tests


def test_manifest_declares_both_hooks() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(MANIFEST))}
    assert set(hooks) == {"agentlint", "agentlint-all"}
    changed, everything = hooks["agentlint"], hooks["agentlint-all"]
    assert changed["entry"] == "agentlint check --whole-project --format concise"
    assert changed["language"] == "python"
    # files: exactly what discovery reads (identify's yaml/json/toml/python tags missed
    # .prompty, .prompt, .jsonc, lock, requirements and .env files)
    assert changed["files"] == files_regex(), f"set files: '{files_regex()}'"
    assert changed["exclude"] == excluded_regex(), f"set exclude: '{excluded_regex()}'"
    assert changed["types"] == ["file"] and changed["types_or"] == []
    assert changed["require_serial"] is True
    assert changed["pass_filenames"] is True
    assert changed["minimum_pre_commit_version"] == "2.9.2"
    assert changed["description"]
    assert everything["entry"] == "agentlint check --format concise"
    assert everything["language"] == "python"
    assert everything["pass_filenames"] is False
    assert everything["always_run"] is True
    assert everything["require_serial"] is True


def test_clean_project_passes(precommit: PreCommit) -> None:
    project = precommit.project("clean", {"agents/support.yaml": CLEAN, **UNRELATED})

    # --all-files passes every YAML/JSON file: the graph, the workflow, package.json and
    # .pre-commit-config.yaml itself; agentlint checks the first and skips the others.
    done = precommit.run(project, "agentlint", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^agentlint\.+Passed$", done.stdout, re.MULTILINE), done.stdout
    assert not finding_lines(done.stdout)

    done = precommit.run(project, "agentlint-all", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^agentlint \(whole project\)\.+Passed$", done.stdout, re.MULTILINE), done.stdout

    # files: a Markdown file alone gives the per-file hook nothing to check.
    done = precommit.run(project, "agentlint", "--files", "README.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^agentlint\.+\(no files to check\)Skipped$", done.stdout, re.MULTILINE), done.stdout


def test_endless_loop_fails_the_hook(precommit: PreCommit) -> None:
    project = precommit.project("loop", {"agents/support.yaml": CLEAN, "agents/review.yaml": ENDLESS, **UNRELATED})

    done = precommit.run(project, "agentlint", "--files", "agents/review.yaml")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert re.search(r"^agentlint\.+Failed$", done.stdout, re.MULTILINE), output
    assert hook_exit_code(done.stdout) == 1, output
    expected = concise_line("agents/review.yaml", ENDLESS, ENDLESS_ANCHOR, "error", "AL101")
    assert expected.search(done.stdout), output

    # The clean file alone passes even though the project holds the loop elsewhere.
    done = precommit.run(project, "agentlint", "--files", "agents/support.yaml")
    assert done.returncode == 0, done.stdout + done.stderr

    # --all-files: the loop is found, the clean graph and the unrelated files add nothing.
    done = precommit.run(project, "agentlint", "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert [line for line in finding_lines(done.stdout) if "[AL101]" in line] != []
    assert all(line.startswith("agents/review.yaml:") for line in finding_lines(done.stdout)), done.stdout


def test_split_graph_is_checked_whole_but_reported_per_file(precommit: PreCommit) -> None:
    # First commit (no hooks installed yet): the graph split over two files, without a loop.
    project = precommit.project("split", {"graph/a.yaml": SPLIT_A_BEFORE, "graph/b.yaml": SPLIT_B, **UNRELATED})
    git(project, precommit.env, "commit", "-q", "-m", "split graph")
    before = git(project, precommit.env, "rev-parse", "HEAD")

    # Then a.yaml gains the edge a -> b that closes the loop a -> b -> a (b -> a is in b.yaml).
    write(project, {"graph/a.yaml": SPLIT_A})
    git(project, precommit.env, "add", "graph/a.yaml")
    loop = concise_line("graph/a.yaml", SPLIT_A, SPLIT_A_ANCHOR, "error", "AL101")

    done = precommit.run(project, "agentlint", "--files", "graph/a.yaml")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert hook_exit_code(done.stdout) == 1, output
    assert loop.search(done.stdout), output
    # Only a.yaml's findings: b.yaml's missing timeout (AL301) is not reported, and since the
    # whole project was loaded, 'b' is known (no AL106 undefined agent, no AL105).
    lines = finding_lines(done.stdout)
    assert lines and all(line.startswith("graph/a.yaml:") for line in lines), output
    assert "[AL106]" not in done.stdout and "[AL105]" not in done.stdout, output

    # The same through a real commit: only a.yaml is staged; the commit is refused.
    install = run([sys.executable, "-m", "pre_commit", "install"], project, precommit.env)
    assert install.returncode == 0, install.stdout + install.stderr
    commit = run(["git", "commit", "-m", "close the loop"], project, {**precommit.env, "SKIP": "agentlint-all"})
    output = commit.stdout + commit.stderr
    assert commit.returncode == 1, output
    assert loop.search(output), output
    assert not re.search(r"^graph/b\.yaml:\d+", output, re.MULTILINE), output
    assert git(project, precommit.env, "rev-parse", "HEAD") == before

    # b.yaml's own finding shows up when b.yaml is the file checked.
    done = precommit.run(project, "agentlint", "--files", "graph/b.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert concise_line("graph/b.yaml", SPLIT_B, "b: {role: resolver", "error", "AL301").search(done.stdout), done.stdout
    # ... and so does the loop: it is located in a.yaml, but its closing edge b -> a is in b.yaml
    assert loop.search(done.stdout), done.stdout
    others = [line for line in finding_lines(done.stdout) if not line.startswith("graph/b.yaml:")]
    assert others == [line for line in others if loop.search(line)] and len(others) == 1, done.stdout


def test_all_hook_checks_the_whole_project(precommit: PreCommit) -> None:
    project = precommit.project("everything", {"agents/support.yaml": CLEAN, "agents/review.yaml": ENDLESS, **UNRELATED})

    done = precommit.run(project, "agentlint-all", "--all-files")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert re.search(r"^agentlint \(whole project\)\.+Failed$", done.stdout, re.MULTILINE), output
    assert hook_exit_code(done.stdout) == 1, output
    assert concise_line("agents/review.yaml", ENDLESS, ENDLESS_ANCHOR, "error", "AL101").search(done.stdout), output

    # always_run + pass_filenames: false: runs on the whole project whatever the changed files.
    done = precommit.run(project, "agentlint-all", "--files", "README.md")
    assert done.returncode == 1, done.stdout + done.stderr
    assert concise_line("agents/review.yaml", ENDLESS, ENDLESS_ANCHOR, "error", "AL101").search(done.stdout), done.stdout


# One name per way discovery reads a file: every extension (any case) and every kind of file
# read by name; and names it never reads, which the hook must not be passed either.
READ = {
    **{f"x/sample{ext}": "" for ext in sorted(EXTENSIONS)},
    "x/UPPER.YAML": "a: 1\n",
    "x/.hidden.yml": "a: 1\n",
    "requirements.txt": "langgraph==0.6.7\n",
    "requirements-dev.txt": "pytest==8.4.2\n",
    "reqs/dev-requirements.txt": "pytest==8.4.2\n",
    "requirements/prod.txt": "langgraph==0.6.7\n",
    "constraints.txt": "langgraph==0.6.7\n",
    ".env": "LOG_LEVEL=info\n",
    "svc/.env.local": "LOG_LEVEL=info\n",
    "prod.env": "LOG_LEVEL=info\n",
    ".gitignore": ".env.local\n",
}
NOT_READ = {
    "README.md": "# demo\n",
    "notes.txt": "todo\n",
    "x/.yaml": "a: 1\n",  # os.path.splitext: a leading dot is part of the name, no extension
    "x/agents.yaml.bak": "a: 1\n",
    "x/module.pyc": "",
    "x/envelope": "",
}
# Files discovery would read but for the folders a walk never enters.
EXCLUDED = {
    "node_modules/pkg/package.json": "{}\n",
    ".venv/lib/site.py": "x = 1\n",
    "build/agents.yaml": "a: 1\n",
    "src/dist/mcp.json": "{}\n",
}

# A .prompty with a literal key: pre-commit skipped it ("no files to check") with types_or.
KEYED_PROMPTY = (
    "---\nname: triage\nmodel:\n  api: chat\n  configuration:\n    type: azure_openai\n"
    "    azure_deployment: triage-gpt4o\n    api_key: 9f2c7a4d1e8b5f30c6a9d2e7b4f1a8c3\n---\n"
    "user:\n{{ticket}}\n"
)


def test_files_regex_names_what_discovery_reads(tmp_path: Path) -> None:
    pattern, exclude = re.compile(files_regex()), re.compile(excluded_regex())
    for path in READ:
        assert pattern.search(path) and walked(path) and not exclude.search(path), path
    for path in NOT_READ:
        assert not pattern.search(path) and not walked(path), path
    for path in EXCLUDED:
        assert pattern.search(path) and exclude.search(path), path
    # the walk itself reads exactly the files the hook is passed
    write(tmp_path, {**READ, **NOT_READ, **EXCLUDED})
    found, problems = discover(["."], tmp_path)
    assert problems == []
    hook = sorted(path for path in (*READ, *NOT_READ, *EXCLUDED) if pattern.search(path) and not exclude.search(path))
    assert [candidate.path for candidate in found] == hook == sorted(READ)


_PARTS = st.sampled_from(
    ["a", "B", ".", "..", "-", "_", "env", ".env", "requirements", "REQUIREMENTS", "constraints", "txt", ".txt",
     "gitignore", ".gitignore", "yaml", ".yaml", ".YML", ".json", ".jsonc", ".lock", ".prompt", ".prompty", ".py",
     ".toml", ".md", "x", "é", "ſ", "\u212a", ".LOCK", ".Json", ".LOC"]
)
_SEGMENT = st.lists(_PARTS, min_size=1, max_size=5).map("".join)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_SEGMENT, min_size=1, max_size=3).map("/".join))
def test_files_regex_agrees_with_discovery(path: str) -> None:
    assert bool(re.search(files_regex(), path)) == walked(path), path


def test_hook_is_passed_every_file_discovery_reads(precommit: PreCommit) -> None:
    project = precommit.project("kinds", {**READ, **NOT_READ, **EXCLUDED})
    for path in READ:
        done = precommit.run(project, "agentlint", "--files", path)
        assert not re.search(r"^agentlint\.+\(no files to check\)Skipped$", done.stdout, re.MULTILINE), (path, done.stdout)
    for path in (*NOT_READ, *EXCLUDED):
        done = precommit.run(project, "agentlint", "--files", path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert re.search(r"^agentlint\.+\(no files to check\)Skipped$", done.stdout, re.MULTILINE), (path, done.stdout)


def test_prompty_with_a_key_fails_the_hook(precommit: PreCommit) -> None:
    project = precommit.project("prompty", {"prompts/triage.prompty": KEYED_PROMPTY, **UNRELATED})
    done = precommit.run(project, "agentlint", "--files", "prompts/triage.prompty")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert hook_exit_code(done.stdout) == 1, output
    key = concise_line("prompts/triage.prompty", KEYED_PROMPTY, "9f2c7a4d1e8b5f30c6a9d2e7b4f1a8c3", "error", "AL408")
    assert key.search(done.stdout), output


def test_readme_lists_the_hooks_extensions() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"Its `files` pattern is exactly the set of files a folder walk reads \((.*?)\), generated", readme, re.S)
    assert match, "README lost the sentence on the hook's files"
    assert sorted(re.findall(r"`(\.[a-z]+)`", match.group(1).split("files,")[0])) == sorted(EXTENSIONS)
    assert all(f"`{name}`" in match.group(1) for name in (".venv", "node_modules", "build"))
