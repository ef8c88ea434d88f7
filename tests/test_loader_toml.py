"""TOML loader: tomllib's data, exact spans for every construct, located errors, comments,
depth cap, and properties (never raises; every span re-parses to its value)."""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint.loaders.base import Comment, Limits, LoadedFile, Syntax
from agentlint.loaders.toml import _Positions, load_toml
from agentlint.model.source import Pointer, Pos, Span

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def span(line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(Pos(line, col), Pos(end_line, end_col))


def ok(text: str, **kwargs: Any) -> LoadedFile:
    loaded = load_toml("f.toml", text, **kwargs)
    assert loaded.problems == [], loaded.problems
    assert len(loaded.docs) == 1
    return loaded


def problem(text: str, **kwargs: Any) -> tuple[str, int, int, str]:
    loaded = load_toml("f.toml", text, **kwargs)
    assert loaded.docs == []
    assert len(loaded.problems) == 1
    (p,) = loaded.problems
    return p.code, p.location.span.start.line, p.location.span.start.column, p.message


# --- positions ------------------------------------------------------------------------------

TABLES = """[server]
name = "x"
[server.env]
KEY = 'v'
[ a . "b.c" . 'd' ]
[a]
e = 1
"""
ARRAYS_OF_TABLES = """[[srv]]
n = 1

[[srv]]  # second
n = 2
[srv.opts]
[[srv.tools]]
id = "t"
"""
KEYS = """a.b.c = 1
"x.y" = 2
'lit\\' = 3
"\\u00e9" = 4
a . d = true
"" = 5
"""
STRINGS = '''s1 = "a\\"b # not a comment"
s2 = 'C:\\path # no'
s3 = """
multi "quoted" # no
line"""""
s4 = \'\'\'x\'\'\'\'
s5 = "😀" # agentlint: tail
'''
VALUES = """t = { a = 1, b = [1, 2], c.d = "x" }
arr = [
  1_000, # agentlint: one
  [0xff, -inf],
  {},
]
when = 1979-05-27 07:32:00Z
day = 1979-05-27
at = 07:32:00.5
f = -1.5e3
ok = false
"""
CRLF = '[a]\r\nb = """x\r\ny"""\r\nc = 1\r\n'

# (text, pointer, value span, key span or None)
POSITIONS: list[tuple[str, Pointer, Span, Span | None]] = [
    # [table] headers: the key is the header segment, the value the hull of the section(s)
    (TABLES, (), span(1, 1, 7, 6), None),
    (TABLES, ("server",), span(1, 1, 4, 10), span(1, 2, 1, 8)),
    (TABLES, ("server", "name"), span(2, 8, 2, 11), span(2, 1, 2, 5)),
    (TABLES, ("server", "env"), span(3, 1, 4, 10), span(3, 9, 3, 12)),
    (TABLES, ("server", "env", "KEY"), span(4, 7, 4, 10), span(4, 1, 4, 4)),
    # quoted segments keep their quotes; an explicit [a] header wins over the first mention
    (TABLES, ("a",), span(5, 1, 7, 6), span(6, 2, 6, 3)),
    (TABLES, ("a", "b.c"), span(5, 1, 5, 20), None),  # implied by the header: no key written
    (TABLES, ("a", "b.c", "d"), span(5, 1, 5, 20), span(5, 15, 5, 18)),
    (TABLES, ("a", "e"), span(7, 5, 7, 6), span(7, 1, 7, 2)),
    # [[array.of.tables]]: integer indices, each entry from its header to its last content
    (ARRAYS_OF_TABLES, ("srv",), span(1, 1, 8, 9), span(1, 3, 1, 6)),
    (ARRAYS_OF_TABLES, ("srv", 0), span(1, 1, 2, 6), None),
    (ARRAYS_OF_TABLES, ("srv", 0, "n"), span(2, 5, 2, 6), span(2, 1, 2, 2)),
    (ARRAYS_OF_TABLES, ("srv", 1), span(4, 1, 8, 9), None),
    (ARRAYS_OF_TABLES, ("srv", 1, "n"), span(5, 5, 5, 6), span(5, 1, 5, 2)),
    (ARRAYS_OF_TABLES, ("srv", 1, "opts"), span(6, 1, 6, 11), span(6, 6, 6, 10)),
    (ARRAYS_OF_TABLES, ("srv", 1, "tools"), span(7, 1, 8, 9), span(7, 7, 7, 12)),
    (ARRAYS_OF_TABLES, ("srv", 1, "tools", 0), span(7, 1, 8, 9), None),
    (ARRAYS_OF_TABLES, ("srv", 1, "tools", 0, "id"), span(8, 6, 8, 9), span(8, 1, 8, 3)),
    # dotted keys: implicit tables are keyed at their first mention, valued by their members
    (KEYS, ("a",), span(1, 3, 5, 13), span(1, 1, 1, 2)),
    (KEYS, ("a", "b"), span(1, 5, 1, 10), span(1, 3, 1, 4)),
    (KEYS, ("a", "b", "c"), span(1, 9, 1, 10), span(1, 5, 1, 6)),
    (KEYS, ("a", "d"), span(5, 9, 5, 13), span(5, 5, 5, 6)),
    (KEYS, ("x.y",), span(2, 9, 2, 10), span(2, 1, 2, 6)),
    (KEYS, ("lit\\",), span(3, 10, 3, 11), span(3, 1, 3, 7)),
    (KEYS, ("é",), span(4, 12, 4, 13), span(4, 1, 4, 9)),
    (KEYS, ("",), span(6, 6, 6, 7), span(6, 1, 6, 3)),
    # strings of all four kinds, '#' inside them, extra closing quotes, code-point columns
    (STRINGS, ("s1",), span(1, 6, 1, 28), span(1, 1, 1, 3)),
    (STRINGS, ("s2",), span(2, 6, 2, 20), span(2, 1, 2, 3)),
    (STRINGS, ("s3",), span(3, 6, 5, 10), span(3, 1, 3, 3)),
    (STRINGS, ("s4",), span(6, 6, 6, 14), span(6, 1, 6, 3)),
    (STRINGS, ("s5",), span(7, 6, 7, 9), span(7, 1, 7, 3)),
    # inline tables and arrays (nested, multi-line, trailing comma), numbers, dates, booleans
    (VALUES, ("t",), span(1, 5, 1, 37), span(1, 1, 1, 2)),
    (VALUES, ("t", "a"), span(1, 11, 1, 12), span(1, 7, 1, 8)),
    (VALUES, ("t", "b"), span(1, 18, 1, 24), span(1, 14, 1, 15)),
    (VALUES, ("t", "b", 0), span(1, 19, 1, 20), None),
    (VALUES, ("t", "b", 1), span(1, 22, 1, 23), None),
    (VALUES, ("t", "c"), span(1, 28, 1, 35), span(1, 26, 1, 27)),
    (VALUES, ("t", "c", "d"), span(1, 32, 1, 35), span(1, 28, 1, 29)),
    (VALUES, ("arr",), span(2, 7, 6, 2), span(2, 1, 2, 4)),
    (VALUES, ("arr", 0), span(3, 3, 3, 8), None),
    (VALUES, ("arr", 1), span(4, 3, 4, 15), None),
    (VALUES, ("arr", 1, 0), span(4, 4, 4, 8), None),
    (VALUES, ("arr", 1, 1), span(4, 10, 4, 14), None),
    (VALUES, ("arr", 2), span(5, 3, 5, 5), None),
    (VALUES, ("when",), span(7, 8, 7, 28), span(7, 1, 7, 5)),
    (VALUES, ("day",), span(8, 7, 8, 17), span(8, 1, 8, 4)),
    (VALUES, ("at",), span(9, 6, 9, 16), span(9, 1, 9, 3)),
    (VALUES, ("f",), span(10, 5, 10, 11), span(10, 1, 10, 2)),
    (VALUES, ("ok",), span(11, 6, 11, 11), span(11, 1, 11, 3)),
    # CRLF: "\r\n" is one break, a multi-line string spans it
    (CRLF, ("a",), span(1, 1, 4, 6), span(1, 2, 1, 3)),
    (CRLF, ("a", "b"), span(2, 5, 3, 5), span(2, 1, 2, 2)),
    (CRLF, ("a", "c"), span(4, 5, 4, 6), span(4, 1, 4, 2)),
    # nothing but comments: the root is placed at the start
    ("# only a comment\n", (), span(1, 1, 1, 1), None),
    ("", (), span(1, 1, 1, 1), None),
]


@pytest.mark.parametrize(("text", "pointer", "value", "key"), POSITIONS)
def test_spans(text: str, pointer: Pointer, value: Span, key: Span | None) -> None:
    source_map = ok(text).docs[0].source_map
    assert source_map.value(pointer) == value
    assert source_map.key(pointer) == key


@pytest.mark.parametrize("text", [TABLES, ARRAYS_OF_TABLES, KEYS, STRINGS, VALUES, CRLF])
def test_every_node_is_located_and_data_is_tomllib(text: str) -> None:
    loaded = ok(text)
    data = loaded.docs[0].data
    assert _strictly_equal(data, tomllib.loads(text))
    nodes = _walk(data)
    assert set(loaded.docs[0].source_map.values) == set(nodes)
    members = {p for p in nodes if p and isinstance(p[-1], str)}
    assert set(loaded.docs[0].source_map.keys) <= members
    for missing in members - set(loaded.docs[0].source_map.keys):  # tables a [header] implies
        assert isinstance(_get(data, missing), dict), missing


def test_data_of_the_examples() -> None:
    assert ok(STRINGS).docs[0].data == {
        "s1": 'a"b # not a comment',
        "s2": "C:\\path # no",
        "s3": 'multi "quoted" # no\nline""',
        "s4": "x'",
        "s5": "😀",
    }
    values = ok(VALUES).docs[0].data
    assert values["arr"][:1] == [1000] and values["arr"][1][0] == 255 and values["arr"][1][1] == -math.inf
    assert values["when"] == dt.datetime(1979, 5, 27, 7, 32, tzinfo=dt.timezone.utc)
    assert ok(CRLF).docs[0].data == {"a": {"b": "x\ny", "c": 1}}


def test_loaded_file_shape() -> None:
    loaded = ok(TABLES)
    assert (loaded.path, loaded.syntax, loaded.text, loaded.comments) == ("f.toml", Syntax.TOML, TABLES, [])
    doc = loaded.docs[0]
    assert (doc.path, doc.index) == ("f.toml", 0)
    # SourceMap keeps document order: parents before children
    assert list(doc.source_map.values)[:3] == [(), ("server",), ("server", "name")]


# --- comments -------------------------------------------------------------------------------


def test_comments_outside_strings_only() -> None:
    assert ok(STRINGS).comments == [Comment(7, 10, "# agentlint: tail", False)]
    assert ok(VALUES).comments == [Comment(3, 10, "# agentlint: one", False)]


def test_comments_everywhere_they_can_be() -> None:
    text = (
        "# agentlint: ignore[AL201] top\r\n"
        "[t] # on a header\r\n"
        "x = [ # after a bracket\r\n"
        "  1, # after an element\r\n"
        "  # own line in an array\r\n"
        "] # after the array\r\n"
        "\t# indented\r\n"
        "y = '#'#no space"
    )
    assert ok(text).comments == [
        Comment(1, 1, "# agentlint: ignore[AL201] top", True),
        Comment(2, 5, "# on a header", False),
        Comment(3, 7, "# after a bracket", False),
        Comment(4, 6, "# after an element", False),
        Comment(5, 3, "# own line in an array", True),
        Comment(6, 3, "# after the array", False),
        Comment(7, 2, "# indented", True),
        Comment(8, 8, "#no space", False),
    ]


def test_comments_are_collected_only_when_agentlint_is_mentioned() -> None:
    assert ok("a = 1 # plain\n").comments == []
    assert ok('a = "agentlint" # plain\n').comments == [Comment(1, 17, "# plain", False)]


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = 1\nb = ", ("AL001", 2, 5, "invalid TOML: invalid value")),
        ('a = "x', ("AL001", 1, 7, "invalid TOML: unterminated string")),
        # a key or table defined twice: at the second key (tomllib says: after its value)
        ("[a]\n[a]\n", ("AL001", 2, 2, "invalid TOML: cannot declare ('a',) twice")),
        ("a = 1\na = 2\nb = 3\n", ("AL001", 2, 1, "invalid TOML: cannot overwrite a value")),
        ("[t]\nx = 1\n  x = [\n  1,\n  2]\n", ("AL001", 3, 3, "invalid TOML: cannot overwrite a value")),
        ("a.b = 1\na = 2\n", ("AL001", 2, 1, "invalid TOML: cannot overwrite a value")),
        ("x = {a = 1}\nx.b = 2\n", ("AL001", 2, 1, "invalid TOML: cannot mutate immutable namespace ('x',)")),
        ('[[a]]\n[ "a" ]\n', ("AL001", 2, 3, "invalid TOML: cannot declare ('a',) twice")),
        ("y = {b = {a = 1}, a = 2, a = 3}\n", ("AL001", 1, 26, "invalid TOML: duplicate inline table key 'a'")),
        ("x = [1,\n  2,,]", ("AL001", 2, 5, "invalid TOML: invalid value")),
        ("é = 1", ("AL001", 1, 1, "invalid TOML: invalid statement")),
        ('a = "😀" x', ("AL001", 1, 9, "invalid TOML: expected newline or end of document after a statement")),
        ("a=1\r\nb = 2 3", ("AL001", 2, 7, "invalid TOML: expected newline or end of document after a statement")),
        ("a = 1 # x\rb", ("AL001", 1, 10, "invalid TOML: found invalid character '\\r'")),
        ('\n\n  k = "\\q"', ("AL001", 3, 10, "invalid TOML: unescaped '\\' in a string")),
        ("a = 2000-02-30", ("AL001", 1, 5, "invalid TOML: invalid date or datetime")),
        ("a = 1\nb = " + "1" * 5000, ("AL001", 2, 5, "invalid TOML: integer has too many digits")),
    ],
)
def test_syntax_errors_are_located_where_tomllib_says(text: str, expected: tuple) -> None:
    assert problem(text) == expected


