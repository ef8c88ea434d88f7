"""`agentlint graph`: golden renderings of the example project, determinism whatever the file
order, label escaping, loop and finding marks, and the --check / --output contract."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from pathlib import Path

import pytest

from agentlint import api, engine
from agentlint.report import topology as export
from agentlint.cli import main
from agentlint.model.project import Project
from tests.conftest import REPO

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = "examples/support-desk"
SUFFIX = {"mermaid": "mmd", "dot": "dot", "json": "json"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["graph", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_golden(fmt: str, capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, err = run(capsys, EXAMPLE, "--isolated", "--format", fmt)
    assert (code, err) == (0, "")
    path = GOLDEN / f"graph.{SUFFIX[fmt]}"
    if os.environ.get("AGENTLINT_UPDATE") == "1":
        path.write_text(out, encoding="utf-8", newline="\n")
    assert out == path.read_text(encoding="utf-8")


def test_json_content(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    _, out, _ = run(capsys, EXAMPLE, "--isolated", "--format", "json")
    data = json.loads(out)
    assert data["schema_version"] == export.SCHEMA_VERSION
    (graph,) = data["graphs"]
    assert (graph["name"], graph["entry"], graph["terminals"]) == ("support-desk", "router", ["responder"])
    agents = {a["name"]: a for a in graph["agents"]}
    assert list(agents) == sorted(agents)
    assert agents["router"]["location"] == {"path": "examples/support-desk/agents.yaml", "line": 13, "column": 3}
    assert agents["billing"]["limits"] == {"timeout_seconds": 45.0, "max_attempts": 10, "max_iterations": None, "defaults": {}}
    assert [(f["code"], f["line"]) for f in agents["tech"]["findings"]] == [("AL301", 29), ("AL310", 29)]
    assert [(f["code"], f["line"]) for f in agents["billing"]["findings"]] == [("AL303", 27)]
    assert agents["router"]["entry"] and agents["responder"]["terminal"]
    loops = {(e["source"], e["target"]): e["loop"] for e in graph["edges"]}
    assert {pair for pair, mark in loops.items() if mark} == {
        ("writer", "critic"), ("critic", "writer"), ("tech", "escalation"), ("escalation", "tech")
    }
    assert set(loops.values()) == {None, "unbounded"}
    edge = next(e for e in graph["edges"] if (e["source"], e["target"]) == ("writer", "critic"))
    assert (edge["kind"], edge["condition"], edge["bound"]) == ("call", None, None)
    assert [(f["code"], f["line"]) for f in edge["findings"]] == [("AL102", 61)]
    assert edge["location"] == {"path": "examples/support-desk/agents.yaml", "line": 61, "column": 5}
    assert [(c["agents"], c["has_exit"], c["bounded"], c["unbounded_loops"]) for c in graph["cycles"]] == [
        (["critic", "writer"], True, False, [["critic", "writer"]]),
        (["escalation", "tech"], True, False, [["escalation", "tech"]]),
    ]


def _parts_and_findings(root: Path) -> tuple[list, list, list]:
    """What the engine builds the Project from, file by file, plus the run's findings."""
    settings = api.settings_for(["."], isolated=True, root=root)
    parts, entities = [], []
    for path in sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml")):
        text = (root / path).read_text(encoding="utf-8")
        loaded = engine.load(path, text, engine.syntax_of(path), settings)
        for adapter in engine._claimed(path, text, engine.syntax_of(path)):
            adapted = adapter.adapt(loaded)
            parts.extend(adapted.parts)
            entities.extend(adapted.entities)
    result = api.check(["."], settings, root=root)
    return parts, entities, list(result.findings)


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_output_independent_of_file_and_finding_order(fmt: str) -> None:
    parts, entities, findings = _parts_and_findings(REPO / EXAMPLE)
    assert len(parts) == 2
    outputs = {
        export.render(fmt, Project.build(list(order), entities), list(reversed(findings)) if i % 2 else findings)
        for i, order in enumerate(itertools.permutations(parts))
    }
    assert len(outputs) == 1


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_pictures_independent_of_file_names(fmt: str, tmp_path: Path, capsys, monkeypatch) -> None:
    """The same graph split over files named so that discovery meets them in the other order."""
    source = REPO / EXAMPLE
    for name, new in (("agents.yaml", "z-agents.yaml"), ("escalation.yaml", "a-escalation.yaml")):
        shutil.copy(source / name, tmp_path / new)
    monkeypatch.chdir(tmp_path)
    _, renamed, _ = run(capsys, ".", "--isolated", "--format", fmt, "--select", "AL1,AL3")
    monkeypatch.chdir(source)
    _, original, _ = run(capsys, "agents.yaml", "escalation.yaml", "--isolated", "--format", fmt, "--select", "AL1,AL3")
    assert renamed == original
    assert "support_desk__tech" in renamed


