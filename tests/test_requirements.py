"""pip requirements files and .env files: loaders (exact positions, pip's and python-dotenv's
grammar), discovery by name, and the pins they give the project."""

from __future__ import annotations

import re

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentlint import api
from agentlint.config import CliOverrides
from agentlint.discover import named_kind
from agentlint.engine import syntax_of
from agentlint.loaders.base import Syntax
from agentlint.loaders.dotenv import load_dotenv
from agentlint.loaders.requirements import load_requirements, physical_lines
from agentlint.model.source import Pos, Span


def _text_at(text: str, span: Span) -> str:
    """The source between two 1-based code-point positions (lines broken at \\r\\n, \\r, \\n)."""
    lines = physical_lines(text)
    (l1, c1), (l2, c2) = span
    if l1 == l2:
        return lines[l1 - 1][c1 - 1 : c2 - 1]
    return "\n".join([lines[l1 - 1][c1 - 1 :], *lines[l1 : l2 - 1], lines[l2 - 1][: c2 - 1]])


def _entries(text: str) -> list[tuple[dict, Span | None, Span | None, Span | None]]:
    doc = load_requirements("requirements.txt", text).docs[0]
    smap = doc.source_map
    return [(e, smap.value((i,)), smap.value((i, "name")), smap.value((i, "version"))) for i, e in enumerate(doc.data)]


# -- discovery and syntax by name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("requirements.txt", "requirements"),
        ("app/requirements-dev.txt", "requirements"),
        ("requirements_test.txt", "requirements"),
        ("dev-requirements.txt", "requirements"),
        ("requirements/base.txt", "requirements"),
        ("constraints.txt", "requirements"),
        ("notes.txt", None),
        ("docs/requirements.md", None),
        ("LICENSE.txt", None),
        (".env", "dotenv"),
        ("deploy/.env.production", "dotenv"),
        ("config/prod.env", "dotenv"),
        ("environment.yaml", None),
        (".envrc", None),
    ],
)
def test_files_read_by_name(path: str, kind: str | None) -> None:
    assert named_kind(path) == kind
    expected = {"requirements": Syntax.REQUIREMENTS, "dotenv": Syntax.DOTENV}.get(kind or "")
    if expected is not None:
        assert syntax_of(path) is expected


# -- requirements loader -----------------------------------------------------------------------


def test_requirement_forms_and_positions() -> None:
    text = (
        "# pinned for the deployment\n"  # 1
        "-r base.txt\n"  # 2
        "langchain-openai==1.1.0 ; python_version < '3.12' --hash=sha256:0a1b\n"  # 3
        "Foo_Bar[x, y] === 1.0+cpu\n"  # 4
        "langgraph>=1,<2\n"  # 5
        "-e ./libs/tools\n"  # 6
        "git+https://github.com/acme/tools@main#egg=tools\n"  # 7
        "tools @ https://example.org/tools-1.0.whl\n"  # 8
        "split \\\n"  # 9
        "  ==2.0  # joined with the line above\n"  # 10
        "wild==1.*\n"  # 11
        "./local/pkg\r\n"  # 12
        "   \n"  # 13
        "tail==3.1"  # 14, no final newline
    )
    rows = [(e["kind"], e.get("name"), e.get("version"), whole, version) for e, whole, _, version in _entries(text)]
    def sp(l1: int, c1: int, l2: int, c2: int) -> Span:
        return Span((l1, c1), (l2, c2))  # type: ignore[arg-type]

    assert rows == [
        ("option", None, None, sp(2, 1, 2, 12), None),
        ("requirement", "langchain-openai", "1.1.0", sp(3, 1, 3, 50), sp(3, 19, 3, 24)),
        ("requirement", "Foo_Bar", "1.0+cpu", sp(4, 1, 4, 26), sp(4, 19, 4, 26)),
        ("requirement", "langgraph", None, sp(5, 1, 5, 16), None),
        ("option", None, None, sp(6, 1, 6, 16), None),
        ("requirement", None, None, sp(7, 1, 7, 49), None),
        ("requirement", "tools", None, sp(8, 1, 8, 42), None),
        ("requirement", "split", "2.0", sp(9, 1, 10, 8), sp(10, 5, 10, 8)),
        ("requirement", "wild", None, sp(11, 1, 11, 10), None),
        ("requirement", None, None, sp(12, 1, 12, 12), None),
        ("requirement", "tail", "3.1", sp(14, 1, 14, 10), sp(14, 7, 14, 10)),
    ]
    loaded = load_requirements("requirements.txt", text)
    assert [(c.line, c.column, c.text, c.own_line) for c in loaded.comments] == [
        (1, 1, "# pinned for the deployment", True),
        (10, 10, "# joined with the line above", False),
    ]
    options = [e for e in loaded.docs[0].data if e["kind"] == "option"]
    assert [(o["option"], o["value"]) for o in options] == [("-r", "base.txt"), ("-e", "./libs/tools")]


