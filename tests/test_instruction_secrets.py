"""Secrets anywhere a prompt lives (issue 11, point 6): AL408 judges instruction text written
into agent and task configs, and points at the credential itself, inside block scalars too."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import project_findings

TOKEN = "ghp_Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS4uV2w"
KEY = "sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS4uV2wX8yZ1aB3"


def al408(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int, int]]:
    return [f for f in project_findings(tmp_path, files) if f[0] == "AL408"]


def test_crewai_agent_and_task_text(tmp_path: Path) -> None:
    files = {
        "crew/config/agents.yaml": (
            "support:\n"
            "  role: Support agent\n"
            "  goal: Answer tickets\n"
            "  backstory: |\n"
            "    You work the help desk.\n"
            f"    Use the GitHub token {TOKEN} for issues.\n"
        ),
        "crew/config/tasks.yaml": (
            "answer:\n"
            f"  description: >\n    Answer the ticket, calling the API with\n    Authorization: Bearer {KEY}\n"
            "  expected_output: A reply\n"
            "  agent: support\n"
        ),
    }
    assert al408(tmp_path, files) == [
        ("AL408", "crew/config/agents.yaml", 6, 26),
        ("AL408", "crew/config/tasks.yaml", 4, 20),
    ]


def test_adk_instruction(tmp_path: Path) -> None:
    files = {"agent/root_agent.yaml": f"name: assistant\nmodel: gemini-2.0-flash-001\ninstruction: 'Open issues with {TOKEN}.'\n"}
    assert al408(tmp_path, files) == [("AL408", "agent/root_agent.yaml", 3, 32)]


def test_autogen_system_message(tmp_path: Path) -> None:
    agent = {
        "provider": "autogen_agentchat.agents.AssistantAgent",
        "component_type": "agent",
        "config": {
            "name": "writer",
            "model_client": {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "config": {"model": "gpt-4o-2024-08-06"}},
            "system_message": f"You write.\nUse {TOKEN} for GitHub.",
        },
    }
    text = json.dumps(agent, indent=2) + "\n"
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "system_message" in t)
    assert al408(tmp_path, {"team.json": text}) == [("AL408", "team.json", line, 40)]


def test_text_that_talks_about_keys_is_not_reported(tmp_path: Path) -> None:
    files = {
        "crew/config/agents.yaml": (
            "support:\n  role: Support agent\n  goal: Help users rotate keys\n"
            "  backstory: Users paste keys like sk-your-key-here or Bearer <token>; tell them to rotate them.\n"
        )
    }
    assert al408(tmp_path, files) == []


def test_n8n_agent_system_message(tmp_path: Path) -> None:
    workflow = {
        "name": "support",
        "nodes": [
            {"name": "Chat", "type": "@n8n/n8n-nodes-langchain.chatTrigger", "parameters": {}, "position": [0, 0]},
            {
                "name": "Agent",
                "type": "@n8n/n8n-nodes-langchain.agent",
                "parameters": {"options": {"systemMessage": f"You answer tickets. Token: {TOKEN}"}},
                "position": [200, 0],
            },
        ],
        "connections": {"Chat": {"main": [[{"node": "Agent", "type": "main", "index": 0}]]}},
    }
    text = json.dumps(workflow, indent=2) + "\n"
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "systemMessage" in t)
    column = text.splitlines()[line - 1].index(TOKEN) + 1
    assert al408(tmp_path, {"workflows/support.json": text}) == [("AL408", "workflows/support.json", line, column)]


def test_agent_framework_instructions(tmp_path: Path) -> None:
    files = {"agents/assistant.yaml": f"kind: Prompt\nname: Assistant\ninstructions: |\n  You answer in JSON.\n  Call the API with {KEY}.\nmodel:\n  id: gpt-4o-2024-08-06\n"}
    assert al408(tmp_path, files) == [("AL408", "agents/assistant.yaml", 5, 21)]


def test_langflow_agent_system_prompt(tmp_path: Path) -> None:
    from tests.test_adapter_langflow import FLOW, PATH

    text = FLOW.replace('"system_prompt": {"value": ""}', '"system_prompt": {"value": "Answer tickets.\\nToken: ' + TOKEN + '"}')
    line = next(n for n, t in enumerate(text.splitlines(), 1) if TOKEN in t)
    column = text.splitlines()[line - 1].index(TOKEN) + 1
    assert al408(tmp_path, {PATH: text}) == [("AL408", PATH, line, column)]
