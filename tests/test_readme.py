"""The README stays true: its problem-matcher regex parses real concise output, and its
set-up commands are the ones CI runs."""

from __future__ import annotations

import json
import re

from agentlint.cli import main
from agentlint.report.concise import PROBLEM_MATCHER_REGEX
from tests.conftest import REPO
from tests.test_end_to_end import EXPECTED

README = (REPO / "README.md").read_text(encoding="utf-8")


def _vscode_matcher() -> dict:
    block = re.search(r"```json\n(\{\n  \"version\": \"2\.0\.0\".*?)\n```", README, re.S)
    assert block, "README lost its VS Code tasks.json block"
    return json.loads(block.group(1))["tasks"][0]["problemMatcher"]


def test_readme_problem_matcher_parses_real_output(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    main(["check", "examples", "--format", "concise"])
    lines = capsys.readouterr().out.splitlines()
    matcher = _vscode_matcher()
    pattern = re.compile(matcher["pattern"]["regexp"])
    parsed = []
    for line in lines:
        match = pattern.match(line)
        assert match, line
        groups = matcher["pattern"]
        parsed.append(
            (match.group(groups["file"]), int(match.group(groups["line"])), match.group(groups["severity"]), match.group(groups["code"]))
        )
    # the examples' findings are pinned in one place (test_end_to_end.EXPECTED)
    expected = []
    for line in EXPECTED:
        where, severity, _ = line.split(": ", 2)
        path, number, _column = where.rsplit(":", 2)
        expected.append((path, int(number), severity, line.rsplit("[", 1)[1].rstrip("]")))
    assert parsed == expected
    # the reporter's own documented regex agrees with the README's on active findings
    assert all(re.match(PROBLEM_MATCHER_REGEX, line) for line in lines)


def test_readme_commands_match_ci() -> None:
    assert "pip install . && agentlint check examples/" in README
    assert "pip install '.[test]' && pytest" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && pytest" in ci


def test_readme_problem_matcher_parses_suppressed_lines(capsys, monkeypatch) -> None:
    """Every line `--show-suppressed` prints matches, the suffix outside the message."""
    monkeypatch.chdir(REPO)
    main(["check", "examples", "--format", "concise", "--show-suppressed"])
    lines = capsys.readouterr().out.splitlines()
    pattern = _vscode_matcher()["pattern"]
    assert pattern["regexp"] == PROBLEM_MATCHER_REGEX
    suppressed = [line for line in lines if line.endswith((" (suppressed: todo)", " (suppressed: ignore)"))]
    assert suppressed and len(suppressed) < len(lines)
    for line in lines:
        match = re.match(pattern["regexp"], line)
        assert match, line
        assert line.split(": ", 2)[2].startswith(match.group(pattern["message"]) + f" [{match.group(pattern['code'])}]"), line
