"""Data flows into logs and telemetry, as facts (issue 10, point 1).

The Python flow adapter (``adapters/python_flows.py``) records each flow it can see from a
*source* (prompt or conversation content, a completion, raw user input, personal data, a
credential) to a *sink* (a log call, ``print`` in server code, a span attribute or event, a
trace-store observation, a conversation-log file) inside one function. Only flows that reach
the sink **unsanitized** are emitted: a value that passed through hashing, masking, redaction,
Presidio, ``len()`` or a token count carries no source any more, so there is nothing to
record. Truncation (``prompt[:100]``) is not sanitizing and keeps the source. The AL5xx rules
decide which flows are findings (by source kind); nothing here reads files.

One sink call is one :class:`DataFlow` with every source that reaches it, so that a log line
carrying two prompts is one finding naming both.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from agentlint.findings import Location
from agentlint.model.entities import Located
from agentlint.model.source import Span


class SourceKind(enum.Enum):
    PROMPT = "prompt"  # prompt or conversation content (``prompt``, ``messages``, ``state["messages"]``)
    COMPLETION = "completion"  # what an LLM call or agent run returns
    USER_INPUT = "user input"  # raw input entering a handler (request bodies, FastAPI/Flask parameters)
    PII = "personal data"  # email, phone number, SSN, card number …
    CREDENTIAL = "credential"  # API keys, tokens, passwords (``os.environ["OPENAI_API_KEY"]``)


class SinkKind(enum.Enum):
    LOG = "log"  # logging / logger.* / structlog / loguru
    PRINT = "print"  # print() in server code (stdout is the server's log)
    SPAN_ATTRIBUTE = "span attribute"  # span.set_attribute(s)
    SPAN_EVENT = "span event"  # span.add_event(..., attributes=)
    OBSERVATION = "observation"  # Langfuse/LangSmith/MLflow inputs and outputs
    FILE = "file"  # a conversation log file (open(...).write, json.dump to it)


@dataclass(frozen=True, slots=True)
class FlowSource:
    """Where a sensitive value comes from. ``what`` is the source as written (``prompt``,
    ``os.environ["OPENAI_API_KEY"]``, ``client.chat.completions.create(...)``); ``how`` says
    why it counts ("parameter", "reply of", "request body" …); ``through`` the variables it
    passed through on its way to the sink, oldest first (at most a few)."""

    kind: SourceKind
    what: str
    span: Span
    how: str = ""
    through: tuple[str, ...] = ()

    def describe(self) -> str:
        """``the prompt `prompt` (parameter, line 4)``, ``the completion
        `client.chat.completions.create(...)` (reply, via response → answer, line 9)``."""
        notes = [self.how] if self.how else []
        if self.through:
            notes.append("via " + " → ".join(self.through))
        notes.append(f"line {self.span.start.line}")
        return f"the {self.kind.value} `{self.what}` ({', '.join(notes)})"

    def location(self, path: str) -> Location:
        return Location(path, self.span, f"{self.kind.value}: {self.what}")


@dataclass(frozen=True, slots=True)
class DataFlow(Located):
    """Sensitive values reaching one sink call unsanitized. ``span`` is the sink call;
    ``fields`` holds ``("argument", span)`` of the first argument that carries a source.
    ``sink_call`` is the callee as written (``logger.info``, ``span.set_attribute``)."""

    sink: SinkKind
    sink_call: str
    sources: tuple[FlowSource, ...]
    test_code: bool = False

    def of(self, *kinds: SourceKind) -> tuple[FlowSource, ...]:
        return tuple(s for s in self.sources if s.kind in kinds)
