"""Numbers a settings module states and a graph or client module imports (issue 9, item 2).

A settings module names no agent library, so the prefilter skips it; it is read (once, for its
module-level numbers) only because a module that was read takes a limit from it.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import project_findings

SETTINGS = """\
import os

MAX_STEPS = 500
SAFE_STEPS = 20
TIMEOUT = float(os.getenv("LLM_TIMEOUT", "30"))
RETRIES = 9
ENV_STEPS = int(os.getenv("MAX_STEPS", "500"))
"""

GRAPH = """\
from langgraph.graph import END, START, StateGraph
from openai import OpenAI

from .settings import {steps} as LIMIT, RETRIES, TIMEOUT

client = OpenAI(timeout=TIMEOUT, max_retries=RETRIES)


def writer(state):
    return state


def critic(state):
    return state


builder = StateGraph(dict)
builder.add_node(writer)
builder.add_node(critic)
builder.add_edge(START, "writer")
builder.add_edge("writer", "critic")
builder.add_conditional_edges("critic", lambda s: "writer" if s else END, {{"writer": "writer", END: END}})
graph = builder.compile()
graph.invoke({{}}, config={{"recursion_limit": LIMIT}})
"""

CODES = ("AL102", "AL103", "AL111", "AL303", "AL304")


def check(tmp_path: Path, steps: str, settings: str = SETTINGS, path: str = "src/app/settings.py") -> list:
    return project_findings(tmp_path, {path: settings, "src/app/graph.py": GRAPH.format(steps=steps)}, CODES)


def test_limits_from_a_settings_module_are_judged_like_inline_ones(tmp_path: Path) -> None:
    assert check(tmp_path, "MAX_STEPS") == [
        ("AL103", "src/app/graph.py", 24, 26),  # recursion_limit of 500 (from settings.py), max 100
        ("AL303", "src/app/graph.py", 6, 34),  # max_retries=9: 10 attempts
    ]


def test_a_safe_imported_limit_is_a_bound(tmp_path: Path) -> None:
    assert check(tmp_path, "SAFE_STEPS") == [("AL303", "src/app/graph.py", 6, 34)]


def test_a_value_the_environment_overrides_stays_a_bound_of_unknown_size(tmp_path: Path) -> None:
    assert check(tmp_path, "ENV_STEPS") == [("AL303", "src/app/graph.py", 6, 34)]


def test_a_missing_or_unreadable_settings_module_leaves_values_unknown(tmp_path: Path) -> None:
    # the constant does not exist: unknown, so neither missing (AL102/AL111) nor too high
    assert check(tmp_path, "NOWHERE") == [("AL303", "src/app/graph.py", 6, 34)]
    # a settings module that does not parse: silent, and the values stay unknown
    assert check(tmp_path / "broken", "MAX_STEPS", "MAX_STEPS = (\n") == []


def test_absolute_imports_match_the_module_by_suffix(tmp_path: Path) -> None:
    files = {
        "src/app/settings.py": SETTINGS,
        "src/app/graph.py": GRAPH.format(steps="MAX_STEPS").replace("from .settings", "from app.settings"),
    }
    assert project_findings(tmp_path, files, CODES) == [
        ("AL103", "src/app/graph.py", 24, 26),
        ("AL303", "src/app/graph.py", 6, 34),
    ]
