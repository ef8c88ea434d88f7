"""MCP servers started from Python code (OpenAI Agents SDK, the MCP SDK, ADK McpToolset,
langchain_mcp_adapters) become ToolServers that the existing AL2xx rules judge, located at
the literals in the code. Shapes from real files: openai/openai-agents-python
examples/mcp/git_example/main.py, Trace-0/Project_Jia Source/LLM/langchain_tools/mcp_manager.py,
beijijizhou/mcp-server-demo mcp_config.py (a literal key in env; the key here is made up),
Mew-72/Personal-Desktop-Agent app/jarvis/tools/file_system.py and
miachoidev/stock-project-server stock/utils/mcp/file_system.py (ADK)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.mcp_code import adapt, claims
from agentlint.loaders.python import load_python
from agentlint.model.tools import ToolServer, Transport
from tests.helpers import mutated_source, project_findings


def servers(text: str, path: str = "tools.py") -> list[ToolServer]:
    return [e for e in adapt(load_python(path, text)).entities if isinstance(e, ToolServer)]


GIT_EXAMPLE = """\
import asyncio
import shutil

from agents import Agent, Runner, trace
from agents.mcp import MCPServer, MCPServerStdio


async def main():
    directory_path = input("Please enter the path to the git repository: ")

    async with MCPServerStdio(params={"command": "uvx", "args": ["mcp-server-git"]}) as server:
        with trace(workflow_name="MCP Git Example"):
            await run(server, directory_path)
"""

LANGCHAIN = """\
from langchain_mcp_adapters.client import MultiServerMCPClient

client = MultiServerMCPClient(
    {
        "ddg-search": {
            "command": "uvx",
            "args": ["duckduckgo-mcp-server"],
            "transport": "stdio"
        },
        "docs": {"url": "http://docs.example.org/mcp", "transport": "streamable_http"},
        "local": {"url": "http://localhost:8000/mcp", "transport": "streamable_http"},
    }
)
"""

MCP_SDK = """\
import os

from mcp import ClientSession, StdioServerParameters

js_mcp_server_params = StdioServerParameters(
    command="uv",  # Executable
    args=[
        "run",
        "--with",
        "mcp[cli]",
        "mcp",
        "run",
        "/Users/me/Desktop/mcp-server-demo/server.py"
    ],
    env={
        "PINECONE_API_KEY": "pcsk_7Hq2Lm_9TzR4wVb8KxN3pQy6JdF1sGc5",
        "PINECONE_ENV": "us-east-1-aws",
        "HOME_DIR": os.environ["HOME"],
    },
)
"""

ADK = """\
import os
from google.adk.tools.mcp_tool import McpToolset
from google.adk.tools.mcp_tool.mcp_session_manager import StdioConnectionParams
from google.adk.tools.mcp_tool.mcp_toolset import MCPToolset, StdioServerParameters as LegacyParams
from mcp import StdioServerParameters

TARGET_FOLDER_PATH = os.getcwd()

file_mcp = McpToolset(
    connection_params=StdioConnectionParams(
        server_params=StdioServerParameters(
            command='npx',
            args=[
                "-y",  # Argument for npx to auto-confirm install
                "@modelcontextprotocol/server-filesystem",
                os.path.abspath(TARGET_FOLDER_PATH),
            ]
        )
    )
)

legacy = MCPToolset(connection_params=LegacyParams(command="npx", args=["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/"]))
"""

OPENAI_SETTINGS = """\
import os

from agents.mcp import MCPServerSse, MCPServerStdio, MCPServerStreamableHttp

VERSION = os.getenv("TOOL_VERSION")


async def main(root: str, extra: list[str], cfg):
    files = MCPServerStdio(
        name="files",
        params={"command": "npx", "args": ["-y", "@acme/files-mcp@1.4.2", root]},
        client_session_timeout_seconds=600,
    )
    tool = MCPServerStdio(params={"command": "npx", "args": ["-y", f"@acme/tool@{VERSION}"]}, client_session_timeout_seconds=None)
    passed = MCPServerStdio(params={"command": "npx", "args": extra}, client_session_timeout_seconds=cfg.timeout)
    quick = MCPServerStdio(params={"command": "uvx", "args": ["mcp-server-time==0.6.2"]}, client_session_timeout_seconds=30)
    default = MCPServerStdio(params={"command": "uvx", "args": ["mcp-server-fetch==2025.4.7"]})
    remote = MCPServerSse(params={"url": "http://tickets.example.com/sse", "headers": {"Authorization": "Bearer 7Hq2Lm9TzR4wVb8KxN3pQy6JdF1sGc5"}})
    local = MCPServerStreamableHttp(params={"url": "http://localhost:8000/mcp"})
    given = MCPServerStdio(params=cfg.params)
