"""Config discovery, precedence, selection, overrides, explain, and the exit-code contract."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from agentlint.cli import main

GRAPH = """\
apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: desk
entry: router
agents:
  router:
    role: router
    timeout: 10
    retries: {max_attempts: 8}
  helper:
    timeout: 10
    retries: {max_attempts: 2}
edges:
  - {from: router, to: helper, max_traversals: 12}
"""


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "graphs").mkdir()
    (tmp_path / "graphs" / "desk.yaml").write_text(GRAPH, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_defaults(project: Path, capsys) -> None:
    code, out, _ = run(capsys, "check", "--format", "concise")
    assert code == 1
    assert out == [
        "graphs/desk.yaml:10:29: warning: agent 'router' allows 8 attempts, above the maximum of 5 [AL303]",
        "graphs/desk.yaml:11:3: warning: agent 'helper' has no role [AL107]",
        "graphs/desk.yaml:15:48: warning: edge router → helper allows 12 traversals, above the maximum of 10 [AL103]",
    ]


def test_pyproject_options_severity_and_ignore(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [project]
            name = "desk"

            [tool.agentlint]
            ignore = ["missing-role"]
            fail-on = "error"

            [tool.agentlint.severity]
            AL303 = "error"

            [tool.agentlint.rules.AL103]
            max-traversals = 20
            """
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", "graphs", "--format", "concise")
    assert out == ["graphs/desk.yaml:10:29: error: agent 'router' allows 8 attempts, above the maximum of 5 [AL303]"]
    assert code == 1
    code, out, _ = run(capsys, "config", "--explain", "AL103")
    assert "  option max-traversals = 20 from pyproject.toml:12" in out
    assert "  option max-iterations = 25 from default" in out
    code, out, _ = run(capsys, "config", "--explain", "AL107")
    assert "  enabled:  no       from pyproject.toml:5 (ignore)" in out
    code, out, _ = run(capsys, "config", "--explain", "AL303")
    assert "  severity: error    from pyproject.toml:9" in out


