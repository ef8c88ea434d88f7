from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.tools import Tool
from agentlint.rule import Example, Rule


class DuplicateToolName(Rule):
    """Two tools with the same name in one list.

    ## What it does
    Reports a tool whose name was already used by another tool of the same list (one
    `tools/list` result, one snapshot, one catalog entry). The finding is at the second
    definition; the first is related.

    ## Why is this bad?
    Tool names must be unique within a server: `tools/call` selects a tool by name alone, so
    one of the two can never be called, and clients differ on which one wins (first, last, or
    the whole list rejected).
    """

    code = "AL216"
    name = "duplicate-tool-name"
    summary = "Duplicate tool name in one tool list"
    severity = Severity.ERROR
    checklist = Checklist.TOOL_CONTRACTS
    entities = ("Tool",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        first: dict[tuple[str, str], Tool] = {}
        for tool in project.tools:
            if not tool.group:
                continue
            key = (tool.group, tool.name)
            if key not in first:
                first[key] = tool
                continue
            earlier = first[key]
            yield self.violation(
                f"tool '{tool.name}' is defined twice in this list (first at line {earlier.span.line}): "
                "one of them can never be called",
                tool,
                args=(tool.group, tool.name),
                related=(earlier.location(note=f"first definition of '{tool.name}'"),),
            )

    valid = (
        Example(
            (
                ("tools/github.json", '{"tools": [{"name": "create_issue", "inputSchema": {"type": "object"}}]}\n'),
                ("tools/gitlab.json", '{"tools": [{"name": "create_issue", "inputSchema": {"type": "object"}}]}\n'),
                (
                    "tools/jira.json",
                    '{"tools": [\n  {"name": "Create_Issue", "inputSchema": {"type": "object"}},\n'
                    '  {"name": "create_issue", "inputSchema": {"type": "object"}}\n]}\n',
                ),
            ),
            title="The same name in two servers' lists, and names that differ only in case",
        ),
    )
    invalid = (
        Example.of(
            """{
  "jsonrpc": "2.0",
  "id": 1,
  "result": {
    "tools": [
      {"name": "search", "description": "Search issues", "inputSchema": {"type": "object"}},
      {"name": "get_issue", "inputSchema": {"type": "object"}},
      {"name": "search", "description": "Search pull requests", "inputSchema": {"type": "object"}}
    ]
  }
}
""",
            path="tools.json",
            expect=(("tools.json", 8, "AL216"),),
        ),
    )
