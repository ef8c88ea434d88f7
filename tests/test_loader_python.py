"""The Python loader (``agentlint/loaders/python.py``) and the engine's path for ``.py`` files:
byte prefilter, decoding with PEP 263 cookies, one located finding or silence for bad input,
code-point positions whatever the line endings, and comments for suppressions."""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters._code.markers import mentions_known_library
from agentlint.adapters._code.scope import facts_of
from agentlint.loaders.base import LoadError
from agentlint.loaders.python import LocatedModule, decode_python, load_python
from tests.helpers import project_findings

HEAD = "import openai\n"  # names a library: passes the byte prefilter


def check(root: Path, files: dict[str, str | bytes]) -> list[tuple[str, str, int, int]]:
    """Write ``files`` byte for byte and run every rule through the engine."""
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return project_findings(root, {})


def problems(text: str) -> list[tuple[str, int, int]]:
    loaded = load_python("g.py", text)
    return [(p.code, p.location.span.start.line, p.location.span.start.column) for p in loaded.problems]


# -- bad input, through the engine -------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # columns are code points: 'é' is 2 bytes, '😀' 4
        pytest.param(HEAD + "x = 'é😀' + )\n", ("AL001", 2, 12), id="syntax-error-after-non-ascii"),
        pytest.param(HEAD + "s = '中文' + 'abc\n", ("AL001", 2, 12), id="unterminated-string"),
        pytest.param(HEAD + "y = 'é'; z = “hi”\n", ("AL001", 2, 14), id="curly-quote"),
        pytest.param(HEAD + "print 'x'\n", ("AL001", 2, 1), id="python-2-print"),
        pytest.param(HEAD + "def f():\nreturn 1\n", ("AL001", 3, 1), id="indentation"),
        pytest.param(HEAD + "x = 1\x00\n", ("AL003", 2, 6), id="nul-byte"),
        pytest.param(HEAD + "x = " + "1+" * 100_000 + "1\n", ("AL004", 1, 1), id="100k-additions"),
        pytest.param(HEAD + "x = " + "-" * 100_000 + "1\n", ("AL004", 1, 1), id="100k-minus-signs"),
        pytest.param(HEAD + "x = " + "(" * 300 + "1" + ")" * 300 + "\n", ("AL001", 2, 205), id="300-parentheses"),
        pytest.param(
            b"# -*- coding: latin-1 -*-\n" + HEAD.encode() + b"x = 'caf\xe9' + )\n", ("AL001", 3, 14), id="latin-1-cookie"
        ),
        pytest.param(b"# coding: ascii\n" + HEAD.encode() + b"x = 'caf\xc3\xa9'\n", ("AL003", 3, 9), id="not-ascii"),
        pytest.param(HEAD.encode() + b"x = '\xff'\n", ("AL003", 2, 6), id="not-utf-8"),
        pytest.param(b"import openai\r\nx = 1\r\ny = '\xff'\r\n", ("AL003", 3, 6), id="not-utf-8-crlf"),
        pytest.param(b"import openai\rx = 1\ry = '\xff'\r", ("AL003", 3, 6), id="not-utf-8-lone-cr"),
        pytest.param(b"# coding: klingon\n" + HEAD.encode(), ("AL003", 1, 11), id="unknown-encoding"),
        pytest.param(b"\xef\xbb\xbf" + HEAD.encode() + b"x = )\n", ("AL001", 2, 5), id="bom"),
        pytest.param(b"\xef\xbb\xbf# coding: latin-1\n" + HEAD.encode(), ("AL003", 1, 11), id="bom-with-latin-1-cookie"),
        pytest.param(b"\xef\xbb\xbf# coding: utf8\n" + HEAD.encode(), ("AL003", 1, 11), id="bom-with-utf8-cookie"),
        pytest.param(b"\xef\xbb\xbf# coding: UTF_8\n" + HEAD.encode() + b"x = )\n", ("AL001", 3, 5), id="bom-with-utf-8-cookie"),
        pytest.param("import openai\r\nx = 1\r\ny = (\r\n", ("AL001", 3, 5), id="crlf"),
        pytest.param("import openai\rx = 1\ry = (\r", ("AL001", 3, 5), id="lone-cr"),
        pytest.param("\x0cimport openai\n\x0c\nx = 'é'\x0c + )\n", ("AL001", 3, 12), id="form-feeds"),
        pytest.param(HEAD + "if x:\n\ty = 'é'\n        z = 1\n", ("AL001", 4, 1), id="tabs-and-spaces"),
    ],
)
def test_bad_python_gives_one_located_finding(tmp_path: Path, data: str | bytes, expected: tuple[str, int, int]) -> None:
    code, line, column = expected
    assert check(tmp_path, {"g.py": data}) == [(code, "g.py", line, column)]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("print 'x'\n", 1, 1),
        ("exec 'x = 1'\n", 1, 1),
        ("try:\n    pass\nexcept Exception, e:\n    pass\n", 3, 8),
        ("x = 0777\n", 1, 5),
        ("def f((a, b)):\n    pass\n", 1, 7),
        ("if x <> y:\n    pass\n", 1, 6),
        ("x = 'é' + `1`\n", 1, 11),
    ],
)
def test_python_2_code_is_named_as_such(text: str, line: int, column: int) -> None:
    (problem,) = load_python("g.py", text).problems
    assert (problem.code, problem.location.span.start.line, problem.location.span.start.column) == ("AL001", line, column)
    assert problem.message.endswith("(Python 2 code: agentlint reads Python 3)")


