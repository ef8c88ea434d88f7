"""Tool schemas: the cost of checking MCP tool schemas against their metaschema (AL210).

Writes N MCP ``tools/list`` files (``{"tools": [...]}``, 1-2 tools each, about 1.2 schemas a
file, every schema distinct: random property names, types, descriptions, ``enum``s, nested
objects and arrays, some ``outputSchema``s and ``$schema: draft-07``), 2% of them with one
seeded metaschema error (AL210; ``--defect-rate``, 0 for none). Then measures, paired and
alternating between this checkout and ``--base`` (another checkout of agentlint, e.g. a
``git worktree`` before a change):

1. ``schema_problems`` of every schema in a fresh process (caches empty): the time per valid
   schema (``us/valid``; each seeded defect has one problem) and for all of them (``all s``,
   which includes importing ``jsonschema`` for the invalid ones), and whether ``jsonschema``
   was imported;
2. ``agentlint check DIR --format concise`` as a whole process (run.py's measurement).

    python benchmarks/schemas.py --files 1000 --repeat 5 --base /tmp/base
    python benchmarks/schemas.py --defect-rate 0 --base /tmp/base   # all valid: no jsonschema
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
WORDS = "file path query limit page user repo branch issue token name id url text mode depth format tag owner".split()


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _property(rng: random.Random, depth: int) -> dict:
    kind = rng.choice(["string", "string", "integer", "number", "boolean", "array", "object" if depth < 2 else "string"])
    prop: dict = {"type": kind, "description": _words(rng, rng.randint(3, 12)).capitalize() + "."}
    if kind == "string":
        choice = rng.random()
        if choice < 0.2:
            prop["enum"] = sorted({rng.choice(WORDS) for _ in range(rng.randint(2, 5))})
        elif choice < 0.3:
            prop["pattern"] = rng.choice(["^[a-z0-9-]+$", "^\\d{4}-\\d{2}-\\d{2}$", "^[A-Z]{2,3}$"])
        elif choice < 0.4:
            prop["format"] = rng.choice(["uri", "date-time", "email"])
        if rng.random() < 0.3:
            prop["minLength"] = rng.randint(0, 3)
    elif kind in ("integer", "number"):
        prop["minimum"] = rng.randint(0, 10)
        if rng.random() < 0.5:
            prop["maximum"] = prop["minimum"] + rng.randint(1, 1000)
        if rng.random() < 0.3:
            prop["default"] = prop["minimum"]
    elif kind == "array":
        prop["items"] = _property(rng, depth + 1) if rng.random() < 0.5 else {"type": "string"}
        if rng.random() < 0.3:
            prop["maxItems"] = rng.randint(1, 50)
    elif kind == "object":
        prop.update(_object(rng, depth + 1))
    return prop


def _object(rng: random.Random, depth: int) -> dict:
    names = sorted({f"{rng.choice(WORDS)}_{rng.choice(WORDS)}" for _ in range(rng.randint(1, 8))})
    schema: dict = {"type": "object", "properties": {name: _property(rng, depth) for name in names}}
    required = [name for name in names if rng.random() < 0.4]
    if required:
        schema["required"] = required
    if rng.random() < 0.5:
        schema["additionalProperties"] = False
    return schema


def _defect(rng: random.Random, schema: dict) -> None:
    """One metaschema error: a wrong type name, or ``required: true`` on a property."""
    name = next(iter(schema["properties"]))
    if rng.random() < 0.5:
        schema["properties"][name]["type"] = "txt"
    else:
        schema["properties"][name]["required"] = True


def generate(root: Path, files: int, seed: int = 0, defect_rate: float = 0.02) -> dict:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    schemas = seeded = 0
    for index in range(files):
        tools = []
        for number in range(1 if rng.random() < 0.85 else 2):
            tool: dict = {"name": f"tool_{index}_{number}", "description": _words(rng, 8), "inputSchema": _object(rng, 0)}
            if rng.random() < 0.1:
                tool["inputSchema"]["$schema"] = "http://json-schema.org/draft-07/schema#"
            if rng.random() < 0.15:
                tool["outputSchema"] = _object(rng, 1)
                schemas += 1
            tools.append(tool)
            schemas += 1
        if rng.random() < defect_rate:
            _defect(rng, tools[0]["inputSchema"])
            seeded += 1
        folder = root / f"server{index // 50:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"tools_{index:05d}.json").write_text(json.dumps({"tools": tools}, indent=2) + "\n", encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.agentlint]\n", encoding="utf-8")
    return {"files": files, "schemas": schemas, "seeded_AL210": seeded}


_IN_PROCESS = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from agentlint.model.schemas import schema_problems
schemas = []
for path in sorted(Path(sys.argv[1]).rglob("*.json")):
    for tool in json.loads(path.read_text())["tools"]:
        schemas += [tool[key] for key in ("inputSchema", "outputSchema") if key in tool]
valid = invalid = 0.0
problems = 0
for schema in schemas:
    began = time.perf_counter()
    found = len(schema_problems(schema))
    spent = time.perf_counter() - began
    problems += found
    if found:
        invalid += spent
    else:
        valid += spent
print(json.dumps({"schemas": len(schemas), "seconds": valid + invalid, "valid": valid, "problems": problems,
                  "jsonschema": "jsonschema" in sys.modules}))
"""


