"""Loaders and memory (issue 14, levers 4 and 5): YAML/JSON loading against libyaml + json,
and the peak RSS of a large run.

On a generated project (generate.py: ~85% YAML graph parts, ~15% JSON, no Python):

1. In process, fastest of ``--repeat``: ``load_yaml``/``load_json`` of every YAML/JSON file
   against the reference parse of the same texts (PyYAML's libyaml ``CSafeLoader`` when
   PyYAML is installed, else ruamel's C-parser safe load; ``json.loads``), and the JSON loader
   with the lazy road off (``lazy=False``: the exact scanner on every file).
2. Whole process (run.py's measurement: a new measuring process per run, wall time and peak
   RSS; AGENTLINT_NO_CACHE=1): ``agentlint check`` of the 1,000-file project and of the
   ``--big``-file one, as a multiple of the reference parse of the same files.

``--base`` measures an older checkout too, each repetition alternating the two, so that
both share the machine's load (medians; PYTHONPATH selects the checkout).

    python benchmarks/loaders.py                                  # 1,000 and 10,000 files
    python benchmarks/loaders.py --big 0 --repeat 5 --this /tmp/snap --base /tmp/base
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
from run import measure  # noqa: E402


def _texts(project: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    files = sorted(p for p in project.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
    pairs = [(str(p.relative_to(project)), p.read_text(encoding="utf-8")) for p in files]
    return [f for f in pairs if not f[0].endswith(".json")], [f for f in pairs if f[0].endswith(".json")]


def _in_process(project: str, repeat: int) -> None:
    """Run inside the checkout measured (``_in_process`` subcommand): print JSON timings."""
    import time

    from agentlint.loaders.json import load_json
    from agentlint.loaders.yaml import load_yaml

    yaml_files, json_files = _texts(Path(project))
    try:
        import yaml as pyyaml

        loader = pyyaml.CSafeLoader

        def reference_yaml(text: str) -> object:
            return list(pyyaml.load_all(text, Loader=loader))

        reference = "PyYAML CSafeLoader"
    except (ImportError, AttributeError):
        from ruamel.yaml import YAML

        def reference_yaml(text: str) -> object:
            return list(YAML(typ="safe", pure=False).load_all(text))

        reference = "ruamel safe (C parser)"

    lazy_json = "lazy" in load_json.__code__.co_varnames

    def best(job) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            job()
            times.append(time.perf_counter() - started)
        return min(times)

    out = {
        "reference": reference,
        "yaml_files": len(yaml_files),
        "json_files": len(json_files),
        "ref_yaml": best(lambda: [reference_yaml(t) for _, t in yaml_files]),
        "ref_json": best(lambda: [json.loads(t) for _, t in json_files]),
        "yaml": best(lambda: [load_yaml(p, t) for p, t in yaml_files]),
        "json": best(lambda: [load_json(p, t) for p, t in json_files]),
    }
    # what an adapter that locates every node costs: the lazy map scanned on first use
    out["json_located"] = best(lambda: [d.source_map.values for p, t in json_files for d in load_json(p, t).docs])
    if lazy_json:
        out["json_exact"] = best(lambda: [load_json(p, t, lazy=False) for p, t in json_files])
    json.dump(out, sys.stdout)


def _loaders(checkout: Path, project: Path, repeat: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "_in_process", str(project), str(repeat)],
        env=env, capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout)


def _check(checkout: Path, project: Path) -> dict:
    os.environ["PYTHONPATH"] = str(checkout)
    os.environ["AGENTLINT_NO_CACHE"] = "1"
    return measure([sys.executable, "-m", "agentlint", "check", ".", "--format", "concise", "--no-progress"], project)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_in_process":
        _in_process(sys.argv[2], int(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--big", type=int, default=10000, help="files of the memory case (0: skip)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--this", type=Path, default=HERE.parent, help="the checkout measured")
    parser.add_argument("--base", type=Path, help="an older checkout, measured alternately")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    checkouts = {"this": args.this, **({"base": args.base} if args.base else {})}
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        sizes = [args.files] + ([args.big] if args.big else [])
        for size in sizes:
            project = root / f"p{size}"
            if not project.exists():
                generate(project, files=size, seed=0)
            ref = None
            if size == args.files:
                print(f"\n## {size} files: loaders in process (fastest of {args.repeat})")
                for name, checkout in checkouts.items():
                    r = _loaders(checkout, project, args.repeat)
                    ref = min(ref or 1e9, r["ref_yaml"] + r["ref_json"])  # the same parse in each run: the faster
                    print(
                        f"{name:<5} {r['yaml_files']} YAML: load_yaml {r['yaml']:.3f} s vs {r['reference']} {r['ref_yaml']:.3f} s"
                        f" ({r['yaml'] / r['ref_yaml']:.2f}x); {r['json_files']} JSON: load_json {r['json']:.3f} s"
                        f" (every span asked: {r['json_located']:.3f} s"
                        + (f", exact scanner: {r['json_exact']:.3f} s" if "json_exact" in r else "")
                        + f") vs json.loads {r['ref_json']:.4f} s"
                    )
            runs: dict[str, list[dict]] = {name: [] for name in checkouts}
            for _ in range(args.repeat if size == args.files else max(1, args.repeat - 1)):
                for name, checkout in checkouts.items():
                    runs[name].append(_check(checkout, project))
            print(f"\n## {size} files: agentlint check, whole process (median of {len(runs['this'])})")
            print(f"{'checkout':<8} {'median s':>9} {'min s':>7} {'peak MiB':>9} {'findings':>9}" + ("  x reference" if ref else ""))
            for name, found in runs.items():
                walls = [r["wall"] for r in found]
                line = f"{name:<8} {statistics.median(walls):>9.3f} {min(walls):>7.3f} {max(r['rss'] for r in found) / 2**20:>9.0f} {found[-1]['findings']:>9}"
                print(line + (f"  {statistics.median(walls) / ref:>5.1f}x" if ref else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
