from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.capabilities import command_server, has_command_allow_list, is_command_tool
from agentlint.model.project import Project
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class CommandExecutionServer(Rule):
    """An MCP server or tool that runs arbitrary shell commands.

    ## What it does
    Reports client configs that start a known command-execution server — `mcp-server-commands`,
    `@wonderwhy-er/desktop-commander`, `mcp-shell-server`, `mcp-server-shell`,
    `cli-mcp-server`, `@simonb97/server-win-cli`, `iterm-mcp`, `terminal_controller`,
    `super-shell-mcp`, `mcp-shell`, `shell-mcp-server` — unless it is given a command
    allow-list (`ALLOW_COMMANDS` / `ALLOWED_COMMANDS` set to something other than `all`).
    Also reports tool definitions (tools/list snapshots, catalogs, policies) named like a shell
    runner (`execute_command`, `run_command`, `run_shell_command`, `exec`, `bash`,
    `run_process` …) that declare no annotations. A server launched with `bash -c "<script>"` is
    not reported: that is how a command is started, not a capability given to the model. The
    list is short on purpose: only named, known command runners. Disabled servers are skipped.

    ## Why is this bad?
    A shell tool turns every prompt injection into code execution with the user's rights:
    a web page or an issue the agent reads can ask it to run `curl … | sh`. If the agent really
    needs a shell, restrict the commands, run it in a container or sandbox, and keep each call
    behind a confirmation.
    """

    code = "AL205"
    name = "command-execution-server"
    summary = "Server or tool that executes shell commands"
    severity = Severity.WARNING
    checklist = Checklist.TOOLS_LEAST_PRIVILEGE
    entities = ("ToolServer", "Tool")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        for server in project.servers:
            if server.disabled or server.launch is None or server.config != "client":
                continue
            found = command_server(server.launch)
            if found is not None and not has_command_allow_list(server.env):
                yield self.violation(
                    f"server '{server.name}' runs {found.name}, which executes arbitrary shell commands: "
                    "restrict it to a command allow-list or a sandbox",
                    Location(found.word.text.ref.path, found.word.text.span),
                    ref=found.word.text.ref,
                    args=(server.name, found.name),
                )
        for tool in project.tools:
            if tool.annotations is None and is_command_tool(tool.name):
                owner = f" of server '{tool.server}'" if tool.server else ""
                yield self.violation(
                    f"tool '{tool.name}'{owner} runs shell commands and declares no annotations: "
                    "mark it destructive and keep it behind a confirmation, or remove it",
                    tool,
                    args=(tool.server or "", tool.name),
                )

    valid = (
        Example.of(
            '{"mcpServers": {\n'
            '  "build": {"command": "bash", "args": ["-c", "cd tools && exec node mcp-server.js"]},\n'
            '  "shell": {"command": "uvx", "args": ["mcp-shell-server==1.1.8"], "env": {"ALLOW_COMMANDS": "ls,cat,git"}},\n'
            '  "old": {"command": "npx", "args": ["-y", "mcp-server-commands"], "disabled": true},\n'
            '  "e2b": {"command": "npx", "args": ["-y", "@e2b/mcp-server@0.2.0"]}\n}}\n',
            path="cline_mcp_settings.json",
            title="A bash launcher, an allow-listed shell server, a disabled one, a sandbox service",
        ),
        Example.of(
            '{"tools": [\n'
            '  {"name": "execute_command", "inputSchema": {"type": "object"},\n'
            '   "annotations": {"readOnlyHint": false, "destructiveHint": true}},\n'
            '  {"name": "execute_sql", "inputSchema": {"type": "object"}}\n]}\n',
            path="tools_list.json",
            title="An annotated shell tool; SQL is not a shell",
        ),
    )
    invalid = (
        Example.of(
            '{\n  "servers": {\n'
            '    "commands": {"command": "npx", "args": ["-y", "mcp-server-commands@0.6.1"]},  // expect: AL205\n'
            '    "desktop": {"command": "npx", "args": ["-y", "@wonderwhy-er/desktop-commander@0.2.52"]},  // expect: AL205\n'
            '    "cli": {"command": "uvx", "args": ["cli-mcp-server"], "env": {"ALLOWED_COMMANDS": "all"}}  // expect: AL205\n'
            "  }\n}\n",
            path=".vscode/mcp.json",
            title="Shell servers without an allow-list",
        ),
        Example.of(
            '{"tools": [\n  {"name": "run_command", "inputSchema": {"type": "object"}}\n]}\n',
            path="tools_list.json",
            title="An unannotated shell tool in a tools/list snapshot",
            expect=(("tools_list.json", 2, "AL205"),),
        ),
    )
