from google.adk.agents import LlmAgent

refiner_agent = LlmAgent(
    name="refiner",
    model="gemini-2.5-flash",
    description="Applies the critic's changes",
    instruction="Rewrite {current_story} applying these changes: {criticism}",
    output_key="current_story",
)