"""


def test_claims_python_naming_mcp() -> None:
    assert claims("tools.py", GIT_EXAMPLE)
    assert not claims("tools.py", "import os\n")
    assert not claims("mcp.json", GIT_EXAMPLE)


def test_openai_stdio_server_is_located_at_its_literals() -> None:
    (server,) = servers(GIT_EXAMPLE, "examples/mcp/git_example/main.py")
    assert (server.name, server.dialect, server.transport) == ("stdio: uvx", "openai-agents", Transport.STDIO)
    assert server.launch is not None
    assert server.launch.command.value == "uvx" and server.launch.command.span.start == (11, 50)
    assert [(a.value, a.span.start) for a in server.launch.args] == [("mcp-server-git", (11, 66))]
    # client_session_timeout_seconds unset: the SDK's 5 s is the bound (not missing)
    assert server.timeout is not None and (server.timeout.seconds, server.timeout.span) == (5.0, None)


def test_real_shapes_give_the_findings_a_reviewer_would(tmp_path: Path) -> None:
    found = project_findings(
        tmp_path,
        {"git/main.py": GIT_EXAMPLE, "mcp_manager.py": LANGCHAIN, "mcp_config.py": MCP_SDK, "file_system.py": ADK},
        families=("AL2",),
    )
    assert found == [
        ("AL201", "file_system.py", 15, 17),  # npx -y @modelcontextprotocol/server-filesystem (ADK, new style)
        ("AL201", "git/main.py", 11, 66),  # uvx mcp-server-git
        ("AL201", "mcp_manager.py", 7, 22),  # uvx duckduckgo-mcp-server
        ("AL202", "mcp_config.py", 16, 29),  # PINECONE_API_KEY literal; os.environ["HOME"] is not one
        ("AL203", "mcp_manager.py", 10, 25),  # plain http to another host; localhost is fine
        ("AL204", "file_system.py", 22, 132),  # the legacy toolset serves "/"; pinned, so no AL201
    ]


def test_openai_settings_timeouts_headers_and_unknowns(tmp_path: Path) -> None:
    found = project_findings(tmp_path, {"agent/tools.py": OPENAI_SETTINGS}, families=("AL2",))
    assert found == [
        ("AL202", "agent/tools.py", 18, 105),  # a literal bearer token in headers
        ("AL203", "agent/tools.py", 18, 42),  # plain http to tickets.example.com
        ("AL208", "agent/tools.py", 12, 9),  # 600 s per tool call, at the keyword
        ("AL208", "agent/tools.py", 14, 12),  # None disables the read timeout: no limit
    ]
    by_name = {s.ref.pointer[-1]: s for s in servers(OPENAI_SETTINGS)}  # two unnamed npx servers: refs differ
    # an f-string version, a list passed in, a timeout from config: placeholders and unknowns
    assert [a.value for a in by_name["stdio: npx"].launch.args] == ["-y", "@acme/tool@${VERSION}"]
    assert [a.value for a in by_name["stdio: npx#2"].launch.args] == ["${extra}"]
    assert by_name["stdio: npx#2"].timeout is None
    assert "given" not in by_name and len(by_name) == 7  # params passed in: nothing stated, nothing emitted


def test_adk_and_sdk_parameters_are_one_server_each() -> None:
    found = servers(ADK, "file_system.py")
    assert [(s.dialect, s.span.start.line, s.launch.command.value if s.launch else None) for s in found] == [
        ("mcp-sdk", 11, "npx"),
        ("mcp-sdk", 22, "npx"),
    ]
    assert found[0].launch is not None and found[0].launch.args[2].value.startswith("${os.path.abspath(")


def test_sdk_url_clients_and_env_values() -> None:
    text = (
        "from mcp.client.sse import sse_client\nfrom mcp.client.streamable_http import streamablehttp_client\n"
        "async def go(url):\n"
        "    async with sse_client('http://search.example.net/sse') as s: pass\n"
        "    async with streamablehttp_client(url, headers={'X-Api-Key': KEY}) as h: pass\n"
    )
    found = servers(text)
    assert [(s.transport, s.url.value if s.url else None) for s in found] == [
        (Transport.SSE, "http://search.example.net/sse"),
        (Transport.HTTP, "${url}"),
    ]
    assert [(h.name, h.value) for h in found[1].headers] == [("X-Api-Key", None)]
    (config,) = servers(MCP_SDK)
    assert [(e.name, e.value) for e in config.env] == [
        ("PINECONE_API_KEY", "pcsk_7Hq2Lm_9TzR4wVb8KxN3pQy6JdF1sGc5"),
        ("PINECONE_ENV", "us-east-1-aws"),
        ("HOME_DIR", None),
    ]


def test_autogen_server_params(tmp_path: Path) -> None:
    text = (
        "from autogen_ext.tools.mcp import McpWorkbench, SseServerParams, StdioServerParams\n"
        "fetch = StdioServerParams(command='uvx', args=['mcp-server-fetch'], read_timeout_seconds=900)\n"
        "files = StdioServerParams(command='npx', args=['-y', '@modelcontextprotocol/server-filesystem@2025.8.21', '.'])\n"
        "remote = SseServerParams(url='https://tools.example.com/sse', headers={'Authorization': 'Bearer 7Hq2Lm9TzR4wVb8KxN3pQy6JdF1sGc5'})\n"
        "workbench = McpWorkbench(server_params=fetch)\n"
    )
    assert [(s.dialect, s.transport, s.timeout.seconds if s.timeout else None) for s in servers(text)] == [
        ("autogen", Transport.STDIO, 900.0),
        ("autogen", Transport.STDIO, 5.0),  # read_timeout_seconds unset: AutoGen's 5 s
        ("autogen", Transport.SSE, None),
    ]
    assert project_findings(tmp_path, {"team.py": text}, families=("AL2",)) == [
        ("AL201", "team.py", 2, 48),
        ("AL202", "team.py", 4, 89),
        ("AL208", "team.py", 2, 69),
    ]


def test_the_older_langchain_client_api() -> None:
    text = (
        "from langchain_mcp_adapters.client import MultiServerMCPClient\n"
        "async def tools(weather_server_path, config):\n"
        "    async with MultiServerMCPClient() as client:\n"
        "        await client.connect_to_server('math', transport='stdio', command='npx', args=['-y', 'math-mcp'])\n"
        "        await client.connect_to_server_via_stdio('weather', command='python', args=[weather_server_path])\n"
        "        await client.connect_to_server_via_sse('news', url='http://news.example.com/sse')\n"
        "        await client.connect_to_server(config.name, command=config.command)\n"
    )
    found = servers(text)
    assert [(s.name, s.transport, s.span.start.line) for s in found] == [
        ("math", Transport.STDIO, 4),
        ("weather", Transport.STDIO, 5),
        ("news", Transport.SSE, 6),
    ]
    assert [a.value for a in found[0].launch.args] == ["-y", "math-mcp"]
    assert servers(text.replace("langchain_mcp_adapters.client", "other.client")) == []  # another library's method


def test_a_name_bound_twice_or_a_spread_is_not_read_as_a_value() -> None:
    text = (
        "from agents.mcp import MCPServerStdio\n"
        "args = ['-y', 'a-server']\nargs = ['-y', 'b-server@1.0.0']\n"
        "s = MCPServerStdio(params={'command': 'npx', 'args': args})\n"
        "t = MCPServerStdio(params={'command': 'npx', **more})\n"
    )
    first, second = servers(text)
    assert [a.value for a in first.launch.args] == ["${args}"]
    assert [a.value for a in second.launch.args] == ["${args}"]


HOSTED = """\
from agents import Agent, HostedMCPTool

