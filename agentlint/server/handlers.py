"""The LSP messages the server answers: document sync, watched config files, hover, code
actions."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from agentlint.server.actions import Action, actions_for
from agentlint.server.app import AgentlintServer
from agentlint.server.convert import Lines, diagnostic, path_to_uri, uri_to_path

WATCHED = ("**/agentlint.toml", "**/pyproject.toml")


def register(server: AgentlintServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: AgentlintServer, params: types.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        if options.get("scope") in ("open", "workspace"):
            ls.scope = options["scope"]
        if isinstance(options.get("debounce_ms"), (int, float)) and 0 <= options["debounce_ms"] <= 5000:
            ls.debounce = options["debounce_ms"] / 1000
        if options.get("cache") is False:
            ls.cache = False
        from agentlint.server.state import Workspace

        folders = [f.uri for f in params.workspace_folders or []] or ([params.root_uri] if params.root_uri else [])
        for uri in folders:
            root = uri_to_path(uri)
            if root is not None and root.is_dir():
                ls.folders[root.resolve()] = Workspace(root.resolve(), cache=ls.cache)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: AgentlintServer, params: types.InitializedParams) -> None:
        dynamic = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if dynamic and dynamic.dynamic_registration:
            watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED]
            registration = types.Registration(
                id="agentlint-config",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
            except Exception:  # the client refused: saving a config file still reloads it
                pass

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AgentlintServer, params: types.DidOpenTextDocumentParams) -> None:
        _changed(ls, params.text_document.uri, 0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AgentlintServer, params: types.DidChangeTextDocumentParams) -> None:
        _changed(ls, params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: AgentlintServer, params: types.DidSaveTextDocumentParams) -> None:
        file = uri_to_path(params.text_document.uri)
        if file is None:
            return
        workspace = ls.folder_for(file)
        workspace.saved(file)
        _changed(ls, params.text_document.uri, 0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AgentlintServer, params: types.DidCloseTextDocumentParams) -> None:
        file = uri_to_path(params.text_document.uri)
        if file is None:
            return
        workspace = ls.folder_for(file)
        workspace.drop(file)
        if ls.scope == "open":
            ls.clear(params.text_document.uri)
        ls.schedule(workspace, ls.debounce, workspace.path_of(file))  # its edits may have mattered elsewhere

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: AgentlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        touched = {}
        for change in params.changes:
            file = uri_to_path(change.uri)
            if file is None:
                continue
            workspace = ls.folder_for(file)
            workspace.saved(file)
            touched[workspace.root] = (workspace, workspace.path_of(file))
        for workspace, path in touched.values():
            ls.schedule(workspace, 0.0, path)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: AgentlintServer, params: types.HoverParams) -> types.Hover | None:
        found = ls.findings_at(params.text_document.uri, types.Range(start=params.position, end=params.position))
        if found is None or not found[2]:
            return None
        from agentlint.docs import rule_page
        from agentlint.registry import all_rules

        rules = all_rules()
        pages, seen = [], set()
        for finding in found[2]:
            if finding.code in seen:
                continue
            seen.add(finding.code)
            rule = rules.get(finding.code)
            head = f"**{finding.code}** ({finding.name}): {finding.message}"
            pages.append(head + ("\n\n" + rule_page(rule) if rule is not None else ""))
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(pages)))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=False),
    )
    def code_action(ls: AgentlintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        found = ls.findings_at(params.text_document.uri, params.range, lines_only=True)
        if found is None:
            return None
        workspace, path, findings, lines = found
        buffer = workspace.buffers[path]
        out = []
        for finding in findings:
            diag = diagnostic(finding, lines, lambda p: buffer.uri if p == path else path_to_uri(workspace.root / p), lambda p: None)
            for action in actions_for(finding, buffer.text, workspace.settings):
                out.append(_code_action(ls, workspace, action, diag))
        return out

    def _changed(ls: AgentlintServer, uri: str, delay: float) -> None:
        file = uri_to_path(uri)
        if file is None:
            return  # untitled buffers have no place in a project
        document = ls.workspace.get_text_document(uri)
        workspace = ls.folder_for(file)
        workspace.put(uri, file, document.version, document.source)
        ls.schedule(workspace, delay, workspace.path_of(file))


def _code_action(ls: AgentlintServer, workspace, action: Action, diag: types.Diagnostic) -> types.CodeAction:
    edit_caps = ls.client_capabilities.workspace and ls.client_capabilities.workspace.workspace_edit
    snippets = bool(edit_caps and edit_caps.snippet_edit_support)
    versioned = bool(edit_caps and edit_caps.document_changes)
    changes = []
    plain: dict[str, list[types.TextEdit]] = {}
    for path, edits in sorted(action.edits.items()):
        buffer = workspace.buffers.get(path)
        uri = buffer.uri if buffer is not None else path_to_uri(workspace.root / path)
        text = buffer.text if buffer is not None else Path(workspace.root / path).read_text(encoding="utf-8", errors="replace")
        lines = Lines(text, ls.encoding())
        converted: list = []
        for edit in edits:
            where = lines.range(edit.span)
            if snippets and edit.snippet is not None:
                converted.append(types.SnippetTextEdit(range=where, snippet=types.StringValue(value=edit.snippet)))
            else:
                converted.append(types.TextEdit(range=where, new_text=edit.text))
        plain[uri] = [e for e in converted if isinstance(e, types.TextEdit)]
        version = buffer.version if buffer is not None else None
        changes.append(types.TextDocumentEdit(text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=converted))
    edit = types.WorkspaceEdit(document_changes=changes) if versioned or snippets else types.WorkspaceEdit(changes=plain)
    return types.CodeAction(title=action.title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag], edit=edit, is_preferred=action.preferred or None)