def test_python_3_mistakes_are_not_called_python_2() -> None:
    for text in ("x = (\n", "x = 1 +\n", "def f(:\n    pass\n", "a b\n"):
        (problem,) = load_python("g.py", text).problems
        assert "Python 2" not in problem.message, text


def test_messages_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="unknown source encoding 'klingon'"):
        decode_python(b"# coding: klingon\n")
    with pytest.raises(LoadError, match=r"not valid ascii \(byte 0xc3\)"):
        decode_python(b"# coding: ascii\nx = '\xc3\xa9'\n")


def test_a_python_2_file_that_names_no_library_is_never_parsed(tmp_path: Path) -> None:
    assert check(tmp_path, {"old.py": "print 'x'\nx = (\n", "bin.py": b"\x00\x01\xff"}) == []


def test_a_bad_python_file_never_stops_the_others(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        {
            "agents.yaml": "apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk}\n"
            "agents:\n  solo: {role: helper, retries: {max_attempts: 1}}\n",
            "a_broken.py": HEAD + "x = (\n",
            "b_binary.py": b"import openai\n\x00\x01",
            "c_deep.py": HEAD + "x = " + "-" * 100_000 + "1\n",
            "d_latin.py": HEAD.encode() + b"x = 'caf\xe9'\n",
            "e_plain.py": "print 'no library here'\n",
            "f_fine.py": HEAD + "x = 1\n",
        },
    )
    assert found == [
        ("AL001", "a_broken.py", 2, 5),
        ("AL003", "b_binary.py", 2, 1),
        ("AL003", "d_latin.py", 2, 9),
        ("AL004", "c_deep.py", 1, 1),
        ("AL301", "agents.yaml", 5, 3),
    ]


