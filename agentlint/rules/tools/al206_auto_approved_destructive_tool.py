from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.project import Project
from agentlint.model.tools import Text
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule
from agentlint.rules.tools._policy_examples import POLICY_HEAD


def _named(names: list[str]) -> str:
    shown = ", ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


class AutoApprovedDestructiveTool(Rule):
    """Tools that run without confirmation although nothing says they are harmless.

    ## What it does
    Reports `autoApprove` (Cline) and `alwaysAllow` (Roo Code) entries that name a tool not
    known to be read-only or non-destructive, and Gemini CLI's `"trust": true`, which skips
    the confirmation of every tool of the server. A tool is harmless only when a tool
    definition for the same server (a tools/list snapshot or a `kind: ToolPolicy` with
    annotations) says `readOnlyHint: true` or `destructiveHint: false`; otherwise the MCP
    defaults apply: a tool without annotations may be destructive. `"*"` approves every tool.
    One finding per server, at its first such entry, naming the tools; the other entries are
    related locations. Disabled servers are skipped.

    ## Why is this bad?
    The confirmation prompt is the last human check between the model and a side effect. An
    auto-approved `delete_branch`, `execute_sql` or `run_code` can be triggered by any prompt
    injection the agent reads, with nobody asked. Auto-approve only tools you have checked are
    read-only, and record that (a tools/list snapshot or a tool policy with annotations).
    """

    code = "AL206"
    name = "auto-approved-destructive-tool"
    summary = "Auto-approved tool that may be destructive"
    severity = Severity.ERROR
    checklist = Checklist.TOOLS_LEAST_PRIVILEGE
    entities = ("ToolServer", "Tool")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        harmless: dict[tuple[str, str], bool] = {}
        for tool in project.tools:
            if tool.server is not None:
                key = (tool.server, tool.name)
                harmless[key] = harmless.get(key, False) or not tool.destructive
        for server in project.servers:
            if server.disabled:
                continue
            if server.trusted is not None:
                yield self.violation(
                    f"every tool of server '{server.name}' runs without confirmation (\"trust\": true)",
                    Location(server.trusted.ref.path, server.trusted.span),
                    ref=server.trusted.ref,
                    args=(server.name, "trust"),
                )
            risky: list[Text] = [
                entry for entry in server.auto_approve if entry.value == "*" or not harmless.get((server.name, entry.value), False)
            ]
            if not risky:
                continue
            names = list(dict.fromkeys(e.value for e in risky))
            if "*" in names:
                why = "every tool ('*'), whatever it does"
            else:
                why = f"{_named(names)}: no tool definition marks {'it' if len(names) == 1 else 'them'} read-only or non-destructive"
            first, *rest = risky
            yield self.violation(
                f"server '{server.name}' auto-approves {why}",
                Location(first.ref.path, first.span),
                ref=server.ref,
                args=(server.name, *sorted(e.value for e in risky)),
                related=tuple(Location(e.ref.path, e.span, f"'{e.value}' is auto-approved too") for e in rest),
            )

    valid = (
        Example(
            (
                (
                    "cline_mcp_settings.json",
                    '{"mcpServers": {\n'
                    '  "time": {"command": "uvx", "args": ["mcp-server-time==2025.7.1"], "autoApprove": ["get_current_time"]},\n'
                    '  "compiler": {"command": "uvx", "args": ["ce-mcp==0.3.0"], "alwaysAllow": ["list_compilers"]},\n'
                    '  "old": {"command": "uvx", "args": ["mcp-server-fetch"], "autoApprove": ["fetch"], "disabled": true},\n'
                    '  "git": {"command": "uvx", "args": ["mcp-server-git"], "autoApprove": [], "trust": false}\n}}\n',
                ),
                (
                    "tool-policy.yaml",
                    POLICY_HEAD + "servers:\n  time:\n    tools:\n      get_current_time:\n"
                    "        input_schema: {type: object}\n        annotations: {readOnlyHint: true}\n",
                ),
                (
                    "tools/compiler.tools.json",
                    '{"server": {"name": "compiler"}, "tools": [{"name": "list_compilers", "inputSchema": {"type": "object"},\n'
                    '  "annotations": {"readOnlyHint": false, "destructiveHint": false}}]}\n',
                ),
            ),
            title="Approved tools that a policy or a tools/list snapshot marks harmless; a disabled server",
        ),
    )
    invalid = (
        Example.of(
            '{"mcpServers": {\n'
            '  "mssql": {"command": "python", "args": ["server.py"], "autoApprove": ["execute_sql"]},\n'
            '  "arxiv": {"command": "uv", "args": ["tool", "run", "arxiv-mcp-server"],\n'
            '    "alwaysAllow": ["search_papers", "download_paper"]},\n'
            '  "all": {"command": "node", "args": ["build/index.js"], "autoApprove": ["*"]}\n}}\n',
            path="cline_mcp_settings.json",
            title="Unannotated tools and a wildcard (Cline and Roo keys)",
            expect=(
                ("cline_mcp_settings.json", 2, "AL206"),
                ("cline_mcp_settings.json", 4, "AL206"),
                ("cline_mcp_settings.json", 5, "AL206"),
            ),
        ),
        Example.of(
            '{\n  "mcpServers": {\n    "github": {\n      "command": "node",\n      "args": ["launchers/github.mjs"],\n'
            '      "trust": true\n    }\n  }\n}\n',
            path=".gemini/settings.json",
            title="Gemini CLI trusts every tool of a server",
            expect=((".gemini/settings.json", 6, "AL206"),),
        ),
    )
