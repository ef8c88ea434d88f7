"""Summaries of long tickets."""

from litellm import acompletion
from openai import AsyncOpenAI

client = AsyncOpenAI(max_retries=8)


async def summarize(ticket: str) -> str:
    reply = await acompletion(model="gpt-4o-mini", messages=[{"role": "user", "content": ticket}])
    return reply.choices[0].message.content


async def title(ticket: str) -> str:
    reply = await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": ticket}])
    return reply.choices[0].message.content
