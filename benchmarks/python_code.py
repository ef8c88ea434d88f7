"""Benchmark agentlint on a Python-heavy project (see generate_python.py): numbers, not tests.

1. Per file, in this process, through the engine's own per-file path (``engine._process``:
   read, byte prefilter, decode, parse, every adapter that claims the file):
   - a skipped file (plain Python naming no library agentlint reads); target <= 0.1 ms;
   - a parsed file, against ``ast.parse`` of the same text (the cyclic GC paused for both, as
     the engine pauses it for a module); target <= 3x. The loader plus the shared code
     groundwork (``facts_of``) is timed too, so the number means something even before any
     code adapter claims the file.
   Each file is timed 3 times and the fastest kept (the files are in the page cache).
2. Whole process: ``agentlint check DIR --format concise`` on the project, on its plain files
   alone and on one of its packages (wall time and peak RSS, as benchmarks/run.py measures them).
3. cProfile of the parsed-file path: where the time goes.
4. fixit (``fixit lint``, the libcst-based linter) on the same parsed files, when an
   interpreter with fixit is given (``--fixit /path/to/venv/bin/fixit``) or on PATH.

    python benchmarks/python_code.py                   # 1,000 files
    python benchmarks/python_code.py --files 200 --fixit /tmp/fixit-venv/bin/fixit --keep /tmp/pybench
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_python import generate  # noqa: E402
from run import agentlint_command, measure, mib, table  # noqa: E402

from agentlint import api, engine  # noqa: E402
from agentlint.adapters._code.scope import facts_of  # noqa: E402
from agentlint.discover import Candidate  # noqa: E402
from agentlint.loaders.python import decode_python, load_python  # noqa: E402


def _best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _process(settings, rel: str, real: Path) -> engine._Run:  # type: ignore[no-untyped-def]
    run = engine._Run(settings)
    engine._process(run, Candidate(rel, str(real), False))
    return run


def per_file(project: Path, kinds: dict[str, list[Path]]) -> dict:
    settings = api.settings_for(["."], isolated=True, root=project)
    out: dict = {}
    skipped = [_best(lambda p=p: _process(settings, p.relative_to(project).as_posix(), p)) for p in kinds["plain"]]
    out["skipped_ms"] = [t * 1000 for t in skipped]
    for kind in ("graph", "client"):
        rows = []
        for path in kinds[kind]:
            rel = path.relative_to(project).as_posix()
            text = decode_python(path.read_bytes())
            parse = _best(lambda: ast_parse(text))
            process = _best(lambda: _process(settings, rel, path))
            groundwork = _best(lambda: _groundwork(rel, text))
            run = _process(settings, rel, path)
            rows.append((parse, process, groundwork, len(text.encode("utf-8")), len(run.entities), len(run.violations)))
        out[kind] = rows
    return out


def _groundwork(rel: str, text: str) -> None:
    gc.disable()
    try:
        loaded = load_python(rel, text)
        facts_of(loaded)
        if loaded.module is not None:
            loaded.module.facts = None  # as the engine does: the tree is freed at once
    finally:
        gc.enable()


def ast_parse(text: str) -> None:
    """The baseline, at its fastest: the cyclic GC paused as the engine pauses it for a module
    (with the GC running, the same parse takes ~25% longer)."""
    import ast

    gc.disable()
    try:
        ast.parse(text)
    finally:
        gc.enable()


def profile(project: Path, paths: list[Path], top: int) -> str:
    settings = api.settings_for(["."], isolated=True, root=project)
    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        _process(settings, path.relative_to(project).as_posix(), path)
        facts_of(load_python(path.name, decode_python(path.read_bytes())))
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(top)
    # by file: where the self time lives
    by_file: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        key = filename.split("/agentlint/", 1)[-1] if "/agentlint/" in filename else Path(filename).name
        by_file[key] = by_file.get(key, 0.0) + tottime
    total = sum(by_file.values())
    lines = [f"{name}: {seconds * 1000:,.0f} ms ({seconds / total:.0%})" for name, seconds in sorted(by_file.items(), key=lambda kv: -kv[1])[:12]]
    return "self time by file:\n  " + "\n  ".join(lines) + "\n\n" + "\n".join(stream.getvalue().splitlines()[:top + 12])


def whole_process(cmd: list[str], cwd: Path, target: str, repeat: int) -> list[dict]:
    measure([*cmd, "check", target, "--format", "concise", "--no-progress"], cwd)  # warm .pyc caches
    return [measure([*cmd, "check", target, "--format", "concise", "--no-progress"], cwd) for _ in range(repeat)]


def fixit_runs(fixit: str, project: Path, paths: list[Path], repeat: int) -> list[float]:
    walls = []
    rels = [p.relative_to(project).as_posix() for p in paths]
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([fixit, "lint", *rels], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
    return walls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark agentlint on a Python-heavy project.")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="whole-process runs per case")
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    parser.add_argument("--fixit", help="fixit executable (default: on PATH, else skipped)")
    parser.add_argument("--fixit-files", type=int, default=100, help="parsed files given to fixit (and to agentlint alike)")
    parser.add_argument("--profile-top", type=int, default=25)
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="agentlint-pybench-"))
    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    cmd = agentlint_command(sys.executable)
    version = subprocess.run([*cmd, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version} | Python {platform.python_version()} | {platform.machine()} | {os.cpu_count()} CPUs")
    try:
        summary = generate(project, args.files, args.seed)
        print(f"generated {summary['files']:,} files, {summary['bytes'] / 2**20:.1f} MiB: {summary['kinds']}, seeded {summary['seeded']}")
        kinds = {kind: sorted((project / kind).rglob("*.py")) for kind in ("graph", "client", "plain")}

        # 1. per file
        numbers = per_file(project, kinds)
        skipped = numbers["skipped_ms"]
        print(f"\n1. per file, in process (fastest of 3; engine._process = read + prefilter + decode + parse + adapters)")
        print(f"skipped (plain, {len(skipped)} files): median {statistics.median(skipped):.3f} ms, "
              f"mean {statistics.mean(skipped):.3f} ms, max {max(skipped):.3f} ms   (target <= 0.1 ms)")
        rows = []
        for kind in ("graph", "client"):
            data = numbers[kind]
            parse = sum(r[0] for r in data)
            process = sum(r[1] for r in data)
            ground = sum(r[2] for r in data)
            ratios = [r[1] / r[0] for r in data]
            rows.append([
                kind, str(len(data)), f"{statistics.mean(r[3] for r in data) / 1024:.1f}",
                f"{parse / len(data) * 1000:.2f}", f"{process / len(data) * 1000:.2f}", f"{process / parse:.2f}x",
                f"{statistics.median(ratios):.2f}x", f"{max(ratios):.2f}x",
                f"{ground / len(data) * 1000:.2f}", f"{ground / parse:.2f}x",
                str(sum(r[4] for r in data)), str(sum(r[5] for r in data)),
            ])
        print(table(
            ["kind", "files", "KiB avg", "ast.parse ms", "engine ms", "engine/parse", "median ratio", "max ratio",
             "load+facts ms", "/parse", "entities", "load problems"],
            rows,
        ))

        # 2. whole process
        few = sorted((project / "plain" / "pkg00").rglob("*.py")) if (project / "plain" / "pkg00").is_dir() else []
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"], work, 0),
            (f"check plain/pkg00 ({len(few)} skipped)", "plain/pkg00", project, len(few)),
            (f"check plain/ ({len(kinds['plain'])} skipped)", "plain", project, len(kinds["plain"])),
            (f"check . ({args.files} files)", ".", project, args.files),
        ]
        results = []
        for label, target, cwd, count in cases:
            if isinstance(target, list):
                runs = [measure(target, cwd) for _ in range(args.repeat)]
            else:
                runs = whole_process(cmd, cwd, target, args.repeat)
            results.append((label, count, runs))
        print(f"\n2. whole process: agentlint check DIR --format concise ({args.repeat} runs each)")
        rows = []
        for label, count, runs in results:
            walls = [r["wall"] for r in runs]
            rows.append([label, f"{min(walls):.3f}", f"{statistics.median(walls):.3f}", mib(max(r["rss"] for r in runs)),
                         str(runs[-1]["rc"]), str(runs[-1]["codes"])])
        print(table(["case", "wall min s", "median s", "RSS max MiB", "exit", "findings"], rows))
        # differences of minimums: the least disturbed runs (other processes only ever add time)
        few_wall, plain_wall, all_wall = (min(r["wall"] for r in result[2]) for result in results[1:])
        skipped_count = len(kinds["plain"]) - len(few)
        print(f"skipped file, whole process: ({plain_wall:.3f} - {few_wall:.3f}) s / {skipped_count} = "
              f"{(plain_wall - few_wall) / max(1, skipped_count) * 1000:.3f} ms")
        parsed = len(kinds["graph"]) + len(kinds["client"])
        print(f"parsed file, whole process: ({all_wall:.3f} - {plain_wall:.3f}) s / {parsed} = "
              f"{(all_wall - plain_wall) / parsed * 1000:.2f} ms")
        for _, _, runs in results:
            if runs[-1]["rc"] not in (0, 1):
                print(f"  !! exit {runs[-1]['rc']}: {runs[-1]['stderr']}", file=sys.stderr)

        # 3. profile
        print(f"\n3. cProfile of the parsed-file path (engine._process + load + facts_of, {parsed} files)")
        print(profile(project, kinds["graph"] + kinds["client"], args.profile_top))

        # 4. fixit
        fixit = args.fixit or shutil.which("fixit")
        if fixit:
            subset = (kinds["graph"] + kinds["client"])[: args.fixit_files]
            rels = [p.relative_to(project).as_posix() for p in subset]
            fixit_walls = fixit_runs(fixit, project, subset, max(1, args.repeat - 1))
            ours = [measure([*cmd, "check", *rels, "--format", "concise", "--no-progress"], project)["wall"] for _ in range(args.repeat)]
            version = subprocess.run([fixit, "--version"], capture_output=True, text=True).stdout.strip()
            print(f"\n4. fixit lint vs agentlint check on the same {len(subset)} parsed files (whole process, {os.cpu_count()} CPUs)")
            print(table(
                ["tool", "median s", "ms/file"],
                [[version or "fixit", f"{statistics.median(fixit_walls):.2f}", f"{statistics.median(fixit_walls) / len(subset) * 1000:.1f}"],
                 [version_line(cmd), f"{statistics.median(ours):.2f}", f"{statistics.median(ours) / len(subset) * 1000:.1f}"]],
            ))
        else:
            print("\n4. fixit: not installed (pip install fixit into a venv, then --fixit PATH): skipped")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def version_line(cmd: list[str]) -> str:
    return subprocess.run([*cmd, "--version"], capture_output=True, text=True).stdout.strip() or "agentlint"


if __name__ == "__main__":
    sys.exit(main())
