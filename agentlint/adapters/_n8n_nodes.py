"""What n8n's node types mean to the n8n adapter: which nodes are AI agents, triggers or
sub-nodes, and how many outputs a node has and what each one means (IF true/false, Loop Over
Items done/loop, Switch rules, the error output). Pure functions of one node's JSON object.

Type names and outputs follow n8n's node definitions (``packages/nodes-base/nodes``,
``packages/@n8n/nodes-langchain``) and ``packages/workflow/src/Interfaces.ts``.
"""

from __future__ import annotations

from typing import Any

from agentlint.adapters._flow import as_number

LANGCHAIN = "@n8n/n8n-nodes-langchain."
AGENT_TYPES = frozenset({LANGCHAIN + "agent", LANGCHAIN + "agentTool"})
# App nodes that call a model themselves (no language-model sub-node).
DIRECT_LLM = frozenset(
    {
        LANGCHAIN + "openAi",
        LANGCHAIN + "anthropic",
        LANGCHAIN + "googleGemini",
        LANGCHAIN + "ollama",
        "n8n-nodes-base.openAi",
    }
)
# Langchain sub-node families (attached to a root node through ai_* connections).
_SUB_PREFIXES = (
    "lmChat",
    "lm",
    "embeddings",
    "memory",
    "tool",
    "outputParser",
    "retriever",
    "textSplitter",
    "document",
    "reranker",
)
_LEGACY_TRIGGERS = frozenset({"webhook", "start", "cron", "interval", "emailReadImap"})


def short_type(node_type: str) -> str:
    return node_type.rsplit(".", 1)[-1]


def is_trigger(node_type: str) -> bool:
    short = short_type(node_type)
    return short.lower().endswith("trigger") or short in _LEGACY_TRIGGERS


def is_sub_node_type(node_type: str) -> bool:
    short = short_type(node_type)
    return short.endswith("Tool") or (node_type.startswith(LANGCHAIN) and short.startswith(_SUB_PREFIXES))


def text_value(value: Any) -> str | None:
    """A plain string, or the value of a resource locator ``{"__rl": true, "value": …}``."""
    if isinstance(value, dict):
        value = value.get("value")
    return value if isinstance(value, str) and value else None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def output_labels(node: dict[str, Any], count: int) -> list[str | None]:
    """Condition of each of a node's ``count`` main outputs: None for a node's only output."""
    node_type = node.get("type", "")
    normal = output_count(node)
    labels: list[str | None]
    short = short_type(node_type) if node_type else ""
    if short == "if":
        labels = ["true", "false"]
    elif short == "splitInBatches" and (as_number(node.get("typeVersion")) or 1) >= 3:
        labels = ["done", "loop"]
    elif short == "filter":
        labels = [None] if count <= 1 else ["kept", "discarded"]
    elif normal is not None and normal == 1 and count <= 1:
        labels = [None]
    else:
        labels = [f"output {i}" for i in range(max(count, normal or 0))]
    if node.get("onError") == "continueErrorOutput" and count >= 2:
        error_at = normal if normal is not None else count - 1
        while len(labels) <= error_at:
            labels.append(f"output {len(labels)}")
        labels[error_at] = "error"
    return labels


def output_count(node: dict[str, Any]) -> int | None:
    """How many normal (non-error) outputs a node has, where the type says; None if unknown."""
    short = short_type(node.get("type", ""))
    params = as_dict(node.get("parameters"))
    if short == "if":
        return 2
    if short == "splitInBatches":
        return 2 if (as_number(node.get("typeVersion")) or 1) >= 3 else 1
    if short == "switch":
        rules = params.get("rules")
        values = rules.get("values", rules.get("rules")) if isinstance(rules, dict) else None
        if not isinstance(values, list):
            return None
        options = as_dict(params.get("options"))
        return len(values) + (1 if options.get("fallbackOutput") == "extra" else 0)
    if short in ("filter", "compareDatasets"):
        return None
    return 1


def loop_output(node: dict[str, Any]) -> str | None:
    """The output index (as a string) that runs a Loop Over Items body, unless
    ``options.reset`` makes every re-entry start over (then it is an ordinary loop)."""
    params = as_dict(node.get("parameters"))
    options = as_dict(params.get("options"))
    if options.get("reset") not in (None, False):
        return None
    return "1" if (as_number(node.get("typeVersion")) or 1) >= 3 else "0"
