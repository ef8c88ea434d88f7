"""Shared text for the prompt-registry rule examples: an agent graph and a registry header."""

from __future__ import annotations

REGISTRY = """apiVersion: agentlint/v1
kind: PromptRegistry
metadata: {name: desk-prompts}
prompts:
"""


def graph(*agents: tuple[str, str]) -> str:
    """An AgentGraph whose agents (name, prompt reference) use the given prompts."""
    lines = ["apiVersion: agentlint/v1", "kind: AgentGraph", "metadata: {name: desk}", "agents:"]
    for name, prompt in agents:
        lines += [f"  {name}:", f"    role: {name}", f"    prompt: {prompt}"]
    return "\n".join(lines) + "\n"
