"""The root agent `adk web` and `adk run story_agent` load: write, then refine in a loop."""

from google.adk.agents import LoopAgent, SequentialAgent

from .sub_agents.critic import critic_agent
from .sub_agents.refiner import refiner_agent
from .sub_agents.writer import writer_agent

# The critic calls exit_loop once the story is good enough; nothing else ends the loop.
refinement_loop = LoopAgent(
    name="refinement_loop",
    description="Critiques and refines the draft until the critic is satisfied",
    sub_agents=[critic_agent, refiner_agent],
)

root_agent = SequentialAgent(
    name="story_pipeline",
    description="Writes a short story, then refines it",
    sub_agents=[writer_agent, refinement_loop],
)
