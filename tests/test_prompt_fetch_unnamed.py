"""Prompts fetched in code under a name the code does not state (``get_prompt(name)``): an
UnnamedPromptFetch, never a reference. Any prompt may then be the one used, so AL410 reports
none as unused, and AL402 never calls the unknown name undefined (issue 13, item 7)."""

from __future__ import annotations

from pathlib import Path

from agentlint.adapters.prompt_refs_code import ADAPTER
from agentlint.loaders.python import load_python
from agentlint.model.prompts import PromptReference, UnnamedPromptFetch
from agentlint.model.source import NodeRef, Pos, Span
from tests.helpers import project_findings

FETCHES = '''\
import os

from langchain import hub
from langfuse import get_client

langfuse = get_client()
REPLY = os.getenv("REPLY_PROMPT", "billing-reply")


def triage_prompt() -> str:
    return langfuse.get_prompt("triage", version=3).compile()


def team_prompt(team: str) -> str:
    return langfuse.get_prompt(f"{team}-reply", version=3).compile()


def reply_prompt():
    return langfuse.get_prompt(REPLY, label="production")


def pulled(identifier: str):
    return hub.pull(identifier)
'''


def _export(name: str) -> str:
    return (
        f'{{"name": "{name}", "type": "text", "version": 3, "prompt": "Answer {{{{question}}}}.", '
        '"labels": ["production"], "commitMessage": "first"}\n'
    )


def test_a_fetch_by_a_name_not_stated_is_unnamed_not_a_reference() -> None:
    entities = ADAPTER.adapt(load_python("app.py", FETCHES)).entities
    assert [e.name for e in entities if isinstance(e, PromptReference)] == ["triage"]
    unnamed = [e for e in entities if isinstance(e, UnnamedPromptFetch)]
    assert unnamed == [
        UnnamedPromptFetch(NodeRef("app.py", ("prompt_refs", "team_prompt", "<unnamed>", 0)), Span(Pos(15, 12), Pos(15, 59)), (),
                           "team_prompt", ("langfuse",)),
        UnnamedPromptFetch(NodeRef("app.py", ("prompt_refs", "reply_prompt", "<unnamed>", 0)), Span(Pos(19, 12), Pos(19, 58)), (),
                           "reply_prompt", ("langfuse",)),
        UnnamedPromptFetch(NodeRef("app.py", ("prompt_refs", "pulled", "<unnamed>", 0)), Span(Pos(23, 12), Pos(23, 32)), (),
                           "pulled", ()),
    ]


def test_al410_is_quiet_and_al402_says_nothing_of_the_unknown_name(tmp_path: Path) -> None:
    files = {"app.py": FETCHES, "prompts/triage.json": _export("triage"), "prompts/billing-reply.json": _export("billing-reply")}
    assert project_findings(tmp_path, files, families=("AL402", "AL410")) == []
    # without the fetches by an unknown name, the prompt nobody fetches is reported
    named = FETCHES.split("\n\n\ndef team_prompt")[0] + "\n"
    found = project_findings(tmp_path / "named", {**files, "app.py": named}, families=("AL402", "AL410"))
    assert found == [("AL410", "prompts/billing-reply.json", 1, 10)]
