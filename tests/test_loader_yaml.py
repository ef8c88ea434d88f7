"""The YAML loader: data, 1-based code-point positions, comments, and located problems.

Every expected position below was counted by hand from the text next to it. A span is written
``(start line, start column, end line, end column)``; the end is exclusive.
"""

from __future__ import annotations

import datetime
import io
import math
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from agentlint.loaders.base import Comment, Limits, LoadedFile, Syntax
from agentlint.loaders.yaml import find_comments, load_yaml, resolve_plain
from agentlint.model.source import NodeRef, Pointer, Pos, Span

CORPUS = Path("/work/shared/corpus")
PATH = "t.yaml"


# -- helpers ---------------------------------------------------------------------------------
def load(text: str, limits: Limits = Limits()) -> LoadedFile:
    result = load_yaml(PATH, text, limits)
    assert isinstance(result, LoadedFile) and result.syntax is Syntax.YAML and result.text == text
    return result


def clean(text: str) -> LoadedFile:
    result = load(text)
    assert result.problems == [], [(p.code, p.location.span, p.message) for p in result.problems]
    return result


def tup(span: Span | None) -> tuple[int, int, int, int] | None:
    return None if span is None else (span.start.line, span.start.column, span.end.line, span.end.column)


def problems(result: LoadedFile) -> list[tuple[str, int, int]]:
    return [(p.code, p.location.span.start.line, p.location.span.start.column) for p in result.problems]


