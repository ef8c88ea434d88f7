from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.clients import SettingState
from agentlint.model.project import Project
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class LLMClientTimeout(Rule):
    """An LLM client built or called in code without a request timeout.

    ## What it does
    Reports clients of the openai and anthropic SDKs (`OpenAI`, `AsyncOpenAI`, `AzureOpenAI`,
    `Anthropic`, Bedrock and Vertex variants), LangChain chat models (`ChatOpenAI`,
    `AzureChatOpenAI`, `ChatAnthropic`, `ChatGoogleGenerativeAI`, `init_chat_model`),
    `litellm.completion`/`acompletion` and `google.genai.Client` that set no timeout, or set
    it to `None` (which turns it off). The message quotes the library's default and the keyword
    that fixes it. A timeout the code does not state statically is a timeout: `timeout=cfg.t`,
    `**kwargs` (a spread of a local dict literal that nothing else touches is read like
    keywords), a custom `http_client`, a per-request `timeout=` on a call made through the
    client (`client.chat.completions.create(..., timeout=30)`, `with_options(timeout=30)`,
    `bind(timeout=30)`), and `litellm.request_timeout = 30` anywhere in the project are never
    reported. Clients in test modules (`tests/`, `test_*.py`, `conftest.py`) are not deployed
    and not reported.

    ## Why is this bad?
    The openai and anthropic SDKs wait 600 s per attempt by default and retry twice, so one
    stalled provider call can hold a request for half an hour; LangChain's `ChatOpenAI` and
    `ChatAnthropic` hand their SDK `timeout=None` unless told otherwise, so they wait without
    limit. An agent step that waits that long has already failed: a short, explicit timeout
    turns it into a fast, retryable error.
    """

    code = "AL304"
    name = "llm-client-timeout"
    summary = "LLM client without a request timeout"
    severity = Severity.WARNING
    checklist = Checklist.AGENT_TIMEOUTS
    entities = ("LLMClient", "ClientDefault")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        configured = {d.library for d in project.client_defaults if d.setting == "timeout"}
        for client in project.clients:
            timeout, info = client.timeout, client.info
            if timeout.state is SettingState.UNKNOWN or client.library in configured or client.test_code:
                continue
            if timeout.state is SettingState.ABSENT:
                yield self.violation(
                    f"{client.constructor}(...) has no timeout: {info.label} {info.default_timeout}; {info.fix}",
                    client,
                    args=(client.constructor, "unset"),
                )
            elif timeout.disabled:
                yield self.violation(
                    f"{client.constructor}({timeout.keyword}=None) turns the timeout off: requests wait without limit; {info.fix}",
                    client,
                    field="timeout",
                    args=(client.constructor, "none"),
                )

    valid = (
        Example.of(
            "import os\n"
            "from openai import OpenAI\n"
            "from langchain_anthropic import ChatAnthropic\n"
            "from app.settings import settings\n\n"
            "client = OpenAI(timeout=30, max_retries=2)\n"
            "judge = ChatAnthropic(model='claude-sonnet-4-5', timeout=float(os.getenv('LLM_TIMEOUT', '45')))\n"
            "summariser = ChatAnthropic(model='claude-haiku-4-5', timeout=settings.llm_timeout)\n\n\n"
            "def build(**model_kwargs):\n"
            "    return OpenAI(**model_kwargs)\n",
            path="app.py",
            title="Timeouts from literals, the environment, settings and keyword arguments",
        ),
        Example.of(
            "import litellm\n"
            "from anthropic import AsyncAnthropic\n"
            "from google import genai\n"
            "from google.genai import types\n\n"
            "litellm.request_timeout = 60\n"
            "claude = AsyncAnthropic()\n"
            "gemini = genai.Client(http_options=types.HttpOptions(timeout=30_000))\n\n\n"
            "async def answer(question: str) -> str:\n"
            "    reply = await claude.messages.create(model='claude-sonnet-4-5', max_tokens=512,\n"
            "                                         messages=[{'role': 'user', 'content': question}], timeout=20)\n"
            "    litellm.completion(model='gpt-4o-mini', messages=[{'role': 'user', 'content': question}])\n"
            "    return reply.content[0].text\n",
            path="app.py",
            title="A per-request timeout, litellm's global setting, google-genai milliseconds",
        ),
    )
    invalid = (
        Example.of(
            "import openai as oa\n"
            "from langchain_openai import ChatOpenAI\n\n"
            "client = oa.OpenAI()  # expect: AL304\n\n\n"
            "def planner():\n"
            "    return ChatOpenAI(model='gpt-4o', temperature=0)  # expect: AL304\n",
            path="app.py",
            title="The openai SDK default (600 s) and ChatOpenAI (no limit)",
        ),
        Example.of(
            "from anthropic import Anthropic\n"
            "from litellm import completion\n\n"
            "claude = Anthropic(timeout=None)  # expect: AL304\n"
            "reply = completion(model='gpt-4o-mini', messages=[])  # expect: AL304\n",
            path="agent.py",
            title="A timeout turned off, and a litellm call on its global default",
        ),
    )
