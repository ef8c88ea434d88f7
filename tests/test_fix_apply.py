"""Safe fixes end to end (issue 15, point 4): ``agentlint check --fix`` rewrites exactly the
spans the fixes name and nothing else (comments and quotes kept, files without a fix never
written), ``--diff`` prints the change and writes nothing, and AL401 offers a fix only when the
project's own prompt sources say which version is in production."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentlint import api
from agentlint.cli import main
from agentlint.findings import Edit, Fix, Location
from agentlint.model.source import Pos, Span

GRAPH = """apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: desk}
agents:
  router:
    role: router
    prompt: router:latest  # moves with every version
  billing:
    role: billing specialist
    prompt: "billing"
  tech: {role: tech, prompt: 'tech'}
"""

REGISTRY = """apiVersion: agentlint/v1
kind: PromptRegistry
metadata: {name: desk-prompts}
prompts:
  router:
    labels: {production: 4}  # moved by the release job
    versions:
      - {version: 3, text: "Route {{ticket}} to billing or tech."}
      - {version: 4, text: "Route {{ticket}}: reply billing or tech."}
  billing:
    labels: {production: 2, staging: 3}
    versions:
      - {version: 2, text: "Bill {{ticket}}."}
      - {version: 3, text: "Bill {{ticket}} now."}
  tech:
    versions:
      - {version: 1, text: "Tech {{ticket}}."}
"""

FIXED_GRAPH = GRAPH.replace("prompt: router:latest  #", "prompt: router@4  #").replace('"billing"', '"billing@2"')

LANGFUSE_APP = """from langfuse import Langfuse