def pointers(data: Any, prefix: Pointer = ()) -> set[Pointer]:
    found = {prefix}
    if isinstance(data, dict):
        for key, value in data.items():
            found |= pointers(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found |= pointers(value, prefix + (index,))
    return found


def assert_map_matches_data(result: LoadedFile) -> None:
    """Every node of the data has a value span, members have key spans, nothing else is mapped."""
    for doc in result.docs:
        smap = doc.source_map
        nodes = pointers(doc.data)
        # nodes under an alias are not copied: they resolve to the anchored node's spans
        assert set(smap.values) <= nodes
        assert all(smap.value(p) is not None for p in nodes)
        member = {p for p in nodes if p and isinstance(p[-1], str)}
        assert {p for p in nodes if smap.key(p) is not None} == member
        assert set(smap.keys) <= member


def ruamel_safe(text: str) -> list[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ReusedAnchorWarning for redefined anchors
        return list(YAML(typ="safe", pure=True).load_all(text))


def same_as_ruamel(ref: Any, ours: Any) -> bool:
    """Equality with ruamel's safe loader, up to the loader's documented representation.

    Our mapping keys are always their source text (ruamel resolves ``1:`` to the int 1), and
    timestamps stay strings (ruamel builds date/datetime): a string of ours is accepted where
    ruamel has a date if ruamel reads that very string back to the same date.
    """
    if isinstance(ref, dict):
        if not isinstance(ours, dict) or len(ref) != len(ours):
            return False
        for key, value in ours.items():
            ref_key = key if key in ref else resolve_plain(key)
            if ref_key not in ref or not same_as_ruamel(ref[ref_key], value):
                return False
        return True
    if isinstance(ref, list):
        return isinstance(ours, list) and len(ref) == len(ours) and all(map(same_as_ruamel, ref, ours))
    if isinstance(ref, (datetime.date, datetime.datetime)):
        return isinstance(ours, str) and YAML(typ="safe", pure=True).load(ours) == ref
    if isinstance(ref, float) and math.isnan(ref):
        return isinstance(ours, float) and math.isnan(ours)
    return type(ref) is type(ours) and ref == ours


# -- 1. positions ------------------------------------------------------------------------------
BLOCK = 'name: demo\ntools:\n  - id: 1\n    args: [a, "b"]\n  - x\n'
STYLES = "p: plain text\ns: 'it''s'\nd: \"tab\\there\"\nl: |\n  line1\n  line2\nf: >\n  folded\n  text\nn: ~\n"
FLOW = "{a: [1, {b: c}], d: {}}"
ALIAS = "base: &b\n  k: v\n  n: [1, 2]\nuse: *b\n"
MERGE_ONE = "defaults: &d\n  model: gpt\n  temp: 0\nagent:\n  <<: *d\n  temp: 1\n"
MERGE_LIST = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  w: 0\n"
UNICODE = "é: ü\nb: 😀x 中文\n名前: 値\nl:\n- 😀: 😀\n"

POSITIONS = [
    # (text, pointer, value span, key span or None)
    (BLOCK, (), (1, 1, 5, 6), None),
    (BLOCK, ("name",), (1, 7, 1, 11), (1, 1, 1, 5)),
    (BLOCK, ("tools",), (3, 3, 5, 6), (2, 1, 2, 6)),  # a block sequence starts at its first '-'
    (BLOCK, ("tools", 0), (3, 5, 4, 19), None),  # a block mapping starts at its first key
    (BLOCK, ("tools", 0, "id"), (3, 9, 3, 10), (3, 5, 3, 7)),
    (BLOCK, ("tools", 0, "args"), (4, 11, 4, 19), (4, 5, 4, 9)),  # flow '[' .. after ']'
    (BLOCK, ("tools", 0, "args", 0), (4, 12, 4, 13), None),
    (BLOCK, ("tools", 0, "args", 1), (4, 15, 4, 18), None),  # quotes included
    (BLOCK, ("tools", 1), (5, 5, 5, 6), None),
    (STYLES, ("p",), (1, 4, 1, 14), (1, 1, 1, 2)),
    (STYLES, ("s",), (2, 4, 2, 11), (2, 1, 2, 2)),
    (STYLES, ("d",), (3, 4, 3, 15), (3, 1, 3, 2)),
    (STYLES, ("l",), (4, 4, 7, 1), (4, 1, 4, 2)),  # from '|' to the start of the next key's line
    (STYLES, ("f",), (7, 4, 10, 1), (7, 1, 7, 2)),
    (STYLES, ("n",), (10, 4, 10, 5), (10, 1, 10, 2)),
    (FLOW, (), (1, 1, 1, 24), None),
    (FLOW, ("a",), (1, 5, 1, 16), (1, 2, 1, 3)),
    (FLOW, ("a", 0), (1, 6, 1, 7), None),
    (FLOW, ("a", 1), (1, 9, 1, 15), None),
    (FLOW, ("a", 1, "b"), (1, 13, 1, 14), (1, 10, 1, 11)),
    (FLOW, ("d",), (1, 21, 1, 23), (1, 18, 1, 19)),
    # an anchored node starts at its anchor; an alias maps to the alias itself and its
    # children are copies of the aliased node's children (positions of the anchored text)
    (ALIAS, ("base",), (1, 7, 3, 12), (1, 1, 1, 5)),
    (ALIAS, ("base", "k"), (2, 6, 2, 7), (2, 3, 2, 4)),
    (ALIAS, ("use",), (4, 6, 4, 8), (4, 1, 4, 4)),
    (ALIAS, ("use", "k"), (2, 6, 2, 7), (2, 3, 2, 4)),
    (ALIAS, ("use", "n"), (3, 6, 3, 12), (3, 3, 3, 4)),
    (ALIAS, ("use", "n", 1), (3, 10, 3, 11), None),
    # merge keys: explicit keys keep their own position, merged ones point into the merged node
    (MERGE_ONE, ("agent",), (5, 3, 6, 10), (4, 1, 4, 6)),
    (MERGE_ONE, ("agent", "temp"), (6, 9, 6, 10), (6, 3, 6, 7)),
    (MERGE_ONE, ("agent", "model"), (2, 10, 2, 13), (2, 3, 2, 8)),
    (MERGE_LIST, ("c", "w"), (5, 6, 5, 7), (5, 3, 5, 4)),
    (MERGE_LIST, ("c", "x"), (1, 11, 1, 12), (1, 8, 1, 9)),
    (MERGE_LIST, ("c", "y"), (1, 17, 1, 18), (1, 14, 1, 15)),  # first mapping in the list wins
    (MERGE_LIST, ("c", "z"), (2, 17, 2, 18), (2, 14, 2, 15)),
    # line endings: CRLF and a lone CR are one line break each
    ("a: 1\r\nb:\r\n  - x\r\n", ("b",), (3, 3, 3, 6), (2, 1, 2, 2)),
    ("a: 1\r\nb:\r\n  - x\r\n", ("b", 0), (3, 5, 3, 6), None),
    ("a: 1\rb: 2\r", ("b",), (2, 4, 2, 5), (2, 1, 2, 2)),
    # non-ASCII from the first character (no BOM); é, 😀 and each CJK character = one column
    (UNICODE, ("é",), (1, 4, 1, 5), (1, 1, 1, 2)),
    (UNICODE, ("b",), (2, 4, 2, 9), (2, 1, 2, 2)),
    (UNICODE, ("名前",), (3, 5, 3, 6), (3, 1, 3, 3)),
    (UNICODE, ("l",), (5, 1, 5, 7), (4, 1, 4, 2)),
    (UNICODE, ("l", 0, "😀"), (5, 6, 5, 7), (5, 3, 5, 4)),
    # tabs as separators
    ("a:\t1\nb: [1,\t2]\n", ("a",), (1, 4, 1, 5), (1, 1, 1, 2)),
    ("a:\t1\nb: [1,\t2]\n", ("b", 1), (2, 8, 2, 9), None),
    # chomping indicators: the span of a kept-trailing-lines scalar runs over the blank line
    ("- |-\n  x\n- >+\n  y\n\n- 'q'\n", (0,), (1, 3, 3, 1), None),
    ("- |-\n  x\n- >+\n  y\n\n- 'q'\n", (1,), (3, 3, 6, 1), None),
    ("- |-\n  x\n- >+\n  y\n\n- 'q'\n", (2,), (6, 3, 6, 6), None),
    # NEL / LS / PS are not line breaks in YAML 1.2 (libyaml counts them, see the loader)
    ('a: "x\u2028y"\nb: 1\n', ("b",), (2, 4, 2, 5), (2, 1, 2, 2)),
    ("a: x\x85y\nb: 1\n", ("b",), (2, 4, 2, 5), (2, 1, 2, 2)),
    # flow scalars libyaml (YAML 1.1) rejects, read by the YAML 1.2 fallback parser
    ("tools: [http://x, What?]\n", ("tools", 1), (1, 19, 1, 24), None),
]


@pytest.mark.parametrize(("text", "pointer", "value", "key"), POSITIONS)
def test_positions(text: str, pointer: Pointer, value: tuple[int, ...], key: tuple[int, ...] | None) -> None:
    result = clean(text)
    (doc,) = result.docs
    assert tup(doc.source_map.value(pointer)) == value
    assert tup(doc.source_map.key(pointer)) == key
    assert_map_matches_data(result)


def test_position_data() -> None:
    assert clean(BLOCK).docs[0].data == {"name": "demo", "tools": [{"id": 1, "args": ["a", "b"]}, "x"]}
    assert clean(STYLES).docs[0].data == {
        "p": "plain text",
        "s": "it's",
        "d": "tab\there",
        "l": "line1\nline2\n",
        "f": "folded text\n",
        "n": None,
    }
    assert clean(FLOW).docs[0].data == {"a": [1, {"b": "c"}], "d": {}}
    assert clean(UNICODE).docs[0].data == {"é": "ü", "b": "😀x 中文", "名前": "値", "l": [{"😀": "😀"}]}
    assert clean("a: 1\rb: 2\r").docs[0].data == {"a": 1, "b": 2}
    assert clean("a:\t1\nb: [1,\t2]\n").docs[0].data == {"a": 1, "b": [1, 2]}
    assert clean("- |-\n  x\n- >+\n  y\n\n- 'q'\n").docs[0].data == ["x", "y\n\n", "q"]
    assert clean('a: "x\u2028y"\nb: 1\n').docs[0].data == {"a": "x\u2028y", "b": 1}
    assert clean("a: x\x85y\nb: 1\n").docs[0].data == {"a": "x\x85y", "b": 1}
    assert clean("tools: [http://x, What?]\n").docs[0].data == {"tools": ["http://x", "What?"]}


def test_multi_document_stream() -> None:
    result = clean("a: 1\n---\nb: [x]\n...\n---\n- c\n")
    assert [(d.index, d.data) for d in result.docs] == [(0, {"a": 1}), (1, {"b": ["x"]}), (2, ["c"])]
    assert [d.path for d in result.docs] == [PATH, PATH, PATH]
    first, second, third = (d.source_map for d in result.docs)
    assert tup(first.values[("a",)]) == (1, 4, 1, 5)
    assert tup(second.values[()]) == (3, 1, 3, 7)
    assert tup(second.values[("b", 0)]) == (3, 5, 3, 6)
    assert tup(third.values[(0,)]) == (6, 3, 6, 4)
    assert result.docs[1].ref(("b",)) == NodeRef(PATH, ("b",), 1)
    # an explicit start marker on the first line, and an empty document in the middle
    empty = clean("--- \na: 1\n---\n---\nb: 2\n")
    assert [(d.index, d.data) for d in empty.docs] == [(0, {"a": 1}), (1, None), (2, {"b": 2})]
    assert tup(empty.docs[2].source_map.values[("b",)]) == (5, 4, 5, 5)


def test_aliases_and_merges_data() -> None:
    alias = clean(ALIAS).docs[0]
    assert alias.data == {"base": {"k": "v", "n": [1, 2]}, "use": {"k": "v", "n": [1, 2]}}
    merged = clean(MERGE_ONE).docs[0]
    assert merged.data["agent"] == {"model": "gpt", "temp": 1}
    merged_list = clean(MERGE_LIST).docs[0]
    assert merged_list.data["c"] == {"w": 0, "x": 1, "y": 1, "z": 2}
    for doc in (merged, merged_list):
        assert not any("<<" in p for p in doc.source_map.values)
        assert "<<" not in str(doc.data)
    # a quoted "<<" is an ordinary key
    assert clean('"<<": 1\n').docs[0].data == {"<<": 1}
    # an inline merged mapping, and a merge written after the explicit key
    inline = clean("m: {<<: {a: 1, b: 2}, b: 3}\n").docs[0]
    assert inline.data == {"m": {"a": 1, "b": 3}}
    assert tup(inline.source_map.values[("m", "a")]) == (1, 13, 1, 14)
    assert tup(inline.source_map.values[("m", "b")]) == (1, 26, 1, 27)


def test_anchor_on_a_key_and_alias_as_key() -> None:
    # Before the fix an anchor on a key was dropped: '*k' was an "unknown alias".
    result = clean("&k a: 1\nb: *k\nc: {*k : 2}\n")
    doc = result.docs[0]
    assert doc.data == {"a": 1, "b": "a", "c": {"a": 2}}
    assert tup(doc.source_map.keys[("a",)]) == (1, 1, 1, 5)  # the key starts at its anchor
    assert tup(doc.source_map.values[("b",)]) == (2, 4, 2, 6)
    assert tup(doc.source_map.keys[("c", "a")]) == (3, 5, 3, 7)
    # keys are source text: an alias of the scalar `1` keys the mapping by "1"
    assert clean("x: &v 1\n*v : 2\n").docs[0].data == {"x": 1, "1": 2}
    assert same_as_ruamel(ruamel_safe("&k a: 1\nb: *k\nc: {*k : 2}\n")[0], doc.data)


def test_duplicate_anchor_latest_definition_wins() -> None:
    text = "a: &x 1\nb: &x 2\nc: *x\n"
    result = clean(text)
    assert result.docs[0].data == {"a": 1, "b": 2, "c": 2}
    assert tup(result.docs[0].source_map.values[("c",)]) == (3, 4, 3, 6)
    assert ruamel_safe(text) == [result.docs[0].data]  # ruamel only warns, same value


def test_many_merges_stay_linear() -> None:
    # Each merged key used to rescan the whole log: 3,000 of these took minutes.
    text = "base: &b {" + ", ".join(f"k{i}: {i}" for i in range(20)) + "}\n"
    text += "".join(f"m{i}: {{<<: *b, z: 1}}\n" for i in range(3000))
    doc = clean(text).docs[0]
    assert doc.data["m2999"] == {"z": 1, **{f"k{i}": i for i in range(20)}}
    assert tup(doc.source_map.value(("m2999", "k19"))) == tup(doc.source_map.value(("base", "k19")))
    assert tup(doc.source_map.values[("m2999", "z")]) == (3001, 20, 3001, 21)


# -- 2. data equality with ruamel's safe loader ---------------------------------------------
REPRESENTATIVE = [
    BLOCK,
    STYLES,
    FLOW,
    ALIAS,
    MERGE_ONE,
    MERGE_LIST,
    UNICODE,
    "a: 1\n---\nb: [x]\n...\n---\n- c\n",
    "agents:\n  - name: researcher\n    model: gpt-4o\n    temperature: 0.2\n    tools: [search, 'fetch']\n"
    "    prompt: >\n      You are\n      helpful.\n    stop: null\n",
    # YAML 1.2 core schema: yes/no/on/off/y/n are strings, 0o17 is 15, 017 is decimal 17
    "b: [yes, no, on, off, y, n, true, True, TRUE, tRue, false, null, Null, ~, '']\n",
    "n: [0o17, 0x1F, 017, 09, +12, -12, 0, 1., .5, -.5, +.5, 1e3, 1E3, 1.5e-3, 0O17, 0X1F, 1:20]\n",
    "f: [.inf, -.Inf, +.inf, .NaN]\n",
    "t: [! 12, !!str 12, !!int '12', !!float 1, !!bool 'true', !!null '', !!str true]\n",
    "empty:\nflow: {}\nseq: []\nq: ''\nk: {a: , b: }\n",
    "multi: plain\n  continued\n  here\ndq: \"one\n  two\"\nlit: |+\n  keep\n\nnext: 1\n",
    "? explicit\n: value\n? flow\n",
    "a: [http://x, What?]\nb: {q: Why?}\n",
]


@pytest.mark.parametrize("text", REPRESENTATIVE)
def test_data_equals_ruamel(text: str) -> None:
    result = clean(text)
    ref = ruamel_safe(text)
    assert len(result.docs) == len(ref)
    for doc, expected in zip(result.docs, ref):
        assert same_as_ruamel(expected, doc.data), (expected, doc.data)
    assert_map_matches_data(result)


def test_core_schema_examples_exactly() -> None:
    data = clean(REPRESENTATIVE[9]).docs[0].data
    assert data == {"b": ["yes", "no", "on", "off", "y", "n", True, True, True, "tRue", False, None, None, None, ""]}
    numbers = clean(REPRESENTATIVE[10]).docs[0].data["n"]
    assert numbers == [15, 31, 17, 9, 12, -12, 0, 1.0, 0.5, -0.5, 0.5, 1000.0, 1000.0, 0.0015, "0O17", "0X1F", "1:20"]
    assert [type(v) for v in numbers[:7]] == [int] * 7
    floats = clean(REPRESENTATIVE[11]).docs[0].data["f"]
    assert floats[:3] == [math.inf, -math.inf, math.inf] and math.isnan(floats[3])
    tagged = clean(REPRESENTATIVE[12]).docs[0].data["t"]
    assert tagged == [12, "12", 12, 1.0, True, None, "true"]
    assert type(tagged[3]) is float


@pytest.mark.parametrize(
    ("text", "ours", "theirs"),
    [
        # Intentional: the loader follows the YAML 1.2 core schema strictly, ruamel also
        # accepts underscores, binary and signed octal/hex as ints.
        ("v: 1_000\n", "1_000", 1000),
        ("v: 0b101\n", "0b101", 5),
        ("v: +0x1F\n", "+0x1F", 31),
        ("v: -0o17\n", "-0o17", -15),
        ("v: 1_0.5\n", "1_0.5", 10.5),
        # Intentional: timestamps stay strings (JSON-like data for schema checks).
        ("v: 2001-12-14\n", "2001-12-14", datetime.date(2001, 12, 14)),
        # Intentional: !!binary and other non-JSON tags stay as their text.
        ("v: !!binary aGk=\n", "aGk=", b"hi"),
        # Intentional (YAML 1.2): NEL is content, not a line break; ruamel folds it to a space.
        ("v: x\x85y\n", "x\x85y", "x y"),
    ],
)
def test_intentional_value_differences(text: str, ours: Any, theirs: Any) -> None:
    assert clean(text).docs[0].data == {"v": ours}
    assert ruamel_safe(text) == [{"v": theirs}]


def test_intentional_key_and_structure_differences() -> None:
    # Keys are always their source text; ruamel resolves them (1, True, None, 1.5).
    text = "2: a\ntrue: b\nnull: c\n1.5: d\n"
    assert clean(text).docs[0].data == {"2": "a", "true": "b", "null": "c", "1.5": "d"}
    assert ruamel_safe(text) == [{2: "a", True: "b", None: "c", 1.5: "d"}]
    # Recursive aliases are refused (AL001), ruamel builds a self-referencing list.
    assert problems(load("&a [*a]\n")) == [("AL001", 1, 5)]
    (recursive,) = ruamel_safe("&a [*a]\n")
    assert recursive[0] is recursive
    # Duplicate keys: we keep the last value and report AL005; ruamel refuses the file.
    with pytest.raises(Exception, match="duplicate key"):
        ruamel_safe("a: 1\na: 2\n")
    assert load("a: 1\na: 2\n").docs[0].data == {"a": 2}


def _corpus_files() -> list[Any]:
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CORPUS} does not exist"))]
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml"))
    return [pytest.param(p, id=str(p.relative_to(CORPUS))) for p in files]


@pytest.mark.parametrize("path", _corpus_files())
def test_corpus_data_equals_ruamel(path: Path) -> None:
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    try:
        ref = ruamel_safe(text)
    except Exception as exc:  # a corpus file ruamel cannot read: we must report, not raise
        result = load(text)
        assert result.problems, f"ruamel failed ({exc}) but the loader reported nothing"
        return
    result = clean(text)
    assert len(result.docs) == len(ref)
    for doc, expected in zip(result.docs, ref):
        assert same_as_ruamel(expected, doc.data)
    assert_map_matches_data(result)


# -- 3. errors are located violations ------------------------------------------------------
LOL = "lol: &l0 lol\n" + "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n" for i in range(1, 10))

