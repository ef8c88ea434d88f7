from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
import re

from agentlint.findings import Edit, Fix, Location, Severity, Violation
from agentlint.model import pins
from agentlint.model.deployment import normalise_package
from agentlint.model.launch import Invocation, Runner, invocations
from agentlint.model.project import Project
from agentlint.model.source import Pos, Span
from agentlint.rule import Example, Rule

SHA = "4f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"


class FloatingVersion(Rule):
    """A tool server that runs whatever version is newest today.

    ## What it does
    Reads how each MCP server is started (`command` and `args`, also inside `bash -c "…"` and
    `cmd /c` scripts) and reports packages fetched without an exact version: `npx -y pkg`,
    `pkg@latest`, ranges and dist-tags (`^1.2`, `1`, `next`) for npx, npm exec, pnpm dlx,
    yarn dlx and bunx; `uvx pkg`, `uv tool run`, `pipx run` and `pip install` without `==`;
    git sources (`uvx --from git+https://…`, `git clone`) without a commit; container images
    without a tag or at `:latest`. Manifests are read too: server.json `packages[].version`
    that is `latest`, a range or absent, OCI identifiers without a tag or digest, `mcpb`
    bundles without `fileSha256`, Docker catalog `source` without `commit`. Project code run
    in place (`node build/index.js`, `uv run`, `python -m`, locally built images) is not
    reported; image tags other than `latest` are AL221's. Disabled servers are skipped.

    ## Why is this bad?
    An unpinned package is fetched again whenever the client starts: a new release, or a
    hijacked maintainer account, changes the code your agent runs and the tools it sees without
    any change in your repository. Pinned versions make upgrades a reviewed diff.

    Fix (safe, `agentlint check --fix`): `uvx pkg`, `uv tool run pkg` or `pipx run pkg`,
    written as its own argument, becomes `pkg==<version>` when the project pins that package
    to exactly one version (`pkg==<version>` in `pyproject.toml` or `requirements*.txt`). No
    other version is ever guessed: npm packages, scripts and ranges get no fix.
    """

    code = "AL201"
    name = "floating-version"
    summary = "Tool server package without a pinned version"
    severity = Severity.ERROR
    checklist = Checklist.TOOLS_PINNED
    entities = ("ToolServer", "PackageRef")

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for server in project.servers:
            if server.disabled or server.launch is None:
                continue
            for run in invocations(server.launch):
                if run.pin.floats:
                    what = "image " if run.ecosystem == "oci" else ""
                    yield self.violation(
                        f"{run.runner.value} {run.runner.verb} {what}'{run.package}' {run.describe()}: "
                        f"{pins.remedy(run.ecosystem)} ({run.pinned_form})",
                        Location(run.text.ref.path, run.text.span),
                        ref=run.text.ref,
                        args=(server.name, run.package, run.pin.value),
                        fix=_pin_fix(run, project),
                    )
        for package, server in project.all_packages():
            if server is not None and server.disabled:
                continue
            pin, version = pins.package_pin(package)
            if pin.floats:
                eco = package.ecosystem
                name = pins.split_image(package.identifier)[0] if eco == "oci" else package.identifier
                field = "version" if package.has("version") and pin is not pins.Pin.FLOATING else "identifier"
                noun = {"git": "git source", "oci": "image", "mcpb": "mcpb bundle"}.get(eco, f"{eco} package")
                example = "" if eco == "git" else f" ({pins.pinned_form(eco, name)})"
                yield self.violation(
                    f"{noun} '{name}' is declared {pins.describe(pin, version, eco)}: {pins.remedy(eco)}{example}",
                    package,
                    field=field,
                    args=(package.ecosystem, package.identifier, pin.value),
                )

    valid = (
        Example.of(
            "{\n  // pinned packages, digests and commits\n  \"servers\": {\n"
            '    "fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "./data"]},\n'
            '    "time": {"command": "uvx", "args": ["mcp-server-time==0.6.2"]},\n'
            '    "fetch": {"command": "uvx", "args": ["mcp-server-fetch@2025.4.7"]},\n'
            f'    "tool": {{"command": "uvx", "args": ["--from", "git+https://github.com/acme/tool@{SHA}", "tool"]}},\n'
            '    "gh": {"command": "docker", "args": ["run", "-i", "--rm", "-e", "GITHUB_TOKEN",\n'
            '           "ghcr.io/github/github-mcp-server@sha256:0f6d35d3a3e7ba3bd1c1e1fa8f3b2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a"]},\n'
            '    "tavily": {"command": "bash", "args": ["-c", "npx -y tavily-mcp@0.1.3"]}\n  }\n}\n',
            path=".vscode/mcp.json",
            title="Exact versions, a commit and an image digest",
        ),
        Example.of(
            "{\n  \"servers\": {\n"
            '    "build": {"command": "node", "args": ["build/index.js"]},\n'
            '    "dev": {"command": "npx", "args": ["tsx", "src/index.ts"]},\n'
            '    "local": {"command": "uv", "args": ["--directory", "/Users/me/srv", "run", "srv-mcp"]},\n'
            '    "script": {"command": "mcp", "args": ["run", "server.py"]},\n'
            '    "launcher": {"command": "node", "args": ["${workspaceFolder}/.ai/launch.mjs"]},\n'
            '    "kali": {"command": "docker", "args": ["run", "-i", "--rm", "-e", "MODE=safe", "kali-mcp-server"]},\n'
            '    "gateway": {"command": "docker", "args": ["mcp", "gateway", "run"]},\n'
            '    "versioned": {"command": "docker", "args": ["run", "-i", "ghcr.io/acme/tickets:1.4.2"]}\n  }\n}\n',
            path=".vscode/mcp.json",
            title="Project code run in place, a locally built image, a tag (AL221's, not this rule's)",
        ),
        Example.of(
            '{"mcpServers": {"old": {"command": "npx", "args": ["-y", "@acme/old-server"], "disabled": true}}}\n',
            path="cline_mcp_settings.json",
            title="A disabled server does not run",
        ),
        Example.of(
            "name: tickets\nimage: mcp/tickets\ntype: server\n"
            f"source:\n  project: https://github.com/acme/tickets-mcp\n  branch: main\n  commit: {SHA}\n",
            path="servers/tickets/server.yaml",
            title="Docker catalog: mcp/ images are built from the pinned commit",
        ),
    )
    invalid = (
        Example.of(
            "from agents.mcp import MCPServerStdio\n\n"
            "git = MCPServerStdio(params={\"command\": \"uvx\", \"args\": [\"mcp-server-git\"]})  # expect: AL201\n",
            path="agent/tools.py",
            title="A server started from code (OpenAI Agents SDK): uvx without a version",
        ),
        Example.of(
            "{\n  \"servers\": {\n"
            '    "notion": {"command": "npx", "args": ["-y", "@suekou/mcp-notion-server"]},  // expect: AL201\n'
            '    "xcode": {"command": "npx", "args": ["-y", "xcodebuildmcp@latest"]},  // expect: AL201\n'
            '    "beta": {"command": "npx", "args": ["--yes", "@acme/mcp@^1.2"]},  // expect: AL201\n'
            '    "time": {"command": "uvx", "args": ["mcp-server-time", "--local-timezone=UTC"]},  // expect: AL201\n'
            '    "tool": {"command": "uvx", "args": ["--from", "git+https://github.com/acme/tool", "tool"]},  // expect: AL201\n'
            '    "news": {"command": "cmd.exe", "args": ["/c", "npx.cmd", "-y", "@chanmeng666/google-news-server"]},  // expect: AL201\n'
            '    "obsidian": {"command": "docker", "args": ["run", "-i", "ghcr.io/alexw00/obsidian-rest-mcp:latest"]},  // expect: AL201\n'
            '    "setup": {"command": "bash", "args": ["-c", "pip install acme-mcp && acme-mcp --stdio"]}  // expect: AL201\n'
            "  }\n}\n",
            path=".vscode/mcp.json",
            title="npx without a version, @latest, a range, uvx, git without a commit, cmd /c, :latest, pip",
        ),
        Example.of(
            '{\n  "name": "io.github.acme/tickets",\n  "version": "1.4.2",\n  "packages": [\n'
            '    {"registryType": "npm", "identifier": "@acme/tickets-mcp", "version": "latest"},\n'
            '    {"registryType": "pypi", "identifier": "acme-tickets", "version": ">=1.4"},\n'
            '    {"registryType": "oci", "identifier": "ghcr.io/acme/tickets"},\n'
            '    {"registryType": "mcpb", "identifier": "https://acme.dev/tickets.mcpb", "version": "1.4.2"}\n  ]\n}\n',
            path="server.json",
            title="server.json: latest, a range, an untagged image, a bundle without fileSha256",
            expect=(("server.json", 5, "AL201"), ("server.json", 6, "AL201"), ("server.json", 7, "AL201"), ("server.json", 8, "AL201")),
        ),
        Example.of(
            "name: maven-tools\nimage: arvindand/maven-tools-mcp:latest  # expect: AL201\ntype: server\n"
            "source:  # expect: AL201\n  project: https://github.com/arvindand/maven-tools-mcp\n  branch: main\n",
            path="servers/maven-tools/server.yaml",
            title="Docker catalog: a third-party image at latest, a source without a commit",
        ),
    )