def test_comment_needs_whitespace_before_it_and_a_comment_line_ends_a_continuation() -> None:
    text = "pkg==1.0#not-a-comment\nfoo==2.0 \\\n# a comment line is never continued\nbar==3\n"
    names = [(e.get("name"), e.get("version")) for e, *_ in _entries(text)]
    assert names == [("pkg", None), ("foo", "2.0"), ("bar", "3")]  # "1.0#not-a-comment" is no version


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.sampled_from(list("abAB09-_.[],=<>!~;@ #\\\t'\"/:+*é\r\n")), max_size=40),
            st.sampled_from(["pkg==1.0", "x[y]===2", "-r a.txt", "# c", "a \\", "b==1 --hash=sha256:ab", "\r\n", "\r"]),
        ),
        max_size=12,
    ).map("".join)
)
def test_requirements_loader_never_crashes_and_spans_are_exact(text: str) -> None:
    for entry, whole, name, version in _entries(text):
        assert whole is not None
        # a name or version may run across a continuation ("0\\" + line break + "0" is "00", as
        # pip joins it): the span covers both pieces, the joined text drops the backslash
        if name is not None:
            assert _joined(_text_at(text, name)) == entry["name"]
        if version is not None:
            assert _joined(_text_at(text, version)) == entry["version"]


def _joined(source: str) -> str:
    # pip strips every trailing backslash of a continued line (line.strip("\\")), not just one
    return re.sub(r"\\+\n", "", source).replace("\n", "")


# -- dotenv loader -----------------------------------------------------------------------------

ENV = (
    "# local settings\n"  # 1
    "export OPENAI_API_KEY=sk-test  # inline\n"  # 2
    "NAME = 'single quoted # not a comment'\n"  # 3
    'MULTI="line one\nline two"\r\n'  # 4-5
    "EMPTY=\n"  # 6
    "BARE\n"  # 7
    "'QUOTED_KEY'=é\n"  # 8
    "not a binding\n"  # 9
    "LAST=1\n"  # 10
    "LAST=2\n"  # 11
)


def test_dotenv_values_and_positions() -> None:
    loaded = load_dotenv(".env", ENV)
    doc = loaded.docs[0]
    assert doc.data == {
        "OPENAI_API_KEY": "sk-test",
        "NAME": "single quoted # not a comment",
        "MULTI": "line one\nline two",
        "EMPTY": "",
        "BARE": None,
        "QUOTED_KEY": "é",
        "LAST": "2",
    }
    smap = doc.source_map
    assert smap.key(("OPENAI_API_KEY",)) == Span((2, 8), (2, 22))  # type: ignore[arg-type]
    assert smap.value(("OPENAI_API_KEY",)) == Span((2, 23), (2, 30))  # type: ignore[arg-type]
    assert smap.value(("NAME",)) == Span((3, 8), (3, 39))  # type: ignore[arg-type]
    assert smap.value(("MULTI",)) == Span((4, 7), (5, 10))  # type: ignore[arg-type]
    assert smap.key(("QUOTED_KEY",)) == Span((8, 1), (8, 13))  # type: ignore[arg-type]
    assert smap.value(("LAST",)) == Span((11, 6), (11, 7))  # type: ignore[arg-type]
    assert [(c.line, c.column, c.text, c.own_line) for c in loaded.comments] == [
        (1, 1, "# local settings", True),
        (2, 32, "# inline", False),
    ]


def test_dotenv_agrees_with_python_dotenv() -> None:
    dotenv = pytest.importorskip("dotenv")
    assert load_dotenv(".env", ENV).docs[0].data == dict(dotenv.dotenv_values(stream=io.StringIO(ENV)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("AB_=x #'\"\\\n\r\t é") + ["export ", "\r\n"]), max_size=40).map("".join))
def test_dotenv_loader_never_crashes_and_spans_are_exact(text: str) -> None:
    doc = load_dotenv(".env", text).docs[0]
    for name in doc.data:
        key = doc.source_map.key((name,))
        assert key is not None
        written = _text_at(text, key)
        same = name.replace("\r\n", "\n").replace("\r", "\n")  # a quoted key may span lines
        assert written in (same, f"'{same}'")


# -- pins in the project -----------------------------------------------------------------------


def _project(root: Path, files: dict[str, str]):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    settings_ = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=root)
    return api.analyse(["."], settings_, root=root)


def test_requirements_pins_reach_the_project(tmp_path: Path) -> None:
    result, project = _project(
        tmp_path,
        {
            "requirements.txt": "-r requirements/base.txt\nLangGraph==0.6.7  # pinned\ncrewai>=0.100\n",
            "requirements/base.txt": "langchain_openai == 1.1.0\n",
            "notes.txt": "crewai==0.1.0\n",
        },
    )
    assert project.pins == {"langgraph": "0.6.7", "langchain-openai": "1.1.0"}
    spots = sorted((p.ref.path, p.span.start) for p in project.deployment.pins)
    assert spots == [("requirements.txt", (2, 12)), ("requirements/base.txt", (1, 21))]
    assert not result.internal_error and result.files_checked == 2


def test_pinned_version_decides_the_quoted_default(tmp_path: Path) -> None:
    """Framework defaults are resolved for the version requirements.txt pins, not the newest."""
    from agentlint.model.defaults import resolve

    _, project = _project(tmp_path, {"requirements.txt": "crewai==0.80.0\n"})
    resolved = resolve("crewai.max_iter", project.pins)
    assert (resolved.version, resolved.pinned) == ("0.80.0", True)
    assert resolved.describe() == "max_iter defaults to 25 iterations (crewai 0.80.0)"


def test_a_name_split_by_a_continuation_after_a_lone_cr_is_joined_like_pip() -> None:
    ((entry, _, name, _),) = _entries("0\\\r0")
    assert entry["name"] == "00" and name == Span(Pos(1, 1), Pos(2, 2))
