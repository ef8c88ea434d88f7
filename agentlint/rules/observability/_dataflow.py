"""Messages shared by AL501-AL503: what a sink does with the data, and the sources named."""

from __future__ import annotations

from agentlint.findings import Location
from agentlint.model.flows import DataFlow, FlowSource, SinkKind

_VERBS = {
    SinkKind.LOG: "logs",
    SinkKind.PRINT: "prints to the server's log (stdout)",
    SinkKind.SPAN_ATTRIBUTE: "records in a span attribute",
    SinkKind.SPAN_EVENT: "records in a span event",
    SinkKind.OBSERVATION: "sends to the trace store",
    SinkKind.FILE: "writes to a conversation log file",
}


def verb(flow: DataFlow) -> str:
    return _VERBS[flow.sink]


def named(sources: tuple[FlowSource, ...]) -> str:
    """``the prompt `prompt` (parameter, line 4) and the completion `…` (reply, line 9)``."""
    parts = [s.describe() for s in sources]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def related(flow: DataFlow, sources: tuple[FlowSource, ...]) -> tuple[Location, ...]:
    return tuple(s.location(flow.ref.path) for s in sources)


def args(flow: DataFlow, sources: tuple[FlowSource, ...]) -> tuple[str, ...]:
    return (flow.sink_call, *(s.what for s in sources))
