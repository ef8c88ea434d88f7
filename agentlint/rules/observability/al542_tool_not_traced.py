from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.instrumentation import ManualSpan, ToolFunction, records_llm_calls
from agentlint.model.project import Project
from agentlint.model.telemetry import TracingSetup
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class ToolNotTraced(Rule):
    """Tools defined in a module that traces by hand run without a span.

    ## What it does
    In a module that opens spans itself (`with tracer.start_as_current_span(...)`, a span
    decorator, Langfuse `@observe`, LangSmith `@traceable`), reports the tools it defines with
    LangChain `@tool` or `@mcp.tool()` on a `FastMCP` server whose function neither carries a
    span decorator nor opens a span: one finding per module, at the first such tool, the others
    related. Nothing is reported when anything in the project traces tool calls by itself (an
    instrumentor, a Langfuse or LangSmith callback, Traceloop, OpenLIT, Phoenix, tracing turned
    on through the environment), or when some span of the project may wrap every tool call (a
    span whose name mentions a tool, or is not a literal: `f"tool {name}"`). Tools of the OpenAI
    Agents SDK are traced by the SDK and not read.

    ## Why is this bad?
    Tool calls are where agents touch the world: the arguments the model chose, what the tool
    returned, how long it took and whether it failed. When the model calls a tool that has no
    span, a trace shows the model asking for it and then the next model call, with nothing in
    between to explain a wrong answer, a slow turn or a side effect.

    ## How to fix
    Give the tool a span (`@tracer.start_as_current_span("execute_tool search_orders")` or a
    `with` block inside it, with `gen_ai.tool.name` and the call's arguments as attributes), or
    install an instrumentor that traces tool calls (OpenInference or OpenLLMetry for LangChain).
    """

    code = "AL542"
    name = "tool-not-traced"
    summary = "Tools without spans in a module that traces by hand"
    severity = Severity.INFO
    checklist = Checklist.TOOLS_TRACED
    entities = ("ToolFunction", "ManualSpan", "TracingSetup")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        if any(records_llm_calls(setup) for setup in project.of(TracingSetup)):
            return
        if any(not span.decorator and (not span.name or "tool" in span.name.lower()) for span in project.of(ManualSpan)):
            return  # a wrapper may trace every tool call
        by_module: dict[str, list[ToolFunction]] = {}
        for tool in project.of(ToolFunction):
            if not tool.traced and not tool.test_code:
                by_module.setdefault(tool.ref.path, []).append(tool)
        for tools in by_module.values():
            first, *rest = tools
            names = ", ".join(t.name for t in tools[:4]) + (" …" if len(tools) > 4 else "")
            yield self.violation(
                f"tool{'s' if rest else ''} {names} run{'' if rest else 's'} without a span while this module traces its other "
                "steps by hand: tool calls are missing from the trace; give each tool a span",
                first,
                args=(first.name,),
                related=tuple(t.location(note=f"tool {t.name!r}") for t in rest),
            )

    valid = (
        Example.of(
            "from langchain_core.tools import tool\n"
            "from opentelemetry import trace\n\n"
            "tracer = trace.get_tracer(__name__)\n\n\n"
            "@tool\n"
            "@tracer.start_as_current_span('execute_tool search_orders')\n"
            "def search_orders(customer_id: str) -> str:\n"
            "    \"\"\"Find a customer's open orders.\"\"\"\n"
            "    return customer_id\n\n\n"
            "def plan(question: str) -> str:\n"
            "    with tracer.start_as_current_span('plan'):\n"
            "        return question\n",
            path="agent/tools.py",
            title="The tool has its own span",
        ),
        Example.of(
            "from langchain_core.tools import tool\n"
            "from opentelemetry import trace\n\n"
            "tracer = trace.get_tracer(__name__)\n\n\n"
            "@tool\n"
            "def search_orders(customer_id: str) -> str:\n"
            "    \"\"\"Find a customer's open orders.\"\"\"\n"
            "    return customer_id\n\n\n"
            "def run_tool(name: str, args: dict) -> str:\n"
            "    with tracer.start_as_current_span(f'execute_tool {name}'):\n"
            "        return search_orders.invoke(args)\n",
            path="agent/tools.py",
            title="A wrapper span around every tool call",
        ),
    )
    invalid = (
        Example.of(
            "from mcp.server.fastmcp import FastMCP\n"
            "from opentelemetry import trace\n\n"
            "mcp = FastMCP('orders')\n"
            "tracer = trace.get_tracer(__name__)\n\n\n"
            "@mcp.tool()\n"
            "def search_orders(customer_id: str) -> list[str]:  # expect: AL542\n"
            "    \"\"\"Find a customer's open orders.\"\"\"\n"
            "    return [customer_id]\n\n\n"
            "@mcp.tool()\n"
            "def cancel_order(order_id: str) -> str:\n"
            "    \"\"\"Cancel an order.\"\"\"\n"
            "    return order_id\n\n\n"
            "@mcp.tool()\n"
            "def refund(order_id: str) -> str:\n"
            "    \"\"\"Refund an order.\"\"\"\n"
            "    with tracer.start_as_current_span('refund') as span:\n"
            "        span.set_attribute('order.id', order_id)\n"
            "        return order_id\n",
            path="server.py",
            title="Two of three MCP tools have no span",
        ),
    )
