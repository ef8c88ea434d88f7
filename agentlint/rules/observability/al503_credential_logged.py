from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.flows import DataFlow, SourceKind
from agentlint.model.project import Project
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule
from agentlint.rules.observability._dataflow import args, named, related, verb


class CredentialLogged(Rule):
    """An API key, token or password reaches a log or a trace.

    ## What it does
    Follows values through each Python function, as AL501 does, from credentials to a log or
    telemetry sink, and reports the sink. Credentials are the values of environment variables
    whose names say so (`os.environ["OPENAI_API_KEY"]`, `os.getenv("GITHUB_TOKEN")`,
    `os.environ.get("DB_PASSWORD")`: names ending in `_API_KEY`, `_TOKEN`, `_SECRET`,
    `_SECRET_KEY`, `_PASSWORD`, `_PRIVATE_KEY`, `_ACCESS_KEY`, but not `_MAX_TOKENS`), and
    parameters, variables, attributes and keys named `api_key`, `openai_api_key`,
    `access_token`, `client_secret`, `password`, `secret_key` (`settings.openai_api_key` too).
    Showing at most 8 characters (`key[:4]`, `key[-4:]`) is how keys are identified and is
    not reported; hashing is clean, and so is a test for presence (`bool(key)`,
    `key is not None`). Test modules are not reported.

    The item is P.2 of the readiness report ("PII is masked or redacted in traces and logs"):
    a credential is the most sensitive data a log can hold, and the same masking at the same
    sinks keeps both out.

    ## Why is this bad?
    Anyone who can read the logs or the trace store can then call the provider on the
    project's account (and bill), or reach the database. Logs are read by more people and
    kept longer than secrets managers allow, and a key in a log must be rotated.

    ## How to fix
    Never log the value: log whether it is set, or its last four characters. Rotate any key
    that has already been logged.
    """

    code = "AL503"
    name = "credential-logged"
    summary = "An API key, token or password reaches a log or trace"
    severity = Severity.ERROR
    checklist = Checklist.PII_MASKED
    entities = ("DataFlow",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        for flow in project.of(DataFlow):
            sources = flow.of(SourceKind.CREDENTIAL)
            if flow.test_code or not sources:
                continue
            yield self.violation(
                f"{flow.sink_call}(...) {verb(flow)} {named(sources)}: log whether it is set or its last 4 characters, "
                "and rotate it if it was logged",
                flow,
                args=args(flow, sources),
                related=related(flow, sources),
            )

    valid = (
        Example.of(
            "import logging\n"
            "import os\n"
            "from openai import OpenAI\n\n"
            "logger = logging.getLogger(__name__)\n"
            "api_key = os.environ['OPENAI_API_KEY']\n"
            "logger.info('OpenAI key set: %s, ends with %s', bool(api_key), api_key[-4:])\n"
            "logger.info('max tokens: %s', os.getenv('OPENAI_MAX_TOKENS'))\n"
            "client = OpenAI(api_key=api_key, timeout=30)\n",
            path="app/config.py",
            title="Presence and the last four characters; a setting that is not a secret",
        ),
    )
    invalid = (
        Example.of(
            "import logging\n"
            "import os\n"
            "from langchain_openai import ChatOpenAI\n\n"
            "logging.basicConfig(level=logging.INFO)\n\n\n"
            "def build_llm():\n"
            "    key = os.getenv('OPENAI_API_KEY')\n"
            "    logging.info(f'Using OpenAI key {key}')  # expect: AL503\n"
            "    return ChatOpenAI(model='gpt-4o', api_key=key, timeout=30)\n",
            path="agent/llm.py",
            title="An API key from the environment in a log line",
        ),
        Example.of(
            "from fastapi import FastAPI, Header\n"
            "from openai import OpenAI\n\n"
            "app = FastAPI()\n\n\n"
            "@app.get('/models')\n"
            "def models(x_api_key: str = Header(...)):\n"
            "    print('client key', x_api_key)  # expect: AL503\n"
            "    return OpenAI(api_key=x_api_key, timeout=30).models.list()\n",
            path="server.py",
            title="A key from a request header printed in a FastAPI server",
        ),
    )
