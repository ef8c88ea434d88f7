"""The research assistant's steps. Each node reads the state and returns an update."""

from typing import Literal

from langchain_openai import ChatOpenAI
from langgraph.types import Command

from research.state import ResearchState

# The writer drafts with a chat model. Defect: no timeout, and ChatOpenAI sets none by default.
writer_model = ChatOpenAI(model="gpt-4o-mini", temperature=0.3)


def planner(state: ResearchState) -> dict:
    question = state["question"]
    return {"plan": [f"background on {question}", f"recent results on {question}"]}


def researcher(state: ResearchState) -> dict:
    return {"notes": [f"notes: {step}" for step in state.get("plan", [])]}


def writer(state: ResearchState) -> dict:
    notes = "\n".join(state.get("notes", []))
    feedback = state.get("feedback", "")
    reply = writer_model.invoke(f"Write a short report from these notes.\n{notes}\n{feedback}".strip())
    return {"draft": reply.content}


def critic(state: ResearchState) -> Command[Literal["writer", "publisher"]]:
    # the critic decides: another round of writing, or publish
    if len(state.get("draft", "")) < 200:
        return Command(update={"feedback": "expand the draft"}, goto="writer")
    return Command(update={"approved": True}, goto="publisher")


def fact_checker(state: ResearchState) -> dict:
    return {"feedback": "facts checked"}


def publisher(state: ResearchState) -> dict:
    return {"approved": True}
