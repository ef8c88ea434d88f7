"""The hostile-input suite (issue 12, "Done when"): each case is a small project an attacker or
an odd repository could hold, checked by the real CLI in a subprocess under a timeout and an
address-space limit. A hang fails its own test (``subprocess.TimeoutExpired``), not the CI job;
memory cases assert the child's peak RSS. Every case asserts the exact findings (code, path,
line) and the exit code, and that the file was read or located (never silently skipped).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="resource limits and FIFOs are POSIX")

TIMEOUT = 60  # each case takes well under 5 s on this build
ADDRESS_SPACE = 3 * 1024**3  # a blow-up fails here instead of exhausting the CI machine

_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from agentlint.cli import main
try:
    code = main(["check", "--isolated", "--select", "ALL", "--format", "json", "."])
    print("--- files ---", flush=True)
    main(["check", "--isolated", "--select", "ALL", "--show-files", "."])
finally:
    # VmHWM is this process's own peak: ru_maxrss also counts the parent's peak before the
    # fork (Linux keeps it across exec), so it grows with the pytest process that runs us.
    try:
        hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
        peak = int(hwm[0].split()[1]) // 1024
    except (OSError, IndexError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    sys.stderr.write(f"\\nPEAK_MB={{peak}}\\n")
sys.exit(code)
"""

HEAD = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"