langfuse = Langfuse()
router = langfuse.get_prompt(
    "router",  # the triage prompt
)
critic = langfuse.get_prompt("critic", label="latest")
"""

LANGFUSE_EXPORT = (
    '{"name": "router", "type": "text", "version": 7, "prompt": "Route {{ticket}}.", '
    '"labels": ["production"], "commitMessage": "first"}\n'
)
CRITIC_EXPORT = (
    '{"name": "critic", "type": "text", "version": 2, "prompt": "Critique {{draft}}.", '
    '"labels": ["production", "latest"], "commitMessage": "first"}\n'
)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("utf-8"))


def run(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    code = main(["check", "--format", "concise", "--isolated", *args, "."])
    out, err = capsys.readouterr()
    return code, out, err


def al401(root: Path) -> list[tuple[str, int, str | None]]:
    result = api.check(["."], api.settings_for(["."], isolated=True, root=root), root=root)
    return [(f.path, f.line, f.fix.edits[0].text if f.fix else None) for f in result.findings if f.code == "AL401"]


def test_fix_rewrites_the_references_and_keeps_comments_and_quotes(tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, {"agents.yaml": GRAPH, "prompts.yaml": REGISTRY})
    registry_mtime = os.stat(tmp_path / "prompts.yaml").st_mtime_ns
    code, out, err = run(tmp_path, monkeypatch, capsys, "--fix", "--select", "AL401")
    assert (tmp_path / "agents.yaml").read_text(encoding="utf-8") == FIXED_GRAPH
    assert (tmp_path / "prompts.yaml").read_text(encoding="utf-8") == REGISTRY
    assert os.stat(tmp_path / "prompts.yaml").st_mtime_ns == registry_mtime  # no fix: never written
    # tech has no production label: nothing certain to pin it to, it remains
    assert out.splitlines() == [
        "agents.yaml:11:22: warning: agent 'tech' uses prompt 'tech' without a version or label: pin a version "
        "(tech@<version>) or a release label (tech:production) [AL401]"
    ]
    assert err == "agentlint: Fixed 2 problems (1 remaining).\nFound 1 problem (0 errors, 1 warning, 0 infos) in 2 files.\n"
    assert code == 1
    assert al401(tmp_path) == [("agents.yaml", 11, None)]


def test_concise_summary_counts_fixable_findings(tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, {"agents.yaml": GRAPH, "prompts.yaml": REGISTRY})
    code, out, err = run(tmp_path, monkeypatch, capsys, "--select", "AL401")
    assert [line.split(": ")[0] for line in out.splitlines()] == ["agents.yaml:7:5", "agents.yaml:10:5", "agents.yaml:11:22"]
    assert err == (
        "Found 3 problems (0 errors, 3 warnings, 0 infos) in 2 files.\n"
        "[*] 2 fixable with 'agentlint check --fix' (preview: --diff).\n"
    )


def test_diff_prints_the_change_and_writes_nothing(tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, {"agents.yaml": GRAPH, "prompts.yaml": REGISTRY})
    before = os.stat(tmp_path / "agents.yaml").st_mtime_ns
    code, out, err = run(tmp_path, monkeypatch, capsys, "--diff")
    assert out == (
        "--- a/agents.yaml\n"
        "+++ b/agents.yaml\n"
        "@@ -4,8 +4,8 @@\n"
        " agents:\n"
        "   router:\n"
        "     role: router\n"
        "-    prompt: router:latest  # moves with every version\n"
        "+    prompt: router@4  # moves with every version\n"
        "   billing:\n"
        "     role: billing specialist\n"
        '-    prompt: "billing"\n'
        '+    prompt: "billing@2"\n'
        "   tech: {role: tech, prompt: 'tech'}\n"
    )
    assert err == "agentlint: would fix 2 problems\n"
    assert code == 1
    assert (tmp_path / "agents.yaml").read_text(encoding="utf-8") == GRAPH
    assert os.stat(tmp_path / "agents.yaml").st_mtime_ns == before


def test_diff_without_fixes_is_empty_and_exits_zero(tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, {"agents.yaml": GRAPH.replace("router:latest", "router@4").replace('"billing"', '"billing@2"')})
    code, out, err = run(tmp_path, monkeypatch, capsys, "--diff")
    assert (code, out, err) == (0, "", "agentlint: no fixes available\n")


def test_langfuse_fetch_gets_the_production_version_as_an_argument(tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, {"app.py": LANGFUSE_APP, "prompts/router.json": LANGFUSE_EXPORT, "prompts/critic.json": CRITIC_EXPORT})
    assert al401(tmp_path) == [("app.py", 4, ", version=7"), ("app.py", 7, None)]  # label="latest": not certain where the keyword starts
    code, _, err = run(tmp_path, monkeypatch, capsys, "--fix", "--select", "AL401")
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == LANGFUSE_APP.replace('"router",  #', '"router", version=7,  #')
    assert "agentlint: Fixed 1 problem (1 remaining).\n" in err
    assert al401(tmp_path) == [("app.py", 7, None)]
    assert code == 1


def test_no_fix_when_the_sources_disagree_or_the_text_is_not_a_plain_scalar(tmp_path) -> None:
    other = LANGFUSE_EXPORT  # a Langfuse export of router in production at 7, the registry says 4
    graph = GRAPH.replace('prompt: "billing"', "prompt: &b billing").replace("prompt: 'tech'", "prompt: *b")
    graph += "  writer:\n    role: writer\n    prompt: >-\n      billing\n"
    write(tmp_path, {"agents.yaml": graph, "prompts.yaml": REGISTRY, "lf/router.json": other})
    # router: two production versions; billing: an anchor (the span holds '&b'); tech: an
    # alias; writer: a folded block scalar. None is certain, so none has a fix.
    assert al401(tmp_path) == [("agents.yaml", 7, None), ("agents.yaml", 10, None), ("agents.yaml", 11, None), ("agents.yaml", 14, None)]


def finding_result(root: Path, path: str, text: str, fixes: list[Fix], on_disk: bool = True):
    """A run's result with one finding per fix, as a rule would have produced them."""
    from agentlint.findings import Finding, RunResult

    if on_disk:
        write(root, {path: text})
    findings = tuple(
        Finding("AL401", "floating-prompt-reference", __import__("agentlint").findings.Severity.WARNING, "m", Location(path, fix.edits[0].span), f"fp{i}", fix=fix)
        for i, fix in enumerate(fixes)
    )
    return RunResult(findings, sources={path: text})


def edit(path: str, line: int, start: int, end: int, text: str) -> Edit:
    return Edit(path, Span(Pos(line, start), Pos(line, end)), text)


