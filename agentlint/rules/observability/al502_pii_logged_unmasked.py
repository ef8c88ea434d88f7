from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.flows import DataFlow, SourceKind
from agentlint.model.project import Project
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule
from agentlint.rules.observability._dataflow import args, named, related, verb


class PiiLoggedUnmasked(Rule):
    """Personal data or raw user input reaches a log or a trace unmasked.

    ## What it does
    Follows values through each Python function, as AL501 does, from personal data and raw
    user input to a log or telemetry sink, and reports the sink. Personal data is named so:
    `email`, `user_email`, `phone`, `phone_number`, `ssn`, `date_of_birth`, `card_number`,
    `iban`, `passport` (parameters, variables, attributes, keys such as `data["email"]`).
    Raw user input is what a web handler receives: parameters of FastAPI/Flask route handlers
    (but `Depends`/`Security` ones, `Request` objects and numbers), Flask's
    `request.json/form/args/data`, `await request.json()`, and names such as `user_input`,
    `user_message`, `user_query`, `question` (a bare `query` is as often SQL or a
    search the model wrote: not a source). When the same sink also
    logs a prompt or a completion, AL501 reports it and names the user input; this rule then
    stays silent, so one log line is one finding.

    Metadata is clean (`req.session_id`, `user.id`, counts, lengths), and so is anything
    hashed, masked, redacted, anonymized (Presidio) or counted (`len()`). Truncation is not
    masking. Test modules are not reported.

    ## Why is this bad?
    Logs and traces outlive requests and travel: to log shippers, SaaS backends, dashboards
    and support tickets, read by people who have no business seeing customers' contact
    details or what they typed. Personal data in them falls under GDPR/CCPA retention and
    erasure duties that logs can rarely honour.

    ## How to fix
    Log an identifier instead of the person (`user.id`, a salted hash of the email), or mask
    the value (Presidio, a redaction helper) before it reaches the sink; for traces, mask in
    the SDK or the Collector.
    """

    code = "AL502"
    name = "pii-logged-unmasked"
    summary = "Personal data or raw user input reaches a log or trace unmasked"
    severity = Severity.WARNING
    checklist = Checklist.PII_MASKED
    entities = ("DataFlow",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        for flow in project.of(DataFlow):
            if flow.test_code:
                continue
            if flow.of(SourceKind.PROMPT, SourceKind.COMPLETION):
                sources = flow.of(SourceKind.PII)  # user input is named by AL501
            else:
                sources = flow.of(SourceKind.PII, SourceKind.USER_INPUT)
            if not sources:
                continue
            yield self.violation(
                f"{flow.sink_call}(...) {verb(flow)} {named(sources)} unmasked: log an id or a hash, or mask it first",
                flow,
                args=args(flow, sources),
                related=related(flow, sources),
            )

    valid = (
        Example.of(
            "import hashlib\n"
            "import logging\n"
            "from fastapi import Depends, FastAPI\n"
            "from openai import OpenAI\n"
            "from pydantic import BaseModel\n\n"
            "from app.auth import current_user\n\n"
            "logger = logging.getLogger(__name__)\n"
            "app = FastAPI()\n"
            "client = OpenAI(timeout=30)\n\n\n"
            "class Signup(BaseModel):\n"
            "    email: str\n"
            "    session_id: str\n\n\n"
            "@app.post('/signup')\n"
            "def signup(body: Signup, limit: int = 10, user=Depends(current_user)):\n"
            "    logger.info('signup session=%s user=%s limit=%d', body.session_id, user.id, limit)\n"
            "    logger.info('email hash %s', hashlib.sha256(body.email.encode()).hexdigest())\n"
            "    return {'ok': True}\n",
            path="app/api.py",
            title="Ids, numbers and a hash of the email",
        ),
        Example.of(
            "import logging\n"
            "from openai import OpenAI\n\n"
            "from app.privacy import mask_pii\n\n"
            "log = logging.getLogger(__name__)\n"
            "client = OpenAI(timeout=30)\n\n\n"
            "def notify(user_email: str, question: str) -> None:\n"
            "    log.info('question from %s: %s', mask_pii(user_email), mask_pii(question))\n"
            "    email_subject = 'Your answer is ready'\n"
            "    log.info('sending %r (%d chars)', email_subject, len(question))\n",
            path="app/notify.py",
            title="Masked values, a subject line that is not an email address",
        ),
    )
    invalid = (
        Example.of(
            "import logging\n"
            "from flask import Flask, request\n"
            "from openai import OpenAI\n\n"
            "app = Flask(__name__)\n"
            "client = OpenAI(timeout=30)\n\n\n"
            "@app.route('/chat', methods=['POST'])\n"
            "def chat():\n"
            "    data = request.get_json()\n"
            "    user_input = data.get('message', '')\n"
            "    app.logger.info(f'Received: {user_input}')  # expect: AL502\n"
            "    return {'ok': True}\n",
            path="app.py",
            title="A Flask request body in a log line",
        ),
        Example.of(
            "import structlog\n"
            "from langchain_openai import ChatOpenAI\n\n"
            "log = structlog.get_logger()\n"
            "llm = ChatOpenAI(model='gpt-4o', timeout=30)\n\n\n"
            "def register(customer: dict) -> None:\n"
            "    phone_number = customer['phone']\n"
            "    log.info('customer registered', email=customer['email'], phone=phone_number)  # expect: AL502\n",
            path="crm/register.py",
            title="Two kinds of personal data as structlog keywords: one finding",
        ),
    )
