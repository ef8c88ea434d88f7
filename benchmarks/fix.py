"""Safe fixes: what ``check --diff`` and ``check --fix`` add to a check, in process.

A generated project: one agent graph whose N agents each use a prompt at ``latest`` (with a
comment on the line), and a registry labelling version 2 of each prompt ``production``, so every
agent has an AL401 finding with a fix. Times (median of ``--repeat``): the check, planning the
fixes (splice, choice of non-conflicting fixes, the two verifying parses), and the in-memory
passes of ``--fix``/``--diff`` (plan + a re-check with the fixed text laid over the file).

    python benchmarks/fix.py                 # N = 100, 500, 2000
    python benchmarks/fix.py --agents 1000 --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentlint import api, fix  # noqa: E402
from agentlint.config import CliOverrides  # noqa: E402


def project(root: Path, n: int) -> None:
    graph = ["apiVersion: agentlint/v1", "kind: AgentGraph", "metadata: {name: big}", "entry: a0", "agents:"]
    registry = ["apiVersion: agentlint/v1", "kind: PromptRegistry", "metadata: {name: reg}", "prompts:"]
    for i in range(n):
        graph += [f"  a{i}:", f"    role: r{i}", "    timeout: 30", "    retries: {max_attempts: 2}", f"    prompt: p{i}:latest  # note {i}"]
        registry += [f"  p{i}:", "    labels: {production: 2}", "    versions:", f"      - {{version: 1, text: 'P {i}'}}", f"      - {{version: 2, text: 'P {i} v2'}}"]
    (root / "agents.yaml").write_text("\n".join(graph) + "\n", encoding="utf-8")
    (root / "prompts.yaml").write_text("\n".join(registry) + "\n", encoding="utf-8")


def timed(call, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, action="append")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'agents':>7} {'check s':>8} {'plan s':>7} {'passes s':>9} {'fixed':>6} {'remaining':>9}")
    for n in args.agents or [100, 500, 2000]:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            project(root, n)
            settings = api.settings_for(["."], CliOverrides(select=("AL401",)), isolated=True, root=root)
            check_s, result = timed(lambda: api.check(["."], settings, root=root), args.repeat)
            plan_s, plan = timed(lambda: fix.plan(result, root, settings), args.repeat)
            passes_s, outcome = timed(
                lambda: fix.apply(result, lambda overlay: api.check(["."], settings, root=root, overlay=overlay), root, settings),
                args.repeat,
            )
            assert plan.fixed == n, plan.problems
            print(f"{n:>7} {check_s:>8.2f} {plan_s:>7.2f} {passes_s:>9.2f} {outcome.fixed:>6} {len(outcome.result.findings):>9}")


if __name__ == "__main__":
    main()
