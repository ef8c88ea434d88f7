"""The front matter loader: YAML positions are the file's own, the body is never YAML."""

from __future__ import annotations

from pathlib import Path

from agentlint import api
from agentlint.config import CliOverrides
from agentlint.loaders.base import Syntax
from agentlint.loaders.frontmatter import load_frontmatter, split_lines
from agentlint.model.source import Pos, Span

PROMPTY = """\
---
name: triage
model:
  configuration:
    azure_deployment: gpt-4o-2024-08-06  # agentlint: ignore[AL409] pinned in Azure
---
system:
# Rules
Classify {{ticket}}.
---
user:
{{ticket}}
"""


def test_front_matter_positions_are_the_files() -> None:
    loaded = load_frontmatter("triage.prompty", PROMPTY)
    assert loaded.syntax is Syntax.FRONTMATTER and loaded.problems == [] and loaded.has_front_matter
    (doc,) = loaded.docs
    assert doc.data == {"name": "triage", "model": {"configuration": {"azure_deployment": "gpt-4o-2024-08-06"}}}
    smap = doc.source_map
    assert smap.value(("name",)) == Span(Pos(2, 7), Pos(2, 13))
    assert smap.key(("model", "configuration", "azure_deployment")) == Span(Pos(5, 5), Pos(5, 21))
    assert smap.value(("model", "configuration", "azure_deployment")) == Span(Pos(5, 23), Pos(5, 40))
    assert loaded.text == PROMPTY  # reporters show the file as written


def test_body_starts_after_the_closing_fence_and_is_never_yaml() -> None:
    loaded = load_frontmatter("triage.prompty", PROMPTY)
    assert loaded.body_line == 7
    assert loaded.body == "system:\n# Rules\nClassify {{ticket}}.\n---\nuser:\n{{ticket}}\n"
    # the front matter's comment is a comment; '# Rules' in the body is prompt text
    assert [(c.line, c.column, c.text) for c in loaded.comments] == [
        (5, 42, "# agentlint: ignore[AL409] pinned in Azure")
    ]


def test_body_comment_lookalike_is_not_a_comment() -> None:
    text = "---\nname: x\n---\n# agentlint: ignore[AL406] not a directive, prompt text\n{{y}}\n"
    assert load_frontmatter("x.prompty", text).comments == []


def test_crlf_keeps_lines_and_columns() -> None:
    text = PROMPTY.replace("\n", "\r\n")
    loaded = load_frontmatter("triage.prompty", text)
    (doc,) = loaded.docs
    assert doc.source_map.value(("model", "configuration", "azure_deployment")) == Span(Pos(5, 23), Pos(5, 40))
    assert loaded.body_line == 7
    assert loaded.body.startswith("system:\r\n# Rules\r\n")
    assert [(c.line, c.column) for c in loaded.comments] == [(5, 42)]


def test_blank_lines_before_the_opening_fence() -> None:
    loaded = load_frontmatter("x.prompty", "\n\n---\nname: x\n---\nHello\n")
    assert loaded.docs[0].source_map.value(("name",)) == Span(Pos(4, 7), Pos(4, 8))
    assert (loaded.body, loaded.body_line) == ("Hello\n", 6)


def test_no_front_matter_loads_empty_without_problem() -> None:
    text = "# chat.prompty\n\nYou are a helpful assistant.\n{{history}}\n"
    loaded = load_frontmatter("chat.prompty", text)
    assert (loaded.docs, loaded.problems, loaded.has_front_matter) == ([], [], False)
    assert (loaded.body, loaded.body_line) == (text, 1)


def test_empty_front_matter() -> None:
    loaded = load_frontmatter("x.prompt", "---\n---\nTell me a joke.\n")
    assert (loaded.docs, loaded.problems, loaded.has_front_matter) == ([], [], True)
    assert (loaded.body, loaded.body_line) == ("Tell me a joke.\n", 3)


def test_broken_yaml_is_al001_at_the_files_line() -> None:
    text = "---\nname: triage\nmodel:\n  id: gpt-4o\n   provider: openai\n---\nHello {{name}}\n"
    loaded = load_frontmatter("x.prompty", text)
    assert [(p.code, p.location.span.start) for p in loaded.problems] == [("AL001", Pos(5, 12))]
    assert loaded.docs == []


def test_error_noticed_at_end_of_text_belongs_to_the_closing_fence() -> None:
    text = '---\nname: "triage\nx: 1\n---\nline\nline\nline\n'
    (problem,) = load_frontmatter("x.prompty", text).problems
    assert (problem.code, problem.location.span.start) == ("AL001", Pos(4, 1))


def test_unclosed_front_matter_is_al001_at_the_opening_fence() -> None:
    (problem,) = load_frontmatter("x.prompty", "\n---\nname: x\nHello\n").problems
    assert (problem.code, problem.location.span.start) == ("AL001", Pos(2, 1))
    assert "never closed" in problem.message


def test_split_lines_keeps_every_break_kind() -> None:
    assert split_lines("a\nb\r\nc\rd") == [("a", "\n"), ("b", "\r\n"), ("c", "\r"), ("d", "")]
    assert split_lines("a\n") == [("a", "\n")]
    # NEL / LS / PS are not line breaks (as in every loader)
    assert split_lines("a\u2028b\n") == [("a\u2028b", "\n")]


def test_engine_reports_front_matter_errors_and_suppressions(tmp_path: Path) -> None:
    (tmp_path / "broken.prompty").write_text("---\nname: [a\nmodel: gpt-4o\n---\nHi\n", encoding="utf-8")
    (tmp_path / "summary.prompty").write_text(
        "---\nname: summary\nmodel: gpt-4o  # agentlint: ignore[AL409] evaluated weekly against the alias\n---\n"
        "# agentlint: ignore[AL406] prompt text, not a directive\nSummarise {{text}}.\n",
        encoding="utf-8",
    )
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert [(f.code, f.path, f.line) for f in result.findings] == [("AL001", "broken.prompty", 3)]
    assert [(f.code, f.path, f.line) for f in result.suppressed] == [("AL409", "summary.prompty", 3)]
