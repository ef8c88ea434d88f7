"""Text output without color is rendered without rich, byte for byte as rich renders it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentlint import api
from agentlint.config import CliOverrides
from agentlint.findings import RunResult
from agentlint.registry import all_rules
from agentlint.report import text
from tests.conftest import REPO


def _rich(result: RunResult, show_suppressed: bool, quiet: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(text, "_plain_render", lambda *args: None)
        return text.render(result, color=False, show_suppressed=show_suppressed, quiet=quiet)


def _results(tmp_path: Path) -> list[RunResult]:
    out = []
    for folder in sorted(p for p in (REPO / "examples").iterdir() if p.is_dir()):
        settings = api.settings_for([str(folder)], CliOverrides(select=("ALL",)), isolated=True, root=REPO)
        out.append(api.check([str(folder.relative_to(REPO))], settings, root=REPO))
    for code, rule in all_rules().items():
        for number, example in enumerate(rule.invalid):
            root = tmp_path / f"{code}-{number}"
            for rel, body in example.files:
                target = root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
            settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=root)
            out.append(api.check(["."], settings, root=root))
    return out


def test_plain_text_is_what_rich_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = _results(tmp_path)
    plain_used = 0
    for result in results:
        for show_suppressed, quiet in ((False, False), (True, False), (False, True)):
            plain = text._plain_render(result, show_suppressed, quiet)
            if plain is not None:
                plain_used += 1
                assert plain == _rich(result, show_suppressed, quiet, monkeypatch)
            assert text.render(result, color=False, show_suppressed=show_suppressed, quiet=quiet) == _rich(result, show_suppressed, quiet, monkeypatch)
    assert plain_used > len(results)  # most outputs need no rich


def test_a_tab_in_a_message_goes_to_rich() -> None:
    assert not text._verbatim("a\tb") and not text._verbatim("a\x1b[31m") and not text._verbatim("\x85")
    assert text._verbatim("agent 'é' → 世界 \u200b")


def test_text_without_color_does_not_import_rich(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(
        "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: g}\nagents:\n  a: {role: r}\n  b: {role: r}\nedges:\n  - {from: a, to: b}\n  - {from: b, to: a}\n",
        encoding="utf-8",
    )
    code = "import sys; from agentlint.cli import main; main(['check', '--format', 'text', '--color', 'never', '.']); print('rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60, env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert "AL101" in out.stdout and out.stdout.splitlines()[-1] == "False", out.stdout + out.stderr
