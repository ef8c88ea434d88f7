"""Output safety (issue 12, points 14-17): a crash has a path and is a JUnit error, SARIF URIs are
percent-encoded, no file name can inject a GitHub workflow command, and the text format never
prints a credential a rule just flagged."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agentlint.cli import main
from agentlint.findings import FileRecord, FileStatus, Finding, Location, RunResult, Severity
from agentlint.model.source import Pos, Span
from agentlint.report import render
from agentlint.report.concise import PROBLEM_MATCHER_REGEX
from agentlint.report.sarif import uri
from agentlint.report.text import mask_secret

HEAD = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"
GOOD = HEAD + "agents:\n  solo: {role: helper, retries: {max_attempts: 1}}\n"  # AL301 at 5:3
LINE_FORMATS = ("concise", "text", "github")


def _finding(path: str, code: str = "AL301", message: str = "m", line: int = 1, **extra) -> Finding:
    location = Location(path, Span(Pos(line, 1), Pos(line, 2)))
    return Finding(code, "name", Severity.ERROR, message, location, f"fp-{path}-{code}", **extra)


def _write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


# --- 14: a crashed rule has a path, and JUnit counts it as an error ----------------------------


@pytest.fixture
def crashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    from agentlint.registry import all_rules

    _write(tmp_path, "good.yaml", GOOD)
    monkeypatch.chdir(tmp_path)

    def boom(self, project, options):
        raise ZeroDivisionError("synthetic")

    monkeypatch.setattr(all_rules()["AL104"], "check", boom)

    def run(fmt: str) -> str:
        assert main(["check", "--isolated", "--format", fmt]) == 2
        return capsys.readouterr().out

    return run


def test_crashed_rule_is_at_the_project_root_in_concise(crashed) -> None:
    first, second = crashed("concise").splitlines()
    assert first.startswith(".:1:1: error: internal error in rule AL104 (unreachable-agent): ZeroDivisionError: synthetic")
    assert re.match(PROBLEM_MATCHER_REGEX, first).groups()[:4] == (".", "1", "1", "error")
    assert second.startswith("good.yaml:5:3: error: agent 'solo' has no timeout")


def test_crashed_rule_is_at_the_project_root_in_sarif_and_gitlab(crashed) -> None:
    (run,) = json.loads(crashed("sarif"))["runs"]
    crash = next(r for r in run["results"] if r["ruleId"] == "AL901")
    assert crash["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": ".", "uriBaseId": "%SRCROOT%"}
    assert run["invocations"][0]["executionSuccessful"] is False
    issues = json.loads(crashed("gitlab"))
    assert [(i["check_name"], i["location"]["path"]) for i in issues] == [("AL901", "."), ("AL301", "good.yaml")]


def test_crashed_rule_is_a_junit_error_not_a_failure(crashed) -> None:
    root = ET.fromstring(crashed("junit"))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "1", "1")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert {n: (s.get("failures"), s.get("errors")) for n, s in suites.items()} == {".": ("0", "1"), "good.yaml": ("1", "0")}
    (case,) = suites["."].iter("testcase")
    (error,) = case
    assert (error.tag, error.get("type")) == ("error", "internal-error")
    assert error.text.startswith(".:1:1: error: internal error in rule AL104")
    assert [child.tag for child in next(suites["good.yaml"].iter("testcase"))] == ["failure"]


def test_suppressed_internal_error_is_not_an_error() -> None:
    from agentlint.findings import SuppressionKind

    crash = _finding(".", "AL901", suppression=SuppressionKind.TODO)
    root = ET.fromstring(render("junit", RunResult(findings=(), suppressed=(crash,)), color=False, show_suppressed=True))
    assert (root.get("failures"), root.get("errors")) == ("0", "0")


# --- 15: SARIF URIs are RFC 3986 relative references -------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("agents/alpha.yaml", "agents/alpha.yaml"),
        ("a b%25c.yaml", "a%20b%2525c.yaml"),
        ("colon:1:2.yaml", "./colon:1:2.yaml"),  # else scheme "colon"
        ("dir/x:y.yaml", "dir/x:y.yaml"),  # ":" is a pchar after the first segment
        ("new\nline.yaml", "new%0Aline.yaml"),
        ("a#b?c.yaml", "a%23b%3Fc.yaml"),  # not a fragment, not a query
        ("café/ü.json", "caf%C3%A9/%C3%BC.json"),
        ("back\\slash.json", "back%5Cslash.json"),
        ("[x]/{y}.yaml", "%5Bx%5D/%7By%7D.yaml"),
        ("", "."),
    ],
)
def test_sarif_uri_is_percent_encoded(path: str, expected: str) -> None:
    assert uri(path) == expected
    result = RunResult(
        findings=(_finding(path),), files=(FileRecord(path, FileStatus.READ, ("neutral",)),)
    )
    (run,) = json.loads(render("sarif", result, color=False, show_suppressed=False))["runs"]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == expected
    assert run["artifacts"] == [{"location": {"uri": expected, "uriBaseId": "%SRCROOT%"}}]


def test_sarif_uris_of_real_files_are_encoded(tmp_path: Path, monkeypatch, capsys) -> None:
    _write(tmp_path, "a b%25c.yaml", GOOD)
    _write(tmp_path, "colon:1:2.yaml", GOOD)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--isolated", "--format", "sarif"]) == 1
    (run,) = json.loads(capsys.readouterr().out)["runs"]
    located = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert located == {"./colon:1:2.yaml", "a%20b%2525c.yaml"}
    assert sorted(a["location"]["uri"] for a in run["artifacts"]) == ["./colon:1:2.yaml", "a%20b%2525c.yaml"]


# --- 16: no line any format prints is a GitHub workflow command ---------------------------------

# actions/runner: TryParseV2 takes a line whose TrimStart() starts with "::"; the legacy TryParse
# takes "##[" anywhere in a line, for any registered command.
_V2 = re.compile(r"^\s*::")
_LEGACY = "##["

HOSTILE = ("::warning title=x::owned.yaml", "  ::stop-commands::tok.yaml", "a##[warning]b.yaml", "\t::error::x.yaml")


def _hostile_result() -> RunResult:
    findings = []
    for path in HOSTILE:
        related = (Location(path, Span.point(2), "::error::related note ##[error]x"),)
        findings.append(_finding(path, message="agent '::set-output name=x::1' ##[add-mask]y", related=related))
    findings.sort(key=Finding.sort_key)
    sources = {path: "::warning::source line\n  ##[error]second\n" for path in HOSTILE}
    files = tuple(FileRecord(path, FileStatus.READ, ("neutral",)) for path in sorted(HOSTILE))
    return RunResult(findings=tuple(findings), sources=sources, files=files)


@pytest.mark.parametrize("fmt", LINE_FORMATS)
def test_no_printed_line_is_a_workflow_command(fmt: str) -> None:
    lines = render(fmt, _hostile_result(), color=False, show_suppressed=False).splitlines()
    if fmt == "github":  # its own commands are the point; nothing else may be one
        ours = re.compile(r"^::(error|warning|notice) file=|^::group::|^::endgroup::$")
        assert [line for line in lines if _V2.match(line) and not ours.match(line)] == []
        assert all(ours.match(line) for line in lines[:-1]) and lines[-1].startswith("Found 4 problems")
        assert sum(line.startswith("::error file=") for line in lines) == 4
        return
    assert [line for line in lines if _V2.match(line)] == []
    assert [line for line in lines if _LEGACY in line] == []


def test_concise_prints_such_paths_as_the_same_file() -> None:
    lines = render("concise", _hostile_result(), color=False, show_suppressed=False).splitlines()
    files = [re.match(PROBLEM_MATCHER_REGEX, line).group(1) for line in lines]
    assert files == ["./\t::error::x.yaml".replace("\t", " "), "./  ::stop-commands::tok.yaml", "./::warning title=x::owned.yaml", "a#\u200b#[warning]b.yaml"]


def test_junit_text_and_show_files_are_safe() -> None:
    result = _hostile_result()
    root = ET.fromstring(render("junit", result, color=False, show_suppressed=False))
    text = "\n".join(f.text for f in root.iter("failure"))
    assert [line for line in text.splitlines() if _V2.match(line) or _LEGACY in line] == []
    assert sorted(c.get("file") for c in root.iter("testcase")) == sorted(HOSTILE)  # attributes stay exact
    from agentlint.report._common import file_list

    listed = file_list(result).splitlines()
    assert listed[2] == "./::warning title=x::owned.yaml: neutral"
    assert [line for line in listed if _V2.match(line) or _LEGACY in line] == []


def test_real_run_with_a_hostile_file_name(tmp_path: Path, monkeypatch, capsys) -> None:
    _write(tmp_path, "::warning title=x::owned.yaml", GOOD)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--isolated", "--format", "concise"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("./::warning title=x::owned.yaml:5:3: error: agent 'solo' has no timeout")


# --- 17: flagged credentials are masked in code frames ------------------------------------------

KEY = "sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS4uV2wX8yZ1aB3"


def test_mask_secret_keeps_four_characters_at_most() -> None:
    assert mask_secret(KEY) == "sk-p\u2026"
    assert mask_secret(f'"{KEY}"') == '"sk-p\u2026"'
    assert mask_secret("abcdefgh") == "ab\u2026"  # never more than a third of a short secret
    assert mask_secret("'ab'") == "'\u2026'"


def _text_of(tmp_path: Path, monkeypatch, capsys, files: dict[str, str], *extra: str) -> str:
    for name, text in files.items():
        _write(tmp_path, name, text)
    monkeypatch.chdir(tmp_path)
    main(["check", "--isolated", "--select", "ALL", "--format", "text", *extra])
    return capsys.readouterr().out


def test_text_masks_an_mcp_secret_al202(tmp_path: Path, monkeypatch, capsys) -> None:
    config = '{"mcpServers": {\n  "tavily": {"command": "npx", "args": ["-y", "tavily-mcp@0.1.3"],\n' f'    "env": {{"TAVILY_API_KEY": "{KEY}"}}}}\n}}}}\n'
    out = _text_of(tmp_path, monkeypatch, capsys, {".cursor/mcp.json": config})
    assert KEY not in out and KEY[:12] not in out
    frame = out[out.index("AL202") :].splitlines()
    assert frame[2] == '3 |     "env": {"TAVILY_API_KEY": "sk-p\u2026"}}'
    assert frame[3] == "  |                               ^^^^^^^"  # under the masked value, quotes included


def test_text_masks_a_prompt_secret_al408_inside_longer_text(tmp_path: Path, monkeypatch, capsys) -> None:
    prompt = f"---\nmodel: googleai/gemini-2.5-flash\n---\nOpen issues with the token {KEY} when asked.\n"
    out = _text_of(tmp_path, monkeypatch, capsys, {"prompts/issues.prompt": prompt})
    assert KEY not in out
    frame = out[out.index("AL408") :].splitlines()
    assert frame[2] == "4 | Open issues with the token sk-p\u2026 when asked."
    assert frame[3] == "  |                            ^^^^^"


def test_text_masks_the_secret_in_another_findings_frame_of_the_same_line(tmp_path: Path, monkeypatch, capsys) -> None:
    config = (
        '{"mcpServers": {"gh": {"command": "npx", "args": ["-y", "gh-mcp@latest"], '
        f'"env": {{"GITHUB_TOKEN": "ghp_Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS4uV2w"}}}}}}}}\n'
    )
    out = _text_of(tmp_path, monkeypatch, capsys, {".cursor/mcp.json": config})
    assert "ghp_Q7mZ2vR9" not in out
    assert "AL201" in out and "AL202" in out  # the floating version's frame shows the same line
    al201 = out[out.index("AL201") :].splitlines()
    code = al201[2]
    caret = al201[3]
    assert code.endswith('"env": {"GITHUB_TOKEN": "ghp_\u2026"}}}}')
    start = caret.index("^")
    assert code[start : start + len('"gh-mcp@latest"')] == '"gh-mcp@latest"'


SECRET_RULES = ("AL202", "AL222", "AL224", "AL408")


@pytest.mark.parametrize("code", SECRET_RULES)
def test_every_secret_rule_marks_its_findings_masked(tmp_path: Path, code: str) -> None:
    """Each invalid example of a secret rule: every finding of that rule is ``masked``, and the
    text format prints none of the flagged values whole."""
    from agentlint import api
    from agentlint.config import CliOverrides
    from agentlint.registry import all_rules

    rule = all_rules()[code]
    for index, example in enumerate(rule.invalid):
        root = tmp_path / str(index)
        for rel, text in example.files:
            _write(root, rel, text if isinstance(text, str) else text.decode("utf-8"))
        settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=root)
        result = api.check(["."], settings, root=root)
        mine = [f for f in result.findings if f.code == code]
        assert mine and all(f.masked for f in mine), (code, index)
        assert not any(f.masked for f in result.findings if f.code not in SECRET_RULES)
        out = render("text", result, color=False, show_suppressed=True)
        for finding in mine:
            span = finding.location.span
            line = result.sources[finding.path].splitlines()[span.start.line - 1]
            end = span.end.column - 1 if span.end.line == span.start.line else len(line)
            flagged = line[span.start.column - 1 : end].strip("'\"")
            assert len(flagged) < 12 or flagged not in out, (code, index, flagged)


def test_excerpts_count_lines_as_loaders_do() -> None:
    """U+2028, NEL, form feed and \\x1c are text to the loaders, not line breaks: the excerpt of
    line 3 is line 3 (``str.splitlines`` would show an earlier line, possibly a masked one's)."""
    source = "a: 'x\u2028y\x85z'\nb: 'p\x0cq\x1cr'\r\nc: 3\rd: 4\n"
    finding = _finding("f.yaml", line=3)
    out = render("text", RunResult(findings=(finding,), sources={"f.yaml": source}), color=False, show_suppressed=False)
    assert out.splitlines()[2] == "3 | c: 3"


def test_the_bundled_problem_matcher_reads_neutralised_paths() -> None:
    """The action's matcher (.github/agentlint-problem-matcher.json) still parses the lines,
    and gives the same file (``./`` in front) or, for ``##[``, one that looks the same."""
    matcher = json.loads((Path(__file__).resolve().parents[1] / ".github" / "agentlint-problem-matcher.json").read_text("utf-8"))
    (pattern,) = matcher["problemMatcher"][0]["pattern"]
    lines = render("concise", _hostile_result(), color=False, show_suppressed=False).splitlines()
    files = [re.match(pattern["regexp"], line).group(pattern["file"]) for line in lines]
    assert files == ["./ ::error::x.yaml", "./  ::stop-commands::tok.yaml", "./::warning title=x::owned.yaml", "a#\u200b#[warning]b.yaml"]
    assert [os.path.normpath(f) for f in files[1:3]] == ["  ::stop-commands::tok.yaml", "::warning title=x::owned.yaml"]
