"""The language server's parts in-process: spans in each position encoding, code actions
(safe fix, suppression refused where it would be text), a crashed check as one diagnostic, a
check cancelled by a newer buffer."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from agentlint import api, engine  # noqa: E402
from agentlint.findings import Finding, Location, Severity  # noqa: E402
from agentlint.model.source import Pos, Span  # noqa: E402
from agentlint.server.actions import actions_for, apply_edits  # noqa: E402
from agentlint.server.convert import Lines, diagnostic  # noqa: E402
from agentlint.server.state import Cancelled, Workspace  # noqa: E402

HEADER = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"
NO_TIMEOUT = HEADER + "agents:\n  router:\n    role: router\n    retries: {max_attempts: 2}\n"


@pytest.mark.parametrize(
    ("encoding", "start", "end"),
    [
        (types.PositionEncodingKind.Utf16, 4, 6),  # 🤖 is two UTF-16 code units
        (types.PositionEncodingKind.Utf8, 7, 9),  # é two bytes, 🤖 four
        (types.PositionEncodingKind.Utf32, 3, 5),  # code points, as spans count
    ],
)
def test_columns_in_each_position_encoding(encoding: str, start: int, end: int) -> None:
    lines = Lines("first\r\né🤖 ab\n", encoding)
    span = Span(Pos(2, 4), Pos(2, 6))  # "ab"
    assert lines.range(span) == types.Range(start=types.Position(line=1, character=start), end=types.Position(line=1, character=end))
    assert lines.column(types.Position(line=1, character=start)) == Pos(2, 4)


def test_a_line_past_the_end_is_the_end() -> None:
    assert Lines("a\n", None).position(Pos(9, 1)) == types.Position(line=2, character=0)


def finding(code: str, path: str, line: int, column: int = 1, **kwargs) -> Finding:
    return Finding(code, "n", Severity.WARNING, "m", Location(path, Span(Pos(line, column), Pos(line, column + 3))), "fp", **kwargs)


def test_unused_suppression_is_tagged_unnecessary_and_related_locations_kept() -> None:
    lines = Lines("# agentlint: ignore[AL101] old\nx: 1\n", None)
    related = (Location("b.yaml", Span(Pos(2, 3), Pos(2, 5)), "the other end"),)
    diag = diagnostic(finding("AL903", "a.yaml", 1, related=related), lines, lambda p: f"file:///r/{p}", lambda p: Lines("a\nbcdef\n", None))
    assert diag.tags == [types.DiagnosticTag.Unnecessary]
    assert diag.code_description.href == "https://agentlint.dev/rules/AL903.md"
    info = diag.related_information[0]
    assert (info.location.uri, info.location.range.start.line, info.location.range.start.character, info.message) == ("file:///r/b.yaml", 1, 2, "the other end")


def test_the_safe_fix_is_the_preferred_quick_fix(tmp_path: Path) -> None:
    graph = HEADER + "agents:\n  router:\n    role: router\n    prompt: router:latest\n"
    registry = "apiVersion: agentlint/v1\nkind: PromptRegistry\nmetadata: {name: p}\nprompts:\n  router:\n    labels: {production: 4}\n    versions:\n      - {version: 4, text: Route.}\n"
    (tmp_path / "agents.yaml").write_text(graph, encoding="utf-8")
    (tmp_path / "prompts.yaml").write_text(registry, encoding="utf-8")
    settings = api.settings_for(["."], isolated=True, root=tmp_path)
    found = [f for f in api.check(["."], settings, root=tmp_path).findings if f.code == "AL401"]
    assert [(f.path, f.line) for f in found] == [("agents.yaml", 7)]
    actions = actions_for(found[0], graph, settings)
    assert actions[0].preferred and actions[0].title.startswith("AL401: ")
    assert apply_edits(graph, list(actions[0].edits["agents.yaml"])).endswith("    prompt: router@4\n")
    assert actions[-1].title == "Suppress AL401 on this line"


def test_no_suppression_inside_a_block_scalar() -> None:
    text = "prompt: |\n  line one\n  secret here\n"
    settings = api.settings_for(["."], isolated=True, root=Path("."))
    inside = finding("AL101", "p.yaml", 3, 3)
    assert actions_for(inside, text, settings) == []  # a '#' line there would be prompt text
    assert [a.title for a in actions_for(finding("AL101", "p.yaml", 1, 1), text, settings)] == ["Suppress AL101 on this line"]


def test_suppression_in_python_goes_above_a_line_that_has_a_comment() -> None:
    text = "from crewai import Agent\nagent = Agent(role='r')  # the writer\n"
    settings = api.settings_for(["."], isolated=True, root=Path("."))
    actions = actions_for(finding("AL301", "crew.py", 2, 1), text, settings)
    assert [a.title for a in actions] == ["Suppress AL301 on this line"]
    assert apply_edits(text, list(actions[0].edits["crew.py"])).splitlines()[1] == "# agentlint: ignore[AL301] reason"


def workspace(tmp_path: Path) -> Workspace:
    (tmp_path / "pyproject.toml").write_text("[tool.agentlint]\n", encoding="utf-8")
    space = Workspace(tmp_path)
    space.put((tmp_path / "agents.yaml").as_uri(), tmp_path / "agents.yaml", 1, NO_TIMEOUT)
    return space


def test_a_newer_buffer_cancels_a_check_still_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    space = workspace(tmp_path)
    original = engine._process

    def typing_meanwhile(run, candidate):
        space.put((tmp_path / "agents.yaml").as_uri(), tmp_path / "agents.yaml", 2, NO_TIMEOUT + "# more\n")
        original(run, candidate)

    monkeypatch.setattr(engine, "_process", typing_meanwhile)
    with pytest.raises(Cancelled):
        space.check()
    monkeypatch.setattr(engine, "_process", original)
    assert [(f.code, f.line) for f in space.check().findings["agents.yaml"]] == [("AL301", 5)]


def test_a_crashed_check_is_one_diagnostic_and_the_server_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agentlint.server.app import build

    server = build()
    sent: list[types.PublishDiagnosticsParams] = []
    monkeypatch.setattr(server, "text_document_publish_diagnostics", sent.append)
    monkeypatch.setattr(server, "encoding", lambda: None)
    space = workspace(tmp_path)
    server.folders[tmp_path] = space
    monkeypatch.setattr(space, "check", lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    asyncio.run(server._check_later(space, 0.0, "agents.yaml"))
    assert [(p.uri, [(d.code, d.range.start.line) for d in p.diagnostics]) for p in sent] == [((tmp_path / "agents.yaml").as_uri(), [("AL901", 0)])]
    assert "RuntimeError: boom" in sent[0].diagnostics[0].message
    monkeypatch.undo()
    monkeypatch.setattr(server, "text_document_publish_diagnostics", sent.append)
    monkeypatch.setattr(server, "encoding", lambda: None)
    asyncio.run(server._check_later(space, 0.0, "agents.yaml"))
    assert [d.code for d in sent[-1].diagnostics] == ["AL301"]


def test_a_file_outside_every_folder_is_checked_alone(tmp_path: Path) -> None:
    from agentlint.server.app import build

    server = build()
    inside, outside = tmp_path / "project", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    (outside / "other.yaml").write_text(NO_TIMEOUT.replace("desk", "other"), encoding="utf-8")  # not open: not checked
    server.folders[inside] = Workspace(inside)
    space = server.folder_for(outside / "agents.yaml")
    assert (space.root, space.lone) == (outside, True)
    assert server.folder_for(inside / "a" / "b.yaml") is server.folders[inside]
    space.put((outside / "agents.yaml").as_uri(), outside / "agents.yaml", 1, NO_TIMEOUT)
    assert {path: [f.code for f in found] for path, found in space.check().findings.items()} == {"agents.yaml": ["AL301"]}


@pytest.mark.parametrize(("scope", "published"), [("open", ["agents.yaml"]), ("workspace", ["agents.yaml", "other.yaml"])])
def test_scope_open_or_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scope: str, published: list[str]) -> None:
    from agentlint.server.app import build

    server = build()
    server.scope = scope
    sent: list[types.PublishDiagnosticsParams] = []
    monkeypatch.setattr(server, "text_document_publish_diagnostics", sent.append)
    monkeypatch.setattr(server, "encoding", lambda: None)
    (tmp_path / "other.yaml").write_text(NO_TIMEOUT.replace("desk", "other"), encoding="utf-8")
    space = workspace(tmp_path)
    server.folders[tmp_path] = space
    asyncio.run(server._check_later(space, 0.0, "agents.yaml"))
    assert sorted((p.uri.rsplit("/", 1)[-1], [d.code for d in p.diagnostics]) for p in sent) == [(name, ["AL301"]) for name in published]


def test_snippet_placeholder_where_the_client_takes_snippet_edits(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from agentlint.server.handlers import _code_action

    space = workspace(tmp_path)
    found = space.check().findings["agents.yaml"]
    suppress = actions_for(found[0], NO_TIMEOUT, space.settings)[-1]
    diag = diagnostic(found[0], Lines(NO_TIMEOUT, None), lambda p: p, lambda p: None)

    def client(snippets: bool):
        edit = types.WorkspaceEditClientCapabilities(document_changes=True, snippet_edit_support=snippets)
        caps = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(workspace_edit=edit))
        return SimpleNamespace(client_capabilities=caps, encoding=lambda: None)

    with_snippets = _code_action(client(True), space, suppress, diag).edit.document_changes[0]
    assert (with_snippets.text_document.version, [e.snippet.value for e in with_snippets.edits]) == (1, ["  # agentlint: ignore[AL301] ${1:reason}\n"])
    plain = _code_action(client(False), space, suppress, diag).edit.document_changes[0]
    assert [e.new_text for e in plain.edits] == ["  # agentlint: ignore[AL301] reason\n"]
