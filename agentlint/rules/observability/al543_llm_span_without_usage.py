from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.instrumentation import ManualSpan, is_usage_attribute, records_llm_calls
from agentlint.model.project import Project
from agentlint.model.telemetry import TracingSetup
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class LLMSpanWithoutUsage(Rule):
    """A span written around an LLM call records attributes, but no token usage.

    ## What it does
    Reports an OpenTelemetry span opened by hand (`with tracer.start_as_current_span(...) as
    span:` or `tracer.start_span`) whose block makes an LLM call and writes attributes on the
    span (`span.set_attribute("k", v)`, `span.set_attributes({...})`), none of them token usage:
    no key naming usage or tokens (`gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`,
    `llm.token_count.prompt`, `usage`). Reported only when the span's attributes are all known:
    every key is a literal, and the span object goes nowhere else (not passed to a helper that
    may record usage), and no call in the block names telemetry (`record_usage(reply)`,
    `track_tokens(...)`, `trace.get_current_span()`: it may write on the span). Nothing is reported when an
    instrumentor or another tracer in the project records the LLM call itself (its own span
    carries the usage).

    ## Why is this bad?
    Token counts are what an LLM call costs and what a context-window failure looks like before
    it happens. A span that records the model name but not the usage shows where time went but
    not where money went; cost per request, per user and per agent step cannot be summed from
    the traces.

    ## How to fix
    Record the response's usage on the span: `span.set_attribute("gen_ai.usage.input_tokens",
    reply.usage.prompt_tokens)` and `gen_ai.usage.output_tokens` (OpenTelemetry GenAI semantic
    conventions), or install the library's GenAI instrumentor.
    """

    code = "AL543"
    name = "llm-span-without-usage"
    summary = "LLM span records attributes but no token usage"
    severity = Severity.INFO
    checklist = Checklist.TOKEN_ATTRIBUTES
    entities = ("ManualSpan", "TracingSetup")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        if any(records_llm_calls(setup) for setup in project.of(TracingSetup)):
            return
        for span in project.of(ManualSpan):
            if span.test_code or not span.llm_calls or not span.attributes_known or not span.attributes:
                continue
            if any(is_usage_attribute(key) for key in span.attributes):
                continue
            label = f"span {span.name!r}" if span.name else "this span"
            written = ", ".join(span.attributes[:3]) + (" …" if len(span.attributes) > 3 else "")
            yield self.violation(
                f"{label} wraps an LLM call and records {written} but no token usage: "
                "set gen_ai.usage.input_tokens and gen_ai.usage.output_tokens from the response",
                span,
                args=(span.function, span.name),
            )

    valid = (
        Example.of(
            "from openai import OpenAI\n"
            "from opentelemetry import trace\n\n"
            "client = OpenAI(timeout=30)\n"
            "tracer = trace.get_tracer(__name__)\n\n\n"
            "def answer(question: str) -> str:\n"
            "    with tracer.start_as_current_span('chat gpt-4o-mini') as span:\n"
            "        span.set_attribute('gen_ai.request.model', 'gpt-4o-mini')\n"
            "        reply = client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': question}])\n"
            "        span.set_attributes({\n"
            "            'gen_ai.usage.input_tokens': reply.usage.prompt_tokens,\n"
            "            'gen_ai.usage.output_tokens': reply.usage.completion_tokens,\n"
            "        })\n"
            "    return reply.choices[0].message.content\n",
            path="app.py",
            title="Usage recorded from the response",
        ),
        Example.of(
            "from openai import OpenAI\n"
            "from opentelemetry import trace\n\n"
            "from app.telemetry import record_usage\n\n"
            "client = OpenAI(timeout=30)\n"
            "tracer = trace.get_tracer(__name__)\n\n\n"
            "def answer(question: str) -> str:\n"
            "    with tracer.start_as_current_span('chat') as span:\n"
            "        span.set_attribute('gen_ai.request.model', 'gpt-4o-mini')\n"
            "        reply = client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': question}])\n"
            "        record_usage(span, reply)\n"
            "    return reply.choices[0].message.content\n",
            path="app.py",
            title="A helper receives the span: its attributes are unknown",
        ),
    )
    invalid = (
        Example.of(
            "from openai import OpenAI\n"
            "from opentelemetry import trace\n\n"
            "client = OpenAI(timeout=30)\n"
            "tracer = trace.get_tracer(__name__)\n\n\n"
            "def answer(question: str) -> str:\n"
            "    with tracer.start_as_current_span('chat gpt-4o-mini') as span:  # expect: AL543\n"
            "        span.set_attribute('gen_ai.request.model', 'gpt-4o-mini')\n"
            "        reply = client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': question}])\n"
            "        span.set_attribute('gen_ai.response.id', reply.id)\n"
            "    return reply.choices[0].message.content\n",
            path="app.py",
            title="Model and response id, no usage",
        ),
    )
