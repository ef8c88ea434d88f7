"""A small directed graph and the linear algorithms the graph queries need.

What agentlint asks of a graph is little: successors and predecessors, strongly connected
components (Tarjan's algorithm, iterative so that a 10,000-agent chain cannot overflow the
stack), the condensation of a graph into the DAG of its components, and a topological order
of that DAG. Importing networkx for that cost ~100 ms of every run's start-up.

Everything iterates in insertion order (nodes in the order added, successors in the order
their edges were added), so results never depend on set or hash order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import Any


class DiGraph:
    """Nodes and directed edges, no attributes, no parallel edges."""

    __slots__ = ("_succ", "_pred", "members", "mapping")

    def __init__(self) -> None:
        self._succ: dict[Hashable, dict[Hashable, None]] = {}
        self._pred: dict[Hashable, dict[Hashable, None]] = {}
        self.members: dict[int, frozenset[Any]] = {}  # a condensation: component -> its nodes
        self.mapping: dict[Any, int] = {}  # a condensation: node -> its component

    def add_node(self, node: Hashable) -> None:
        if node not in self._succ:
            self._succ[node] = {}
            self._pred[node] = {}

    def add_nodes_from(self, nodes: Iterable[Hashable]) -> None:
        for node in nodes:
            self.add_node(node)

    def add_edge(self, source: Hashable, target: Hashable) -> None:
        self.add_node(source)
        self.add_node(target)
        self._succ[source][target] = None
        self._pred[target][source] = None

    def has_edge(self, source: Hashable, target: Hashable) -> bool:
        return target in self._succ.get(source, ())

    def successors(self, node: Hashable) -> Iterator[Any]:
        return iter(self._succ[node])

    def predecessors(self, node: Hashable) -> Iterator[Any]:
        return iter(self._pred[node])

    def edges(self) -> Iterator[tuple[Any, Any]]:
        for source, targets in self._succ.items():
            for target in targets:
                yield source, target

    def __contains__(self, node: object) -> bool:
        return node in self._succ

    def __iter__(self) -> Iterator[Any]:
        return iter(self._succ)

    def __len__(self) -> int:
        return len(self._succ)

    def subgraph(self, nodes: Iterable[Hashable]) -> DiGraph:
        """A copy induced by ``nodes``, in this graph's node and edge order."""
        keep = set(nodes)
        sub = DiGraph()
        sub.add_nodes_from(n for n in self._succ if n in keep)
        for source, target in self.edges():
            if source in keep and target in keep:
                sub.add_edge(source, target)
        return sub


def strongly_connected_components(graph: DiGraph) -> Iterator[set[Any]]:
    """Tarjan's algorithm without recursion: each component once, sinks before their sources
    (reverse topological order of the condensation). O(nodes + edges)."""
    index: dict[Any, int] = {}
    low: dict[Any, int] = {}
    on_stack: set[Any] = set()
    stack: list[Any] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[Any, Iterator[Any]]] = [(root, graph.successors(root))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, graph.successors(child)))
                    break
                if child in on_stack and index[child] < low[node]:
                    low[node] = index[child]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    yield component


def condensation(graph: DiGraph) -> DiGraph:
    """The DAG of ``graph``'s strongly connected components: node ``i`` is the i-th component
    found, ``members[i]`` its nodes, ``mapping[node]`` its component."""
    dag = DiGraph()
    for number, component in enumerate(strongly_connected_components(graph)):
        dag.add_node(number)
        dag.members[number] = frozenset(component)
        for node in component:
            dag.mapping[node] = number
    for source, target in graph.edges():
        a, b = dag.mapping[source], dag.mapping[target]
        if a != b:
            dag.add_edge(a, b)
    return dag


def topological_order(dag: DiGraph) -> list[Any]:
    """Kahn's algorithm, generation by generation (nodes with no predecessor first, in node
    order). Raises ValueError on a cycle."""
    indegree = {node: len(dag._pred[node]) for node in dag}
    generation = [node for node, degree in indegree.items() if degree == 0]
    order: list[Any] = []
    while generation:
        order.extend(generation)
        following = []
        for node in generation:
            for child in dag.successors(node):
                indegree[child] -= 1
                if indegree[child] == 0:
                    following.append(child)
        generation = following
    if len(order) != len(dag):
        raise ValueError("the graph has a cycle")
    return order
