"""Prompt files -> PromptVersions: Prompty, dotprompt, LangChain hub, promptfoo; the model-id
heuristic of AL409; the corpus through the whole engine."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from agentlint import api
from agentlint.adapters._templates import scan_fstring, scan_handlebars, scan_jinja
from agentlint.adapters.base import all_adapters
from agentlint.config import CliOverrides
from agentlint.engine import load, syntax_of
from agentlint.model.model_ids import floating_alias
from agentlint.model.prompts import PromptVersion
from agentlint.model.source import Pos, Span
from tests.conftest import CORPUS


def sp(line: int, column: int, end_line: int, end_column: int) -> Span:
    return Span(Pos(line, column), Pos(end_line, end_column))


def adapt(path: str, text: str) -> tuple[list[str], list[PromptVersion], list[tuple[str, int]]]:
    """(claiming adapters, prompt versions, (code, line) problems) for one file."""
    syntax = syntax_of(path)
    assert syntax is not None
    claimed = [a for a in all_adapters() if syntax in a.syntaxes and a.claims(path, text)]
    settings = api.settings_for(["."], CliOverrides(), isolated=True, root=Path("."))
    loaded = load(path, text, syntax, settings)
    versions: list[PromptVersion] = []
    problems = [(p.code, p.location.span.start.line) for p in loaded.problems]
    for adapter in claimed:
        adapted = adapter.adapt(loaded)
        versions += [e for e in adapted.entities if isinstance(e, PromptVersion)]
        problems += [(p.code, p.location.span.start.line) for p in adapted.problems]
    return [a.name for a in claimed], versions, problems


def one(path: str, text: str) -> PromptVersion:
    _, versions, problems = adapt(path, text)
    assert problems == []
    (version,) = versions
    return version


def placeholders(items: Any) -> list[tuple[str, Span, str | None]] | None:
    return None if items is None else [(p.name, p.span, p.section) for p in items]


# -- Prompty ---------------------------------------------------------------------------------
PROMPTY_V1 = """\
---
name: Simple Chat
version: 1.10
authors:
  - Paulo Lacerda
model:
  api: chat
  configuration:
    type: azure_openai
    azure_deployment: gpt-4o-g
    api_key: ${env:AZURE_OPENAI_API_KEY}
  parameters:
    max_tokens: 500
inputs:
  documents:
    type: object
  question:
    type: string
---
system:
{% for item in documents %}
catalog: {{item.id}} {{ loop.index }}
{% endfor %}
# question
{{question}}
{% for item in history %}
{{item.role}}: {{item.content}}
{% endfor %}"""


def test_prompty_v1() -> None:
    version = one("chat.prompty", PROMPTY_V1)
    assert (version.name, version.version, version.source, version.registry) == ("Simple Chat", "1.10", "prompty", "chat.prompty")
    assert (version.model, version.model_is_deployment, version.author, version.template_format) == (
        "gpt-4o-g",
        True,
        "Paulo Lacerda",
        "jinja2",
    )
    assert version.content.startswith("system:\n{% for item in documents %}\n")
    assert placeholders(version.declared_variables) == [
        ("documents", sp(15, 3, 15, 12), None),
        ("question", sp(17, 3, 17, 11), None),
    ]
    assert placeholders(version.used_variables) == [
        ("documents", sp(21, 1, 21, 28), None),
        ("question", sp(25, 1, 25, 13), None),
        ("history", sp(26, 1, 26, 26), None),
    ]
    assert version.span_of("model") == sp(10, 23, 10, 31)
    assert version.span_of("version") == sp(3, 10, 3, 14)
    assert version.span_of("content") == sp(20, 1, 28, 13)
    assert ("model.configuration.api_key", "${env:AZURE_OPENAI_API_KEY}", sp(11, 14, 11, 41)) in [
        (s.name, s.value, s.value_span) for s in version.settings
    ]
    assert [(t.value, t.span) for t in version.text_pieces[:2]] == [
        ("system:", sp(20, 1, 20, 8)),
        ("{% for item in documents %}", sp(21, 1, 21, 28)),
    ]


PROMPTY_V2 = """\
---
name: support
metadata:
  version: 2
  authors: [ana, bo]
model:
  id: gpt-4.1-2025-04-14
  provider: openai
  options: {temperature: 0}
