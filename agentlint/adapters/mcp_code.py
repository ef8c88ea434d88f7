"""MCP servers started from Python code (OpenAI Agents SDK, the MCP SDK, ADK McpToolset,
langchain_mcp_adapters) -> ``ToolServer`` entities, so that the pinning, secret, transport,
privilege and timeout rules judge them as they judge client configs (``_code/mcp_servers.py``)."""

from __future__ import annotations

from agentlint.adapters._code.mcp_servers import read_servers
from agentlint.adapters._code.scope import facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax


def claims(path: str, text: str) -> bool:
    return path.endswith(".py") and "mcp" in text


def adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    if facts is None:
        return Adapted()
    return Adapted(entities=list(read_servers(facts)))


ADAPTER = Adapter("mcp-code", frozenset({Syntax.PYTHON}), claims, adapt)
