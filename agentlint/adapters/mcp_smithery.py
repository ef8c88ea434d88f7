"""``smithery.yaml``: how Smithery builds and starts an MCP server (FORMATS.md §4.5).

Two generations: the legacy ``startCommand {type: stdio, configSchema, commandFunction,
exampleConfig}``, where ``commandFunction`` is a JavaScript arrow function returning
``{command, args, env}``, and the current ``runtime`` + ``startCommand {type: http,
configSchema, exampleConfig}``. The JavaScript is never executed: its string literals are read
by ``_js_literals`` and placed at their exact positions inside the YAML scalar that holds them.

One file → one ``ToolServer(dialect="smithery", config="manifest")``; ``configSchema`` is
``extra["config_schema"]`` (a Schema, for the contract rules) and ``exampleConfig`` with it an
``ExampleConfig`` that must satisfy it.
"""

from __future__ import annotations

import posixpath

from agentlint.adapters.base import Adapter, deferred, forward
from agentlint.loaders.base import Syntax

_NAMES = ("smithery.yaml", "smithery.yml")


def claims(path: str, text_: str) -> bool:
    return posixpath.basename(path).lower() in _NAMES


adapt = deferred("agentlint.adapters._mcp_smithery_read")
__getattr__ = forward("agentlint.adapters._mcp_smithery_read", __name__)

ADAPTER = Adapter("mcp-smithery", frozenset({Syntax.YAML}), claims, adapt)
