"""The support team: triage routes each request; billing and returns hand back when done."""

from agents import Agent, handoff

from .tools import github, orders, refunds, tickets

billing = Agent(
    name="billing",
    instructions="Answer invoice and payment questions. Hand back to triage for anything else.",
    mcp_servers=[orders, refunds],
    model="gpt-4.1-mini-2025-04-14",
)

returns = Agent(
    name="returns",
    instructions="Open return tickets. Hand back to triage for anything else.",
    mcp_servers=[tickets, github],
    model="gpt-4.1-mini-2025-04-14",
)

triage = Agent(
    name="triage",
    instructions="Route the customer to billing or returns.",
    handoffs=[billing, handoff(returns)],
    model="gpt-4.1-2025-04-14",
)

billing.handoffs.append(triage)
returns.handoffs.append(triage)