def test_cli_overrides_config(project: Path, capsys) -> None:
    (project / "agentlint.toml").write_text('select = ["AL107"]\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "concise")
    assert [line.rsplit(" ", 1)[-1] for line in out] == ["[AL107]"]
    code, out, _ = run(capsys, "check", "--format", "concise", "--select", "AL1", "--ignore", "AL107")
    assert [line.rsplit(" ", 1)[-1] for line in out] == ["[AL103]"]


def test_agentlint_toml_wins_over_pyproject(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.agentlint]\nselect = ["AL303"]\n', encoding="utf-8")
    (project / "agentlint.toml").write_text('select = ["AL107"]\n', encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "concise")
    assert [line.rsplit(" ", 1)[-1] for line in out] == ["[AL107]"]


def test_pyproject_without_table_is_skipped_while_walking_up(project: Path, capsys) -> None:
    (project / "agentlint.toml").write_text('select = ["AL107"]\n', encoding="utf-8")
    (project / "graphs" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    _, out, _ = run(capsys, "check", "graphs", "--format", "concise")
    assert [line.rsplit(" ", 1)[-1] for line in out] == ["[AL107]"]


def test_unknown_key_is_a_located_error_exit_2(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.agentlint]\nselect = ["AL1"]\n\n[tool.agentlint.rules.AL103]\nmax-travesals = 3\n', encoding="utf-8"
    )
    code, out, err = run(capsys, "check")
    assert code == 2
    assert out == []
    assert err.strip() == "agentlint: error: pyproject.toml:5:1: unknown option 'max-travesals' for AL103 (loop-bound-too-high)"


def test_unknown_top_level_key(project: Path, capsys) -> None:
    (project / "agentlint.toml").write_text('select = ["AL1"]\nfail_on = "error"\n', encoding="utf-8")
    code, _, err = run(capsys, "check")
    assert code == 2
    assert err.strip() == "agentlint: error: agentlint.toml:2:1: unknown key 'fail_on' in [tool.agentlint]"


def test_unknown_selector_on_command_line(project: Path, capsys) -> None:
    code, _, err = run(capsys, "check", "--select", "AL777")
    assert code == 2
    assert "unknown rule selector 'AL777'" in err


def test_invalid_toml(project: Path, capsys) -> None:
    (project / "agentlint.toml").write_text('select = ["AL1"\n', encoding="utf-8")
    code, _, err = run(capsys, "check")
    assert code == 2
    assert err.startswith("agentlint: error: agentlint.toml:")


def test_per_file_ignores_and_overrides(project: Path, capsys) -> None:
    (project / "agentlint.toml").write_text(
        textwrap.dedent(
            """\
            [per-file-ignores]
            "graphs/*" = ["AL107"]

            [[overrides]]
            files = ["graphs/desk.yaml"]
            severity = { AL103 = "info" }
            """
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", "--format", "concise")
    assert out == [
        "graphs/desk.yaml:10:29: warning: agent 'router' allows 8 attempts, above the maximum of 5 [AL303]",
        "graphs/desk.yaml:15:48: info: edge router → helper allows 12 traversals, above the maximum of 10 [AL103]",
    ]
    assert code == 1
    code, _, _ = run(capsys, "check", "--format", "concise", "--select", "AL103")
    assert code == 0  # info is below the default fail-on (warning)


def test_isolated_ignores_config(project: Path, capsys) -> None:
    (project / "agentlint.toml").write_text('select = ["AL107"]\n', encoding="utf-8")
    _, out, _ = run(capsys, "check", "--isolated", "--format", "concise")
    assert len(out) == 3


def test_rules_and_rule_commands(capsys) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert out[0].split() == ["code", "name", "severity", "checklist", "summary"]
    assert any(line.startswith("AL101  endless-cycle") for line in out)
    code, out, _ = run(capsys, "rule", "endless-cycle")
    assert code == 0 and out[0] == "# endless-cycle (AL101)"
    code, _, err = run(capsys, "rule", "AL999")
    assert code == 2 and "unknown rule 'AL999'" in err


def test_missing_path_is_a_usage_error(project: Path, capsys) -> None:
    # issue 12, point 13: it was an AL003 finding, which --exit-zero or a baseline could hide
    for extra in ((), ("--exit-zero",), ("--whole-project",)):
        code, out, err = run(capsys, "check", "graphs", "nope.yaml", "--format", "concise", *extra)
        assert (code, out, err) == (2, [], "agentlint: error: nope.yaml: no such file or directory\n")
    for command in (["baseline", "write"], ["report"], ["graph"]):
        code, out, err = run(capsys, *command, "gone/x.yaml")
        assert (code, out, err) == (2, [], "agentlint: error: gone/x.yaml: no such file or directory\n")
    assert not (project / ".agentlint-baseline.json").exists()


def test_a_dangling_symlink_named_on_the_command_line_is_a_located_al003(project: Path, capsys) -> None:
    (project / "link.yaml").symlink_to(project / "missing.yaml")
    code, out, _ = run(capsys, "check", "link.yaml", "--format", "concise")
    assert out[0].startswith("link.yaml:1:1: error: ") and out[0].endswith("[AL003]")
    assert code == 1


def test_an_explicit_file_with_an_odd_extension_is_read_by_content(project: Path, capsys) -> None:
    (project / "desk.cfg").write_text(GRAPH, encoding="utf-8")
    (project / "notes.txt").write_text("hello\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "desk.cfg", "notes.txt", "--format", "concise")
    assert out == [
        "desk.cfg:10:29: warning: agent 'router' allows 8 attempts, above the maximum of 5 [AL303]",
        "desk.cfg:11:3: warning: agent 'helper' has no role [AL107]",
        "desk.cfg:15:48: warning: edge router → helper allows 12 traversals, above the maximum of 10 [AL103]",
    ]
    assert code == 1
    code, out, _ = run(capsys, "check", "desk.cfg", "notes.txt", "--show-files")
    assert out == [
        "desk.cfg: agentlint",
        "notes.txt: not recognised (named on the command line, but neither its extension nor its content is a format agentlint reads)",
    ]
    # a Markdown page quoting a graph mentions its markers but is not YAML: not an AL001
    (project / "doc.md").write_text("# Desk\n\nOur graph:\n\n```yaml\n" + GRAPH + "```\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "doc.md", "--show-files")
    assert (code, out) == (0, ["doc.md: not recognised (named on the command line, but neither its extension nor its content is a format agentlint reads)"])
    # a walked folder still reads files by extension only
    (project / "graphs" / "more.cfg").write_text(GRAPH, encoding="utf-8")
    _, out, _ = run(capsys, "check", "graphs", "--show-files")
    assert out == ["graphs/desk.yaml: agentlint"]


def test_config_suppression_for_json(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "graph.json").write_text(
        '{"apiVersion": "agentlint/v1", "kind": "AgentGraph", "metadata": {"name": "g"},\n'
        ' "agents": {\n'
        '   "a": {"role": "r", "timeout": 5, "retries": {"max_attempts": 1}},\n'
        '   "b": {"timeout": 5, "retries": {"max_attempts": 1}}}}\n',
        encoding="utf-8",
    )
    (tmp_path / "agentlint.toml").write_text(
        textwrap.dedent(
            """\
            select = ["AL107", "AL903"]

            [[suppress]]
            path = "graph.json"
            pointer = "/agents/b"
            ignore = ["AL107"]
            kind = "todo"
            reason = "roles come from the registry (TICKET-9)"

            [[suppress]]
            path = "graph.json"
            pointer = "/agents/a"
            ignore = ["AL107"]
            reason = "stale"
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "--format", "concise", "--show-suppressed")
    assert out == [
        "agentlint.toml:10:1: warning: suppression ignore[AL107] for graph.json matched no finding: remove it [AL903]",
        "graph.json:4:4: warning: agent 'b' has no role [AL107] (suppressed: todo)",
    ]
    assert code == 1