def test_conflicting_fixes_in_one_file_apply_one_at_a_time(tmp_path) -> None:
    from agentlint import fix as fixes

    text = "a: one  # keep\nb: two\n"
    first = Fix("first", (edit("x.yaml", 1, 4, 7, "uno"),))
    overlapping = Fix("second", (edit("x.yaml", 1, 5, 8, "xx"),))
    same_start = Fix("third", (edit("x.yaml", 1, 4, 4, "pre-"),))
    separate = Fix("fourth", (edit("x.yaml", 2, 4, 7, "dos"),))
    result = finding_result(tmp_path, "x.yaml", text, [first, overlapping, same_start, separate, first])
    settings = api.settings_for(["."], isolated=True, root=tmp_path)
    plan = fixes.plan(result, tmp_path, settings)
    (change,) = plan.changes
    assert change.after == "a: uno  # keep\nb: dos\n"
    assert change.fixes == (first, separate)
    assert (plan.fixed, plan.deferred, plan.problems) == (3, 2, ())  # the repeated fix fixes its finding too


def test_a_fix_that_would_break_the_syntax_is_not_written(tmp_path) -> None:
    from agentlint import fix as fixes

    text = "a: one\nb: two\n"
    broken = Fix("break it", (edit("x.yaml", 1, 4, 7, "[one"),))
    result = finding_result(tmp_path, "x.yaml", text, [broken])
    plan = fixes.plan(result, tmp_path, api.settings_for(["."], isolated=True, root=tmp_path))
    assert plan.changes == ()
    assert plan.problems == ("x.yaml: not fixed (break it): the fixed text would not load cleanly (AL001)",)
    # a sound fix in the same file still applies
    sound = Fix("sound", (edit("x.yaml", 2, 4, 7, "dos"),))
    plan = fixes.plan(finding_result(tmp_path, "x.yaml", text, [broken, sound]), tmp_path, api.settings_for(["."], isolated=True, root=tmp_path))
    assert [(c.after, c.fixes, c.fixed) for c in plan.changes] == [("a: one\nb: dos\n", (sound,), 1)]
    assert plan.problems == ("x.yaml: not fixed (break it): the fixed text would not load cleanly (AL001)",)


def test_a_python_fix_inside_parentheses_is_dropped_and_the_other_applies(tmp_path, monkeypatch, capsys) -> None:
    app = 'from langfuse import Langfuse\n\nlangfuse = Langfuse()\nrouter = langfuse.get_prompt(("router"))\nother = langfuse.get_prompt(name="router", type="chat")\n'
    write(tmp_path, {"app.py": app, "prompts/router.json": LANGFUSE_EXPORT})
    code, out, err = run(tmp_path, monkeypatch, capsys, "--diff", "--select", "AL401")
    assert out.splitlines()[-2:] == [
        '-other = langfuse.get_prompt(name="router", type="chat")',
        '+other = langfuse.get_prompt(name="router", version=7, type="chat")',
    ]
    assert err == (
        "agentlint: warning: app.py: not fixed (Pin prompt 'router' to version 7 (labelled production)): "
        "the fixed text would not load cleanly (AL001)\nagentlint: would fix 1 problem\n"
    )
    assert code == 1


def test_a_file_changed_since_the_check_is_left_alone(tmp_path) -> None:
    from agentlint import fix as fixes

    result = finding_result(tmp_path, "x.yaml", "a: one\n", [Fix("f", (edit("x.yaml", 1, 4, 7, "uno"),))])
    (tmp_path / "x.yaml").write_text("a: once\n", encoding="utf-8")
    plan = fixes.plan(result, tmp_path, api.settings_for(["."], isolated=True, root=tmp_path))
    assert (plan.changes, plan.problems) == ((), ("x.yaml: not fixed: it changed since it was checked",))


