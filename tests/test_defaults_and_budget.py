"""Framework defaults are version facts; pins come from the project's own files; budgets."""

from __future__ import annotations

from pathlib import Path

import agentlint.engine as engine
from agentlint import api
from agentlint.config import CliOverrides
from agentlint.model.budget import budget
from agentlint.model.defaults import DEFAULTS, resolve
from agentlint.model.project import Project
from agentlint.registry import all_rules


def project_of(root: Path) -> Project:
    settings = api.settings_for(["."], CliOverrides(), isolated=True, root=root)
    state = engine._Run(settings)
    candidates, _ = engine.discover(["."], root, ())
    for candidate in candidates:
        engine._process(state, candidate)
    return Project.build(state.parts, state.entities)


def test_langgraph_recursion_limit_history() -> None:
    default = DEFAULTS["langgraph.recursion_limit"]
    assert default.at("0.2.60") == 25
    assert default.at("1.0.6") == 1000
    assert default.at("1.2.24") == 10007
    assert default.at(None) == 10007


def test_resolve_says_pinned_or_newest() -> None:
    pinned = resolve("crewai.max_iter", {"crewai": "0.80.0"})
    assert (pinned.value, pinned.pinned) == (25, True)
    assert pinned.describe() == "max_iter defaults to 25 iterations (crewai 0.80.0)"
    newest = resolve("adk.loop_max_iterations", {})
    assert newest.describe() == (
        "max_iterations defaults to no limit (google-adk, newest known version; pin it to be sure)"
    )


def test_pins_from_pyproject_and_lockfiles(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["crewai[tools]==0.80.0", "requests>=2", "langgraph>=1"]\n', encoding="utf-8"
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "uv.lock").write_text(
        'version = 1\n\n[[package]]\nname = "langgraph"\nversion = "1.0.7"\n\n[[package]]\nname = "httpx"\nversion = "0.27.0"\n',
        encoding="utf-8",
    )
    assert project_of(tmp_path).pins == {"crewai": "0.80.0", "langgraph": "1.0.7"}


def test_budget_of_a_bounded_loop(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(
        "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: g}\nentry: writer\nterminals: [publisher]\n"
        "agents:\n  writer: {role: w, timeout: 30, retries: {max_attempts: 2}}\n"
        "  critic: {role: c, timeout: 20, retries: {max_attempts: 1}}\n"
        "  publisher: {role: p, timeout: 5, retries: {max_attempts: 1}}\n"
        "edges:\n  - {from: writer, to: critic}\n  - {from: critic, to: writer, max_traversals: 3}\n"
        "  - {from: critic, to: publisher}\n",
        encoding="utf-8",
    )
    project = project_of(tmp_path)
    (graph,) = project.graphs
    worst = budget(graph, project.topology(graph), project.pins)
    assert worst is not None
    # the loop repeats at most 1 + 3 times: 4 × (2 + 1) calls + 1, 4 × (60 + 20) s + 5
    assert (worst.llm_calls, worst.seconds) == (13.0, 325.0)
    assert worst.path == ("critic", "writer", "publisher")
    assert worst.culprits == ()


def _codes(root: Path, *select: str) -> list[tuple[str, int]]:
    settings = api.settings_for(["."], CliOverrides(select=select), root=root)
    return [(f.code, f.line) for f in api.check(["."], settings, root=root).findings]


def test_a_framework_default_is_judged_against_one_maximum_by_two_rules(tmp_path: Path) -> None:
    """MAF's maxTurns default (100 supersteps) bounds the loop: at or below AL103's max-turns it
    is an implicit bound (AL111), above it a bound too high (AL103); never both, never AL102."""
    from agentlint.docs import explain
    from agentlint.rules.topology._examples import MAF_REVIEW

    (tmp_path / "workflow.yaml").write_text(MAF_REVIEW.format(head="", expect=""), encoding="utf-8")
    assert _codes(tmp_path, "AL102", "AL103", "AL111") == [("AL111", 11)]
    (tmp_path / "agentlint.toml").write_text("[rules.AL103]\nmax-turns = 50\n", encoding="utf-8")
    assert _codes(tmp_path, "AL102", "AL103", "AL111") == [("AL103", 11)]
    settings = api.settings_for(["."], CliOverrides(), root=tmp_path)
    assert "  option max-turns = 50 from agentlint.toml:2 (of AL103)\n" in explain(all_rules()["AL111"], settings)


def test_pinned_version_decides_whether_a_default_is_too_high(tmp_path: Path) -> None:
    """A default is a bound only when it is finite for the pinned version and nothing explicit
    replaces it."""
    from agentlint.model.defaults import implicit_cap

    assert implicit_cap(None, "langgraph.recursion_limit", {"langgraph": "0.2.60"}).value == 25
    assert implicit_cap(None, "langgraph.recursion_limit", {"langgraph": "1.1.5"}).value == 10007
    assert implicit_cap(12, "langgraph.recursion_limit", {}) is None  # explicit: not a default
    assert implicit_cap(None, "autogen.max_turns", {}) is None  # a default of no limit bounds nothing
    assert implicit_cap(None, None, {}) is None