def test_error_violation_shape() -> None:
    (p,) = load_toml("dir/f.toml", "a = ").problems
    assert (p.code, p.location.path, p.ref.path, p.args) == ("AL001", "dir/f.toml", "dir/f.toml", (p.message,))


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("a = " + "[" * 201 + "]" * 201, 204),  # the 200th bracket is the 201st level
        ("a = " + "[" * 2000 + "]" * 2000, 204),  # tomllib's RecursionError: still located
        ("a = " + "{b=" * 300 + "1" + "}" * 300, 602),
        ("[" + ".".join(["k"] * 300) + "]", 400),  # a long header: the 200th segment
        (".".join(["k"] * 300) + " = 1", 399),  # a long dotted key
    ],
)
def test_depth_cap(text: str, column: int) -> None:
    assert problem(text) == ("AL004", 1, column, "nesting deeper than 200 levels")


def test_depth_cap_is_the_limit() -> None:
    assert problem("a = [[[1]]]", limits=Limits(max_depth=3))[:3] == ("AL004", 1, 7)
    assert ok("a = [[1]]", limits=Limits(max_depth=3)).docs[0].data == {"a": [[1]]}
    assert ok("[a.b]", limits=Limits(max_depth=3)).docs[0].data == {"a": {"b": {}}}
    assert problem("[a.b.c]", limits=Limits(max_depth=3))[:3] == ("AL004", 1, 6)


