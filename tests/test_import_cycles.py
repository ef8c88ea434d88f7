"""No import circles inside ``agentlint/``.

The graph is built from ``ast`` alone (nothing is imported): one node per module, one edge per
module-level import of another agentlint module. Imports inside functions (the lazy ones) and
under ``if TYPE_CHECKING:`` run after start-up or never, so they cannot close a circle at
import time and are left out. A circle is a strongly connected component of two or more
modules, or a module importing itself.

``from pkg import name`` is an edge to ``pkg.name`` when that is a module, else to ``pkg``; an
import of ``a.b.c`` is an edge to ``a.b.c`` only (its parent packages are plain folders whose
``__init__`` importing a child is not a circle of the child's making).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "agentlint"


def module_files(package: Path = PACKAGE) -> dict[str, Path]:
    out = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).with_suffix("")
        out[".".join(rel.parts).removesuffix(".__init__")] = path
    return out


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(body: Iterable[ast.stmt], package: str) -> Iterable[tuple[str, tuple[str, ...]]]:
    """(module, names) for each import run when the module body runs: statements at module
    level, including those nested in if/else (but not ``if TYPE_CHECKING``) and try blocks."""
    for node in body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                module = f"{base}.{module}" if module else base
            yield module, tuple(alias.name for alias in node.names)
        elif isinstance(node, ast.If):
            if not _type_checking(node.test):
                yield from _targets(node.body, package)
            yield from _targets(node.orelse, package)
        elif isinstance(node, ast.Try):
            for block in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
                yield from _targets(block, package)


def import_graph(files: Mapping[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for module, names in _targets(ast.parse(path.read_text(encoding="utf-8")).body, package):
            for target in [f"{module}.{n}" for n in names] or [module]:
                if target in files:
                    edges.add(target)
                elif module in files:
                    edges.add(module)
        graph[name] = edges
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components that are circles (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    found.append(sorted(component))
    return sorted(found)


def test_agentlint_has_no_import_circles() -> None:
    files = module_files()
    graph = import_graph(files)
    assert "agentlint.findings" in graph["agentlint.engine"]  # the graph is the real one
    assert cycles(graph) == []


def test_cycles_finds_circles_and_only_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "d"}, "e": {"a"}, "f": set()}
    assert cycles(graph) == [["a", "b", "c"], ["d"]]
    assert cycles({"x": {"y"}, "y": set()}) == []


def test_import_graph_skips_lazy_and_type_checking_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "config.py").write_text(
        "from typing import TYPE_CHECKING\nfrom pkg import schema\nif TYPE_CHECKING:\n    from pkg.sub import late\n",
        encoding="utf-8",
    )
    (pkg / "schema.py").write_text("def f():\n    from pkg import config\n", encoding="utf-8")
    (pkg / "sub" / "late.py").write_text("from . import more\nfrom ..config import X\n", encoding="utf-8")
    (pkg / "sub" / "more.py").write_text("try:\n    import pkg.sub.late\nexcept ImportError:\n    pass\n", encoding="utf-8")
    graph = import_graph(module_files(pkg))
    assert graph["pkg.config"] == {"pkg.schema"}
    assert graph["pkg.schema"] == set()
    assert graph["pkg.sub.late"] == {"pkg.sub.more", "pkg.config"}
    assert cycles(graph) == [["pkg.sub.late", "pkg.sub.more"]]
    (pkg / "schema.py").write_text("from pkg.config import X\n", encoding="utf-8")
    assert cycles(import_graph(module_files(pkg))) == [["pkg.config", "pkg.schema"], ["pkg.sub.late", "pkg.sub.more"]]
