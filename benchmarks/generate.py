"""Write a synthetic agentlint project of N YAML/JSON files (the benchmark's input).

About 80% of the files are parts of agent graphs in the neutral format
(``apiVersion: agentlint/v1``, ``kind: AgentGraph``): each graph is split over ~20 files
that share ``metadata.name``, each part defines 5-10 agents (role, model, timeout, retries,
tools) and its edges: a hub that delegates to its workers, bounded worker -> hub return loops,
a cross-file edge from each part's hub to the next part's hub, a bounded cross-file
"rework" loop back every few parts, and from the last part to the terminal agent declared
in part 0. About 10% of the parts are JSON. A few findings are seeded on purpose (missing
timeout, missing retry limit, unbounded loop, missing role, undefined agent, and the odd
loop with no exit); their count is returned (and printed by ``main``).

The other ~20% are unrelated YAML/JSON (Kubernetes manifests, CI workflows, compose files,
package.json, tsconfig.json, ...) that agentlint must skip.

    python benchmarks/generate.py OUT_DIR --files 1000 [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

PARTS_PER_GRAPH = 20
GRAPH_SHARE = 0.8  # the rest is unrelated YAML/JSON
JSON_PART_SHARE = 0.1
FINDING_RATE = 0.03  # chance that a part carries one seeded finding

ROLES = (
    "planner", "researcher", "writer", "critic", "executor", "retriever", "summarizer",
    "classifier", "billing specialist", "refund specialist", "translator", "code reviewer",
)
MODELS = ("gpt-4o-2024-08-06", "claude-3-5-sonnet-20241022", "gemini-1.5-pro-002", "llama-3.1-70b-instruct")
TOOLS = ("search.web", "crm.lookup", "billing.refund", "kb.query", "tickets.update", "code.run")
WHEN = ("needs changes", "missing facts", "low confidence", "customer replied", "draft rejected")
SEEDED = ("AL301", "AL302", "AL102", "AL107", "AL106", "AL101")


# --------------------------------------------------------------------------- graph parts


def _agent(rng: random.Random, role: str | None, timeout: bool = True, retries: bool = True) -> dict:
    spec: dict = {}
    if role is not None:
        spec["role"] = role
    spec["model"] = rng.choice(MODELS)
    if timeout:
        spec["timeout"] = rng.choice((30, 60, 90, "45s", "2m", "1.5m"))
    if retries:
        spec["retries"] = {"max_attempts": rng.randint(1, 3)}
    if rng.random() < 0.5:
        spec["tools"] = rng.sample(TOOLS, rng.randint(1, 3))
    if rng.random() < 0.3:
        spec["max_iterations"] = rng.randint(3, 10)
    return spec


def graph_part(rng: random.Random, graph: str, part: int, parts: int) -> tuple[dict, str | None]:
    """One document of graph ``graph``: part ``part`` of ``parts``. Returns it and the code of
    the finding seeded in it, if any."""
    hub = f"p{part:02d}_hub"
    roles = {f"p{part:02d}_{role.split()[0]}_{i}": role for i, role in enumerate(rng.sample(ROLES, rng.randint(4, 9)))}
    workers = list(roles)
    seeded = rng.choice(SEEDED) if rng.random() < FINDING_RATE else None

    agents: dict[str, dict] = {hub: _agent(rng, "router")}
    for name in workers:
        agents[name] = _agent(rng, roles[name])
    edges: list[dict] = []
    for name in workers:
        edges.append({"from": hub, "to": name, "kind": rng.choice(("delegate", "call")), "when": f"{roles[name]} task"})
        back = {"from": name, "to": hub, "when": rng.choice(WHEN), "max_traversals": rng.randint(2, 5)}
        edges.append(back)
    for first, second in zip(workers, workers[1:]):
        if rng.random() < 0.3:
            edges.append({"from": first, "to": second, "kind": "sequence"})

    # Across files: on to the next part's hub, or to the terminal agent declared in part 0.
    edges.append({"from": hub, "to": f"p{part + 1:02d}_hub" if part + 1 < parts else "done", "kind": "handoff"})
    if part > 0 and part % 4 == 0:  # bounded rework loop spanning two files
        edges.append({"from": hub, "to": f"p{part - 1:02d}_hub", "when": "needs rework", "max_traversals": 2})

    if seeded == "AL301":
        agents[workers[0]].pop("timeout", None)
    elif seeded == "AL302":
        agents[workers[0]].pop("retries", None)
    elif seeded == "AL107":
        agents[workers[0]].pop("role", None)
    elif seeded == "AL102":
        next(edge for edge in edges if edge["from"] == workers[0]).pop("max_traversals")
    elif seeded == "AL106":
        edges.append({"from": hub, "to": f"{workers[0]}_typo", "kind": "call"})
    elif seeded == "AL101":  # two agents that hand work back and forth with no way out
        left, right = f"p{part:02d}_loop_a", f"p{part:02d}_loop_b"
        agents[left] = _agent(rng, "drafter")
        agents[right] = _agent(rng, "checker")
        edges += [{"from": hub, "to": left}, {"from": left, "to": right}, {"from": right, "to": left}]

    document: dict = {"apiVersion": "agentlint/v1", "kind": "AgentGraph", "metadata": {"name": graph}}
    if part == 0:
        document["metadata"]["description"] = f"synthetic graph {graph}"
        document["entry"] = hub
        document["terminals"] = ["done"]
        agents["done"] = _agent(rng, "responder")
    document["agents"] = agents
    document["edges"] = edges
    return document, seeded


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return value if value.replace(" ", "").replace("_", "").replace("-", "").replace(".", "").isalnum() else json.dumps(value)
    return json.dumps(value)


def _flow(mapping: dict) -> str:
    items = []
    for key, value in mapping.items():
        if isinstance(value, dict):
            items.append(f"{key}: {_flow(value)}")
        elif isinstance(value, list):
            items.append(f"{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            items.append(f"{key}: {_scalar(value)}")
    return "{" + ", ".join(items) + "}"


def to_yaml(document: dict, rng: random.Random) -> str:
    """Hand-written style: block mappings for the agents, flow mappings for the edges."""
    out = [f"# {document['metadata']['name']}: generated by benchmarks/generate.py"]
    out.append(f"apiVersion: {document['apiVersion']}")
    out.append(f"kind: {document['kind']}")
    out.append("metadata:")
    for key, value in document["metadata"].items():
        out.append(f"  {key}: {_scalar(value)}")
    if "entry" in document:
        out.append(f"entry: {document['entry']}")
        out.append(f"terminals: [{', '.join(document['terminals'])}]")
    out.append("agents:")
    for name, spec in document["agents"].items():
        if rng.random() < 0.4:
            out.append(f"  {name}: {_flow(spec)}")
            continue
        out.append(f"  {name}:")
        for key, value in spec.items():
            if isinstance(value, dict):
                out.append(f"    {key}: {_flow(value)}")
            elif isinstance(value, list):
                out.append(f"    {key}:")
                out.extend(f"      - {_scalar(item)}" for item in value)
            else:
                out.append(f"    {key}: {_scalar(value)}")
    out.append("edges:")
    out.extend(f"  - {_flow(edge)}" for edge in document["edges"])
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- unrelated files


def unrelated(rng: random.Random, index: int) -> tuple[str, str]:
    """(relative path, text) of a YAML/JSON file that is not an agent graph."""
    kind = index % 8
    name = f"svc-{index:05d}"
    if kind == 0:
        return f"deploy/k8s/{name}.yaml", (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
            f"  name: {name}\n  labels: {{app: {name}}}\nspec:\n  replicas: {rng.randint(1, 5)}\n"
            f"  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n"
            f"    spec:\n      containers:\n        - name: app\n          image: registry.example/{name}:1.{index % 17}\n"
            "          ports: [{containerPort: 8080}]\n          resources: {limits: {cpu: 500m, memory: 256Mi}}\n"
        )
    if kind == 1:
        return f"ci/workflows/{name}.yml", (
            f"name: {name}\non:\n  push: {{branches: [main]}}\n  pull_request:\njobs:\n  test:\n"
            "    runs-on: ubuntu-latest\n    timeout-minutes: 15\n    steps:\n      - uses: actions/checkout@v4\n"
            "      - run: make test\n"
        )
    if kind == 2:
        return f"services/{name}/docker-compose.yml", (
            "services:\n  api:\n    image: example/api:latest\n    ports: ['8080:8080']\n"
            "    environment:\n      LOG_LEVEL: info\n  db:\n    image: postgres:16\n"
        )
    if kind == 3:
        return f"web/{name}/package.json", json.dumps(
            {"name": name, "version": f"1.{index % 9}.0", "private": True,
             "scripts": {"build": "tsc -p .", "test": "vitest"}, "dependencies": {"zod": "^3.23.0"}},
            indent=2,
        ) + "\n"
    if kind == 4:
        return f"web/{name}/tsconfig.json", json.dumps(
            {"compilerOptions": {"target": "ES2022", "module": "NodeNext", "strict": True}, "include": ["src"]}, indent=2
        ) + "\n"
    if kind == 5:
        return f"charts/{name}/values.yaml", (
            f"replicaCount: {rng.randint(1, 4)}\nimage:\n  repository: example/{name}\n  tag: '1.0'\n"
            "service: {type: ClusterIP, port: 80}\ningress:\n  enabled: false\n# agents: not an agent graph\n"
        )
    if kind == 6:
        return f"api/{name}.openapi.yaml", (
            f"openapi: 3.1.0\ninfo: {{title: {name}, version: '1.0'}}\npaths:\n  /health:\n"
            "    get:\n      responses:\n        '200': {description: ok}\n"
        )
    return f"config/{name}.json", json.dumps(
        {"feature_flags": {"beta": index % 2 == 0}, "agents": ["not", "a", "graph"], "timeout": 30}, indent=2
    ) + "\n"


# --------------------------------------------------------------------------- project


def generate(out: Path, files: int, seed: int = 0) -> dict:
    """Write ``files`` YAML/JSON files under ``out`` (plus a pyproject.toml so that config
    discovery stops there). Returns a summary with the seeded findings."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "pyproject.toml").write_text('[project]\nname = "synthetic-agents"\nversion = "0"\n\n[tool.agentlint]\n', encoding="utf-8")
    # The MCP servers the agents' tools (server.tool) live on, with their limits.
    servers = sorted({tool.split(".")[0] for tool in TOOLS})
    (out / "tool-policy.yaml").write_text(
        "apiVersion: agentlint/v1\nkind: ToolPolicy\nmetadata: {name: synthetic-tools}\n"
        "defaults: {timeout: 20s, rate_limit: 60/1m, on_failure: abort}\nservers:\n"
        + "".join(f"  {name}: {{}}\n" for name in servers),
        encoding="utf-8",
    )
    n_parts = max(1, round(files * GRAPH_SHARE)) if files > 1 else files
    n_other = files - n_parts
    seeded: Counter[str] = Counter()
    graphs = 0
    done = 0
    while done < n_parts:
        graph = f"flow-{graphs:04d}"
        parts = min(PARTS_PER_GRAPH, n_parts - done)
        for part in range(parts):
            document, finding = graph_part(rng, graph, part, parts)
            if finding:
                seeded[finding] += 1
            directory = out / "graphs" / graph
            directory.mkdir(parents=True, exist_ok=True)
            if rng.random() < JSON_PART_SHARE:
                (directory / f"part-{part:02d}.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
            else:
                (directory / f"part-{part:02d}.yaml").write_text(to_yaml(document, rng), encoding="utf-8")
        done += parts
        graphs += 1
    for index in range(n_other):
        rel, text = unrelated(rng, index)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    summary = {
        "files": files,
        "graph_parts": n_parts,
        "graphs": graphs,
        "unrelated": n_other,
        "seeded_findings": dict(sorted(seeded.items())),
        "seed": seed,
    }
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory to write (created if needed)")
    parser.add_argument("--files", type=int, default=1000, help="number of YAML/JSON files (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    print(json.dumps(generate(args.out, args.files, args.seed), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
