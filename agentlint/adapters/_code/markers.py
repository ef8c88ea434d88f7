"""The byte-level prefilter: which ``.py`` files are worth parsing at all.

A module that names none of the libraries agentlint understands is skipped at the cost of a
few ``bytes.__contains__`` scans (well under 0.1 ms for a 30 KB file), never parsed. Each
code adapter then claims, on the decoded text, the files that concern it.
"""

from __future__ import annotations

# Import roots (as they appear in source) of every library a code adapter reads.
LIBRARIES: tuple[bytes, ...] = (
    b"langgraph",
    b"langchain",
    b"openai",
    b"anthropic",
    b"litellm",
    b"genai",  # google.genai / from google import genai
    b"opentelemetry",  # tracing set-up (AL5xx)
    b"langfuse",
    b"traceloop",
    b"openlit",
    b"langsmith",  # @traceable, wrap_openai
    b"logfire",
    b"phoenix",  # phoenix.otel.register
    b"mlflow",  # mlflow.*.autolog()
    b"opik",  # Opik prompts fetched in code (client.get_prompt)
    b"promptlayer",  # PromptLayer templates fetched in code (client.templates.get)
    b"humanloop",  # Humanloop prompts fetched in code (client.prompts.get)
    b"braintrust",  # Braintrust prompts loaded in code (braintrust.load_prompt)
    b"agents",  # the OpenAI Agents SDK (``from agents import Agent``)
    b"mcp",  # MCP servers started from code (mcp, agents.mcp, langchain_mcp_adapters, ADK McpToolset)
    b"google.adk",  # Google ADK agents in code (``from google.adk.agents import LlmAgent``)
    b"crewai",  # CrewAI agents, tasks and crews in code (``from crewai import Agent``)
    b"autogen_agentchat",  # AutoGen AgentChat teams in code; AutoGen 0.2/AG2 (``import autogen``) is not read
    b"pydantic_ai",  # PydanticAI agents in code (``from pydantic_ai import Agent``)
    b"smolagents",  # smolagents CodeAgent/ToolCallingAgent in code
)


def mentions_known_library(raw: bytes) -> bool:
    return any(marker in raw for marker in LIBRARIES)
