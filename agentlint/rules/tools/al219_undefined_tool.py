from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.tools import ToolCatalog
from agentlint.rule import Example, Rule
from agentlint.rules.tools._policy_examples import POLICY_HEAD

_GRAPH = """apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: desk}
agents:
  billing:
    role: billing
    tools:
"""


class UndefinedTool(Rule):
    """An agent uses a tool that no MCP config, manifest or tool policy defines.

    ## What it does
    Resolves each `server.tool` in the `tools` of an agent against the servers of every MCP
    client config, server manifest and `kind: ToolPolicy` of the project, and against the tools
    listed for that server (tools/list snapshots, tool policies). Reports references without a
    server part, to unknown servers, and to tools missing from a server whose tools are listed.
    A known server whose tools are not listed anywhere cannot be checked and is not reported.

    ## Why is this bad?
    The agent's prompt promises a capability the runtime does not have: the model calls a
    tool that does not exist, and the failure appears only in production traces.
    """

    code = "AL219"
    name = "undefined-tool"
    summary = "Agent references an undefined tool"
    severity = Severity.ERROR
    checklist = Checklist.TOOL_CONTRACTS
    entities = ("ToolReference",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        if not project.tool_references:
            return
        catalog = ToolCatalog.of(project.servers, project.tools, project.policies)
        for reference in project.tool_references:
            written = f"{reference.server}.{reference.tool}" if reference.tool else reference.server
            server, tool = catalog.split(written)
            if not tool:
                message = f"agent '{reference.agent}' uses tool '{written}': write it as server.tool"
            elif server not in catalog.servers:
                message = f"agent '{reference.agent}' uses '{written}', but no MCP config, manifest or tool policy defines server '{server}'"
            elif server in catalog.tools and tool not in catalog.tools[server]:
                message = f"agent '{reference.agent}' uses '{written}', but server '{server}' lists no tool '{tool}'"
            else:
                continue
            yield self.violation(message, reference, args=(reference.agent, written))

    valid = (
        Example(
            (
                ("agents.yaml", _GRAPH + "      - stripe.refund\n      - github.create_issue\n"),
                ("tool-policy.yaml", POLICY_HEAD + "servers:\n  stripe:\n    tools:\n      refund: {}\n"),
                (".cursor/mcp.json", '{"mcpServers": {"github": {"url": "https://api.githubcopilot.com/mcp/"}}}\n'),
            ),
            title="A policy tool, and a configured server whose tools are not listed",
        ),
    )
    invalid = (
        Example(
            (
                (
                    "agents.yaml",
                    _GRAPH
                    + "      - stripe.refund\n      - jira.create_issue  # expect: AL219\n"
                    + "      - web_search  # expect: AL219\n",
                ),
                ("tool-policy.yaml", POLICY_HEAD + "servers:\n  stripe:\n    tools:\n      refund: {}\n"),
            ),
            title="An unknown server and a reference without a server part",
        ),
    )
