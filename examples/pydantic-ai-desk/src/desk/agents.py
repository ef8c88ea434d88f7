"""The desk's agents: support answers the customer, writer drafts the reply, reviewer checks it.

The writer asks the reviewer for every draft; the reviewer may send a draft back to the
writer for another pass (agent delegation: each tool runs the other agent with the caller's
usage, so the requests of the whole exchange count against the support run's limits).
"""

from langfuse import get_client
from pydantic import BaseModel, Field
from pydantic_ai import Agent, ModelRetry, RunContext, UsageLimits

from .deps import Accounts, DeskDeps

langfuse = get_client()


class SupportOutput(BaseModel):
    reply: str = Field(description="The reply sent to the customer")
    block_card: bool = Field(description="Whether to block the customer's card")
    risk: int = Field(description="Risk level of the query", ge=0, le=10)


class Review(BaseModel):
    approved: bool
    notes: str = ""


support_agent = Agent(
    "openai:gpt-4o",
    name="support",
    deps_type=DeskDeps,
    output_type=SupportOutput,
    # the risk score must be an integer from 0 to 10: let the model try again until it is
    retries=8,
)

writer_agent = Agent(
    "anthropic:claude-sonnet-4-5-20250929",
    name="writer",
    instructions="Draft a short, friendly reply that answers the customer's question and nothing else.",
)

reviewer_agent = Agent(
    "anthropic:claude-sonnet-4-5-20250929",
    name="reviewer",
    output_type=Review,
    instructions="Check the draft against the bank's tone guide; approve it or say what to change.",
)


@support_agent.instructions
def support_instructions(ctx: RunContext[DeskDeps]) -> str:
    """The desk's support prompt, managed in Langfuse, filled in for this customer."""
    prompt = langfuse.get_prompt("desk-support")
    return prompt.compile(customer_id=str(ctx.deps.customer_id))


@support_agent.tool
async def customer_balance(ctx: RunContext[DeskDeps], include_pending: bool) -> str:
    """The customer's current account balance."""
    balance = await ctx.deps.accounts.balance(ctx.deps.customer_id, include_pending=include_pending)
    return f"${balance:.2f}"


@support_agent.tool
async def draft_reply(ctx: RunContext[DeskDeps], facts: str) -> str:
    """A reviewed draft of the reply, written from the facts gathered so far."""
    result = await writer_agent.run(facts, usage=ctx.usage)
    return result.output


@writer_agent.tool
async def request_review(ctx: RunContext[None], draft: str) -> str:
    """Ask the reviewer about a draft; it answers with the draft it approved."""
    result = await reviewer_agent.run(draft, usage=ctx.usage)
    if not result.output.approved:
        raise ModelRetry(result.output.notes)
    return draft


@reviewer_agent.tool
async def send_back(ctx: RunContext[None], draft: str, notes: str) -> str:
    """Have the writer rework a draft that does not follow the tone guide."""
    result = await writer_agent.run(f"Rework this draft.\n\nDraft:\n{draft}\n\nNotes:\n{notes}", usage=ctx.usage)
    return result.output


# long threads with several drafts hit the default of 50 requests: lift the cap
LIMITS = UsageLimits(request_limit=None)


async def answer(customer_id: int, message: str) -> str:
    deps = DeskDeps(customer_id=customer_id, accounts=Accounts())
    result = await support_agent.run(message, deps=deps, usage_limits=LIMITS)
    return result.output.reply
