from google.adk.agents import LlmAgent
from google.genai import types

writer_agent = LlmAgent(
    name="writer",
    model="gemini-2.0-flash",
    description="Writes the first draft",
    instruction="Write a short story (under 300 words) about the user's topic.",
    output_key="current_story",
    generate_content_config=types.GenerateContentConfig(
        http_options=types.HttpOptions(timeout=60_000, retry_options=types.HttpRetryOptions(attempts=8)),
    ),
)
