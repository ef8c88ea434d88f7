"""Fix availability in every output that carries it: ``[*]`` and ``= help:`` in text with a
fixable count in the summary (as ruff), ``fix`` in JSON, ``fixes`` in SARIF (valid against the
2.1.0 schema), never on a suppressed finding's text line; nothing changes for a finding
without a fix."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from agentlint.findings import Edit, Finding, Fix, Location, RunResult, Severity, SuppressionKind
from agentlint.model.source import Pos, Span
from agentlint.report import render

SCHEMA = Path(__file__).parent / "sarif" / "sarif-schema-2.1.0.json"
TEXT = "agents:\n  router:\n    prompt: router:latest\n"

PIN = Fix("Pin prompt 'router' to version 4 (labelled production)", (Edit("agents.yaml", Span(Pos(3, 13), Pos(3, 26)), "router@4"),))
INSERT = Fix("Pin prompt 'critic' to version 2 (labelled production)", (Edit("app.py", Span(Pos(1, 9), Pos(1, 9)), ", version=2"),))


def finding(path: str, line: int, fix: Fix | None, suppressed: bool = False) -> Finding:
    return Finding(
        "AL401",
        "floating-prompt-reference",
        Severity.WARNING,
        "floating",
        Location(path, Span(Pos(line, 5), Pos(line, 11))),
        f"fp-{path}",
        suppression=SuppressionKind.IGNORE if suppressed else None,
        fix=fix,
    )


def result() -> RunResult:
    return RunResult(
        (finding("agents.yaml", 3, PIN), finding("app.py", 1, INSERT), finding("z.yaml", 1, None)),
        suppressed=(finding("s.yaml", 1, PIN, suppressed=True),),
        files_checked=4,
        sources={"agents.yaml": TEXT, "app.py": 'get("c")\n', "z.yaml": "a: 1\n", "s.yaml": "a: 1\n"},
    )


def test_text_marks_fixable_findings_and_counts_them() -> None:
    lines = render("text", result(), color=False, show_suppressed=True).splitlines()
    assert lines[0] == "agents.yaml:3:5: AL401 [*] warning floating"
    assert lines[4] == "  = help: Pin prompt 'router' to version 4 (labelled production)"
    assert "s.yaml:1:5: AL401 warning floating (suppressed: ignore)" in lines
    assert "z.yaml:1:5: AL401 warning floating" in lines
    assert lines[-2:] == [
        "Found 3 problems (0 errors, 3 warnings, 0 infos) in 4 files, 1 suppressed.",
        "[*] 2 fixable with 'agentlint check --fix' (preview: --diff).",
    ]


def test_json_carries_the_edits_of_a_fix_only() -> None:
    doc = json.loads(render("json", result(), color=False, show_suppressed=False))
    assert doc["findings"][0]["fix"] == {
        "title": "Pin prompt 'router' to version 4 (labelled production)",
        "applicability": "safe",
        "edits": [{"path": "agents.yaml", "line": 3, "column": 13, "end_line": 3, "end_column": 26, "content": "router@4"}],
    }
    assert doc["findings"][1]["fix"]["edits"] == [
        {"path": "app.py", "line": 1, "column": 9, "end_line": 1, "end_column": 9, "content": ", version=2"}
    ]
    assert "fix" not in doc["findings"][2]


def test_sarif_fixes_are_artifact_changes_with_replacements() -> None:
    doc = json.loads(render("sarif", result(), color=False, show_suppressed=False))
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text("utf-8"))).validate(doc)
    results = doc["runs"][0]["results"]
    assert results[0]["fixes"] == [
        {
            "description": {"text": "Pin prompt 'router' to version 4 (labelled production)"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "agents.yaml", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 3, "startColumn": 13, "endLine": 3, "endColumn": 26},
                            "insertedContent": {"text": "router@4"},
                        }
                    ],
                }
            ],
        }
    ]
    insertion = results[1]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert insertion["deletedRegion"] == {"startLine": 1, "startColumn": 9, "endLine": 1, "endColumn": 9}  # an insertion point
    assert "fixes" not in results[2]


def test_concise_output_is_unchanged_by_a_fix() -> None:
    """The problem-matcher format stays as documented."""
    lines = render("concise", result(), color=False, show_suppressed=False).splitlines()
    assert lines[0] == "agents.yaml:3:5: warning: floating [AL401]"
