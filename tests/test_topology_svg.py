"""The inline SVG topology of the HTML report: well-formed, complete, loops in red, stable."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agentlint import api
from agentlint.report import topology_svg
from tests.conftest import REPO

SVG = "{http://www.w3.org/2000/svg}"


def _analyse(monkeypatch: pytest.MonkeyPatch, path: str = "examples"):
    monkeypatch.chdir(REPO)
    result, project = api.analyse([path], api.settings_for([path]))
    assert not result.internal_error
    return project, result.findings


def _support_desk(monkeypatch: pytest.MonkeyPatch) -> ET.Element:
    project, findings = _analyse(monkeypatch)
    pictures = dict(topology_svg.svgs(project, findings))
    return ET.fromstring(pictures["support-desk"])


def test_every_svg_is_well_formed(monkeypatch: pytest.MonkeyPatch) -> None:
    project, findings = _analyse(monkeypatch)
    pictures = topology_svg.svgs(project, findings)
    assert [name for name, _ in pictures] == sorted(g.name for g in project.graphs)
    for _, svg in pictures:
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
    fragment = topology_svg.render(project, findings)
    assert fragment.count("<svg ") == len(pictures) and "<script" not in fragment and "href=\"http" not in fragment


def test_support_desk_nodes_and_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    root = _support_desk(monkeypatch)
    nodes = sorted(g.get("data-name") for g in root.iter(f"{SVG}g") if g.get("class") == "node")
    assert nodes == ["billing", "critic", "escalation", "legal-review", "responder", "router", "tech", "writer"]
    edges = [p for p in root.iter(f"{SVG}path") if (p.get("class") or "").startswith("edge")]
    assert len(edges) == 11
    assert all(p.get("marker-end", "").startswith("url(#al-topology-") for p in edges)


def test_red_edges_are_exactly_the_loop_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    root = _support_desk(monkeypatch)
    edges = [p for p in root.iter(f"{SVG}path") if (p.get("class") or "").startswith("edge")]
    red = sorted((p.get("data-source"), p.get("data-target")) for p in edges if p.get("stroke") == topology_svg.RED)
    assert red == [("critic", "writer"), ("escalation", "tech"), ("tech", "escalation"), ("writer", "critic")]
    assert all("loop" in p.get("class") for p in edges if p.get("stroke") == topology_svg.RED)
    assert all(p.get("stroke") == topology_svg.GREY for p in edges if p.get("stroke") != topology_svg.RED)


def test_output_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    project, findings = _analyse(monkeypatch)
    first = topology_svg.render(project, findings)
    project2, findings2 = _analyse(monkeypatch)
    assert topology_svg.render(project2, tuple(reversed(findings2))) == first


def test_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    # support-desk has 8 agents, research-crew 3: a cap of 3 draws only the small one
    monkeypatch.setattr(topology_svg, "MAX_AGENTS", 3)
    project, findings = _analyse(monkeypatch)
    fragment = topology_svg.render(project, findings)
    assert "graph too large to draw; see <code>agentlint graph</code>" in fragment
    pictures = dict(topology_svg.svgs(project, findings))
    assert pictures["support-desk"] is None and pictures["examples/research-crew"] is not None


def test_html_report_embeds_svg(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from agentlint.cli import main

    monkeypatch.chdir(REPO)
    assert main(["report", "examples", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert out.count('<svg xmlns="http://www.w3.org/2000/svg" class="topology"') == 13  # one per graph of examples/ (configs, LangGraph, ADK, AutoGen, OpenAI Agents, PydanticAI, smolagents and CrewAI code, a CrewAI Flow)
    assert "<details>\n<summary>Mermaid source" in out and "<pre>%% agentlint graph " in out


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_renders_in_headless_chromium(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from agentlint.cli import main

    monkeypatch.chdir(REPO)
    html = tmp_path / "report.html"
    assert main(["report", "examples", "--format", "html", "--output", str(html)]) == 0
    png = tmp_path / "report.png"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={png}", "--window-size=1200,2000", html.as_uri()],
        capture_output=True, timeout=120, check=False,
    )
    assert png.exists() and png.stat().st_size > 10_000
