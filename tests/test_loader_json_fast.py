"""The JSON fast path (``loaders.json_fast``): json.loads data, spans made on first use.

Whatever road a text takes, the result must be the exact scanner's: same data (types too),
same problems, same comments, the same span for every key and value, in the same order.
"""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint.loaders.base import Limits, LoadedFile
from agentlint.loaders.json import load_json
from agentlint.loaders.json_fast import LazySourceMap
from agentlint.model.source import Pos, SourceMap, Span
from tests.test_loader_json import _JSONISH, _strictly_equal, dumped, mutated


def _same(fast: LoadedFile, exact: LoadedFile) -> None:
    assert [(p.code, p.message, p.location, p.ref, p.args) for p in fast.problems] == [
        (p.code, p.message, p.location, p.ref, p.args) for p in exact.problems
    ]
    assert fast.comments == exact.comments
    assert len(fast.docs) == len(exact.docs)
    for a, b in zip(fast.docs, exact.docs):
        assert _strictly_equal(a.data, b.data)
        assert list(a.source_map.values.items()) == list(b.source_map.values.items())
        assert list(a.source_map.keys.items()) == list(b.source_map.keys.items())


@st.composite
def with_duplicates(draw: st.DrawFn) -> str:
    """Strict JSON with a member repeated (AL005 must come from the exact scanner)."""
    inner = draw(dumped())
    return '{"k": %s, "x": 1, "k": %s}' % (inner, draw(st.sampled_from(["1", "[2]", '{"y": 3}', inner])))


@settings(max_examples=400, deadline=None)
@given(dumped() | mutated() | with_duplicates() | _JSONISH, st.booleans(), st.sampled_from([3, 200]))
def test_property_lazy_spans_are_the_exact_scanners(text: str, jsonc: bool, depth: int) -> None:
    limits = Limits(max_depth=depth)
    _same(load_json("f.json", text, limits, jsonc=jsonc), load_json("f.json", text, limits, jsonc=jsonc, lazy=False))


def test_strict_json_is_located_only_when_asked() -> None:
    loaded = load_json("f.json", '{\n  "agents": {"a": {"timeout": 30}},\n  "b": [1, "x"]\n}\n')
    assert loaded.ok and loaded.docs[0].data == {"agents": {"a": {"timeout": 30}}, "b": [1, "x"]}
    smap = loaded.docs[0].source_map
    assert type(smap) is LazySourceMap  # nothing scanned yet
    assert smap.locate(("agents", "a", "timeout")) == Span(Pos(2, 20), Pos(2, 29))
    assert type(smap) is SourceMap  # scanned once, the text let go
    assert smap.value(("b", 1)) == Span(Pos(3, 12), Pos(3, 15))
    assert smap.nearest(("b", 7)) == (("b",), Span(Pos(3, 3), Pos(3, 6)))


@pytest.mark.parametrize(
    ("text", "jsonc", "code"),
    [
        ('{"a": 1, "a": {"b": 2}}', False, "AL005"),  # duplicate key
        ('{"a": NaN}', False, "AL001"),  # json.loads accepts it, JSON does not
        ('[1, 2,]', True, None),  # JSONC trailing comma
        ('{"a": 1} // note', True, None),  # JSONC comment
        ("[[[[1]]]]", False, "AL004"),  # deeper than the limit below
    ],
)
def test_what_the_fast_path_leaves_to_the_exact_scanner(text: str, jsonc: bool, code: str | None) -> None:
    limits = Limits(max_depth=3)
    loaded = load_json("f.json", text, limits, jsonc=jsonc)
    assert [p.code for p in loaded.problems] == ([code] if code else [])
    assert not any(isinstance(doc.source_map, LazySourceMap) for doc in loaded.docs)
    _same(loaded, load_json("f.json", text, limits, jsonc=jsonc, lazy=False))


def test_a_lazy_map_pickles_as_the_spans_it_stands_for() -> None:
    smap = load_json("f.json", '{"a": [true]}').docs[0].source_map
    copy = pickle.loads(pickle.dumps(smap))
    assert type(copy) is SourceMap
    assert copy.values == {(): Span(Pos(1, 1), Pos(1, 14)), ("a",): Span(Pos(1, 7), Pos(1, 13)), ("a", 0): Span(Pos(1, 8), Pos(1, 12))}
    assert copy.keys == {("a",): Span(Pos(1, 2), Pos(1, 5))}
