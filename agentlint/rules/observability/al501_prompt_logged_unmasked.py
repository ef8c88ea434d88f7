from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.flows import DataFlow, SourceKind
from agentlint.model.project import Project
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule
from agentlint.rules.observability._dataflow import args, named, related, verb


class PromptLoggedUnmasked(Rule):
    """A prompt, a conversation or a model's reply reaches a log or a trace unmasked.

    ## What it does
    Follows values through each Python function (assignments, f-strings, `%` and `.format`,
    concatenation, lists and dicts, `json.dumps`, attribute and subscript access) from prompt
    and conversation data to a log or telemetry sink, and reports the sink. Sources are what
    LLM calls and agent runs return (`client.chat.completions.create(...)`,
    `.choices[0].message.content`, `Runner.run(...)`, `llm.invoke(...)`, `graph.invoke(...)`),
    and parameters, variables, attributes and keys whose names say prompt or conversation
    (`prompt`, `user_prompt`, `messages`, `chat_history`, `state["messages"]`, `completion`,
    `llm_response`); raw user input flowing in with them is named in the same finding. Sinks
    are `logging` and loggers (`logging.getLogger`, `structlog`, `loguru`, any `logger`/`log`),
    `print` in server code (modules importing FastAPI, Flask, Starlette, Django, `aiohttp.web`,
    Streamlit, Gradio …), `span.set_attribute(s)`/`add_event`, Langfuse/LangSmith/MLflow
    inputs and outputs, and files opened for writing whose path says conversation log.

    A value that went through hashing (`hashlib`), a function whose name masks, redacts,
    scrubs, anonymizes, hashes or sanitizes (Presidio's `anonymize` too), `len()` or a token
    count is clean; so are metadata (`response.usage.total_tokens`, `response.model`, ids,
    latencies) and a constant template (`prompt = "You are…"`). Truncation (`prompt[:100]`)
    is not masking. One sink is one finding, naming every source that reaches it. Test
    modules are not reported. The analysis stays inside one function: a prompt handed to a
    helper that logs it is not seen.

    ## Why is this bad?
    Prompts and replies carry whatever users typed: names, account numbers, health details,
    secrets pasted by mistake. Logs and traces are kept longer, copied further (log shippers,
    SaaS trace stores, support tickets) and guarded less than the application's data, so a
    raw prompt in a log line is a data leak waiting for its reader, and a retention or GDPR
    erasure obligation nobody can meet.

    ## How to fix
    Log metadata instead (ids, lengths, token counts, model names, latencies), or pass the
    content through a masking function (Presidio, a redaction helper, a hash when only
    equality matters) before it reaches the sink. For traces, turn content capture off or
    mask it in the SDK (Langfuse `mask=`, OpenTelemetry content capture off) or in the
    Collector (`redaction`/`attributes` processors).
    """

    code = "AL501"
    name = "prompt-logged-unmasked"
    summary = "Prompt or completion content reaches a log or trace unmasked"
    severity = Severity.WARNING
    checklist = Checklist.PROMPTS_NOT_LOGGED_RAW
    entities = ("DataFlow",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        for flow in project.of(DataFlow):
            if flow.test_code or not flow.of(SourceKind.PROMPT, SourceKind.COMPLETION):
                continue
            sources = flow.of(SourceKind.PROMPT, SourceKind.COMPLETION, SourceKind.USER_INPUT)
            yield self.violation(
                f"{flow.sink_call}(...) {verb(flow)} {named(sources)} unmasked: log ids, lengths and token counts, "
                "or mask the content first",
                flow,
                args=args(flow, sources),
                related=related(flow, sources),
            )

    valid = (
        Example.of(
            "import hashlib\n"
            "import logging\n"
            "from openai import OpenAI\n\n"
            "logger = logging.getLogger(__name__)\n"
            "client = OpenAI(timeout=30)\n\n\n"
            "def answer(prompt: str) -> str:\n"
            "    logger.info('prompt received: %d chars, sha256=%s', len(prompt), hashlib.sha256(prompt.encode()).hexdigest())\n"
            "    response = client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': prompt}])\n"
            "    logger.info(f'model={response.model} tokens={response.usage.total_tokens} finish={response.choices[0].finish_reason}')\n"
            "    return response.choices[0].message.content\n",
            path="app/llm.py",
            title="Metadata only: lengths, a hash, the model, token counts",
        ),
        Example.of(
            "import logging\n"
            "from langchain_openai import ChatOpenAI\n"
            "from presidio_anonymizer import AnonymizerEngine\n"
            "from presidio_analyzer import AnalyzerEngine\n\n"
            "log = logging.getLogger('agent')\n"
            "analyzer, anonymizer = AnalyzerEngine(), AnonymizerEngine()\n"
            "SYSTEM_PROMPT = 'You are a support agent.'\n\n\n"
            "def run(state: dict) -> dict:\n"
            "    llm = ChatOpenAI(model='gpt-4o', timeout=30)\n"
            "    reply = llm.invoke(state['messages'])\n"
            "    text = reply.content\n"
            "    masked = anonymizer.anonymize(text=text, analyzer_results=analyzer.analyze(text=text, language='en')).text\n"
            "    log.info('reply: %s', masked)\n"
            "    log.debug('system prompt: %s', SYSTEM_PROMPT)\n"
            "    log.info('%d messages so far', len(state['messages']))\n"
            "    return {'messages': [reply]}\n",
            path="agent/nodes.py",
            title="Presidio-masked reply, a constant system prompt, a message count",
        ),
        Example.of(
            "import logging\n"
            "from openai import OpenAI\n\n"
            "client = OpenAI(timeout=30)\n\n\n"
            "def test_reply_is_logged(caplog):\n"
            "    prompt = 'hello'\n"
            "    reply = client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': prompt}])\n"
            "    logging.getLogger().info(reply.choices[0].message.content)\n",
            path="tests/test_llm.py",
            title="Test code is not deployed",
        ),
    )
    invalid = (
        Example.of(
            "import logging\n"
            "from openai import AsyncOpenAI\n\n"
            "logger = logging.getLogger(__name__)\n"
            "client = AsyncOpenAI(timeout=30)\n\n\n"
            "async def chat_completion(prompt: str) -> str | None:\n"
            "    logger.info(f'Sending prompt: {prompt}')  # expect: AL501\n"
            "    completion = await client.chat.completions.create(messages=[{'role': 'user', 'content': prompt}], model='gpt-4o')\n"
            "    answer = completion.choices[0].message.content\n"
            "    logger.debug('answer: ' + answer[:200])  # expect: AL501\n"
            "    return answer\n",
            path="app/openai_client.py",
            title="A prompt parameter and a truncated reply (truncation is not masking)",
        ),
        Example.of(
            "from fastapi import FastAPI\n"
            "from langchain_openai import ChatOpenAI\n"
            "from opentelemetry import trace\n\n"
            "app = FastAPI()\n"
            "tracer = trace.get_tracer(__name__)\n"
            "llm = ChatOpenAI(model='gpt-4o', timeout=30)\n\n\n"
            "@app.post('/ask')\n"
            "async def ask(body: dict) -> dict:\n"
            "    messages = [('system', 'Answer briefly.'), ('human', body['question'])]\n"
            "    with tracer.start_as_current_span('llm') as span:\n"
            "        result = await llm.ainvoke(messages)\n"
            "        span.set_attribute('llm.output', result.content)  # expect: AL501\n"
            "    print('history:', messages, result.content)  # expect: AL501\n"
            "    return {'answer': result.content}\n",
            path="server.py",
            title="A span attribute and print() in a FastAPI handler (one finding per sink)",
        ),
    )
