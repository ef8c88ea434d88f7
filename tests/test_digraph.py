"""The graph algorithms behind the topology queries (model/digraph.py)."""

from __future__ import annotations

import random

import pytest

from agentlint.model.digraph import DiGraph, condensation, strongly_connected_components, topological_order


def graph(edges: list[tuple[str, str]], nodes: tuple[str, ...] = ()) -> DiGraph:
    g = DiGraph()
    g.add_nodes_from(nodes)
    for a, b in edges:
        g.add_edge(a, b)
    return g


def test_components_sinks_first_and_self_loops() -> None:
    g = graph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "c"), ("d", "a")], nodes=("a", "b", "c", "d", "e"))
    assert list(strongly_connected_components(g)) == [{"c"}, {"a", "b"}, {"d"}, {"e"}]
    assert g.has_edge("c", "c") and not g.has_edge("c", "b")
    assert list(g.predecessors("a")) == ["b", "d"]


def test_condensation_and_topological_order() -> None:
    g = graph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "d"), ("d", "c"), ("a", "e")])
    dag = condensation(g)
    assert dag.members == {0: frozenset({"c", "d"}), 1: frozenset({"e"}), 2: frozenset({"a", "b"})}
    assert dag.mapping["b"] == 2 and dag.mapping["d"] == 0
    assert list(dag.edges()) == [(2, 1), (2, 0)]
    assert topological_order(dag) == [2, 1, 0]
    with pytest.raises(ValueError):
        topological_order(g)


def test_subgraph_keeps_order_and_only_inner_edges() -> None:
    g = graph([("a", "b"), ("b", "c"), ("c", "a"), ("a", "c")])
    sub = g.subgraph({"c", "a"})
    assert list(sub) == ["a", "c"]
    assert list(sub.edges()) == [("a", "c"), ("c", "a")]


def test_a_long_chain_needs_no_recursion() -> None:
    g = DiGraph()
    for i in range(100_000):
        g.add_edge(i, i + 1)
    g.add_edge(100_000, 0)
    (only,) = strongly_connected_components(g)
    assert len(only) == 100_001


def test_same_components_as_networkx() -> None:
    nx = pytest.importorskip("networkx")
    rng = random.Random(7)
    for _ in range(300):
        nodes = [f"n{i}" for i in range(rng.randint(1, 10))]
        edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(0, 25))]
        ours, theirs = graph(edges, tuple(nodes)), nx.DiGraph()
        theirs.add_nodes_from(nodes)
        theirs.add_edges_from(edges)
        assert sorted(map(sorted, strongly_connected_components(ours))) == sorted(map(sorted, nx.strongly_connected_components(theirs)))
        order = {c: i for i, c in enumerate(topological_order(condensation(ours)))}
        dag = condensation(ours)
        assert all(order[a] < order[b] for a, b in dag.edges())
