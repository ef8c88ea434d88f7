"""A config table of plain keys is read without pydantic, exactly as the pydantic models read it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from agentlint.config_schema import _plain
from agentlint.config_spec import ConfigSpec
from tests.conftest import REPO

PLAIN = [
    {},
    {"select": ["ALL"], "ignore": ["AL405", "AL1"]},
    {"extend-select": ["endless-cycle"], "fail-on": "error", "exclude": ["vendor/**"]},
    {"max-file-size": 1, "max-depth": 8, "severity": {"AL301": "info"}},
    {"max-file-size": 2**30, "max-depth": 10_000, "per-file-ignores": {"tests/*": ["AL3"]}},
    {"select": [], "severity": {}, "per-file-ignores": {}},
]

NOT_PLAIN = [
    {"select": "AL101"},
    {"select": ["AL101", 3]},
    {"fail-on": "fatal"},
    {"max-file-size": 0},
    {"max-file-size": True},
    {"max-depth": 7},
    {"max-depth": 10_001},
    {"max-depth": 50.0},
    {"severity": {"AL301": "critical"}},
    {"per-file-ignores": {"a": "AL1"}},
    {"rules": {"AL103": {"max-iterations": 5}}},
    {"overrides": [{"files": ["a"], "ignore": ["AL1"]}]},
    {"suppress": []},
    {"unknown": 1},
]


@pytest.mark.parametrize("table", PLAIN)
def test_plain_tables_read_as_pydantic_reads_them(table: dict) -> None:
    plain = _plain(table)
    spec = ConfigSpec.model_validate(table)
    assert plain is not None
    for f in dataclasses.fields(plain):
        theirs = getattr(spec, f.name)
        assert getattr(plain, f.name) == (tuple(theirs) if isinstance(theirs, list) and f.name in ("overrides", "suppress") else theirs), f.name


@pytest.mark.parametrize("table", NOT_PLAIN)
def test_other_tables_go_to_pydantic(table: dict) -> None:
    assert _plain(table) is None


def test_a_select_ignore_table_does_not_import_pydantic(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.agentlint]\nselect = ["ALL"]\nignore = ["AL405"]\nfail-on = "error"\n', encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    code = "import sys; from agentlint.cli import main; main(['check', '--format', 'concise', '.']); print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60, env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert out.stdout.splitlines()[-1] == "False", out.stderr
