from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.telemetry import Concern
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule
from agentlint.rules.observability._switches import violations


class DebugLoggingEnabled(Rule):
    """LLM client libraries logging at debug level, which writes request and response bodies.

    ## What it does
    Reports debug logging switched on for the libraries that carry prompts:
    `logging.basicConfig(level=logging.DEBUG)` in code that calls openai, anthropic, httpx or
    litellm, `setLevel(DEBUG)` on their loggers, `litellm.set_verbose = True`, LangChain
    `set_debug(True)`/`set_verbose(True)`, and the environment switches `OPENAI_LOG=debug` and
    `LITELLM_LOG=DEBUG` in env files, compose services, manifests, Dockerfiles and workflows.
    Values in templates (`.env.example`) are recommendations: info.

    ## Why is this bad?
    At debug level these libraries log each HTTP request and response: the full message list
    sent to the model, the completion, and with some versions the request headers. Logs are
    shipped, indexed and kept far longer than anyone reads them, by systems that were never
    meant to hold user content. A debug switch left on for troubleshooting turns every
    production conversation into a log line.

    ## How to fix
    Keep the root logger at `INFO` or above and set the LLM libraries' loggers to `WARNING`
    (`logging.getLogger("openai").setLevel(logging.WARNING)`); remove `set_verbose`/
    `set_debug` and the `*_LOG=debug` variables from deployed configuration.
    """

    code = "AL511"
    name = "debug-logging-enabled"
    summary = "LLM library debug logging (request bodies in logs)"
    severity = Severity.WARNING
    checklist = Checklist.PROMPTS_NOT_LOGGED_RAW
    entities = ("TelemetrySwitch",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        return violations(
            self, project, Concern.DEBUG_LOGGING, "logs request and response bodies, prompts included",
            "log these libraries at WARNING in deployed code",
        )

    valid = (
        Example.of(
            "import logging\n"
            "from openai import OpenAI\n\n"
            "logging.basicConfig(level=logging.INFO)\n"
            "logging.getLogger('openai').setLevel(logging.WARNING)\n"
            "client = OpenAI(timeout=30)\n",
            path="app.py",
            title="INFO for the application, WARNING for the SDK",
        ),
    )
    invalid = (
        Example.of(
            "import logging\n"
            "from openai import OpenAI\n\n"
            "logging.basicConfig(level=logging.DEBUG)  # expect: AL511\n"
            "client = OpenAI(timeout=30)\n",
            path="app.py",
            title="The root logger at DEBUG next to the openai SDK",
        ),
        Example.of(
            "OPENAI_LOG=debug  # expect: AL511\n",
            path=".env",
            title="The openai SDK's own debug switch",
        ),
    )
