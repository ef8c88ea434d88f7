"""The research graph: plan → research → write ⇄ critique → publish."""

from langgraph.graph import END, START, StateGraph
from langgraph.types import RetryPolicy

from research.nodes import critic, fact_checker, planner, publisher, researcher, writer
from research.state import ResearchState

builder = StateGraph(ResearchState)
builder.add_node("planner", planner)
builder.add_node("researcher", researcher, retry_policy=RetryPolicy(max_attempts=8))
builder.add_node("writer", writer)
builder.add_node("critic", critic)
builder.add_node("fact_checker", fact_checker)
builder.add_node(publisher)

builder.add_edge(START, "planner")
builder.add_edge("planner", "researcher")
builder.add_edge("researcher", "writer")
builder.add_edge("writer", "critic")
builder.add_edge("publisher", "archive")

graph = builder.compile()
