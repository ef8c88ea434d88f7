"""Time ``agentlint check DIR --format concise`` as a whole process on synthetic projects.

For each size (by default a 5-file project, 1,000 and 10,000 files, see generate.py) the
project is generated into a temporary directory and checked several times. Every run is a
fresh child process that starts agentlint as its own child, measures the wall time around it
with ``time.perf_counter`` (interpreter start included) and reads the peak resident set size
from ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``: as the measuring process is new for
every run, that maximum belongs to that run alone. Then ``python -X importtime -m agentlint
check <the 5 files>`` shows where start-up time goes.

    python benchmarks/run.py                      # 5, 1000 and 10000 files
    python benchmarks/run.py --sizes 5,1000 --repeat 3 --json results.json

POSIX only (the ``resource`` module).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

DEFAULT_SIZES = (5, 1000, 10000)


# --------------------------------------------------------------------------- one measurement


def _measure_child(cwd: str, cmd: list[str]) -> int:
    """Run in a fresh process: run ``cmd`` once and print its numbers as JSON."""
    import resource

    # Repeated runs of one project would otherwise read it from the persistent cache after the
    # first (agentlint.cache): measure reading the files, unless the caller set the variable
    # (benchmarks/cache.py measures the cache itself).
    env = {**os.environ, "AGENTLINT_NO_CACHE": os.environ.get("AGENTLINT_NO_CACHE", "1")}
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - started
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    rss_bytes = maxrss if sys.platform == "darwin" else maxrss * 1024  # Linux reports KiB
    stdout = done.stdout.decode("utf-8", "replace")
    findings = [line for line in stdout.splitlines() if re.search(r" \[AL\d{3}\]$", line)]
    codes: dict[str, int] = {}
    for line in findings:
        code = line[-6:-1]
        codes[code] = codes.get(code, 0) + 1
    json.dump(
        {
            "wall": wall,
            "rss": rss_bytes,
            "rc": done.returncode,
            "findings": len(findings),
            "codes": dict(sorted(codes.items())),
            "stderr": done.stderr.decode("utf-8", "replace")[-2000:],
        },
        sys.stdout,
    )
    return 0


def measure(cmd: list[str], cwd: Path) -> dict:
    """One run of ``cmd`` measured from a brand-new child process."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "_measure", str(cwd), "--", *cmd],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def agentlint_command(python: str) -> list[str]:
    script = Path(python).with_name("agentlint")
    return [str(script)] if script.exists() else [python, "-m", "agentlint"]


# --------------------------------------------------------------------------- import time


def import_times(python: str, cwd: Path, files: list[str]) -> list[tuple[int, int, str, int]]:
    """(cumulative us, self us, module, depth) for every import of ``agentlint check FILES``."""
    done = subprocess.run(
        [python, "-X", "importtime", "-m", "agentlint", "check", "--format", "concise", *files],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match:
            rows.append((int(match.group(2)), int(match.group(1)), match.group(4), (len(match.group(3)) - 1) // 2))
    return rows


# --------------------------------------------------------------------------- report


def mib(value: float) -> str:
    return f"{value / 2**20:,.0f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    line = lambda cells: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_measure"]:
        return _measure_child(argv[1], argv[3:])

    parser = argparse.ArgumentParser(description="Benchmark agentlint check as a whole process.")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated file counts")
    parser.add_argument("--repeat", type=int, help="runs per size (default: 5, and 3 from 10,000 files up)")
    parser.add_argument("--python", default=sys.executable, help="interpreter with agentlint installed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()} | {5})

    work = args.keep or Path(tempfile.mkdtemp(prefix="agentlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cmd = agentlint_command(args.python)
    version = subprocess.run([*cmd, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version} | Python {platform.python_version()} | {platform.machine()} | {os.cpu_count()} CPUs")
    print(f"command: {' '.join(cmd)} check DIR --format concise   (work dir: {work})\n")

    results = []
    try:
        baseline = [measure([args.python, "-c", "pass"], work) for _ in range(5)]
        results.append({"case": "python -c pass", "files": 0, "runs": baseline})
        for size in sizes:
            project = work / f"project-{size}"
            if project.exists():
                shutil.rmtree(project)
            started = time.perf_counter()
            summary = generate(project, size, args.seed)
            generated = time.perf_counter() - started
            seeded = sum(summary["seeded_findings"].values())
            print(
                f"generated {size:,} files in {generated:.1f}s: {summary['graphs']} graphs / "
                f"{summary['graph_parts']} parts, {summary['unrelated']} unrelated, {seeded} seeded findings "
                f"{summary['seeded_findings']}",
                flush=True,
            )
            if size == min(sizes):
                measure([*cmd, "check", project.name, "--format", "concise"], work)  # warm .pyc caches
            repeat = args.repeat or (3 if size >= 10000 else 5)
            runs = [measure([*cmd, "check", project.name, "--format", "concise"], work) for _ in range(repeat)]
            for run in runs:
                if run["rc"] not in (0, 1):
                    print(f"  !! exit {run['rc']}: {run['stderr']}", file=sys.stderr)
            results.append({"case": f"check {size:,} files", "files": size, "summary": summary, "runs": runs})
            print(f"  {repeat} runs: median {statistics.median(r['wall'] for r in runs):.2f}s, findings {runs[0]['codes']}", flush=True)

        rows = []
        for result in results:
            walls = [r["wall"] for r in result["runs"]]
            rss = [r["rss"] for r in result["runs"]]
            last = result["runs"][-1]
            rows.append([
                result["case"], str(len(walls)),
                f"{min(walls):.3f}", f"{statistics.median(walls):.3f}", f"{max(walls):.3f}",
                f"{statistics.median(walls) / result['files'] * 1000:.2f}" if result["files"] else "-",
                mib(statistics.median(rss)), mib(max(rss)),
                str(last["rc"]), str(last["findings"]),
            ])
        print()
        print(table(
            ["case", "runs", "wall min s", "median s", "max s", "ms/file", "RSS med MiB", "RSS max MiB", "exit", "findings"],
            rows,
        ))

        small = work / "project-5"
        files = sorted(p.relative_to(small).as_posix() for p in small.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
        imports = import_times(args.python, small, files)
        total = sum(row[0] for row in imports if row[3] == 0)
        print(f"\npython -X importtime -m agentlint check <{len(files)} files>: top 15 cumulative imports")
        print(table(
            ["module", "cumulative ms", "self ms"],
            [[name, f"{cum / 1000:.1f}", f"{own / 1000:.1f}"] for cum, own, name, _ in sorted(imports, reverse=True)[:15]],
        ))
        print(f"({len(imports)} modules imported, {total / 1000:.0f} ms in all (top-level imports summed))")

        if args.json:
            args.json.write_text(
                json.dumps({"version": version, "results": results, "imports": imports}, indent=2) + "\n", encoding="utf-8"
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
