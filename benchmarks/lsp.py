"""Language server latency: from a didChange of a 200-line agents file in a 1,000-file project
to the publishDiagnostics that answers it (``agentlint server`` over stdio, driven by pygls's
client). Numbers, not pass/fail.

    python benchmarks/lsp.py                        # 1,000 files, 20 edits
    python benchmarks/lsp.py --files 200 --edits 10 --keep /tmp/lsp-bench

The project is generated once (benchmarks/generate.py), the server loads it on the first
didOpen (the "cold" row) and keeps it; each edit then alternates between removing and
restoring the ``timeout`` of one agent, so every edit changes the diagnostics (an AL301 appears
or goes) and the publish that carries the expected state is the one timed: the server's quick
answer (agentlint/server/fast.py). The debounce (``--debounce-ms``, default 150 as in the
server) is included in the raw time and subtracted in the "after debounce" rows. The whole-
project check that follows each quick answer is timed in-process (``whole_project_check``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

HERE = Path(__file__).resolve().parent
AGENTS = 24  # 24 agents x 8 lines + header = 200 lines


def agents_file() -> str:
    lines = [
        "apiVersion: agentlint/v1",
        "kind: AgentGraph",
        "metadata: {name: editor-bench}",
        "entry: agent0",
        f"terminals: [agent{AGENTS - 1}]",
        "agents:",
    ]
    for index in range(AGENTS):
        lines += [
            f"  agent{index}:",
            f"    role: step {index} of the pipeline",
            "    model: gpt-4o-2024-08-06",
            f"    prompt: step{index}@3",
            "    timeout: 30s",
            "    retries: {max_attempts: 2}",
            "    max_iterations: 5",
            f"    description: stage {index}",
        ]
    lines.append("edges:")
    lines += [f"  - {{from: agent{i}, to: agent{i + 1}, kind: sequence}}" for i in range(AGENTS - 1)]
    return "\n".join(lines[:200]) + "\n"


async def measure(root: Path, edits: int, debounce_ms: int) -> dict:
    target = root / "editor" / "agents.yaml"
    target.parent.mkdir(exist_ok=True)
    text = agents_file()
    target.write_text(text, encoding="utf-8")
    uri = target.as_uri()
    published: dict[str, list] = {}
    arrived = asyncio.Event()
    client = LanguageClient("agentlint-bench", "1")

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        published[params.uri] = params.diagnostics
        arrived.set()

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params: types.RegistrationParams) -> None:
        return None

    await client.start_io(sys.executable, "-m", "agentlint", "server")
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=root.as_uri(),
            initialization_options={"debounce_ms": debounce_ms},
        )
    )
    client.initialized(types.InitializedParams())

    async def until(done) -> float:
        start = time.perf_counter()
        while not (uri in published and done(published[uri])):
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), 600)
        return time.perf_counter() - start

    start = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)))
    await until(lambda d: True)
    cold = time.perf_counter() - start
    timings = []
    line = 10  # "    timeout: 30s" of agent0 (0-based)
    assert text.splitlines()[line] == "    timeout: 30s"
    for version in range(2, edits + 2):
        removing = version % 2 == 0
        where = types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line + 1 if removing else line, character=0))
        change = types.TextDocumentContentChangePartial(range=where, text="" if removing else "    timeout: 30s\n")
        published.pop(uri, None)
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]))
        await until(lambda d, removing=removing: any(x.code == "AL301" for x in d) == removing)
        timings.append(time.perf_counter() - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    raw = [t * 1000 for t in timings]
    whole = whole_checks(root, target, text, 5)
    return {
        "files": sum(1 for p in root.rglob("*") if p.is_file()),
        "edits": edits,
        "debounce_ms": debounce_ms,
        "cold_open_ms": round(cold * 1000, 1),
        "edit_median_ms": round(statistics.median(raw), 1),
        "edit_p90_ms": round(sorted(raw)[int(0.9 * (len(raw) - 1))], 1),
        "edit_max_ms": round(max(raw), 1),
        "after_debounce_median_ms": round(statistics.median(raw) - debounce_ms, 1),
        "after_debounce_p90_ms": round(sorted(raw)[int(0.9 * (len(raw) - 1))] - debounce_ms, 1),
        "whole_project_check_median_ms": round(statistics.median(whole), 1),
    }


def whole_checks(root: Path, target: Path, text: str, count: int) -> list[float]:
    """The whole-project check that follows each quick answer (in-process, files kept between
    checks, the edited buffer changed each time): what corrects the quick answer elsewhere."""
    from agentlint.server.state import Workspace

    workspace = Workspace(root)
    workspace.put(target.as_uri(), target, 1, text)
    workspace.check()
    out = []
    for version in range(count):
        workspace.put(target.as_uri(), target, version + 2, text + f"# edit {version}\n")
        start = time.perf_counter()
        workspace.check()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--debounce-ms", type=int, default=150)
    parser.add_argument("--keep", type=Path, help="generate the project here (kept) instead of a temporary folder")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = (args.keep or Path(scratch) / "project").resolve()
        if not (root / "pyproject.toml").exists():
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(root), "--files", str(args.files)], check=True, stdout=subprocess.DEVNULL)
        numbers = asyncio.run(measure(root, args.edits, args.debounce_ms))
    print(json.dumps(numbers, indent=2))
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
