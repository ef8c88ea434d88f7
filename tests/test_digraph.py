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


def _tarjan(succ: dict[str, list[str]]) -> list[set[str]]:
    """Recursive Tarjan, roots in node order and children in edge order: the reference order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for child in succ[node]:
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            found.append(component)

    for node in succ:
        if node not in index:
            visit(node)
    return found


def test_orders_are_those_of_a_dict_of_dicts() -> None:
    rng = random.Random(11)
    for _ in range(300):
        nodes = [f"n{i}" for i in rng.sample(range(12), rng.randint(1, 12))]
        edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(0, 30))]
        succ: dict[str, dict[str, None]] = {n: {} for n in nodes}
        for a, b in edges:
            succ[a][b] = None
        pred = {n: [a for a in nodes if n in succ[a]] for n in nodes}  # in node order
        ours = graph(edges, tuple(nodes))
        assert list(ours) == nodes and len(ours) == len(nodes)
        assert list(ours.edges()) == [(a, b) for a in nodes for b in succ[a]]
        for n in nodes:
            assert list(ours.successors(n)) == list(succ[n])
            assert list(ours.predecessors(n)) == list(pred[n])
            assert all(ours.has_edge(n, m) == (m in succ[n]) for m in nodes)
        assert list(strongly_connected_components(ours)) == _tarjan({n: list(succ[n]) for n in nodes})
        keep = set(rng.sample(nodes, rng.randint(0, len(nodes))))
        sub = ours.subgraph(keep)
        assert list(sub) == [n for n in nodes if n in keep]
        assert list(sub.edges()) == [(a, b) for a in nodes for b in succ[a] if a in keep and b in keep]


def test_predecessors_in_node_order_made_when_asked_for() -> None:
    g = graph([("c", "a"), ("b", "a")], nodes=("a", "b", "c"))
    assert list(g.successors("c")) == ["a"] and g._pred is None
    assert list(g.predecessors("a")) == ["b", "c"] and g.reach(["a"], backward=True) == {"a", "b", "c"}
    assert list(g.successors("a")) == [] and g.number("c") == 2


def test_adding_after_a_query_reopens_the_graph() -> None:
    g = graph([("a", "b")])
    assert not g.has_edge("b", "a") and list(g.successors("a")) == ["b"]
    g.add_edge("b", "a")
    g.add_edge("a", "b")  # no parallel edge
    g.add_edge("b", "c")
    assert list(g.edges()) == [("a", "b"), ("b", "a"), ("b", "c")]
    assert list(g.predecessors("a")) == ["b"] and g.has_edge("b", "c")
    assert list(strongly_connected_components(g)) == [{"c"}, {"a", "b"}]


def test_numbers_beyond_two_bytes() -> None:
    g = DiGraph()
    g.add_nodes_from(range(70_000))
    g.add_edge(69_999, 0)
    g.add_edge(0, 69_999)
    assert list(g.successors(69_999)) == [0] and list(g.predecessors(69_999)) == [0]
    assert g.numbered()[2].itemsize == 4
    assert graph([("a", "b")]).numbered()[2].itemsize == 2
