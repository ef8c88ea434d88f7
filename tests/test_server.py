"""`agentlint server` end to end: a real LSP client (pytest-lsp) drives the server process over
stdio: live diagnostics at exact ranges, edits that clear them, hover, code actions applied and
re-checked, and a loop closed by another open buffer."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

pytest.importorskip("pytest_lsp")

import pytest_lsp  # noqa: E402
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="function")

HEADER = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"
NO_TIMEOUT = HEADER + "agents:\n  router:\n    role: router\n    retries: {max_attempts: 2}\n"
WITH_TIMEOUT = HEADER + "agents:\n  router:\n    role: router\n    timeout: 30s\n    retries: {max_attempts: 2}\n"
LIMITS = "timeout: 30s, retries: {max_attempts: 2}"


def project(root: Path) -> Path:
    (root / "pyproject.toml").write_text("[tool.agentlint]\n", encoding="utf-8")
    (root / "agents.yaml").write_text(NO_TIMEOUT, encoding="utf-8")
    return root


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "agentlint", "server"]),
)
async def client(lsp_client: LanguageClient, tmp_path: Path):
    root = project(tmp_path)
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="p")],
        initialization_options={"debounce_ms": 20},
    )

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        lsp_client.registered = [r.method for r in params.registrations]

    result = await lsp_client.initialize_session(params)
    lsp_client.root, lsp_client.server_capabilities = root, result.capabilities
    yield
    await lsp_client.shutdown_session()


async def diagnostics(client: LanguageClient, uri: str, want=None, timeout: float = 30.0) -> list[types.Diagnostic]:
    """The next diagnostics published for ``uri`` (the next satisfying ``want`` when given)."""
    before = client.diagnostics.get(uri)

    async def wait() -> list[types.Diagnostic]:
        while True:
            now = client.diagnostics.get(uri)
            if now is not before and (want is None or want(now)):
                return list(now)
            before_now = now
            while client.diagnostics.get(uri) is before_now:
                await asyncio.sleep(0.01)

    return await asyncio.wait_for(wait(), timeout)


def opened(client: LanguageClient, name: str, text: str, version: int = 1) -> str:
    uri = (client.root / name).as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=version, text=text)))
    return uri


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def located(found: list[types.Diagnostic]) -> list[tuple[str, int, int, int, int]]:
    return [(d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character) for d in found]


async def test_a_defect_is_reported_at_its_range_and_cleared_when_edited_away(client: LanguageClient) -> None:
    assert client.server_capabilities.hover_provider
    assert client.server_capabilities.position_encoding == types.PositionEncodingKind.Utf16
    uri = opened(client, "agents.yaml", NO_TIMEOUT)
    found = await diagnostics(client, uri)
    assert [d.code for d in found] == ["AL301"]
    only = found[0]
    assert (only.range.start.line, only.range.start.character) == (4, 2)  # `router` on line 5
    assert only.severity == types.DiagnosticSeverity.Error
    assert only.source == "agentlint"
    assert only.code_description.href == "https://agentlint.dev/rules/AL301.md"
    assert "has no timeout" in only.message
    replace_all(client, uri, WITH_TIMEOUT, 2)
    assert await diagnostics(client, uri) == []


async def test_the_unsaved_text_is_what_is_checked(client: LanguageClient) -> None:
    uri = opened(client, "agents.yaml", WITH_TIMEOUT)  # the file on disk has no timeout
    assert await diagnostics(client, uri) == []
    replace_all(client, uri, "# a comment line\n" + NO_TIMEOUT, 2)
    found = await diagnostics(client, uri, want=bool)
    assert [(d.code, d.range.start.line) for d in found] == [("AL301", 5)]


async def test_hover_on_a_finding_shows_its_rule_page(client: LanguageClient) -> None:
    uri = opened(client, "agents.yaml", NO_TIMEOUT)
    await diagnostics(client, uri, want=bool)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=4, character=4)))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("**AL301** (missing-timeout): agent 'router' has no timeout")
    assert "## Why is this bad?" in hover.contents.value
    elsewhere = await client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=1)))
    assert elsewhere is None


def apply(text: str, edits: list) -> str:
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        new = getattr(edit, "new_text", None)
        new = new if new is not None else edit.snippet.value
        start, end = edit.range.start, edit.range.end
        head = "\n".join(lines[: start.line] + [lines[start.line][: start.character]])
        tail = "\n".join([lines[end.line][end.character :]] + lines[end.line + 1 :])
        lines = (head + new + tail).split("\n")
    return "\n".join(lines)


async def code_actions(client: LanguageClient, uri: str, line: int) -> list[types.CodeAction]:
    where = types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0))
    params = types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=uri), range=where, context=types.CodeActionContext(diagnostics=[]))
    return await client.text_document_code_action_async(params)


def edits_of(action: types.CodeAction, uri: str) -> list:
    if action.edit.document_changes:
        return [e for change in action.edit.document_changes if change.text_document.uri == uri for e in change.edits]
    return list(action.edit.changes[uri])


async def test_suppress_action_applied_and_rechecked(client: LanguageClient) -> None:
    uri = opened(client, "agents.yaml", NO_TIMEOUT)
    await diagnostics(client, uri, want=bool)
    actions = await code_actions(client, uri, 4)
    titles = [a.title for a in actions]
    assert titles == ["Add 'timeout' to this entry", "Suppress AL301 on this line"]
    suppress = actions[1]
    assert suppress.kind == types.CodeActionKind.QuickFix
    assert [d.code for d in suppress.diagnostics] == ["AL301"]
    edited = apply(NO_TIMEOUT, edits_of(suppress, uri))
    assert edited.splitlines()[4] == "  # agentlint: ignore[AL301] reason"
    replace_all(client, uri, edited, 2)
    found = await diagnostics(client, uri)
    assert found == []


async def test_missing_key_action_inserts_the_key_with_a_placeholder(client: LanguageClient) -> None:
    uri = opened(client, "agents.yaml", NO_TIMEOUT)
    await diagnostics(client, uri, want=bool)
    action = (await code_actions(client, uri, 4))[0]
    edits = edits_of(action, uri)
    assert [(e.range.start.line, e.range.start.character) for e in edits] == [(5, 0)]
    edited = apply(NO_TIMEOUT, edits)
    assert edited.splitlines()[5] == "    timeout: 30s"
    replace_all(client, uri, edited, 2)
    assert await diagnostics(client, uri) == []


async def test_a_loop_closed_by_another_open_buffer(client: LanguageClient) -> None:
    a = HEADER.replace("desk", "loop") + f"agents:\n  writer: {{role: writer, {LIMITS}}}\nedges:\n  - {{from: writer, to: critic}}\n"
    b = HEADER.replace("desk", "loop") + f"agents:\n  critic: {{role: critic, {LIMITS}}}\n"
    (client.root / "agents.yaml").unlink()
    first = opened(client, "a.yaml", a)
    second = opened(client, "b.yaml", b)
    await diagnostics(client, second)
    closing = b + "edges:\n  - {from: critic, to: writer}\n"
    replace_all(client, second, closing, 2)
    found = await diagnostics(client, first, want=lambda d: any(x.code == "AL101" for x in d))
    loop = [d for d in found if d.code == "AL101"]
    assert [(d.range.start.line, d.range.start.character) for d in loop] == [(6, 4)]
    assert {r.location.uri for r in loop[0].related_information or []} >= {second}
    replace_all(client, second, b, 3)  # the closing edge removed again
    assert [d.code for d in await diagnostics(client, first)] == ["AL109"]  # no entry agent: not about the loop


async def test_a_config_error_is_one_diagnostic_on_the_config_file(client: LanguageClient) -> None:
    uri = opened(client, "agents.yaml", NO_TIMEOUT)
    await diagnostics(client, uri, want=bool)
    config = client.root / "pyproject.toml"
    config.write_text("[tool.agentlint]\nselect = [\"NOPE\"]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    found = await diagnostics(client, config.as_uri())
    assert [(d.code, d.range.start.line) for d in found] == [("config", 1)]
    assert "unknown rule selector 'NOPE'" in found[0].message


PYTHON = '''from agents import Agent, Runner

billing = Agent(name="billing", instructions="Refunds and invoices.")
triage = Agent(name="triage", instructions="Route the customer.", handoffs=[billing])
billing.handoffs.append(triage)  # handed back after construction: a cycle

result = Runner.run_sync(triage, "Where is my refund?", max_turns={turns})
'''


async def test_python_code_is_checked_as_typed(client: LanguageClient) -> None:
    (client.root / "agents.yaml").unlink()
    uri = opened(client, "main.py", PYTHON.format(turns="None"))
    found = await diagnostics(client, uri, want=bool)
    assert [(d.code, d.range.start.line) for d in found] == [("AL310", 3), ("AL102", 3)]
    actions = await code_actions(client, uri, 3)
    assert [a.title for a in actions] == ["Suppress AL310 on this line", "Suppress AL102 on this line"]
    edited = apply(PYTHON.format(turns="None"), edits_of(actions[1], uri))
    assert edited.splitlines()[3] == "# agentlint: ignore[AL102] reason"
    replace_all(client, uri, PYTHON.format(turns="10"), 2)
    assert await diagnostics(client, uri) == []
