"""Helpers shared by the test modules: writing a project, running the engine on it, and laying
out the shared corpus at its real paths."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from hypothesis import strategies as st

from agentlint import api
from agentlint.config import CliOverrides
from agentlint.findings import FileStatus, RunResult
from tests.conftest import CORPUS


def project_findings(
    root: Path, files: dict[str, str], families: Iterable[str] | None = None, unread: Iterable[str] = ()
) -> list[tuple[str, str, int, int]]:
    """Write ``files`` under ``root``, check it with every rule, and return the sorted
    (code, path, line, column) of the findings, only those of ``families`` (code prefixes such
    as "AL1") when given."""
    result = project_result(root, files)
    wanted = tuple(families) if families is not None else None
    found = sorted(
        (f.code, f.path, f.line, f.column) for f in result.findings if wanted is None or f.code.startswith(wanted)
    )
    if not found:  # "no findings" must mean the files were judged, not that none was read
        assert_read(result, set(files) - set(unread))
    return found


def assert_read(result: RunResult, files: Iterable[str]) -> None:
    """Every one of ``files`` was read by some adapter (a .py the prefilter skips is read only
    for its constants, when a module that was read imports it: it is not required here)."""
    status = {record.path: record for record in result.files}
    unread = {
        path: status[path].describe() if path in status else "not considered"
        for path in files
        if (path not in status or status[path].status is not FileStatus.READ)
        and not (path.endswith(".py") and path in status and status[path].status is FileStatus.NO_LIBRARY)
    }
    assert not unread, f"no findings, but these files were not read: {unread}"


def project_result(root: Path, files: dict[str, str]) -> RunResult:
    """Write ``files`` under ``root`` and check it with every rule (no internal error allowed)."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=root)
    result = api.check(["."], settings, root=root)
    assert not result.internal_error
    return result


def materialize_corpus(target: Path, category: str | None = None) -> None:
    """The corpus (or one category of it) with each file at its real path, under
    ``target/<category>/<repo>/<path>`` (MANIFEST.tsv): adapters recognise files by path, and the
    corpus stores them flattened as owner__repo__path."""
    for line in (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 3 or (category is not None and parts[0] != category):
            continue
        kind, repo, path = parts[:3]
        flat = CORPUS / kind / (repo.replace("/", "__") + "__" + path.replace("/", "__"))
        if not flat.is_file():  # paths with spaces or non-ASCII were saved with "_" (MANIFEST notes)
            flat = flat.with_name(re.sub(r"[^A-Za-z0-9._-]", "_", flat.name))
        if flat.is_file():
            destination = target / kind / repo / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(flat, destination)


def mutated_source(data, lines: list[str], noise: tuple[str, ...]) -> str:
    """Python source made from ``lines`` by up to six random edits drawn from hypothesis
    ``data`` (drop, duplicate or cut a line, or append one of ``noise``): for no-crash tests
    of code adapters on almost-real modules."""
    lines = list(lines)
    for _ in range(data.draw(st.integers(0, 6))):
        if not lines:
            break
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "cut", "noise"]))
        if action == "drop":
            del lines[index]
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "cut":
            lines[index] = lines[index][: data.draw(st.integers(0, max(0, len(lines[index]))))]
        else:
            lines[index] += data.draw(st.sampled_from(noise))
    return "\n".join(lines) + "\n"
