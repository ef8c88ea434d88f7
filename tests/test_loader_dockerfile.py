"""The Dockerfile loader: instructions over continuations, parser directives, heredocs,
ENV/ARG/LABEL pairs with exact spans, comments for suppressions; discovery by name; hostile
input never raises and stays linear."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.discover import files_regex, named_kind, walked
from agentlint.engine import syntax_of
from agentlint.loaders.base import Syntax
from agentlint.loaders.dockerfile import load_dockerfile
from agentlint.model.source import Pos, Span

SAMPLE = (
    "# syntax=docker/dockerfile:1\n"  # 1
    "FROM python:3.12-slim AS app\n"  # 2
    "# agentlint: ignore[AL510] local tracing only\n"  # 3
    "ENV OTEL_EXPORTER_OTLP_ENDPOINT=http://collector.example.com:4318 \\\n"  # 4
    "    # a comment between continued lines\n"  # 5
    '    OTEL_TRACES_SAMPLER="always_on" LITELLM_LOG=DEBUG\n'  # 6
    "ENV TRACELOOP_TRACE_CONTENT true\n"  # 7
    "RUN <<EOT\n"  # 8
    "ENV NOT_AN_INSTRUCTION=1\n"  # 9
    "EOT\n"  # 10
    "ARG VERSION\n"  # 11
    "LABEL org.opencontainers.image.title='agent api'\n"  # 12
)


def _span(line: int, start: int, end: int) -> Span:
    return Span(Pos(line, start), Pos(line, end))


def test_instructions_pairs_and_spans() -> None:
    loaded = load_dockerfile("Dockerfile", SAMPLE)
    doc = loaded.docs[0]
    assert [i["keyword"] for i in doc.data] == ["FROM", "ENV", "ENV", "RUN", "ARG", "LABEL"]
    assert doc.data[1]["pairs"] == [
        {"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://collector.example.com:4318"},
        {"name": "OTEL_TRACES_SAMPLER", "value": "always_on"},
        {"name": "LITELLM_LOG", "value": "DEBUG"},
    ]
    smap = doc.source_map
    assert smap.value((1, "pairs", 0, "name")) == _span(4, 5, 32)
    assert smap.value((1, "pairs", 0, "value")) == _span(4, 33, 66)
    assert smap.value((1, "pairs", 1, "value")) == _span(6, 25, 36)  # quotes included, as written
    assert smap.value((1, "pairs", 2, "value")) == _span(6, 49, 54)
    assert smap.value((1,)) == Span(Pos(4, 1), Pos(6, 54))
    # legacy form: one pair, the value is the rest of the line
    assert doc.data[2]["pairs"] == [{"name": "TRACELOOP_TRACE_CONTENT", "value": "true"}]
    assert smap.value((2, "pairs", 0, "value")) == _span(7, 29, 33)
    # the heredoc body is not an instruction; ARG without a default; LABEL quotes removed
    assert doc.data[4]["pairs"] == [{"name": "VERSION", "value": ""}]
    assert smap.value((4, "pairs", 0, "value")) == _span(11, 12, 12)
    assert doc.data[5]["pairs"] == [{"name": "org.opencontainers.image.title", "value": "agent api"}]
    assert [(c.line, c.column, c.text) for c in loaded.comments] == [
        (3, 1, "# agentlint: ignore[AL510] local tracing only"),
        (5, 5, "# a comment between continued lines"),
    ]


def test_escape_directive_crlf_and_legacy_value_with_spaces() -> None:
    text = "# escape=`\r\nFROM mcr.microsoft.com/windows/servercore\r\nENV A=1 `\r\n    B=two\r\nENV GREETING hello  world\r\n"
    doc = load_dockerfile("Dockerfile", text).docs[0]
    assert doc.data[1]["pairs"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "two"}]
    assert doc.source_map.value((1, "pairs", 1, "value")) == _span(4, 7, 10)
    assert doc.data[2]["pairs"] == [{"name": "GREETING", "value": "hello  world"}]


def test_quoted_values_and_escapes() -> None:
    text = "ENV MSG=\"say \\\"hi\\\"\" PATH_X=/a\\ b EMPTY= LAST='x y'\n"
    doc = load_dockerfile("Dockerfile", text).docs[0]
    assert doc.data[0]["pairs"] == [
        {"name": "MSG", "value": 'say "hi"'},
        {"name": "PATH_X", "value": "/a b"},
        {"name": "EMPTY", "value": ""},
        {"name": "LAST", "value": "x y"},
    ]


def test_discovery_by_name() -> None:
    for path in ("Dockerfile", "docker/Dockerfile.prod", "Containerfile", "api.Dockerfile", "dockerfile"):
        assert named_kind(path) == "dockerfile", path
        assert syntax_of(path) is Syntax.DOCKERFILE
        assert walked(path)
    for path in ("Dockerfile.dockerignore", "docs/Dockerfile.md/x", "Dockerfiles/readme.txt"):
        assert named_kind(path) != "dockerfile", path
    import re

    assert re.search(files_regex(), "svc/Dockerfile.dev")
    assert not re.search(files_regex(), "Dockerfile.dockerignore")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("ENVARG FROM=\"'\\`#<-\n\r\tab$:{}")), max_size=300))
def test_hostile_text_never_raises_and_spans_stay_in_the_file(text: str) -> None:
    loaded = load_dockerfile("Dockerfile", text)
    lines = max(1, len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))
    for pointer, span in loaded.docs[0].source_map.items():
        assert 1 <= span.start.line <= lines and span.start <= span.end, (pointer, span)


def test_pathological_inputs_are_linear() -> None:
    cases = (
        "ENV A=b \\\n" * 50_000,  # one instruction continued 50k times
        "RUN <<EOF\n" + "x\n" * 50_000,  # an unterminated heredoc
        'ENV A="' + "\\" * 100_000 + "\n",  # an unterminated quote full of escapes
        "#\n" * 50_000 + "ENV " + "A=b " * 20_000 + "\n",
    )
    for text in cases:
        started = time.perf_counter()
        load_dockerfile("Dockerfile", text)
        assert time.perf_counter() - started < 5, text[:20]


def test_dockerfile_comments_are_suppression_directives(tmp_path) -> None:
    from tests.helpers import project_findings

    found = project_findings(
        tmp_path, {"Dockerfile": "FROM python:3.12\n# agentlint: ignore[AL304] not a client\nENV LITELLM_LOG=DEBUG\n"}, ("AL9",)
    )
    assert found == [("AL903", "Dockerfile", 2, 1)]
