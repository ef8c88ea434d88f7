"""Topology (model/graph.py) over a compact DiGraph: parallel edges between one pair, edges to
and from undefined agents, and the loops built from the edges each agent keeps by number."""

from __future__ import annotations

from pathlib import Path

from agentlint.model.graph import Topology
from tests.test_defaults_and_budget import project_of

DESK = """\
apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: desk
entry: writer
terminals: [publisher]
agents:
  writer: {role: writer}
  critic: {role: critic}
  publisher: {role: publisher}
  stray: {role: stray}
edges:
  - {from: writer, to: critic, max_traversals: 2}
  - {from: critic, to: writer, when: needs changes}
  - {from: writer, to: critic, when: rush}
  - {from: critic, to: publisher, when: approved}
  - {from: ghost, to: stray}
  - {from: stray, to: nowhere}
"""


def _topology(tmp_path: Path) -> Topology:
    (tmp_path / "desk.yaml").write_text(DESK, encoding="utf-8")
    project = project_of(tmp_path)
    (graph,) = project.graphs
    return project.topology(graph)


def _hops(edges) -> list[tuple[str, str, int]]:
    return [(e.source, e.target, e.span.start.line) for e in edges]


def test_parallel_edges_stay_apart_in_source_order(tmp_path: Path) -> None:
    topology = _topology(tmp_path)
    assert _hops(topology.edges_between("writer", "critic")) == [("writer", "critic", 13), ("writer", "critic", 15)]
    assert _hops(topology.edges_from("critic")) == [("critic", "writer", 14), ("critic", "publisher", 16)]
    assert topology.edges_between("ghost", "stray") == [] and topology.edges_between("stray", "nowhere") == []
    assert list(topology.digraph.successors("writer")) == ["critic"]  # one graph edge for the pair


def test_the_bounded_parallel_edge_does_not_bound_the_loop(tmp_path: Path) -> None:
    topology = _topology(tmp_path)
    (cycle,) = topology.cycles()
    assert cycle.agents == ("critic", "writer") and not cycle.contains_terminal
    assert _hops(cycle.witness) == [("writer", "critic", 13), ("critic", "writer", 14)]
    assert _hops(cycle.exits) == [("critic", "publisher", 16)]
    assert _hops(cycle.bounded_edges) == [("writer", "critic", 13)]
    ((loop, owner),) = topology.unbounded_loops()
    assert owner is cycle and loop.agents == ("critic", "writer")
    assert _hops(loop.witness) == [("critic", "writer", 14), ("writer", "critic", 15)]  # the unbounded one
    assert topology.open_unbounded_loops() == [loop]


def test_routes_through_undefined_agents(tmp_path: Path) -> None:
    topology = _topology(tmp_path)
    assert topology.past_undefined() == ({"stray"}, {"stray"})
    assert topology.reachable_from("writer") == {"writer", "critic", "publisher"}
    assert topology.can_reach_any(["publisher", "ghost"]) == {"writer", "critic", "publisher"}
    assert topology.reachable_from("ghost") == set()
