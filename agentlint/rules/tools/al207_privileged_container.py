from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.containers import privileges, volume_privilege
from agentlint.model.launch import container_runs
from agentlint.model.project import Project
from agentlint.model.tools import Text
from agentlint.rule import Example, Rule


class PrivilegedContainer(Rule):
    """A tool server's container that is given power over the host.

    ## What it does
    Reads `docker run` / `podman run` in each server's command (also inside `bash -c`
    scripts) and reports, one finding per option: `--privileged`, `--network host` (`--net`),
    `--pid host`, `--cap-add ALL` or `SYS_ADMIN`, and bind mounts of the host root `/` or of
    the Docker socket (`-v /var/run/docker.sock:…`, `--mount type=bind,source=/,…`). Docker
    MCP catalog entries whose `run.volumes` mount the socket or `/` are reported too. Disabled
    servers are skipped.

    ## Why is this bad?
    The container is what isolates an MCP server, which acts on a model's instructions, from
    the machine it runs on. Each of these options removes that isolation: a prompt-injected
    tool call can then read every file, reach every local service, or start new privileged
    containers.
    """

    code = "AL207"
    name = "privileged-container"
    summary = "Tool server container with host-level privileges"
    severity = Severity.ERROR
    checklist = Checklist.TOOLS_LEAST_PRIVILEGE
    entities = ("ToolServer",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for server in project.servers:
            if server.disabled:
                continue
            for run in container_runs(server.launch) if server.launch is not None else ():
                for privilege in privileges(run):
                    text = privilege.word.text
                    yield self.violation(
                        f"server '{server.name}' runs its container with '{privilege.option}': {privilege.why}; {privilege.fix}",
                        Location(text.ref.path, text.span),
                        ref=text.ref,
                        args=(server.name, privilege.kind, privilege.option),
                    )
            for volume in server.get("volumes", ()) or ():
                found = volume_privilege(volume) if isinstance(volume, Text) else None
                if found is not None:
                    yield self.violation(
                        f"server '{server.name}' mounts '{volume.value}': {found.why}; {found.fix}",
                        Location(volume.ref.path, volume.span),
                        ref=volume.ref,
                        args=(server.name, found.kind, volume.value),
                    )

    valid = (
        Example.of(
            "{\n  \"servers\": {\n"
            '    "tickets": {"command": "docker", "args": ["run", "-i", "--rm", "--network", "none", "--cap-drop", "ALL",\n'
            '      "-v", "${workspaceFolder}/data:/data:ro", "--mount", "type=volume,source=cache,target=/cache",\n'
            '      "-e", "NET_NOTE=--network host is not used", "ghcr.io/acme/tickets:1.4.2", "--privileged"]},\n'
            '    "gateway": {"command": "docker", "args": ["mcp", "gateway", "run"]},\n'
            '    "old": {"command": "docker", "args": ["run", "--privileged", "acme/old:1"], "disabled": true}\n  }\n}\n',
            path=".vscode/mcp.json",
            title="A locked-down container; '--privileged' after the image is the server's own argument",
        ),
        Example.of(
            "name: k8s\nimage: mcp/kubernetes\ntype: server\nsource:\n  project: https://github.com/acme/k8s-mcp\n"
            "  commit: 4f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39\nrun:\n  volumes:\n"
            "    - '{{kubernetes.config_path}}:/home/appuser/.kube/config'\n",
            path="servers/k8s/server.yaml",
            title="Docker catalog: a volume for one file",
        ),
    )
    invalid = (
        Example.of(
            "{\n  \"servers\": {\n    \"kali\": {\"command\": \"docker\", \"args\": [\n"
            '      "run", "-i", "--rm",\n'
            '      "--network", "host",  // expect: AL207\n'
            '      "--privileged",  // expect: AL207\n'
            '      "--cap-add=SYS_ADMIN",  // expect: AL207\n'
            '      "-v", "/var/run/docker.sock:/var/run/docker.sock",  // expect: AL207\n'
            '      "--mount", "type=bind,source=/,target=/host,readonly",  // expect: AL207\n'
            '      "kali-mcp-server"\n    ]},\n'
            '    "ps": {"command": "bash", "args": ["-c", "podman run --pid=host -i acme/ps:1"]}  // expect: AL207\n'
            "  }\n}\n",
            path=".vscode/mcp.json",
            title="Host network, privileged, SYS_ADMIN, the Docker socket, the host root, host PID",
        ),
        Example.of(
            "name: docker\nimage: mcp/docker\ntype: server\nsource:\n  project: https://github.com/acme/docker-mcp\n"
            "  commit: 4f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39\nrun:\n  volumes:\n"
            "    - /var/run/docker.sock:/var/run/docker.sock  # expect: AL207\n",
            path="servers/docker/server.yaml",
            title="Docker catalog: a server given the Docker socket",
        ),
    )
