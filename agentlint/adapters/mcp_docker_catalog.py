"""Docker MCP Catalog entries (``docker/mcp-registry``): ``servers/<name>/server.yaml`` and the
optional ``tools.json`` next to it (FORMATS.md §4.6).

``server.yaml`` → one ``ToolServer(dialect="docker-catalog", config="manifest")``. What it runs
from becomes PackageRefs: the ``image`` (tag and digest read from the reference) and the git
``source`` (branch as version, commit as digest). Images named ``mcp/<name>`` are built by
Docker from that pinned ``source``, so for them the source is the package and the image is
kept only as ``extra["image"]``. ``poci`` entries run a container per tool call: each
``tools[].container.image`` is a package too, and ``tools[].parameters`` the tool's schema.

``tools.json`` is a static tool list ``[{name, description, arguments[{name, type, desc}]}]``:
not a ``tools/list`` dump, so its tools carry no input schema and no annotations.
"""

from __future__ import annotations

import posixpath
import re

from agentlint.adapters.base import Adapter, deferred, forward
from agentlint.loaders.base import Syntax

_TOP = {key: re.compile(rf"^{key}:", re.M) for key in ("name", "image", "about", "source", "remote", "tools")}
_TYPE = re.compile(r"""^type:[ \t]*["']?(?:server|remote|poci)["']?[ \t]*(?:#.*)?$""", re.M)
_TOOLS_JSON = re.compile(r'\A\s*\[\s*\{')
_ARGUMENTS = re.compile(r'"arguments"\s*:\s*\[')


def claims(path: str, text_: str) -> bool:
    base = posixpath.basename(path).lower()
    if base == "tools.json":  # with an inputSchema it is a tools/list dump (mcp_tools_list)
        return _TOOLS_JSON.search(text_) is not None and _ARGUMENTS.search(text_) is not None and '"inputSchema"' not in text_
    if base != "server.yaml" or not _TOP["name"].search(text_):
        return False
    has = {key: pattern.search(text_) is not None for key, pattern in _TOP.items()}
    typed = _TYPE.search(text_) is not None
    if has["image"]:
        return typed or has["about"] or has["source"]
    return typed and (has["about"] or has["remote"] or has["tools"])  # remote and poci entries


adapt = deferred("agentlint.adapters._mcp_docker_catalog_read")
__getattr__ = forward("agentlint.adapters._mcp_docker_catalog_read", __name__)

ADAPTER = Adapter("mcp-docker-catalog", frozenset({Syntax.YAML, Syntax.JSON}), claims, adapt)
