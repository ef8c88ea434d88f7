"""``agentlint server``: the language server (pygls on lsprotocol, over stdio).

Buffers are checked as part of their workspace folder (open buffers laid over the files on
disk), off the event loop, ``debounce`` seconds after the last change: first the quick answer
for the edited file (``fast``, in its own worker), then, one more debounce later if no newer
change came, the whole-project check (in another worker), whose findings replace everything
published. A newer buffer version cancels a check still reading files and obsoletes one
already judging; a check that raises is one AL901 diagnostic, and the server goes on.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from agentlint import __version__
from agentlint.findings import Finding
from agentlint.model.source import Pos
from agentlint.server.convert import Lines, diagnostic, path_to_uri, uri_to_path
from agentlint.server.state import Cancelled, Checked, Workspace, _read

log = logging.getLogger(__name__)
DEBOUNCE = 0.15


class AgentlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("agentlint", __version__)
        self.folders: dict[Path, Workspace] = {}
        self.lone: dict[Path, Workspace] = {}  # by folder, for files outside every workspace folder
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agentlint-check")
        # quick answers do not queue behind a whole-project check made stale by the edit
        self.quick_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agentlint-quick")
        self.pending: dict[Path, asyncio.Future] = {}
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.by_folder: dict[Path, set[str]] = {}
        self.scope = "open"  # publish for open buffers; "workspace": for every file with findings
        self.debounce = DEBOUNCE
        self.cache = True  # the project's .agentlint_cache on a miss of the kept results (--no-cache, init option)
        self.focus: dict[Path, str] = {}  # the buffer whose change started the latest check

    # -- folders ------------------------------------------------------------------------------

    def folder_for(self, file: Path) -> Workspace:
        best = None
        for root, workspace in self.folders.items():
            if workspace.contains(file) and (best is None or len(root.parts) > len(best.root.parts)):
                best = workspace
        if best is not None:
            return best
        root = file.parent  # a file outside every workspace folder: checked alone, with its config
        lone = self.lone.get(root)
        if lone is None:
            lone = self.lone[root] = Workspace(root, lone=True)
        return lone

    def encoding(self) -> str | None:
        return self.workspace.position_encoding

    # -- checks -------------------------------------------------------------------------------

    def schedule(self, workspace: Workspace, delay: float, path: str) -> None:
        self.focus[workspace.root] = path
        previous = self.pending.get(workspace.root)
        if previous is not None and not previous.done():
            previous.cancel()
        self.pending[workspace.root] = asyncio.ensure_future(self._check_later(workspace, delay, path))

    async def _check_later(self, workspace: Workspace, delay: float, path: str) -> None:
        if delay:
            await asyncio.sleep(delay)
        loop = asyncio.get_running_loop()
        if path in workspace.buffers:
            quick = await loop.run_in_executor(self.quick_executor, workspace.quick, path)
            if quick is not None and quick.generation == workspace.generation:
                self.publish(workspace, quick)
                await asyncio.sleep(self.debounce)  # still typing: this task is cancelled before the long check
        try:
            checked = await loop.run_in_executor(self.executor, workspace.check)
        except Cancelled:
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a crash is one diagnostic, never a dead server
            log.exception("check failed")
            checked = workspace.crashed(exc, path)
        if checked.generation != workspace.generation:
            return  # a newer version arrived: its own check is scheduled
        self.publish(workspace, checked)

    def publish(self, workspace: Workspace, checked: Checked) -> None:
        encoding = self.encoding()
        texts = dict(checked.texts)

        def lines_of(path: str) -> Lines:
            if path not in texts:
                buffer = workspace.buffers.get(path)
                texts[path] = buffer.text if buffer is not None else _read(workspace.root / path)
            return Lines(texts[path], encoding)

        def uri_of(path: str) -> str:
            buffer = workspace.buffers.get(path)
            return buffer.uri if buffer is not None else path_to_uri(workspace.root / path)

        wanted: dict[str, list[types.Diagnostic]] = {}
        if checked.partial is not None:  # a quick answer: that file only
            uri = uri_of(checked.partial)
            diagnostics = [diagnostic(f, lines_of(checked.partial), uri_of, lines_of) for f in checked.findings[checked.partial]]
            if self.published.get(uri) != diagnostics:
                self.published[uri] = diagnostics
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
            return
        for path, findings in checked.findings.items():
            if path == ".":  # about the whole project (a rule crashed): shown where the user is
                path = self.focus.get(workspace.root, ".")
            config = path.rsplit("/", 1)[-1] in ("agentlint.toml", "pyproject.toml") and findings[0].code == "config"
            if self.scope == "open" and path not in workspace.buffers and not config:
                continue
            lines = lines_of(path)
            wanted.setdefault(uri_of(path), []).extend(diagnostic(f, lines, uri_of, lines_of) for f in findings)
        for path, buffer in workspace.buffers.items():
            wanted.setdefault(buffer.uri, [])
        before = self.by_folder.get(workspace.root, set())
        for uri in sorted(before | set(wanted)):
            diagnostics = wanted.get(uri, [])
            if uri in self.published and self.published[uri] == diagnostics:
                continue
            if not diagnostics and uri not in self.published and uri not in {b.uri for b in workspace.buffers.values()}:
                continue
            self.published[uri] = diagnostics
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
        self.by_folder[workspace.root] = {uri for uri, found in wanted.items() if found}

    def clear(self, uri: str) -> None:
        if self.published.get(uri):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self.published.pop(uri, None)

    # -- what a request is about ----------------------------------------------------------------

    def findings_at(self, uri: str, selection: types.Range, lines_only: bool = False) -> tuple[Workspace, str, list[Finding], Lines] | None:
        """The findings of the latest check located on the selection, if that check saw the
        buffer as it is now (else its spans may point elsewhere)."""
        file = uri_to_path(uri)
        if file is None:
            return None
        workspace = self.folder_for(file)
        path = workspace.path_of(file)
        buffer = workspace.buffers.get(path)
        last = workspace.last
        if buffer is None or last.texts.get(path) != buffer.text:
            return None
        lines = Lines(buffer.text, self.encoding())
        start, end = lines.column(selection.start), lines.column(selection.end)
        hits = [f for f in last.findings.get(path, []) if _overlaps(f, start, end, lines_only)]
        return workspace, path, hits, lines


def _overlaps(finding: Finding, start: Pos, end: Pos, lines_only: bool) -> bool:
    """Whether the finding is under the selection; with ``lines_only`` (code actions, asked for
    a cursor anywhere on a line), whether it starts on one of the selected lines."""
    span = finding.location.span
    if lines_only:
        return start.line <= span.start.line <= end.line
    if span.start == span.end:  # a point: its line
        return start.line <= span.start.line <= end.line
    return span.start <= end and start <= span.end


def build(cache: bool = True) -> AgentlintServer:
    from agentlint.server import handlers

    server = AgentlintServer()
    server.cache = cache
    handlers.register(server)
    return server
