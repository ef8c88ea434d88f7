"""The persistent cache (agentlint.cache): the pre-commit hook case and a warm 1,000-file run.

Generates a ~100-file project (generate.py, plus ``--python N`` modules from
generate_python.py under ``src/``) and a 1,000-file one, then measures whole processes with
run.py's measurement (a new measuring process per run, wall time and peak RSS), the cases
alternating within each repetition so that they share the machine's load:

- hook: ``agentlint check --whole-project`` on 5 changed files (2 YAML, 3 JSON graph parts),
  as the pre-commit hook runs it: ``no cache`` reads the whole project; ``cache`` has a cache
  filled by the previous commit's run, and those 5 files changed since (each run changes them
  again: a trailing newline added or removed);
- 1,000 files: ``agentlint check .`` without cache, with a warm cache (nothing changed), and
  cold (the cache folder removed first: the cost of writing every entry).

The ``cache`` runs set AGENTLINT_NO_CACHE=0, the others 1. The checkout measured is given by
``--this`` (default: this one); measure a snapshot (``git worktree add``) when files of the
checkout may change during the run, since any change to agentlint's own files starts a new
cache. ``--base`` adds an older checkout (no cache at all) to the hook row, paired.

    python benchmarks/cache.py --repeat 5
    python benchmarks/cache.py --repeat 5 --python 20 --this /tmp/snap --base /tmp/base
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import measure  # noqa: E402


def _changed(project: Path) -> list[str]:
    """2 YAML and 3 JSON graph parts, from different graphs."""
    parts = sorted(str(p.relative_to(project)) for p in (project / "graphs").rglob("part-*"))
    yaml = [p for p in parts if p.endswith(".yaml")]
    json = [p for p in parts if p.endswith(".json")]
    return [yaml[0], yaml[len(yaml) // 2], *json[:3]]


def _touch(project: Path, files: list[str]) -> None:
    """Change the bytes (not the meaning) of each file: add or remove a trailing newline."""
    for name in files:
        path = project / name
        data = path.read_bytes()
        path.write_bytes(data[:-1] if data.endswith(b"\n\n") else data + b"\n")


def _run(checkout: Path, project: Path, args: list[str], cached: bool) -> dict:
    os.environ["PYTHONPATH"] = str(checkout)
    os.environ["AGENTLINT_NO_CACHE"] = "0" if cached else "1"
    return measure([sys.executable, "-m", "agentlint", "check", "--format", "concise", "--no-progress", *args], project)


def _row(name: str, runs: list[dict]) -> str:
    walls = [r["wall"] for r in runs]
    rss = max(r["rss"] for r in runs) / 2**20
    return f"{name:<34} {statistics.median(walls):>7.3f} {min(walls):>7.3f} {rss:>7.0f} {runs[-1]['findings']:>8}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--hook-files", type=int, default=100)
    parser.add_argument("--big-files", type=int, default=1000, help="0: skip the 1,000-file rows")
    parser.add_argument("--python", type=int, default=0, help="also write N Python modules (generate_python.py) into the hook project")
    parser.add_argument("--this", type=Path, default=HERE.parent, help="the checkout measured (default: this one)")
    parser.add_argument("--base", type=Path, help="an older checkout, measured without cache in the hook row")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    this = args.this.resolve()
    top = args.keep or Path(tempfile.mkdtemp(prefix="agentlint-cache-"))
    hook = top / "hook"
    print("hook project:", generate(hook, args.hook_files, 0))
    if args.python:
        from generate_python import generate as generate_python

        print("  + python:", generate_python(hook / "src", args.python, 0))
    changed = _changed(hook)
    print("changed:", " ".join(changed))
    cases = {
        "hook, no cache": (this, hook, ["--whole-project", *changed], False),
        "hook, cache, 5 files changed": (this, hook, ["--whole-project", *changed], True),
    }
    if args.base:
        cases["hook, base checkout"] = (args.base.resolve(), hook, ["--whole-project", *changed], False)
    big = top / "big"
    if args.big_files:
        print("big project:", generate(big, args.big_files, 0))
        cases["1,000 files, no cache"] = (this, big, ["."], False)
        cases["1,000 files, warm cache"] = (this, big, ["."], True)
        cases["1,000 files, cold cache (writes)"] = (this, big, ["."], True)
    for checkout, project, argv, cached in cases.values():  # .pyc caches, and the cache filled
        _run(checkout, project, argv, cached)
    runs: dict[str, list[dict]] = {name: [] for name in cases}
    for _ in range(args.repeat):
        for name, (checkout, project, argv, cached) in cases.items():
            if "5 files changed" in name:
                _touch(project, changed)
            if "cold" in name:
                shutil.rmtree(project / ".agentlint_cache", ignore_errors=True)
            runs[name].append(_run(checkout, project, argv, cached))  # a cold run leaves the cache warm
    print(f"\n{'case':<34} {'med s':>7} {'min s':>7} {'RSS MiB':>7} {'findings':>8}")
    for name, found in runs.items():
        print(_row(name, found))
    if not args.keep:
        shutil.rmtree(top, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