ERRORS = [
    # (text, code, line, column)
    ("a: {b: 1\n", "AL001", 2, 1),  # unclosed flow mapping: found the end of the stream
    ("a: [1, 2\nb: 3\n", "AL001", 2, 2),
    ("a:\n  b: 1\n c: 2\n", "AL001", 3, 2),  # bad indentation
    ("a:\n\tb: 1\n", "AL001", 2, 1),  # tab indentation
    ("a: 1\nb: *nope\n", "AL001", 2, 4),  # unknown alias
    ("&a [*a]\n", "AL001", 1, 5),  # recursive alias: its anchor is not complete yet
    ("a: &m\n  self: *m\n", "AL001", 2, 9),
    ("a: 1\nb: x\x07y\n", "AL001", 2, 5),  # control character (used to be line 1, column 11)
    ("é: 😀\nb: \x07\n", "AL001", 2, 4),  # libyaml reports a byte offset: 😀 is 4 bytes, 1 column
    ("a: 1\nb: \ud800\n", "AL001", 2, 4),  # a lone surrogate cannot even be encoded
    ("a: &x [b]\nc: {<<: *x}\n", "AL001", 2, 9),  # merge of a list of non-mappings
    ("? [a]\n: b\n", "AL001", 1, 3),  # complex key
    ("x: &m {k: v}\n*m : 1\n", "AL001", 2, 1),  # alias of a mapping used as a key
    # billion laughs: the 8th '*l5' of line 7 passes the budget of 1,000,000 nodes reached
    # through aliases (10 * (1 + 11 + 111 + 1,111 + 11,111) before line 7, then 111,111 each)
    (LOL, "AL004", 7, 45),
]