_PYPI_RUNNERS = frozenset({Runner.UVX, Runner.UV_TOOL_RUN, Runner.PIPX_RUN})
_VERSION = re.compile(r"[0-9][0-9A-Za-z.+!-]*\Z")


def _pin_fix(run: Invocation, project: Project) -> Fix | None:
    """A bare PyPI package run by uvx/pipx, pinned to the one exact version the project's own
    dependency pins state for it; None when they state none, or several."""
    if run.ecosystem != "pypi" or run.runner not in _PYPI_RUNNERS or run.in_script or run.version is not None:
        return None
    if not run.text.value == run.spec == run.package:
        return None
    name = normalise_package(run.package)
    versions = {pin.version for pin in project.deployment.pins if pin.package == name}
    if len(versions) != 1:
        return None
    (version,) = versions
    span = run.text.span
    width = span.end.column - span.start.column
    if not _VERSION.match(version) or span.start.line != span.end.line:
        return None
    if width == len(run.package) + 2:  # a quoted string without escapes: inside the quotes
        span = Span(Pos(span.start.line, span.start.column + 1), Pos(span.end.line, span.end.column - 1))
    elif width != len(run.package):
        return None
    title = f"Pin '{run.package}' to {version}, the version the project pins"
    return Fix(title, (Edit(run.text.ref.path, span, f"{run.package}=={version}"),))
