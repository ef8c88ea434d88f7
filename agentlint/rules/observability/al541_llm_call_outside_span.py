from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.instrumentation import LLMCall, ManualSpan, records_llm_calls
from agentlint.model.project import Project
from agentlint.model.telemetry import TracingSetup
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class LLMCallOutsideSpan(Rule):
    """A function traces its steps by hand but makes an LLM call outside every span.

    ## What it does
    In a function (or module body) that opens spans itself (`with
    tracer.start_as_current_span(...)`, `tracer.start_span`, Langfuse
    `start_as_current_span`/`start_as_current_generation`), reports each LLM call made outside
    all of them: a request through a client the module builds (`client.chat.completions.create`,
    `client.messages.create`, `llm.invoke`), the openai module client or `litellm.completion`.
    The related location is one of the function's spans. A call inside a function decorated with
    a span (`@tracer.start_as_current_span(...)`, Langfuse `@observe`, LangSmith `@traceable`) is
    in a span. Nothing is reported when anything in the project records LLM calls by itself: an
    instrumentor's `.instrument()`, Traceloop, OpenLIT, `langfuse.openai`, a Langfuse or LangSmith
    callback, Phoenix, Logfire, MLflow autolog, or any tracing turned on through the environment.

    ## Why is this bad?
    The LLM call is the step a trace exists for: its latency, model, prompt size and token cost.
    When the steps around it have spans and it has none, its time is folded into the parent (or
    into nothing), and a slow or failing model call cannot be told apart from the code around it.

    ## How to fix
    Wrap the call in its own span (`with tracer.start_as_current_span("chat gpt-4o") as span:`)
    and record the GenAI attributes on it, or install the library's instrumentor
    (`OpenAIInstrumentor().instrument()`), which gives every call a span.
    """

    code = "AL541"
    name = "llm-call-outside-span"
    summary = "LLM call outside the spans its function opens"
    severity = Severity.INFO
    checklist = Checklist.SPANS_PER_STEP
    entities = ("LLMCall", "ManualSpan", "TracingSetup")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        if any(records_llm_calls(setup) for setup in project.of(TracingSetup)):
            return
        spans: dict[tuple[str, str], ManualSpan] = {}
        for span in project.of(ManualSpan):
            if not span.decorator:
                spans.setdefault((span.ref.path, span.function), span)
        for call in project.of(LLMCall):
            if call.in_span or not call.sibling_spans or call.test_code:
                continue
            where = "the module body" if call.function == "<module>" else f"{call.function}()"
            sibling = spans.get((call.ref.path, call.function))
            related = (sibling.location(note=f"span {sibling.name!r}" if sibling.name else "a span of the same function"),) if sibling else ()
            plural = "s" if call.sibling_spans != 1 else ""
            yield self.violation(
                f"{call.call}(...) runs outside any span while {where} opens {call.sibling_spans} span{plural} for its other steps: "
                "the LLM call has no span of its own; wrap it in one or install the library's instrumentor",
                call,
                args=(call.function, call.call),
                related=related,
            )

    valid = (
        Example.of(
            "from openai import OpenAI\n"
            "from opentelemetry import trace\n\n"
            "client = OpenAI(timeout=30)\n"
            "tracer = trace.get_tracer(__name__)\n\n\n"
            "def answer(question: str) -> str:\n"
            "    with tracer.start_as_current_span('retrieve'):\n"
            "        context = question.strip()\n"
            "    with tracer.start_as_current_span('chat gpt-4o-mini'):\n"
            "        reply = client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': context}])\n"
            "    return reply.choices[0].message.content\n",
            path="app.py",
            title="Every step, the LLM call included, has a span",
        ),
        Example.of(
            "from openai import OpenAI\n"
            "from opentelemetry import trace\n"
            "from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor\n\n"
            "OpenAIInstrumentor().instrument()\n"
            "client = OpenAI(timeout=30)\n"
            "tracer = trace.get_tracer(__name__)\n\n\n"
            "def answer(question: str) -> str:\n"
            "    with tracer.start_as_current_span('retrieve'):\n"
            "        context = question.strip()\n"
            "    reply = client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': context}])\n"
            "    return reply.choices[0].message.content\n",
            path="app.py",
            title="The instrumentor gives the LLM call its span",
        ),
    )
    invalid = (
        Example.of(
            "from anthropic import Anthropic\n"
            "from opentelemetry import trace\n\n"
            "claude = Anthropic(timeout=30)\n"
            "tracer = trace.get_tracer(__name__)\n\n\n"
            "def answer(question: str) -> str:\n"
            "    with tracer.start_as_current_span('retrieve') as span:\n"
            "        span.set_attribute('retrieval.query_length', len(question))\n"
            "        context = question.strip()\n"
            "    reply = claude.messages.create(  # expect: AL541\n"
            "        model='claude-sonnet-4-5', max_tokens=512, messages=[{'role': 'user', 'content': context}]\n"
            "    )\n"
            "    with tracer.start_as_current_span('postprocess'):\n"
            "        return reply.content[0].text\n",
            path="app.py",
            title="Retrieval and post-processing are traced, the model call is not",
        ),
    )
