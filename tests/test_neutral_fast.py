"""The pydantic-free reading of plain AgentGraph documents gives what pydantic gives (issue 14)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters import neutral
from agentlint.adapters._neutral_fast import plain_graph
from agentlint.adapters.base import Adapted
from agentlint.loaders.json import load_json
from agentlint.loaders.yaml import load_yaml

PLAIN = """\
apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: support, description: d}
entry: triage
terminals: [writer]
agents:
  triage: {role: router, model: gpt-4o-2024-08-06, prompt: triage@3, tools: [search.web], timeout: 30s,
           retries: {max_attempts: 3}, max_iterations: 5}
  writer: {description: w, prompt: "writer:prod", timeout: 2.5}
edges:
  - {from: triage, to: writer, kind: delegate, when: ready, max_traversals: 2}
  - {from: writer, to: triage}
"""


def both(doc: Any) -> tuple[Adapted, Adapted]:
    fast, slow = Adapted(), Adapted()
    neutral._adapt_graph(doc, doc.data, fast, fast=True)
    neutral._adapt_graph(doc, doc.data, slow, fast=False)
    return fast, slow


def same(fast: Adapted, slow: Adapted) -> None:
    assert fast.parts == slow.parts
    assert fast.entities == slow.entities
    assert [repr(p) for p in fast.problems] == [repr(p) for p in slow.problems]


def test_plain_document_is_read_without_pydantic_and_matches() -> None:
    doc = load_yaml("g.yaml", PLAIN).docs[0]
    assert plain_graph(doc.data) is not None
    fast, slow = both(doc)
    same(fast, slow)
    (part,) = fast.parts
    assert [a.timeout_seconds for a in part.agents] == [30.0, 2.5]
    assert [e.kind.value for e in part.edges] == ["delegate", "handoff"]


def test_unusual_documents_go_to_pydantic() -> None:
    base = load_yaml("g.yaml", PLAIN).docs[0].data
    for change in (
        {"extra": 1},
        {"metadata": {"name": 7}},
        {"agents": {"a": {"max_iterations": True}}},
        {"agents": {"a": {"max_iterations": "3"}}},
        {"agents": {"a": {"timeout": 0}}},
        {"agents": {" a": {}}},
        {"edges": [{"source": "a", "to": "b"}]},
        {"edges": [{"from": "a", "to": "b", "kind": "loop"}]},
        {"terminals": None},
    ):
        assert plain_graph({**base, **change}) is None, change


NAMES = st.one_of(
    st.sampled_from(["a", "b", "triage", "x.y", " a", "a ", "", "é", "a\tb", "a\x7f", "\u00a0a", "a\u2003", "z" * 129]),
    st.text(max_size=6),
    st.integers(-2, 3),
    st.none(),
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 2**60), st.floats(allow_nan=True), st.text(max_size=8),
    st.sampled_from(["30s", " 5m ", "500ms", "1h", "2x", "handoff", "call", "3"]),
)
VALUES = st.one_of(SCALARS, NAMES, st.lists(NAMES, max_size=3))


def fields(keys: list[str], value: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), value, max_size=len(keys))


AGENT = fields(
    ["role", "description", "model", "prompt", "tools", "timeout", "retries", "max_iterations", "rol"],
    st.one_of(VALUES, fields(["max_attempts", "x"], SCALARS)),
)
EDGE = fields(["from", "to", "kind", "when", "max_traversals", "source", "target"], VALUES)
DOC = st.fixed_dictionaries(
    {"apiVersion": st.just("agentlint/v1"), "kind": st.just("AgentGraph"), "metadata": fields(["name", "description", "labels"], NAMES)},
    optional={
        "entry": NAMES,
        "terminals": st.one_of(st.lists(NAMES, max_size=3), SCALARS),
        "agents": st.one_of(st.dictionaries(st.text(max_size=4), st.one_of(AGENT, SCALARS), max_size=3), SCALARS),
        "edges": st.one_of(st.lists(st.one_of(EDGE, SCALARS), max_size=3), SCALARS),
        "extra": SCALARS,
    },
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC, st.booleans())
def test_fast_and_pydantic_paths_agree(data: dict[str, Any], as_yaml: bool) -> None:
    text = json.dumps(data, allow_nan=True)
    loaded = load_yaml("g.yaml", text) if as_yaml else load_json("g.json", text)
    if not loaded.docs or not isinstance(loaded.docs[0].data, dict):
        return
    same(*both(loaded.docs[0]))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.fixed_dictionaries({}, optional={
    "role": st.text(max_size=5), "tools": st.lists(st.text(max_size=5), max_size=2),
    "timeout": st.one_of(st.integers(1, 99), st.sampled_from(["30s", "1.5m", "200ms"])),
    "retries": st.fixed_dictionaries({"max_attempts": st.integers(1, 5)}), "max_iterations": st.integers(1, 9),
}), min_size=1, max_size=3))
def test_valid_graphs_take_the_fast_path(agents: dict[str, Any]) -> None:
    data = {"apiVersion": "agentlint/v1", "kind": "AgentGraph", "metadata": {"name": "g"}, "agents": agents,
            "edges": [{"from": name, "to": "a"} for name in agents]}
    doc = load_json("g.json", json.dumps(data)).docs[0]
    assert plain_graph(doc.data) is not None
    same(*both(doc))


VALID_AGENT = st.fixed_dictionaries({}, optional={
    "role": st.text(max_size=4), "description": st.text(max_size=4), "model": st.text(max_size=4),
    "prompt": st.sampled_from(["p@1", "p:prod", "p"]), "tools": st.lists(st.sampled_from(["s.t", "s", "a.b.c"]), max_size=2),
    "timeout": st.one_of(st.integers(1, 99), st.floats(0.001, 1e6), st.sampled_from(["30s", "1.5m", "200ms", "1h"])),
    "retries": st.fixed_dictionaries({"max_attempts": st.integers(1, 5)}), "max_iterations": st.integers(1, 9),
})
VALID_EDGE = st.fixed_dictionaries({"from": st.sampled_from(["a", "b"]), "to": st.sampled_from(["a", "b"])}, optional={
    "kind": st.sampled_from(["handoff", "delegate", "call", "sequence"]), "when": st.text(max_size=4),
    "max_traversals": st.integers(1, 9),
})
VALID_DOC = st.fixed_dictionaries(
    {"apiVersion": st.just("agentlint/v1"), "kind": st.just("AgentGraph"), "metadata": st.fixed_dictionaries({"name": st.just("g")})},
    optional={
        "entry": st.sampled_from(["a", "b"]), "terminals": st.lists(st.sampled_from(["a", "b"]), max_size=2),
        "agents": st.dictionaries(st.sampled_from(["a", "b", "c d"]), VALID_AGENT, max_size=3),
        "edges": st.lists(VALID_EDGE, max_size=3),
    },
)
ODD = st.one_of(SCALARS, NAMES, st.just({}), st.just([]), st.just({"x": 1}))


def paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, at + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, at + (index,))
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID_DOC, st.data())
def test_one_change_to_a_valid_graph_reads_the_same(data: dict[str, Any], draw: st.DataObject) -> None:
    """A valid graph with one value replaced, one key removed or one unknown key added."""
    at = draw.draw(st.sampled_from(paths(data)[1:] or [()]))
    if at:
        *head, last = at
        holder = data
        for step in head:
            holder = holder[step]
        change = draw.draw(st.sampled_from(["replace", "drop", "add"]))
        if change == "replace":
            holder[last] = draw.draw(ODD)
        elif change == "drop" and isinstance(holder, dict):
            del holder[last]
        elif isinstance(holder, dict):
            holder[draw.draw(st.sampled_from(["extra", "source", "rol", "x"]))] = 1
    loaded = load_json("g.json", json.dumps(data))
    if loaded.docs:  # NaN and Infinity are no JSON
        same(*both(loaded.docs[0]))


def both_registries(doc: Any) -> tuple[Adapted, Adapted]:
    from agentlint.adapters._neutral_prompts import adapt_registry

    fast, slow = Adapted(), Adapted()
    adapt_registry(doc, doc.data, fast, None, fast=True)
    adapt_registry(doc, doc.data, slow, None, fast=False)
    return fast, slow


VERSION = st.one_of(st.integers(0, 20), st.sampled_from(["1.2.0", "v2", "2025-01-10a", "3"]))
VALID_VERSION = st.fixed_dictionaries({"version": VERSION}, optional={
    "variables": st.one_of(st.lists(st.sampled_from(["q", "name"]), max_size=2),
                           st.dictionaries(st.sampled_from(["q", "n"]), st.one_of(st.none(), st.just({"description": "d"})), max_size=2)),
    "model": st.sampled_from(["gpt-4o-2024-08-06"]), "parameters": st.dictionaries(st.sampled_from(["temperature", "top_p"]), st.floats(0, 1), max_size=2),
    "author": st.text(max_size=3), "reviewed_by": st.text(max_size=3), "approved_by": st.text(max_size=3),
    "change_note": st.text(max_size=3), "date": st.just("2025-01-10"),
}).flatmap(lambda v: st.one_of(
    st.just({**v, "text": "Hi {{q}}"}),
    st.lists(st.fixed_dictionaries({"role": st.sampled_from(["system", "user"]), "content": st.just("{{q}} ok")}), max_size=2).map(
        lambda ms: {**v, "messages": ms}),
))
VALID_REGISTRY = st.fixed_dictionaries(
    {"apiVersion": st.just("agentlint/v1"), "kind": st.just("PromptRegistry"), "metadata": st.fixed_dictionaries({"name": st.just("r")})},
    optional={"prompts": st.dictionaries(st.sampled_from(["a", "b c"]), st.fixed_dictionaries(
        {"versions": st.lists(VALID_VERSION, min_size=1, max_size=3)},
        optional={"description": st.text(max_size=3), "labels": st.dictionaries(st.sampled_from(["production", "staging"]), VERSION, max_size=2),
                  "rollback": VERSION},
    ), max_size=2)},
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID_REGISTRY, st.data())
def test_prompt_registry_reads_the_same_on_both_paths(data: dict[str, Any], draw: st.DataObject) -> None:
    """A valid registry, as is or with one value replaced, one key removed or one unknown key added."""
    at = draw.draw(st.sampled_from(paths(data)))
    if at:
        *head, last = at
        holder = data
        for step in head:
            holder = holder[step]
        change = draw.draw(st.sampled_from(["keep", "replace", "drop", "add"]))
        if change == "replace":
            holder[last] = draw.draw(st.one_of(ODD, st.floats(-1, 2), st.just(-1), st.just("  ")))
        elif change == "drop" and isinstance(holder, dict):
            del holder[last]
        elif change == "add" and isinstance(holder, dict):
            holder[draw.draw(st.sampled_from(["extra", "text", "messages", "x"]))] = "t"
    loaded = load_json("r.json", json.dumps(data))
    if loaded.docs:
        same(*both_registries(loaded.docs[0]))


def test_plain_registry_is_read_without_pydantic() -> None:
    from agentlint.adapters._neutral_fast import plain_registry

    text = (
        "apiVersion: agentlint/v1\nkind: PromptRegistry\nmetadata: {name: r}\nprompts:\n  triage:\n    versions:\n"
        "      - {version: 1, text: 'Hi {{q}}', variables: [q]}\n      - {version: 2, messages: [{role: system, content: x}]}\n"
        "    labels: {production: 2}\n"
    )
    doc = load_yaml("r.yaml", text).docs[0]
    assert plain_registry(doc.data) is not None
    fast, slow = both_registries(doc)
    same(fast, slow)
    assert [(v.version, v.labels, v.rollback_to) for v in fast.entities] == [("1", (), None), ("2", ("production",), "1")]


def both_policies(doc: Any) -> tuple[Adapted, Adapted]:
    from agentlint.adapters._neutral_policy import adapt_policy

    fast, slow = Adapted(), Adapted()
    adapt_policy(doc, doc.data, fast, fast=True)
    adapt_policy(doc, doc.data, slow, fast=False)
    return fast, slow


LIMITS = {
    "timeout": st.one_of(st.integers(1, 99), st.sampled_from(["30s", "500ms"])),
    "rate_limit": st.sampled_from(["60/1m", "10/s", " 1000 / 1 hour "]),
    "on_failure": st.one_of(
        st.just("abort"),
        st.fixed_dictionaries({"retry": st.fixed_dictionaries({"max_attempts": st.integers(1, 4)}, optional={"then": st.sampled_from(["abort", "fallback"])})}),
        st.fixed_dictionaries({"fallback": st.sampled_from(["s.other", "backup.search"])}),
    ),
}
POLICY_TOOL = st.fixed_dictionaries({}, optional={
    **LIMITS, "description": st.text(max_size=3),
    "input_schema": st.just({"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}),
    "output_schema": st.just({"type": "string"}), "annotations": st.just({"readOnlyHint": True}),
    "examples": st.lists(st.one_of(st.just({"q": "x"}), st.just({})), max_size=2),
})
VALID_POLICY = st.fixed_dictionaries(
    {"apiVersion": st.just("agentlint/v1"), "kind": st.just("ToolPolicy"), "metadata": st.fixed_dictionaries({"name": st.just("p")})},
    optional={
        "defaults": st.fixed_dictionaries({}, optional=LIMITS),
        "servers": st.dictionaries(st.sampled_from(["search", "db"]), st.fixed_dictionaries({}, optional={
            **LIMITS, "permissions_reviewed": st.fixed_dictionaries({"by": st.just("ann")}, optional={"on": st.just("2025-01-01")}),
            "tools": st.dictionaries(st.sampled_from(["web", "sql"]), POLICY_TOOL, max_size=2),
        }), max_size=2),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID_POLICY, st.data())
def test_tool_policy_reads_the_same_on_both_paths(data: dict[str, Any], draw: st.DataObject) -> None:
    """A valid policy, as is or with one value replaced, one key removed or one unknown key added."""
    at = draw.draw(st.sampled_from(paths(data)))
    if at:
        *head, last = at
        holder = data
        for step in head:
            holder = holder[step]
        change = draw.draw(st.sampled_from(["keep", "replace", "drop", "add"]))
        if change == "replace":
            holder[last] = draw.draw(st.one_of(ODD, st.just("ab"), st.just("5/x"), st.just(0)))
        elif change == "drop" and isinstance(holder, dict):
            del holder[last]
        elif change == "add" and isinstance(holder, dict):
            holder[draw.draw(st.sampled_from(["extra", "retry", "fallback", "then", "x"]))] = "abort"
    loaded = load_json("p.json", json.dumps(data))
    if loaded.docs:
        same(*both_policies(loaded.docs[0]))


def test_plain_policy_is_read_without_pydantic() -> None:
    from agentlint.adapters._neutral_fast_policy import plain_policy

    text = (
        "apiVersion: agentlint/v1\nkind: ToolPolicy\nmetadata: {name: p}\ndefaults: {timeout: 30s, on_failure: abort}\n"
        "servers:\n  search:\n    rate_limit: 60/1m\n    on_failure: {retry: {max_attempts: 3}}\n"
        "    tools:\n      web: {timeout: 5, on_failure: {fallback: backup.web}, examples: [{q: x}]}\n"
    )
    doc = load_yaml("p.yaml", text).docs[0]
    assert plain_policy(doc.data) is not None
    fast, slow = both_policies(doc)
    same(fast, slow)
    entries = [e for e in fast.entities if type(e).__name__ == "PolicyEntry"]
    assert [(e.tool, e.timeout_seconds, e.failure_mode.name, e.max_attempts, e.fallback) for e in entries] == [
        (None, 30.0, "RETRY", 3, None), ("web", 5.0, "FALLBACK", None, "backup.web")]
