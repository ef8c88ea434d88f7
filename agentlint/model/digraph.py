"""A small directed graph and the linear algorithms the graph queries need.

What agentlint asks of a graph is little: successors and predecessors, strongly connected
components (Tarjan's algorithm, iterative so that a 10,000-agent chain cannot overflow the
stack), the condensation of a graph into the DAG of its components, and a topological order
of that DAG. Importing networkx for that cost ~100 ms of every run's start-up.

Compact, because a project's topologies stay for all the rules (issue 14: a dict per node and
an entry per edge, twice, were 25 MiB of a 10,000-file run): nodes are numbered once (a dict
node -> number and a list), and the first query freezes the edges into two arrays of numbers
(compressed sparse rows: ``offsets[i]:offsets[i + 1]`` of ``targets`` are node ``i``'s
successors); the same rows against the edges are made only when predecessors are asked for.
Adding after a query opens the graph again.

Everything iterates in a fixed order (nodes in the order added, successors in the order their
edges were added, predecessors in node order), so results never depend on set or hash order.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable, Iterator, Mapping
from itertools import accumulate, chain, repeat
from operator import sub
from typing import Any

_SHIFT = 32  # an edge as one number: source << _SHIFT | target (a graph has < 2**32 nodes)


class DiGraph:
    """Nodes and directed edges, no attributes, no parallel edges."""

    __slots__ = ("_index", "_nodes", "_sources", "_targets", "_seen", "_succ", "_pred")

    def __init__(self) -> None:
        self._index: dict[Hashable, int] = {}
        self._nodes: list[Any] = []
        # while building: the edges in insertion order, and the set of them (no parallel
        # edges; made when first needed)
        self._sources: list[int] | None = []
        self._targets: list[int] | None = []
        self._seen: set[int] | None = None
        # frozen: (offsets, numbers) per direction
        self._succ: tuple[array, array] | None = None
        self._pred: tuple[array, array] | None = None

    def _number(self, node: Hashable) -> int:
        number = self._index.get(node)
        if number is None:
            if self._sources is None:
                self._thaw()
            number = self._index[node] = len(self._nodes)
            self._nodes.append(node)
        return number

    def add_node(self, node: Hashable) -> None:
        self._number(node)

    def add_nodes_from(self, nodes: Iterable[Hashable]) -> None:
        index, known = self._index, self._nodes
        for node in nodes:
            if node not in index:
                if self._sources is None:
                    self._thaw()
                index[node] = len(known)
                known.append(node)

    def add_edge(self, source: Hashable, target: Hashable) -> None:
        self.add_numbered_edges((self._number(source),), (self._number(target),))

    def add_numbered_edges(self, sources: Iterable[int], targets: Iterable[int]) -> None:
        """Add the edges ``sources[k] -> targets[k]`` between nodes given by their numbers."""
        if self._sources is None:
            self._thaw()
        seen, kept_sources, kept_targets = self._edge_set(), self._sources, self._targets
        assert kept_sources is not None and kept_targets is not None
        for a, b in zip(sources, targets):
            key = a << _SHIFT | b
            if key not in seen:
                seen.add(key)
                kept_sources.append(a)
                kept_targets.append(b)

    def numbering(self) -> Mapping[Hashable, int]:
        """Node -> its number, its position in insertion order (read only)."""
        return self._index

    def number(self, node: Hashable) -> int:
        """The node's number (KeyError if it is not here)."""
        return self._index[node]

    def has_edge(self, source: Hashable, target: Hashable) -> bool:
        a, b = self._index.get(source), self._index.get(target)
        if a is None or b is None:
            return False
        if self._sources is not None:
            return a << _SHIFT | b in self._edge_set()
        offsets, targets = self._frozen()
        return b in targets[offsets[a] : offsets[a + 1]]

    def successors(self, node: Hashable) -> Iterator[Any]:
        i = self._index[node]
        offsets, targets = self._frozen()
        return map(self._nodes.__getitem__, targets[offsets[i] : offsets[i + 1]])

    def predecessors(self, node: Hashable) -> Iterator[Any]:
        i = self._index[node]
        offsets, sources = self._frozen(backward=True)
        return map(self._nodes.__getitem__, sources[offsets[i] : offsets[i + 1]])

    def edges(self) -> Iterator[tuple[Any, Any]]:
        """Every edge, by source in node order, then in insertion order."""
        offsets, targets = self._frozen()
        nodes = self._nodes
        for i, source in enumerate(nodes):
            for j in targets[offsets[i] : offsets[i + 1]]:
                yield source, nodes[j]

    def reach(self, starts: Iterable[Hashable], backward: bool = False) -> set[Any]:
        """The nodes reachable from ``starts`` (included) along edges, or against them."""
        index = self._index
        seen = bytearray(len(self._nodes))
        queue = []
        for node in starts:
            i = index[node]
            if not seen[i]:
                seen[i] = 1
                queue.append(i)
        if not queue:
            return set()
        offsets, targets = self._frozen(backward)
        for i in queue:  # grows as it goes: a breadth-first search
            for j in targets[offsets[i] : offsets[i + 1]]:
                if not seen[j]:
                    seen[j] = 1
                    queue.append(j)
        nodes = self._nodes
        return {nodes[i] for i in queue}

    def __contains__(self, node: object) -> bool:
        return node in self._index

    def __iter__(self) -> Iterator[Any]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def subgraph(self, nodes: Iterable[Hashable]) -> DiGraph:
        """A copy induced by ``nodes``, in this graph's node and edge order."""
        keep = set(nodes)
        offsets, targets = self._frozen()
        sub = DiGraph()
        renumbered = [-1] * len(self._nodes)
        for i, node in enumerate(self._nodes):
            if node in keep:
                renumbered[i] = sub._number(node)
        sources: list[int] = []
        ends: list[int] = []
        for i, a in enumerate(renumbered):
            if a >= 0:
                for j in targets[offsets[i] : offsets[i + 1]]:
                    b = renumbered[j]
                    if b >= 0:
                        sources.append(a)
                        ends.append(b)
        sub._sources, sub._targets = sources, ends  # no parallel edges here either
        return sub

    def numbered(self) -> tuple[list[Any], array, array]:
        """(nodes, offsets, targets): node ``i``'s successors are the numbers
        ``targets[offsets[i]:offsets[i + 1]]``, for algorithms that run on numbers."""
        offsets, targets = self._frozen()
        return self._nodes, offsets, targets

    def _edge_set(self) -> set[int]:
        if self._seen is None:
            assert self._sources is not None and self._targets is not None
            self._seen = {a << _SHIFT | b for a, b in zip(self._sources, self._targets)}
        return self._seen

    def _frozen(self, backward: bool = False) -> tuple[array, array]:
        if self._succ is None:
            assert self._sources is not None and self._targets is not None
            self._succ = compressed_rows(len(self._nodes), self._sources, self._targets)
            self._sources = self._targets = self._seen = None
        if not backward:
            return self._succ
        if self._pred is None:  # only reach(backward=True) and predecessors() need them
            offsets, targets = self._succ
            self._pred = compressed_rows(len(self._nodes), targets.tolist(), _expand(offsets))
        return self._pred

    def _thaw(self) -> None:
        """Open a frozen graph for more nodes and edges (they keep the frozen edge order)."""
        assert self._succ is not None
        offsets, targets = self._succ
        self._sources, self._targets = _expand(offsets), targets.tolist()
        self._succ = self._pred = self._seen = None


