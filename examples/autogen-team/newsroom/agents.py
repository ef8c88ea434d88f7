"""The newsroom's agents, shared by the teams in teams.py."""

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

writing_client = OpenAIChatCompletionClient(model="gpt-4o-2024-08-06", timeout=30, max_retries=2)
desk_client = OpenAIChatCompletionClient(model="gpt-4o-mini", timeout=20, max_retries=8)

writer = AssistantAgent(
    "writer",
    model_client=writing_client,
    description="Drafts and revises the story",
    system_message="Write the story the user asks for. Revise it when the editor asks.",
)
editor = AssistantAgent(
    "editor",
    model_client=writing_client,
    description="Reviews drafts",
    system_message="Review the latest draft. Reply APPROVE when it is ready, otherwise list the changes.",
)
desk = AssistantAgent(
    "desk",
    model_client=desk_client,
    description="Routes requests to the writer or back to the user",
    handoffs=["writer", "user"],
    system_message="Hand the request to the writer, or to the user when it is unclear.",
)
