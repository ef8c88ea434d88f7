"""The GitHub Action: its problem matcher parses real concise output, and action.yml is a
composite action whose steps use files and options that exist (its check step is run here)."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from agentlint import api
from agentlint.cli import _parser, main
from agentlint.findings import Severity
from agentlint.report.concise import PROBLEM_MATCHER_REGEX, format_finding
from tests.conftest import REPO

MATCHER_FILE = REPO / ".github" / "agentlint-problem-matcher.json"
ACTION = YAML(typ="safe").load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]


def _matcher() -> dict:
    (matcher,) = json.loads(MATCHER_FILE.read_text(encoding="utf-8"))["problemMatcher"]
    return matcher


def _step(name_part: str) -> dict:
    (step,) = [s for s in STEPS if name_part in s.get("name", "")]
    return step


def _choices(subcommand: str) -> dict[str, object]:
    """option string -> argparse action of ``agentlint SUBCOMMAND``."""
    sub = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return {opt: action for action in sub.choices[subcommand]._actions for opt in action.option_strings}


# --- problem matcher -------------------------------------------------------------------------


def test_matcher_regexp_is_the_concise_regex_without_info() -> None:
    matcher = _matcher()
    assert matcher["owner"] == "agentlint"
    (pattern,) = matcher["pattern"]
    # GitHub matchers know only error/warning severities: info findings are deliberately not
    # annotated (they stay in the log and in SARIF as "note") rather than shown as warnings.
    # Suppressed findings (`--show-suppressed`) are not matched at all: a matcher's severity is
    # error or warning, and a suppressed finding must never become either annotation.
    assert pattern["regexp"] == r"^(.+?):(\d+):(\d+): (error|warning): (.*) \[(AL\d{3})\]$"
    assert PROBLEM_MATCHER_REGEX.startswith(pattern["regexp"].removesuffix("$").replace("(error|warning)", "(error|warning|info)"))
    assert {k: pattern[k] for k in ("file", "line", "column", "severity", "message", "code")} == {
        "file": 1, "line": 2, "column": 3, "severity": 4, "message": 5, "code": 6,
    }
    assert "severity" not in matcher  # default (error) never applies: every match has a severity


def test_matcher_parses_real_concise_output(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    main(["check", "examples", "--format", "concise"])
    lines = capsys.readouterr().out.splitlines()
    (pattern,) = _matcher()["pattern"]
    regexp = re.compile(pattern["regexp"])
    parsed = []
    for line in lines:
        match = regexp.match(line)
        assert re.match(PROBLEM_MATCHER_REGEX, line)
        if ": info: " in line.split(" [AL")[0]:
            assert match is None, line  # info findings are never annotations
            continue
        assert match, line
        group = lambda key: match.group(pattern[key])  # noqa: E731
        assert line.startswith(f"{group('file')}:{group('line')}:{group('column')}: ")
        assert line.endswith(f"{group('message')} [{group('code')}]")
        parsed.append((group("file"), int(group("line")), int(group("column")), group("severity"), group("code")))
    assert parsed[:3] == [
        ("examples/adk-loop-code/story_agent/agent.py", 10, 19, "warning", "AL103"),
        ("examples/adk-loop-code/story_agent/agent.py", 17, 10, "warning", "AL311"),
        ("examples/adk-loop-code/story_agent/sub_agents/refiner/agent.py", 4, 10, "error", "AL301"),
    ]
    assert ("examples/support-desk/.vscode/mcp.json", 11, 22, "error", "AL201") in parsed
    assert {severity for *_, severity, _ in parsed} == {"error", "warning"}
    assert len(parsed) == len(lines) - sum(": info: " in line for line in lines) > 10


def test_matcher_skips_info_and_suppressed_findings() -> None:
    paths = [str(REPO / "examples")]
    finding = api.check(paths, api.settings_for(paths)).findings[0]
    (pattern,) = _matcher()["pattern"]
    info = format_finding(dataclasses.replace(finding, severity=Severity.INFO))
    assert re.match(PROBLEM_MATCHER_REGEX, info) and not re.match(pattern["regexp"], info)
    from agentlint.findings import SuppressionKind

    active = re.match(pattern["regexp"], format_finding(finding))
    assert active and active.group(pattern["message"]) == finding.message and active.group(pattern["code"]) == finding.code
    for kind in SuppressionKind:
        line = format_finding(dataclasses.replace(finding, suppression=kind))
        assert re.match(PROBLEM_MATCHER_REGEX, line) and not re.match(pattern["regexp"], line), line


# --- action.yml ------------------------------------------------------------------------------


def test_action_is_composite_with_documented_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert inputs["paths"]["default"] == "."
    assert {"paths", "fail-on", "args"} <= set(inputs)
    assert all(spec.get("description") for spec in inputs.values())
    assert all(s.get("shell") == "bash" for s in STEPS if "run" in s)
    referenced = set(re.findall(r"inputs\.([\w-]+)", (REPO / "action.yml").read_text(encoding="utf-8")))
    assert referenced <= set(inputs)
    ids = {s["id"] for s in STEPS if "id" in s}
    assert set(re.findall(r"steps\.([\w-]+)\.outputs", (REPO / "action.yml").read_text(encoding="utf-8"))) <= ids


def test_action_installs_itself_and_registers_the_matcher() -> None:
    install = _step("Install")["run"]
    # the action's own checkout, i.e. agentlint at the action's version, into a private venv
    assert re.search(r'/bin/pip" install [-\w ]*"\$\{\{ github\.action_path \}\}"$', install, re.M)
    assert '>> "$GITHUB_PATH"' in install
    run = _step("Run agentlint")["run"]
    (matcher_path,) = re.findall(r'::add-matcher::\$\{\{ github\.action_path \}\}/([^"\s]+)"', run)
    assert (REPO / matcher_path) == MATCHER_FILE and MATCHER_FILE.is_file()
    assert f"::remove-matcher owner={_matcher()['owner']}::" in run


def test_action_uses_existing_check_options() -> None:
    run = _step("Run agentlint")["run"]
    (command,) = [line for line in run.splitlines() if line.strip().startswith("agentlint check")]
    options = _choices("check")
    for option in re.findall(r"(?<![\w-])(--[a-z][\w-]*)", command):
        assert option in options, option
    assert "--format concise" in command  # what the problem matcher parses
    assert '--output-format "sarif=$AL_SARIF"' in command


def test_action_uploads_sarif_with_a_pinned_action() -> None:
    upload = _step("Upload SARIF")
    name, _, ref = upload["uses"].partition("@")
    assert name == "github/codeql-action/upload-sarif"
    assert re.fullmatch(r"[0-9a-f]{40}", ref)
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"


def test_summary_step_only_with_a_report_command() -> None:
    summary = [s for s in STEPS if "GITHUB_STEP_SUMMARY" in s.get("run", "")]
    sub = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    if "report" not in sub.choices:
        assert summary == []
        return
    (step,) = summary
    (command,) = [line for line in step["run"].splitlines() if line.strip().startswith("agentlint report")]
    assert "--format md " in command and command.rstrip(" \\").endswith('>> "$GITHUB_STEP_SUMMARY"')
    options = _choices("report")
    for option in re.findall(r"(?<![\w-])(--[a-z][\w-]*)", command):
        assert option in options, option
    assert "md" in (options["--format"].choices or ())  # type: ignore[attr-defined]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(("fail_on", "expected"), [("", "1"), ("error", "1")])
def test_check_step_script_runs(tmp_path: Path, fail_on: str, expected: str) -> None:
    """The check step's shell script, with the expressions filled in, on examples/."""
    script = _step("Run agentlint")["run"].replace("${{ github.action_path }}", str(REPO))
    assert "${{" not in script
    output = tmp_path / "github_output"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "AL_PATHS": f"{REPO / 'examples' / 'adk-refiner'} {REPO / 'examples' / 'research-crew'}",
        "AL_FAIL_ON": fail_on,
        "AL_ARGS": "--color never --show-suppressed",
        "AL_SARIF": str(tmp_path / "agentlint.sarif"),
        "GITHUB_OUTPUT": str(output),
    }
    env.pop("AGENTLINT_FORMAT", None)
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"::add-matcher::{MATCHER_FILE}"
    assert lines[-1] == "::remove-matcher owner=agentlint::"
    assert all(re.match(PROBLEM_MATCHER_REGEX, line) for line in lines[1:-1]) and len(lines) > 3
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    assert outputs == {"exit-code": expected, "sarif-file": env["AL_SARIF"]}
    sarif = json.loads(Path(env["AL_SARIF"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"


def _script(name_part: str) -> str:
    script = _step(name_part)["run"].replace("${{ github.action_path }}", str(REPO))
    assert "${{" not in script
    return script


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_show_suppressed_never_becomes_an_annotation(tmp_path: Path) -> None:
    """--show-suppressed in `args`: the suppressed lines are printed, the matcher skips them."""
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "AL_PATHS": str(REPO / "examples" / "support-desk"),
        "AL_FAIL_ON": "",
        "AL_ARGS": "--color never --show-suppressed",
        "AL_SARIF": str(tmp_path / "agentlint.sarif"),
        "GITHUB_OUTPUT": str(tmp_path / "github_output"),
    }
    env.pop("AGENTLINT_FORMAT", None)
    proc = subprocess.run(["bash", "-e", "-c", _script("Run agentlint")], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    (pattern,) = _matcher()["pattern"]
    lines = proc.stdout.splitlines()[1:-1]
    suppressed = [line for line in lines if line.endswith((" (suppressed: todo)", " (suppressed: ignore)"))]
    assert any("escalation.yaml" in line and "[AL301] (suppressed: todo)" in line for line in suppressed), lines
    assert not [line for line in suppressed if re.match(pattern["regexp"], line)]
    active = [line for line in lines if line not in suppressed]
    assert active and all(re.match(pattern["regexp"], line) for line in active if ": info: " not in line)


FAKE_AGENTLINT = """#!/bin/sh
for word in "$@"; do printf '%s\\n' "$word"; done > "$ARGV_FILE"
echo "# report"
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("args", "forwarded"),
    [
        ("", []),
        ("--config ci/agentlint.toml --whole-project", ["--config", "ci/agentlint.toml"]),
        ("--baseline b.json --config=ci/agentlint.toml --select AL1", ["--config=ci/agentlint.toml"]),
        ("--isolated   --exit-zero", ["--isolated"]),
        ("--isolated --config a.toml", ["--isolated", "--config", "a.toml"]),
    ],
)
def test_summary_step_uses_the_check_steps_configuration(tmp_path: Path, args: str, forwarded: list[str]) -> None:
    """`agentlint report` in the summary step gets the --config/--isolated given to check."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "agentlint"
    fake.write_text(FAKE_AGENTLINT, encoding="utf-8")
    fake.chmod(0o755)
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "AL_PATHS": "agents/ prompts/",
        "AL_ARGS": args,
        "ARGV_FILE": str(tmp_path / "argv"),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    proc = subprocess.run(["bash", "-e", "-c", _script("Readiness checklist")], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    argv = (tmp_path / "argv").read_text(encoding="utf-8").splitlines()
    assert argv == ["report", "agents/", "prompts/", "--format", "md", *forwarded]
    assert summary.read_text(encoding="utf-8") == "# report\n"
    options = _choices("report")
    assert all(word.split("=", 1)[0] in options for word in forwarded if word.startswith("--"))
