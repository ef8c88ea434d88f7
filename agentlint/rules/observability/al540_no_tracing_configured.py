from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.entities import Located
from agentlint.model.project import Project
from agentlint.model.telemetry import TracingSetup
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule

# Agents written in code, whose tracing the project itself must set up. Flow platforms
# (Langflow, Dify, n8n, Flowise) trace on the platform; the OpenAI Agents SDK traces by default.
_CODE_FRAMEWORKS = frozenset({"langgraph", "crewai", "adk", "autogen"})
# Pinned packages that trace (or that a launcher or environment may turn on without code):
# with one of them installed, tracing may be set up where the project's files do not show it.
_TRACING_PACKAGES = ("opentelemetry-", "langfuse", "traceloop-sdk", "openlit", "arize-phoenix", "openinference-", "logfire",
                     "mlflow", "ddtrace", "agentops", "weave", "braintrust", "lmnr", "opik", "sentry-sdk")


def _tracing_package(package: str) -> bool:
    return any(package == name or (name.endswith("-") and package.startswith(name)) for name in _TRACING_PACKAGES)


class NoTracingConfigured(Rule):
    """The project builds agents or LLM clients in code but sets up no tracing anywhere.

    ## What it does
    Looks for any tracing set-up in the whole project: in code (an OpenTelemetry
    `TracerProvider` or `trace.set_tracer_provider`, an instrumentor's `.instrument()`,
    `Langfuse()`/`get_client()`/`@observe`/`langfuse.openai`/the Langfuse `CallbackHandler`,
    `Traceloop.init`, `openlit.init`, Phoenix `register`, `logfire.configure`, `mlflow.*.autolog`,
    LangSmith `@traceable`/`wrap_openai`, OpenAI Agents trace processors) or in the environment
    the project deploys with (`.env`, compose, Kubernetes: `LANGSMITH_TRACING=true`,
    `OTEL_EXPORTER_OTLP_ENDPOINT`, `LANGFUSE_PUBLIC_KEY` …). When there is none and the project
    defines agents in code (LangGraph, CrewAI, ADK, AutoGen) or builds LLM clients outside tests,
    it reports once, at the first agent or client. Only projects that pin their dependencies
    (`requirements.txt` with `==`, a lockfile) are judged, and only when no pinned package traces
    (`opentelemetry-*`, `langfuse`, `traceloop-sdk`, `openlit`, `arize-phoenix`,
    `openinference-*`, `logfire`, `mlflow`, `ddtrace` …): what an unpinned project installs is
    unknown, and an installed tracer may be turned on by a launcher (`opentelemetry-instrument`)
    or the platform's environment. Flow platforms (Langflow, Dify, n8n,
    Flowise) trace on the platform and the OpenAI Agents SDK traces by default: they are not
    reported.

    ## Why is this bad?
    An agent that fails in production without traces leaves only its final answer: which step
    looped, which tool returned what, which prompt the model saw and how many tokens each call
    cost cannot be reconstructed. Tracing has to be in place before the incident it would
    explain.

    ## How to fix
    Set up one tracer for the process (OpenTelemetry with a GenAI instrumentor, Langfuse,
    LangSmith, Traceloop, OpenLIT, Phoenix …), or turn on the framework's tracing through the
    environment (`LANGSMITH_TRACING=true`, `OTEL_EXPORTER_OTLP_ENDPOINT` with the
    `opentelemetry-instrument` launcher).
    """

    code = "AL540"
    name = "no-tracing-configured"
    summary = "Agents or LLM clients without any tracing set-up"
    severity = Severity.INFO
    checklist = Checklist.TRACING_CONFIGURED
    entities = ("Agent", "LLMClient", "TracingSetup")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        if project.of(TracingSetup) or not project.pins or any(_tracing_package(p) for p in project.pins):
            return  # no dependency pins: what is installed (a tracer, a launcher) is unknown
        if any(agent.framework == "openai-agents" for agent in project.agents()):
            return  # the Agents SDK traces every run unless told not to
        candidates: list[tuple[str, Located]] = [  # a step that sets nothing (a flow method, a graph node) is no agent
            (f"agent {agent.name!r} ({agent.framework})", agent)
            for agent in project.agents()
            if agent.framework in _CODE_FRAMEWORKS and agent.settable != frozenset()
        ]
        candidates += [(f"{client.constructor}(...)", client) for client in project.clients if not client.test_code]
        if not candidates:
            return
        label, first = min(candidates, key=lambda item: (item[1].ref.path, item[1].span.start.line, item[1].span.start.column))
        others = len(candidates) - 1
        more = f" and {others} more agent{'s' if others != 1 else ''} or client{'s' if others != 1 else ''}" if others else ""
        yield self.violation(
            f"{label}{more}, but no tracing is set up in code or in the environment: agent runs leave no trace; "
            "set up OpenTelemetry with a GenAI instrumentor, Langfuse, LangSmith or another tracer",
            first,
            args=("project",),
        )

    valid = (
        Example(
            (
                ("app.py",
                 "from openai import OpenAI\n"
                 "from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor\n\n"
                 "OpenAIInstrumentor().instrument()\n"
                 "client = OpenAI(timeout=30)\n"),
                ("requirements.txt", "openai==1.99.9\n"),
            ),
            title="An OpenTelemetry GenAI instrumentor",
        ),
        Example(
            (
                ("agent/graph.py",
                 "from langchain_openai import ChatOpenAI\n"
                 "from langgraph.prebuilt import create_react_agent\n\n"
                 "model = ChatOpenAI(model='gpt-4o', timeout=30)\n"
                 "graph = create_react_agent(model, tools=[])\n"),
                ("agent/tracing.py",
                 "from langfuse import get_client\n"
                 "from langfuse.langchain import CallbackHandler\n\n"
                 "langfuse = get_client()\n"
                 "handler = CallbackHandler()\n"),
                ("requirements.txt", "langgraph==0.6.7\nlangchain-openai==0.3.33\n"),
            ),
            title="Langfuse set up in another module of the project",
        ),
        Example(
            (
                ("app.py", "from openai import OpenAI\n\nclient = OpenAI(timeout=30)\n"),
                ("requirements.txt", "openai==1.99.9\nopentelemetry-distro==0.57b0\n"),
            ),
            title="A pinned tracer the launcher or the platform may turn on",
        ),
        Example.of(
            "from openai import OpenAI\n\nclient = OpenAI(timeout=30)\n",
            path="app.py",
            title="No pinned dependencies: what is installed is unknown",
        ),
    )
    invalid = (
        Example(
            (
                ("app.py",
                 "from openai import OpenAI\n\n"
                 "client = OpenAI(timeout=30)  # expect: AL540\n\n\n"
                 "def answer(question: str) -> str:\n"
                 "    reply = client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': question}])\n"
                 "    return reply.choices[0].message.content\n"),
                ("requirements.txt", "openai==1.99.9\nfastapi==0.116.1\n"),
            ),
            title="An OpenAI client, pinned dependencies, and no tracer anywhere",
        ),
    )
