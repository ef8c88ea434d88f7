"""MCP servers the support agents use."""

import os

from agents.mcp import MCPServerSse, MCPServerStdio

# order history, read from the shop's database by a published server
orders = MCPServerStdio(
    name="orders",
    params={"command": "npx", "args": ["-y", "@acme/orders-mcp"]},
    client_session_timeout_seconds=20,
)

# the ticket tracker runs on the office network
tickets = MCPServerSse(
    name="tickets",
    params={"url": "http://tickets.acme.internal:8080/sse"},
)

github = MCPServerStdio(
    name="github",
    params={
        "command": "docker",
        "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server:v0.17.1"],
        "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": os.environ["GITHUB_TOKEN"]},
    },
    client_session_timeout_seconds=30,
)

# refunds can take a while: wait for them
refunds = MCPServerStdio(
    name="refunds",
    params={"command": "uvx", "args": ["acme-refunds-mcp==1.4.2"]},
    client_session_timeout_seconds=900,
)