@pytest.mark.parametrize(("text", "code", "line", "column"), ERRORS)
def test_errors_are_located(text: str, code: str, line: int, column: int) -> None:
    result = load(text)
    assert problems(result) == [(code, line, column)]
    (problem,) = result.problems
    assert problem.location.path == PATH
    assert problem.location.span == Span.point(line, column)
    assert problem.ref == NodeRef(PATH)
    assert result.docs == []


def test_error_messages() -> None:
    assert load("a: 1\nb: *nope\n").problems[0].message == "invalid YAML: unknown alias '*nope'"
    assert load(LOL).problems[0].message == (
        "alias expansion too large (possible billion-laughs document): refusing to expand"
    )
    assert load("a:\n\tb: 1\n").problems[0].message == (
        "invalid YAML: found character that cannot start any token (while scanning for the next token)"
    )


def test_deep_nesting_is_capped_without_recursion() -> None:
    result = load("[" * 100_000)
    assert problems(result) == [("AL004", 1, 201)]
    assert result.problems[0].message == "nesting deeper than 200 levels"
    block = "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 300))
    assert problems(load(block)) == [("AL004", 201, 401)]
    assert problems(load("[[[[1]]]]", Limits(max_depth=3))) == [("AL004", 1, 4)]
    assert clean("[[[1]]]").docs[0].data == [[[1]]]