def _expand(offsets: array) -> list[int]:
    """The row of every entry: ``i`` repeated ``offsets[i + 1] - offsets[i]`` times."""
    return list(chain.from_iterable(map(repeat, range(len(offsets) - 1), map(sub, offsets[1:], offsets[:-1]))))


def compressed_rows(count: int, keys: list[int], values: list[int]) -> tuple[array, array]:
    """(offsets, row values): ``values`` grouped by ``keys`` in ``range(count)``, each group in
    the order given (a stable sort), ``offsets[i]:offsets[i + 1]`` the group of ``i``. Two
    bytes a number when they all fit (an agent graph has far fewer than 65,536 edges)."""
    offsets = [0] * (count + 1)
    for key in keys:
        offsets[key + 1] += 1
    offsets = list(accumulate(offsets))
    order = sorted(range(len(keys)), key=keys.__getitem__)  # linear when already grouped
    values = [values[k] for k in order]
    code = "H" if len(keys) < 1 << 16 and count < 1 << 16 and max(values, default=0) < 1 << 16 else "I"
    return array(code, offsets), array(code, values)


class Condensation(DiGraph):
    """The DAG of a graph's strongly connected components (see :func:`condensation`)."""

    __slots__ = ("members", "mapping")

    def __init__(self) -> None:
        super().__init__()
        self.members: dict[int, frozenset[Any]] = {}  # component -> its nodes
        self.mapping: dict[Any, int] = {}  # node -> its component


