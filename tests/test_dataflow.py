"""Prompts, completions, user input, personal data and credentials reaching logs and telemetry
(issue 10, point 1): the DataFlow entities of the python-flows adapter and the findings AL501
(prompt/completion), AL502 (personal data, user input) and AL503 (credential) give on them:
exact codes, paths and lines; sanitizers, metadata and truncation; a fuzz test that the flow
analysis never raises on Python that parses; a no-false-positive sweep over the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.python_flows import ADAPTER
from agentlint.loaders.python import load_python
from agentlint.model.flows import DataFlow, FlowSource, SinkKind, SourceKind
from agentlint.model.source import NodeRef, Pos, Span
from tests.conftest import CORPUS
from tests.helpers import project_findings

CODES = ("AL501", "AL502", "AL503")


def flows(source: str, path: str = "app.py") -> list[DataFlow]:
    return [e for e in ADAPTER.adapt(load_python(path, source)).entities if isinstance(e, DataFlow)]


def findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int]]:
    return [(code, path, line) for code, path, line, _ in project_findings(tmp_path, files, CODES)]


def test_exact_entity_for_a_logged_completion() -> None:
    source = (
        "import logging\n"  # 1
        "from openai import OpenAI\n"
        "log = logging.getLogger(__name__)\n"
        "client = OpenAI()\n"
        "def ask(q):\n"  # 5
        "    r = client.chat.completions.create(model='m', messages=[])\n"
        "    text = r.choices[0].message.content\n"
        "    log.info('got %s', text)\n"
    )
    (flow,) = flows(source)
    assert flow == DataFlow(
        ref=NodeRef("app.py", ("dataflow", "ask", "log.info", 0)),
        span=Span(Pos(8, 5), Pos(8, 29)),
        fields=(("argument", Span(Pos(8, 24), Pos(8, 28))),),
        sink=SinkKind.LOG,
        sink_call="log.info",
        sources=(
            FlowSource(
                SourceKind.COMPLETION,
                "client.chat.completions.create(...)",
                Span(Pos(6, 9), Pos(6, 63)),
                "reply",
                ("r", "text"),
            ),
        ),
    )


def test_one_sink_with_several_sources_is_one_flow_naming_them_all() -> None:
    source = (
        "import logging\n"
        "import openai\n"
        "def f(prompt, user_email, api_key):\n"
        "    logging.warning('%s %s %s', prompt, user_email, api_key)\n"
    )
    (flow,) = flows(source)
    assert [(s.kind, s.what) for s in flow.sources] == [
        (SourceKind.PROMPT, "prompt"),
        (SourceKind.PII, "user_email"),
        (SourceKind.CREDENTIAL, "api_key"),
    ]


def test_findings_at_the_sink_with_the_source_related(tmp_path: Path) -> None:
    source = (
        "import logging\n"  # 1
        "import os\n"
        "from openai import OpenAI\n"
        "logger = logging.getLogger(__name__)\n"
        "client = OpenAI(timeout=30)\n"  # 5
        "def run(prompt: str, email: str):\n"
        "    key = os.getenv('OPENAI_API_KEY')\n"
        "    logger.info(f'prompt={prompt}')\n"
        "    logger.info('mail %s', email)\n"
        "    logger.error('key %s', key)\n"  # 10
        "    logger.info('%s + %s', prompt, email)\n"
    )
    assert findings(tmp_path, {"app.py": source}) == [
        ("AL501", "app.py", 8),
        ("AL501", "app.py", 11),
        ("AL502", "app.py", 9),
        ("AL502", "app.py", 11),  # personal data is its own defect, next to the prompt
        ("AL503", "app.py", 10),
    ]


def test_message_names_the_source_and_the_path(tmp_path: Path) -> None:
    from tests.helpers import project_result

    source = (
        "import logging\n"
        "from openai import OpenAI\n"
        "client = OpenAI(timeout=30)\n"
        "def ask(question: str):\n"
        "    msgs = [{'role': 'user', 'content': question}]\n"
        "    reply = client.chat.completions.create(model='m', messages=msgs)\n"
        "    logging.info('Q: %s A: %s', msgs, reply.choices[0].message.content)\n"
    )
    result = project_result(tmp_path, {"app.py": source})
    (finding,) = [f for f in result.findings if f.code in CODES]
    assert finding.code == "AL501"
    assert finding.message == (
        "logging.info(...) logs the user input `question` (parameter, via msgs, line 4) and the completion "
        "`client.chat.completions.create(...)` (reply, via reply, line 6) unmasked: log ids, lengths and token counts, "
        "or mask the content first"
    )
    assert [(r.path, r.span.start.line) for r in finding.related] == [("app.py", 4), ("app.py", 6)]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("logger.info('n=%d', len(prompt))", id="len"),
        pytest.param("logger.info(hashlib.sha256(prompt.encode()).hexdigest())", id="hashlib"),
        pytest.param("logger.info(mask_pii(prompt))", id="mask-function"),
        pytest.param("logger.info(redact(prompt))", id="redact-function"),
        pytest.param("logger.info(anonymizer.anonymize(text=prompt, analyzer_results=r).text)", id="presidio"),
        pytest.param("logger.info('tokens %s', resp.usage.total_tokens)", id="token-count"),
        pytest.param("logger.info('model %s id %s', resp.model, resp.id)", id="metadata"),
        pytest.param("logger.info('empty? %s', prompt == '')", id="comparison"),
        pytest.param("logger.info('key set: %s', bool(api_key))", id="presence"),
        pytest.param("logger.info('key …%s', api_key[-4:])", id="last-four-of-a-key"),
        pytest.param("logger.info(SYSTEM_PROMPT)", id="constant"),
        pytest.param("logger.info(classify(prompt))", id="unknown-function-result"),
        pytest.param("logger.info(prompt_template)", id="template-name"),
        pytest.param("logger.info(num_messages)", id="count-name"),
        pytest.param("logger.info(email_subject)", id="not-an-address"),
        pytest.param("print(prompt)", id="print-outside-server-code"),
        pytest.param("logger.info(settings.prompt)", id="configured-template"),
    ],
)
def test_clean_lines(line: str) -> None:
    source = (
        "import hashlib\n"
        "import logging\n"
        "from openai import OpenAI\n"
        "logger = logging.getLogger(__name__)\n"
        "SYSTEM_PROMPT = 'You are terse.'\n"
        "def f(prompt, api_key, resp, num_messages, email_subject, prompt_template, settings):\n"
        f"    {line}\n"
    )
    assert flows(source) == []


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        pytest.param("logger.info(prompt[:100])", SourceKind.PROMPT, id="truncation-is-not-masking"),
        pytest.param("logger.info('%s', prompt.strip().lower())", SourceKind.PROMPT, id="string-methods"),
        pytest.param("logger.info('{}'.format(prompt))", SourceKind.PROMPT, id="format"),
        pytest.param("logger.info('x: %s' % prompt)", SourceKind.PROMPT, id="percent"),
        pytest.param("logger.info('x: ' + prompt)", SourceKind.PROMPT, id="concatenation"),
        pytest.param("logger.info(json.dumps({'p': prompt}))", SourceKind.PROMPT, id="json-dumps"),
        pytest.param("logger.info([m['content'] for m in messages])", SourceKind.PROMPT, id="comprehension"),
        pytest.param("logger.info(state['messages'][-1].content)", SourceKind.PROMPT, id="state-key"),
        pytest.param("logger.info('k %s', api_key[:12])", SourceKind.CREDENTIAL, id="long-cut-of-a-key"),
        pytest.param("logger.info(data.get('email'))", SourceKind.PII, id="get-key"),
        pytest.param("logger.info(os.environ.get('GITHUB_TOKEN'))", SourceKind.CREDENTIAL, id="env-get"),
        pytest.param("span.set_attribute('input', prompt)", SourceKind.PROMPT, id="span-attribute"),
        pytest.param("span.add_event('llm', {'prompt': prompt})", SourceKind.PROMPT, id="span-event"),
        pytest.param("logging.getLogger(__name__).debug(prompt)", SourceKind.PROMPT, id="logger-chain"),
        pytest.param("self.logger.info(prompt)", SourceKind.PROMPT, id="self-logger"),
        pytest.param("logger.info('%s', llm.invoke(messages).content)", SourceKind.COMPLETION, id="invoke-reply"),
    ],
)
def test_flows(line: str, kind: SourceKind) -> None:
    source = (
        "import json\n"
        "import logging\n"
        "import os\n"
        "from openai import OpenAI\n"
        "logger = logging.getLogger(__name__)\n"
        "def f(self, prompt, messages, api_key, state, data, span, llm):\n"
        f"    {line}\n"
    )
    (flow,) = flows(source)
    assert (flow.span.start.line, [s.kind for s in flow.sources]) == (7, [kind])


def test_branches_merge_and_reassignment_clears() -> None:
    source = (
        "import logging\n"  # 1
        "import openai\n"
        "def f(prompt, flag):\n"
        "    text = 'fixed'\n"
        "    if flag:\n"  # 5
        "        text = prompt\n"
        "    logging.info(text)\n"
        "    text = 'other'\n"
        "    logging.info(text)\n"
        "    for part in [prompt]:\n"  # 10
        "        logging.info(part)\n"
    )
    assert [f.span.start.line for f in flows(source)] == [7, 11]


def test_server_print_handler_parameters_and_flask_request() -> None:
    source = (
        "from fastapi import Depends, FastAPI, Request\n"  # 1
        "from openai import OpenAI\n"
        "app = FastAPI()\n"
        "@app.post('/chat')\n"
        "async def chat(body: dict, request: Request, n: int = 3, db=Depends(lambda: 1)):\n"  # 5
        "    print(n, db, request.url)\n"
        "    print(body)\n"
        "    print(await request.json())\n"
    )
    found = flows(source, "server.py")
    assert [(f.span.start.line, f.sink, [s.what for s in f.sources]) for f in found] == [
        (7, SinkKind.PRINT, ["body"]),
        (8, SinkKind.PRINT, ["request.json()"]),
    ]


def test_observations_and_conversation_log_files() -> None:
    source = (
        "import json\n"  # 1
        "from langfuse import get_client\n"
        "langfuse = get_client()\n"
        "def f(prompt, completion):\n"
        "    langfuse.update_current_trace(input=prompt, output=completion, user_id='u')\n"  # 5
        "    with open('logs/conversations.jsonl', 'a') as f:\n"
        "        f.write(json.dumps({'prompt': prompt}))\n"
        "    with open('out/report.md', 'w') as g:\n"
        "        g.write(prompt)\n"
        "    with open('chat_history.json', 'w') as h:\n"  # 10
        "        json.dump({'c': completion}, h)\n"
    )
    assert [(f.span.start.line, f.sink) for f in flows(source)] == [
        (5, SinkKind.OBSERVATION),
        (7, SinkKind.FILE),
        (11, SinkKind.FILE),
    ]


def test_test_modules_are_marked_and_not_reported(tmp_path: Path) -> None:
    source = "import logging\nimport openai\ndef test_x(prompt):\n    logging.info(prompt)\n"
    (flow,) = flows(source, "tests/test_app.py")
    assert flow.test_code
    assert findings(tmp_path, {"tests/test_app.py": source}) == []


def test_a_bare_query_is_not_user_input() -> None:
    head = "import logging\nimport openai\n"
    assert flows(head + "def f(query):\n    logging.info('running %s', query)\n") == []
    assert len(flows(head + "def f(user_query):\n    logging.info('running %s', user_query)\n")) == 1


def test_fields_of_a_constructed_object_are_its_keywords() -> None:
    """``Config(api_key=k, api_version=v).api_version`` carries no key (autogen's
    AzureAISearchTool logged its api_version and was reported as logging the key)."""
    source = (
        "import logging\n"  # 1
        "import openai\n"
        "class Tool:\n"
        "    def __init__(self, openai_api_key, api_version, prompt):\n"
        "        self.config = SearchConfig(api_key=openai_api_key, api_version=api_version, text=prompt)\n"  # 5
        "        logging.warning(f'api_version={self.config.api_version}')\n"
        "        logging.warning(f'text={self.config.text}')\n"
        "        logging.warning(f'config={self.config}')\n"
        "        holder = Wrapper(openai_api_key)\n"
        "        logging.warning(f'endpoint={holder.endpoint}')\n"  # 10
    )
    assert [(f.span.start.line, [s.what for s in f.sources]) for f in flows(source)] == [
        (7, ["prompt"]),
        (8, ["openai_api_key", "prompt"]),
    ]


_NAMES = st.sampled_from(["prompt", "messages", "email", "api_key", "x", "logger", "span", "state", "os", "self"])
_EXPRS = st.recursive(
    st.one_of(_NAMES, st.just("'s'"), st.just("1"), st.just("os.environ['OPENAI_API_KEY']")),
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"{a} + {b}", inner, inner),
        st.builds(lambda a: f"f'{{{a}}}'", inner),
        st.builds(lambda a: f"[{a}]", inner),
        st.builds(lambda a: f"{a}[0]", inner),
        st.builds(lambda a: f"{a}.content", inner),
        st.builds(lambda a: f"len({a})", inner),
        st.builds(lambda a, b: f"{a}.get({b})", inner, inner),
        st.builds(lambda a: f"[m for m in {a}]", inner),
        st.builds(lambda a: f"(x := {a})", inner),
        st.builds(lambda a, b: f"{a} if x else {b}", inner, inner),
    ),
    max_leaves=12,
)
_STATEMENTS = st.one_of(
    st.builds(lambda n, e: f"{n} = {e}", _NAMES, _EXPRS),
    st.builds(lambda e: f"logger.info({e})", _EXPRS),
    st.builds(lambda e: f"span.set_attribute('k', {e})", _EXPRS),
    st.builds(lambda n, e: f"{n}.append({e})", _NAMES, _EXPRS),
    st.builds(lambda n, e: f"{n} += {e}", _NAMES, _EXPRS),
    st.builds(lambda e: f"print({e})", _EXPRS),
    st.builds(lambda e: f"f.write({e})", _EXPRS),
    st.builds(lambda e: f"json.dump({e}, f)", _EXPRS),
    st.builds(lambda e: f"langfuse.update_current_trace(input={e})", _EXPRS),
)


@st.composite
def _programs(draw: st.DrawFn) -> str:
    lines = ["import logging", "from fastapi import FastAPI", "import openai", "@app.post('/x')", "async def h(prompt, body: dict):"]
    indent = 1
    for stmt in draw(st.lists(_STATEMENTS, min_size=1, max_size=12)):
        opener = draw(st.sampled_from(["", "if x:", "for x in messages:", "with open('log.txt', 'a') as f:", "try:", "while x:"]))
        if opener:
            lines.append("    " * indent + opener)
            indent = min(indent + 1, 6)
            if opener == "try:":
                lines.append("    " * indent + stmt)
                lines.append("    " * (indent - 1) + "except Exception as e:")
        lines.append("    " * indent + stmt)
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_programs())
def test_flow_analysis_never_raises_on_parsing_python(source: str) -> None:
    loaded = load_python("server.py", source)
    if loaded.module is None:
        return
    for flow in ADAPTER.adapt(loaded).entities:
        assert flow.sources
        assert flow.span.start.line >= 1


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_=()[]{}.:'\"+%, \n", max_size=200))
def test_arbitrary_text_that_parses_never_raises(text: str) -> None:
    loaded = load_python("app.py", "import logging\nimport openai\n" + text)
    if loaded.module is not None:
        ADAPTER.adapt(loaded)


def test_deep_expressions_are_bounded_not_fatal() -> None:
    def nested(depth: int) -> str:
        return "import logging\nimport openai\ndef f(prompt):\n    logging.info(" + "[" * depth + "prompt" + "]" * depth + ")\n"

    assert len(flows(nested(40))) == 1
    assert flows(nested(95)) == []  # past the depth bound: a miss, never a RecursionError


def test_no_false_positives_in_the_corpus(tmp_path: Path) -> None:
    files = sorted(CORPUS.rglob("*.py")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip("no Python files in ../shared/corpus")
    reported = []
    for file in files:
        rel = file.relative_to(CORPUS).as_posix()
        loaded = load_python(rel, file.read_text(encoding="utf-8", errors="replace"))
        if loaded.module is not None:
            reported += [(rel, f.span.start.line) for f in ADAPTER.adapt(loaded).entities if not f.test_code]
    assert reported == []


def test_what_is_sent_to_a_model_is_a_prompt_and_agent_runs_reply() -> None:
    source = (
        "import logging\n"  # 1
        "from openai import OpenAI\n"
        "log = logging.getLogger(__name__)\n"
        "client = OpenAI()\n"
        "async def f(topic, config, research_agent):\n"  # 5
        "    msgs = build_messages(topic)\n"
        "    log.info('before %s', msgs)\n"
        "    client.chat.completions.create(model='m', messages=msgs)\n"
        "    log.info('after %s', msgs)\n"
        "    result = await research_agent.arun(topic, config)\n"  # 10
        "    log.info('config %s', config)\n"
        "    log.info('research: %s', result.messages[-1].content)\n"
    )
    assert [(f.span.start.line, [(s.kind, s.how) for s in f.sources]) for f in flows(source)] == [
        (9, [(SourceKind.PROMPT, "sent to client.chat.completions.create")]),
        (12, [(SourceKind.COMPLETION, "reply")]),
    ]


def test_the_aiohttp_client_is_not_server_code() -> None:
    body = "def f(prompt):\n    print(prompt)\n"
    assert flows("import aiohttp\nimport openai\n" + body) == []
    assert len(flows("from aiohttp import web\nimport openai\n" + body)) == 1


def test_handler_parameters_that_are_ids_are_metadata() -> None:
    source = (
        "import logging\n"
        "from fastapi import FastAPI\n"
        "import openai\n"
        "app = FastAPI()\n"
        "@app.websocket('/ws/{session_id}')\n"
        "async def ws(session_id: str, text: str):\n"
        "    logging.info('session %s', session_id)\n"
        "    logging.info('text %s', text)\n"
    )
    assert [f.span.start.line for f in flows(source)] == [8]


def test_long_functions_stay_linear() -> None:
    """3,000 names each carrying the prompt, then 3,000 ``if``s: joining branches costs the
    names they write, and one source per origin is kept (this took 7 s when both were naive)."""
    import time

    n = 3000
    source = (
        "import logging\nimport openai\ndef f(prompt, c):\n"
        + "".join(f"    x{i} = prompt + x{max(i - 1, 0)}\n" for i in range(n))
        + "".join(f"    if c:\n        y = x{i}\n" for i in range(n))
        + "    logging.info(y)\n"
        + "    logging.info(" + " + ".join(f"d{i}['prompt']" for i in range(300)) + ")\n"
    )
    loaded = load_python("app.py", source)
    start = time.perf_counter()
    first, second = [e for e in ADAPTER.adapt(loaded).entities if isinstance(e, DataFlow)]
    assert time.perf_counter() - start < 3.0
    assert [s.what for s in first.sources] == ["prompt"]
    assert len(second.sources) == 300  # a long concatenation is walked, not cut at a depth


def test_a_compiled_graph_named_app_replies_but_flask_app_run_does_not() -> None:
    source = (
        "import logging\n"
        "from langgraph.graph import StateGraph\n"
        "def f(app, inputs):\n"
        "    result = app.invoke(inputs)\n"
        "    logging.info('answer: %s', result['messages'][-1].content)\n"
        "    started = app.run(port=8000)\n"
        "    logging.info('started %s', started)\n"
    )
    assert [(f.span.start.line, f.sources[0].what) for f in flows(source)] == [(5, "app.invoke(...)")]


def test_prompt_templates_from_a_registry_are_not_conversations() -> None:
    source = (
        "import logging\n"
        "from langfuse import get_client\n"
        "def f(name):\n"
        "    prompt = get_client().get_prompt(name)\n"
        "    logging.info('prompt %s v%s', prompt.name, prompt.version)\n"
        "    logging.info('template %s', prompt.prompt)\n"
        "    user_prompt = build(name)\n"
        "    logging.info('sending %s', user_prompt)\n"
    )
    assert [(f.span.start.line, f.sources[0].what) for f in flows(source)] == [(8, "user_prompt")]


def test_django_and_flask_request_bodies() -> None:
    django = (
        "import json\n"
        "import logging\n"
        "from django.http import JsonResponse\n"
        "from openai import OpenAI\n"
        "def chat(request):\n"
        "    body = json.loads(request.body)\n"
        "    logging.info('chat %s', body)\n"
        "    logging.info('from %s', request.META.get('REMOTE_ADDR'))\n"
    )
    flask = (
        "import logging\n"
        "from flask import request\n"
        "import openai\n"
        "def chat():\n"
        "    q = request.args.get('q')\n"
        "    logging.info('q=%s ua=%s', q, request.headers.get('User-Agent'))\n"
    )
    assert [(f.span.start.line, f.sources[0].what) for f in flows(django)] == [(7, "request.body")]
    assert [(f.span.start.line, f.sources[0].what) for f in flows(flask)] == [(6, "request.args")]


def test_module_level_code_and_class_bodies() -> None:
    source = (
        "import logging\n"
        "import os\n"
        "import openai\n"
        "KEY = os.environ['OPENAI_API_KEY']\n"
        "logging.info('key=%s', KEY)\n"
        "class Settings:\n"
        "    token = os.getenv('SLACK_BOT_TOKEN')\n"
        "    logging.info('token=%s', token)\n"
    )
    assert [(f.ref.pointer, f.sources[0].kind) for f in flows(source)] == [
        (("dataflow", "<module>", "logging.info", 0), SourceKind.CREDENTIAL),
        (("dataflow", "<module>", "logging.info", 1), SourceKind.CREDENTIAL),
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("prompt", SourceKind.PROMPT),
        ("userPrompt", SourceKind.PROMPT),
        ("chat_history", SourceKind.PROMPT),
        ("messages", SourceKind.PROMPT),
        ("llm_response", SourceKind.COMPLETION),
        ("user_input", SourceKind.USER_INPUT),
        ("question", SourceKind.USER_INPUT),
        ("customer_email", SourceKind.PII),
        ("phone_number", SourceKind.PII),
        ("date_of_birth", SourceKind.PII),
        ("openai_api_key", SourceKind.CREDENTIAL),
        ("apiKey", SourceKind.CREDENTIAL),
        ("client_secret", SourceKind.CREDENTIAL),
        ("db_password", SourceKind.CREDENTIAL),
        ("system_prompt", None),
        ("prompt_template", None),
        ("prompt_tokens", None),
        ("num_messages", None),
        ("message", None),
        ("response", None),
        ("query", None),
        ("email_subject", None),
        ("send_email", None),  # a flag or an action, not an address
        ("log_prompts", None),
        ("masked_prompt", None),
        ("api_key_env", None),
        ("secret_name", None),
        ("number", None),
    ],
)
def test_names_that_say_what_they_hold(name: str, kind: SourceKind | None) -> None:
    from agentlint.adapters._code.dataflow_names import kind_of_name

    assert kind_of_name(name) is kind


def test_loop_indexes_and_tool_names_are_metadata() -> None:
    """gpt-researcher logs ``Executing tool {i}: {tool_name}`` over a reply's tool calls:
    the index and the tool's name carry no content; the arguments do."""
    source = (
        "import logging\n"  # 1
        "import openai\n"
        "async def run(llm, messages):\n"
        "    response = await llm.ainvoke(messages)\n"
        "    for i, tool_call in enumerate(response.tool_calls, 1):\n"  # 5
        "        tool_name = tool_call.get('name', 'unknown')\n"
        "        logging.info(f'Executing tool {i}: {tool_name}')\n"
        "        logging.debug(f\"args: {tool_call.get('args')}\")\n"
    )
    assert [f.span.start.line for f in flows(source)] == [8]