# --- properties -----------------------------------------------------------------------------

_KEY_TEXT = st.text(alphabet=st.sampled_from(list("ab_-09 .\"'#\\é😀\t")), max_size=6)
_STR = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list("\"'\\#\n\r\t]}=,")),
    max_size=20,
)
SCALARS = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | _STR
    | st.datetimes(min_value=dt.datetime(1, 1, 1), timezones=st.none() | st.just(dt.timezone.utc))
    | st.dates()
    | st.times()
)
DOCS = st.dictionaries(
    _KEY_TEXT,
    st.recursive(
        SCALARS, lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEY_TEXT, children, max_size=4),
        max_leaves=20,
    ),
    max_size=6,
)
_BARE = re.compile(r"[A-Za-z0-9_-]+\Z")


class _Dumper:
    """A small TOML writer that picks a random spelling for everything it writes."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.lines: list[str] = []
        self.comments = 0

    def pick(self, *options: str) -> str:
        return self.draw(st.sampled_from(options))

    def comment(self) -> str:
        if self.draw(st.integers(0, 4)) == 0:
            self.comments += 1
            return f" # agentlint c{self.comments}"
        return ""

    def key(self, key: str) -> str:
        if _BARE.match(key) and self.draw(st.booleans()):
            return key
        if "'" not in key and "\n" not in key and "\t" not in key and self.draw(st.booleans()):
            return f"'{key}'"
        return self.basic(key)

    def basic(self, value: str) -> str:
        out = []
        for ch in value:
            if ch in '"\\':
                out.append("\\" + ch)
            elif ch == "\n":
                out.append("\\n")
            elif ord(ch) < 0x20 or ord(ch) == 0x7F:
                out.append(f"\\u{ord(ch):04x}")
            elif ch == "é" and self.draw(st.booleans()):
                out.append("\\u00E9")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'

    def string(self, value: str) -> str:
        style = self.pick("basic", "literal", "ml_basic", "ml_literal")
        controls = any(ord(c) < 0x20 and c not in "\t\n" or ord(c) == 0x7F for c in value)
        if style == "literal" and not controls and "'" not in value and "\n" not in value and "\r" not in value:
            return f"'{value}'"
        if style == "ml_literal" and not controls and "'''" not in value and "\r" not in value:
            return f"'''\n{value}'''"
        if style == "ml_basic":
            body = "".join("\n" if ch == "\n" else self.basic(ch)[1:-1] for ch in value)
            return f'"""\n{body}"""'
        return self.basic(value)

    def scalar(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            if value >= 0 and self.draw(st.booleans()):
                return self.pick(hex(value), oct(value), bin(value))
            return str(value)
        if isinstance(value, float):
            return {math.inf: "inf", -math.inf: "-inf"}.get(value, repr(value))
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, dt.datetime):
            return value.isoformat(sep=self.pick("T", " "))
        return value.isoformat()  # date, time

    def inline(self, value: Any) -> str:
        if isinstance(value, dict):
            if not value:
                return "{}"
            return "{ " + ", ".join(f"{self.key(k)} = {self.inline(v)}" for k, v in value.items()) + " }"
        if isinstance(value, list):
            if not value or self.draw(st.booleans()):
                return "[" + ", ".join(self.inline(v) for v in value) + "]"
            items = "".join(f"\n  {self.inline(v)},{self.comment()}" for v in value)
            return "[" + self.comment() + items + "\n]"
        return self.scalar(value)

    def dotted(self, prefix: str, value: dict) -> None:
        for k, v in value.items():
            name = f"{prefix}{self.pick('.', ' . ')}{self.key(k)}"
            if isinstance(v, dict) and v and self.draw(st.booleans()):
                self.dotted(name, v)
            else:
                self.lines.append(f"{name} = {self.inline(v)}{self.comment()}")

    def table(self, path: list[str], table: dict) -> None:
        later = []
        for k, v in table.items():
            style = self.pick("header", "inline", "dotted")
            if isinstance(v, dict) and style == "header":
                later.append((k, v, False))
            elif isinstance(v, list) and v and all(isinstance(e, dict) for e in v) and style == "header":
                later.append((k, v, True))
            elif isinstance(v, dict) and v and style == "dotted":
                self.dotted(self.key(k), v)
            else:
                self.lines.append(f"{self.key(k)}{self.pick(' = ', '=', '  =  ')}{self.inline(v)}{self.comment()}")
        for k, v, array in later:
            sub = path + [self.key(k)]
            if array:
                for entry in v:
                    self.lines.append(f"[[{'.'.join(sub)}]]{self.comment()}")
                    self.table(sub, entry)
            else:
                self.lines.append(f"[{'.'.join(sub)}]{self.comment()}")
                self.table(sub, v)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict, int]:
    data = draw(DOCS)
    dumper = _Dumper(draw)
    dumper.table([], data)
    text = "\n".join(dumper.lines) + draw(st.sampled_from(["", "\n"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")  # multi-line strings read "\r\n" back as "\n"
    return text, data, dumper.comments


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


def _strictly_equal(a: Any, b: Any) -> bool:
    walked_a, walked_b = _walk(a), _walk(b)
    return a == b and {p: type(v) for p, v in walked_a.items()} == {p: type(v) for p, v in walked_b.items()}


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]


def _slice(text: str, starts: list[int], s: Span) -> str:
    return text[starts[s.start.line - 1] + s.start.column - 1 : starts[s.end.line - 1] + s.end.column - 1]


def _get(data: Any, pointer: tuple) -> Any:
    for part in pointer:
        data = data[part]
    return data


def _check_spans(text: str, data: Any, limits: Limits = Limits()) -> None:
    """Every node located; every value span re-parses to its value, every key span to its
    key; every table's span contains its members."""
    positions = _Positions(text, limits, with_comments=True)
    source_map = positions.run()  # strict: the pass itself must not give up on valid TOML
    nodes = _walk(data)
    assert set(source_map.values) == set(nodes)
    members = {p for p in nodes if p and isinstance(p[-1], str)}
    assert set(source_map.keys) <= members
    # only tables a [header] implies (``a`` in ``[a.b]``) go without a key span
    for missing in members - set(source_map.keys):
        assert isinstance(_get(data, missing), dict), missing
    starts = _line_starts(text)
    hulls = set(positions.hulls)
    for pointer, value in nodes.items():
        s = source_map.values[pointer]
        if pointer in hulls:
            for child in (p for p in nodes if len(p) == len(pointer) + 1 and p[:-1] == pointer):
                assert s.contains(source_map.values[child]), (pointer, child)
                if child in source_map.keys:
                    assert s.contains(source_map.keys[child]), (pointer, child)
        else:
            assert _strictly_equal(tomllib.loads("v = " + _slice(text, starts, s))["v"], value), pointer
        if pointer in source_map.keys:
            written = tomllib.loads(_slice(text, starts, source_map.keys[pointer]) + " = 0")
            assert written == {pointer[-1]: 0}, pointer


