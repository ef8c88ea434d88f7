"""Messages that say how to fix (issue 11, point 5): the framework's own key, the value the user
wrote, the snapshot of the same model family, the causes of an unbounded budget with the setting
that bounds each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentlint import api
from agentlint.config import CliOverrides
from agentlint.model.model_ids import SNAPSHOTS, bare_id, floating_alias, snapshot_for
from tests.test_cascades import HEAD, MISSING_TIMEOUT_AND_LOOP


def messages(root: Path, files: dict[str, str], code: str) -> list[tuple[str, int, str]]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    settings = api.settings_for(["."], CliOverrides(select=(code,)), isolated=True, root=root)
    return [(f.path, f.line, f.message) for f in api.check(["."], settings, root=root).findings]


CREW = "researcher:\n  role: Researcher\n  goal: Find facts\n  llm: gpt-4o-mini-2024-07-18\n  max_retry_limit: 10\n"
ADK = "name: assistant\nmodel: gemini-2.0-flash-001\ninstruction: You help.\n"


def test_missing_timeout_names_the_frameworks_key(tmp_path: Path) -> None:
    files = {
        "crew/config/agents.yaml": CREW,
        "adk/root_agent.yaml": ADK,
        "graph.yaml": HEAD + "agents:\n  router: {role: router}\n",
    }
    assert messages(tmp_path, files, "AL301") == [
        ("adk/root_agent.yaml", 1, "agent 'assistant' has no timeout: set 'generate_content_config.http_options.timeout' (adk sets none by default)"),
        ("crew/config/agents.yaml", 1, "agent 'researcher' has no timeout: set 'max_execution_time' (crewai sets none by default)"),
        ("graph.yaml", 6, "agent 'router' has no timeout: set 'timeout' (e.g. 30s)"),
    ]


def test_retry_limit_says_what_the_user_wrote(tmp_path: Path) -> None:
    # before: "allows 11 attempts", a number written nowhere
    assert messages(tmp_path, {"crew/config/agents.yaml": CREW}, "AL303") == [
        ("crew/config/agents.yaml", 5, "agent 'researcher' sets max_retry_limit: 10 (11 attempts), above the maximum of 5"),
    ]


def test_unbounded_budget_names_the_loop_and_the_setting(tmp_path: Path) -> None:
    assert messages(tmp_path, MISSING_TIMEOUT_AND_LOOP, "AL310") == [
        (
            "graph.yaml",
            8,
            "a request entering at 'router' has no upper bound on LLM calls or time: loop router → helper → router has no bound: "
            "set max_traversals on an edge of each loop, or the graph's run-level turn limit",
        ),
    ]


@pytest.mark.parametrize(
    ("model", "snapshot"),
    [
        ("gpt-4o-mini", "gpt-4o-mini-2024-07-18"),  # before: "such as gpt-4o-2024-08-06", another model
        ("openai/gpt-4o-mini", "openai/gpt-4o-mini-2024-07-18"),
        ("gpt-4.1-nano", "gpt-4.1-nano-2025-04-14"),
        ("claude-3-5-haiku-latest", "claude-3-5-haiku-20241022"),
        ("gemini-1.5-flash", "gemini-1.5-flash-002"),
    ],
)
def test_floating_alias_suggests_a_snapshot_of_the_same_model(model: str, snapshot: str) -> None:
    reason = floating_alias(model)
    assert reason is not None and reason.endswith(f"; use the snapshot {snapshot}")


@pytest.mark.parametrize("model", ["claude-opus-4-6", "chatgpt-4o-latest", "mistral-large-latest", "anthropic.claude-3-5-sonnet-v2:0"])
def test_floating_alias_without_a_known_snapshot_suggests_none(model: str) -> None:
    reason = floating_alias(model)
    assert reason is not None and "snapshot " not in reason.split(";")[-1] and "such as" not in reason


def family(model: str) -> str:
    """The id without its date or version number and without 'latest' or a '-0' minor."""
    return re.sub(r"-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{3,4}|latest|0)(?=-|\Z)", "", bare_id(model))


def test_every_listed_snapshot_is_a_fixed_id_of_its_own_family() -> None:
    for alias, snapshot in SNAPSHOTS.items():
        assert floating_alias(alias) is not None, alias  # the alias is reported
        assert floating_alias(snapshot) is None, snapshot  # its snapshot is not
        assert snapshot_for(alias) == snapshot
        # gpt-4-turbo-preview is OpenAI's alias of gpt-4-0125-preview, its one renamed snapshot
        assert family(alias) == family(snapshot) or (alias, snapshot) == ("gpt-4-turbo-preview", "gpt-4-0125-preview"), alias


def test_budget_too_high_shows_the_arithmetic_and_the_option(tmp_path: Path) -> None:
    graph = HEAD + (
        "entry: writer\nterminals: [writer]\nagents:\n"
        "  writer: {role: writer, timeout: 60, retries: {max_attempts: 3}, max_iterations: 5}\n"
        "  critic: {role: critic, timeout: 30, retries: {max_attempts: 2}}\n"
        "edges:\n  - {from: writer, to: critic}\n  - {from: critic, to: writer, max_traversals: 10}\n"
    )
    # before: "can take up to 272 LLM calls (maximum 50) and 3840 s (maximum 300 s) along critic → writer"
    assert messages(tmp_path, {"graph.yaml": graph}, "AL311") == [
        (
            "graph.yaml",
            8,
            "a request entering at 'writer' can take up to 272 LLM calls = 16 passes [1 + max_traversals 10 (critic → writer) "
            "+ max_iterations 5 (writer)] × (critic 1×2 + writer 5×3) (max-llm-calls = 50) and 3840 s = 16 passes × "
            "(critic 30 s×2 + writer 60 s×3) (max-seconds = 300), along critic → writer",
        ),
    ]


def test_client_retry_limit_says_what_the_user_wrote(tmp_path: Path) -> None:
    code = "from openai import OpenAI\n\nclient = OpenAI(timeout=30, max_retries=10)\n"
    # before: "OpenAI(...) allows 11 attempts per request, above the maximum of 5: lower max_retries"
    assert messages(tmp_path, {"app.py": code}, "AL303") == [
        ("app.py", 3, "OpenAI(...) sets max_retries=10 (11 attempts per request), above the maximum of 5: lower max_retries"),
    ]
