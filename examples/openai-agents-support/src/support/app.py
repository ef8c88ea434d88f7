"""Answer one customer message."""

from agents import Runner

from .team import triage


async def answer(message: str) -> str:
    result = await Runner.run(triage, message)
    return result.final_output