def test_documents_before_an_error_are_kept() -> None:
    result = load("a: 1\n---\nb: [\n")
    assert [d.data for d in result.docs] == [{"a": 1}]
    assert problems(result) == [("AL001", 4, 1)]


def test_empty_and_comment_only_files() -> None:
    empty = load("")
    assert (empty.docs, empty.problems, empty.comments) == ([], [], [])
    only = load("# agentlint: x\n# y\n")
    assert (only.docs, only.problems) == ([], [])
    assert only.comments == [Comment(1, 1, "# agentlint: x", True)]  # only lines naming agentlint
    assert load("   \n\n").docs == []


# -- 4. duplicate keys ------------------------------------------------------------------------
def test_duplicate_keys() -> None:
    result = load("a: 1\nb:\n  c: {x: 1}\n  c: {y: 2}\n")
    (problem,) = result.problems
    assert problem.code == "AL005"
    assert problem.location.span == Span(Pos(4, 3), Pos(4, 4))  # the second key
    assert problem.ref == NodeRef(PATH, ("b", "c"), 0)
    assert problem.message == "duplicate key 'c': only the last value is used"
    assert problem.args == ("c",)
    doc = result.docs[0]
    assert doc.data == {"a": 1, "b": {"c": {"y": 2}}}
    assert tup(doc.source_map.values[("b", "c")]) == (4, 6, 4, 12)
    # the replaced value's children used to linger in the source map
    assert ("b", "c", "x") not in doc.source_map.values
    assert_map_matches_data(result)