def _run(root: Path) -> tuple[int, list[tuple[str, str, int]], dict[str, str], int, str]:
    """(exit code, sorted (code, path, line), path -> what --show-files says, peak MB, stderr),
    from one child process that checks ``root`` twice (JSON, then ``--show-files``)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD.format(limit=ADDRESS_SPACE)],
            cwd=root, capture_output=True, text=True, timeout=TIMEOUT,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "PYTHONHASHSEED": "0"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"agentlint did not finish within {TIMEOUT} s: a hang")
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    report, files = done.stdout.split("--- files ---\n")
    found = sorted((f["code"], f["path"], f["line"]) for f in json.loads(report)["findings"])
    listed = dict(line.rsplit(": ", 1) for line in files.splitlines() if ": " in line)
    peak = int(done.stderr.rsplit("PEAK_MB=", 1)[1].split()[0])
    return done.returncode, found, listed, peak, done.stderr


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def _alias_bomb() -> str:
    text = HEAD + 'x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 10):
        text += f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
    return text


def _catastrophic_smithery() -> str:
    return (
        "startCommand:\n  type: stdio\n  configSchema:\n    type: object\n    properties:\n"
        '      name: {type: string, pattern: "^(a+)+$"}\n'
        f"  exampleConfig:\n    name: {'a' * 40}!\n"
        '  commandFunction: |-\n    (config) => ({command: "node", args: ["x.js"]})\n'
    )


def _codex_args(count: int) -> str:
    args = ", ".join(f'"a{i}"' for i in range(count))
    return f'[mcp_servers.many]\ncommand = "npx"\nargs = [{args}]\ntool_timeout_sec = 30\n'


CASES: dict[str, tuple[Callable[[], dict[str, str | bytes]], int, list[tuple[str, str, int]], int]] = {
    # name: (files, exit code, exact findings, peak RSS in MB at most)
    "alias bomb": (lambda: {"bomb.yaml": _alias_bomb()}, 1, [("AL004", "bomb.yaml", 10)], 100),
    "100k-deep JSON": (
        lambda: {"deep.json": '{"apiVersion": "agentlint/v1", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"},
        1, [("AL004", "deep.json", 1)], 100,
    ),
    "100k-deep YAML flow": (lambda: {"deep.yaml": HEAD + "x: " + "[" * 100_000 + "]" * 100_000 + "\n"}, 1, [("AL004", "deep.yaml", 4)], 100),
    "catastrophic schema pattern": (lambda: {"smithery.yaml": _catastrophic_smithery()}, 1, [("AL214", "smithery.yaml", 8)], 120),
    "80k unclosed mustache sections": (
        lambda: {"p.prompty": "---\nname: p\nmodel:\n  api: chat\n---\nuser:\n" + "{{#each a}}" * 80_000 + "\n"}, 0, [], 250,
    ),
    "80k unclosed Jinja tags": (
        lambda: {"q.prompty": "---\nname: q\nmodel:\n  api: chat\n---\nuser:\n" + "{{ " * 80_000 + "\n"}, 0, [], 100,
    ),
    "80k Codex args": (lambda: {".codex/config.toml": _codex_args(80_000)}, 1, [("AL201", ".codex/config.toml", 3)], 250),
    "5000-digit integers": (
        lambda: {
            "a.json": '{"mcpServers": {"x": {"command": "npx", "timeout": ' + "9" * 5000 + "}}}\n",
            "b.yaml": HEAD + "agents:\n  a: {role: r, timeout: " + "9" * 5000 + "}\n",
            ".codex/config.toml": '[mcp_servers.x]\ncommand = "npx"\ntool_timeout_sec = ' + "9" * 5000 + "\n",
        },
        1, [("AL001", ".codex/config.toml", 3), ("AL001", "a.json", 1), ("AL001", "b.yaml", 5)], 100,
    ),
    "UTF-16 config": (lambda: {".cursor/mcp.json": '{"mcpServers": {}}\n'.encode("utf-16")}, 1, [("AL003", ".cursor/mcp.json", 1)], 100),
    "UTF-16 files recognised by content": (  # were 'not recognised' and 'names no library': silently skipped
        lambda: {"graph.yaml": HEAD.encode("utf-16"), "app.py": "from langgraph.graph import StateGraph\n".encode("utf-16-le")},
        1, [("AL003", "app.py", 1), ("AL003", "graph.yaml", 1)], 100,
    ),
    "5 MB on one line": (lambda: {"big.yaml": HEAD + "x: " + "a" * 5_000_000 + "\n"}, 1, [("AL002", "big.yaml", 4)], 250),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input(tmp_path: Path, name: str) -> None:
    files, code, expected, peak_mb = CASES[name]
    written = files()
    _write(tmp_path, written)
    exit_code, found, listed, peak, stderr = _run(tmp_path)
    assert found == expected, stderr[-2000:]
    assert exit_code == code
    assert peak <= peak_mb, f"peak RSS {peak} MB"
    assert sorted(listed) == sorted(written)  # every file was considered, none silently lost
    for path, status in listed.items():  # and read, or unreadable with a located finding
        assert status != "not recognised" and (status != "unreadable" or any(p == path for _, p, _ in found)), (path, status)


def test_a_fifo_named_like_a_config_is_skipped_not_waited_on(tmp_path: Path) -> None:
    _write(tmp_path, {"good.yaml": HEAD + "agents:\n  solo: {role: helper, timeout: 30s, retries: {max_attempts: 1}}\n"})
    os.mkfifo(tmp_path / "mcp.json")
    exit_code, found, listed, _, _ = _run(tmp_path)
    assert (exit_code, found) == (1, [("AL003", "mcp.json", 1)])
    assert listed == {"good.yaml": "agentlint", "mcp.json": "unreadable"}


# --- issue 12, point 18: smaller loader defects ----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ('{"mcpServers": {}}\n'.encode("utf-16"), "UTF-16 (little-endian)"),  # with its byte order mark
        ('{"mcpServers": {}}\n'.encode("utf-16-be"), "UTF-16 (big-endian)"),  # none: NUL in every high byte
        ('{"mcpServers": {}}\n'.encode("utf-16-le"), "UTF-16 (little-endian)"),
        ("a: 1\n".encode("utf-32"), "UTF-32 (little-endian)"),
    ],
)
def test_utf16_is_named_not_called_binary(raw: bytes, said: str) -> None:
    from agentlint.loaders.base import LoadError, decode

    with pytest.raises(LoadError) as caught:
        decode(raw)
    assert (caught.value.code, caught.value.message) == ("AL003", f"{said} text: agentlint reads UTF-8 only; save the file as UTF-8")
    with pytest.raises(LoadError, match="binary file"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01")


@pytest.mark.parametrize(("raw", "line", "column"), [(b"a: 1\rb: 2\rc: \xff\r", 3, 4), (b"a\r\nb\r\xffc", 3, 1), (b"a\n\rb\xe9", 3, 2)])
def test_invalid_utf8_after_lone_cr_breaks_is_on_its_own_line(raw: bytes, line: int, column: int) -> None:
    from agentlint.loaders.base import LoadError, decode

    with pytest.raises(LoadError) as caught:
        decode(raw)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_a_yaml_integer_too_long_for_python_is_located_and_said_so() -> None:
    from agentlint.loaders.yaml import load_yaml

    (problem,) = load_yaml("b.yaml", "a: 1\nb: [1, " + "9" * 5000 + "]\n").problems
    assert (problem.code, problem.location.span.start.line, problem.location.span.start.column) == ("AL001", 2, 8)
    assert problem.message == "invalid YAML: integer has too many digits"
    (tagged,) = load_yaml("c.yaml", "b: !!int " + "9" * 5000 + "\n").problems
    assert (tagged.code, tagged.message) == ("AL001", "invalid YAML: integer has too many digits")


@pytest.mark.parametrize(
    ("text", "at", "opener"),
    [
        ("a: [1, 2\nb: 3\nc: 4\n", (2, 2), (1, 4, "'['")),
        ("a: {x: 1\n", (2, 1), (1, 4, "'{'")),
        ("a:\n  - [1, {b: 2}\n", (3, 1), (2, 5, "'['")),
        (HEAD + "agents:\n  a: {role: r, tools: [x, y\n  b: {role: r}\n", (6, 4), (5, 23, "'['")),
    ],
)
def test_an_unclosed_yaml_flow_collection_names_its_opener(text: str, at: tuple, opener: tuple) -> None:
    from agentlint.loaders.yaml import load_yaml

    (problem,) = load_yaml("u.yaml", text).problems
    line, column, char = opener
    assert (problem.code, problem.location.span.start.line, problem.location.span.start.column) == ("AL001", *at)
    assert problem.message.endswith(f"(the {char} opened at line {line}, column {column} is still open here)")
    assert [(r.span.start.line, r.span.start.column, r.note) for r in problem.related] == [(line, column, f"{char} opened here")]


def test_dangling_local_refs() -> None:
    from agentlint.model.schema_refs import dangling_refs

    assert dangling_refs({"properties": {"a": {"$ref": "#/$defs/missing"}}}) == [(("properties", "a", "$ref"), "#/$defs/missing")]
    assert dangling_refs({"properties": {"a": {"$ref": "#nowhere"}, "b": {"$dynamicRef": "#/definitions/x"}}}) == [
        (("properties", "a", "$ref"), "#nowhere"),
        (("properties", "b", "$dynamicRef"), "#/definitions/x"),
    ]
    resolved = {
        "$defs": {"a b": {"$anchor": "ab"}, "x/y": {}, "list": [{}, {}]},
        "properties": {
            "$ref": {"type": "string"},  # a property named $ref, not a reference
            "p": {"$ref": "#/$defs/a%20b"}, "q": {"$ref": "#ab"}, "r": {"$ref": "#/$defs/x~1y"},
            "s": {"$ref": "#/$defs/list/1"}, "t": {"$ref": "#"}, "u": {"const": {"$ref": "#/no"}},
        },
    }
    assert dangling_refs(resolved) == []
    assert dangling_refs({"$defs": {"s": {"$id": "sub.json", "$ref": "#/$defs/q"}}}) == []  # another base: not judged


def test_symlink_loops_are_located_not_followed_forever(tmp_path: Path) -> None:
    _write(tmp_path, {"a/good.yaml": HEAD + "agents:\n  solo: {role: helper, timeout: 30s, retries: {max_attempts: 1}}\n"})
    os.symlink("..", tmp_path / "a" / "loop")  # a folder that contains itself
    os.symlink("loop2", tmp_path / "loop2")  # a link to itself
    exit_code, found, listed, _, _ = _run(tmp_path)
    assert (exit_code, found) == (1, [("AL003", "a/loop", 1), ("AL003", "loop2", 1)])
    assert listed == {"a/good.yaml": "agentlint", "a/loop": "unreadable", "loop2": "unreadable"}