NASTY = """apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: 'end "odd" <graph>'
entry: 'a "quoted" [x]'
terminals: [end]
agents:
  'a "quoted" [x]':
    role: 'router <b>#1</b> & {co} | `t`'
    timeout: 10s
    retries: {max_attempts: 2}
  end: {role: stop, timeout: 10s, retries: {max_attempts: 2}}
  oops-x: {role: x, timeout: 10s, retries: {max_attempts: 2}}
  oops_x: {role: 'y\\z', timeout: 10s, retries: {max_attempts: 2}}
  café: {role: é, timeout: 10s, retries: {max_attempts: 2}}
edges:
  - {from: 'a "quoted" [x]', to: oops-x, when: 'score > 3 | "bad" ]]; end'}
  - {from: oops-x, to: oops_x}
  - {from: oops_x, to: oops-x, max_traversals: 3}
  - {from: oops_x, to: café, kind: delegate}
  - {from: café, to: café}
  - {from: café, to: ghost}
  - {from: café, to: end}
"""


def test_mermaid_escaping_ids_and_marks(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "graph.yaml").write_text(NASTY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, ".", "--isolated")
    assert code == 0
    lines = out.splitlines()
    assert lines[:3] == [
        '%% agentlint graph end "odd" <graph>',
        "flowchart TD",
        '  subgraph end_odd_graph["end #quot;odd#quot; #60;graph#62;"]',
    ]
    assert (
        '    end_odd_graph__a_quoted_x(["a #quot;quoted#quot; #91;x#93;<br/>router #60;b#62;#35;1#60;/b#62; #38; '
        '#123;co#125; #124; #96;t#96;<br/>timeout 10s, 2 attempts"])' in lines
    )
    # reserved word 'end' never becomes a bare id; a clash gets a stable suffix; non-ASCII is spelled out
    assert '    end_odd_graph__end[["end<br/>stop<br/>timeout 10s, 2 attempts"]]' in lines
    assert '    end_odd_graph__oops_x["oops-x<br/>x<br/>timeout 10s, 2 attempts"]' in lines
    assert '    end_odd_graph__oops_x_2["oops_x<br/>y\\z<br/>timeout 10s, 2 attempts"]' in lines
    # the unbounded budget (AL310) is marked on the agent whose loop makes it so
    assert '    end_odd_graph__caf_e9["café<br/>é<br/>timeout 10s, 2 attempts<br/>AL310"]' in lines
    assert (
        '    end_odd_graph__a_quoted_x -->|"when score #62; 3 #124; #quot;bad#quot; #93;#93;; end"| end_odd_graph__oops_x'
        in lines
    )
    assert '    end_odd_graph__ghost["ghost<br/>(undefined)"]' in lines
    assert '    end_odd_graph__caf_e9 -->|"AL106"| end_odd_graph__ghost' in lines
    assert '    end_odd_graph__oops_x_2 -.->|"delegate"| end_odd_graph__caf_e9' in lines
    # link 1 is the unbounded self-loop; 4 and 6 form the loop bounded by max_traversals
    assert lines[-2:] == [
        "  linkStyle 4,6 stroke:#1f77b4,stroke-width:2px",
        "  linkStyle 1 stroke:#d62728,stroke-width:2px",
    ]
    assert "  class end_odd_graph__ghost undefined" in lines


