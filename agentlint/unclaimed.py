"""Which skipped files a run announces: the ones a user would expect agentlint to have read.

Conservative on purpose: a repository's CI workflows, ``package.json`` or lock files are not
agent configuration, and announcing them on every run would teach users to ignore the note.
A skipped file is announced when it was named on the command line, when it is a prompt file
(``.prompty``/``.prompt``) no adapter claims, or when it is YAML/JSON/TOML with a key that
only agent, MCP or prompt configuration uses (``agents``, ``mcpServers``, ``mcp_servers``,
``prompts``, ``system_prompt``) that no adapter recognised.
"""

from __future__ import annotations

import os
import re

_KEYS = r"agents|mcpServers|mcp_servers|prompts|system_prompt"
# A mapping key at the start of a line (YAML, TOML ``key =``), a quoted key anywhere (JSON),
# or a TOML table header such as ``[mcp_servers.github]``.
_AGENT_KEY = re.compile(
    rf"""(?m)^[ \t]*(?:-[ \t]+)?(?:{_KEYS})[ \t]*[:=]"""
    rf"""|["'](?:{_KEYS})["'][ \t]*:"""
    rf"""|^[ \t]*\[+[ \t]*(?:[\w-]+\.)*(?:{_KEYS})[ \t]*[\].]"""
)
_DATA = frozenset({".yaml", ".yml", ".json", ".jsonc", ".toml"})
_PROMPTS = frozenset({".prompty", ".prompt"})


def worth_announcing(path: str, text: str | None, explicit: bool) -> bool:
    """Whether a file no adapter claimed should be reported as not recognised."""
    if explicit:
        return True
    extension = os.path.splitext(path.rsplit("/", 1)[-1])[1].lower()
    if extension in _PROMPTS:
        return True
    return extension in _DATA and text is not None and _AGENT_KEY.search(text) is not None
