"""GitLab Code Quality and JUnit XML reporters: golden files and the shape CI systems read."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agentlint.findings import Finding, Location, RunResult, Severity
from agentlint.model.source import Pos, Span
from agentlint.report import render
from tests.test_reporters import canonical

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(("fmt", "name"), [("gitlab", "canonical.gitlab.json"), ("junit", "canonical.junit.xml")])
def test_golden(fmt: str, name: str) -> None:
    output = render(fmt, canonical()).encode("utf-8")
    path = GOLDEN / name
    if os.environ.get("AGENTLINT_UPDATE") == "1":
        path.write_bytes(output)
    assert output == path.read_bytes()
    assert not output.startswith(b"\xef\xbb\xbf")
    assert output.endswith(b"\n")


def _finding(code: str, path: str, line: int, fingerprint: str, message: str = "m", severity: Severity = Severity.ERROR) -> Finding:
    return Finding(code, "n", severity, message, Location(path, Span(Pos(line, 2), Pos(line, 5))), fingerprint)


# --- GitLab ---------------------------------------------------------------------------------


def test_gitlab_document() -> None:
    result = canonical()
    text = render("gitlab", result)
    issues = json.loads(text)
    assert isinstance(issues, list)
    assert len(issues) == len(result.findings)  # suppressed findings are never listed
    assert json.dumps(issues, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text
    assert [i["severity"] for i in issues] == ["major", "minor", "info", "major"]
    assert [i["check_name"] for i in issues] == ["AL101", "AL201", "AL301", "AL001"]
    assert issues[0] == {
        "check_name": "AL101",
        "description": "tool [x] is not declared: add \"x\" to 'tools' [AL101]",
        "fingerprint": "fp-alpha-101",
        "severity": "major",
        "location": {
            "path": "agents/alpha.yaml",
            "lines": {"begin": 2},
            "positions": {"begin": {"line": 2, "column": 8}, "end": {"line": 2, "column": 25}},
        },
    }
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    assert all(not i["location"]["path"].startswith("/") for i in issues)
    assert render("gitlab", result, show_suppressed=True) == text


def test_gitlab_fingerprints_stay_unique_and_empty_is_an_array() -> None:
    twins = RunResult(findings=(_finding("AL1", "a.yaml", 1, "same"), _finding("AL1", "a.yaml", 2, "same")))
    prints = [i["fingerprint"] for i in json.loads(render("gitlab", twins))]
    assert prints[0] == "same" and len(set(prints)) == 2
    assert render("gitlab", RunResult(findings=())) == "[]\n"


# --- JUnit ----------------------------------------------------------------------------------


def test_junit_document() -> None:
    result = canonical()
    text = render("junit", result)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    assert root.attrib == {"name": "agentlint", "tests": "4", "failures": "4", "errors": "0"}
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["agents/alpha.yaml", "agents/beta.yaml", "crew.yaml"]
    assert [s.get("tests") for s in suites] == ["2", "1", "1"]
    cases = root.findall("testsuite/testcase")
    names = [c.get("name") for c in cases]
    assert names == [
        "AL101 agents/alpha.yaml:2:8",
        "AL201 agents/alpha.yaml:3:14",
        "AL301 agents/beta.yaml:2:1",
        "AL001 crew.yaml:7:2",
    ]
    first = cases[0]
    assert (first.get("classname"), first.get("file"), first.get("line")) == ("agents/alpha.yaml", "agents/alpha.yaml", "2")
    failure = first.find("failure")
    assert failure is not None
    assert failure.get("message") == "tool [x] is not declared: add \"x\" to 'tools'"
    assert failure.get("type") == "error"
    assert failure.text == (
        "agents/alpha.yaml:2:8: error: tool [x] is not declared: add \"x\" to 'tools' [AL101]\n"
        "agents/beta.yaml:1:7: note: declared here\n"
        "crew.yaml:4:3: note: used by: crew [main]"
    )
    assert [c.find("failure").get("type") for c in cases] == ["error", "warning", "info", "error"]  # type: ignore[union-attr]


def test_junit_show_suppressed_lists_skipped_cases() -> None:
    root = ET.fromstring(render("junit", canonical(), show_suppressed=True))
    assert root.attrib == {"name": "agentlint", "tests": "6", "failures": "4", "errors": "0"}
    skipped = [(c.get("name"), c.find("skipped").get("message")) for c in root.iter("testcase") if c.find("skipped") is not None]  # type: ignore[union-attr]
    assert skipped == [
        ("AL102 agents/beta.yaml:1:7", "suppressed (ignore): legacy agent: see ticket #42"),
        ("AL103 crew.yaml:1:1", "suppressed (todo)"),
    ]


def test_junit_unique_names_and_hostile_text() -> None:
    result = RunResult(
        findings=(
            _finding("AL1", "a&b.yaml", 1, "f1", message="<x> & \"y\" \x1b[31m\x00 end"),
            _finding("AL1", "a&b.yaml", 1, "f2", message="second"),
        )
    )
    text = render("junit", result)
    root = ET.fromstring(text.encode("utf-8"))
    names = [c.get("name") for c in root.iter("testcase")]
    assert names == ["AL1 a&b.yaml:1:2", "AL1 a&b.yaml:1:2 #2"]
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "<x> & \"y\" \ufffd[31m\ufffd end"
    assert ET.fromstring(render("junit", RunResult(findings=()))).attrib["tests"] == "0"


@pytest.mark.parametrize("fmt", ["gitlab", "junit"])
def test_cli_formats(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from agentlint.cli import main
    from tests.conftest import REPO

    monkeypatch.chdir(REPO)
    code = main(["check", "--isolated", "--format", fmt, "tests/projects/json-graph"])
    out = capsys.readouterr().out
    assert code == 1
    if fmt == "gitlab":
        assert {i["check_name"] for i in json.loads(out)} == {"AL104", "AL106", "AL107", "AL303", "AL311"}
    else:
        assert ET.fromstring(out).attrib["failures"] == "5"