def test_duplicate_keys_in_a_later_document_and_in_flow() -> None:
    result = load("a: 1\n---\nb: {c: 1, c: 2}\n")
    assert [(p.code, p.location.span, p.ref) for p in result.problems] == [
        ("AL005", Span(Pos(3, 11), Pos(3, 12)), NodeRef(PATH, ("b", "c"), 1))
    ]
    assert [d.data for d in result.docs] == [{"a": 1}, {"b": {"c": 2}}]


# -- 5. comments -----------------------------------------------------------------------------
COMMENTED = (
    "# agentlint: disable=AL101\n"  # 1
    "name: x # agentlint: ignore[AL201]\n"  # 2
    "prompt: |\n"  # 3
    "  # agentlint: ignore[AL101] x\n"  # 4  block scalar text
    "  body\n"  # 5
    "# agentlint: after-block\n"  # 6  lower indentation: a comment
    'q: "# agentlint: no"\n'  # 7
    "s: 'a # agentlint: no'\n"  # 8
    "p: a#b agentlint\n"  # 9  no blank before '#': scalar text
    "list: [1, # agentlint: in-flow\n"  # 10
    "  2]\n"  # 11
    "h: | # agentlint: header\n"  # 12 the header line of a block scalar
    "  t\n"  # 13
    "---\n"  # 14
    "# agentlint: doc2\n"  # 15
    "k: v  # agentlint: trailing2\n"  # 16
)


