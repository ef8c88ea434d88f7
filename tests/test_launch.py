"""agentlint.model.launch / pins / containers: what a server's command line fetches and runs,
how firmly it is pinned, and which container options hand out host privileges."""

from __future__ import annotations

import pytest

from agentlint.model import pins
from agentlint.model.containers import mount_risk, privileges, volume_privilege
from agentlint.model.launch import container_runs, invocations
from agentlint.model.source import NodeRef, Span
from agentlint.model.tools import Launch, PackageRef, Text

SHA = "4f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"
DIGEST = "sha256:0f6d35d3a3e7ba3bd1c1e1fa8f3b2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a"


def launch(*words: str) -> Launch:
    """Word i sits on line i+1, so an expectation names the argument by its index."""
    texts = [Text(w, Span.point(i + 1, 1), NodeRef("mcp.json", ("args", i))) for i, w in enumerate(words)]
    return Launch(texts[0], tuple(texts[1:]))


def found(*words: str) -> list[tuple[object, ...]]:
    return [
        (i.runner.value, i.ecosystem, i.package, i.version, i.pin.value, i.text.span.line - 1, i.in_script)
        for i in invocations(launch(*words))
    ]


# (command line, [(runner, ecosystem, package, version, pin, argument index, in script)])
CASES = [
    # npx and friends
    (("npx", "-y", "@scope/pkg"), [("npx", "npm", "@scope/pkg", None, "floating", 2, False)]),
    (("npx", "-y", "@scope/pkg@1.2.3"), [("npx", "npm", "@scope/pkg", "1.2.3", "exact", 2, False)]),
    (("npx", "--yes", "pkg@1.2.3", "--port", "3000"), [("npx", "npm", "pkg", "1.2.3", "exact", 2, False)]),
    (("npx", "-p", "pkg@1.0.0", "cmd"), [("npx", "npm", "pkg", "1.0.0", "exact", 2, False)]),
    (("npx", "--package=pkg", "cmd"), [("npx", "npm", "pkg", None, "floating", 1, False)]),
    (
        ("npx", "--package", "@s/a@2.0.0", "-p", "b", "a-cli"),
        [("npx", "npm", "@s/a", "2.0.0", "exact", 2, False), ("npx", "npm", "b", None, "floating", 4, False)],
    ),
    (("npx", "-y", "xcodebuildmcp@latest"), [("npx", "npm", "xcodebuildmcp", "latest", "latest", 2, False)]),
    (("npx", "-y", "pkg@^1.2"), [("npx", "npm", "pkg", "^1.2", "range", 2, False)]),
    (("npx", "-y", "pkg@~1"), [("npx", "npm", "pkg", "~1", "range", 2, False)]),
    (("npx", "-y", "pkg@>=1.0.0"), [("npx", "npm", "pkg", ">=1.0.0", "range", 2, False)]),
    (("npx", "-y", "pkg@1.x"), [("npx", "npm", "pkg", "1.x", "range", 2, False)]),
    (("npx", "-y", "pkg@1"), [("npx", "npm", "pkg", "1", "range", 2, False)]),
    (("npx", "-y", "pkg@1.2"), [("npx", "npm", "pkg", "1.2", "range", 2, False)]),
    (("npx", "-y", "@s/pkg@next"), [("npx", "npm", "@s/pkg", "next", "range", 2, False)]),
    (("npx", "-y", "pkg@beta"), [("npx", "npm", "pkg", "beta", "range", 2, False)]),
    (("npx", "-y", "pkg@1.2.3-beta.1"), [("npx", "npm", "pkg", "1.2.3-beta.1", "exact", 2, False)]),
    (
        ("npx", "-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "./data"),
        [("npx", "npm", "@modelcontextprotocol/server-filesystem", "2025.8.21", "exact", 2, False)],
    ),
    (("npx", "-y", "github:acme/tool"), [("npx", "git", "github:acme/tool", None, "floating", 2, False)]),
    (("npx", f"github:acme/tool#{SHA}"), [("npx", "git", "github:acme/tool", SHA, "digest", 1, False)]),
    (("npx", "acme/tool#main"), [("npx", "git", "acme/tool", "main", "floating", 1, False)]),
    (("npx", "-y", "${PKG}"), [("npx", "npm", "${PKG}", None, "variable", 2, False)]),
    (("npx", "-y", "./local-dir"), []),
    (("npx", "tsx", "src/index.ts"), []),
    (("npx", "ts-node", "--esm", "./server.ts"), []),
    (("npx", "-c", "eslint ."), []),
    (("npm", "exec", "--", "pkg@1.0.0", "--stdio"), [("npm exec", "npm", "pkg", "1.0.0", "exact", 3, False)]),
    (("npm", "exec", "-y", "pkg"), [("npm exec", "npm", "pkg", None, "floating", 3, False)]),
    (("npm", "x", "--yes", "--", "@a/b"), [("npm exec", "npm", "@a/b", None, "floating", 4, False)]),
    (("npm", "start"), []),
    (("pnpm", "dlx", "pkg"), [("pnpm dlx", "npm", "pkg", None, "floating", 2, False)]),
    (("pnpx", "pkg@1.0.0"), [("pnpm dlx", "npm", "pkg", "1.0.0", "exact", 1, False)]),
    (("pnpm", "dlx", "--package=a@1.0.0", "a-cli"), [("pnpm dlx", "npm", "a", "1.0.0", "exact", 2, False)]),
    (("yarn", "dlx", "-p", "pkg", "cmd"), [("yarn dlx", "npm", "pkg", None, "floating", 3, False)]),
    (("bunx", "pkg@1.0.0"), [("bunx", "npm", "pkg", "1.0.0", "exact", 1, False)]),
    (("bun", "x", "pkg"), [("bunx", "npm", "pkg", None, "floating", 2, False)]),
    # Windows and shells
    (("cmd.exe", "/c", "npx.cmd", "-y", "@e/p"), [("npx", "npm", "@e/p", None, "floating", 4, False)]),
    (("cmd", "/C", "npx -y @e/p@1.0.0"), [("npx", "npm", "@e/p", "1.0.0", "exact", 2, True)]),
    (("C:\\Program Files\\nodejs\\npx.cmd", "-y", "pkg"), [("npx", "npm", "pkg", None, "floating", 2, False)]),
    (("powershell", "-NoProfile", "-Command", "npx -y pkg"), [("npx", "npm", "pkg", None, "floating", 3, True)]),
    (("bash", "-c", "npx -y tavily-mcp@0.1.3"), [("npx", "npm", "tavily-mcp", "0.1.3", "exact", 2, True)]),
    (("sh", "-c", "cd /srv && npx -y pkg && echo done"), [("npx", "npm", "pkg", None, "floating", 2, True)]),
    (
        ("/bin/bash", "-lc", "FOO=1 exec npx -y a; env X=1 npx -y b@1.0.0 2>/dev/null"),
        [("npx", "npm", "a", None, "floating", 2, True), ("npx", "npm", "b", "1.0.0", "exact", 2, True)],
    ),
    (("bash", "-c", "# start it\nnpx -y pkg # comment"), [("npx", "npm", "pkg", None, "floating", 2, True)]),
    (("bash", "-c", "npm install -g @acme/srv && acme-srv"), [("npm install", "npm", "@acme/srv", None, "floating", 2, True)]),
    (("bash", "-c", "npm ci && npm start"), []),
    # Python
    (("uvx", "mcp-server-time", "--local-timezone=Asia/Tokyo"), [("uvx", "pypi", "mcp-server-time", None, "floating", 1, False)]),
    (("uvx", "pkg==1.2.3"), [("uvx", "pypi", "pkg", "1.2.3", "exact", 1, False)]),
    (("uvx", "pkg@1.2.3"), [("uvx", "pypi", "pkg", "1.2.3", "exact", 1, False)]),
    (("uvx", "pkg@latest"), [("uvx", "pypi", "pkg", "latest", "latest", 1, False)]),
    (("uvx", "pkg>=1.0"), [("uvx", "pypi", "pkg", ">=1.0", "range", 1, False)]),
    (("uvx", "pkg==1.*"), [("uvx", "pypi", "pkg", "==1.*", "range", 1, False)]),
    (("uvx", "pkg[cli]==1.0"), [("uvx", "pypi", "pkg", "1.0", "exact", 1, False)]),
    (
        ("uvx", "--from", "git+https://github.com/o/r", "cmd"),
        [("uvx", "git", "git+https://github.com/o/r", None, "floating", 2, False)],
    ),
    (
        ("uvx", "--from", f"git+https://github.com/o/r@{SHA}", "cmd"),
        [("uvx", "git", "git+https://github.com/o/r", SHA, "digest", 2, False)],
    ),
    (
        ("uvx", "--from", "git+ssh://git@github.com/o/r.git@v1.0#subdirectory=x", "cmd"),
        [("uvx", "git", "git+ssh://git@github.com/o/r.git", "v1.0", "floating", 2, False)],
    ),
    (("uvx", "--from", "pkg==1.0", "cmd"), [("uvx", "pypi", "pkg", "1.0", "exact", 2, False)]),
    (("uvx", "--python", "3.12", "pkg"), [("uvx", "pypi", "pkg", None, "floating", 3, False)]),
    (
        ("uvx", "--with", "extra", "pkg==1.0"),
        [("uvx", "pypi", "pkg", "1.0", "exact", 3, False), ("uvx", "pypi", "extra", None, "floating", 2, False)],
    ),
    (("uvx", "--from", ".", "cmd"), []),
    (
        ("uv", "tool", "run", "arxiv-mcp-server", "--storage-path", "."),
        [("uv tool run", "pypi", "arxiv-mcp-server", None, "floating", 3, False)],
    ),
    (("uv", "--directory", "d", "tool", "run", "x==2.0"), [("uv tool run", "pypi", "x", "2.0", "exact", 5, False)]),
    (("uv", "run", "server.py"), []),
    (("uv", "--directory", "/Users/seven/dev/macos-ui-automation-mcp", "run", "macos-ui-automation-mcp"), []),
    (("uv", "run", "--with", "mcp", "mcp", "run", "server.py"), []),
    (("pipx", "run", "pkg"), [("pipx run", "pypi", "pkg", None, "floating", 2, False)]),
    (("pipx", "run", "--spec", "pkg==1.0", "cmd"), [("pipx run", "pypi", "pkg", "1.0", "exact", 3, False)]),
    (("pipx", "run", "--spec=pkg>=1", "cmd"), [("pipx run", "pypi", "pkg", ">=1", "range", 2, False)]),
    (("uvx", "--from=pkg@2.0.0", "cmd"), [("uvx", "pypi", "pkg", "2.0.0", "exact", 1, False)]),
    (("bash", "-c", "pip install x && x"), [("pip install", "pypi", "x", None, "floating", 2, True)]),
    (("sh", "-c", "pip install -r requirements.txt && python server.py"), []),
    (("sh", "-c", "pip install -e . && python -m acme"), []),
    (
        ("sh", "-c", "pip3 install -q 'x==1.0' y"),
        [("pip install", "pypi", "x", "1.0", "exact", 2, True), ("pip install", "pypi", "y", None, "floating", 2, True)],
    ),
    (("sh", "-c", "python3 -m pip install -U acme-mcp"), [("pip install", "pypi", "acme-mcp", None, "floating", 2, True)]),
    (
        ("sh", "-c", f"pip install git+https://github.com/o/r@{SHA}"),
        [("pip install", "git", "git+https://github.com/o/r", SHA, "digest", 2, True)],
    ),
    (("uv", "pip", "install", "x"), [("pip install", "pypi", "x", None, "floating", 3, False)]),
    # git
    (
        ("bash", "-c", "git clone https://github.com/o/r && cd r && npm ci && node index.js"),
        [("git clone", "git", "https://github.com/o/r", None, "floating", 2, True)],
    ),
    (
        ("bash", "-c", f"git clone https://github.com/o/r /tmp/r && git -C /tmp/r checkout {SHA} && node /tmp/r/x.js"),
        [("git clone", "git", "https://github.com/o/r", SHA, "digest", 2, True)],
    ),
    (
        ("bash", "-c", "git clone --depth 1 -b v1.2 https://github.com/o/r"),
        [("git clone", "git", "https://github.com/o/r", "v1.2", "floating", 2, True)],
    ),
    # containers
    (("docker", "run", "-i", "--rm", "ghcr.io/o/i"), [("docker run", "oci", "ghcr.io/o/i", None, "floating", 4, False)]),
    (("docker", "run", "-i", "ghcr.io/o/i:latest"), [("docker run", "oci", "ghcr.io/o/i", "latest", "latest", 3, False)]),
    (("docker", "run", "-i", "ghcr.io/o/i:1.2"), [("docker run", "oci", "ghcr.io/o/i", "1.2", "mutable-tag", 3, False)]),
    (("docker", "run", "-i", f"ghcr.io/o/i@{DIGEST}"), [("docker run", "oci", "ghcr.io/o/i", DIGEST, "digest", 3, False)]),
    (("docker", "run", "-i", f"ghcr.io/o/i:1.2@{DIGEST}"), [("docker run", "oci", "ghcr.io/o/i", DIGEST, "digest", 3, False)]),
    (
        (
            "docker", "run", "-i", "--rm", "-e", "X", "--env", "Y=1", "-v", "/a:/b", "--network", "bridge",
            "--name", "n", "-p", "8080:80", "--mount", "type=bind,src=/a,dst=/b", "-w", "/w", "-u", "1000",
            "--entrypoint", "/bin/sh", "--platform", "linux/amd64", "--pull", "always", "ghcr.io/o/i:1.2", "serve",
        ),
        [("docker run", "oci", "ghcr.io/o/i", "1.2", "mutable-tag", 28, False)],
    ),  # fmt: skip
    (("docker", "run", "-it", "-eFOO=1", "--env=BAR=2", "mcp/fetch"), [("docker run", "oci", "mcp/fetch", None, "floating", 5, False)]),
    (("docker", "container", "run", "mcp/fetch:latest"), [("docker run", "oci", "mcp/fetch", "latest", "latest", 3, False)]),
    (("docker", "--context", "remote", "run", "mcp/fetch"), [("docker run", "oci", "mcp/fetch", None, "floating", 4, False)]),
    (("podman", "run", "--rm", "-i", "quay.io/o/i:1"), [("podman run", "oci", "quay.io/o/i", "1", "mutable-tag", 4, False)]),
    (("docker", "run", "python:3.12"), [("docker run", "oci", "python", "3.12", "mutable-tag", 2, False)]),
    (("docker", "run", "localhost:5000/x"), [("docker run", "oci", "localhost:5000/x", None, "floating", 2, False)]),
    (("docker", "run", "${IMAGE}"), [("docker run", "oci", "${IMAGE}", None, "variable", 2, False)]),
    (("docker", "run", "-i", "--rm", "kali-mcp-server"), []),
    (("docker", "mcp", "gateway", "run"), []),
    (("docker", "compose", "run", "svc"), []),
    (("docker", "exec", "-i", "c", "x"), []),
    (("bash", "-c", "docker run -i --rm mcp/time:latest"), [("docker run", "oci", "mcp/time", "latest", "latest", 2, True)]),
    # local code: nothing fetched
    (("node", "build/index.js"), []),
    (("node", "mcp-stdio/build/index.js"), []),
    (("python", "-m", "mcp_server_time", "--local-timezone=Asia/Taipei"), []),
    (("python", "C:/Github/py-mcp-mssql/src/mssql/server.py"), []),
    (("./server",), []),
    (("/opt/bin/x",), []),
    (("node", "${workspaceFolder}/.ai/mcp/launchers/github.mjs"), []),
    (("mcp", "run", "repos/backstage-techdocs-mcp/backstage-techdocs-mcp-server/server.py"), []),
    (("agent-bridge-mcp",), []),
    (("/opt/homebrew/bin/node", "/Users/mossified/Sites/deso-mcp/deso-mcp.js"), []),
    (("bash", "run.sh"), []),
    (("powershell", "-File", "start.ps1"), []),
]


@pytest.mark.parametrize(("words", "expected"), CASES, ids=[" ".join(c[0])[:60] for c in CASES])
def test_invocations(words: tuple[str, ...], expected: list[tuple[object, ...]]) -> None:
    assert found(*words) == expected


# The stdio servers of the corpus (mcp-client-config, smithery), as their files write them.
CORPUS = [
    (("npx", "-y", "task-orchestrator-mcp"), "task-orchestrator-mcp", "floating"),
    (("npx", "-y", "@modelcontextprotocol/server-sequential-thinking"), "@modelcontextprotocol/server-sequential-thinking", "floating"),
    (("npx", "mcp-remote", "https://mcp.squareup.com/sse"), "mcp-remote", "floating"),
    (("npx", "-y", "chrome-devtools-mcp"), "chrome-devtools-mcp", "floating"),
    (("bash", "-c", "npx -y tavily-mcp@0.1.3"), "tavily-mcp", "exact"),
    (("uvx", "mcp-server-fetch"), "mcp-server-fetch", "floating"),
    (("npx", "-y", "@apify/actors-mcp-server", "--actors", "apify/rag-web-browser"), "@apify/actors-mcp-server", "floating"),
    (("cmd.exe", "/c", "npx.cmd", "-y", "@executeautomation/playwright-mcp-server"), "@executeautomation/playwright-mcp-server", "floating"),
    (("uvx", "cerebrus-pulse-mcp"), "cerebrus-pulse-mcp", "floating"),
    (
        ("docker", "run", "--rm", "-i", "-e", "OBSIDIAN_API_KEY=${input:obsidian-api-key}", "-e",
         "OBSIDIAN_REST_URL=https://host.docker.internal:27124", "-e", "OBSIDIAN_OPENAPI_PATH=/openapi.yaml",
         "ghcr.io/alexw00/obsidian-rest-mcp:latest"),
        "ghcr.io/alexw00/obsidian-rest-mcp",
        "latest",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("words", "package", "pin"), CORPUS, ids=[c[1] for c in CORPUS])
def test_corpus_commands(words: tuple[str, ...], package: str, pin: str) -> None:
    [invocation] = invocations(launch(*words))
    assert (invocation.package, invocation.pin.value) == (package, pin)


def test_script_position_is_the_script_argument() -> None:
    [invocation] = invocations(launch("bash", "-c", "npx -y tavily-mcp"))
    assert invocation.text.value == "npx -y tavily-mcp" and invocation.text.ref.pointer == ("args", 2)


@pytest.mark.parametrize(
    ("ecosystem", "identifier", "version", "digest", "pin"),
    [
        ("npm", "@acme/x", "1.4.2", None, "exact"),
        ("npm", "@acme/x", "latest", None, "latest"),
        ("npm", "@acme/x", "^1.2", None, "range"),
        ("npm", "@acme/x", "1.2", None, "range"),
        ("npm", "@acme/x", None, None, "floating"),
        ("pypi", "acme", "1.0", None, "exact"),
        ("pypi", "acme", ">=1", None, "range"),
        ("pypi", "acme", None, None, "floating"),
        ("nuget", "Acme.Mcp", "1.0.0-beta", None, "exact"),
        ("nuget", "Acme.Mcp", "[1.0,2.0)", None, "range"),
        ("cargo", "acme", "1.2.3", None, "exact"),
        ("oci", "ghcr.io/o/i", None, None, "floating"),
        ("oci", "ghcr.io/o/i:latest", None, None, "latest"),
        ("oci", "ghcr.io/o/i:1.0", None, None, "mutable-tag"),
        ("oci", "ghcr.io/o/i", "1.0", None, "mutable-tag"),
        ("oci", f"ghcr.io/o/i@{DIGEST}", None, None, "digest"),
        ("oci", "ghcr.io/o/i:1.0", "1.0", DIGEST, "digest"),
        ("oci", "registry:5000/o/i", None, None, "floating"),
        ("mcpb", "https://acme.dev/x.mcpb", "1.0.0", None, "floating"),
        ("mcpb", "https://acme.dev/x.mcpb", "1.0.0", "ab" * 32, "digest"),
        ("git", "https://github.com/o/r", "main", SHA, "digest"),
        ("git", "https://github.com/o/r", "main", None, "floating"),
        ("git", "https://github.com/o/r", None, "abc123", "floating"),
    ],
)
def test_package_pin(ecosystem: str, identifier: str, version: str | None, digest: str | None, pin: str) -> None:
    package = PackageRef(NodeRef("server.json"), Span.point(1), (), ecosystem, identifier, version, digest)
    assert pins.package_pin(package)[0].value == pin


def privileges_of(*words: str) -> list[tuple[str, str, int]]:
    return [(p.kind, p.option, p.word.text.span.line - 1) for run in container_runs(launch(*words)) for p in privileges(run)]


def test_privileges_of_the_kali_corpus_server() -> None:
    words = ("docker", "run", "-i", "--rm", "--network", "host", "-e", "MCP_ALLOWED_TARGETS=scanme.nmap.org", "kali-mcp-server")
    assert privileges_of(*words) == [("host-network", "--network host", 4)]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (("--net=host",), [("host-network", "--net=host", 2)]),
        (("--pid", "host"), [("host-pid", "--pid host", 2)]),
        (("--privileged",), [("privileged", "--privileged", 2)]),
        (("--privileged=false",), []),
        (("--cap-add", "ALL"), [("capability", "--cap-add ALL", 2)]),
        (("--cap-add=CAP_SYS_ADMIN",), [("capability", "--cap-add=CAP_SYS_ADMIN", 2)]),
        (("--cap-add", "NET_BIND_SERVICE"), []),
        (("-v", "/:/host:ro"), [("host-root-mount", "-v /:/host:ro", 2)]),
        (("-v", "/home/me/data:/data"), []),
        (("-v", "cache:/cache"), []),
        (("--volume=/var/run/docker.sock:/var/run/docker.sock",), [("docker-socket-mount", "--volume=/var/run/docker.sock:/var/run/docker.sock", 2)]),
        (("-v", "//var/run/docker.sock:/var/run/docker.sock"), [("docker-socket-mount", "-v //var/run/docker.sock:/var/run/docker.sock", 2)]),
        (("-v", "\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine"), [("docker-socket-mount", "-v \\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine", 2)]),
        (("--mount", "type=bind,source=/,target=/host"), [("host-root-mount", "--mount type=bind,source=/,target=/host", 2)]),
        (("--mount", "type=bind,src=/run/docker.sock,dst=/run/docker.sock"), [("docker-socket-mount", "--mount type=bind,src=/run/docker.sock,dst=/run/docker.sock", 2)]),
        (("--mount", "type=volume,source=data,target=/data"), []),
        (("--network", "none", "-e", "NOTE=--privileged"), []),
    ],
)
def test_privileges(options: tuple[str, ...], expected: list[tuple[str, str, int]]) -> None:
    assert privileges_of("docker", "run", *options, "acme/srv:1", "--privileged") == expected


def test_privileges_in_a_script_point_at_the_script() -> None:
    assert privileges_of("sh", "-c", "podman run --privileged -i acme/x:1") == [("privileged", "--privileged", 2)]


@pytest.mark.parametrize(
    ("volume", "kind"),
    [
        ("/var/run/docker.sock:/var/run/docker.sock", "docker-socket-mount"),
        ("/:/host", "host-root-mount"),
        ("{{kubernetes.config_path}}:/home/appuser/.kube/config", None),
        ("/data:/data", None),
    ],
)
def test_catalog_volumes(volume: str, kind: str | None) -> None:
    found_ = volume_privilege(Text(volume, Span.point(1), NodeRef("server.yaml")))
    assert (found_.kind if found_ else None) == kind
    assert mount_risk(volume.split(":")[0]) == kind