@settings(max_examples=300, deadline=None)
@given(documents())
def test_property_generated_documents_round_trip_with_exact_spans(doc: tuple[str, dict, int]) -> None:
    text, data, comments = doc
    loaded = ok(text)
    assert _strictly_equal(loaded.docs[0].data, tomllib.loads(text))
    assert _strictly_equal(loaded.docs[0].data, data)
    _check_spans(text, data)
    if comments:
        # the dumper numbers comments as it writes them, not in document order
        assert sorted(c.text for c in loaded.comments) == sorted(f"# agentlint c{n}" for n in range(1, comments + 1))
        assert [(c.line, c.column) for c in loaded.comments] == sorted((c.line, c.column) for c in loaded.comments)


_TOMLISH = st.text(alphabet="[]{}.,=\"'#\\ \t\r\nabc01-_:+TZé😀\x01", max_size=60)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(documents())[0]
    at = draw(st.integers(0, len(text)))
    edit = draw(st.sampled_from(["delete", "insert", "keep"]))
    if edit == "delete":
        return text[:at] + text[at + 1 :]
    if edit == "insert":
        return text[:at] + draw(st.sampled_from(list("[]{}.,=\"'#\\ \n\r0x-"))) + text[at:]
    return text


@settings(max_examples=500, deadline=None)
@given(st.text() | _TOMLISH | mutated())
def test_property_never_raises_and_agrees_with_tomllib(text: str) -> None:
    loaded = load_toml("f.toml", text, Limits(max_depth=10_000))
    try:
        expected = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        assert loaded.docs == []
        assert len(loaded.problems) == 1 and loaded.problems[0].code in {"AL001", "AL004"}
        start = loaded.problems[0].location.span.start
        assert start.line >= 1 and start.column >= 1
    else:
        assert loaded.problems == []
        assert _strictly_equal(loaded.docs[0].data, expected)
        _check_spans(text, expected, Limits(max_depth=10_000))


# --- real files -----------------------------------------------------------------------------


def _real_toml_files() -> list[Path]:
    roots = [Path(__file__).resolve().parent.parent, CORPUS]
    found = [p for root in roots if root.is_dir() for p in root.rglob("*.toml") if ".venv" not in p.parts]
    return sorted(found)[:200]


def test_real_toml_files_agree_with_tomllib() -> None:
    paths = _real_toml_files()
    assert paths  # at least this repository's pyproject.toml
    for path in paths:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
        loaded = load_toml(path.name, text)
        try:
            expected = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            assert loaded.docs == [] and loaded.problems[0].code == "AL001", path
        else:
            assert loaded.docs[0].data == expected, path
            _check_spans(text, expected)
