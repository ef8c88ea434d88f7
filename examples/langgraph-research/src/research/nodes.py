"""The research assistant's steps. Each node reads the state and returns an update."""

from typing import Literal

from langgraph.types import Command

from research.state import ResearchState


def planner(state: ResearchState) -> dict:
    question = state["question"]
    return {"plan": [f"background on {question}", f"recent results on {question}"]}


def researcher(state: ResearchState) -> dict:
    return {"notes": [f"notes: {step}" for step in state.get("plan", [])]}


def writer(state: ResearchState) -> dict:
    notes = "\n".join(state.get("notes", []))
    feedback = state.get("feedback", "")
    return {"draft": f"{notes}\n{feedback}".strip()}


def critic(state: ResearchState) -> Command[Literal["writer", "publisher"]]:
    # the critic decides: another round of writing, or publish
    if len(state.get("draft", "")) < 200:
        return Command(update={"feedback": "expand the draft"}, goto="writer")
    return Command(update={"approved": True}, goto="publisher")


def fact_checker(state: ResearchState) -> dict:
    return {"feedback": "facts checked"}


def publisher(state: ResearchState) -> dict:
    return {"approved": True}