def test_dot_escaping(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "graph.yaml").write_text(NASTY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, ".", "--isolated", "--format", "dot")
    lines = out.splitlines()
    assert lines[:2] == ['// agentlint graph end "odd" <graph>', "digraph agentlint {"]
    assert '    label="end \\"odd\\" <graph>";' in lines
    assert '    end_odd_graph__oops_x_2 [label="oops_x\\ny\\\\z\\ntimeout 10s, 2 attempts", style="rounded"];' in lines
    assert (
        '    end_odd_graph__a_quoted_x -> end_odd_graph__oops_x [label="when score > 3 | \\"bad\\" ]]; end"];' in lines
    )
    assert '    end_odd_graph__caf_e9 -> end_odd_graph__caf_e9 [label="AL102", color="#d62728", penwidth=2];' in lines


def test_endless_loop_is_marked(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "g.yaml").write_text(
        "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: ring}\nentry: a\n"
        "agents:\n  a: {role: a}\n  b: {role: b}\n"
        "edges:\n  - {from: a, to: b}\n  - {from: b, to: a, max_traversals: 2}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, ".", "--isolated", "--format", "json")
    (graph,) = json.loads(out)["graphs"]
    assert [e["loop"] for e in graph["edges"]] == ["endless", "endless"]
    assert [f["code"] for f in graph["edges"][0]["findings"]] == ["AL101"]
    assert graph["cycles"] == [
        {"agents": ["a", "b"], "has_exit": False, "bounded": True, "bound": 2, "exits": [], "unbounded_loops": []}
    ]
    _, out, _ = run(capsys, ".", "--isolated")
    assert out.splitlines()[-1] == "  linkStyle 0,1 stroke:#d62728,stroke-width:4px"


# ----------------------------------------------------------------------------- --check / --output


DOC = "# Architecture\n\nThe desk:\n\n```mermaid\n{body}```\n\nMore text.\n\n```mermaid\nflowchart LR\n  a --> b\n```\n"


def _current(capsys, *argv: str) -> str:
    _, out, _ = run(capsys, EXAMPLE, "--isolated", *argv)
    return out


def test_check_markdown_passes_then_fails_with_a_diff(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    doc = tmp_path / "architecture.md"
    body = _current(capsys)
    doc.write_text(DOC.format(body=body.replace("\n", "  \n")), encoding="utf-8")  # trailing spaces are ignored
    code, out, err = run(capsys, EXAMPLE, "--isolated", "--check", str(doc))
    assert (code, err) == (0, "")
    assert out == f"{doc}: the topology diagram matches the code\n"

    doc.write_text(DOC.format(body=body.replace("when approved", "when OK")), encoding="utf-8")
    code, out, err = run(capsys, EXAMPLE, "--isolated", "--check", str(doc))
    assert (code, err) == (1, "")
    assert out.startswith(f"{doc}:5: the mermaid block of graph(s) support-desk no longer matches the code\n")
    assert f"--- {doc}:5 (committed)\n+++ agentlint graph (current code)\n" in out
    assert '\n-    support_desk__critic -->|"when OK"| support_desk__responder\n' in out
    assert '\n+    support_desk__critic -->|"when approved"| support_desk__responder\n' in out


def test_check_markdown_without_the_block(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    doc = tmp_path / "README.md"
    doc.write_text("# Nothing here\n\n```mermaid\nflowchart LR\n  a --> b\n```\n", encoding="utf-8")
    code, out, _ = run(capsys, EXAMPLE, "--isolated", "--check", str(doc))
    assert code == 1
    assert out == (
        f"{doc}: no ```mermaid block starts with '%% agentlint graph support-desk': "
        "graph 'support-desk' is not documented there\n"
    )


def test_check_missing_file_and_usage_errors(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, err = run(capsys, EXAMPLE, "--check", str(tmp_path / "missing.md"))
    assert (code, out) == (2, "")
    assert err.startswith(f"agentlint: error: cannot read {tmp_path / 'missing.md'}")
    code, _, err = run(capsys, EXAMPLE, "--graph", "nope")
    assert code == 2 and "no agent graph named 'nope' (graphs: support-desk)" in err
    code, _, err = run(capsys, EXAMPLE, "--check", "a.md", "--output", "b.md")
    assert code == 2 and "either --check or --output" in err
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "no agent graphs" in err


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_output_then_check_raw_files(fmt: str, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    target = tmp_path / f"topology.{SUFFIX[fmt]}"
    assert run(capsys, EXAMPLE, "--isolated", "--output", str(target)) == (0, "", "")
    assert target.read_text(encoding="utf-8") == _current(capsys, "--format", fmt)  # format from the name
    assert run(capsys, EXAMPLE, "--isolated", "--check", str(target))[0] == 0
    target.write_text(target.read_text(encoding="utf-8").replace("router", "dispatcher", 1), encoding="utf-8")
    code, out, _ = run(capsys, EXAMPLE, "--isolated", "--check", str(target))
    assert code == 1 and f"{target}: the {fmt} diagram no longer matches the code" in out


def test_output_updates_the_markdown_block_in_place(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    doc = tmp_path / "architecture.md"
    stale = _current(capsys).replace("when approved", "when OK")
    doc.write_text(DOC.format(body=stale), encoding="utf-8")
    assert run(capsys, EXAMPLE, "--isolated", "--output", str(doc))[0] == 0
    assert doc.read_text(encoding="utf-8") == DOC.format(body=_current(capsys))
    assert run(capsys, EXAMPLE, "--isolated", "--check", str(doc))[0] == 0
    new = tmp_path / "new.md"
    new.write_text("# Topology", encoding="utf-8")
    run(capsys, EXAMPLE, "--isolated", "--output", str(new), "--format", "dot")
    assert new.read_text(encoding="utf-8") == f"# Topology\n\n```dot\n{_current(capsys, '--format', 'dot')}```\n"
    assert run(capsys, EXAMPLE, "--isolated", "--check", str(new))[0] == 0


def test_fenced_blocks_and_normalise() -> None:
    text = "x\n````mermaid\n%% agentlint graph a, b\nflowchart TD\n```\nstill inside\n````\n~~~dot\n// agentlint graph c\n~~~\n"
    blocks = export.fenced_blocks(text)
    assert [(b.fmt, b.line, b.names) for b in blocks] == [("mermaid", 2, ("a", "b")), ("dot", 8, ("c",))]
    assert blocks[0].body == "%% agentlint graph a, b\nflowchart TD\n```\nstill inside\n"
    assert export.normalise("a  \r\nb\t\n\n\n") == "a\nb\n"


def test_findings_inside_an_edge_entry_and_elsewhere(tmp_path: Path) -> None:
    """A finding inside an edge's entry (not on one of its fields) marks that edge; one outside
    every agent and edge (a tool policy, an MCP config) is not drawn."""
    from agentlint.findings import Finding, Location, Severity
    from agentlint.model.source import Pos, Span

    (tmp_path / "graph.yaml").write_text(NASTY, encoding="utf-8")
    settings = api.settings_for(["."], isolated=True, root=tmp_path)
    _, project = api.analyse(["."], settings, root=tmp_path)
    edge = next(e for e in project.graphs[0].edges if e.target == "café" and e.source == "oops_x")
    inside = Span(Pos(edge.span.start.line, edge.span.start.column + 1), Pos(edge.span.start.line, edge.span.start.column + 2))
    made = [
        Finding("AL999", "made-up", Severity.INFO, "inside", Location("graph.yaml", inside), "fp1"),
        Finding("AL998", "made-up", Severity.INFO, "elsewhere", Location("other.yaml", inside), "fp2"),
    ]
    (graph,) = json.loads(export.render("json", project, made))["graphs"]
    marked = [(e["source"], e["target"], [f["code"] for f in e["findings"]]) for e in graph["edges"] if e["findings"]]
    assert marked == [("oops_x", "café", ["AL999"])]
    assert not any(a["findings"] for a in graph["agents"]) and graph["findings"] == []