def test_a_fix_that_does_not_remove_its_finding_is_applied_once(tmp_path) -> None:
    from agentlint import fix as fixes

    insert = Fix("insert", (edit("x.yaml", 1, 7, 7, "s"),))
    result = finding_result(tmp_path, "x.yaml", "a: one\n", [insert])
    calls = []

    def recheck(overlay):
        calls.append(1)
        return finding_result(tmp_path, "x.yaml", overlay["x.yaml"].decode(), [insert], on_disk=False)  # the same fix again

    outcome = fixes.apply(result, recheck, tmp_path, api.settings_for(["."], isolated=True, root=tmp_path))
    assert [(c.path, c.before, c.after) for c in outcome.changes] == [("x.yaml", "a: one\n", "a: ones\n")]
    assert (outcome.fixed, len(calls)) == (1, 1)
    assert outcome.problems == ("x.yaml: a fix did not remove its finding; stopped fixing",)
    assert (tmp_path / "x.yaml").read_text(encoding="utf-8") == "a: one\n"  # apply writes nothing


def test_splice_keeps_line_endings_and_counts_code_points() -> None:
    from agentlint.fix import EditError, splice

    text = "é: ünï\r\nb: 2\rc: 3\n"
    assert splice(text, [edit("f", 1, 4, 7, "x"), edit("f", 3, 4, 5, "4")]) == "é: x\r\nb: 2\rc: 4\n"
    assert splice(text, [edit("f", 4, 1, 1, "d: 5\n")]) == text + "d: 5\n"
    with pytest.raises(EditError):
        splice(text, [edit("f", 1, 4, 9, "x")])  # past the end of line 1
    with pytest.raises(EditError):
        splice(text, [edit("f", 1, 1, 3, "x"), edit("f", 1, 2, 4, "y")])


def test_stdin_cannot_be_fixed(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--fix", "--stdin-filename", "a.yaml", "-"]) == 2
    assert capsys.readouterr().err == "agentlint: error: --fix and --diff change files on disk, not stdin\n"


def test_no_fix_when_two_kinds_of_source_define_the_prompt(tmp_path) -> None:
    """The registry labels billing@2 production; a Langfuse export holds billing at staging only
    (a partial export may not show its production label): which one the agent reads is unknown."""
    staging = LANGFUSE_EXPORT.replace('"router"', '"billing"').replace('["production"]', '["staging"]')
    write(tmp_path, {"agents.yaml": GRAPH, "prompts.yaml": REGISTRY, "lf/billing.json": staging})
    assert al401(tmp_path) == [("agents.yaml", 7, "router@4"), ("agents.yaml", 10, None), ("agents.yaml", 11, None)]


def test_an_equal_fix_over_other_text_is_applied_in_the_next_pass(tmp_path) -> None:
    """Removing line 1 moves line 2 up: a fix removing line 1 again is a new fix, not a repeat."""
    from agentlint import fix as fixes

    remove_first = Fix("remove", (Edit("x.yaml", Span(Pos(1, 1), Pos(2, 1)), ""),))
    result = finding_result(tmp_path, "x.yaml", "# a\n# b\nc: 1\n", [remove_first])

    def recheck(overlay):
        text = overlay["x.yaml"].decode()
        return finding_result(tmp_path, "x.yaml", text, [remove_first] if text.startswith("#") else [], on_disk=False)

    outcome = fixes.apply(result, recheck, tmp_path, api.settings_for(["."], isolated=True, root=tmp_path))
    assert [c.after for c in outcome.changes] == ["c: 1\n"]
    assert (outcome.fixed, outcome.problems) == (2, ())


def test_a_fix_needs_the_registry_in_the_run(tmp_path, monkeypatch, capsys) -> None:
    """Checking agents.yaml alone, nothing says which version is in production: no fix. With
    --whole-project (the pre-commit hook) the registry is read and only agents.yaml is fixed."""
    write(tmp_path, {"agents.yaml": GRAPH, "prompts.yaml": REGISTRY, "agentlint.toml": ""})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "concise", "--select", "AL401", "--diff", "agents.yaml"]) == 0
    assert capsys.readouterr() == ("", "agentlint: no fixes available\n")
    assert main(["check", "--format", "concise", "--select", "AL401", "--whole-project", "--fix", "agents.yaml"]) == 1
    assert (tmp_path / "agents.yaml").read_text(encoding="utf-8") == FIXED_GRAPH
    assert "agentlint: Fixed 2 problems (1 remaining).\n" in capsys.readouterr().err
