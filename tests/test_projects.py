"""End-to-end scenarios: each folder of tests/projects/ is a project; its ``expected`` file
lists ``CODE path:line`` for every finding (run with every rule selected)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint import api
from agentlint.config import CliOverrides
from tests.conftest import CORPUS, REPO

PROJECTS = sorted(p for p in (REPO / "tests" / "projects").iterdir() if p.is_dir())


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_project(project: Path) -> None:
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=project)
    result = api.check(["."], settings, root=project)
    assert not result.internal_error
    found = sorted(f"{f.code} {f.path}:{f.line}" for f in result.findings)
    expected = sorted(line.strip() for line in (project / "expected").read_text().splitlines() if line.strip())
    assert found == expected


def test_crlf_bom_columns_are_code_points() -> None:
    project = REPO / "tests" / "projects" / "crlf-bom"
    settings = api.settings_for(["."], CliOverrides(select=("AL301",)), isolated=True, root=project)
    (finding,) = api.check(["."], settings, root=project).findings
    assert (finding.line, finding.column, finding.location.span.end.column) == (6, 3, 11)
    assert "écrivain" in finding.message


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_sweep_never_crashes() -> None:
    """Every real file of the corpus goes through discovery and the loaders without a crash.
    None of them is in agentlint's neutral format, so nothing may be reported yet."""
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=CORPUS)
    result = api.check(["."], settings, root=CORPUS)
    assert not result.internal_error
    assert [(f.code, f.path) for f in result.findings] == []
    on_disk = [p for p in CORPUS.rglob("*") if p.suffix.lower() in {".yaml", ".yml", ".json", ".jsonc"}]
    assert result.files_checked + result.files_skipped == len(on_disk)