def components_numbered(graph: DiGraph) -> Iterator[list[int]]:
    """Tarjan's algorithm without recursion on node numbers: each component once (its node
    numbers, last visited first), sinks before their sources (reverse topological order of
    the condensation). Roots in node order, children in edge order. O(nodes + edges)."""
    nodes, rows, ends = graph.numbered()
    offsets, targets = rows.tolist(), ends.tolist()  # lists index faster than arrays
    count = len(nodes)
    index = [-1] * count
    low = [0] * count
    on_stack = bytearray(count)
    stack: list[int] = []
    counter = 0
    for root in range(count):
        if index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        work = [root]  # the DFS path
        position = [offsets[root]]  # the next edge to follow from each node on it
        while work:
            node = work[-1]
            at, end = position[-1], offsets[node + 1]
            while at < end:
                child = targets[at]
                at += 1
                if index[child] < 0:
                    break
                if on_stack[child] and index[child] < low[node]:
                    low[node] = index[child]
            else:
                work.pop()
                position.pop()
                if work:
                    parent = work[-1]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack[member] = 0
                        component.append(member)
                        if member == node:
                            break
                    yield component
                continue
            position[-1] = at
            index[child] = low[child] = counter
            counter += 1
            stack.append(child)
            on_stack[child] = 1
            work.append(child)
            position.append(offsets[child])


def strongly_connected_components(graph: DiGraph) -> Iterator[set[Any]]:
    """Each strongly connected component once as a set of nodes, sinks before their sources
    (reverse topological order of the condensation). O(nodes + edges)."""
    nodes = graph.numbered()[0]
    for component in components_numbered(graph):
        yield {nodes[i] for i in component}


def condensation(graph: DiGraph) -> Condensation:
    """The DAG of ``graph``'s strongly connected components: node ``i`` is the i-th component
    found, ``members[i]`` its nodes, ``mapping[node]`` its component."""
    dag = Condensation()
    nodes, offsets, targets = graph.numbered()
    of = [0] * len(nodes)
    for number, component in enumerate(components_numbered(graph)):
        dag.add_node(number)  # node ``number`` has the number ``number``
        dag.members[number] = frozenset(nodes[i] for i in component)
        for i in component:
            of[i] = number
            dag.mapping[nodes[i]] = number
    sources: list[int] = []
    ends: list[int] = []
    for i, a in enumerate(of):
        for j in targets[offsets[i] : offsets[i + 1]]:
            b = of[j]
            if a != b:
                sources.append(a)
                ends.append(b)
    dag.add_numbered_edges(sources, ends)
    return dag


def topological_order(dag: DiGraph) -> list[Any]:
    """Kahn's algorithm, generation by generation (nodes with no predecessor first, in node
    order). Raises ValueError on a cycle."""
    nodes, offsets, targets = dag.numbered()
    indegree = [0] * len(nodes)
    for j in targets:
        indegree[j] += 1
    generation = [i for i, degree in enumerate(indegree) if degree == 0]
    order: list[int] = []
    while generation:
        order.extend(generation)
        following = []
        for i in generation:
            for child in targets[offsets[i] : offsets[i + 1]]:
                indegree[child] -= 1
                if indegree[child] == 0:
                    following.append(child)
        generation = following
    if len(order) != len(nodes):
        raise ValueError("the graph has a cycle")
    return [nodes[i] for i in order]
