"""JSON / JSONC loader: exact spans, located errors, comments, duplicates, depth, properties."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint.findings import Location, Violation
from agentlint.loaders.base import Comment, Limits, LoadedFile, Syntax
from agentlint.loaders.json import load_json
from agentlint.model.source import NodeRef, Pointer, Pos, Span

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def span(line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(Pos(line, col), Pos(end_line, end_col))


def ok(text: str, **kwargs: Any) -> LoadedFile:
    loaded = load_json("f.json", text, **kwargs)
    assert loaded.problems == [], loaded.problems
    assert len(loaded.docs) == 1
    return loaded


def problem(text: str, **kwargs: Any) -> tuple[str, int, int, str]:
    loaded = load_json("f.json", text, **kwargs)
    assert loaded.docs == []
    assert len(loaded.problems) == 1
    (p,) = loaded.problems
    return p.code, p.location.span.start.line, p.location.span.start.column, p.message


# --- positions ------------------------------------------------------------------------------

NESTED = '{"a": {"b": [1, 2]}}'
PRETTY = '{\n  "é": "😀x",\n  "n": [-1.5e+3, 0, true, false, null]\n}'
CRLF = '{\r\n  "a": 1,\r\n  "b": {}\r\n}\r\n'
LONE_CR = '[\r"x",\r\r[]\r]'
MIXED_BREAKS = "\n\r\n\r 7"
ESCAPES = '["a\\"b", "\\u00e9\\ud83d\\ude00", "é"]'
EMPTY = '{"o":{},"l":[]}'

# (text, pointer, value span, key span or None)
POSITIONS: list[tuple[str, Pointer, Span, Span | None]] = [
    (NESTED, (), span(1, 1, 1, 21), None),
    (NESTED, ("a",), span(1, 7, 1, 20), span(1, 2, 1, 5)),
    (NESTED, ("a", "b"), span(1, 13, 1, 19), span(1, 8, 1, 11)),
    (NESTED, ("a", "b", 0), span(1, 14, 1, 15), None),
    (NESTED, ("a", "b", 1), span(1, 17, 1, 18), None),
    (PRETTY, (), span(1, 1, 4, 2), None),
    (PRETTY, ("é",), span(2, 8, 2, 12), span(2, 3, 2, 6)),  # the emoji is one column
    (PRETTY, ("n",), span(3, 8, 3, 39), span(3, 3, 3, 6)),
    (PRETTY, ("n", 0), span(3, 9, 3, 16), None),
    (PRETTY, ("n", 1), span(3, 18, 3, 19), None),
    (PRETTY, ("n", 2), span(3, 21, 3, 25), None),
    (PRETTY, ("n", 3), span(3, 27, 3, 32), None),
    (PRETTY, ("n", 4), span(3, 34, 3, 38), None),
    (CRLF, (), span(1, 1, 4, 2), None),
    (CRLF, ("a",), span(2, 8, 2, 9), span(2, 3, 2, 6)),
    (CRLF, ("b",), span(3, 8, 3, 10), span(3, 3, 3, 6)),
    (LONE_CR, (), span(1, 1, 5, 2), None),
    (LONE_CR, (0,), span(2, 1, 2, 4), None),
    (LONE_CR, (1,), span(4, 1, 4, 3), None),
    (MIXED_BREAKS, (), span(4, 2, 4, 3), None),
    (ESCAPES, (), span(1, 1, 1, 36), None),
    (ESCAPES, (0,), span(1, 2, 1, 8), None),
    (ESCAPES, (1,), span(1, 10, 1, 30), None),
    (ESCAPES, (2,), span(1, 32, 1, 35), None),
    (EMPTY, (), span(1, 1, 1, 16), None),
    (EMPTY, ("o",), span(1, 6, 1, 8), span(1, 2, 1, 5)),
    (EMPTY, ("l",), span(1, 13, 1, 15), span(1, 9, 1, 12)),
    ('  "s"  ', (), span(1, 3, 1, 6), None),
    (" 12 ", (), span(1, 2, 1, 4), None),
    ("-0.5E-2", (), span(1, 1, 1, 8), None),
    ("null", (), span(1, 1, 1, 5), None),
]


@pytest.mark.parametrize(("text", "pointer", "value", "key"), POSITIONS)
def test_spans(text: str, pointer: Pointer, value: Span, key: Span | None) -> None:
    source_map = ok(text).docs[0].source_map
    assert source_map.value(pointer) == value
    assert source_map.key(pointer) == key


@pytest.mark.parametrize(
    ("text", "data"),
    [
        (NESTED, {"a": {"b": [1, 2]}}),
        (PRETTY, {"é": "😀x", "n": [-1500.0, 0, True, False, None]}),
        (CRLF, {"a": 1, "b": {}}),
        (LONE_CR, ["x", []]),
        (MIXED_BREAKS, 7),
        (ESCAPES, ['a"b', "é😀", "é"]),
        (EMPTY, {"o": {}, "l": []}),
        ('["\\ud800", "\\/\\b\\f\\n\\r\\t"]', ["\ud800", "/\b\f\n\r\t"]),
        ("[1e999, -0, 0.0, 10E+2]", [float("inf"), 0, 0.0, 1000.0]),
    ],
)
def test_data_matches_json_loads(text: str, data: Any) -> None:
    loaded = ok(text)
    assert loaded.docs[0].data == data == json.loads(text)
    assert [type(v) for v in _walk(loaded.docs[0].data).values()] == [
        type(v) for v in _walk(json.loads(text)).values()
    ]


def test_loaded_file_shape() -> None:
    loaded = ok(NESTED)
    assert (loaded.path, loaded.syntax, loaded.text, loaded.comments) == ("f.json", Syntax.JSON, NESTED, [])
    doc = loaded.docs[0]
    assert (doc.path, doc.index) == ("f.json", 0)
    assert list(doc.source_map.values) == [(), ("a",), ("a", "b"), ("a", "b", 0), ("a", "b", 1)]


# --- errors ---------------------------------------------------------------------------------

_NOT_JSONC = "invalid JSON: comments are not allowed in JSON (is this a JSONC file?)"
_CONTROL = "invalid JSON: control character in string (escape it, e.g. \\n or \\t)"

# (text, jsonc, code, line, column, message)
ERRORS: list[tuple[str, bool, str, int, int, str]] = [
    ("", False, "AL001", 1, 1, "empty file: expected a JSON value"),
    (" \r\n\t\n", False, "AL001", 1, 1, "empty file: expected a JSON value"),
    ("// only a comment\n", True, "AL001", 2, 1, "invalid JSON: expected a value, found end of file"),
    ('{"a": 1 "b": 2}', False, "AL001", 1, 9,
     "invalid JSON: expected ',' or '}' after object member, found a string"),
    ("[1 2]", False, "AL001", 1, 4, "invalid JSON: expected ',' or ']' after array element, found '2'"),
    ("[1}", False, "AL001", 1, 3, "invalid JSON: expected ',' or ']' after array element, found '}'"),
    ('{"a" 1}', False, "AL001", 1, 6, "invalid JSON: expected ':' after object key, found '1'"),
    ("{'a': 1}", False, "AL001", 1, 2,
     "invalid JSON: expected a string key or '}', found ''' (object keys must be double-quoted strings)"),
    ("{a: 1}", False, "AL001", 1, 2,
     "invalid JSON: expected a string key or '}', found 'a' (object keys must be double-quoted strings)"),
    ('{"a": 1, 2}', False, "AL001", 1, 10,
     "invalid JSON: expected a string key, found '2' (object keys must be double-quoted strings)"),
    ("[1,]", False, "AL001", 1, 3, "invalid JSON: trailing comma before ']' (allowed only in JSONC)"),
    ('{"a": 1,\n}', False, "AL001", 1, 8, "invalid JSON: trailing comma before '}' (allowed only in JSONC)"),
    ("[1,,2]", False, "AL001", 1, 4, "invalid JSON: expected a value, found ','"),
    ("[1,,2]", True, "AL001", 1, 4, "invalid JSON: expected a value or ']', found ','"),
    ('{"a"::1}', False, "AL001", 1, 6, "invalid JSON: expected a value, found ':'"),
    ("[1:2]", False, "AL001", 1, 3, "invalid JSON: expected ',' or ']' after array element, found ':'"),
    ("{} x", False, "AL001", 1, 4, "invalid JSON: expected end of file after the top-level value, found 'x'"),
    ("1,", False, "AL001", 1, 2, "invalid JSON: expected end of file after the top-level value, found ','"),
    ("]", False, "AL001", 1, 1, "invalid JSON: expected a value, found ']'"),
    ("[1, 2", False, "AL001", 1, 6, "invalid JSON: expected ',' or ']' after array element, found end of file"),
    ('{"a":', False, "AL001", 1, 6, "invalid JSON: expected a value, found end of file"),
    ("[NaN]", False, "AL001", 1, 2, "invalid JSON: NaN is not allowed in JSON"),
    ("[-Infinity]", False, "AL001", 1, 2, "invalid JSON: -Infinity is not allowed in JSON"),
    ("Infinity", False, "AL001", 1, 1, "invalid JSON: Infinity is not allowed in JSON"),
    ("[01]", False, "AL001", 1, 2, "invalid JSON: malformed number '01'"),
    ("[1.]", False, "AL001", 1, 2, "invalid JSON: malformed number '1.'"),
    ("[1e]", False, "AL001", 1, 2, "invalid JSON: malformed number '1e'"),
    ("[-]", False, "AL001", 1, 2, "invalid JSON: malformed number '-'"),
    ("[.5]", False, "AL001", 1, 2, "invalid JSON: expected a value or ']', found '.5'"),
    ("[+1]", False, "AL001", 1, 2, "invalid JSON: expected a value or ']', found '+1'"),
    ("[truex]", False, "AL001", 1, 2, "invalid JSON: expected a value or ']', found 'truex'"),
    ("1" + "0" * 5000, False, "AL001", 1, 1, "invalid JSON: integer has too many digits"),
    ('["a\tb"]', False, "AL001", 1, 4, _CONTROL),
    ('["a\nb"]', False, "AL001", 1, 4, _CONTROL),
    ('["a\\qb"]', False, "AL001", 1, 4, "invalid JSON: invalid escape in string"),
    ('["\\u12x4"]', False, "AL001", 1, 3, "invalid JSON: invalid \\uXXXX escape in string"),
    ('["abc', False, "AL001", 1, 2, "invalid JSON: unterminated string"),
    ('{"😀": x}', False, "AL001", 1, 7, "invalid JSON: expected a value, found 'x'"),
    ("[\r\n1,\r\n  x]", False, "AL001", 3, 3, "invalid JSON: expected a value, found 'x'"),
    ("[\r1,\r  x]", False, "AL001", 3, 3, "invalid JSON: expected a value, found 'x'"),
    ("[\u00a01]", False, "AL001", 1, 2, "invalid JSON: expected a value or ']', found U+00A0"),
    ("// c\n{}", False, "AL001", 1, 1, _NOT_JSONC),
    ('{"a": 1 /* c */}', False, "AL001", 1, 9, _NOT_JSONC),
    ("{} /* x", True, "AL001", 1, 4, "invalid JSON: unterminated block comment"),
    ("[1 / 2]", True, "AL001", 1, 4, "invalid JSON: unexpected '/'"),
    ("[" * 201, False, "AL004", 1, 201, "nesting deeper than 200 levels"),
]


@pytest.mark.parametrize(("text", "jsonc", "code", "line", "column", "message"), ERRORS)
def test_errors(text: str, jsonc: bool, code: str, line: int, column: int, message: str) -> None:
    assert problem(text, jsonc=jsonc) == (code, line, column, message)


def test_error_violation_shape() -> None:
    (p,) = load_json("dir/f.json", "[1 2]").problems
    message = "invalid JSON: expected ',' or ']' after array element, found '2'"
    assert p == Violation(
        code="AL001",
        message=message,
        location=Location("dir/f.json", span(1, 4, 1, 4)),
        ref=NodeRef("dir/f.json"),
        args=(message,),
    )


# --- depth ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column"),
    [("[[[[1]]]]", 4), ('{"a":{"b":[{}]}}', 12), ("[[[{}]]]", 4)],
)
def test_depth_limit_at_the_opening_bracket(text: str, column: int) -> None:
    assert problem(text, limits=Limits(max_depth=3)) == ("AL004", 1, column, "nesting deeper than 3 levels")


def test_depth_at_the_limit_is_fine() -> None:
    assert ok("[[[1]]]", limits=Limits(max_depth=3)).docs[0].data == [[[1]]]


def test_hundred_thousand_deep_does_not_raise() -> None:
    assert problem("[" * 100_000) == ("AL004", 1, 201, "nesting deeper than 200 levels")
    assert problem("[" * 100_000 + "]" * 100_000) == ("AL004", 1, 201, "nesting deeper than 200 levels")


def test_deep_document_within_a_raised_limit_parses_without_recursion() -> None:
    depth = 5_000  # well past sys.getrecursionlimit(); pointers make cost quadratic in depth
    loaded = ok("[" * depth + "]" * depth, limits=Limits(max_depth=depth))
    deepest = (0,) * (depth - 1)
    assert loaded.docs[0].source_map.value(deepest) == span(1, depth, 1, depth + 2)


# --- JSONC ----------------------------------------------------------------------------------

JSONC_TEXT = '// head\n{\n  "a": 1, // trailing\n  /* block\n     two lines */ "b": [2,],\n}\n'


def test_jsonc_comments_and_trailing_commas() -> None:
    loaded = ok(JSONC_TEXT, jsonc=True)
    assert loaded.docs[0].data == {"a": 1, "b": [2]}
    assert loaded.comments == [
        Comment(1, 1, "// head", True),
        Comment(3, 11, "// trailing", False),
        Comment(4, 3, "/* block\n     two lines */", True),
    ]
    source_map = loaded.docs[0].source_map
    assert source_map.value(()) == span(2, 1, 6, 2)
    assert source_map.key(("b",)) == span(5, 19, 5, 22)
    assert source_map.value(("b",)) == span(5, 24, 5, 28)
    assert source_map.value(("b", 0)) == span(5, 25, 5, 26)


def test_same_jsonc_file_is_an_error_in_strict_json() -> None:
    assert problem(JSONC_TEXT) == ("AL001", 1, 1, _NOT_JSONC)


def test_trailing_commas_only() -> None:
    text = '{"a": [1,],}'
    assert ok(text, jsonc=True).docs[0].data == {"a": [1]}
    assert problem(text) == ("AL001", 1, 9, "invalid JSON: trailing comma before ']' (allowed only in JSONC)")


@pytest.mark.parametrize(
    ("text", "comments"),
    [
        ("{ // x\r\n}", [Comment(1, 3, "// x", False)]),
        ("{}\r  // end", [Comment(2, 3, "// end", True)]),
        ('{"é😀": /**/ 1}', [Comment(1, 8, "/**/", False)]),
        ("\t/* a */ /* b */ 1", [Comment(1, 2, "/* a */", True), Comment(1, 10, "/* b */", False)]),
    ],
)
def test_comment_positions(text: str, comments: list[Comment]) -> None:
    assert ok(text, jsonc=True).comments == comments


# --- duplicate keys -------------------------------------------------------------------------


def test_duplicate_key_last_wins_and_is_reported_at_the_second_key() -> None:
    text = '{\n  "a": {"x": 1},\n  "b": 0,\n  "a": 2\n}'
    loaded = load_json("f.json", text)
    assert loaded.docs[0].data == {"a": 2, "b": 0} == json.loads(text)
    assert loaded.problems == [
        Violation(
            code="AL005",
            message="duplicate key 'a': only the last value is used",
            location=Location("f.json", span(4, 3, 4, 6)),
            ref=NodeRef("f.json", ("a",)),
            args=("a",),
        )
    ]
    source_map = loaded.docs[0].source_map
    assert source_map.key(("a",)) == span(4, 3, 4, 6)
    assert source_map.value(("a",)) == span(4, 8, 4, 9)
    assert source_map.value(("a", "x")) is None  # spans under the discarded value are gone
    assert source_map.key(("a", "x")) is None


def test_nested_duplicates_each_reported() -> None:
    loaded = load_json("f.json", '{"o": {"k": 1, "k": 2, "k": 3}}')
    assert loaded.docs[0].data == {"o": {"k": 3}}
    assert [(p.code, p.location.span.start, p.ref, p.args) for p in loaded.problems] == [
        ("AL005", Pos(1, 16), NodeRef("f.json", ("o", "k")), ("k",)),
        ("AL005", Pos(1, 24), NodeRef("f.json", ("o", "k")), ("k",)),
    ]


def test_syntax_error_replaces_duplicate_problems() -> None:
    assert problem('{"a": 1, "a": 2') == (
        "AL001", 1, 16, "invalid JSON: expected ',' or '}' after object member, found end of file"
    )


# --- properties -----------------------------------------------------------------------------

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
VALUES = st.recursive(
    SCALARS, lambda children: st.lists(children) | st.dictionaries(st.text(), children), max_leaves=25
)


@st.composite
def dumped(draw: st.DrawFn) -> str:
    text = json.dumps(
        draw(VALUES),
        indent=draw(st.sampled_from([None, 0, 2, "\t"])),
        separators=draw(st.sampled_from([(",", ":"), (", ", ": "), (" ,\t", " :  ")])),
        ensure_ascii=draw(st.booleans()),
    )
    # json.dumps escapes line breaks inside strings, so every raw "\n" is whitespace.
    return text.replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r"])))


def _walk(value: Any, pointer: Pointer = ()) -> dict[Pointer, Any]:
    out = {pointer: value}
    children: Any = ()
    if isinstance(value, dict):
        children = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    for key, child in children:
        out.update(_walk(child, pointer + (key,)))
    return out


def _offset(starts: list[int], pos: Pos) -> int:
    return starts[pos.line - 1] + pos.column - 1


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]


def _strictly_equal(a: Any, b: Any) -> bool:
    walked_a, walked_b = _walk(a), _walk(b)
    types_a = {p: type(v) for p, v in walked_a.items()}
    return a == b and types_a == {p: type(v) for p, v in walked_b.items()}


@settings(max_examples=300, deadline=None)
@given(dumped())
def test_property_data_and_every_span_round_trip(text: str) -> None:
    loaded = ok(text)
    data = loaded.docs[0].data
    assert _strictly_equal(data, json.loads(text))
    source_map = loaded.docs[0].source_map
    nodes = _walk(data)
    assert set(source_map.values) == set(nodes)
    assert set(source_map.keys) == {p for p in nodes if p and isinstance(p[-1], str)}
    starts = _line_starts(text)
    for pointer, value in nodes.items():
        s = source_map.values[pointer]
        assert _strictly_equal(json.loads(text[_offset(starts, s.start) : _offset(starts, s.end)]), value)
        if pointer in source_map.keys:
            k = source_map.keys[pointer]
            assert json.loads(text[_offset(starts, k.start) : _offset(starts, k.end)]) == pointer[-1]


_JSONISH = st.text(alphabet='{}[],:" \t\r\n\\/*0123456789.eE+-truefalsnuNaIiy\u00e9\U0001f600', max_size=60)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(dumped())
    at = draw(st.integers(0, len(text)))
    edit = draw(st.sampled_from(["delete", "insert", "keep"]))
    if edit == "delete":
        return text[:at] + text[at + 1 :]
    if edit == "insert":
        return text[:at] + draw(st.sampled_from(list('{}[],:"\\/ x0.-\x01'))) + text[at:]
    return text


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


@settings(max_examples=400, deadline=None)
@given(st.text() | _JSONISH | mutated())
def test_property_never_raises_and_agrees_with_json_loads(text: str) -> None:
    for jsonc in (False, True):
        loaded = load_json("f.json", text, Limits(max_depth=10_000), jsonc=jsonc)
        if loaded.docs:
            assert len(loaded.docs) == 1
            assert {p.code for p in loaded.problems} <= {"AL005"}
        else:
            assert len(loaded.problems) == 1
            assert loaded.problems[0].code in {"AL001", "AL004"}
            span_ = loaded.problems[0].location.span
            assert span_.start.line >= 1 and span_.start.column >= 1
    strict = load_json("f.json", text, Limits(max_depth=10_000))
    try:
        expected = json.loads(text, parse_constant=_reject_constant)
    except ValueError:  # JSONDecodeError, NaN/Infinity, or too many digits
        assert strict.docs == []
    else:
        assert strict.docs and _strictly_equal(strict.docs[0].data, expected)


# --- the real corpus ------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_agrees_with_json_loads() -> None:
    paths = sorted(CORPUS.rglob("*.json"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
        loaded = load_json(path.name, text)
        try:
            expected = json.loads(text)
        except ValueError:
            assert loaded.docs == [] and loaded.problems[0].code == "AL001", path
        else:
            assert loaded.docs[0].data == expected, path
