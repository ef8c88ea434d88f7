"""The README stays true: its problem-matcher regex parses real concise output, and its
set-up commands are the ones CI runs."""

from __future__ import annotations

import json
import re

from agentlint.cli import FORMATS, main
from agentlint.report import REPORTERS
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


def _section(title: str) -> str:
    match = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#+ )", README, re.S | re.M)
    assert match, f"README lost its {title!r} section"
    return match.group(1)


def test_quick_start_says_what_it_checks(capsys, monkeypatch) -> None:
    """The quick start names every example project `agentlint check examples/` reads, and
    each of them has findings (the run exits 1)."""
    examples = sorted(p.name for p in (REPO / "examples").iterdir() if p.is_dir())
    quick = _section("Quick start")
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen"}
    assert f"checks the {words[len(examples)]} example projects in `examples/`" in quick
    named = re.findall(r"`([a-z][a-z-]+)`\s\(", quick)
    assert sorted(named) == examples
    monkeypatch.chdir(REPO)
    assert main(["check", "examples/", "--format", "concise"]) == 1
    paths = {line.split("/")[1] for line in capsys.readouterr().out.splitlines()}
    # every example has findings but the fixed twins, which show what clean looks like
    assert paths == {name for name in examples if not name.endswith("-fixed")}


def test_output_format_list_is_complete() -> None:
    formats = _section("Output formats")
    listed = re.findall(r"^- `(\w+)`", formats, re.M)
    assert sorted(listed) == sorted(REPORTERS)
    usage = re.search(r"Options of `check`: `--format ([\w|]+)`", README)
    assert usage and sorted(usage.group(1).split("|")) == sorted(FORMATS)


def test_text_output_is_as_described(capsys, monkeypatch) -> None:
    """The README's `text` bullet: one block per finding in path order, a header line, the
    source line with carets under the span, note/reason lines, then the summary."""
    bullet = re.search(r"^- `text` \(default on a terminal\): (.*?)(?=^- )", _section("Output formats"), re.S | re.M)
    assert bullet
    claim = " ".join(bullet.group(1).split())
    assert claim.startswith("one block per finding, in path order: a `path:line:col: CODE severity message` line, "
                            "the source line with carets under the finding's span, and `= note:` lines")
    assert "`= reason:` for a suppressed finding shown with `--show-suppressed`" in claim
    assert claim.endswith("then a `Found N problems` summary.")
    monkeypatch.chdir(REPO)
    main(["check", "examples", "--format", "text", "--color", "never", "--show-suppressed"])
    out = capsys.readouterr().out
    blocks = out.rstrip("\n").split("\n\n")
    assert blocks[-1].startswith("Found ") and "\n" not in blocks[-1]
    headers = []
    reasons = 0
    for block in blocks[:-1]:
        header, *rest = block.split("\n")
        match = re.fullmatch(r"(\S+):(\d+):(\d+): (AL\d{3}) (error|warning|info) (.+)", header)
        assert match, header
        path, line, column = match.group(1), int(match.group(2)), int(match.group(3))
        headers.append((path, line, column))
        gutter = " " * len(str(line))
        assert rest[0] == f"{gutter} |", block
        source = (REPO / path).read_text(encoding="utf-8").splitlines()[line - 1]
        assert rest[1].rstrip() == f"{line} | {source}".rstrip(), block
        carets = re.fullmatch(rf"{gutter} \| ( *)(\^+)", rest[2])
        assert carets and len(carets.group(1)) == column - 1, block
        for extra in rest[3:]:
            assert re.match(r"  = (note|reason): ", extra), block
        suppressed = header.endswith(("(suppressed: todo)", "(suppressed: ignore)"))
        assert any(extra.startswith("  = reason: ") for extra in rest[3:]) == suppressed, block
        reasons += suppressed
    assert headers == sorted(headers) and reasons >= 2