def test_an_oversized_module_is_reported_only_when_it_concerns_agentlint(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from agentlint.cli import main

    (tmp_path / "agentlint.toml").write_text("max-file-size = 1000\n", encoding="utf-8")
    (tmp_path / "data.py").write_text("DATA = [\n" + "    1,\n" * 500 + "]\n", encoding="utf-8")
    (tmp_path / "agent.py").write_text("import openai\n" + "x = 1\n" * 500, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "concise"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "agent.py:1:1: error: file larger than the 1,000-byte limit (max-file-size): skipped [AL003]"
    ]
    assert main(["check", "--format", "concise", "data.py"]) == 1  # named: always said
    assert "data.py:1:1: error: file larger than" in capsys.readouterr().out


def test_a_generated_module_of_50000_lines_parses_silently(tmp_path: Path) -> None:
    text = HEAD + "".join(f"VALUE_{i} = {i}\n" if i % 1000 else f"VALUE_{i} = {{'s': 'é{i}'}}\n" for i in range(50_000))
    loaded = load_python("big.py", text)
    assert loaded.problems == []
    module = loaded.module
    assert module is not None
    last = module.tree.body[-1]
    assert module.span(last).start.line == 50_001
    assert module.segment(last) == "VALUE_49999 = 49999"
    assert module.segment(module.tree.body[49_001]) == "VALUE_49000 = {'s': 'é49000'}"
    assert check(tmp_path, {"big.py": text}) == []


def test_a_deep_tree_the_parser_accepts_is_harmless_downstream() -> None:
    """Nesting just under the parser's limits: the groundwork walks iteratively and the
    evaluator's depth cap answers unknown."""
    for text, expected in (
        (HEAD + "x = " + "1+" * 2000 + "1\n", "UNKNOWN"),
        (HEAD + "x = a" + ".b" * 2000 + "\n", "UNKNOWN"),
        (HEAD + "x = " + "[" * 190 + "]" * 190 + "\n", "Static(value=" + "[" * 41 + "UNKNOWN" + "]" * 41 + ", env=None)"),
    ):
        loaded = load_python("g.py", text)
        assert loaded.problems == []
        facts = facts_of(loaded)
        assert facts is not None
        assert repr(facts.value(facts.bindings["x"])) == expected


# -- positions -----------------------------------------------------------------------------


def test_spans_in_a_latin_1_file_are_code_points() -> None:
    text = decode_python(b"# -*- coding: latin-1 -*-\n" + HEAD.encode() + b"name = 'caf\xe9'; limit = 5\n")
    module = load_python("g.py", text).module
    assert module is not None
    limit = module.tree.body[-1]
    assert module.span(limit).start.line == 3
    assert module.span(limit).start.column == 16
    assert module.segment(limit) == "limit = 5"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_spans_and_comments_follow_every_line_ending(newline: str) -> None:
    text = newline.join([HEAD.strip(), "\x0c", "if True:", "\tx = '😀'  # agentlint: é", "y = 'é' ; z = 2", ""])
    loaded = load_python("g.py", text)
    module = loaded.module
    assert module is not None
    x = module.tree.body[1].body[0]  # type: ignore[attr-defined]
    z = module.tree.body[-1]
    assert (module.span(x).start.line, module.span(x).start.column, module.span(x).end.column) == (4, 2, 9)
    assert (module.span(z).start.line, module.span(z).start.column, module.segment(z)) == (5, 11, "z = 2")
    assert [(c.line, c.column, c.text, c.own_line) for c in loaded.comments] == [(4, 11, "# agentlint: é", False)]


_PIECES = ["a", "Z", "é", "e\u0301", "😀", "中文", "👩\u200d💻", "ß", " ", "\\t", "\t"]


@st.composite
def sources(draw: st.DrawFn) -> str:
    lines = []
    for index in range(draw(st.integers(1, 6))):
        pieces = draw(st.lists(st.sampled_from(_PIECES), max_size=6))
        text = "".join(pieces)
        kind = draw(st.sampled_from(["assign", "call", "comment", "block"]))
        if kind == "assign":
            line = f"v{index} = {text!r} + {text!r}"
        elif kind == "call":
            line = f"f({text!r}, k={text!r})[0]"
        elif kind == "comment":
            line = f"w{index} = ({text!r},)  # {text.strip()}"
        else:
            line = f"if {text!r}:\n\tpass; u = {text!r}"
        prefix = draw(st.sampled_from(["", "\x0c"]))
        lines.append(prefix + line)
    endings = [draw(st.sampled_from(["\n", "\r\n", "\r"])) for _ in lines]
    return "".join(line.replace("\n", ending) + ending for line, ending in zip(lines, endings))


def _brute_column(text: str, line: int, byte_column: int) -> int:
    """1-based code-point column, counted character by character over the whole text."""
    current, index = 1, 0
    while current < line:
        if text[index] == "\r" and text[index + 1 : index + 2] == "\n":
            index += 1
        if text[index] in "\r\n":
            current += 1
        index += 1
    used = column = 0
    while used < byte_column:
        used += len(text[index + column].encode("utf-8"))
        column += 1
    return column + 1


@given(sources())
@settings(max_examples=200, deadline=None)
def test_span_columns_are_code_points_like_a_brute_force_count(text: str) -> None:
    module = load_python("g.py", text).module
    assert module is not None, text
    for node in ast.walk(module.tree):
        if not isinstance(node, (ast.expr, ast.stmt)):
            continue
        span = module.span(node)
        assert span.start.line == node.lineno
        assert span.start.column == _brute_column(text, node.lineno, node.col_offset)
        assert span.end.column == _brute_column(text, node.end_lineno, node.end_col_offset)  # type: ignore[arg-type]
        if node.lineno == node.end_lineno:
            assert module.segment(node) == ast.get_source_segment(text, node)


def test_one_long_line_of_many_non_ascii_statements() -> None:
    """Every statement of a 5,000-statement line is placed (this was quadratic: each position
    re-encoded its line)."""
    statements = [f"a{i} = '😀é{i}'" for i in range(5000)]
    line = "; ".join(statements)
    module = load_python("g.py", HEAD + line + "  # agentlint: é\n").module
    assert module is not None
    for index in (0, 1234, 4999):
        node = module.tree.body[1 + index]
        start = len("; ".join(statements[:index])) + (2 if index else 0) + 1
        assert (module.span(node).start.line, module.span(node).start.column) == (2, start)
        assert module.segment(node) == statements[index]


def test_pos_outside_the_text_does_not_raise() -> None:
    module = LocatedModule("g.py", ast.parse("x = 'é'\n"), ["x = 'é'", ""])
    assert module.pos(99, 3).line == 99
    assert module.pos(1, 7).column == 7  # the closing quote: 'é' is two bytes, one column


# -- never a traceback ---------------------------------------------------------------------


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_load_python_never_raises_on_any_text(text: str) -> None:
    loaded = load_python("g.py", text)
    assert (loaded.module is None) == bool(loaded.problems)
    assert all(p.code in ("AL001", "AL003", "AL004") for p in loaded.problems)
    facts = facts_of(loaded)
    if facts is not None:
        for expr in facts.bindings.values():
            facts.value(expr)


_FRAGMENTS = st.sampled_from(
    [b"import openai\n", b"from langgraph.graph import StateGraph\n", b"x = (\n", b"\x00", b"\xff", b"\r", b"\r\n",
     b"# coding: latin-1\n", b"# coding: nope\n", b"\xef\xbb\xbf", b"# agentlint: ignore[AL301]\n", b"'''", b"\t",
     b"\x0c", "é😀".encode(), b"def f(:\n", b"g = StateGraph(dict)\n", b"-" * 50, b"(" * 60]
)


@given(st.lists(st.one_of(_FRAGMENTS, st.binary(max_size=20)), max_size=12))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_engine_never_raises_on_any_bytes(parts: list[bytes]) -> None:
    data = b"".join(parts)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        found = check(root, {"x.py": data, "ok.py": HEAD})  # project_findings asserts no AL901
        assert all(path == "x.py" for _, path, _, _ in found)
        if not mentions_known_library(data):
            assert found == []


# -- suppressions in Python comments -------------------------------------------------------


def test_python_directives_are_read_from_comments_only(tmp_path: Path) -> None:
    text = (
        HEAD
        + "x = '# agentlint: ignore[AL999] in a string'\n"  # never a directive
        + "y = '''\n# agentlint: ignore in a docstring\n'''\n"  # nor this
        + "z = 'é'  # agentlint: ignore[AL999] reason\n"
        + "    # agentlint: ignore\n".lstrip()
        + "# agentlint: ignore[AL301] nothing here to suppress\n"
        + "w = 1\n"
    )
    assert check(tmp_path, {"g.py": text}) == [
        ("AL902", "g.py", 6, 10),  # unknown code, trailing comment after 'é'
        ("AL902", "g.py", 7, 1),  # bare ignore
        ("AL903", "g.py", 8, 1),  # a well-formed directive that matched nothing
    ]


def test_python_directives_after_lone_cr_line_breaks(tmp_path: Path) -> None:
    text = "import openai\rx = 1\r# agentlint: ignore[AL999] reason\ry = 2\r"
    assert check(tmp_path, {"g.py": text}) == [("AL902", "g.py", 3, 1)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_python_directive_suppresses_a_code_finding(tmp_path: Path, newline: str) -> None:
    text = newline.join(
        [
            "from openai import OpenAI",
            "",
            "# agentlint: ignore[AL304] the proxy enforces a deadline",
            "quiet = OpenAI()",
            "same_line = OpenAI()  # agentlint: ignore[AL304] a sidecar times out",
            'loud = OpenAI(); note = "# agentlint: ignore[AL304] a string, not a comment"',
            "",
        ]
    )
    assert check(tmp_path, {"g.py": text}) == [("AL304", "g.py", 6, 8)]


def test_a_directive_above_decorators_covers_the_decorated_definition(tmp_path: Path) -> None:
    """ast starts a decorated def at ``def``; the directive is written above the ``@``."""
    text = (
        "import functools\nfrom openai import OpenAI\n\n"
        "# agentlint: ignore[AL304] the gateway enforces a deadline\n"
        "@functools.cache\n@staticmethod\ndef client():\n    return OpenAI()\n\n"
        "class Holder:\n    # agentlint: ignore[AL304] same gateway\n    @functools.cached_property\n"
        "    def llm(self):\n        return OpenAI()\n\n"
        "@functools.cache\n# agentlint: ignore[AL304] between decorator and def: the def line\ndef other():\n    return OpenAI()\n"
        "def loud():\n    return OpenAI()\n"
    )
    assert check(tmp_path, {"g.py": text}) == [("AL304", "g.py", 21, 12)]


def test_directive_targets_count_lines_as_the_parser_does(tmp_path: Path) -> None:
    """U+2028 inside a quoted scalar is not a line break for YAML (nor for Python): the line
    after a directive must be found by the parser's count, or the directive misses its node."""
    text = (
        'apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: desk, description: "a\u2028b"}\n'
        "agents:\n  # agentlint: ignore[AL301] no timeout on purpose\n\n"
        "  solo: {role: helper, retries: {max_attempts: 1}}\n"
    )
    assert check(tmp_path, {"agents.yaml": text}) == []


# -- real files: the interpreter's own verdict -----------------------------------------------

_STDLIB = Path(ast.__file__).parent


def _real_files() -> list[Path]:
    """CPython's tokenizer test data (bad cookies, BOMs, PEP 3120) and every 10th module of
    the standard library: real encodings, real syntax."""
    odd = sorted((_STDLIB / "test" / "tokenizedata").glob("*")) + sorted((_STDLIB / "test" / "encoded_modules").glob("*.py"))
    return [p for p in odd if p.is_file()] + sorted(_STDLIB.glob("*.py"))[::10]


@pytest.mark.skipif(not (_STDLIB / "test" / "tokenizedata").is_dir(), reason="the stdlib's test data is not installed")
def test_decode_and_parse_agree_with_compile_on_real_files() -> None:
    """Differential: agentlint accepts a file exactly when ``compile`` does, and reports the
    same line when both refuse it (a sweep of all 13,871 installed modules agrees too)."""
    checked = 0
    for path in _real_files():
        raw = path.read_bytes()
        try:
            compile(raw, str(path), "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
            error = None
        except SyntaxError as exc:
            error = exc
        try:
            loaded = load_python(path.name, decode_python(raw))
            problems = [(p.code, p.location.span.start.line) for p in loaded.problems]
        except LoadError as exc:
            problems = [(exc.code, exc.line)]
        if error is None:
            assert problems == [], path
        else:
            assert len(problems) == 1 and problems[0][0] in ("AL001", "AL003"), (path, problems, error)
            if error.lineno:
                assert problems[0][1] == error.lineno, (path, problems, error)
        checked += 1
    assert checked > 25


_LINES = st.sampled_from(
    [b"# coding: latin-1", b"# -*- coding: utf-8 -*-", b"# vim: set fileencoding=cp1252 :", b"# coding: utf8",
     b"# coding: ascii", b"# coding: nope", b"#coding=latin-1", b"   # coding: latin-1", b"x = 1  # coding: latin-1",
     b"# coding: utf-16", b"#!/usr/bin/env python", b"", b"x = 1", b"s = '\xe9'", "s = 'é'".encode(),
     "e = '😀'".encode(), b"\x0c", b"  # c", b"if x:", b"    y = 2", b"        w = 3", b"z = (", b")", b"\t", b"'''",
     b"\\", b"\x00", b"\xff", b"print 'x'", b"def f(:", b"\xef\xbb\xbf", b"\x1a"]
)


@given(st.booleans(), st.lists(st.tuples(_LINES, st.sampled_from([b"\n", b"\r\n", b"\r"])), max_size=6))
@settings(max_examples=400, deadline=None)
def test_agentlint_reads_exactly_the_bytes_python_compiles(bom: bool, lines: list[tuple[bytes, bytes]]) -> None:
    """Differential against CPython: BOMs, PEP 263 cookies on line 1 or 2 (after lone CRs too),
    bytes invalid for the declared encoding, NULs, syntax errors."""
    raw = (b"\xef\xbb\xbf" if bom else b"") + b"".join(text + end for text, end in lines)
    try:
        compile(raw, "g.py", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        python = True
    except (SyntaxError, ValueError):
        python = False
    try:
        ours = not load_python("g.py", decode_python(raw)).problems
    except LoadError:
        ours = False
    assert ours == python, raw


def test_syntax_warnings_of_the_code_read_are_not_printed() -> None:
    """`1if` is a SyntaxWarning of the tokenizer: it is the user's code's, not a line agentlint prints on stderr."""
    import warnings

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        loaded = load_python("team.py", "from autogen_agentchat.agents import AssistantAgent\nx = 1if True else 2\n")
    assert loaded.module is not None
    assert [str(w.message) for w in seen] == []
