#!/usr/bin/env python
"""The weekly developer newsletter: the writer crew drafts it from CHANGELOG.md, the editor
reviews the draft, and the flow sends it back with the editor's feedback until it is approved."""

from pathlib import Path
from typing import Optional

from crewai import Agent
from crewai.flow.flow import Flow, listen, or_, router, start
from pydantic import BaseModel

from newsletter_flow.crews.writer_crew.writer_crew import WriterCrew


class Review(BaseModel):
    approved: bool
    feedback: str


class NewsletterState(BaseModel):
    product: str = "Acme Payments API"
    changes: str = ""
    draft: str = ""
    feedback: Optional[str] = None
    revisions: int = 0


editor = Agent(
    role="Newsletter editor",
    goal="Approve a newsletter only when every change it describes is accurate and clear",
    backstory="You have edited developer documentation for years.",
    llm="gpt-4o",
    max_iter=3,
    max_execution_time=60,
)


class NewsletterFlow(Flow[NewsletterState]):
    """read_changelog -> write_draft -> review_draft -> (revise: write_draft | approved: save_newsletter)"""

    @start()
    def read_changelog(self):
        self.state.changes = Path("CHANGELOG.md").read_text(encoding="utf-8")

    @listen(or_(read_changelog, "revise"))
    def write_draft(self):
        result = WriterCrew().crew().kickoff(
            inputs={"product": self.state.product, "changes": self.state.changes, "feedback": self.state.feedback or "none"}
        )
        self.state.draft = result.raw

    @router(write_draft)
    def review_draft(self):
        review = editor.kickoff(f"Review this newsletter draft:\n\n{self.state.draft}", response_format=Review)
        self.state.revisions += 1
        if review.pydantic.approved:
            return "approved"
        self.state.feedback = review.pydantic.feedback
        return "revise"

    @listen("approved")
    def save_newsletter(self):
        Path("newsletter.md").write_text(self.state.draft, encoding="utf-8")


def kickoff():
    NewsletterFlow().kickoff()


def plot():
    NewsletterFlow().plot()


if __name__ == "__main__":
    kickoff()
