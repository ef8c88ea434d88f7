"""The shared code groundwork (``agentlint/adapters/_code/scope.py``) and its static evaluator
(``evaluate.py``): what code states is a value, everything else is unknown, never missing, and
hostile code costs nothing."""

from __future__ import annotations

import ast

import pytest

from agentlint.adapters._code.evaluate import Static, Unknown
from agentlint.adapters._code.scope import facts_of
from agentlint.loaders.python import load_python

# -- the static evaluator ------------------------------------------------------------------

_MODULE = """\
import os
import os as o
import math
from os import getenv
from .config import MAX_STEPS
from . import settings
from ..shared.limits import LIMIT as L
A = 5
B = A * 2
C = int(os.getenv("X", "5"))
D = f"v{A}-{B}"
E = os.getenv("X") or 5
F = 1
F = 2
G = "x" * 10**9
H = 2 ** 10**9
I = J
J = I
K = MAX_STEPS
M = float(getenv("Y", "1.5"))
N = os.environ.get("Z", 3)
P = settings.TIMEOUT
Q = math.inf
R = L
S = [A, "s"]
U = dict(x=A, y="z")
W = -A
Y = os.getenv("X")
Z = int(o.getenv("X", "7"))
BB = "a" "b"
CC = None or 3
GG = 10**100
HH = 1 / 0
II = int("abc")
JJ = int(os.getenv("X"))
KK = cfg.max
for LL in range(3):
    pass
MM = LL
NN = 8
def bump():
    global NN
    NN = 9
def f(p, q=3):
    local = 7
    again = 1
    again = 2
    shadow = A
    return p
"""

_EXPECTED: dict[str, object] = {
    "A": ("static", 5, None),
    "B": ("static", 10, None),
    "C": ("static", 5, "X"),
    "D": ("static", "v5-10", None),
    "E": ("static", 5, "X"),
    "F": ("unknown", None),
    "G": ("unknown", None),
    "H": ("unknown", None),
    "I": ("unknown", None),
    "J": ("unknown", None),
    "K": ("unknown", "src.agent.config.MAX_STEPS"),
    "M": ("static", 1.5, "Y"),
    "N": ("static", 3, "Z"),
    "P": ("unknown", "src.agent.settings.TIMEOUT"),
    "Q": ("static", float("inf"), None),
    "R": ("unknown", "src.shared.limits.LIMIT"),
    "S": ("static", [5, "s"], None),
    "U": ("static", {"x": 5, "y": "z"}, None),
    "W": ("static", -5, None),
    "Y": ("static", None, "X"),
    "Z": ("static", 7, "X"),
    "BB": ("static", "ab", None),
    "CC": ("static", 3, None),
    "GG": ("unknown", None),  # a power that large is not a bound anyone writes
    "HH": ("unknown", None),
    "II": ("unknown", None),
    "JJ": ("unknown", None),
    "KK": ("unknown", None),
    "LL": ("unknown", None),
    "MM": ("unknown", None),
    "NN": ("unknown", None),  # ``global NN`` in bump(): it may change at run time
}


def _describe(value: object) -> tuple:
    if isinstance(value, Static):
        return ("static", value.value, value.env)
    assert isinstance(value, Unknown)
    return ("unknown", value.symbol)


@pytest.fixture(scope="module")
def facts():  # type: ignore[no-untyped-def]
    found = facts_of(load_python("src/agent/graph.py", _MODULE))
    assert found is not None
    return found


@pytest.mark.parametrize("name", sorted(_EXPECTED))
def test_module_constants(facts, name: str) -> None:  # type: ignore[no-untyped-def]
    expr = facts.bindings.get(name)
    value = facts.value(expr) if expr is not None else facts.lookup(name, None, 0)
    assert _describe(value) == _EXPECTED[name]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("local", ("static", 7, None)), ("again", ("unknown", None)), ("p", ("unknown", None)),
     ("q", ("unknown", None)), ("shadow", ("static", 5, None)), ("A", ("static", 5, None))],
)
def test_function_locals(facts, name: str, expected: tuple) -> None:  # type: ignore[no-untyped-def]
    scope = facts.scope_of(facts.functions["f"])
    assert _describe(facts.value(ast.Name(name, ast.Load()), scope)) == expected


def test_hostile_bindings_cost_nothing() -> None:
    """Doubling chains were 2**n evaluations before names were memoized; cycles end unknown."""
    lines = ["import openai", "x0 = 1", "s0 = 'ab'"]
    lines += [f"x{i} = x{i - 1} + x{i - 1}" for i in range(1, 400)]
    lines += [f"s{i} = [s{i - 1}, s{i - 1}]" for i in range(1, 400)]
    lines += [f"m{i} = m{i - 1} * m{i - 1}" for i in range(1, 40)]  # digits double every line
    lines += ["m0 = 999999 ** 4", "a = b", "b = c", "c = a", "big = 'x' * 10**9", "huge = 2 ** 10**9", "long = 'y' * 10_001"]
    facts = facts_of(load_python("g.py", "\n".join(lines) + "\n"))
    assert facts is not None
    assert _describe(facts.value(facts.bindings["x10"])) == ("static", 1024, None)
    assert _describe(facts.value(facts.bindings["m1"])) == ("static", 999999**8, None)
    for name in ("x399", "s9", "m2", "m39", "a", "b", "c", "big", "huge", "long"):
        assert _describe(facts.value(facts.bindings[name])) == ("unknown", None), name
    assert str(facts.value(facts.bindings["s8"])).count("'ab'") == 256
    assert len(repr(facts.value(facts.bindings["s399"]))) < 1000  # levels past the cap are unknown


def test_a_star_import_makes_the_names_above_it_unknown() -> None:
    facts = facts_of(load_python("g.py", "import openai\nA = 5\nfrom settings import *\nB = 6\n"))
    assert facts is not None
    assert _describe(facts.lookup("A", None, 0)) == ("unknown", None)
    assert _describe(facts.lookup("B", None, 0)) == ("static", 6, None)


def test_a_walrus_rebinding_makes_the_name_unknown() -> None:
    text = "import openai\nA = 5\nprint(A := 9)\nB = 1\ndef f():\n    x = 1\n    y = 2\n    print(x := 3)\n"
    facts = facts_of(load_python("g.py", text))
    assert facts is not None
    assert _describe(facts.lookup("A", None, 0)) == ("unknown", None)
    assert _describe(facts.lookup("B", None, 0)) == ("static", 1, None)
    scope = facts.scope_of(facts.functions["f"])
    assert _describe(facts.lookup("x", scope, 0)) == ("unknown", None)
    assert _describe(facts.lookup("y", scope, 0)) == ("static", 2, None)


def test_imports_resolve_to_the_projects_dotted_paths(facts) -> None:  # type: ignore[no-untyped-def]
    assert facts.imports == {
        "os": "os",
        "o": "os",
        "math": "math",
        "getenv": "os.getenv",
        "MAX_STEPS": "src.agent.config.MAX_STEPS",
        "settings": "src.agent.settings",
        "L": "src.shared.limits.LIMIT",
    }
    assert facts.key == "src.agent.graph"
    assert facts.declared_global == {"NN"}
