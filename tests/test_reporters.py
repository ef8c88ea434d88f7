"""Reporters: golden files, the concise problem-matcher regex, JSON shape, determinism."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from agentlint.findings import FileRecord, FileStatus, Finding, Location, RunResult, Severity, SuppressionKind
from agentlint.model.source import Pos, Span
from agentlint.report import REPORTERS, UnknownFormatError, render
from agentlint.report.concise import PROBLEM_MATCHER_REGEX
from agentlint.report.text import caret_range, layout

GOLDEN = Path(__file__).parent / "golden"

ALPHA = 'name: alpha\ntools:\t[search, "fetch"]\ndescription: Café agent\n'
BETA = "name: beta\nhandoffs:\n  - beta\n  - gamma\n"


def span(line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(Pos(line, col), Pos(end_line, end_col))


def loc(path: str, s: Span, note: str = "") -> Location:
    return Location(path, s, note)


def canonical() -> RunResult:
    """3 files, every severity, related locations, both suppression kinds, awkward text."""
    findings = (
        Finding(
            code="AL101",
            name="undeclared-tool",
            severity=Severity.ERROR,
            message='tool [x] is not declared: add "x" to \'tools\'',
            location=loc("agents/alpha.yaml", span(2, 8, 2, 25)),
            fingerprint="fp-alpha-101",
            related=(
                loc("agents/beta.yaml", span(1, 7, 1, 11), "declared here"),
                loc("crew.yaml", span(4, 3, 4, 9), "used by: crew [main]"),
            ),
        ),
        Finding(
            code="AL201",
            name="non-ascii-description",
            severity=Severity.WARNING,
            message="description contains “é”: Café",
            location=loc("agents/alpha.yaml", span(3, 14, 3, 18)),
            fingerprint="fp-alpha-201",
        ),
        Finding(
            code="AL301",
            name="handoff-cycle",
            severity=Severity.INFO,
            message="handoff cycle: beta -> beta (see [AL999])",
            location=loc("agents/beta.yaml", span(2, 1, 4, 10)),
            fingerprint="fp-beta-301",
        ),
        Finding(
            code="AL001",
            name="parse-error",
            severity=Severity.ERROR,
            message="cannot parse: unexpected ':' [AL101]",
            location=loc("crew.yaml", Span.point(7, 2)),
            fingerprint="fp-crew-001",
        ),
    )
    suppressed = (
        Finding(
            code="AL102",
            name="missing-description",
            severity=Severity.WARNING,
            message="agent 'beta' has no description",
            location=loc("agents/beta.yaml", span(1, 7, 1, 11)),
            fingerprint="fp-beta-102",
            suppression=SuppressionKind.IGNORE,
            suppression_reason="legacy agent: see ticket #42",
        ),
        Finding(
            code="AL103",
            name="unused-agent",
            severity=Severity.INFO,
            message="agent 'gamma' is never reached",
            location=loc("crew.yaml", Span.point(1, 1)),
            fingerprint="fp-crew-103",
            suppression=SuppressionKind.TODO,
        ),
    )
    assert list(findings) == sorted(findings, key=Finding.sort_key)
    assert list(suppressed) == sorted(suppressed, key=Finding.sort_key)
    return RunResult(
        findings=findings,
        suppressed=suppressed,
        files_checked=3,
        files_skipped=1,
        rules_run=("AL001", "AL101", "AL102", "AL103", "AL201", "AL301"),
        # crew.yaml has no source: its excerpts are skipped.
        sources={"agents/alpha.yaml": ALPHA, "agents/beta.yaml": BETA},
        # one skipped file that looks like agent configuration: announced as not recognised
        files=(
            FileRecord("agents/alpha.yaml", FileStatus.READ, ("agentlint",)),
            FileRecord("agents/beta.yaml", FileStatus.READ, ("agentlint",)),
            FileRecord("crew.yaml", FileStatus.READ, ("crewai",)),
            FileRecord("notes/agents.json", FileStatus.NOT_RECOGNISED, notable=True),
        ),
    )


GOLDEN_CASES = [
    ("concise", False, "canonical.concise.txt"),
    ("json", False, "canonical.json"),
    ("text", False, "canonical.text.txt"),
    ("concise", True, "canonical.show-suppressed.concise.txt"),
    ("json", True, "canonical.show-suppressed.json"),
    ("text", True, "canonical.show-suppressed.text.txt"),
]


@pytest.mark.parametrize(("fmt", "show_suppressed", "name"), GOLDEN_CASES)
def test_golden(fmt: str, show_suppressed: bool, name: str) -> None:
    output = render(fmt, canonical(), show_suppressed=show_suppressed).encode("utf-8")
    path = GOLDEN / name
    if os.environ.get("AGENTLINT_UPDATE") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output)
    assert output == path.read_bytes()


def test_concise_exact() -> None:
    assert render("concise", canonical()) == (
        "agents/alpha.yaml:2:8: error: tool [x] is not declared: add \"x\" to 'tools' [AL101]\n"
        "agents/alpha.yaml:3:14: warning: description contains “é”: Café [AL201]\n"
        "agents/beta.yaml:2:1: info: handoff cycle: beta -> beta (see [AL999]) [AL301]\n"
        "crew.yaml:7:2: error: cannot parse: unexpected ':' [AL101] [AL001]\n"
    )


def test_concise_show_suppressed_merges_in_order() -> None:
    lines = render("concise", canonical(), show_suppressed=True).splitlines()
    assert lines == [
        "agents/alpha.yaml:2:8: error: tool [x] is not declared: add \"x\" to 'tools' [AL101]",
        "agents/alpha.yaml:3:14: warning: description contains “é”: Café [AL201]",
        "agents/beta.yaml:1:7: warning: agent 'beta' has no description [AL102]"
        " (suppressed: ignore)",
        "agents/beta.yaml:2:1: info: handoff cycle: beta -> beta (see [AL999]) [AL301]",
        "crew.yaml:1:1: info: agent 'gamma' is never reached [AL103] (suppressed: todo)",
        "crew.yaml:7:2: error: cannot parse: unexpected ':' [AL101] [AL001]",
    ]


@pytest.mark.parametrize("show_suppressed", [False, True])
def test_problem_matcher_regex_captures_every_line(show_suppressed: bool) -> None:
    result = canonical()
    expected = result.findings
    if show_suppressed:
        expected = tuple(sorted(result.findings + result.suppressed, key=Finding.sort_key))
    output = render("concise", result, show_suppressed=show_suppressed)
    pattern = re.compile(PROBLEM_MATCHER_REGEX)
    captured = []
    for line in output.splitlines():
        match = pattern.match(line)
        assert match is not None, line
        captured.append(match.groups())
    assert captured == [
        (f.path, str(f.line), str(f.column), f.severity.value, f.message, f.code)
        for f in expected
    ]


def test_concise_keeps_each_finding_on_one_line() -> None:
    base = canonical().findings[0]
    finding = Finding(
        code=base.code,
        name=base.name,
        severity=base.severity,
        message="first\nsecond\tthird\x1b[31m",
        location=base.location,
        fingerprint=base.fingerprint,
    )
    output = render("concise", RunResult(findings=(finding,)))
    assert output == "agents/alpha.yaml:2:8: error: first second third [31m [AL101]\n"
    match = re.match(PROBLEM_MATCHER_REGEX, output.rstrip("\n"))
    assert match is not None
    assert match.group(5) == "first second third [31m"


def test_json_document() -> None:
    result = canonical()
    text = render("json", result)
    assert text.endswith("}\n")
    assert "Café" in text  # ensure_ascii=False
    doc = json.loads(text)
    assert list(doc) == ["findings", "schema_version", "summary", "tool"]
    assert doc["schema_version"] == 1
    assert doc["tool"] == {"name": "agentlint"}
    assert doc["summary"] == {
        "files_checked": 3,
        "files_skipped": 1,
        "findings": 4,
        "errors": 2,
        "warnings": 1,
        "infos": 1,
        "suppressed": 2,
        "internal_error": False,
        "files_not_recognised": 1,
        "nothing_found": False,
    }
    assert [f["code"] for f in doc["findings"]] == ["AL101", "AL201", "AL301", "AL001"]
    assert doc["findings"][0] == {
        "code": "AL101",
        "name": "undeclared-tool",
        "severity": "error",
        "message": 'tool [x] is not declared: add "x" to \'tools\'',
        "path": "agents/alpha.yaml",
        "line": 2,
        "column": 8,
        "end_line": 2,
        "end_column": 25,
        "fingerprint": "fp-alpha-101",
        "related": [
            {
                "path": "agents/beta.yaml",
                "line": 1,
                "column": 7,
                "end_line": 1,
                "end_column": 11,
                "note": "declared here",
            },
            {
                "path": "crew.yaml",
                "line": 4,
                "column": 3,
                "end_line": 4,
                "end_column": 9,
                "note": "used by: crew [main]",
            },
        ],
        "suppression": None,
    }
    # Round trip: every finding's numbers come back as they went in.
    for finding, item in zip(result.findings, doc["findings"], strict=True):
        span = finding.location.span
        assert (item["line"], item["column"], item["end_line"], item["end_column"]) == (
            span.start.line,
            span.start.column,
            span.end.line,
            span.end.column,
        )
        assert item["message"] == finding.message
        assert item["severity"] == finding.severity.value
    # Stable formatting: re-dumping the parsed document gives the same bytes.
    assert json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text


def test_json_show_suppressed() -> None:
    doc = json.loads(render("json", canonical(), show_suppressed=True))
    assert doc["summary"]["findings"] == 4
    assert doc["summary"]["suppressed"] == 2
    assert [(f["code"], f["suppression"]) for f in doc["findings"]] == [
        ("AL101", None),
        ("AL201", None),
        ("AL102", {"kind": "ignore", "reason": "legacy agent: see ticket #42"}),
        ("AL301", None),
        ("AL103", {"kind": "todo", "reason": ""}),
        ("AL001", None),
    ]


def test_json_empty_result() -> None:
    assert json.loads(render("json", RunResult(findings=(), files_checked=2))) == {
        "schema_version": 1,
        "tool": {"name": "agentlint"},
        "summary": {
            "files_checked": 2,
            "files_skipped": 0,
            "findings": 0,
            "errors": 0,
            "warnings": 0,
            "infos": 0,
            "suppressed": 0,
            "internal_error": False,
            "files_not_recognised": 0,
            "nothing_found": False,
        },
        "findings": [],
    }


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
@pytest.mark.parametrize("color", [False, True])
def test_rendering_is_deterministic(fmt: str, color: bool) -> None:
    first = render(fmt, canonical(), color=color, show_suppressed=True)
    second = render(fmt, canonical(), color=color, show_suppressed=True)
    assert first.encode("utf-8") == second.encode("utf-8")


def test_reporters_ignore_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = {fmt: render(fmt, canonical(), color=True) for fmt in REPORTERS}
    for name, value in {"NO_COLOR": "1", "COLUMNS": "20", "TERM": "dumb"}.items():
        monkeypatch.setenv(name, value)
    assert {fmt: render(fmt, canonical(), color=True) for fmt in REPORTERS} == expected


def test_text_without_color_is_plain() -> None:
    output = render("text", canonical(), color=False, show_suppressed=True)
    assert "\x1b" not in output
    assert output == (GOLDEN / "canonical.show-suppressed.text.txt").read_text("utf-8")


def test_text_with_color_has_same_text() -> None:
    plain = render("text", canonical(), color=False)
    colored = render("text", canonical(), color=True)
    assert "\x1b[" in colored
    assert re.sub(r"\x1b\[[0-9;]*m", "", colored) == plain


def test_text_markup_and_control_characters_are_inert() -> None:
    finding = Finding(
        code="AL101",
        name="undeclared-tool",
        severity=Severity.ERROR,
        message="[bold]x[/bold] :warning: [AL101]",
        location=Location("a.yaml", Span(Pos(1, 3), Pos(1, 4))),
        fingerprint="fp",
    )
    result = RunResult(findings=(finding,), files_checked=1, sources={"a.yaml": "a\x1bb\n"})
    assert render("text", result) == (
        "a.yaml:1:3: AL101 error [bold]x[/bold] :warning: [AL101]\n"
        "  |\n"
        "1 | a\u241bb\n"
        "  |   ^\n"
        "\n"
        "Found 1 problem (1 error, 0 warnings, 0 infos) in 1 file.\n"
    )


def test_text_no_findings_summary() -> None:
    assert render("text", RunResult(findings=(), files_checked=1)) == (
        "All checked: no problems in 1 file.\n"
    )
    suppressed_only = RunResult(
        findings=(), suppressed=canonical().suppressed, files_checked=5
    )
    assert render("text", suppressed_only) == (
        "All checked: no problems in 5 files, 2 suppressed.\n"
    )


def test_machine_formats_do_not_import_rich() -> None:
    code = (
        "import sys\n"
        "from agentlint.findings import RunResult\n"
        "from agentlint.report import render\n"
        "render('json', RunResult(findings=())); render('concise', RunResult(findings=()))\n"
        "assert 'rich' not in sys.modules, sorted(m for m in sys.modules if 'rich' in m)\n"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)


def test_caret_alignment_with_tabs_and_wide_characters() -> None:
    assert layout("\tab\tc") == ("    ab  c", [0, 4, 5, 6, 8, 9])
    # Column 3 is "b" after a tab: the caret starts under it.
    display, start, width = caret_range("\tab", Location("f", Span(Pos(1, 3), Pos(1, 4))))
    assert (display, start, width) == ("    ab", 5, 1)
    # Wide characters take two cells.
    display, start, width = caret_range("日本x", Location("f", Span(Pos(1, 2), Pos(1, 4))))
    assert (display, start, width) == ("日本x", 2, 3)
    # Empty span: one caret. Past the end: one caret after the line. Multi-line: to the end.
    assert caret_range("abc", Location("f", Span.point(1, 2)))[1:] == (1, 1)
    assert caret_range("abc", Location("f", Span.point(1, 9)))[1:] == (3, 1)
    assert caret_range("abcd", Location("f", Span(Pos(1, 2), Pos(3, 1))))[1:] == (1, 3)


def test_unknown_format_lists_formats() -> None:
    with pytest.raises(KeyError) as info:
        render("nope", canonical())
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, UnknownFormatError)
    assert str(info.value) == "unknown output format 'nope'; expected one of: concise, github, gitlab, json, junit, sarif, text"


def test_registry() -> None:
    assert REPORTERS == {
        "concise": "agentlint.report.concise:render",
        "github": "agentlint.report.github:render",
        "gitlab": "agentlint.report.gitlab:render",
        "json": "agentlint.report.json:render",
        "junit": "agentlint.report.junit:render",
        "sarif": "agentlint.report.sarif:render",
        "text": "agentlint.report.text:render",
    }


def test_text_never_wraps_long_lines() -> None:
    finding = Finding(
        code="AL101",
        name="undeclared-tool",
        severity=Severity.ERROR,
        message="m" * 150,
        location=Location("a.yaml", Span(Pos(1, 120), Pos(1, 123))),
        fingerprint="fp",
    )
    result = RunResult(findings=(finding,), files_checked=1, sources={"a.yaml": "x" * 200})
    assert render("text", result).splitlines() == [
        "a.yaml:1:120: AL101 error " + "m" * 150,
        "  |",
        "1 | " + "x" * 200,
        "  | " + " " * 119 + "^^^",
        "",
        "Found 1 problem (1 error, 0 warnings, 0 infos) in 1 file.",
    ]