def test_comments() -> None:
    result = clean(COMMENTED)
    assert result.comments == [
        Comment(1, 1, "# agentlint: disable=AL101", True),
        Comment(2, 9, "# agentlint: ignore[AL201]", False),
        Comment(6, 1, "# agentlint: after-block", True),
        Comment(10, 11, "# agentlint: in-flow", False),
        Comment(12, 6, "# agentlint: header", False),
        Comment(15, 1, "# agentlint: doc2", True),
        Comment(16, 7, "# agentlint: trailing2", False),
    ]
    assert result.docs[0].data["prompt"] == "# agentlint: ignore[AL101] x\nbody\n"
    assert result.docs[0].data["q"] == "# agentlint: no"
    assert result.docs[0].data["p"] == "a#b agentlint"
    assert result.docs[1].data == {"k": "v"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # nested block scalar: an indented '#' line is text, a less indented one a comment
        (
            "a:\n  b: |\n    text\n    # agentlint: inside\n  # agentlint: outside\n  c: 1\n",
            [Comment(5, 3, "# agentlint: outside", True)],
        ),
        # blank lines between a block scalar and the comment
        ("a: >-\n  x\n\n\n# agentlint: gap\nb: 1\n", [Comment(5, 1, "# agentlint: gap", True)]),
        # a comment between an anchor and the node it belongs to
        ("base: &b  # agentlint: anchored\n  k: v\n", [Comment(1, 11, "# agentlint: anchored", False)]),
        ("e: &w\n  # agentlint: between\n  text\n", [Comment(2, 3, "# agentlint: between", True)]),
        # right after a closing quote or bracket the parser reads a comment too
        (
            'a: "x"# agentlint: tight\nb: [1]# agentlint: t2\n',
            [Comment(1, 7, "# agentlint: tight", False), Comment(2, 7, "# agentlint: t2", False)],
        ),
        ('a: "multi\n  # agentlint: no\n  line"\n', []),  # inside a multi-line quoted string
        ("a: 'x # agentlint: no'\n", []),
        ("a: b#agentlint\n", []),
        ("é: 😀 # agentlint: uni\n", [Comment(1, 6, "# agentlint: uni", False)]),
        (
            "a: 1 # agentlint: x\r\nb: 2\r\n# agentlint: y\r\n",
            [Comment(1, 6, "# agentlint: x", False), Comment(3, 1, "# agentlint: y", True)],
        ),
        ("a: [\n  1, # agentlint: f\n  2,\n]\n", [Comment(2, 6, "# agentlint: f", False)]),
        ("a: 1\t# agentlint: tab\n", [Comment(1, 6, "# agentlint: tab", False)]),
        # only lines that mention agentlint are collected
        ("a: 1 # plain comment\n# agentlint\n", [Comment(2, 1, "# agentlint", True)]),
        ("a: 1 # no mention\n", []),
    ],
)
def test_comment_cases(text: str, expected: list[Comment]) -> None:
    assert load(text).comments == expected


