from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.project import Project
from agentlint.model.source import Span
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class LiteralApiKey(Rule):
    """An LLM client in code given a literal API key.

    ## What it does
    Reports the string literal that an LLM client built or called in Python code takes as its
    key (`api_key=`, `openai_api_key=`, `anthropic_api_key=`, `google_api_key=`): written in
    the call, bound to a constant the call names, wrapped in `SecretStr(...)`, or written as the
    default of `os.getenv("OPENAI_API_KEY", "sk-...")` / `os.environ.get(...)`, which is used
    whenever the variable is unset (also when the constant holding it is imported by the module
    that builds the client). Keys set for every client of the process are reported too:
    `openai.api_key = "sk-..."`, `litellm.api_key = ...` and `os.environ["OPENAI_API_KEY"] =
    "sk-..."` in a module that uses an LLM library. Detection is the one AL202 uses for MCP
    configurations: known key formats (`sk-`, `sk-ant-`, `AIza`, …) or a random-looking value;
    placeholders (`"sk-..."`, `"your-api-key"`, `"EMPTY"`, `"ollama"`) are not reported. The
    finding points at the literal and names the kind of key, never the key. Test modules are
    checked too: a real key in a test is leaked all the same.

    ## Why is this bad?
    Source code is committed, forked, vendored and pasted into issues: a key in it is a leaked
    key, billable by whoever finds it. Read the key from the environment or a secret store with
    no literal fallback (`os.environ["OPENAI_API_KEY"]`, or leave `api_key` out: the SDKs read
    their variable themselves) and rotate any key that was committed.
    """

    code = "AL222"
    name = "literal-api-key"
    summary = "LLM client in code with a literal API key"
    severity = Severity.ERROR
    checklist = Checklist.TOOLS_LEAST_PRIVILEGE
    entities = ("LLMClient", "ClientDefault")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        seen: set[tuple[str, Span]] = set()
        for client in project.clients:
            key = client.api_key
            if key is None or (client.ref.path, key.span) in seen:
                continue  # one finding per literal, however many clients use it
            seen.add((client.ref.path, key.span))
            if key.via_default:
                where = "the os.getenv default" + (f" for {key.via_default}" if key.via_default != "?" else "")
            else:
                where = "its API key"
            yield self.violation(
                f"{client.constructor}(...): {where} is a literal {key.kind} in the code; "
                "read it from the environment without a literal fallback, and rotate the key",
                Location(client.ref.path, key.span),
                ref=client.ref.child("api_key"),
                args=(client.constructor,),
                masked=True,
            )
        for setting in project.client_defaults:
            key = setting.api_key
            if key is None or (setting.ref.path, key.span) in seen:
                continue
            seen.add((setting.ref.path, key.span))
            if key.via_default:
                message = (
                    f"{setting.target}: the os.getenv default for {key.via_default} is a literal {key.kind} in the code; "
                    "read it from the environment without a literal fallback, and rotate the key"
                )
            else:
                message = (
                    f"{setting.target} is assigned a literal {key.kind} in the code; "
                    "set it in the deployment's environment instead, and rotate the key"
                )
            yield self.violation(
                message,
                Location(setting.ref.path, key.span),
                ref=setting.ref,
                args=(setting.target,),
                masked=True,
            )

    valid = (
        Example.of(
            "import os\n"
            "from openai import OpenAI\n"
            "from langchain_openai import ChatOpenAI\n"
            "from app.config import settings\n\n"
            "client = OpenAI(timeout=30)  # reads OPENAI_API_KEY itself\n"
            "named = OpenAI(api_key=os.environ['OPENAI_API_KEY'], timeout=30)\n"
            "fallback = OpenAI(api_key=os.getenv('OPENAI_API_KEY', ''), timeout=30)\n"
            "local = OpenAI(base_url='http://localhost:11434/v1', api_key='ollama', timeout=30)\n"
            "vllm = ChatOpenAI(model='qwen', base_url='http://vllm:8000/v1', api_key='EMPTY', timeout=30)\n"
            "docs = ChatOpenAI(model='gpt-4o', api_key='sk-...', timeout=30)\n"
            "configured = ChatOpenAI(model='gpt-4o', api_key=settings.openai_api_key, timeout=30)\n",
            path="app.py",
            title="Keys from the environment or settings, local servers, placeholders",
        ),
    )
    invalid = (
        Example.of(
            "import os\n"
            "from anthropic import Anthropic\n"
            "from openai import OpenAI\n\n"
            "OPENAI_KEY = 'sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS'  # expect: AL222\n"
            "client = OpenAI(api_key=OPENAI_KEY, timeout=30)\n"
            "backup = OpenAI(api_key=OPENAI_KEY, timeout=30)\n"
            "claude = Anthropic(\n"
            "    api_key=os.getenv('ANTHROPIC_API_KEY', 'sk-ant-api03-Zk4vQ9mT2wR7pL5nB8xC3yD6fG1hJ0sKaE'),  # expect: AL222\n"
            "    timeout=30,\n"
            ")\n",
            path="app.py",
            title="A key in a constant used twice, and one as an os.getenv default",
        ),
        Example.of(
            "import os\n"
            "import openai\n"
            "from langchain_openai import ChatOpenAI\n\n"
            "os.environ['OPENAI_API_KEY'] = 'sk-proj-Wm3nB8vC2xZ7kL4pQ9rT5yU1iO6aS0dF'  # expect: AL222\n"
            "openai.api_key = 'sk-proj-Wm3nB8vC2xZ7kL4pQ9rT5yU1iO6aS0dF'  # expect: AL222\n"
            "os.environ['LANGSMITH_PROJECT'] = 'research-agent'\n"
            "llm = ChatOpenAI(model='gpt-4o', timeout=30)\n",
            path="notebook_export.py",
            title="Keys set for the whole process",
        ),
    )
