"""AL310/AL311 keep their text bounded on big graphs (issue 14, the 10,000-file memory row): a
long formula shows its largest terms and ``+ N more totalling X``, a long path its first agents
and its last; related locations still name every agent (the --whole-project hook scopes by them);
the numbers are unchanged, and the formula is built linearly (shared, never copied) even when
delegates are shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentlint.model.budget import budget
from agentlint.model.budget_text import Leaf, Path as Trail, agents, choice, form, path_text, render, total
from tests.helpers import project_result
from tests.test_defaults_and_budget import project_of

HEAD = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: big}\n"


def _chain(n: int) -> str:
    """a01 → … → aNN; agent i: (i % 5 + 1) iterations × (i % 3 + 1) attempts, 10 × (i % 4 + 1) s."""
    agents_ = "".join(
        f"  a{i:02d}: {{role: r, timeout: {10 * (i % 4 + 1)}, retries: {{max_attempts: {i % 3 + 1}}}, max_iterations: {i % 5 + 1}}}\n"
        for i in range(1, n + 1)
    )
    edges = "".join(f"  - {{from: a{i:02d}, to: a{i + 1:02d}}}\n" for i in range(1, n))
    return f"{HEAD}entry: a01\nterminals: [a{n:02d}]\nagents:\n{agents_}edges:\n{edges}"


def _worst(root: Path, text: str):
    root.mkdir(parents=True, exist_ok=True)
    (root / "g.yaml").write_text(text, encoding="utf-8")
    project = project_of(root)
    (graph,) = project.graphs
    return budget(graph, project.topology(graph), project.pins)


def test_a_long_path_shows_its_largest_terms_and_the_rest_as_one_sum(tmp_path: Path) -> None:
    worst = _worst(tmp_path / "budget", _chain(30))
    # the numbers are the whole path's, as before
    assert worst.llm_calls == sum((i % 5 + 1) * (i % 3 + 1) for i in range(1, 31)) == 180
    assert worst.seconds == sum(10 * (i % 4 + 1) * (i % 3 + 1) for i in range(1, 31)) == 1480
    assert worst.path == tuple(f"a{i:02d}" for i in range(1, 31))
    # the six dearest agents in path order (15, 15, 12, 12, 10, 10 calls), then the other 24
    assert worst.calls_formula == "a04 5×2 + a08 4×3 + a14 5×3 + a19 5×2 + a23 4×3 + a29 5×3 + 24 more totalling 106"
    assert worst.seconds_formula == "a02 30 s×3 + a07 40 s×2 + a11 40 s×3 + a14 30 s×3 + a23 40 s×3 + a26 30 s×3 + 24 more totalling 890"

    result = project_result(tmp_path / "run", {"g.yaml": _chain(30)})
    (finding,) = [f for f in result.findings if f.code == "AL311"]
    assert (finding.path, finding.line) == ("g.yaml", 7)
    assert finding.message == (
        f"a request entering at 'a01' can take up to 180 LLM calls = {worst.calls_formula} (max-llm-calls = 50) "
        f"and 1480 s = {worst.seconds_formula} (max-seconds = 300), along a01 → a02 → a03 → a04 → a05 → … (24 more agents) → a30"
    )
    assert len(finding.message) < 400
    # every agent after the entry: a --whole-project hook over any of their files shows the finding
    assert [r.note for r in finding.related] == [f"on the worst path: a{i:02d}" for i in range(2, 31)]
    assert [r.span.start.line for r in finding.related][:10] == [6 + i for i in range(2, 12)]


def test_a_path_of_twelve_is_written_in_full(tmp_path: Path) -> None:
    result = project_result(tmp_path, {"g.yaml": _chain(12)})
    (finding,) = [f for f in result.findings if f.code == "AL311"]
    assert finding.message.endswith(", along " + " → ".join(f"a{i:02d}" for i in range(1, 13)))
    assert "more" not in finding.message
    assert [r.note for r in finding.related] == [f"on the worst path: a{i:02d}" for i in range(2, 13)]


def _hub(spokes: int, bound: bool = True) -> str:
    """A hub that sends work to each spoke and takes it back (bounded: spoke i at most i % 4 + 1 times)."""
    agents_ = "  hub: {role: hub, timeout: 10, retries: {max_attempts: 1}}\n  done: {role: done, timeout: 5, retries: {max_attempts: 1}}\n"
    agents_ += "".join(f"  s{i:02d}: {{role: s, timeout: 20, retries: {{max_attempts: 2}}}}\n" for i in range(1, spokes + 1))
    edges = "".join(
        f"  - {{from: hub, to: s{i:02d}}}\n  - {{from: s{i:02d}, to: hub" + (f", max_traversals: {i % 4 + 1}}}\n" if bound else "}\n")
        for i in range(1, spokes + 1)
    )
    return f"{HEAD}entry: hub\nterminals: [done]\nagents:\n{agents_}edges:\n{edges}  - {{from: hub, to: done}}\n"


def test_a_loop_with_many_bounds_shows_the_largest_of_them(tmp_path: Path) -> None:
    worst = _worst(tmp_path, _hub(20))
    passes = 1 + sum(i % 4 + 1 for i in range(1, 21))
    assert passes == 51
    assert (worst.llm_calls, worst.seconds) == (passes * (1 + 20 * 2) + 1, passes * (10 + 20 * 40) + 5)
    assert worst.calls_formula == (
        "51 passes [max_traversals 4 (s03 → hub) + max_traversals 4 (s07 → hub) + 19 more totalling 43] "
        "× (s01 1×2 + s02 1×2 + s03 1×2 + s04 1×2 + 17 more totalling 33) + done 1×1"
    )
    assert worst.seconds_formula == "51 passes × (s01 20 s×2 + s02 20 s×2 + s03 20 s×2 + s04 20 s×2 + s05 20 s×2 + s06 20 s×2 + 15 more totalling 570) + done 5 s×1"


def test_shared_delegates_are_not_copied(tmp_path: Path) -> None:
    """Level i: a_i and b_i pass work back and forth, each delegating to a_{i+1}: every level
    doubles the terms a copied formula holds (130 MB of text at 20 levels before)."""
    levels = 20
    agents_, edges = "", ""
    for i in range(levels):
        agents_ += f"  a{i:02d}: {{role: r, timeout: 1, retries: {{max_attempts: 1}}, max_iterations: 1}}\n"
        agents_ += f"  b{i:02d}: {{role: r, timeout: 1, retries: {{max_attempts: 1}}, max_iterations: 1}}\n"
        edges += f"  - {{from: a{i:02d}, to: b{i:02d}}}\n  - {{from: b{i:02d}, to: a{i:02d}, max_traversals: 1}}\n"
        if i + 1 < levels:
            edges += f"  - {{from: a{i:02d}, to: a{i + 1:02d}, kind: delegate}}\n  - {{from: b{i:02d}, to: a{i + 1:02d}, kind: delegate}}\n"
    worst = _worst(tmp_path, f"{HEAD}entry: a00\nagents:\n{agents_}edges:\n{edges}")
    assert worst.path == tuple(name for i in range(levels) for name in (f"a{i:02d}", f"b{i:02d}"))
    # each loop makes 1 + 1 + 1 + 1 = 4 passes over both agents, each waiting 1 s and its delegate
    seconds = 0.0
    for _ in range(levels):
        seconds = 4.0 * ((1.0 + seconds) + (1.0 + seconds))
    assert worst.seconds == pytest.approx(seconds, rel=1e-12)
    assert worst.llm_calls == 8e15  # each nested product stops at the ceiling, 10^15
    assert worst.calls_formula == (
        "4 passes [1 + max_traversals 1 (b00 → a00) + 2 more totalling 2] × (a00 1×1 × (1 + 4 passes [1 + 3 more totalling 3] "
        "× (a01 1×1 × (1 + at least 10^15) + 1 more totalling at least 10^15)) + b00 1×1 × (1 + at least 10^15))"
    )
    assert worst.seconds_formula == (
        "4 passes × (a00 1 s×1 + 4 passes × (a01 1 s×1 + 4 passes × (a02 1 s×1 + 4 passes × (6.43371e+14) "
        "+ 1 more totalling at least 10^15) + b01 1 s×1 + 4 passes × (at least 10^15)) + b00 1 s×1 + 4 passes × (at least 10^15))"
    )


def test_many_unbounded_loops_are_named_three_and_all_pointed_at(tmp_path: Path) -> None:
    # fifteen loops one after the other, c_i ⇄ d_i with no bound, each left for c_{i+1}
    n = 15
    agents_ = "".join(f"  c{i:02d}: {{role: r, timeout: 5}}\n  d{i:02d}: {{role: r, timeout: 5}}\n" for i in range(1, n + 1))
    edges = "".join(f"  - {{from: c{i:02d}, to: d{i:02d}}}\n  - {{from: d{i:02d}, to: c{i:02d}}}\n" for i in range(1, n + 1))
    edges += "".join(f"  - {{from: c{i:02d}, to: c{i + 1:02d}}}\n" for i in range(1, n))
    text = f"{HEAD}entry: c01\nterminals: [done]\nagents:\n{agents_}  done: {{role: d}}\nedges:\n{edges}  - {{from: c{n:02d}, to: done}}\n"
    result = project_result(tmp_path, {"g.yaml": text})
    (finding,) = [f for f in result.findings if f.code == "AL310"]
    assert finding.message == (
        "a request entering at 'c01' has no upper bound on LLM calls or time: loop c01 → d01 → c01 has no bound; "
        "loop c02 → d02 → c02 has no bound; loop c03 → d03 → c03 has no bound; and 12 more: "
        "set max_traversals on an edge of each loop, or the graph's run-level turn limit"
    )
    assert [r.note for r in finding.related] == [f"loop c{i:02d} → d{i:02d} → c{i:02d} has no bound" for i in range(1, 16)]


def test_a_long_unbounded_loop_is_named_by_its_first_agents(tmp_path: Path) -> None:
    n = 20
    agents_ = "".join(f"  a{i:02d}: {{role: r, timeout: 5, retries: {{max_attempts: 1}}}}\n" for i in range(1, n + 1))
    edges = "".join(f"  - {{from: a{i:02d}, to: a{i % n + 1:02d}}}\n" for i in range(1, n + 1))
    text = f"{HEAD}entry: a01\nterminals: [done]\nagents:\n{agents_}  done: {{role: d}}\nedges:\n{edges}  - {{from: a05, to: done}}\n"
    result = project_result(tmp_path, {"g.yaml": text})
    (finding,) = [f for f in result.findings if f.code == "AL310"]
    assert "loop a01 → a02 → a03 → a04 → a05 → … (15 more agents) → a01 has no bound" in finding.message


def test_render_is_the_plain_text_up_to_twelve_terms() -> None:
    leaves = [Leaf(f"x{i} 1×{i}", float(i)) for i in range(1, 13)]
    assert render(total(leaves)) == " + ".join(leaf.text for leaf in leaves)
    nested = form(("m 2×1 × (1 + ", total(leaves[:3]), ")"), 14.0, ("m 2×1 × (1 + ", ")"))
    loop = form(("3 passes [", total([Leaf("1", 1.0), Leaf("max_traversals 2 (a → b)", 2.0)]), "] × (", total([nested, leaves[3]]), ")"), 54.0, ("3 passes × (", ")"))
    turns = form(("5 turns × the dearest of (", choice(leaves[:2]), ")"), 10.0, ("5 turns × the dearest of (", ")"))
    assert render(total([loop, turns])) == (
        "3 passes [1 + max_traversals 2 (a → b)] × (m 2×1 × (1 + x1 1×1 + x2 1×2 + x3 1×3) + x4 1×4) + 5 turns × the dearest of (x1 1×1, x2 1×2)"
    )
    # thirteen terms: eight in all, the largest first choice
    assert render(total([*leaves, Leaf("x13 1×13", 13.0)])) == "x8 1×8 + x9 1×9 + x10 1×10 + x11 1×11 + x12 1×12 + x13 1×13 + 7 more totalling 28"
    # a product with no room left shows its value
    wide = total([form(("m 1×1 × (1 + ", total(leaves), ")"), 79.0, ("m 1×1 × (1 + ", ")")), *leaves[:6]])
    assert render(wide) == "m 1×1 × (1 + x12 1×12 + 11 more totalling 66) + x1 1×1 + x2 1×2 + x3 1×3 + x4 1×4 + x5 1×5 + x6 1×6"
    # one term left is written rather than counted; a product with no room at all is its value
    assert render(total([wide, Leaf("y 1×1", 1.0)])) == "m 1×1 × (1 + 78) + x1 1×1 + x2 1×2 + x3 1×3 + x4 1×4 + x5 1×5 + x6 1×6 + y 1×1"


def test_path_text_and_shared_paths() -> None:
    assert path_text(tuple("abcdefghijkl")) == "a → b → c → d → e → f → g → h → i → j → k → l"
    assert path_text(tuple("abcdefghijklm")) == "a → b → c → d → e → … (7 more agents) → m"
    # a delegate's path reached twice adds its agents once, where first reached
    shared = Trail(("d",), (), Trail(("e",)))
    assert agents(Trail(("a", "b"), (shared, Trail(("c",), (shared,))), Trail(("e", "f")))) == ("a", "b", "d", "e", "c", "f")


def test_a_hook_over_a_file_far_along_the_path_shows_the_budget_finding(tmp_path: Path) -> None:
    """The graph is split in two files; the finding sits at the entry (first file). A
    --whole-project run over the second file alone (what the pre-commit hook does when only it
    changed) still shows it: the second file's agents are on the worst path (related)."""
    from agentlint import api
    from agentlint.config import CliOverrides

    agents_ = [
        f"  a{i:02d}: {{role: r, timeout: {10 * (i % 4 + 1)}, retries: {{max_attempts: {i % 3 + 1}}}, max_iterations: {i % 5 + 1}}}\n"
        for i in range(1, 31)
    ]
    edges = [f"  - {{from: a{i:02d}, to: a{i + 1:02d}}}\n" for i in range(1, 30)]
    (tmp_path / ".git").mkdir()
    (tmp_path / "first.yaml").write_text(f"{HEAD}entry: a01\nagents:\n{''.join(agents_[:15])}edges:\n{''.join(edges[:14])}", encoding="utf-8")
    (tmp_path / "second.yaml").write_text(f"{HEAD}terminals: [a30]\nagents:\n{''.join(agents_[15:])}edges:\n{''.join(edges[14:])}", encoding="utf-8")
    settings = api.settings_for(["second.yaml"], CliOverrides(select=("AL311",)), isolated=True, root=tmp_path)
    result = api.check(["second.yaml"], settings, root=tmp_path, whole_project=True)
    assert [(f.code, f.path, f.line) for f in result.findings] == [("AL311", "first.yaml", 6)]
    assert [r.path for r in result.findings[0].related][-1] == "second.yaml"
