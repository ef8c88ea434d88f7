"""Prompt registries: agentlint's ``kind: PromptRegistry`` and Langfuse prompt objects.

Entities are checked field by field, spans by the exact text they cover (placeholders inside
block scalars and behind JSON escapes included); rules through the whole engine; the corpus
files of ``prompt-registry/`` with their real paths."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from agentlint import api
from agentlint.adapters import langfuse_prompts, neutral
from agentlint.adapters._mustache import scan
from agentlint.adapters._scalar_text import LineIndex, scalar_offsets
from agentlint.config import CliOverrides
from agentlint.loaders.base import Limits
from agentlint.loaders.json import load_json
from agentlint.loaders.yaml import load_yaml
from agentlint.model.prompts import PromptVersion, content_hash
from agentlint.model.source import Span
from tests.helpers import assert_read
from tests.conftest import CORPUS

HEAD = "apiVersion: agentlint/v1\nkind: PromptRegistry\nmetadata: {name: desk-prompts}\nprompts:\n"


def registry(text: str, path: str = "prompts.yaml"):
    loaded = load_yaml(path, text)
    assert loaded.problems == []
    assert neutral.claims(path, text)
    return neutral.adapt(loaded)


def langfuse(text: str, path: str = "langfuse/prompts.json"):
    loaded = load_json(path, text, Limits(), jsonc=False)
    assert loaded.problems == []
    return langfuse_prompts.adapt(loaded)


def at(text: str, span: Span) -> str:
    index = LineIndex(text)
    return text[index.offset(span.start) : index.offset(span.end)]


def where(span: Span) -> tuple[int, int, int, int]:
    return (span.start.line, span.start.column, span.end.line, span.end.column)


def versions(adapted) -> dict[tuple[str, str | None], PromptVersion]:
    return {(p.name, p.version): p for p in adapted.entities if isinstance(p, PromptVersion)}


# -- kind: PromptRegistry ------------------------------------------------------------------

ROUTER = HEAD + """  router:
    description: Picks the specialist.
    labels: {production: 4, staging: 5}
    versions:
      - version: 3
        model: gpt-4o-mini-2024-07-18
        variables: [ticket]
        reviewed_by: deepak.r
        text: "Route {{ticket}} to billing or tech."
      - version: 4
        model: gpt-4o-mini-2024-07-18
        parameters: {temperature: 0}
        variables:
          ticket: {description: the message}
          tier: {}
        author: maria.k
        approved_by: support-leads
        change_note: Use the tier.
        date: 2026-09-15
        text: |
          You route tickets.
            Tier: {{ tier }}
          {{#history}}
          Earlier: {{topic}}
          {{/history}}

          Ticket: {{ticket}}
      - version: 5
        text: >-
          Route this {{ticket}}
          to billing or tech,
          tier {{{tier}}}.
"""


def test_registry_versions_fields_and_spans() -> None:
    adapted = registry(ROUTER)
    assert adapted.problems == []
    found = versions(adapted)
    assert sorted(found) == [("router", "3"), ("router", "4"), ("router", "5")]
    v3, v4, v5 = found["router", "3"], found["router", "4"], found["router", "5"]
    assert (v3.source, v3.registry, v3.labels, v3.labels_complete) == ("agentlint", "prompts.yaml", (), True)
    assert v3.content == "Route {{ticket}} to billing or tech."
    assert v3.content_hash == content_hash(v3.content, "gpt-4o-mini-2024-07-18", None)
    assert (v3.reviewed_by, v3.author, v3.rollback_to) == ("deepak.r", None, None)
    assert str(v3.ref) == "prompts.yaml#/prompts/router/versions/0"
    assert where(v3.span)[:2] == (9, 9)  # the entry: "- version: 3" starts it
    assert at(ROUTER, v3.span_of("version")) == "3"
    assert at(ROUTER, v3.span_of("name")) == "router"
    # labels: each on the version it names, spanning the label key
    assert v4.labels == ("production",) and at(ROUTER, v4.label_spans[0]) == "production"
    assert where(v4.label_spans[0]) == (7, 14, 7, 24)
    assert v5.labels == ("staging",) and where(v5.label_spans[0]) == (7, 29, 7, 36)
    assert v4.reviewed_by == "support-leads"  # approved_by counts as a review
    assert (v4.author, v4.change_note, v4.date, v4.model) == ("maria.k", "Use the tier.", "2026-09-15", "gpt-4o-mini-2024-07-18")
    assert v4.content_hash == content_hash(v4.content, "gpt-4o-mini-2024-07-18", {"temperature": 0})
    assert (v4.rollback_to, v5.rollback_to) == ("3", "4")
    declared = [(p.name, at(ROUTER, p.span)) for p in v4.declared_variables or ()]
    assert declared == [("ticket", "ticket"), ("tier", "tier")]
    assert [(p.name, at(ROUTER, p.span)) for p in v3.declared_variables or ()] == [("ticket", "ticket")]
    assert v5.declared_variables is None


def test_placeholders_have_exact_spans_in_every_scalar_style() -> None:
    found = versions(registry(ROUTER))
    v3, v4, v5 = found["router", "3"], found["router", "4"], found["router", "5"]
    # double-quoted, on the line of the key
    assert [(p.name, at(ROUTER, p.span), where(p.span)) for p in v3.used_variables] == [
        ("ticket", "{{ticket}}", (13, 22, 13, 32))
    ]
    # a literal block: lines below the key, a more-indented line, a section, an empty line
    assert [(p.name, at(ROUTER, p.span), where(p.span), p.section) for p in v4.used_variables] == [
        ("tier", "{{ tier }}", (26, 19, 26, 29), None),
        ("history", "{{#history}}", (27, 11, 27, 23), None),
        ("topic", "{{topic}}", (28, 20, 28, 29), "history"),
        ("ticket", "{{ticket}}", (31, 19, 31, 29), None),
    ]
    # a folded block: the text joins lines, the spans stay on their own lines
    assert v5.content == "Route this {{ticket}} to billing or tech, tier {{{tier}}}."
    assert [(p.name, at(ROUTER, p.span), where(p.span)) for p in v5.used_variables] == [
        ("ticket", "{{ticket}}", (34, 22, 34, 32)),
        ("tier", "{{{tier}}}", (36, 16, 36, 26)),
    ]


def test_chat_messages_plain_and_single_quoted_scalars() -> None:
    text = HEAD + """  billing:
    labels: {production: 2}
    rollback: 1
    versions:
      - version: 1
        messages:
          - {role: system, content: 'It''s {{company}} billing.'}
          - role: user
            content: Customer {{customer_id}}
              writes {{ticket}}
      - version: 2
        messages:
          - role: system
            content: "Caf\\u00e9 {{company}}:\\t\\
              refunds up to {{limit}}"
"""
    found = versions(registry(text))
    v1, v2 = found["billing", "1"], found["billing", "2"]
    assert v1.content == "system: It's {{company}} billing.\nuser: Customer {{customer_id}} writes {{ticket}}"
    assert [(p.name, at(text, p.span), where(p.span)[:2]) for p in v1.used_variables] == [
        ("company", "{{company}}", (11, 44)),
        ("customer_id", "{{customer_id}}", (13, 31)),
        ("ticket", "{{ticket}}", (14, 22)),
    ]
    assert v2.content == "system: Café {{company}}:\trefunds up to {{limit}}"
    assert [(p.name, at(text, p.span), where(p.span)[:2]) for p in v2.used_variables] == [
        ("company", "{{company}}", (18, 33)),
        ("limit", "{{limit}}", (19, 29)),
    ]
    assert v2.rollback_to == "1" and at(text, v2.span_of("rollback")) == "1"


def test_same_text_in_two_styles_hashes_alike() -> None:
    one = versions(registry(HEAD + '  a:\n    versions:\n      - {version: 1, text: "Route {{t}} now."}\n'))
    two = versions(registry(HEAD + "  a:\n    versions:\n      - version: 1\n        text: >-\n          Route {{t}}\n          now.\n"))
    assert one["a", "1"].content_hash == two["a", "1"].content_hash


def test_version_order_explicit_rollback_and_string_versions() -> None:
    text = HEAD + """  tech:
    labels: {production: 1.10.0}
    rollback: 1.2.0
    versions:
      - {version: 1.10.0, text: ten}
      - {version: 1.2.0, text: two}
      - {version: 1.9.1, text: nine}
  names:
    labels: {production: beta}
    versions:
      - {version: alpha, text: a}
      - {version: beta, text: b}
"""
    found = versions(registry(text))
    assert found["tech", "1.10.0"].rollback_to == "1.2.0"  # explicit, and earlier by number
    assert found["tech", "1.9.1"].rollback_to == "1.2.0"  # the version before it by number
    assert found["tech", "1.2.0"].rollback_to is None
    assert found["names", "beta"].rollback_to == "alpha"  # not numbers: list order
    later = versions(registry(HEAD + "  t:\n    rollback: 3\n    versions:\n      - {version: 2, text: a}\n      - {version: 3, text: b}\n"))
    assert later["t", "2"].rollback_to is None  # a rollback target must be earlier


def test_shape_problems_are_located() -> None:
    text = HEAD + """  router:
    labels: {production: 9}
    rollback: 8
    versions:
      - {version: 1, text: a}
      - {version: 1.5, text: b}
      - {version: 2}
"""
    adapted = registry(text)
    messages = sorted((p.location.span.start.line, p.location.span.start.column, p.message) for p in adapted.problems)
    assert messages[0][:2] == (10, 19) and "version 1.5 is not a string or an integer: quote it" in messages[0][2]
    assert messages[1][:2] == (11, 9) and "exactly one of 'text' or 'messages'" in messages[1][2]
    assert {p.code for p in adapted.problems} == {"AL002"}
    # with a valid shape, labels and rollbacks must name listed versions
    adapted = registry(text.replace("      - {version: 1.5, text: b}\n      - {version: 2}\n", ""))
    assert [(p.code, p.location.span.start.line, p.location.span.start.column, p.message) for p in adapted.problems] == [
        ("AL002", 6, 26, "label 'production' of prompt 'router' points to version 9, which is not in its versions"),
        ("AL002", 7, 15, "rollback version 8 of prompt 'router' is not in its versions"),
    ]
    assert versions(adapted)["router", "1"].labels == ()


def test_mustache_scan() -> None:
    text = "{{a}} {{! note {{b}} }} {{> partial}} {{#each items}}{{id}} {{@index}}{{/each}} {{#if vip}}{{perk}}{{/if}}"
    text += " {{^none}}{{z}}{{/none}} {{ x | upper }} {{user.email}} {{.}} {{=<% %>=}} {{late}}"
    assert [(u.name, text[u.start : u.end], u.section) for u in scan(text)] == [
        ("a", "{{a}}", None),
        ("items", "{{#each items}}", None),
        ("id", "{{id}}", "items"),
        ("vip", "{{#if vip}}", None),
        ("perk", "{{perk}}", None),
        ("none", "{{^none}}", None),
        ("z", "{{z}}", None),
        ("user", "{{user.email}}", None),
    ]


def test_scalar_offsets_with_crlf_and_a_fallback() -> None:
    text = "a: |\r\n  one {{x}}\r\n  two {{y}}\r\nb: *ref\r\n"
    loaded = load_yaml("t.yaml", text.replace("*ref", "x"))
    index = LineIndex(text)
    value = loaded.docs[0].data["a"]
    ranges = scalar_offsets(index, loaded.docs[0].source_map.value(("a",)), value)
    assert ranges is not None
    start = value.index("{{y}}")
    assert index.pos(ranges[start][0]) == (3, 7)
    # a value that does not match its source (here: another string) gives no offsets
    assert scalar_offsets(index, loaded.docs[0].source_map.value(("a",)), "other") is None


# -- Langfuse ---------------------------------------------------------------------------------

LANGFUSE_LIST = """[
  {
    "name": "support-triage",
    "type": "chat",
    "version": 7,
    "prompt": [
      {"role": "system", "content": "Classify \\"{{ticket}}\\" \\u2014 {{tier}}"},
      {"type": "placeholder", "name": "history"}
    ],
    "config": {"model": "gpt-4.1-2025-04-14", "temperature": 0},
    "labels": ["production", "latest"],
    "tags": ["support"],
    "commitMessage": "tighten labels",
    "createdBy": "maria"
  },
  {"name": "support-triage", "type": "chat", "version": 5, "prompt": [], "labels": [], "tags": []},
  {"name": "summary", "type": "text", "version": 1, "prompt": "Summarise {{thread}}", "labels": ["production"], "config": {}}
]
"""


def test_langfuse_list() -> None:
    assert langfuse_prompts.claims("langfuse/prompts.json", LANGFUSE_LIST)
    adapted = langfuse(LANGFUSE_LIST)
    assert adapted.problems == []
    found = versions(adapted)
    assert sorted(found) == [("summary", "1"), ("support-triage", "5"), ("support-triage", "7")]
    v7 = found["support-triage", "7"]
    assert (v7.source, v7.model, v7.labels, v7.change_note, v7.author) == (
        "langfuse", "gpt-4.1-2025-04-14", ("production", "latest"), "tighten labels", "maria"
    )
    assert v7.content == 'system: Classify "{{ticket}}" — {{tier}}\nplaceholder: history'
    assert v7.content_hash == content_hash(v7.content, "gpt-4.1-2025-04-14", {"temperature": 0})
    assert [at(LANGFUSE_LIST, s) for s in v7.label_spans] == ['"production"', '"latest"']
    assert [(p.name, at(LANGFUSE_LIST, p.span), where(p.span)[:2]) for p in v7.used_variables] == [
        ("ticket", "{{ticket}}", (7, 49)),
        ("tier", "{{tier}}", (7, 69)),
        ("history", '"history"', (8, 39)),
    ]
    assert v7.declared_variables is None and v7.labels_complete is False
    assert v7.rollback_to == "5"  # the newest earlier version in the file
    assert found["summary", "1"].rollback_to is None  # version 1: nothing before it
    assert at(LANGFUSE_LIST, v7.span) == '"support-triage"'


def test_langfuse_single_object_and_wrapper() -> None:
    one = '{"name": "critic", "type": "text", "version": 3, "prompt": "Check {{draft}}", "labels": ["staging"], "tags": []}\n'
    found = versions(langfuse(one, "critic.json"))
    assert list(found) == [("critic", "3")] and found["critic", "3"].rollback_to == "2"
    wrapped = '{"prompts": [{"name": "c", "prompt": "x", "labels": [], "commitMessage": null}]}'
    found = versions(langfuse(wrapped))
    assert list(found) == [("c", None)] and found["c", None].rollback_to is None


def test_langfuse_type_mismatch_is_a_shape_problem() -> None:
    text = '{"name": "critic", "type": "chat", "version": 3, "prompt": "Check {{draft}}", "labels": []}'
    adapted = langfuse(text)
    assert adapted.entities == []
    assert [(p.code, p.location.span.start.column, p.message) for p in adapted.problems] == [
        ("AL002", 28, "Langfuse prompt 'critic' has type 'chat' but its prompt is a string")
    ]


@pytest.mark.parametrize(
    "text",
    [
        # an app's map of Langfuse prompt names (corpus: ariefij/smartjobs): names, no prompt objects
        '{"job_enrichment": {"name": "smartjobs_job_enrichment", "description": "Normalise jobs."}}',
        # a LangChain hub prompt.json
        '{"input_variables": ["q"], "_type": "prompt", "template": "Answer {q}", "template_format": "f-string"}',
        # a persona list: name and prompt, nothing Langfuse writes
        '[{"name": "pirate", "prompt": "Talk like a pirate", "version": 2}]',
        # a promptfoo chat prompt file
        '[{"role": "system", "content": "You are {{name}}"}, {"role": "user", "content": "{{prompt}}"}]',
    ],
)
def test_not_langfuse_prompts(text: str) -> None:
    adapted = langfuse(text)
    assert adapted.entities == [] and adapted.problems == []


def test_claims_are_cheap_and_precise() -> None:
    assert not langfuse_prompts.claims("prompts.yaml", LANGFUSE_LIST)
    assert not langfuse_prompts.claims("package.json", '{"name": "x", "version": "1.0.0", "type": "module"}')
    assert not langfuse_prompts.claims("t.json", '{{ template }} "prompt" "name" "labels"')


# -- rules through the engine ---------------------------------------------------------------

MINE = ("AL401", "AL402", "AL403", "AL404", "AL405", "AL410")
GRAPH = """apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: desk}
agents:
"""


def run(tmp_path: Path, files: dict[str, str], select: tuple[str, ...] | None = ("ALL",)) -> list[tuple[str, str, int, str]]:
    for rel, text in files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    settings = api.settings_for(["."], CliOverrides(select=select), isolated=True, root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert not result.internal_error
    found = [(f.code, f.path, f.line, f.message) for f in result.findings if f.code in MINE]
    if not found:  # "no findings" only after the files were read
        assert_read(result, files)
    return found


def agents(**prompts: str) -> str:
    return GRAPH + "".join(f"  {name}:\n    role: {name}\n    prompt: {ref}\n" for name, ref in prompts.items())


def test_label_resolution_across_registry_and_langfuse(tmp_path: Path) -> None:
    files = {
        "agents.yaml": agents(router="router:production", triage="support-triage:production", billing="support-triage:canary",
                              tech="summary@2", critic="router:staging"),
        "prompts.yaml": ROUTER,
        "langfuse/prompts.json": LANGFUSE_LIST,
    }
    found = run(tmp_path, files, ("AL402",))
    # Langfuse exports may hold some labels only: 'canary' is not checked; the registry's are
    assert found == [
        ("AL402", "agents.yaml", 16, "agent 'tech' uses prompt 'summary@2', but it has no version 2 (defined: 1)"),
    ]
    files["agents.yaml"] = agents(router="router:canary")
    assert run(tmp_path, files, ("AL402",)) == [
        ("AL402", "agents.yaml", 7, "agent 'router' uses prompt 'router:canary', but no version of it carries label 'canary' (labels: production, staging)")
    ]


def test_mutation_across_sources_of_one_kind(tmp_path: Path) -> None:
    edited = LANGFUSE_LIST.replace("tighten labels", "another note")  # not hashed: the same version
    edited_text = LANGFUSE_LIST.replace("Classify", "Sort")
    found = run(tmp_path, {"a/prompts.json": LANGFUSE_LIST, "b/prompts.json": edited, "c/prompts.json": edited_text}, ("AL403",))
    assert found == [
        ("AL403", "c/prompts.json", 5, "version 7 of prompt 'support-triage' is defined again with different content (first at a/prompts.json:3): a released version must not change; publish the change as a new version")
    ]


def test_unreferenced_and_unreviewed_are_opt_in(tmp_path: Path) -> None:
    files = {"agents.yaml": agents(router="router@4"), "prompts.yaml": ROUTER + "  legacy:\n    versions:\n      - {version: 1, text: old}\n"}
    assert [c for c, *_ in run(tmp_path, files, None)] == ["AL404"]  # defaults: legacy has no production label
    codes = sorted((c, line) for c, _, line, _ in run(tmp_path, files))
    assert codes == [("AL404", 37), ("AL405", 32), ("AL405", 39), ("AL410", 37)]


def test_support_desk_example_prompts(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parent.parent
    settings = api.settings_for(["examples"], CliOverrides(), isolated=True, root=root)
    result = api.check(["examples"], settings, root=root)
    found = [(f.code, f.line, f.message) for f in result.findings if f.path.endswith("prompts.yaml")]
    assert found == [
        ("AL404", 165, "production version 1 of prompt 'responder' has no earlier version to roll back to: keep the previous stable version in the registry, or record one as 'rollback'"),
        ("AL404", 188, "prompt 'legal' has no 'production' label: nobody can tell which version is live, nor move it back"),
    ]
    assert [(f.code, f.line) for f in result.suppressed if f.path.endswith("prompts.yaml")] == [("AL404", 174)]


# -- the corpus, with real paths ------------------------------------------------------------------


def test_corpus_prompt_registry(tmp_path: Path) -> None:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        pytest.skip("the shared corpus is not available")
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["category"] == "prompt-registry"]
    assert rows
    for row in rows:
        flat = CORPUS / row["category"] / f"{row['repo'].replace('/', '__')}__{row['path'].replace('/', '__')}"
        target = tmp_path / row["repo"] / row["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(flat.read_bytes())
        text = flat.read_text(encoding="utf-8")
        # the Langfuse file of the corpus is a map of prompt names, not prompt objects
        assert not langfuse_prompts.claims(row["path"], text)
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=tmp_path)
    result = api.check(["."], settings, root=tmp_path)
    assert not result.internal_error
    assert [f for f in result.findings if f.code.startswith(("AL9", "AL0"))] == []
    assert [(f.code, f.path) for f in result.findings if f.code in MINE] == []


def test_review_only_where_the_format_can_record_it(tmp_path: Path) -> None:
    # a Langfuse export has no review field: AL405 has nothing to ask for
    assert run(tmp_path, {"langfuse/prompts.json": LANGFUSE_LIST}, ("AL405",)) == []


def test_evaluation_only_prompts_are_not_a_prompt_source() -> None:
    from agentlint.model.project import Project
    from agentlint.model.prompts import PromptReference
    from agentlint.model.source import NodeRef
    from agentlint.rules.prompts.al402_undefined_prompt import UndefinedPrompt
    from agentlint.rules.prompts.al410_unreferenced_prompt import UnreferencedPrompt

    span = Span.point(3, 5)
    evaluated = PromptVersion(NodeRef("promptfooconfig.yaml", ("prompts", 0)), span, (), name="prompts[0]", version=None,
                              source="promptfoo", registry="promptfooconfig.yaml", content="Hi {{name}}",
                              content_hash=content_hash("Hi {{name}}"), evaluation_only=True)
    reference = PromptReference(NodeRef("agents.yaml", ("agents", "router", "prompt")), span, (), agent="router", name="router", version="4")
    project = Project.build([], [evaluated, reference])
    assert list(UndefinedPrompt().check(project, None)) == []
    assert list(UnreferencedPrompt().check(project, None)) == []
    shipped = PromptVersion(NodeRef("triage.prompty"), span, (), name="triage", version=None, source="prompty",
                            registry="triage.prompty", content="x", content_hash=content_hash("x"))
    project = Project.build([], [evaluated, shipped, reference])
    assert [v.message for v in UndefinedPrompt().check(project, None)] == [
        "agent 'router' uses prompt 'router', but no prompt registry or prompt file defines it"
    ]
    assert [v.args for v in UnreferencedPrompt().check(project, None)] == [("triage",)]
