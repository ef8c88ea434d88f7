"""Time ``agentlint check`` and ``agentlint graph`` as whole processes on a large topology.

The generated project (neutral AgentGraph format, 50 agents per file, graphs split over many
files that share ``metadata.name``) holds N agents (default 10,000) in several graphs:

- ``swarm``: a fully connected 12-agent swarm (every agent hands off to every other: 132
  edges, more than 10^8 simple cycles) that exits to a terminal, unbounded;
- ``ring``: 30% of the agents in ONE strongly connected component (a ring with chords back),
  with an exit to a terminal and no bound;
- ``mesh``: 20% in one component whose back edges are bounded except one unbounded chord;
- ``trap``: 5% in one component with no exit at all (AL101);
- ``pipeline-K``: the rest as acyclic fan-out trees of 500 agents (leaves are terminals).

Each command runs in a brand-new measuring process (like run.py): wall time around the child
with ``time.perf_counter`` and its peak RSS from ``getrusage(RUSAGE_CHILDREN)``. The analysis
must stay linear (SCCs, never cycle enumeration): ``--sizes 2500,10000`` shows the scaling;
``--profile`` prints the top functions of an in-process ``graph --format json`` run.

    python benchmarks/topology.py                          # 10,000 agents, 3 runs each
    python benchmarks/topology.py --sizes 2500,5000,10000 --repeat 1
    python benchmarks/topology.py --profile --keep /tmp/topo

POSIX only (``resource``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import agentlint_command, measure, mib, table  # noqa: E402

PER_FILE = 50
HEADER = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: %s}\n"


def _agent(name: str, role: str) -> str:
    return f"  {name}: {{role: {role}, model: gpt-4o-2024-08-06, timeout: 30s, retries: {{max_attempts: 2}}}}\n"


def _write_graph(out: Path, graph: str, agents: list[str], edges: list[tuple], entry: str, terminal: str | None) -> int:
    """Split a graph over files of PER_FILE agents; each edge goes in its source's file."""
    home = {name: i // PER_FILE for i, name in enumerate(agents)}
    chunks: dict[int, list[str]] = {}
    for source, target, extra in edges:
        chunks.setdefault(home[source], []).append(f"  - {{from: {source}, to: {target}{extra}}}\n")
    files = 0
    for index in range(0, len(agents), PER_FILE):
        part = index // PER_FILE
        text = HEADER % graph
        if part == 0:
            text += f"entry: {entry}\n" + (f"terminals: [{terminal}]\n" if terminal else "")
        text += "agents:\n" + "".join(_agent(a, "worker") for a in agents[index:index + PER_FILE])
        if chunks.get(part):
            text += "edges:\n" + "".join(chunks[part])
        (out / f"{graph}-{part:04d}.yaml").write_text(text, encoding="utf-8")
        files += 1
    return files


def generate(out: Path, total: int) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    (out / "pyproject.toml").write_text("[tool.agentlint]\n", encoding="utf-8")
    summary = {"agents": 0, "edges": 0, "files": 0, "graphs": {}}

    def emit(graph: str, agents: list[str], edges: list[tuple], entry: str, terminal: str | None, what: str) -> None:
        summary["files"] += _write_graph(out, graph, agents, edges, entry, terminal)
        summary["agents"] += len(agents)
        summary["edges"] += len(edges)
        summary["graphs"][graph] = f"{len(agents)} agents, {len(edges)} edges: {what}"

    swarm = [f"s{i:02d}" for i in range(12)]
    edges = [(a, b, "") for a in swarm for b in swarm if a != b]
    edges += [("entry", "s00", ""), ("s11", "done", ", when: finished")]
    emit("swarm", ["entry", *swarm, "done"], edges, "entry", "done", "fully connected 12-agent swarm")

    size = max(int(total * 0.30), 10)
    ring = [f"r{i:05d}" for i in range(size)]
    edges = [(ring[i], ring[(i + 1) % size], "") for i in range(size)]
    edges += [(ring[i], ring[i - 7], ", when: rework") for i in range(10, size, 10)]
    edges += [(ring[-1], "done", ", when: finished")]
    emit("ring", [*ring, "done"], edges, ring[0], "done", "one unbounded SCC with an exit")

    size = max(int(total * 0.20), 10)
    mesh = [f"m{i:05d}" for i in range(size)]
    edges = [(mesh[i], mesh[i + 1], "") for i in range(size - 1)]
    edges += [(mesh[i], mesh[i - 5], ", when: retry, max_traversals: 3") for i in range(5, size, 5)]
    edges += [(mesh[-1], mesh[0], ", when: again, max_traversals: 2"), (mesh[40], mesh[3], ", when: unbounded chord")]
    edges += [(mesh[-1], "done", ", when: finished")]
    emit("mesh", [*mesh, "done"], edges, mesh[0], "done", "one bounded SCC with one unbounded loop")

    size = max(int(total * 0.05), 10)
    trap = [f"t{i:05d}" for i in range(size)]
    edges = [("start", trap[0], "")] + [(trap[i], trap[(i + 1) % size], "") for i in range(size)]
    edges += [(trap[i], trap[i - 3], ", max_traversals: 5") for i in range(3, size, 3)]
    emit("trap", ["start", *trap, "done"], edges, "start", "done", "one SCC with no exit")

    left, k = total - summary["agents"], 0
    while left > 0:
        size = min(500, left)
        names = [f"k{k}_{i:04d}" for i in range(size)]
        edges = [(names[(i - 1) // 3], names[i], ", kind: delegate") for i in range(1, size)]
        emit(f"pipeline-{k}", names, edges, names[0], None, "acyclic fan-out (its leaves are the terminals)")
        left -= size
        k += 1
    return summary


def profile(project: Path) -> None:
    import cProfile
    import io
    import os
    import pstats

    from agentlint.cli import main

    here = os.getcwd()
    os.chdir(project)
    try:
        profiler = cProfile.Profile()
        sink, sys.stdout = sys.stdout, io.StringIO()
        try:
            profiler.runcall(main, ["graph", ".", "--format", "json"])
        finally:
            sys.stdout = sink
    finally:
        os.chdir(here)
    stats = io.StringIO()
    pstats.Stats(profiler, stream=stats).sort_stats("cumulative").print_stats(25)
    print(stats.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark agentlint check/graph on a large agent topology.")
    parser.add_argument("--sizes", default="10000", help="comma-separated agent counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    parser.add_argument("--profile", action="store_true", help="profile graph --format json in-process (largest size)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="agentlint-topology-"))
    work.mkdir(parents=True, exist_ok=True)
    cmd = agentlint_command(args.python)
    cases = (
        ("check", ["check", ".", "--format", "concise"]),
        ("graph json", ["graph", ".", "--format", "json"]),
        ("graph mermaid", ["graph", ".", "--format", "mermaid"]),
    )
    results, rows = [], []
    try:
        for size in sorted(int(s) for s in args.sizes.split(",") if s.strip()):
            project = work / f"topology-{size}"
            if project.exists():
                shutil.rmtree(project)
            summary = generate(project, size)
            print(f"{size:,} agents: {summary['edges']:,} edges in {summary['files']} files")
            for graph, what in summary["graphs"].items():
                if not graph.startswith("pipeline-") or graph == "pipeline-0":
                    print(f"  {graph}: {what}")
            measure([*cmd, "check", ".", "--format", "concise"], project)  # warm .pyc caches
            for case, argv_ in cases:
                runs = [measure([*cmd, *argv_], project) for _ in range(args.repeat)]
                bad = [r for r in runs if r["rc"] not in (0, 1)]
                if bad:
                    print(f"  !! {case}: exit {bad[0]['rc']}: {bad[0]['stderr']}", file=sys.stderr)
                walls, rss = [r["wall"] for r in runs], [r["rss"] for r in runs]
                results.append({"agents": size, "case": case, "runs": runs})
                rows.append([f"{case} ({size:,} agents)", str(len(runs)), f"{min(walls):.2f}",
                             f"{statistics.median(walls):.2f}", mib(max(rss)), str(runs[-1]["rc"]),
                             " ".join(f"{c}:{n}" for c, n in runs[-1]["codes"].items())])
        print()
        print(table(["case", "runs", "wall min s", "median s", "RSS max MiB", "exit", "findings"], rows))
        if args.profile:
            print(f"\ncProfile of 'agentlint graph . --format json' ({project.name}), by cumulative time:")
            started = time.perf_counter()
            profile(project)
            print(f"(profiled run: {time.perf_counter() - started:.1f}s)")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
