"""The generated rule index (agentlint/rules/_index.py) and the rules a run imports.

``AGENTLINT_UPDATE=1 pytest tests/test_registry_index.py`` rewrites the index.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentlint import api, engine, registry
from agentlint.config import CliOverrides
from agentlint.rule import Source
from tests.conftest import REPO

INDEX = REPO / "agentlint" / "rules" / "_index.py"


def test_index_is_fresh() -> None:
    expected = registry.index_source()
    if os.environ.get("AGENTLINT_UPDATE"):
        INDEX.write_text(expected, encoding="utf-8")
    assert INDEX.read_text(encoding="utf-8") == expected, "run: AGENTLINT_UPDATE=1 python -m pytest -q tests/test_registry_index.py"


def test_index_matches_the_classes() -> None:
    rules = registry.all_rules()
    index = registry.rule_index()
    assert list(index) == list(rules)
    for code, rule in rules.items():
        assert index[code] == registry.RuleInfo.of(rule)
        assert index[code].load() is rule


def test_a_stale_index_falls_back_to_importing_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    from agentlint.rules import _index

    monkeypatch.setattr(_index, "FILES", _index.FILES[:-1])
    monkeypatch.setattr(_index, "RULES", ())
    registry.rule_index.cache_clear()
    try:
        assert list(registry.rule_index()) == list(registry.all_rules())
    finally:
        registry.rule_index.cache_clear()


def test_lazy_options_read_the_owner_and_import_on_first_read() -> None:
    index = registry.rule_index()
    owner = next(code for code, info in index.items() if info.options_from)
    options = registry.LazyOptions(index)
    source = index[owner].options_from
    mine = registry.all_rules()[source].Options()
    options[source] = mine
    assert options[owner] is mine
    options.forget(owner)
    assert options[owner] is mine and len(options) == len(index) and owner in options


def test_a_one_yaml_run_imports_only_the_rules_it_needs(tmp_path: Path) -> None:
    """A CrewAI agents.yaml holds agents and tasks only: the tool, prompt and observability
    rules are not imported, nor the adapters of Python code, nor networkx, pydantic (no config
    table beyond select/ignore) or rich (concise output)."""
    (tmp_path / "agents.yaml").write_text("researcher:\n  role: r\n  goal: g\n  backstory: b\n", encoding="utf-8")
    (tmp_path / "agentlint.toml").write_text('select = ["ALL"]\nignore = ["AL405"]\n', encoding="utf-8")
    code = (
        "import sys; from agentlint.cli import main; main(['check', '--format', 'concise', 'agents.yaml']);"
        "print('RULES=' + ','.join(sorted(m.rsplit('.', 1)[1][:5].upper() for m in sys.modules if m.startswith('agentlint.rules.') and '.al' in m)));"
        "print('CODE=' + ','.join(sorted(m for m in sys.modules if m.count('.') == 2 and m.startswith('agentlint.adapters.') and m.endswith('_code') and '._' not in m)));"
        "print('MODULES=' + ','.join(m for m in ('networkx', 'pydantic', 'rich', 'jsonschema', 'libcst') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    lines = out.stdout.splitlines()
    assert lines[-1] == "MODULES="
    assert lines[-2] == "CODE="  # no adapter of Python code: the run has no .py file
    imported = set(lines[-3].removeprefix("RULES=").split(","))
    assert {"AL301", "AL302", "AL101"} <= imported  # agents: timeouts, retries, loops
    assert not imported & {"AL201", "AL210", "AL401", "AL405", "AL510", "AL530", "AL541"}


def _all_examples() -> list[tuple[str, str, tuple]]:
    out = []
    for code, rule in registry.all_rules().items():
        for kind in ("valid", "invalid"):
            for number, example in enumerate(getattr(rule, kind)):
                out.append((f"{code}-{kind}-{number}", code, example))
    return out


def test_no_rule_finds_anything_without_its_kinds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every finding of every rule, on every rule example and example project, run with all
    rules (no gating): the project holds one of the rule's declared entity kinds. So skipping
    a rule whose kinds are absent changes no result."""
    index = registry.rule_index()
    everything = frozenset(kind for info in index.values() for kind in info.entities)
    monkeypatch.setattr(engine, "present_kinds", lambda project: everything)
    settings_cli = CliOverrides(select=("ALL",))
    problems = []

    def judge(label: str, root: Path, targets: list[str]) -> None:
        settings = api.settings_for(targets, settings_cli, isolated=True, root=root)
        result, project = api.analyse(targets, settings, root=root)
        present = registry.present_kinds(project)
        for finding in result.findings:
            info = index.get(finding.code)
            if info is not None and info.source is Source.RULE and not present.intersection(info.entities):
                problems.append((label, finding.code, finding.path, finding.line))

    for label, _code, example in _all_examples():
        root = tmp_path / label
        for rel, text in example.files:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        judge(label, root, ["."])
    for folder in sorted(p for p in (REPO / "examples").iterdir() if p.is_dir()):
        judge(folder.name, REPO, [str(folder.relative_to(REPO))])
    assert sorted(set(problems)) == []


ADAPTER_INDEX = REPO / "agentlint" / "adapters" / "_index.py"


def test_adapter_index_is_fresh() -> None:
    from agentlint.adapters.base import adapter_index_source

    expected = adapter_index_source()
    if os.environ.get("AGENTLINT_UPDATE"):
        ADAPTER_INDEX.write_text(expected, encoding="utf-8")
    assert ADAPTER_INDEX.read_text(encoding="utf-8") == expected, "run: AGENTLINT_UPDATE=1 python -m pytest -q tests/test_registry_index.py"


def test_adapters_for_a_syntax_are_those_of_all_adapters() -> None:
    from agentlint.adapters.base import adapters_for, all_adapters
    from agentlint.loaders.base import Syntax

    for syntax in Syntax:
        assert adapters_for(syntax) == tuple(a for a in all_adapters() if syntax in a.syntaxes), syntax