agent = Agent(
    name="Assistant",
    tools=[
        HostedMCPTool(
            tool_config={
                "type": "mcp",
                "server_label": "deepwiki",
                "server_url": "https://mcp.deepwiki.com/mcp",
                "require_approval": "never",
            }
        ),
        HostedMCPTool(tool_config={"type": "mcp", "server_label": "crm", "server_url": "http://crm.example.com/mcp",
                                   "require_approval": {"never": {"tool_names": ["search", "delete_contact"]}}}),
        HostedMCPTool(tool_config={"type": "mcp", "server_label": "safe", "server_url": "https://safe.example.com/mcp"}),
    ],
)
"""


def test_hosted_mcp_tools_are_remote_servers_with_their_approvals(tmp_path: Path) -> None:
    # examples/hosted_mcp/simple.py of openai-agents-python approves every DeepWiki tool
    found = project_findings(tmp_path, {"hosted.py": HOSTED}, families=("AL2",))
    assert found == [
        ("AL203", "hosted.py", 14, 88),  # the API reaches crm over plain http
        ("AL206", "hosted.py", 11, 37),  # require_approval="never": every tool
        ("AL206", "hosted.py", 15, 82),  # the named tools, none known read-only
    ]
    assert [(s.name, s.transport, [t.value for t in s.auto_approve]) for s in servers(HOSTED)] == [
        ("deepwiki", Transport.HTTP, ["*"]),
        ("crm", Transport.HTTP, ["search", "delete_contact"]),
        ("safe", Transport.HTTP, []),
    ]


LINES = (HOSTED + OPENAI_SETTINGS + LANGCHAIN + ADK).splitlines()

NOISE = (", **kw", "(", ")", "[0]", ", *rest", "}", " or None")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_sources_never_crash(data: st.DataObject) -> None:
    loaded = load_python("tools.py", mutated_source(data, LINES, NOISE))
    adapt(loaded)  # never raises, whatever it reads