def _env(checkout: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up run fills the .pyc caches
    return env


def in_process(checkout: Path, project: Path) -> dict:
    cmd = [sys.executable, "-P", "-c", _IN_PROCESS, str(project)]  # -P: measure --this/--base, not the current folder
    done = subprocess.run(cmd, env=_env(checkout), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def whole_process(checkout: Path, project: Path) -> dict:
    check = [sys.executable, "-m", "agentlint", "check", ".", "--format", "concise"]
    cmd = [sys.executable, str(HERE / "run.py"), "_measure", str(project), "--", *check]
    done = subprocess.run(cmd, env=_env(checkout), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--defect-rate", type=float, default=0.02, help="share of files with one AL210 (0: all valid)")
    parser.add_argument("--base", type=Path, help="another agentlint checkout to compare with (paired, alternating runs)")
    parser.add_argument("--this", type=Path, default=HERE.parent, help="the checkout measured (default: this one)")
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    args = parser.parse_args()
    project = args.keep or Path(tempfile.mkdtemp(prefix="agentlint-schemas-"))
    summary = generate(project, args.files, args.seed, args.defect_rate)
    print(f"generated {summary} in {project}")
    checkouts = {"this": args.this.resolve(), **({"base": args.base.resolve()} if args.base else {})}
    for checkout in checkouts.values():  # warm .pyc caches
        whole_process(checkout, project)
    inner: dict[str, list[dict]] = {name: [] for name in checkouts}
    outer: dict[str, list[dict]] = {name: [] for name in checkouts}
    for _ in range(args.repeat):
        for name, checkout in checkouts.items():
            inner[name].append(in_process(checkout, project))
            outer[name].append(whole_process(checkout, project))
    print(f"\n{'checkout':<8} {'schemas':>7} {'problems':>8} {'us/valid':>8} {'all s':>6} {'jsonschema':>10}  "
          f"{'check med s':>11} {'min s':>6} {'RSS MiB':>7} {'findings':>8}")
    for name in checkouts:
        first, seconds = inner[name][0], statistics.median(r["seconds"] for r in inner[name])
        valid = statistics.median(r["valid"] for r in inner[name]) / (first["schemas"] - first["problems"])
        walls = [r["wall"] for r in outer[name]]
        print(f"{name:<8} {first['schemas']:>7} {first['problems']:>8} {valid * 1e6:>8.1f} {seconds:>6.3f} "
              f"{str(first['jsonschema']):>10}  {statistics.median(walls):>11.3f} {min(walls):>6.3f} "
              f"{statistics.median(r['rss'] for r in outer[name]) / 2**20:>7.0f} {outer[name][0]['codes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
