from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model import pins
from agentlint.model.launch import invocations
from agentlint.model.project import Project
from agentlint.rule import Example, Rule

DIGEST = "sha256:0f6d35d3a3e7ba3bd1c1e1fa8f3b2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a"


class MutableImageTag(Rule):
    """A container image referenced by a tag without a digest.

    ## What it does
    Reports container images that a tool server runs by a tag other than `latest` (AL201
    reports `latest` and untagged images) without an `@sha256:` digest: `docker run` and
    `podman run` in a server's command (also inside `bash -c` scripts), OCI packages in
    server.json and images in the Docker MCP catalog. Locally built images (a bare name that
    is not a Docker Hub official image) and disabled servers are skipped.

    ## Why is this bad?
    A registry tag is a movable pointer: whoever can push to the repository can make
    `ghcr.io/acme/tickets:1.4.2` mean different code tomorrow, and the client pulls it without
    any change in your repository. A digest names the exact image; keep the tag next to it
    (`image:1.4.2@sha256:…`) for readers.
    """

    code = "AL221"
    name = "mutable-image-tag"
    summary = "Container image pinned by a tag, not a digest"
    severity = Severity.WARNING
    checklist = Checklist.TOOLS_PINNED
    entities = ("ToolServer", "PackageRef")

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for server in project.servers:
            if server.disabled or server.launch is None:
                continue
            for run in invocations(server.launch):
                if run.pin is pins.Pin.MUTABLE_TAG:
                    yield self.violation(
                        f"{run.runner.value} starts image '{run.package}' {run.describe()}: "
                        f"pin its digest ({run.spec}@sha256:<digest>)",
                        Location(run.text.ref.path, run.text.span),
                        ref=run.text.ref,
                        args=(server.name, run.package, run.version or ""),
                    )
        for package, server in project.all_packages():
            if (server is not None and server.disabled) or package.ecosystem.lower() != "oci":
                continue
            pin, tag = pins.package_pin(package)
            if pin is pins.Pin.MUTABLE_TAG:
                name = pins.split_image(package.identifier)[0]
                field = "identifier" if ":" in package.identifier.rsplit("/", 1)[-1] else "version"
                yield self.violation(
                    f"image '{name}' is declared {pins.describe(pin, tag, 'oci')}: "
                    f"pin its digest ({name}:{tag}@sha256:<digest>)",
                    package,
                    field=field,
                    args=(package.identifier, tag or ""),
                )

    valid = (
        Example.of(
            '{\n  "servers": {\n    "tickets": {"command": "docker",\n'
            f'      "args": ["run", "-i", "--rm", "ghcr.io/acme/tickets:1.4.2@{DIGEST}"]}},\n'
            '    "kali": {"command": "docker", "args": ["run", "-i", "--rm", "kali-mcp-server:dev"]},\n'
            '    "old": {"command": "podman", "args": ["run", "-i", "ghcr.io/acme/old:0.9"], "disabled": true}\n  }\n}\n',
            path=".vscode/mcp.json",
            title="A digest next to the tag; a locally built image; a disabled server",
        ),
        Example.of(
            '{\n  "name": "io.github.acme/tickets",\n  "version": "1.4.2",\n  "packages": [\n'
            f'    {{"registryType": "oci", "identifier": "ghcr.io/acme/tickets@{DIGEST}"}}\n  ]\n}}\n',
            path="server.json",
            title="server.json: an OCI package by digest",
        ),
    )
    invalid = (
        Example.of(
            '{\n  "servers": {\n    "tickets": {"command": "docker", "args": [\n'
            '      "run", "-i", "--rm", "-e", "ACME_TOKEN",\n'
            '      "ghcr.io/acme/tickets:1.4.2"  // expect: AL221\n    ]},\n'
            '    "py": {"command": "sh", "args": ["-c", "podman run -i --rm docker.io/library/python:3.12 app"]}  // expect: AL221\n'
            "  }\n}\n",
            path=".vscode/mcp.json",
            title="A tag in docker run args and in a shell script",
        ),
        Example.of(
            '{\n  "name": "io.github.acme/tickets",\n  "version": "1.4.2",\n  "packages": [\n'
            '    {"registryType": "oci", "identifier": "ghcr.io/acme/tickets:1.4.2"}\n  ]\n}\n',
            path="server.json",
            title="server.json: an OCI package by tag",
            expect=(("server.json", 5, "AL221"),),
        ),
        Example.of(
            "name: tickets\nimage: acme/tickets-mcp:1.4.2  # expect: AL221\ntype: server\n",
            path="servers/tickets/server.yaml",
            title="Docker catalog: a third-party image by tag",
        ),
    )
