"""Alias expansion is budgeted in nodes, whatever the file's length (issue 12, point 8).

The budget used to grow with the file: a 1 MB file was allowed 5 million nodes, and every
node reached through an alias got a copied position entry with its own pointer tuple (6 GB of
RSS in the full pipeline). Now an alias shares the anchored node's positions (one link) and at
most ``MAX_EXPANDED_NODES`` nodes may be reached through aliases. Each case runs in a
subprocess under a timeout and an address-space limit, and reports its own peak RSS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="resource limits are POSIX")

TIMEOUT = 60
ADDRESS_SPACE = 3 * 1024**3  # a regression fails here instead of exhausting the CI machine
PEAK_MB = 150  # this build: ~25 MB loading either file; before the fix 230 MB and 870 MB


def _padded_bomb(aliases: int) -> str:
    """About 1 MB: a 1,121-node anchored mapping, ``aliases`` aliases of it, then comments.
    The comments made the old budget (5 nodes per byte) large enough for 3,000 aliases."""
    text = "base: &b\n" + "".join(f"  k{i}: {{a: {{b: {{c: [1, 2, {i}]}}}}}}\n" for i in range(160))
    text += "uses:\n" + "  - *b\n" * aliases
    return text + ("# " + "x" * 78 + "\n") * ((1_000_000 - len(text)) // 81)


_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from agentlint.loaders.yaml import load_yaml
result = load_yaml("bomb.yaml", open(sys.argv[1], encoding="utf-8").read())
doc = result.docs[0] if result.docs else None
deep = doc.source_map.value(("uses", {last}, "k159", "a", "b", "c", 2)) if doc else None
print(json.dumps({{
    "problems": [[p.code, p.location.span.line, p.location.span.column, p.message] for p in result.problems],
    "deep": list(map(list, deep)) if deep else None,
    "peak_mb": peak_mb(),
}}))
"""

# The peak RSS of this process image: /proc's VmHWM where there is one. ru_maxrss survives
# execve on Linux, so a child forked from a large pytest process would report the parent's.
_PEAK = """
import resource
def peak_mb():
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
"""


def _load_in_child(tmp_path: Path, aliases: int) -> dict:
    path = tmp_path / "bomb.yaml"
    path.write_text(_padded_bomb(aliases), encoding="utf-8")
    assert 990_000 < path.stat().st_size <= 1_000_100
    code = _PEAK + _CHILD.format(limit=ADDRESS_SPACE, last=aliases - 1)
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_aliases_past_the_node_budget_are_a_located_al004_with_bounded_memory(tmp_path: Path) -> None:
    # 3,000 aliases of 1,121 nodes: 3.4 million nodes, under the old budget for 1 MB
    out = _load_in_child(tmp_path, 3000)
    # the 893rd alias passes a million: 892 * 1,121 = 999,932 (line 162 holds 'uses:')
    assert out["problems"] == [
        ["AL004", 162 + 893, 5, "alias expansion too large (possible billion-laughs document): refusing to expand"]
    ]
    assert out["peak_mb"] < PEAK_MB


def test_aliases_under_the_budget_share_positions_instead_of_copying_them(tmp_path: Path) -> None:
    # 700 aliases: 784,700 nodes reached through aliases, accepted, in little memory
    out = _load_in_child(tmp_path, 700)
    assert out["problems"] == []
    # the last alias's deepest node has the position of the anchored node it repeats
    assert out["deep"] == [[161, 28], [161, 31]]
    assert out["peak_mb"] < PEAK_MB


def test_the_whole_pipeline_reports_the_bomb_where_it_is(tmp_path: Path) -> None:
    """In ``check``, the located AL004, not "invalid YAML: MemoryError" at 1:1."""
    (tmp_path / "smithery.yaml").write_text(_padded_bomb(3000), encoding="utf-8")
    limit = f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE}))"
    run = f"{limit}; import sys; from agentlint.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", run, "check", "--isolated", "--format", "concise", "-q", "smithery.yaml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT, check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.stdout == (
        "smithery.yaml:1055:5: error: alias expansion too large (possible billion-laughs document):"
        " refusing to expand [AL004]\n"
    ), done.stderr[-2000:]
    assert done.returncode == 1
