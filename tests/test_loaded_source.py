"""Memory: a file's text is let go after adaptation and read again for code frames and fixes."""

from __future__ import annotations

from pathlib import Path

from agentlint.loaders.base import LoadedFile, Syntax
from tests.helpers import project_result

GRAPH = """\
apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: g}
agents:
  a: {role: router, model: gpt-4o-2024-08-06, timeout: 30, retries: {max_attempts: 2}}
  b: {role: writer, model: gpt-4o-2024-08-06, timeout: 30, retries: {max_attempts: 2}}
edges:
  - {from: a, to: b}
  - {from: b, to: a}
"""


def test_source_is_read_again_and_none_once_the_file_changed(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: \xc3\xa9\n")
    loaded = LoadedFile("f.yaml", Syntax.YAML, text="a: 1\r\nb: é\n")
    loaded.let_go(str(path), path.read_bytes())
    assert loaded.text == "" and loaded.source() == "a: 1\r\nb: é\n"  # BOM dropped, breaks kept
    path.write_text("a: 2\n", encoding="utf-8")
    assert loaded.source() is None  # not the text the findings were made from
    path.unlink()
    assert loaded.source() is None


def test_python_source_is_decoded_as_python_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nX = '\xe9'\n")
    loaded = LoadedFile("m.py", Syntax.PYTHON, text="unused")
    loaded.let_go(str(path), path.read_bytes())
    assert loaded.source() == "# -*- coding: latin-1 -*-\nX = 'é'\n"


def test_a_run_lets_texts_go_and_reads_them_again_for_its_findings(tmp_path: Path, monkeypatch) -> None:
    let_go: list[str] = []
    original = LoadedFile.let_go
    monkeypatch.setattr(LoadedFile, "let_go", lambda self, real, raw: (let_go.append(self.path), original(self, real, raw))[1])
    result = project_result(tmp_path, {"graph.yaml": GRAPH, "commented.yaml": GRAPH.replace("name: g", "name: h") + "# agentlint: ignore[AL101] x\n"})
    assert sorted(let_go) == ["graph.yaml"]  # the file with a suppression comment keeps its text
    assert "graph.yaml" in {f.path for f in result.findings}
    assert result.sources["graph.yaml"] == GRAPH
