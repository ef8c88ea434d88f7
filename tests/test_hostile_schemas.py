"""Issue 12 points 2, 3, 5: regexes and depth from hostile schemas never hang or crash."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from agentlint.model.patterns import ecma_error, search
from agentlint.model.schemas import instance_problems, schema_problems

SMITHERY = """startCommand:
  type: http
  configSchema:
    type: object
    properties:
      key:
        type: string
        pattern: "{pattern}"
  exampleConfig:
    key: "{value}"
"""


def _check(tmp_path: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "agentlint", "check", "--format", "concise", "--isolated", str(tmp_path / name)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def _findings(run: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str]]:
    found = (re.match(r"^(.*?):(\d+):\d+: \w+: .*\[(AL\d+)\]$", line) for line in run.stdout.splitlines())
    return [(Path(m[1]).name, int(m[2]), m[3]) for m in found if m]


def test_catastrophic_pattern_does_not_hang(tmp_path: Path) -> None:
    run = _check(tmp_path, "smithery.yaml", SMITHERY.format(pattern="^(a+)+$", value="a" * 40 + "!"))
    assert _findings(run) == [("smithery.yaml", 10, "AL214")]


def test_invalid_pattern_is_al210_and_not_a_crash(tmp_path: Path) -> None:
    run = _check(tmp_path, "smithery.yaml", SMITHERY.format(pattern="[", value="x"))
    assert _findings(run) == [("smithery.yaml", 8, "AL210")]


def test_patterns_are_ecma_and_linear() -> None:
    assert ecma_error("[") is not None
    assert ecma_error("(?P<x>a)") is not None  # Python syntax, not ECMA-262
    assert ecma_error(r"^\p{L}+$") is None
    assert search("^(a+)+$", "a" * 5000 + "!") is False
    assert search(r"(a)\1", "aa") is None  # RE2 cannot run back-references: unknown, no verdict
    assert search(r"\A\w", "A") is None  # "A" in ECMA-262, an anchor in RE2: not run
    assert search(r"\x{41}", "A") is None and search(r"^\x41$", "A") is True
    assert search(r"^[\u4e00-\u9fa5]+$", "中文") is True and search(r"^[\u4e00-\u9fa5]+$", "ab") is False
    assert instance_problems({"type": "string", "pattern": r"(a)\1"}, "ab") == ()
    assert [p.kind for p in schema_problems({"properties": {"pattern": {"pattern": "("}}})] == ["pattern"]
    assert schema_problems({"properties": {"pattern": {"type": "string"}}, "const": {"pattern": "("}}) == ()
    problems = instance_problems(
        {"type": "object", "patternProperties": {"^(x+)+$": {"type": "integer"}}, "additionalProperties": False},
        {"x" * 40 + "!": 1, "xx": "s"},
    )
    assert [(p.pointer, p.message) for p in problems] == [
        ((), "'" + "x" * 40 + "!' does not match any of the regexes: '^(x+)+$'"),
        (("xx",), "'s' is not of type 'integer'"),
    ]


def _alias_chain(count: int, levels: int) -> str:
    """A smithery.yaml whose configSchema nests count * levels * 2 deep through aliases."""
    lines = ["startCommand:", "  type: http", "  configSchema:", "    type: object", "    $defs:"]
    for k in range(count):
        inner = f"*a{k - 1}" if k else "{type: string}"
        lines.append(f"      d{k}: &a{k} " + "{properties: {x: " * (levels // 2) + inner + "}}" * (levels // 2))
    lines += [f"    properties: {{top: *a{count - 1}}}", "  exampleConfig: {top: 1}"]
    return "\n".join(lines) + "\n"


def test_depth_through_aliases_is_a_located_al210(tmp_path: Path) -> None:
    run = _check(tmp_path, "smithery.yaml", _alias_chain(11, 80))
    assert _findings(run) == [("smithery.yaml", 3, "AL210")]
    assert "too deep to validate" in run.stdout


def test_deep_schema_and_client_config_under_high_max_depth(tmp_path: Path) -> None:
    deep = '{"x": ' * 3000 + "{}" + "}" * 3000
    (tmp_path / "pyproject.toml").write_text("[tool.agentlint]\nmax-depth = 10000\n", encoding="utf-8")
    (tmp_path / ".mcp.json").write_text('{"mcpServers": {"s": {"command": "x", "env": %s}}}' % deep, encoding="utf-8")
    (tmp_path / "tools.json").write_text(
        '{"format": "mcp-tools-snapshot", "server": {"name": "s"}, "tools": [{"name": "t", "inputSchema":'
        ' {"type": "object", "properties": {"a": %s}}}]}\n' % deep,
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "agentlint", "check", "--format", "concise", "."],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert _findings(run) == [("tools.json", 1, "AL210")], run.stdout + run.stderr


def test_deeper_than_counts_shared_nodes() -> None:
    from agentlint.model.depth import deeper_than

    shared: dict[str, object] = {}
    for _ in range(11):  # the same 80-level block under itself, as YAML aliases make it
        top: dict[str, object] = {}
        node = top
        for _ in range(79):
            node["x"] = {}
            node = node["x"]  # type: ignore[assignment]
        node["y"] = shared
        shared = top
    assert deeper_than(shared, 880) and not deeper_than(shared, 881)  # 11 * 80 levels and the innermost {}
    assert not deeper_than({"a": [1, {"b": 2}]}, 3) and deeper_than({"a": [1, {"b": 2}]}, 2)
