"""Hostile file types (issue 12, points 1, 7 and 10): a FIFO, socket or device named like a
config file is a located skip, never a hang; a baseline nested 100k deep is an invalid
baseline, not a crash; every ``--output`` writes atomically only to a regular file or a new
path and writes through to anything else (symlink, FIFO, device, /dev/stdout).

Whatever could hang runs the CLI in a subprocess with a timeout: deleting a fix makes the test
fail, never the suite hang."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from agentlint import baseline
from agentlint.config import ConfigError
from agentlint.safe_write import write_text

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs, sockets and device nodes are POSIX")

TIMEOUT = 20
CLEAN = '{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/data"]}}}\n'


def _agentlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess; ``subprocess.TimeoutExpired`` (a failure) if it hangs."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "agentlint", *args],
        cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False, env=env,
    )


FIFO_LINE = "x.yaml:1:1: error: not a regular file (FIFO): skipped [AL003]\n"


def test_fifo_found_while_walking_is_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.yaml")
    done = _agentlint(tmp_path, "check", "--isolated", "--format", "concise", "-q", ".")
    assert (done.returncode, done.stdout) == (1, FIFO_LINE), done.stderr


def test_fifo_named_on_the_command_line_is_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.yaml")
    done = _agentlint(tmp_path, "check", "--isolated", "--format", "concise", "-q", "x.yaml")
    assert (done.returncode, done.stdout) == (1, FIFO_LINE), done.stderr


def test_socket_named_like_a_config_is_skipped(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "mcp.json"))
    except OSError as exc:  # path too long for a unix socket
        pytest.skip(str(exc))
    try:
        done = _agentlint(tmp_path, "check", "--isolated", "--format", "concise", "-q", ".")
    finally:
        server.close()
    assert (done.returncode, done.stdout) == (1, "mcp.json:1:1: error: not a regular file (socket): skipped [AL003]\n")


def test_read_bytes_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    """A file swapped for a FIFO after discovery: ``read_bytes`` opens without blocking."""
    os.mkfifo(tmp_path / "x.yaml")
    code = "from agentlint.discover import read_bytes; print(read_bytes('x.yaml', 100))"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.stdout == "not a regular file (FIFO): skipped\n", done.stderr


def test_fifo_as_baseline_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "mcp.json").write_text(CLEAN, encoding="utf-8")
    os.mkfifo(tmp_path / "bl.json")
    done = _agentlint(tmp_path, "check", "--isolated", "--baseline", "bl.json", ".")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "agentlint: error: bl.json: cannot read the baseline: not a regular file (FIFO)\n"


def test_fifo_as_config_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "mcp.json").write_text(CLEAN, encoding="utf-8")
    os.mkfifo(tmp_path / "agentlint.toml")
    done = _agentlint(tmp_path, "check", "--config", "agentlint.toml", ".")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "agentlint: error: agentlint.toml: cannot read config: not a regular file (FIFO)\n"


DEEP_MESSAGE = "invalid baseline: JSON nested too deeply (a baseline is an object of flat entries)"


def test_deep_baseline_is_invalid_not_a_crash(tmp_path: Path) -> None:
    deep = tmp_path / "bl.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ConfigError, match=DEEP_MESSAGE.replace("(", r"\(").replace(")", r"\)")):
        baseline.load(deep)
    (tmp_path / "mcp.json").write_text(CLEAN, encoding="utf-8")
    done = _agentlint(tmp_path, "check", "--isolated", "--baseline", "bl.json", ".")
    assert (done.returncode, done.stderr) == (2, f"agentlint: error: bl.json: {DEEP_MESSAGE}\n")


# --- writes: one behaviour for every --output ---------------------------------------------


def _outputs(tmp_path: Path, target: str) -> list[list[str]]:
    """Every writer, each aimed at ``target``."""
    return [
        ["check", "--isolated", "-q", "--format", "concise", "--output-format", f"json={target}", "."],
        ["baseline", "write", "--isolated", "--output", target, "."],
    ]


@pytest.mark.parametrize("writer", [0, 1], ids=["check", "baseline"])
def test_symlink_target_stays_a_symlink(tmp_path: Path, writer: int) -> None:
    (tmp_path / "mcp.json").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "real.out").write_text("old\n", encoding="utf-8")
    (tmp_path / "link.out").symlink_to("real.out")
    done = _agentlint(tmp_path, *_outputs(tmp_path, "link.out")[writer])
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "link.out").is_symlink() and os.readlink(tmp_path / "link.out") == "real.out"
    assert "schema_version" in json.loads((tmp_path / "real.out").read_text("utf-8"))


@pytest.mark.parametrize("writer", [0, 1], ids=["check", "baseline"])
def test_fifo_target_gets_the_content_and_stays_a_fifo(tmp_path: Path, writer: int) -> None:
    (tmp_path / "mcp.json").write_text(CLEAN, encoding="utf-8")
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = _agentlint(tmp_path, *_outputs(tmp_path, "out.fifo")[writer])
    reader.join(TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert len(got) == 1 and "schema_version" in json.loads(got[0])


def _device(tmp_path: Path) -> Path:
    """A null device this test may clobber if the fix is gone: a copy of /dev/null's node in
    ``tmp_path`` (root), else /dev/null itself (a non-root user cannot replace it)."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        return node
    except (OSError, AttributeError):
        if os.geteuid() == 0:
            pytest.skip("cannot make a device node, and /dev/null must not be risked as root")
        return Path("/dev/null")


