"""Where a large run's memory goes (issue 14, 10,000-file row): peak RSS by phase and by rule.

One new process per measurement runs ``agentlint check DIR --no-cache`` in process and reports
the peak RSS (``ru_maxrss``) when loading ends (at ``Project.build``), once the project is
built, and at the end, plus the rules whose run raised the peak most (a rule's lazily built
structures, such as the graph topologies, stay for the later rules). ``--base`` alternates an
older checkout in every repetition (PYTHONPATH selects the checkout); medians are printed.

    python benchmarks/memory.py --files 10000
    python benchmarks/memory.py --files 10000 --repeat 3 --this /work/main --base /tmp/base
    python benchmarks/memory.py --files 9000 --python 1000      # 10,000 files, 1,000 of them Python

``--python N`` adds N modules of ``generate_python.py`` (LangGraph graphs, LLM clients, plain
code the prefilter skips) under ``src/``, so that every adapter and rule is on.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

_CHILD = r"""
import json, resource, sys, time
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
import agentlint.engine as engine
from agentlint.model.project import Project
marks, rules = {}, []
build = Project.build.__func__
def built(cls, *a, **k):
    marks["loaded"] = rss()
    project = build(cls, *a, **k)
    marks["built"] = rss()
    return project
Project.build = classmethod(built)
runnable = engine.runnable
def measured(*a, **k):
    for code, cls in runnable(*a, **k):
        check = cls.check
        def wrapped(self, project, options, check=check, code=code):
            before = rss()
            found = list(check(self, project, options))
            rules.append((rss() - before, code))
            return found
        cls.check = wrapped
        yield code, cls
engine.runnable = measured
from agentlint.cli import main
start = time.perf_counter()
try:
    main(["check", sys.argv[1], "--no-cache", "--format", "concise", "--output-format", "concise=/dev/null"])
except SystemExit:
    pass
marks["end"] = rss()
marks["seconds"] = round(time.perf_counter() - start, 2)
marks["rules"] = sorted(rules, reverse=True)[:5]
print(json.dumps(marks))
"""


def measure(checkout: str, project: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=checkout)
    # -P: the current folder is not put before PYTHONPATH (run from a checkout, it would be measured instead of --this/--base)
    out = subprocess.run([sys.executable, "-P", "-c", _CHILD, str(project)], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--this", default=str(HERE.parent))
    parser.add_argument("--base", help="an older checkout to alternate with")
    parser.add_argument("--keep", help="write the project here (reused if it exists)")
    parser.add_argument("--python", type=int, default=0, help="also write N Python modules (generate_python.py) under src/")
    args = parser.parse_args()
    name = f"p{args.files}" + (f"-py{args.python}" if args.python else "")
    project = Path(args.keep or tempfile.mkdtemp(prefix="agentlint-memory-")) / name
    if not project.exists():
        generate(project, args.files, 0)
        if args.python:
            from generate_python import generate as generate_python

            generate_python(project / "src", args.python, 0)
    checkouts = {"this": args.this, **({"base": args.base} if args.base else {})}
    runs: dict[str, list[dict]] = {name: [] for name in checkouts}
    for _ in range(args.repeat):
        for name, checkout in checkouts.items():
            runs[name].append(measure(checkout, project))
    total = args.files + args.python
    print(f"{total} files ({args.python} Python), peak RSS in MiB (median of {args.repeat})")
    for name, found in runs.items():
        row = {key: statistics.median(r[key] for r in found) for key in ("loaded", "built", "end", "seconds")}
        print(f"{name:5} loaded {row['loaded']:6.0f}  built {row['built']:6.0f}  end {row['end']:6.0f}  {row['seconds']:.2f} s"
              f"  rules raising the peak: {', '.join(f'{code} +{mib}' for mib, code in found[-1]['rules'] if mib)}")


if __name__ == "__main__":
    main()
