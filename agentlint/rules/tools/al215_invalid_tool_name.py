from __future__ import annotations

import re
from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule

_ALLOWED = re.compile(r"[A-Za-z0-9_.-]")


class InvalidToolName(Rule):
    """A tool name outside the characters and length MCP allows.

    ## What it does
    Reports tool names that are empty, longer than 128 characters, or contain anything but
    ASCII letters, digits, `_`, `-` and `.` (MCP 2025-11-25, SEP-986:
    `^[A-Za-z0-9_.-]{1,128}$`): spaces, `/`, `:`, non-ASCII letters …

    ## Why is this bad?
    Clients and model APIs build function names from tool names. Several reject the whole
    tool list, or silently drop the tool, when one name has a space or a slash (the OpenAI
    and Anthropic APIs accept `^[a-zA-Z0-9_-]{1,64}$` after the client's prefixing), and names
    with look-alike characters are easy to confuse with another server's tool.
    """

    code = "AL215"
    name = "invalid-tool-name"
    summary = "Tool name outside [A-Za-z0-9_.-]{1,128}"
    severity = Severity.WARNING
    checklist = Checklist.TOOL_CONTRACTS
    entities = ("Tool",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for tool in project.tools:
            name = tool.name
            if not name:
                why = "is empty"
            elif len(name) > 128:
                why = f"is {len(name)} characters long (at most 128)"
            else:
                bad = sorted({c for c in name if not _ALLOWED.match(c)})
                if not bad:
                    continue
                why = "contains " + ", ".join(_show(c) for c in bad) + " (allowed: A-Z a-z 0-9 _ - .)"
            yield self.violation(f"tool name '{name}' {why}", tool, args=(name,))

    valid = (
        Example.of(
            """{"tools": [
  {"name": "getUser", "inputSchema": {"type": "object"}},
  {"name": "DATA_EXPORT_v2", "inputSchema": {"type": "object"}},
  {"name": "admin.tools.list", "inputSchema": {"type": "object"}},
  {"name": "search-issues", "inputSchema": {"type": "object"}}
]}
""",
            path="tools.json",
            title="The spec's own examples",
        ),
    )
    invalid = (
        Example.of(
            """{"tools": [
  {"name": "get user", "inputSchema": {"type": "object"}},
  {"name": "github/create_issue", "inputSchema": {"type": "object"}},
  {"name": "", "inputSchema": {"type": "object"}},
  {"name": "résumé_parse", "inputSchema": {"type": "object"}}
]}
""",
            path="tools.json",
            title="A space, a slash, an empty name and a non-ASCII letter",
            expect=(("tools.json", 2, "AL215"), ("tools.json", 3, "AL215"), ("tools.json", 4, "AL215"), ("tools.json", 5, "AL215")),
        ),
    )


def _show(char: str) -> str:
    return "a space" if char == " " else f"'{char}'" if char.isprintable() else f"U+{ord(char):04X}"