@pytest.mark.parametrize("writer", [0, 1], ids=["check", "baseline"])
def test_device_target_stays_a_device(tmp_path: Path, writer: int) -> None:
    (tmp_path / "mcp.json").write_text(CLEAN, encoding="utf-8")
    device = _device(tmp_path)
    done = _agentlint(tmp_path, *_outputs(tmp_path, str(device))[writer])
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_stdout_target_appends_to_standard_output(tmp_path: Path) -> None:
    """``json=/dev/stdout`` (here through a symlink the test may lose) with stdout redirected
    to a file: the report follows the main output instead of truncating it."""
    os.mkfifo(tmp_path / "x.yaml")  # one finding, so the main output is not empty
    (tmp_path / "stdout").symlink_to("/dev/stdout")
    with open(tmp_path / "captured", "wb") as captured:
        env = {**os.environ, "NO_COLOR": "1"}
        env.pop("GITHUB_ACTIONS", None)
        done = subprocess.run(
            [sys.executable, "-m", "agentlint", "check", "--isolated", "-q", "--format", "concise",
             "--output-format", "concise=stdout", "."],
            cwd=tmp_path, stdout=captured, stderr=subprocess.PIPE, text=True, timeout=TIMEOUT, check=False, env=env,
        )
    assert (done.returncode, done.stderr) == (1, "")
    assert (tmp_path / "stdout").is_symlink()
    assert (tmp_path / "captured").read_text("utf-8") == FIFO_LINE * 2


def test_new_path_is_created_with_its_folders(tmp_path: Path) -> None:
    target = tmp_path / "new" / "dir" / "report.json"
    write_text(target, "{}\n")
    umask = os.umask(0)
    os.umask(umask)
    assert target.read_bytes() == b"{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_regular_file_is_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    calls: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: object) -> None:
        calls.append((os.path.dirname(src), Path(src).read_text("utf-8")))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    before = target.stat().st_ino
    write_text(target, "new\n")
    assert calls == [(str(tmp_path), "new\n")]  # written next to the target, then renamed over it
    assert target.read_text("utf-8") == "new\n"
    assert target.stat().st_ino != before
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_report_output_writes_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "mcp.json").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "real.md").write_text("old\n", encoding="utf-8")
    (tmp_path / "link.md").symlink_to("real.md")
    done = _agentlint(tmp_path, "report", "--isolated", "--reproducible", "--output", "link.md", ".")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "link.md").is_symlink()
    assert (tmp_path / "real.md").read_text("utf-8").startswith("#")


def test_graph_markdown_output_to_a_fifo_does_not_read_it_first(tmp_path: Path) -> None:
    """``graph --output doc.md`` merges its block into the old file; a FIFO has no old text
    to read (reading it would wait for a writer that is agentlint itself)."""
    from tests.conftest import REPO

    fifo = tmp_path / "doc.md"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = _agentlint(REPO, "graph", "--isolated", "--output", str(fifo), "examples/support-desk")
    reader.join(TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _graph_to(tmp_path / "ok.md")
    assert got == [(tmp_path / "ok.md").read_bytes()]


def _graph_to(path: Path) -> bool:
    """The same rendering into a new Markdown file (the expected content)."""
    from tests.conftest import REPO

    return _agentlint(REPO, "graph", "--isolated", "--output", str(path), "examples/support-desk").returncode == 0


def test_large_python_check_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    """A walked .py too large to read whole is sniffed for a library name: a FIFO swapped in
    after discovery is unreadable (an AL003), not a wait."""
    os.mkfifo(tmp_path / "x.py")
    code = (
        "from agentlint.discover import Candidate; from agentlint.engine import _python_concerns_us; "
        "print(_python_concerns_us(Candidate('x.py', 'x.py', False), 10))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.stdout == "True\n", done.stderr
