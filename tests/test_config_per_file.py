"""Issue 11, points 7 and 8: the closest config above each file applies to it (the order of the
command-line paths never matters), `agentlint config` shows every setting, the config's JSON
Schema is published, and graph names do not depend on the working directory."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import tempfile
import textwrap
import tomllib
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint.cli import main
from tests.conftest import REPO
from tests.test_cli_config import GRAPH  # graphs/desk.yaml of the config tests

# Default findings at these lines: 10 AL303 (8 attempts), 11 AL107 (helper has no role),
# 15 AL103 (12 traversals).


def graph(name: str) -> str:
    """GRAPH under another name (two graphs of one name are one graph: AL108 then)."""
    return GRAPH.replace("name: desk", f"name: {name}")


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def located(lines: list[str]) -> list[str]:
    """``path:line [CODE]`` of each concise line."""
    return [f"{line.split(':')[0]}:{line.split(':')[1]} {line.rsplit(' ', 1)[-1]}" for line in lines]


@pytest.fixture()
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two projects side by side, each with its own config, in a folder with none."""
    write(
        tmp_path,
        {
            "a/graphs/desk.yaml": graph("desk-a"),
            "a/agentlint.toml": """\
                ignore = ["AL107"]
                [rules.AL103]
                max-traversals = 20
            """,
            "b/graphs/desk.yaml": graph("desk-b"),
            "b/pyproject.toml": """\
                [project]
                name = "b"
                [tool.agentlint]
                select = ["AL107"]
            """,
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_each_file_gets_the_closest_config_whatever_the_order(two: Path, capsys) -> None:
    expected = ["a/graphs/desk.yaml:10 [AL303]", "b/graphs/desk.yaml:11 [AL107]"]
    for argv in (["a", "b"], ["b", "a"], ["."], ["b/graphs/desk.yaml", "a/graphs"]):
        code, out, _ = run(capsys, "check", "--format", "concise", *argv)
        assert (code, located(out)) == (1, expected), argv


def test_the_command_line_still_wins_over_every_config(two: Path, capsys) -> None:
    _, out, _ = run(capsys, "check", "--format", "concise", "--select", "AL103", "b", "a")
    assert located(out) == ["b/graphs/desk.yaml:15 [AL103]"]  # a's max-traversals = 20 still applies to a
    _, out, _ = run(capsys, "check", "--format", "concise", "--isolated", "b", "a")
    assert located(out) == [f"{p}/graphs/desk.yaml:{n} [{c}]" for p in "ab" for n, c in ((10, "AL303"), (11, "AL107"), (15, "AL103"))]


def test_a_nested_config_applies_below_it_and_the_outer_one_elsewhere(tmp_path: Path, monkeypatch, capsys) -> None:
    write(
        tmp_path,
        {
            "agentlint.toml": 'ignore = ["AL303"]\n',
            "graphs/desk.yaml": GRAPH,
            "team/graphs/desk.yaml": graph("team"),
            "team/agentlint.toml": """\
                ignore = ["AL103"]
                [per-file-ignores]
                "graphs/*" = ["AL107"]
            """,
        },
    )
    expected = ["graphs/desk.yaml:11 [AL107]", "graphs/desk.yaml:15 [AL103]", "team/graphs/desk.yaml:10 [AL303]"]
    monkeypatch.chdir(tmp_path)
    for argv in (["team", "graphs"], ["graphs", "team"]):
        _, out, _ = run(capsys, "check", "--format", "concise", *argv)
        assert located(out) == expected
    monkeypatch.chdir(tmp_path / "team")  # from inside: the nested config for its files
    _, out, _ = run(capsys, "check", "--format", "concise", ".", "../graphs")
    assert located(out) == ["../graphs/desk.yaml:11 [AL107]", "../graphs/desk.yaml:15 [AL103]", "graphs/desk.yaml:10 [AL303]"]


def test_fail_on_severities_and_exclude_follow_the_file(tmp_path: Path, monkeypatch, capsys) -> None:
    write(
        tmp_path,
        {
            "strict/desk.yaml": GRAPH,
            "strict/desk.generated.yaml": graph("generated"),
            "strict/agentlint.toml": """\
                select = ["AL303"]
                exclude = ["*.generated.yaml"]
                [severity]
                AL303 = "error"
            """,
            "lax/desk.yaml": graph("lax"),
            "lax/agentlint.toml": 'select = ["AL303"]\nfail-on = "error"\n',
        },
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "--format", "concise", "lax")
    assert (code, out[0].split(": ")[1]) == (0, "warning")  # a warning under lax's fail-on = error
    for argv in (["lax", "strict"], ["strict", "lax"]):
        code, out, _ = run(capsys, "check", "--format", "concise", *argv)
        assert code == 1
        assert [line.split(": ")[:2] for line in out] == [["lax/desk.yaml:10:29", "warning"], ["strict/desk.yaml:10:29", "error"]]


def test_config_shows_every_setting(two: Path, capsys) -> None:
    code, out, _ = run(capsys, "config", "b")
    assert code == 0
    assert out[:3] == ["# agentlint effective configuration", "# config file: b/pyproject.toml", 'fail-on = "warning"  # default']
    assert "[rules.AL107]  # missing-role" in out
    at = out.index("[rules.AL107]  # missing-role")
    assert out[at + 1] == "enabled = true  # b/pyproject.toml:4 (select)"
    code, shown, _ = run(capsys, "config", "--show-settings", "a")
    at = shown.index("[rules.AL103]  # loop-bound-too-high")
    assert "max-traversals = 20  # a/agentlint.toml:3" in shown[at:]
    assert sum(line.startswith("[rules.AL") for line in shown) == sum(line.startswith("[rules.AL") for line in out) > 50


def test_published_schema_validates_config_files(tmp_path: Path) -> None:
    from agentlint.config_schema import json_schema

    schema = json.loads((REPO / "schemas" / "agentlint-config.schema.json").read_text(encoding="utf-8"))
    assert schema == json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    good = tomllib.loads('select = ["AL1"]\nfail-on = "error"\n[per-file-ignores]\n"tests/*" = ["AL107"]\n[rules.AL103]\nmax-traversals = 20\n')
    assert list(validator.iter_errors(good)) == []
    bad = tomllib.loads('fail_on = "error"\nmax-depth = 3\n')
    assert sorted(e.message for e in validator.iter_errors(bad)) == [
        "3 is less than the minimum of 8",
        "Additional properties are not allowed ('fail_on' was unexpected)",
    ]


def test_config_schema_does_not_import_config() -> None:
    """The import circle config <-> config_schema is broken: config_schema imports downward only."""
    tree = ast.parse((REPO / "agentlint" / "config_schema.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "agentlint.config" not in imported


LANGGRAPH = """\
from langgraph.graph import END, START, StateGraph


def writer(state):
    return {"draft": "..."}


builder = StateGraph(dict)
builder.add_node("writer", writer)
builder.add_edge(START, "writer")
builder.add_edge("writer", END)
graph = builder.compile()
"""


@pytest.mark.parametrize("marker", [".git/HEAD", "agentlint.toml", None])
def test_graph_check_passes_from_a_subfolder(tmp_path: Path, monkeypatch, capsys, marker: str | None) -> None:
    project = tmp_path / "repo"
    write(project, {"src/agent/graph.py": LANGGRAPH, **({marker: "ref: refs/heads/main\n" if marker.startswith(".git") else ""} if marker else {})})
    monkeypatch.chdir(project)
    export = project / "docs" / "graph.json"
    export.parent.mkdir()
    code, _, err = run(capsys, "graph", "--isolated", "--format", "json", "--output", str(export), "src/agent")
    assert (code, err) == (0, "")
    data = json.loads(export.read_text(encoding="utf-8"))
    name = "src/agent/graph.py:graph" if marker else "graph.py:graph"  # no marker: relative to the targets' folder
    assert [g["name"] for g in data["graphs"]] == [name]
    for folder, target in (("src", "agent"), ("src/agent", "."), ("src/agent", "graph.py"), ("docs", "../src/agent")):
        monkeypatch.chdir(project / folder)
        code, out, _ = run(capsys, "graph", "--isolated", "--format", "json", "--check", str(export), target)
        assert (code, out) == (0, [f"{export}: the topology diagram matches the code"]), (folder, target)


CONFIG = st.fixed_dictionaries(
    {},
    optional={
        "ignore": st.sampled_from(['["AL107"]', '["AL303"]', '["AL1"]']),
        "fail-on": st.sampled_from(['"error"', '"warning"', '"info"']),
        "severity": st.sampled_from(['{ AL303 = "error" }', '{ AL107 = "info" }']),
        "rules": st.just("{ AL103 = { max-traversals = 20 } }"),
    },
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), CONFIG), min_size=3, max_size=3), st.permutations(["a", "b", "c"]))
def test_a_run_over_several_projects_is_the_union_of_runs_over_each(configs: list, order: list[str]) -> None:
    """Whatever the configs and the order of the paths: each file is judged as if its project
    were checked alone, and the run fails when one of those runs would."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp), contextlib.redirect_stdout(io.StringIO()) as out:
        for name, config in zip("abc", configs):
            files = {f"{name}/graphs/desk.yaml": graph(f"desk-{name}")}
            if config is not None:
                files[f"{name}/agentlint.toml"] = "".join(f"{key} = {value}\n" for key, value in config.items())
            write(Path(tmp), files)
        alone, codes = [], []
        for name in "abc":
            codes.append(main(["check", "--format", "concise", name]))
            alone += out.getvalue().splitlines()
            out.seek(0)
            out.truncate()
        code = main(["check", "--format", "concise", *order])
        assert (code, out.getvalue().splitlines()) == (max(codes), sorted(alone))