inputSchema:
  properties:
    - name: question
      kind: string
    - name: conversation
      kind: thread
template:
  format:
    kind: mustache
---
system:
{{#faq}}- {{q}}{{/faq}}
user:
{{ question }}
"""


def test_prompty_v2_mustache_thread_input_and_sections() -> None:
    version = one("support.prompty", PROMPTY_V2.replace("\n", "\r\n"))
    assert (version.name, version.version, version.model, version.model_is_deployment, version.author) == (
        "support",
        "2",
        "gpt-4.1-2025-04-14",
        False,
        "ana, bo",
    )
    assert version.template_format == "mustache"
    assert placeholders(version.declared_variables) == [
        ("question", sp(12, 13, 12, 21), None),
        ("conversation", sp(14, 13, 14, 25), None),
    ]
    # the thread input counts as used at its declaration; {{q}} is inside the faq section
    assert placeholders(version.used_variables) == [
        ("faq", sp(21, 1, 21, 9), None),
        ("q", sp(21, 11, 21, 16), "faq"),
        ("question", sp(23, 1, 23, 15), None),
        ("conversation", sp(14, 13, 14, 25), None),
    ]
    assert version.content == "system:\n{{#faq}}- {{q}}{{/faq}}\nuser:\n{{ question }}\n"


def test_prompty_shorthand_model_and_azure_v2_deployment() -> None:
    assert one("q.prompty", "---\nname: q\nmodel: gpt-4o-mini\n---\n{{q}}\n").model == "gpt-4o-mini"
    azure = one("a.prompty", "---\nmodel:\n  id: chat-deployment\n  provider: azure\n---\nHi\n")
    assert (azure.model, azure.model_is_deployment, azure.name) == ("chat-deployment", True, "a")


def test_prompty_include_hides_part_of_the_template() -> None:
    version = one("inc.prompty", '---\ninputs: {a: {type: string}}\n---\n{% include "base.j2" %}\n{{ b }}\n')
    assert version.declared_variables is None


def test_prompty_without_front_matter_is_a_bare_prompt() -> None:
    text = "# chat.prompty\n\nConversation history:\n{{history}}\nUser query: {{user_query}}\n"
    version = one("docs/chat.prompty", text)
    assert (version.name, version.model, version.declared_variables, version.span) == ("chat", None, None, sp(1, 1, 1, 1))
    assert placeholders(version.used_variables) == [("history", sp(4, 1, 4, 12), None), ("user_query", sp(5, 13, 5, 27), None)]


def test_prompty_front_matter_that_is_not_a_mapping() -> None:
    assert adapt("x.prompty", "---\n- a\n- b\n---\nHi\n")[1:] == ([], [("AL002", 2)])


def test_prompty_with_broken_front_matter_maps_nothing() -> None:
    assert adapt("x.prompty", "---\nname: [a\n---\nHi\n")[1:] == ([], [("AL001", 3)])


# -- dotprompt -----------------------------------------------------------------------------------
DOTPROMPT = """\
---
model: googleai/gemini-2.5-flash
version: 3
config: {temperature: 0.2}
input:
  schema:
    orderId: string
    note?: string, why the customer wrote
    items(array, the lines): string
output:
  format: json
---
{{role "system"}}
Find order {{orderId}}{{#if note}} ({{note}}){{/if}}.
{{#each items}}- {{this}} {{sku}} {{@index}}{{/each}}
{{history}}
"""


def test_dotprompt_picoschema() -> None:
    version = one("prompts/lookup.prompt", DOTPROMPT)
    assert (version.name, version.version, version.model, version.source, version.template_format) == (
        "lookup",
        "3",
        "googleai/gemini-2.5-flash",
        "dotprompt",
        "handlebars",
    )
    assert placeholders(version.declared_variables) == [
        ("orderId", sp(7, 5, 7, 12), None),
        ("note", sp(8, 5, 8, 10), None),
        ("items", sp(9, 5, 9, 28), None),
    ]
    assert placeholders(version.used_variables) == [
        ("orderId", sp(14, 12, 14, 23), None),
        ("note", sp(14, 23, 14, 35), None),
        ("note", sp(14, 37, 14, 45), None),
        ("items", sp(15, 1, 15, 16), None),
        ("sku", sp(15, 27, 15, 34), "items"),
    ]


def test_dotprompt_json_schema_and_file_name_variant() -> None:
    text = "---\ninput:\n  schema:\n    type: object\n    properties:\n      subject: {type: string}\n---\nA haiku about {{subject}}.\n"
    version = one("prompts/haiku.pirate.prompt", text)
    assert (version.name, placeholders(version.declared_variables)) == ("haiku.pirate", [("subject", sp(6, 7, 6, 14), None)])


@pytest.mark.parametrize(
    "schema",
    ["schema: OrderInput", "schema:\n    (*): string", "schema: string", "default: {subject: cats}"],
    ids=["named", "wildcard", "scalar", "no-schema"],
)
def test_dotprompt_schemas_that_declare_no_fixed_set(schema: str) -> None:
    version = one("p.prompt", f"---\ninput:\n  {schema}\n---\n{{{{subject}}}}\n")
    assert version.declared_variables is None


def test_dotprompt_look_alikes_are_not_claimed_or_skipped() -> None:
    other_schema = (
        "---\nname: code-review\nauthor: blogus\nmodel:\n  id: gpt-4o\n  temperature: 0.3\nvariables:\n  - name: code\n---\n"
        "Review {{code}}\n"
    )
    assert adapt("prompts/code-review.prompt", other_schema) == (["dotprompt"], [], [])
    assert adapt("src/prompts/chat.prompt", "[Goal]:\nSummarise the diary.\n")[0] == []
    assert adapt("prompts/_footer.prompt", "---\nmodel: x\n---\nBye {{name}}\n")[0] == []
    # no front matter, but dotprompt's own helpers: a dotprompt template
    bare = one("prompts/greet.prompt", '{{role "system"}}\nGreet {{name}}.\n')
    assert (bare.name, placeholders(bare.used_variables)) == ("greet", [("name", sp(2, 7, 2, 15), None)])


# -- LangChain hub -------------------------------------------------------------------------------
def test_langchain_hub_legacy_json() -> None:
    text = (
        '{\n    "input_variables": [\n        "question"\n    ],\n    "output_parser": null,\n'
        '    "template": "Use the format {{\\"cmd\\": ...}}.\\n\\nQuestion: {question}",\n    "template_format": "f-string"\n}'
    )
    version = one("prompts/llm_bash/prompt.json", text)
    assert (version.name, version.version, version.source, version.template_format) == ("llm_bash", None, "langchain-hub", "f-string")
    assert version.content == 'Use the format {{"cmd": ...}}.\n\nQuestion: {question}'
    assert placeholders(version.declared_variables) == [("question", sp(3, 9, 3, 19), None)]
    assert placeholders(version.used_variables) == [("question", sp(6, 64, 6, 74), None)]


def test_langchain_hub_yaml_block_scalar() -> None:
    text = "_type: prompt\ninput_variables: [question]\ntemplate: |\n  Context: none\n  Q: {question} {{literal}}\n"
    version = one("qa/prompt.yaml", text)
    assert placeholders(version.used_variables) == [("question", sp(5, 6, 5, 16), None)]
    assert [(t.value, t.span) for t in version.text_pieces] == [
        ("Context: none", sp(4, 3, 4, 16)),
        ("Q: {question} {{literal}}", sp(5, 3, 5, 28)),
    ]


def test_langchain_serialised_chat_prompt() -> None:
    text = """{"lc": 1, "type": "constructor", "id": ["langchain", "prompts", "chat", "ChatPromptTemplate"],
 "kwargs": {"input_variables": ["question", "history"], "messages": [
  {"lc": 1, "type": "constructor", "id": ["langchain", "prompts", "chat", "SystemMessagePromptTemplate"],
   "kwargs": {"prompt": {"lc": 1, "type": "constructor", "id": ["langchain", "prompts", "prompt", "PromptTemplate"],
    "kwargs": {"input_variables": [], "template": "You are terse.", "template_format": "f-string"}}}},
  {"lc": 1, "type": "constructor", "id": ["langchain", "prompts", "chat", "MessagesPlaceholder"], "kwargs": {"variable_name": "history"}},
  {"lc": 1, "type": "constructor", "id": ["langchain", "prompts", "chat", "HumanMessagePromptTemplate"],
   "kwargs": {"prompt": {"lc": 1, "type": "constructor", "id": ["langchain", "prompts", "prompt", "PromptTemplate"],
    "kwargs": {"input_variables": ["question"], "template": "Q: {question}", "template_format": "f-string"}}}}]}}
"""
    version = one("hub/answer.json", text)
    assert version.content == "system: You are terse.\nplaceholder: history\nhuman: Q: {question}"
    assert [p.name for p in version.declared_variables or ()] == ["question", "history"]
    assert placeholders(version.used_variables) == [("history", sp(6, 127, 6, 136), None), ("question", sp(9, 65, 9, 75), None)]


def test_langchain_other_prompt_types_are_not_mapped() -> None:
    few_shot = '{"_type": "few_shot", "input_variables": ["q"], "prefix": "P", "suffix": "{q}", "template": "x", "examples": []}'
    assert adapt("prompts/f/prompt.json", few_shot)[1] == []


# -- promptfoo -----------------------------------------------------------------------------------
PROMPTFOO = """\
# yaml-language-server: $schema=https://promptfoo.dev/config-schema.json
prompts:
  - file://prompts/triage.txt
  - prompts/other.txt
  - "Write a tweet about {{topic}}"
  - |
    You write tweets.
      About: {{ topic | upper }}
  - raw: "Summarise {{text}}"
    label: summary
providers:
  - openai:gpt-4o
tests:
  - vars: {topic: bananas}
"""


def test_promptfoo_inline_prompts_only() -> None:
    claimed, versions, problems = adapt("promptfooconfig.yaml", PROMPTFOO)
    assert (claimed, problems) == (["promptfoo"], [])
    assert [(v.name, v.content, v.version, v.model, v.declared_variables) for v in versions] == [
        ("prompts[2]", "Write a tweet about {{topic}}", None, None, None),
        ("prompts[3]", "You write tweets.\n  About: {{ topic | upper }}\n", None, None, None),
        ("summary", "Summarise {{text}}", None, None, None),
    ]
    assert [placeholders(v.used_variables) for v in versions] == [
        [("topic", sp(5, 26, 5, 35), None)],
        [("topic", sp(8, 14, 8, 33), None)],
        [("text", sp(9, 21, 9, 29), None)],
    ]


def test_promptfoo_without_inline_prompts() -> None:
    text = 'description: "HTTP mock"\nproviders:\n  - id: http\n    config: {body: {query: "{{prompt}}"}}\ntests:\n  - vars: {prompt: Hello}\n'
    assert adapt("promptfooconfig.yaml", text) == (["promptfoo"], [], [])


# -- template scanners ----------------------------------------------------------------------------
def test_jinja_names_are_inputs_only() -> None:
    uses, opaque = scan_jinja(
        "{{ x | default(y) }}{% if a is not defined and b %}{% set c = d %}{{ c }}{% endif %}{{ range(3) }}"
        "{% raw %}{{ nope }}{% endraw %}{# {{ nope }} #}{{ loop.index }}{% for k, v in items.items() %}{{ k }}{% endfor %}"
    )
    assert ([u.name for u in uses], opaque) == (["x", "y", "a", "b", "d", "items"], False)
    assert scan_jinja('{% extends "base.j2" %}')[1] is True


def test_handlebars_helpers_and_contexts() -> None:
    uses, opaque = scan_handlebars(
        '{{role "user"}}{{history}}{{media url=photoUrl}}{{json (lookup data "k")}}{{#each xs as |x|}}{{x.a}}'
        "{{@root.shop}}{{../up}}{{/each}}{{!-- {{c}} --}}{{else if other}}{{{raw}}}"
    )
    assert ([(u.name, u.section) for u in uses], opaque) == (
        [("photoUrl", None), ("data", None), ("xs", None), ("x", "xs"), ("shop", None), ("up", None), ("other", None), ("raw", None)],
        False,
    )
    assert scan_handlebars("{{> footer}}")[1] is True


def test_fstring_fields_and_escapes() -> None:
    uses, opaque = scan_fstring("{{literal}} {q} {a.b} {c[0]} {d!r:>{width}}")
    assert ([(u.name, u.start, u.end) for u in uses], opaque) == (
        [("q", 12, 15), ("a", 16, 21), ("c", 22, 28), ("d", 29, 43), ("width", 29, 43)],
        False,
    )
    assert scan_fstring("a } b")[1] and scan_fstring("{}")[1]


# -- AL409's heuristic -----------------------------------------------------------------------------
ALIASES = (
    "gpt-4o gpt-4o-mini gpt-4 gpt-4-turbo gpt-4-turbo-preview gpt-3.5-turbo gpt-4.1 gpt-4.1-nano gpt-5 gpt-5-mini o1 o3-mini "
    "o4-mini chatgpt-4o-latest openai:gpt-4o openai:chat:gpt-4o-mini openai/gpt-4o claude-3-5-sonnet-latest claude-sonnet-4-5 "
    "claude-opus-4-0 anthropic/claude-3.5-sonnet anthropic:messages:claude-sonnet-4-5 gemini-1.5-pro gemini-1.5-flash gemini-2.0-flash gemini-pro "
    "googleai/gemini-1.5-pro models/gemini-2.0-flash gemini-flash-latest mistral-large-latest llama3:latest"
).split()
SNAPSHOTS = (
    "gpt-4o-2024-08-06 gpt-4o-mini-2024-07-18 gpt-4.1-2025-04-14 gpt-4-0613 gpt-3.5-turbo-0125 gpt-4-1106-preview "
    "o3-mini-2025-01-31 ft:gpt-4o-mini-2024-07-18:acme::x1 gpt-oss-120b claude-3-5-sonnet-20241022 claude-sonnet-4-5-20250929 "
    "anthropic.claude-3-5-sonnet-20241022-v2:0 anthropic:messages:claude-3-5-sonnet-20241022 claude-sonnet-4@20250514 claude-2.1 gemini-1.5-pro-002 gemini-2.0-flash-001 "
    "gemini-2.5-flash googleai/gemini-2.5-flash gemini-2.5-pro gemini-3-flash-preview gemini-2.0-flash-exp "
    "gemini-2.5-flash-preview-05-20 mistral-large-2411 qwen2:7b deepseek-chat gpt-4o-g ${env:MODEL} {{model}}"
).split()


@pytest.mark.parametrize("model", ALIASES)
def test_aliases(model: str) -> None:
    assert floating_alias(model) is not None


@pytest.mark.parametrize("model", SNAPSHOTS)
def test_snapshots_and_unknown_ids(model: str) -> None:
    assert floating_alias(model) is None


# -- the corpus ------------------------------------------------------------------------------------
CATEGORIES = ("prompty", "dotprompt", "promptfoo", "prompt-registry")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_prompt_files(tmp_path: Path) -> None:
    """Every prompt file of the corpus at its real path: no crash, no AL9xx; the look-alikes
    (plain-text and foreign-schema ``.prompt``) are not mapped; the one finding of AL406-AL409
    is ``history``, used by chat.prompty's template but not among its inputs (Prompt flow
    passes only declared inputs: the loop renders nothing)."""
    for line in (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        category, repo, path = (line.split("\t") + ["", "", ""])[:3]
        flat = CORPUS / category / (repo.replace("/", "__") + "__" + path.replace("/", "__"))
        if category in CATEGORIES and flat.is_file():
            target = tmp_path / category / repo / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(flat, target)
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=tmp_path)
    result, project = api.analyse(["."], settings, root=tmp_path)
    assert not result.internal_error
    assert [f for f in result.findings if f.code.startswith("AL9")] == []
    assert sorted((p.source, p.name, p.ref.path.split("/")[-1]) for p in project.prompts) == [
        ("dotprompt", "no_model", "no_model.prompt"),
        ("dotprompt", "paymentAgent", "paymentAgent.prompt"),
        ("langchain-hub", "llm_bash", "prompt.json"),
        ("promptfoo", "prompts[0]", "promptfooconfig.yaml"),
        ("promptfoo", "prompts[1]", "promptfooconfig.yaml"),
        ("promptfoo", "prompts[2]", "promptfooconfig.yaml"),
        ("prompty", "Researcher Agent", "researcher.prompty"),
        ("prompty", "Simple Chat", "chat.prompty"),
        ("prompty", "basic evaluate", "prompty-answer-score-eval.prompty"),
        ("prompty", "chat", "chat.prompty"),
    ]
    mine = [(f.code, f.path, f.line) for f in result.findings if f.code in ("AL406", "AL407", "AL408", "AL409")]
    assert mine == [("AL406", "prompty/balakreshnan/genaiprompty/chat.prompty", 56)]
