"""langgraph.json: graph entry points checked against the files the run listed (AL112),
floating dependencies (AL225), credentials in the environment it loads (AL224)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint import api
from agentlint.adapters import langgraph_json
from agentlint.config import CliOverrides
from agentlint.loaders.json import load_json
from agentlint.model.deployment import GraphEntryPoint
from tests.conftest import CORPUS
from tests.helpers import materialize_corpus, project_findings

GRAPH = "from langgraph.graph import StateGraph\n\nbuilder = StateGraph(dict)\ngraph = builder.compile()\n"
CODES = ("AL112", "AL224", "AL225")


def config(graphs: str, extra: str = "") -> str:
    return '{\n  "dependencies": ["."],\n  "graphs": {\n' + graphs + "\n  }" + extra + "\n}\n"


def findings(root: Path, files: dict[str, str], unread: tuple[str, ...] = ()) -> list[tuple[str, str, int, int]]:
    return [f for f in project_findings(root, files, unread=unread) if f[0] in CODES]


def run(root: Path, targets: list[str]) -> list[tuple[str, str, int]]:
    settings = api.settings_for(targets, CliOverrides(select=("ALL",)), isolated=True, root=root)
    result = api.check(targets, settings, root=root)
    assert not result.internal_error
    return sorted((f.code, f.path, f.line) for f in result.findings if f.code in CODES)


# -- the adapter -------------------------------------------------------------------------------


def test_entries_are_resolved_from_the_config_folder() -> None:
    text = (
        '{"graphs": {\n'
        '  "a": "./src/agent/graph.py:graph",\n'
        '  "b": {"path": "../shared/graph.py:app", "description": "d"},\n'
        '  "c": "my_pkg.graphs:graph",\n'
        '  "d": "./apps/agents/src/index.ts:graph",\n'
        '  "e": "no-colon-here",\n'
        '  "f": "../../outside.py:graph",\n'
        '  "g": "./x.py:not an identifier"\n'
        "}}\n"
    )
    adapted = langgraph_json.adapt(load_json("deploy/langgraph.json", text))
    entries = [e for e in adapted.entities if isinstance(e, GraphEntryPoint)]
    assert [(e.graph_id, e.files, e.variable, e.by_path, e.span.start) for e in entries] == [
        ("a", ("deploy/src/agent/graph.py",), "graph", True, (2, 8)),
        ("b", ("shared/graph.py",), "app", True, (3, 17)),
        (
            "c",
            ("deploy/my_pkg/graphs.py", "deploy/my_pkg/graphs/__init__.py", "deploy/src/my_pkg/graphs.py", "deploy/src/my_pkg/graphs/__init__.py"),
            "graph",
            False,
            (4, 8),
        ),
        ("d", ("deploy/apps/agents/src/index.ts",), "graph", True, (5, 8)),
    ]


def test_claims_only_langgraph_configs() -> None:
    assert langgraph_json.claims("langgraph.json", '{"graphs": {}}')
    assert langgraph_json.claims("svc/langgraph.dev.json", '{"dependencies": ["."]}')
    assert not langgraph_json.claims("package.json", '{"dependencies": {}}')
    assert not langgraph_json.claims("langgraph.json", '{"name": "x"}')


# -- AL112: files and variables ----------------------------------------------------------------


def test_missing_file_wrong_case_and_missing_variable(tmp_path: Path) -> None:
    files = {
        "langgraph.json": config(
            '    "agent": "./Agent.py:graph",\n'
            '    "critic": "./src/critic.py:app",\n'
            '    "writer": {"path": "./src/writer.py:graph"},\n'
            '    "ok": "./src/critic.py:graph"'
        ),
        "agent.py": GRAPH,
        "src/critic.py": GRAPH,
    }
    assert findings(tmp_path, files) == [
        ("AL112", "langgraph.json", 4, 14),
        ("AL112", "langgraph.json", 5, 15),
        ("AL112", "langgraph.json", 6, 24),
    ]
    settings = api.settings_for(["."], CliOverrides(select=("AL112",)), isolated=True, root=tmp_path)
    messages = [f.message for f in api.check(["."], settings, root=tmp_path).findings]
    assert messages == [
        "graph 'agent' cannot load: 'Agent.py' does not exist (there is 'agent.py': paths are case-sensitive "
        "where the server runs); langgraph.json resolves paths from its own folder",
        "graph 'critic' cannot load: 'src/critic.py' binds no module-level name 'app'; langgraph.json resolves "
        "paths from its own folder",
        "graph 'writer' cannot load: 'src/writer.py' does not exist; langgraph.json resolves paths from its own folder",
    ]


def test_silent_where_the_run_did_not_look(tmp_path: Path) -> None:
    files = {
        "langgraph.json": config('    "agent": "./src/agent/graph.py:graph",\n    "other": "./graph.py:graph"'),
        "notes.md": "no graph here\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    # the config alone (pre-commit on one file): nothing listed, nothing said
    assert run(tmp_path, ["langgraph.json"]) == []
    # the whole project: ./graph.py is missing from a listed folder; src/agent was never there to list
    assert run(tmp_path, ["."]) == [("AL112", "langgraph.json", 5)]


def test_excluded_folders_are_not_listed(tmp_path: Path) -> None:
    files = {"langgraph.json": config('    "agent": "./build/graph.py:graph"'), "build/other.py": GRAPH}
    assert findings(tmp_path, files, unread=("build/other.py",)) == []


@pytest.mark.parametrize(
    "module",
    [
        "from langgraph.graph import *\n",  # star import
        "import langgraph\nglobals()['graph'] = langgraph\n",
        "import langgraph\n\ndef __getattr__(name):\n    return langgraph\n",
        "import langgraph\nimport sys\nsys.modules[__name__] = langgraph\n",
        "from langgraph.graph import StateGraph\ngraph = StateGraph(dict\n",  # syntax error: names unknown
        "print('no library named: the prefilter skips it, its names are unknown')\n",
        "import langgraph\n\ndef make():\n    global graph\n    graph = 1\n",
        "import langgraph\ntry:\n    from .built import graph\nexcept ImportError:\n    pass\n",
        "import langgraph\nif True:\n    def graph():\n        return 1\n",
        "import langgraph\nclass graph:\n    pass\n",
        "import langgraph\n(graph := 1)\n",
        "import langgraph\nfor graph in range(3):\n    pass\n",
    ],
)
def test_names_bound_in_any_way_or_unknown_are_not_reported(tmp_path: Path, module: str) -> None:
    files = {"langgraph.json": config('    "agent": "./src/graph.py:graph"'), "src/graph.py": module}
    assert [f for f in findings(tmp_path, files) if f[0] == "AL112"] == []


def test_dotted_module_in_the_project_or_installed(tmp_path: Path) -> None:
    files = {
        "langgraph.json": config('    "a": "my_agent.graph:graph",\n    "b": "my_agent.graph:app",\n    "c": "installed.pkg:graph"'),
        "src/my_agent/graph.py": GRAPH,
    }
    assert findings(tmp_path, files) == [("AL112", "langgraph.json", 5, 10)]


def test_a_config_in_a_sub_folder_and_a_javascript_graph(tmp_path: Path) -> None:
    files = {
        "deploy/langgraph.json": config('    "py": "../src/graph.py:graph",\n    "ts": "./agents/index.ts:graph",\n    "gone": "./agents/gone.ts:graph"'),
        "src/graph.py": GRAPH,
        "deploy/agents/index.ts": "export const graph = 1;\n",
    }
    assert findings(tmp_path, files) == [("AL112", "deploy/langgraph.json", 6, 13)]


def test_real_corpus_configs_without_their_code_are_silent(tmp_path: Path) -> None:
    """The corpus keeps each langgraph.json without the modules it names: their folders were
    never listed, so "does not exist" would be a guess. Run on the real checkouts, the four
    configs resolve (one dotted module under src/, TypeScript graphs, three graphs across files)."""
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip("the shared corpus is not available")
    materialize_corpus(tmp_path, "langgraph-json")
    assert len(list(tmp_path.rglob("langgraph.json"))) == 4
    assert run(tmp_path, ["."]) == []


# -- AL225: floating dependencies --------------------------------------------------------------


def test_floating_dependencies_unless_the_project_pins_them(tmp_path: Path) -> None:
    files = {
        "langgraph.json": (
            '{\n  "dependencies": [\n    ".",\n    "langchain-openai",\n    "langchain_anthropic",\n'
            '    "tavily-python",\n    "httpx>=0.27",\n    "git+https://github.com/acme/tools",\n'
            '    "git+https://github.com/acme/kit@4f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39",\n'
            '    "./libs/local",\n    "langgraph==1.0.3"\n  ],\n  "graphs": {}\n}\n'
        ),
        "requirements.txt": "langchain-openai==1.1.0\n",
        "pyproject.toml": '[project]\nname = "x"\ndependencies = ["Langchain.Anthropic==1.2.0", "langgraph>=1"]\n',
        "uv.lock": 'version = 1\n\n[[package]]\nname = "tavily-python"\nversion = "0.5.0"\n',
    }
    # pinned in requirements.txt and pyproject.toml: fine; a uv.lock pin is not read by langgraph build
    assert findings(tmp_path, files) == [
        ("AL225", "langgraph.json", 6, 5),
        ("AL225", "langgraph.json", 7, 5),
        ("AL225", "langgraph.json", 8, 5),
    ]


# -- AL224: credentials in the environment -----------------------------------------------------

KEY = "sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS"


def test_env_file_named_by_the_config(tmp_path: Path) -> None:
    files = {
        "app/langgraph.json": config('    "a": "./graph.py:graph"', ',\n  "env": "../.env"'),
        "app/graph.py": GRAPH,
        ".env": f"# secrets\nOPENAI_API_KEY={KEY}\nLOG_LEVEL=debug\nLANGSMITH_API_KEY=your-key-here\n",
        "app/.env": f"OPENAI_API_KEY={KEY}\n",  # not the file the config names
    }
    assert findings(tmp_path, files) == [("AL224", ".env", 2, 16)]


def test_env_file_suppressed_inline_and_absent_file(tmp_path: Path) -> None:
    files = {
        "langgraph.json": config('    "a": "./graph.py:graph"', ',\n  "env": ".env"'),
        "graph.py": GRAPH,
        ".env": f"OPENAI_API_KEY={KEY}  # agentlint: ignore[AL224] local only, git-ignored\n",
    }
    assert findings(tmp_path, files) == []
    (tmp_path / ".env").unlink()
    assert run(tmp_path, ["."]) == []


def test_inline_env(tmp_path: Path) -> None:
    files = {
        "langgraph.json": config(
            '    "a": "./graph.py:graph"',
            f',\n  "env": {{\n    "OPENAI_API_KEY": "{KEY}",\n    "MODEL": "gpt-4.1",\n    "TOKEN": "${{TOKEN}}"\n  }}',
        ),
        "graph.py": GRAPH,
    }
    assert findings(tmp_path, files) == [("AL224", "langgraph.json", 7, 23)]


def test_git_ignored_env_file_is_not_committed(tmp_path: Path) -> None:
    files = {
        "langgraph.json": config('    "a": "./graph.py:graph"', ',\n  "env": ".env"'),
        "graph.py": GRAPH,
        ".env": f"OPENAI_API_KEY={KEY}\n",
        ".gitignore": "__pycache__/\n.env\n!.env.example\n",
    }
    assert findings(tmp_path, files) == []
    (tmp_path / ".gitignore").write_text("__pycache__/\n.env\n!.env\n", encoding="utf-8")  # re-included
    assert run(tmp_path, ["."]) == [("AL224", ".env", 1)]


# -- .gitignore semantics, checked against git itself ------------------------------------------

IGNORES = {
    ".gitignore": "# comment\n*.log\n/.env\nbuild/\n!keep.log\ndocs/**/secret.txt\n\\#hash\nspace\\ \n",
    "app/.gitignore": ".env*\n!.env.example\nlocal/\n",
}
PATHS = [
    "a.log", "sub/a.log", "keep.log", ".env", "sub/.env", "build/x.py", "sub/build/x.py", "other/build",
    "docs/secret.txt", "docs/a/b/secret.txt", "#hash", "space ", "app/.env", "app/.env.local",
    "app/.env.example", "app/local/x", "app/x/local/y", "app/debug.log", "other/.env.example",
]


def test_gitignore_matching_agrees_with_git(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from agentlint.adapters.gitignore import adapt
    from agentlint.loaders.gitignore import load_gitignore
    from agentlint.model.vcs import git_ignored

    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    for name, text in IGNORES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for path in PATHS:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        if not (tmp_path / path).exists():
            (tmp_path / path).write_text("x\n", encoding="utf-8")
    checked = subprocess.run([git, "check-ignore", "--no-index", *PATHS], cwd=tmp_path, capture_output=True, text=True)
    by_git = set(checked.stdout.splitlines())
    files = tuple(e for name, text in IGNORES.items() for e in adapt(load_gitignore(name, text)).entities)
    ours = {path for path in PATHS if git_ignored(path, files)}
    assert ours == by_git
    assert {"a.log", ".env", "build/x.py", "app/.env", "app/local/x", "space "} <= ours


def test_auth_and_http_app_paths_are_checked_like_graphs(tmp_path: Path) -> None:
    files = {
        "langgraph.json": config(
            '    "a": "./graph.py:graph"',
            ',\n  "auth": {"path": "./src/security/auth.py:auth"},\n  "http": {"app": "./src/webapp.py:app"}',
        ),
        "graph.py": GRAPH,
        "src/webapp.py": "import langgraph\nfrom fastapi import FastAPI\n\napp = FastAPI()\n",
        "src/security/__init__.py": "",  # the folder is there, auth.py is not
    }
    assert findings(tmp_path, files) == [("AL112", "langgraph.json", 6, 20)]
    settings = api.settings_for(["."], CliOverrides(select=("AL112",)), isolated=True, root=tmp_path)
    [finding] = api.check(["."], settings, root=tmp_path).findings
    assert finding.message.startswith("auth.path './src/security/auth.py:auth' cannot load: 'src/security/auth.py' does not exist")


def test_excluded_paths_exist_and_a_folder_is_not_a_module(tmp_path: Path) -> None:
    files = {
        "langgraph.json": config('    "gen": "./src/graph.generated.py:graph",\n    "pkg": "./src/agent:graph"'),
        "src/graph.generated.py": "import langgraph\n",  # excluded: never parsed, so no "binds no name" either
        "src/agent/__init__.py": GRAPH,
        "agentlint.toml": 'exclude = ["*.generated.py"]\n',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = api.settings_for(["."], CliOverrides(select=("AL112",)), root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert [(f.path, f.line, f.message) for f in result.findings] == [
        ("langgraph.json", 5, "graph 'pkg' cannot load: 'src/agent' is a folder; the server loads a module file; "
         "langgraph.json resolves paths from its own folder"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        '{"graphs": ["./graph.py:graph"], "dependencies": "langchain-openai", "env": 3}',
        '{"graphs": {"a": 1, "b": null, "c": {"path": 2}, "d": ":graph", "e": "./x.py:"}, "dependencies": [1, null, ""]}',
        '{"graphs": {"a": "./graph.py:graph"}, "env": {"KEY": 1, "OTHER": null}, "auth": "./auth.py:auth", "http": []}',
        '[1, 2, 3]',
    ],
)
def test_odd_shapes_are_silent(tmp_path: Path, text: str) -> None:
    unread = ("langgraph.json",) if text.startswith("[") else ()  # not a langgraph.json shape: not claimed
    assert findings(tmp_path, {"langgraph.json": text, "graph.py": GRAPH}, unread=unread) == []
