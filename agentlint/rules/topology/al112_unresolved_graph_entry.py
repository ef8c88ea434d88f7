from __future__ import annotations

import posixpath
from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.deployment import unresolved
from agentlint.model.project import Project
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule

_GRAPH = "from langgraph.graph import StateGraph\n\nbuilder = StateGraph(dict)\ngraph = builder.compile()\n"


class UnresolvedGraphEntry(Rule):
    """A deployment config that serves a graph from a file or variable that is not there.

    ## What it does
    Resolves each `graphs` entry of `langgraph.json` (`"./src/agent/graph.py:graph"`,
    `{"path": …}`, or `"package.module:graph"`) from the config's own folder, as the LangGraph
    CLI does (and `auth.path`, `http.app`, `encryption.path`, imported the same way), and reports an entry whose file does not exist (paths are case-sensitive), or
    whose Python module binds no module-level name of that variable (assignments, functions,
    classes and imports count). Silent when the run did not list the folder that should hold
    the file (`agentlint check langgraph.json` alone, a pre-commit run on some files), for a
    dotted module found nowhere in the project (it may be an installed package), for files the
    prefilter did not parse, and for modules that bind names dynamically (`from x import *`,
    `globals()`, a module `__getattr__`).

    ## Why is this bad?
    `langgraph dev`, `langgraph build` and the platform import every graph at start-up: one
    wrong path or renamed variable stops the whole server, usually only once deployed.
    """

    code = "AL112"
    name = "unresolved-graph-entry"
    summary = "langgraph.json names a graph file or variable that does not exist"
    severity = Severity.ERROR
    checklist = Checklist.TOPOLOGY_REVIEWED
    entities = ("GraphEntryPoint", "ModuleNames")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        deployment = project.deployment
        for entry in deployment.entry_points:
            problem = unresolved(deployment, entry)
            if problem is not None:
                yield self.violation(
                    f"{entry.describe()} cannot load: {problem}; {posixpath.basename(entry.config)} resolves "
                    "paths from its own folder",
                    entry,
                    args=(entry.graph_id or entry.setting, entry.spec),
                )

    valid = (
        Example(
            files=(
                ("langgraph.json", '{\n  "dependencies": ["."],\n  "graphs": {\n    "agent": "./src/agent/graph.py:graph",\n'
                 '    "factory": {"path": "./src/agent/graph.py:make_graph", "description": "built per request"}\n  }\n}\n'),
                ("src/agent/graph.py", _GRAPH + "\n\ndef make_graph(config):\n    return builder.compile()\n"),
            ),
            title="The file exists and binds both names",
        ),
        Example(
            files=(
                ("langgraph.json", '{\n  "dependencies": ["."],\n  "graphs": {\n    "agent": "my_agent.graph:graph",\n'
                 '    "other": "./src/other.py:graph"\n  }\n}\n'),
                ("src/other.py", "from langgraph.graph import *  # binds names nobody can list\n"),
            ),
            title="A module not in the project (an installed package) and a star import",
        ),
    )
    invalid = (
        Example(
            files=(
                ("langgraph.json", '{\n  "dependencies": ["."],\n  "graphs": {\n    "agent": "./Agent.py:graph",\n'
                 '    "critic": "./src/critic.py:app"\n  }\n}\n'),
                ("agent.py", _GRAPH),
                ("src/critic.py", _GRAPH),
            ),
            title="A path in the wrong case, a variable the module does not define",
            expect=(("langgraph.json", 4, "AL112"), ("langgraph.json", 5, "AL112")),
        ),
    )
