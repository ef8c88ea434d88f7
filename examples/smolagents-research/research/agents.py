"""The research assistant: a manager that plans in Python, and a search agent it delegates to."""

from smolagents import CodeAgent, LiteLLMModel, ToolCallingAgent, VisitWebpageTool, WebSearchTool

from .tools import arxiv_search

model = LiteLLMModel(
    model_id="anthropic/claude-3-5-sonnet-latest",
    max_tokens=4096,
    temperature=0.2,
)

search_agent = ToolCallingAgent(
    tools=[WebSearchTool(), VisitWebpageTool(), arxiv_search],
    model=model,
    max_steps=10,
    planning_interval=4,
    name="search_agent",
    description="Searches the web and arXiv and reads pages. Give it one precise question at a time.",
)

# the manager writes Python to combine what the search agent reports (tables, sums, charts)
manager_agent = CodeAgent(
    tools=[],
    model=model,
    managed_agents=[search_agent],
    additional_authorized_imports=["json", "numpy", "pandas"],
    max_steps=8,
    planning_interval=4,
)


def research(question: str) -> str:
    """Answer one research question with sources."""
    return str(manager_agent.run(question))
