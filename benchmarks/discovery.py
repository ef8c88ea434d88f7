"""Discovery alone: ``discover.discover`` against ``os.walk`` of the same tree (issue 14 target:
discovery of 10,000 files at most 2x ``os.walk``).

Writes a repository-like tree of N files (default 10,000) in nested folders (``src/``,
``services/``, ``docs/``, ``config/``, 3-5 levels, 8-20 files a folder; ``.py``, ``.ts``,
``.md``, ``.yaml``, ``.json``, ``.txt``, requirements and ``.env`` files) plus a small ``.git``
and ``node_modules`` that both walks skip. Every measurement is a new process that imports
first, then times one walk (``time.perf_counter``): ``os.walk`` pruning the default excluded
folders and keeping every file path (the least a walker does), and ``discover(["."], root,
listing=Listing(...))`` as ``agentlint check .`` calls it. Runs alternate between the two
walks and, with ``--base``, between this checkout and another one (e.g. a ``git worktree``
before a change); medians are reported.

    python benchmarks/discovery.py --files 10000 --repeat 7 --base /tmp/base
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXTENSIONS = [".py"] * 8 + [".ts"] * 3 + [".md"] * 2 + [".yaml"] * 3 + [".json"] * 2 + [".txt", ".cfg", ".png"]
NAMES = "core api util model view test handler client server config schema agent tool prompt graph".split()


def generate(root: Path, files: int, seed: int = 0) -> dict:
    rng = random.Random(seed)
    folders = [root]
    written = made = 0
    queue = [(root / top, 1) for top in ("src", "services", "docs", "config", "tests")]
    while written < files:
        folder, level = queue.pop(0) if queue else (rng.choice(folders) / f"extra{made}", 2)
        folder.mkdir(parents=True, exist_ok=True)
        folders.append(folder)
        made += 1
        for index in range(min(rng.randint(8, 20), files - written)):
            name = f"{rng.choice(NAMES)}_{index}{rng.choice(EXTENSIONS)}"
            if rng.random() < 0.01:
                name = rng.choice(["requirements.txt", ".env", "Dockerfile", ".gitignore"])
            (folder / name).write_bytes(b"x\n")
            written += 1
        if level < 5:
            queue += [(folder / f"{rng.choice(NAMES)}{n}", level + 1) for n in range(rng.randint(1, 4))]
    for skipped in (".git/objects/ab", "node_modules/pkg/lib"):
        (root / skipped).mkdir(parents=True, exist_ok=True)
        for index in range(50):
            (root / skipped / f"f{index}.json").write_bytes(b"{}\n")
    return {"files": written, "folders": made}


_CHILD = """
import json, os, sys, time
walk = sys.argv[1]
root = os.getcwd()
if walk == "os.walk":
    from agentlint.discover import DEFAULT_EXCLUDES
    skip = frozenset(DEFAULT_EXCLUDES)
    began = time.perf_counter()
    found = []
    for folder, dirs, files in os.walk("."):
        dirs[:] = [d for d in dirs if d not in skip]
        found += [os.path.join(folder, f) for f in files if f not in skip]
    spent = time.perf_counter() - began
    count = len(found)
else:
    from pathlib import Path
    from agentlint.discover import Listing, discover
    began = time.perf_counter()
    listing = Listing(set(), set())
    candidates, _ = discover(["."], Path(root), listing=listing)
    spent = time.perf_counter() - began
    count = len(listing.files)
print(json.dumps({"seconds": spent, "files": count}))
"""


def measure(checkout: Path, project: Path, walk: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run([sys.executable, "-c", _CHILD, walk], cwd=project, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base", type=Path, help="another agentlint checkout to compare with (paired, alternating runs)")
    parser.add_argument("--this", type=Path, default=HERE.parent, help="the checkout measured (default: this one)")
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    args = parser.parse_args()
    project = args.keep or Path(tempfile.mkdtemp(prefix="agentlint-discovery-"))
    summary = generate(project, args.files, args.seed) if not (project / "src").exists() else {"files": "kept"}
    print(f"tree {summary} in {project}")
    cases = [("os.walk", args.this.resolve(), "os.walk"), ("discover (this)", args.this.resolve(), "discover")]
    if args.base:
        cases.append(("discover (base)", args.base.resolve(), "discover"))
    for _, checkout, walk in cases:
        measure(checkout, project, walk)  # warm the .pyc and directory caches
    runs: dict[str, list[dict]] = {name: [] for name, _, _ in cases}
    for _ in range(args.repeat):
        for name, checkout, walk in cases:
            runs[name].append(measure(checkout, project, walk))
    walk_median = statistics.median(r["seconds"] for r in runs["os.walk"])
    print(f"\n{'walk':<16} {'paths':>6} {'median s':>9} {'min s':>7} {'x os.walk':>9}")
    for name, _, _ in cases:
        seconds = [r["seconds"] for r in runs[name]]
        median = statistics.median(seconds)
        print(f"{name:<16} {runs[name][0]['files']:>6} {median:>9.3f} {min(seconds):>7.3f} {median / walk_median:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