def test_find_comments_directly() -> None:
    text = "a: 1 # agentlint\n"
    assert find_comments(text, []) == [Comment(1, 6, "# agentlint", False)]
    assert find_comments(text, [(5, 16)]) == []  # inside a scalar range: scalar text


# -- 6. properties ---------------------------------------------------------------------------
_SPECIAL = st.sampled_from(
    ["a: b", "#x", "x #y", "- y", "? q", "[x]", "{y}", "&a", "*a", "!t", "|", ">", "'", '"', "%", "@",
     "`", "<<", "~", "null", "yes", "1", "0o17", "1_0", "", " lead", "trail ", "é", "😀", "中文", "a\tb",
     "line\nbreak", "\r", "---", "..."]
)
# NEL/LS/PS are left out: ruamel's emitter writes them as YAML 1.1 line breaks followed by
# indentation, which YAML 1.2 (and this loader) reads as text -- see
# test_nel_ls_ps_are_text_not_line_breaks.
_TEXT = st.one_of(_SPECIAL, st.text(max_size=8), st.builds(str.__add__, _SPECIAL, _SPECIAL)).filter(
    lambda s: not any(c in s for c in "\x85\u2028\u2029")
)
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), _TEXT)
_DATA = st.recursive(
    _LEAF,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_TEXT, children, max_size=4)),
    max_leaves=16,
)


def test_nel_ls_ps_are_text_not_line_breaks() -> None:
    # Intentional (YAML 1.2): libyaml and ruamel treat NEL/LS/PS as line breaks (YAML 1.1).
    # Before the fix one LS moved every later node down a line, and an LS inside a block
    # scalar made the whole file AL001.
    result = clean("a: |\n  x\u2028y\n  z\nb: x\u2029\n")
    assert result.docs[0].data == {"a": "x\u2028y\nz\n", "b": "x\u2029"}
    assert tup(result.docs[0].source_map.values[("b",)]) == (4, 4, 4, 6)
    dumped = _dump(["\u2028"], False)
    assert dumped == "- '\u2028  '\n"  # ruamel's emitter: a line break plus indentation
    assert clean(dumped).docs[0].data == ["\u2028  "]
    assert YAML(typ="safe", pure=True).load(dumped) == ["\u2028"]


def _dump(data: Any, flow: bool) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DATA, st.booleans())
@example({"0?'": None}, True)  # libyaml ends the plain scalar at '?' and reports a quoted scalar
def test_roundtrip_of_ruamel_dumps(data: Any, flow: bool) -> None:
    text = _dump(data, flow)
    # ruamel's emitter writes a few strings its own loader reads differently (YAML 1.1
    # leftovers: NEL/LS/PS folded as line breaks, '?x'/':x' unquoted in flow); only texts
    # ruamel itself reads back to ``data`` are a fair test.
    try:
        assume(YAML(typ="safe", pure=True).load(text) == data)
    except Exception:
        assume(False)
    result = clean(text)
    (doc,) = result.docs
    assert doc.data == data
    assert_map_matches_data(result)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.text(alphabet="ab1 :-?[]{},#&*!|>'\"\n\t\r<~é", max_size=40)))
def test_arbitrary_text_never_raises(text: str) -> None:
    result = load_yaml(PATH, text)
    assert isinstance(result, LoadedFile)
    for problem in result.problems:
        assert problem.code in {"AL001", "AL004", "AL005"}
        assert problem.location.span.start.line >= 1 and problem.location.span.start.column >= 1
    if not [p for p in result.problems if p.code != "AL005"]:
        assert_map_matches_data(result)
    for comment in result.comments:
        assert comment.line >= 1 and comment.column >= 1 and comment.text.startswith("#")
