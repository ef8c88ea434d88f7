from google.adk.agents import LlmAgent
from google.adk.tools import exit_loop
from google.genai import types

critic_agent = LlmAgent(
    name="critic",
    model="gemini-2.5-flash",
    description="Reviews the current draft",
    instruction=(
        "Review the story in {current_story}. If it is clear, vivid and under 300 words, call "
        "exit_loop. Otherwise reply with at most three concrete changes."
    ),
    tools=[exit_loop],
    output_key="criticism",
    generate_content_config=types.GenerateContentConfig(
        temperature=0.2,
        http_options=types.HttpOptions(timeout=30_000, retry_options=types.HttpRetryOptions(attempts=3)),
    ),
)
