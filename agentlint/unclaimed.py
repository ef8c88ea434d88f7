"""Which skipped files a run announces: the ones a user would expect agentlint to have read.

Conservative on purpose: a repository's CI workflows, ``package.json``, JSON Schemas or lock
files are not agent configuration, and announcing them on every run would teach users to ignore
the note. A skipped file is announced when it was named on the command line, when it is a
prompt file (``.prompty``/``.prompt``) no adapter claims, or when it is YAML/JSON/TOML whose
*top-level* keys include one that only agent, MCP or prompt configuration uses (``agents``,
``mcpServers``, ``mcp_servers``, ``prompts``, ``system_prompt``) and no adapter recognised it.
A nested key (a schema's ``properties.prompts``, an exported graph's ``graphs[].agents``) is
not enough. A ``.py`` the prefilter skipped is announced when it imports an agent library whose
*code* agentlint does not read (CrewAI, AutoGen 0.2/AG2, LlamaIndex …): that
agent code was not checked, and the run must not look like it was.
"""

from __future__ import annotations

import json
import os
import re

KEYS = frozenset({"agents", "mcpServers", "mcp_servers", "prompts", "system_prompt"})
_ALTERNATIVES = "|".join(sorted(KEYS))
# A key in column 0 (YAML ``agents:``, TOML ``agents =``), or a TOML table such as
# ``[mcp_servers.github]`` / ``[[agents]]``.
_TOP_LEVEL_KEY = re.compile(
    rf"""(?m)^["']?(?:{_ALTERNATIVES})["']?[ \t]*[:=]|^\[\[?[ \t]*["']?(?:{_ALTERNATIVES})["']?[ \t]*[\].]"""
)
_JSON = frozenset({".json", ".jsonc"})
_YAML_TOML = frozenset({".yaml", ".yml", ".toml"})
_PROMPTS = frozenset({".prompty", ".prompt"})
_MAX_JSON_CHARS = 2_000_000  # larger unclaimed JSON is data, not configuration: not parsed


# Import roots of agent frameworks whose Python code no adapter reads (markers.LIBRARIES are
# the ones that are). Substrings first, a cheap scan like the prefilter's; the import regex
# only runs on the few files that contain one.
_AGENT_LIBRARIES = (b"autogen", b"llama_index", b"semantic_kernel", b"haystack", b"dspy", b"agno")
_HEAD_BYTES = 8192  # imports sit at the top: the cost stays flat whatever the module's size
_IMPORT = re.compile(
    rb"(?m)^[ \t]*(?:from[ \t]+|import[ \t]+)"
    rb"(autogen_core|autogen_ext|autogen(?!_agentchat)|llama_index|semantic_kernel|haystack|dspy|agno)\b"
)


def unread_agent_code(raw: bytes) -> str:
    """``imports dspy: agent code agentlint does not read`` for a module that imports an agent
    framework agentlint does not read in code, else ``""``."""
    head = raw[:_HEAD_BYTES]
    if not any(marker in head for marker in _AGENT_LIBRARIES):
        return ""
    match = _IMPORT.search(head)
    if match is None:
        return ""
    return f"imports {match.group(1).decode('ascii')}: agent code agentlint does not read"


def worth_announcing(path: str, text: str | None, explicit: bool) -> bool:
    """Whether a file no adapter claimed should be reported as not recognised."""
    if explicit:
        return True
    extension = os.path.splitext(path.rsplit("/", 1)[-1])[1].lower()
    if extension in _PROMPTS:
        return True
    if text is None:
        return False
    if extension in _YAML_TOML:
        return _TOP_LEVEL_KEY.search(text) is not None
    if extension in _JSON and len(text) <= _MAX_JSON_CHARS:
        try:
            data = json.loads(text)
        except ValueError:  # JSONC with comments, or broken: not worth a guess
            return False
        return isinstance(data, dict) and not KEYS.isdisjoint(data)
    return False
