from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.capabilities import broad_root, env_roots, filesystem_servers, root_arguments
from agentlint.model.project import Project
from agentlint.model.source import NodeRef, Span
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class BroadFilesystemAccess(Rule):
    """A filesystem MCP server given the whole disk or a whole home directory.

    ## What it does
    Finds filesystem servers (`@modelcontextprotocol/server-filesystem`, the `mcp/filesystem`
    image, `mcp-filesystem-server`, `rust-mcp-filesystem`, `@cyanheads/filesystem-mcp-server`,
    `filesystem-mcp` …) and reports each allowed directory that is the filesystem root (`/`),
    a whole drive (`C:\\`), a home directory (`~`, `$HOME`, `${env:HOME}`, `${userHome}`,
    `%USERPROFILE%`, `/Users/<name>`, `/home/<name>`, `C:\\Users\\<name>`) or every home
    directory (`/Users`, `/home`). Directories come from the server's arguments, from the host
    side of a container's bind mounts (`-v ~:/projects`, `--mount src=/,dst=/projects`) and
    from directory variables such as `ALLOWED_DIRECTORIES`. Project folders
    (`${workspaceFolder}`, `.`, `/Users/<name>/projects/app`) are fine. Disabled servers are
    skipped.

    ## Why is this bad?
    Whatever the server can reach, the model can read, rewrite or delete, and so can any
    prompt injection the model reads: a home directory holds SSH keys, cloud credentials,
    browser profiles and every other project. Give the server the directories the task needs.
    """

    code = "AL204"
    name = "broad-filesystem-access"
    summary = "Filesystem server rooted at / or a home directory"
    severity = Severity.ERROR
    checklist = Checklist.TOOLS_LEAST_PRIVILEGE
    entities = ("ToolServer",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        for server in project.servers:
            if server.disabled or server.launch is None:
                continue
            servers = filesystem_servers(server.launch)
            found: list[tuple[str, str, Span, NodeRef]] = []
            for item in servers:
                for word, value, where in root_arguments(item):
                    found.append((value, where, word.text.span, word.text.ref))
            if servers:
                for setting, value in env_roots(server.env):
                    found.append((value, f"env {setting.name}", setting.value_span, setting.ref))
            for value, where, span, ref in found:
                grants = broad_root(value)
                if grants is not None:
                    yield self.violation(
                        f"server '{server.name}' gives a filesystem server {grants} ({where} '{value.strip()}'): "
                        "allow only the directories the task needs",
                        Location(ref.path, span),
                        ref=ref,
                        args=(server.name, value.strip()),
                    )

    valid = (
        Example.of(
            '{"mcpServers": {\n'
            '  "fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21",\n'
            '    "/Users/alice/projects/app", "${workspaceFolder}", "."]},\n'
            '  "docker-fs": {"command": "docker", "args": ["run", "-i", "--rm",\n'
            '    "--mount", "type=bind,src=/home/bob/notes,dst=/projects/notes", "mcp/filesystem", "/projects"]},\n'
            '  "old": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/"], "disabled": true},\n'
            '  "git": {"command": "uvx", "args": ["mcp-server-git==2025.7.1", "--repository", "/"]}\n}}\n',
            path="cline_mcp_settings.json",
            title="Project folders, a narrow bind mount, a disabled server, a non-filesystem server",
        ),
    )
    invalid = (
        Example.of(
            '{\n  "servers": {\n    "fs": {\n      "command": "npx",\n      "args": [\n'
            '        "-y", "@modelcontextprotocol/server-filesystem@2025.8.21",\n'
            '        "~",  // expect: AL204\n'
            '        "/"  // expect: AL204\n      ]\n    }\n  }\n}\n',
            path=".vscode/mcp.json",
            title="The home directory and the filesystem root",
        ),
        Example.of(
            '{"mcpServers": {\n'
            '  "win": {"command": "cmd", "args": ["/c", "npx", "-y", "@modelcontextprotocol/server-filesystem", "C:\\\\Users\\\\dana"]},\n'
            '  "box": {"command": "docker", "args": ["run", "-i", "--rm", "-v", "/Users/dana:/projects", "mcp/filesystem", "/projects"]},\n'
            '  "sh": {"command": "bash", "args": ["-c", "exec npx -y @modelcontextprotocol/server-filesystem $HOME"]}\n}}\n',
            path="claude_desktop_config.json",
            title="A Windows home, a mounted home and a shell script",
            expect=(
                ("claude_desktop_config.json", 2, "AL204"),
                ("claude_desktop_config.json", 3, "AL204"),
                ("claude_desktop_config.json", 4, "AL204"),
            ),
        ),
    )
