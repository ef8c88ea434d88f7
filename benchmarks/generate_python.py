"""Write a synthetic Python-heavy project (the input of ``python_code.py``).

``files`` modules of 2-30 KB (sizes drawn uniformly, reproducible with ``seed``):

- 35% build LangGraph graphs: a ``TypedDict`` state, node functions, ``StateGraph(State)``,
  ``add_node`` / ``add_edge`` / ``add_conditional_edges`` (a router with a ``Literal[...]``
  return annotation and a path map, most of them looping back), ``compile()`` and
  ``invoke(..., config={"recursion_limit": N})`` (a few leave the limit out, a few read it
  from the environment);
- 20% call LLM clients: ``OpenAI(...)``, ``AsyncOpenAI(...)``, ``Anthropic(...)``,
  ``ChatOpenAI(...)``, mostly with ``timeout`` and ``max_retries``, some without;
- the rest is plain Python (services, data classes, parsers) that names no library agentlint
  reads, so the byte prefilter must skip it.

Every module is padded with ordinary code (functions with loops and branches, classes,
docstrings, dict literals) up to its drawn size, so that parse cost is realistic.

    python benchmarks/generate_python.py OUT_DIR --files 1000 [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

GRAPH_SHARE = 0.35
CLIENT_SHARE = 0.20
MIN_BYTES, MAX_BYTES = 2_000, 30_000

# never any of the prefilter's markers (langgraph, langchain, openai, anthropic, litellm, genai)
WORDS = (
    "invoice", "customer", "ledger", "shipment", "ticket", "refund", "catalog", "warehouse",
    "payment", "report", "schedule", "account", "profile", "session", "metric", "budget",
    "order", "region", "supplier", "quota", "archive", "summary", "draft", "review",
)
NODES = ("planner", "researcher", "writer", "critic", "executor", "retriever", "summarizer", "grader", "router_step")
MODELS = ("gpt-4o-2024-08-06", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "o3-mini")


def _function(rng: random.Random, index: int) -> str:
    a, b, c = rng.sample(WORDS, 3)
    n = rng.randint(2, 97)
    return f'''

def compute_{a}_{index}(items: list[dict], threshold: int = {n}) -> dict:
    """Summarise {a} records for the {b} report, skipping {c} rows."""
    total = 0
    seen: set[str] = set()
    for position, item in enumerate(items):
        key = str(item.get("{a}", position))
        if key in seen:
            continue
        seen.add(key)
        if item.get("{b}") and position % {n} == 0:
            total += int(item["{b}"]) * {n}
        elif item.get("{c}"):
            total -= len(str(item))
        else:
            total += threshold // {n}
    return {{"name": "{a}", "total": total, "limit": threshold, "unique": len(seen)}}
'''


def _class(rng: random.Random, index: int) -> str:
    a, b = rng.sample(WORDS, 2)
    name = a.capitalize() + b.capitalize() + str(index)
    return f'''

class {name}:
    """Keeps {a} entries per {b}; nothing here talks to the network."""

    retries = {rng.randint(1, 5)}
    labels = {{"{a}": {rng.randint(1, 9)}, "{b}": {rng.randint(10, 99)}, "other": [1, 2, 3]}}

    def __init__(self, name: str, limit: int = {rng.randint(10, 500)}) -> None:
        self.name = name
        self.limit = limit
        self.entries: list[tuple[str, float]] = []

    def add(self, key: str, value: float) -> None:
        if len(self.entries) >= self.limit:
            self.entries.pop(0)
        self.entries.append((key, value))

    def mean(self) -> float:
        values = [value for _, value in self.entries]
        return sum(values) / len(values) if values else 0.0

    def __repr__(self) -> str:
        return f"{name}({{self.name!r}}, {{len(self.entries)}} entries, mean={{self.mean():.2f}})"
'''


def _pad(rng: random.Random, text: str, size: int) -> str:
    parts = [text]
    length = len(text)
    index = 0
    while length < size:
        piece = _function(rng, index) if rng.random() < 0.6 else _class(rng, index)
        parts.append(piece)
        length += len(piece)
        index += 1
    return "".join(parts)


def plain_module(rng: random.Random, size: int) -> str:
    head = '"""Business logic with no agent library."""\n\nfrom __future__ import annotations\n\nimport json\nimport os\nfrom dataclasses import dataclass\n'
    return _pad(rng, head, size)


def graph_module(rng: random.Random, size: int, index: int) -> tuple[str, str]:
    """A LangGraph module; returns (text, what it seeds: bounded / no-limit / env-limit)."""
    nodes = rng.sample(NODES, rng.randint(3, 6))
    loop_back = rng.random() < 0.8
    seed = "bounded"
    limit = f'{{"recursion_limit": {rng.choice((10, 25, 50, 100))}}}'
    roll = rng.random()
    if roll < 0.1:
        seed, limit = "no-limit", ""
    elif roll < 0.2:
        seed, limit = "env-limit", '{"recursion_limit": int(os.getenv("GRAPH_LIMIT", "40"))}'
    lines = [
        '"""An agent graph."""',
        "",
        "from __future__ import annotations",
        "",
        "import os",
        "from typing import Literal, TypedDict",
        "",
        "from langgraph.graph import END, START, StateGraph",
        "",
        "",
        "class State(TypedDict):",
        "    messages: list[str]",
        "    attempts: int",
        "",
    ]
    for node in nodes:
        lines += ["", f"def {node}(state: State) -> dict:", f'    return {{"messages": state["messages"] + ["{node}"], "attempts": state["attempts"] + 1}}', ""]
    last, first = nodes[-1], nodes[0]
    targets = f'Literal["{first}", "__end__"]' if loop_back else 'Literal["__end__"]'
    lines += [
        "",
        f"def route(state: State) -> {targets}:",
        f'    if state["attempts"] < {rng.randint(2, 6)}:',
        f'        return "{first}"' if loop_back else '        return "__end__"',
        '    return "__end__"',
        "",
        "",
        f"def build_{index}():",
        "    builder = StateGraph(State)",
    ]
    for node in nodes:
        lines.append(f'    builder.add_node("{node}", {node})')
    lines.append(f'    builder.add_edge(START, "{first}")')
    for a, b in zip(nodes, nodes[1:]):
        lines.append(f'    builder.add_edge("{a}", "{b}")')
    path_map = f'{{"{first}": "{first}", "__end__": END}}' if loop_back else '{"__end__": END}'
    lines += [f'    builder.add_conditional_edges("{last}", route, {path_map})', "    return builder.compile()", "", ""]
    lines += ["graph = build_%d()" % index, "", "", "def run(question: str) -> dict:"]
    config = f", config={limit}" if limit else ""
    lines += [f'    return graph.invoke({{"messages": [question], "attempts": 0}}{config})', ""]
    return _pad(rng, "\n".join(lines), size), seed


def client_module(rng: random.Random, size: int) -> tuple[str, str]:
    kind = rng.choice(("openai", "async", "anthropic", "langchain"))
    timeout = rng.random() < 0.75
    seed = "timeout" if timeout else "no-timeout"
    args = f"timeout={rng.choice((10, 30, 60.0))}, max_retries={rng.randint(0, 3)}" if timeout else ""
    if kind == "openai":
        head = f"from openai import OpenAI\n\nclient = OpenAI({args})\n"
        call = "client.chat.completions.create"
    elif kind == "async":
        head = f"from openai import AsyncOpenAI\n\nclient = AsyncOpenAI({args})\n"
        call = "client.chat.completions.create"
    elif kind == "anthropic":
        head = f"import anthropic\n\nclient = anthropic.Anthropic({args})\n"
        call = "client.messages.create"
    else:
        sep = ", " if args else ""
        head = f'from langchain_openai import ChatOpenAI\n\nllm = ChatOpenAI(model="{rng.choice(MODELS)}"{sep}{args})\n'
        call = "llm.invoke"
    request = "prompt" if kind == "langchain" else f'model="{rng.choice(MODELS)}", messages=[{{"role": "user", "content": prompt}}]'
    body = (
        '"""Calls a model."""\n\nfrom __future__ import annotations\n\n'
        + head
        + f"\n\ndef ask(prompt: str) -> object:\n    return {call}({request})\n"
    )
    return _pad(rng, body, size), seed


def generate(out: Path, files: int = 1000, seed: int = 0) -> dict:
    """Write the project; returns counts of each kind (and what was seeded)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "pyproject.toml").write_text('[project]\nname = "bench"\nversion = "0"\n\n[tool.agentlint]\n', encoding="utf-8")
    counts: dict[str, int] = {"graph": 0, "client": 0, "plain": 0}
    seeds: dict[str, int] = {}
    total = 0
    n_graph = round(files * GRAPH_SHARE)
    n_client = round(files * CLIENT_SHARE)
    for index in range(files):
        size = rng.randint(MIN_BYTES, MAX_BYTES)
        package = f"pkg{index % 20:02d}"
        if index < n_graph:
            kind = "graph"
            text, seeded = graph_module(rng, size, index)
        elif index < n_graph + n_client:
            kind = "client"
            text, seeded = client_module(rng, size)
        else:
            kind, text, seeded = "plain", plain_module(rng, size), ""
        counts[kind] += 1
        if seeded:
            seeds[f"{kind}:{seeded}"] = seeds.get(f"{kind}:{seeded}", 0) + 1
        path = out / kind / package / f"module_{index:04d}.py"  # by kind, to time each kind alone
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return {"files": files, "kinds": counts, "seeded": dict(sorted(seeds.items())), "bytes": total}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(json.dumps(generate(args.out, args.files, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
