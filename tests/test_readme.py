"""The README stays true: its problem-matcher regex parses real concise output, and its
set-up commands are the ones CI runs."""

from __future__ import annotations

import json
import re

from agentlint.cli import main
from agentlint.report.concise import PROBLEM_MATCHER_REGEX
from tests.conftest import REPO

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
    assert parsed == [
        ('examples/adk-refiner/refine_loop.yaml', 1, 'warning', 'AL103'),
        ('examples/adk-refiner/reviser.yaml', 2, 'error', 'AL301'),
        ('examples/adk-refiner/reviser.yaml', 2, 'warning', 'AL302'),
        ('examples/adk-refiner/root_agent.yaml', 4, 'warning', 'AL310'),
        ('examples/adk-refiner/root_agent.yaml', 4, 'warning', 'AL311'),
        ('examples/research-crew/config/agents.yaml', 2, 'warning', 'AL310'),
        ('examples/research-crew/config/agents.yaml', 2, 'warning', 'AL311'),
        ('examples/research-crew/config/agents.yaml', 12, 'error', 'AL301'),
        ('examples/research-crew/config/agents.yaml', 17, 'error', 'AL002'),
        ('examples/support-desk/.vscode/mcp.json', 11, 'error', 'AL201'),
        ('examples/support-desk/agents.yaml', 13, 'warning', 'AL310'),
        ('examples/support-desk/agents.yaml', 27, 'warning', 'AL303'),
        ('examples/support-desk/agents.yaml', 29, 'error', 'AL301'),
        ('examples/support-desk/agents.yaml', 61, 'warning', 'AL102'),
        ('examples/support-desk/escalation.yaml', 17, 'warning', 'AL104'),
        ('examples/support-desk/escalation.yaml', 24, 'warning', 'AL102'),
        ('examples/support-desk/prompts.yaml', 165, 'warning', 'AL404'),
        ('examples/support-desk/prompts.yaml', 188, 'warning', 'AL404'),
        ('examples/support-desk/tool-policy.yaml', 30, 'warning', 'AL209'),
    ]
    # the reporter's own documented regex agrees with the README's on active findings
    assert all(re.match(PROBLEM_MATCHER_REGEX, line) for line in lines)


def test_readme_commands_match_ci() -> None:
    assert "pip install . && agentlint check examples/" in README
    assert "pip install '.[test]' && pytest" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && pytest" in ci
