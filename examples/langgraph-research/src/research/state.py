from typing import TypedDict


class ResearchState(TypedDict, total=False):
    question: str
    plan: list[str]
    notes: list[str]
    draft: str
    feedback: str
    approved: bool
