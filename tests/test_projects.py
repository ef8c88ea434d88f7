"""End-to-end scenarios: each folder of tests/projects/ is a project; its ``expected`` file
lists ``CODE path:line`` for every finding (run with every rule selected)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint import api
from agentlint.config import CliOverrides
from tests.conftest import CORPUS, REPO
from tests.helpers import materialize_corpus

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


GOLDEN = REPO / "tests" / "golden" / "corpus-findings.txt"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_findings_are_pinned(tmp_path: Path) -> None:
    """Every real corpus file through the whole engine, at its real path: no crash, and exactly
    the findings reviewed and pinned in tests/golden/corpus-findings.txt (AGENTLINT_UPDATE=1
    rewrites it; review the diff)."""
    import os

    materialize_corpus(tmp_path)
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert not result.internal_error, [f.message for f in result.findings if f.code == "AL901"]
    found = "".join(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n" for f in result.findings)
    if os.environ.get("AGENTLINT_UPDATE"):
        GOLDEN.write_text(found, encoding="utf-8")
    assert found == GOLDEN.read_text(encoding="utf-8")
