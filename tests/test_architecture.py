"""Imports only go down the layers of ARCHITECTURE.md; heavy libraries stay lazy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "agentlint"

# module prefix -> agentlint modules it may import (prefix match)
ALLOWED = {
    "agentlint.model": ("agentlint.model", "agentlint.findings"),
    "agentlint.findings": ("agentlint.model.source",),
    "agentlint.checklist": (),
    "agentlint.options": (),
    "agentlint.loaders": ("agentlint.loaders", "agentlint.model.source", "agentlint.findings"),
    # loaders.python holds LocatedModule, the Python counterpart of LocatedDoc
    "agentlint.adapters": ("agentlint.adapters", "agentlint.loaders.base", "agentlint.loaders.python", "agentlint.model", "agentlint.findings"),
    "agentlint.rule": ("agentlint.checklist", "agentlint.findings", "agentlint.model", "agentlint.options"),
    "agentlint.registry": ("agentlint.rule", "agentlint.rules", "agentlint.findings"),
    "agentlint.rules": ("agentlint.rule", "agentlint.rules", "agentlint.checklist", "agentlint.findings", "agentlint.model", "agentlint.options"),
    "agentlint.report": ("agentlint.report", "agentlint.findings", "agentlint.model.source"),
    # the renderers of the Project itself (agentlint graph, the report's pictures) read the model
    "agentlint.report.topology": ("agentlint.report", "agentlint.findings", "agentlint.model"),
    "agentlint.report.topology_view": ("agentlint.findings", "agentlint.model"),
    "agentlint.report.topology_formats": ("agentlint.report.topology_view", "agentlint.findings", "agentlint.model"),
    "agentlint.report.topology_svg": ("agentlint.report.topology_view", "agentlint.findings", "agentlint.model"),
    # the checklist roll-up reads the model and the checklist items; rule classes are handed in
    "agentlint.report.checklist_rollup": (
        "agentlint.__version__", "agentlint.checklist", "agentlint.report", "agentlint.findings", "agentlint.model",
    ),
}


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        out.append((name, path))
    return out


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names if node.module == "agentlint")
    return found


def layer(name: str) -> str | None:
    best = None
    for prefix in ALLOWED:
        if name == prefix or name.startswith(prefix + "."):
            if best is None or len(prefix) > len(best):
                best = prefix
    return best


@pytest.mark.parametrize(("name", "path"), modules(), ids=[m[0] for m in modules()])
def test_imports_go_down(name: str, path: Path) -> None:
    key = layer(name)
    if key is None:
        return  # engine, api, cli, config, docs, suppress, discover: the wiring layers
    allowed = ALLOWED[key]
    bad = sorted(
        imp
        for imp in imports(path)
        if imp.startswith("agentlint") and imp != "agentlint" and not any(imp == a or imp.startswith(a + ".") for a in allowed)
    )
    assert bad == [], f"{name} imports above its layer: {bad}"


def test_rich_only_in_terminal_reporter_and_cli() -> None:
    users = sorted(name for name, path in modules() if any(i == "rich" or i.startswith("rich.") for i in imports(path)))
    assert users == ["agentlint.cli.util", "agentlint.report.text"]  # the progress bar


def reads_environment(path: Path) -> bool:
    """Code that touches ``os.environ`` or calls ``getenv`` (strings that name them, as the
    Python evaluator's tables do, are not reads)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
            return True
        if isinstance(node, ast.Name) and node.id in ("environ", "getenv"):
            return True
    return False


def test_environment_read_only_in_cli() -> None:
    readers = sorted(name for name, path in modules() if reads_environment(path))
    assert readers == ["agentlint.cli", "agentlint.cli.check"]


def heavy_modules_after_check(directory: Path) -> str:
    """Which heavy libraries a whole `agentlint check` run on ``directory`` imported."""
    code = (
        "import sys; from agentlint.cli import main; main(['check', '--format', 'concise', %r]);"
        "print('MODULES=' + ','.join(sorted(m for m in ('networkx', 'libcst', 'jsonschema', 'rich', 'pydantic')"
        " if m in sys.modules)))"
    ) % str(directory)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    return out.stdout.splitlines()[-1]


def test_startup_imports_stay_lazy(tmp_path: Path) -> None:
    """A run over a directory with no agent files imports none of the heavy libraries."""
    (tmp_path / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    assert heavy_modules_after_check(tmp_path) == "MODULES="


def test_neutral_graph_run_does_not_import_libcst_jsonschema_rich(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(
        "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: g}\nagents:\n  a: {role: r}\n", encoding="utf-8"
    )
    assert heavy_modules_after_check(tmp_path) == "MODULES="  # a plain valid graph is read without pydantic


def test_plain_prompt_registry_run_does_not_import_pydantic(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(
        "apiVersion: agentlint/v1\nkind: PromptRegistry\nmetadata: {name: r}\nprompts:\n"
        "  p: {versions: [{version: 1, text: hi}]}\n",
        encoding="utf-8",
    )
    assert heavy_modules_after_check(tmp_path) == "MODULES="


def test_plain_tool_policy_run_does_not_import_pydantic(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "apiVersion: agentlint/v1\nkind: ToolPolicy\nmetadata: {name: p}\nservers:\n"
        "  s: {timeout: 30s, rate_limit: 60/1m, on_failure: abort, tools: {t: {timeout: 5}}}\n",
        encoding="utf-8",
    )
    assert heavy_modules_after_check(tmp_path) == "MODULES="


def test_invalid_neutral_graph_is_checked_by_pydantic(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(
        "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: g}\nagents:\n  a: {rol: r}\n", encoding="utf-8"
    )
    assert heavy_modules_after_check(tmp_path) == "MODULES=pydantic"
