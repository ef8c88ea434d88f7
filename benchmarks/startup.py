"""Start-up: ``agentlint check`` of one small file, whole process, paired against another tree.

Each case is run as a fresh process (interpreter start included, wall time with
``time.perf_counter``), alternating between the trees given with ``--tree`` (each put first on
``PYTHONPATH``, so one interpreter compares two checkouts, e.g. a ``git worktree`` of the commit
before a change), so that load from other processes on the machine falls on both alike.
``python -c pass`` is the floor. Medians and minima are printed; findings must be equal.

    python benchmarks/startup.py                                  # this checkout only
    python benchmarks/startup.py --tree /tmp/base --tree . --repeat 15
    python benchmarks/startup.py --modules                        # which modules a run imports

Cases: a CrewAI ``agents.yaml`` (825 bytes, from ``examples/research-crew``), a one-agent graph
in agentlint's own format, and the same CrewAI file under an empty ``[tool.agentlint]`` table
with ``select``/``ignore`` only (pydantic must stay off that path).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CREW = REPO / "examples" / "research-crew" / "config" / "agents.yaml"
NEUTRAL = "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: g}\nagents:\n  a: {role: r, timeout: 30}\n"
TABLE = '[tool.agentlint]\nselect = ["ALL"]\nignore = ["AL405"]\n'
HEAVY = ("networkx", "pydantic", "rich", "jsonschema", "libcst", "ruamel.yaml")


def cases(work: Path) -> list[tuple[str, Path, Path]]:
    """(label, cwd, file) of each case, written under ``work``."""
    crew = work / "crew"
    crew.mkdir()
    shutil.copy(CREW, crew / "agents.yaml")
    neutral = work / "neutral"
    neutral.mkdir()
    (neutral / "graph.yaml").write_text(NEUTRAL, encoding="utf-8")
    table = work / "table"
    table.mkdir()
    shutil.copy(CREW, table / "agents.yaml")
    (table / "pyproject.toml").write_text(TABLE, encoding="utf-8")
    for folder in (crew, neutral):  # config discovery stops here, not at a pyproject.toml above
        (folder / "agentlint.toml").write_text("", encoding="utf-8")
    return [
        ("crewai agents.yaml", crew, crew / "agents.yaml"),
        ("neutral graph.yaml", neutral, neutral / "graph.yaml"),
        ("crewai + [tool.agentlint] select/ignore", table, table / "agents.yaml"),
    ]


NO_CACHE = {"AGENTLINT_NO_CACHE": "1"}  # a first run: the persistent cache (agentlint.cache) is not read


def once(cmd: list[str], cwd: Path, tree: str | None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds (user + system), stdout) of one run. CPU time hardly depends on
    what else the machine runs: compare it when the wall times are noisy."""
    import resource

    env = _environment(tree)
    if tree is not None:
        env["PYTHONPATH"] = os.path.abspath(tree)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


CACHE: dict[str, str] = {}


def _environment(tree: str | None) -> dict[str, str]:
    """The run's environment: ``.pyc`` files written and read (PYTHONDONTWRITEBYTECODE unset:
    otherwise every run compiles agentlint from source), the cache switch."""
    env = {**os.environ, **CACHE}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def modules(tree: str | None, cwd: Path, path: Path) -> str:
    code = (
        "import sys; from agentlint.cli import main; main(['check', '--format', 'concise', %r]);"
        "print(len(sys.modules), ','.join(m for m in %r if m in sys.modules))"
    ) % (str(path), HEAVY)
    env = _environment(tree)
    if tree is not None:
        env["PYTHONPATH"] = os.path.abspath(tree)
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)
    return done.stdout.splitlines()[-1] if done.stdout else done.stderr[-300:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", default=[], help="a checkout to put on PYTHONPATH (repeatable; default: the installed agentlint)")
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--modules", action="store_true", help="also print how many modules each run imports, and which heavy ones")
    parser.add_argument("--no-cache", action="store_true", help="every run reads its file (AGENTLINT_NO_CACHE=1): start-up without the persistent cache")
    args = parser.parse_args(argv)
    if args.no_cache:
        CACHE.update(NO_CACHE)
    trees: list[str | None] = list(args.tree) or [None]
    with tempfile.TemporaryDirectory(prefix="agentlint-startup-") as tmp:
        rows = cases(Path(tmp))
        floor = [once([sys.executable, "-c", "pass"], Path(tmp), None) for _ in range(args.repeat)]
        walls, cpus = [f[0] for f in floor], [f[1] for f in floor]
        print(f"python -c pass: median {statistics.median(walls) * 1000:.0f} ms, min {min(walls) * 1000:.0f} ms, CPU median {statistics.median(cpus) * 1000:.0f} ms")
        for label, cwd, path in rows:
            cmd = [sys.executable, "-m", "agentlint", "check", "--format", "concise", str(path)]
            times: dict[str | None, list[float]] = {tree: [] for tree in trees}
            cpu: dict[str | None, list[float]] = {tree: [] for tree in trees}
            outputs: dict[str | None, set[str]] = {tree: set() for tree in trees}
            for tree in trees:  # warm-up: .pyc files
                once(cmd, cwd, tree)
            for _ in range(args.repeat):
                for tree in trees:
                    wall, used, out = once(cmd, cwd, tree)
                    times[tree].append(wall)
                    cpu[tree].append(used)
                    outputs[tree].add(out)
            print(f"\n{label}")
            for tree in trees:
                name = tree or "installed"
                line = f"  {name:32} median {statistics.median(times[tree]) * 1000:5.0f} ms  min {min(times[tree]) * 1000:5.0f} ms  CPU median {statistics.median(cpu[tree]) * 1000:5.0f} ms"
                if args.modules:
                    line += f"  modules: {modules(tree, cwd, path)}"
                print(line)
            if len({frozenset(o) for o in outputs.values()}) > 1 or any(len(o) > 1 for o in outputs.values()):
                print("  ! different findings:", {tree or "installed": sorted(o) for tree, o in outputs.items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
