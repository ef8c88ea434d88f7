"""Google ADK agents defined in Python: the same entities (and findings) as their Agent Config
twins, agents imported from sibling packages linked into one graph, limits read statically.

Shapes from real files: nareshsaladi2024/kaggle-5-day-agents Day1b/StoryRefinementLoop/agent.py
(SequentialAgent -> LoopAgent(critic, refiner, max_iterations=2) with sub-agents imported by
absolute name), HarshTomar1234/Google-Agent-Development-kit-ADK- 12-loop-agent (relative
imports re-exported by each sub-agent package's __init__.py, an exit_loop tool), OMIXEC/
Google-ADK-Skills template-loop/workflow.py (max_iterations from os.getenv, sub-agents built
by factories), macayaven/reframe_agents app/agents/collect_loop.py (absolute app.* import)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters import adk_code
from agentlint.loaders.python import load_python
from agentlint.model.entities import EdgeKind, GraphPart
from agentlint.model.project import Project
from tests.helpers import project_findings, project_result


def parts_of(files: dict[str, str]) -> list[GraphPart]:
    return [part for path, text in files.items() for part in adk_code.adapt(load_python(path, text)).parts]


def graphs(files: dict[str, str]):  # type: ignore[no-untyped-def]
    return Project.build(parts_of(files)).graphs


def llm(variable: str, name: str, extra: str = "") -> str:
    return (
        "from google.adk.agents.llm_agent import Agent\n\n"
        f"{variable} = Agent(\n    model='gemini-2.5-flash-lite',\n    name='{name}',\n"
        f"    description='The {name}.',\n    instruction='Do the {name} work.',\n{extra})\n"
    )


STORY = """\
from google.adk.agents.llm_agent import Agent
import sys
from dotenv import load_dotenv

load_dotenv()
from CriticAgent.agent import critic_agent
from RefinerAgent.agent import refiner_agent
from InitialWriterAgent.agent import initial_writer_agent
from google.adk.agents import LoopAgent, SequentialAgent
# The LoopAgent contains the agents that will run repeatedly: Critic -> Refiner.
story_refinement_loop = LoopAgent(
    name="StoryRefinementLoop",
    sub_agents=[critic_agent, refiner_agent],
    max_iterations=2,  # Prevents infinite loops
)

root_agent = SequentialAgent(
    name="StoryPipeline",
    sub_agents=[initial_writer_agent, story_refinement_loop],
)
"""
STORY_FILES = {
    "Day1b/StoryRefinementLoop/agent.py": STORY,
    "Day1b/CriticAgent/agent.py": llm("critic_agent", "critic"),
    "Day1b/RefinerAgent/agent.py": llm("refiner_agent", "refiner"),
    "Day1b/InitialWriterAgent/agent.py": llm("initial_writer_agent", "initial_writer"),
}


def test_claims_only_adk_modules() -> None:
    assert adk_code.claims("agent.py", "from google.adk.agents import LlmAgent")
    assert not adk_code.claims("agent.py", "from agents import Agent")
    assert not adk_code.claims("root_agent.yaml", "google.adk")


def test_loop_in_a_sequence_with_sub_agents_from_sibling_packages_is_one_graph() -> None:
    loop, root = parts_of({"Day1b/StoryRefinementLoop/agent.py": STORY})
    assert (loop.name, root.name) == ("Day1b/StoryRefinementLoop/agent.py:story_refinement_loop", "Day1b/StoryRefinementLoop/agent.py:root_agent")
    assert ("py:Day1b.StoryRefinementLoop.agent.root_agent", "StoryPipeline") in root.aliases
    back = loop.edges[-1]
    assert (back.source, back.target, back.max_traversals, back.span.start.line, back.span.start.column) == (
        "py:RefinerAgent.agent.refiner_agent", "py:CriticAgent.agent.critic_agent", 1, 14, 20
    )
    assert loop.terminals == ("py:RefinerAgent.agent.refiner_agent",)  # after the last pass
    (graph,) = graphs(STORY_FILES)
    assert graph.name == "Day1b/StoryRefinementLoop/agent.py:root_agent" and graph.entry == "StoryPipeline"
    assert graph.complete
    assert sorted((e.source, e.target, e.kind.value, e.max_traversals) for e in graph.edges) == [
        ("StoryPipeline", "StoryRefinementLoop", "sequence", None),
        ("StoryPipeline", "initial_writer", "sequence", None),
        ("StoryRefinementLoop", "critic", "sequence", None),
        ("StoryRefinementLoop", "refiner", "sequence", None),
        ("critic", "refiner", "sequence", None),
        ("initial_writer", "StoryRefinementLoop", "sequence", None),
        ("refiner", "critic", "sequence", 1),
    ]


def test_story_pipeline_findings(tmp_path: Path) -> None:
    # the loop is bounded (2 passes): no topology finding; the LoopAgent has no description, but
    # its parent is a SequentialAgent, which never reads one (no AL107); the LLM agents have no
    # timeout or retry limit, like their YAML twins
    assert project_findings(tmp_path, STORY_FILES, ["AL1", "AL3"]) == sorted([
        *[(code, f"Day1b/{d}/agent.py", 5, 10) for d in ("CriticAgent", "InitialWriterAgent", "RefinerAgent") for code in ("AL301", "AL302")],
    ])


ROLES = """\
from google.adk.agents import LlmAgent, LoopAgent, ParallelAgent, SequentialAgent
from google.adk.tools.agent_tool import AgentTool

drafter = LlmAgent(name="drafter", model="gemini-2.5-flash", instruction="Draft it.")
checker = LlmAgent(name="checker", model="gemini-2.5-flash", instruction="Check it.")
searcher = LlmAgent(name="searcher", model="gemini-2.5-flash", instruction="Search.")
billing = LlmAgent(name="billing", model="gemini-2.5-flash", instruction="Bills.")
lookup = LlmAgent(name="lookup", model="gemini-2.5-flash", instruction="Look up.")
refine = LoopAgent(name="refine", sub_agents=[drafter, checker], max_iterations=3)
fan_out = ParallelAgent(name="fan_out", sub_agents=[searcher])
triage = LlmAgent(
    name="triage", model="gemini-2.5-flash", description="Routes requests.", instruction="Route.",
    sub_agents=[billing], tools=[AgentTool(agent=lookup)],
)
root_agent = SequentialAgent(name="pipeline", sub_agents=[refine, fan_out, triage])
"""


def test_only_a_parent_that_reads_the_description_asks_for_a_role(tmp_path: Path) -> None:
    """ADK reads an agent's description only to choose a transfer target (a parent LlmAgent)
    or to describe an AgentTool: the steps of Sequential, Loop and Parallel agents built in the
    same module need none, the LlmAgent's sub-agent and agent tool do."""
    found = project_findings(tmp_path, {"agent.py": ROLES}, ["AL107"])
    assert found == [("AL107", "agent.py", 7, 25), ("AL107", "agent.py", 8, 24)]


LINKEDIN = """\
from google.adk.agents import LoopAgent, SequentialAgent

from .subagents.post_generator import initial_post_generator
from .subagents.post_refiner import post_refiner
from .subagents.post_reviewer import post_reviewer

refinement_loop = LoopAgent(
    name="PostRefinementLoop",
    max_iterations=10,
    sub_agents=[
        post_reviewer,
        post_refiner,
    ],
    description="Iteratively reviews and refines a LinkedIn post",
)

root_agent = SequentialAgent(
    name="LinkedInPostGenerationPipeline",
    sub_agents=[
        initial_post_generator,
        refinement_loop,
    ],
    description="Generates and refines a LinkedIn post",
)
"""
REVIEWER = """\
from google.adk.agents.llm_agent import LlmAgent

from .tools import count_characters, exit_loop

post_reviewer = LlmAgent(
    name="PostReviewer",
    model="gemini-2.0-flash",
    instruction="Review the post; call exit_loop when it meets all requirements.",
    description="Reviews post quality",
    tools=[count_characters, exit_loop],
    output_key="review_feedback",
)
"""


def linkedin(bound: str = "max_iterations=10,") -> dict[str, str]:
    app = "12-loop-agent/linkedin_post_generator_agent"
    return {
        f"{app}/agent.py": LINKEDIN.replace("max_iterations=10,", bound),
        f"{app}/subagents/post_reviewer/agent.py": REVIEWER,
        f"{app}/subagents/post_refiner/agent.py": llm("post_refiner", "PostRefiner"),
        f"{app}/subagents/post_generator/agent.py": llm("initial_post_generator", "PostGenerator"),
    }


def test_agents_re_exported_by_their_package_are_linked() -> None:
    (graph,) = graphs(linkedin())
    assert graph.entry == "LinkedInPostGenerationPipeline" and graph.complete
    assert sorted(graph.agents) == ["LinkedInPostGenerationPipeline", "PostGenerator", "PostRefinementLoop", "PostRefiner", "PostReviewer"]
    # the reviewer's imported exit_loop may escalate: it can end the loop
    assert "PostReviewer" in graph.declared_terminals and "PostRefiner" in graph.declared_terminals


def test_loop_without_max_iterations_but_an_exit_tool_is_bounded_only_by_max_llm_calls(tmp_path: Path) -> None:
    findings = project_findings(tmp_path, linkedin(bound=""), ["AL10", "AL11"])
    assert findings == [("AL103", "12-loop-agent/linkedin_post_generator_agent/agent.py", 7, 19)]


INLINE = """\
from google.adk.agents.llm_agent import LlmAgent
from google.adk.agents.loop_agent import LoopAgent
from google.adk.tools import google_search


def lookup(query: str) -> str:
    return query


loop_native = LoopAgent(
    name="refine",
    description="Refine a draft",
    sub_agents=[
        LlmAgent(name="critic", model="gemini-2.5-flash", description="Critiques", instruction="Critique.", tools=[lookup, google_search]),
        LlmAgent(name="reviser", model="gemini-2.5-flash", description="Revises", instruction="Revise."),
    ],
)
"""


def test_inline_loop_that_no_agent_can_escalate_is_endless(tmp_path: Path) -> None:
    # lookup takes no tool_context and google_search never escalates: nothing ends the loop
    assert project_findings(tmp_path, {"app/agent.py": INLINE}, ["AL101"]) == [("AL101", "app/agent.py", 10, 15)]
    escalating = INLINE.replace("def lookup(query: str)", "def lookup(query: str, tool_context)")
    assert project_findings(tmp_path / "b", {"app/agent.py": escalating}, ["AL101", "AL105"]) == []


WORKFLOW = """\
import os
from google.adk.agents import LoopAgent

from agents import build_generator, build_critic
from tools import build_exit_loop_tool


def build_workflow() -> LoopAgent:
    exit_loop_tool = build_exit_loop_tool()
    generator = build_generator(exit_tool=exit_loop_tool)
    critic = build_critic(exit_tool=exit_loop_tool)
    loop = LoopAgent(
        name="iterative_refinement",
        description="Generate, critique, improve, repeat",
        sub_agents=[generator, critic],
        max_iterations=int(os.getenv("LOOP_MAX_ITERATIONS", "5")),
    )
    return loop
"""


def test_sub_agents_from_factories_leave_the_graph_incomplete_and_unjudged(tmp_path: Path) -> None:
    (part,) = parts_of({"template-loop/workflow.py": WORKFLOW})
    assert part.name == "template-loop/workflow.py:loop" and not part.complete and part.edges == ()
    (agent,) = part.agents
    assert agent.name == "iterative_refinement" and agent.span_of("max_iterations").start.line == 16
    assert project_findings(tmp_path, {"template-loop/workflow.py": WORKFLOW}, ["AL1", "AL3"]) == []


def test_env_default_bounds_the_loop(tmp_path: Path) -> None:
    source = INLINE.replace('    description="Refine a draft",', '    description="Refine a draft",\n    max_iterations=int(os.getenv("LOOP_MAX_ITERATIONS", "50")),')
    source = "import os\n" + source
    (part, *_) = parts_of({"agent.py": source})
    assert part.edges[-1].max_traversals == 49
    assert project_findings(tmp_path, {"agent.py": source}, ["AL10"]) == [("AL103", "agent.py", 14, 20)]
    unstated = source.replace('int(os.getenv("LOOP_MAX_ITERATIONS", "50"))', "settings.max_loops")
    (part, *_) = parts_of({"agent.py": unstated})
    assert [e.target for e in part.edges] == ["code:agent.py:16:8", "code:agent.py:17:8", "code:agent.py:17:8"]
    assert project_findings(tmp_path / "u", {"agent.py": unstated}, ["AL10"]) == []  # a bound of unknown size


LIMITS = """\
from google.adk.agents import Agent
from google.adk.models.lite_llm import LiteLlm
from google.genai import types

timed = Agent(
    name="timed",
    model="gemini-2.5-flash",
    description="Answers",
    instruction="Answer.",
    generate_content_config=types.GenerateContentConfig(
        http_options=types.HttpOptions(timeout=30_000, retry_options=types.HttpRetryOptions()),
    ),
)


def build(config):
    return Agent(name="configured", model="gemini-2.5-flash", description="Answers", generate_content_config=config)


proxied = Agent(name="proxied", model=LiteLlm(model="openai/gpt-4o"), description="Answers")
"""


def test_limits_from_generate_content_config(tmp_path: Path) -> None:
    timed, configured, proxied = (part.agents[0] for part in parts_of({"agent.py": LIMITS}))
    assert (timed.timeout_seconds, timed.max_attempts) == (30.0, 5)  # milliseconds; retry_options default 5
    assert timed.span_of("timeout_seconds").start.line == 11 and timed.span_of("max_attempts").start.column == 70
    assert configured.settable == frozenset({"role", "model"})  # a config passed in: unknown, not missing
    assert proxied.settable == frozenset({"role", "model"}) and proxied.model is None  # LiteLlm: its own settings, still a model call
    assert project_findings(tmp_path, {"agent.py": LIMITS}, ["AL30"]) == []


def test_agent_tool_is_a_call_edge_and_an_unresolved_import_is_no_node(tmp_path: Path) -> None:
    source = """\
from google.adk.agents import LlmAgent
from google.adk.tools.agent_tool import AgentTool
from vendor_pkg.agents import translator

summarizer = LlmAgent(name="summarizer", model="gemini-2.5-flash", description="Summarizes")
root_agent = LlmAgent(
    name="coordinator",
    model="gemini-2.5-flash",
    tools=[AgentTool(agent=summarizer)],
    sub_agents=[translator],
)
"""
    (graph,) = graphs({"app/agent.py": source})
    assert [(e.source, e.target, e.kind) for e in graph.edges] == [("coordinator", "summarizer", EdgeKind.CALL)]
    assert graph.entry == "coordinator" and not graph.complete  # translator is defined where nothing was read
    result = project_result(tmp_path, {"app/agent.py": source})
    assert [(f.code, f.line) for f in result.findings if f.code.startswith("AL1")] == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="LoopAgent(name=, sub_agents=[a, b]) max_iterations=0123 tools exit_loop AgentTool\n\t()[]=,:'\"", max_size=200))
def test_any_module_text_never_crashes(body: str) -> None:
    text = "from google.adk.agents import LoopAgent, LlmAgent\nfrom google.adk.tools import exit_loop, AgentTool\n" + body
    try:
        loaded = load_python("agent.py", text)
    except Exception:  # pragma: no cover - the loader reports syntax errors as findings
        raise
    Project.build(adk_code.adapt(loaded).parts)


def test_run_config_max_llm_calls_of_a_runner_in_the_same_module(tmp_path: Path) -> None:
    runner = (
        "from google.adk.agents import RunConfig\nfrom google.adk.runners import InMemoryRunner\n"
        "runner = InMemoryRunner(agent=loop_native, app_name='refine')\n"
        "config = RunConfig(max_llm_calls={calls})\n"
    )
    source = INLINE.replace("google_search]", "google_search, exit_loop]").replace("import google_search", "import exit_loop, google_search")
    assert project_findings(tmp_path, {"app/agent.py": source}, ["AL10", "AL11"]) == [("AL103", "app/agent.py", 10, 15)]
    capped = source + runner.replace("{calls}", "40")
    (graph,) = graphs({"app/agent.py": capped})
    assert (graph.turn_limit, graph.parts[-1].turn_limit_setting) == (40, "RunConfig.max_llm_calls")
    assert project_findings(tmp_path / "capped", {"app/agent.py": capped}, ["AL10", "AL11"]) == []
    high = source + runner.replace("{calls}", "400")
    assert project_findings(tmp_path / "high", {"app/agent.py": high}, ["AL10"]) == [("AL103", "app/agent.py", 21, 34)]


def test_instruction_text_is_judged_for_secrets_at_the_key_itself(tmp_path: Path) -> None:
    key = "sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS4uV2wX8yZ1aB3"
    source = (
        "from google.adk.agents import LlmAgent\n\n"
        'helper = LlmAgent(\n    name="helper",\n    model="gemini-2.5-flash",\n    description="Helps",\n'
        f'    instruction="""You help with orders.\n    Call the API with the key {key} and never share it.\n    """,\n)\n'
        f'escaped = LlmAgent(name="escaped", description="Helps", instruction="Key:\\t{key}")\n'
    )
    # a verbatim literal: the key's own columns; one with escapes: the literal as a whole
    assert project_findings(tmp_path, {"agent.py": source}, ["AL408"]) == [("AL408", "agent.py", 8, 31), ("AL408", "agent.py", 11, 69)]


def test_an_imported_agent_two_modules_could_define_is_not_guessed() -> None:
    files = dict(STORY_FILES)
    files["Other/CriticAgent/agent.py"] = llm("critic_agent", "other_critic")
    found = {g.name: g for g in graphs(files)}
    assert sorted(found) == [
        "Day1b/CriticAgent/agent.py:critic_agent", "Day1b/StoryRefinementLoop/agent.py:root_agent", "Other/CriticAgent/agent.py:critic_agent"
    ]
    story = found["Day1b/StoryRefinementLoop/agent.py:root_agent"]
    assert not story.complete and sorted(story.agents) == ["StoryPipeline", "StoryRefinementLoop", "initial_writer", "refiner"]
    assert ("refiner", "critic") not in {(e.source, e.target) for e in story.edges}  # no loop through a guessed critic


def test_max_iterations_zero_or_none_is_no_limit(tmp_path: Path) -> None:
    # ADK loops `while not self.max_iterations or times_looped < self.max_iterations`
    for value in ("0", "None"):
        source = INLINE.replace('    description="Refine a draft",', f'    description="Refine a draft",\n    max_iterations={value},')
        (loop, *_) = parts_of({"agent.py": source})
        assert loop.edges[-1].max_traversals is None and loop.terminals == ()
        assert project_findings(tmp_path / value, {"agent.py": source}, ["AL101"]) == [("AL101", "agent.py", 10, 15)]


def test_parallel_fan_out_top_level_agent_import_and_callbacks() -> None:
    source = """\
from google.adk import Agent
from google.adk.agents import LoopAgent, ParallelAgent


def audit(callback_context):
    return None


searcher = Agent(name="searcher", model="gemini-2.5-flash", description="Searches")
reader = Agent(name="reader", model="gemini-2.5-flash", description="Reads", before_agent_callback=audit)
fan_out = ParallelAgent(name="fan_out", description="Both at once", sub_agents=[searcher, reader])
loop = LoopAgent(name="loop", description="Again", sub_agents=[fan_out])
"""
    (graph,) = graphs({"app/agent.py": source})
    assert graph.entry == "loop"
    assert sorted((e.source, e.target, e.kind.value) for e in graph.edges) == [
        ("fan_out", "fan_out", "sequence"), ("fan_out", "reader", "call"), ("fan_out", "searcher", "call"), ("loop", "fan_out", "sequence")
    ]
    # each branch returns to the ParallelAgent; the reader's callback may escalate and end the loop
    assert graph.declared_terminals == frozenset({"searcher", "reader"})


def test_run_config_of_a_runner_in_another_module_caps_the_imported_root(tmp_path: Path) -> None:
    source = INLINE.replace("google_search]", "google_search, exit_loop]").replace("import google_search", "import exit_loop, google_search")
    main = (
        "from google.adk.agents import RunConfig\nfrom google.adk.runners import Runner\n\nfrom app import agent\n\n"
        "runner = Runner(agent=agent.loop_native, app_name='refine', session_service=None)\n"
        "run_config = RunConfig(max_llm_calls=40)\n"
    )
    files = {"app/agent.py": source, "main.py": main}
    adapted = [adk_code.adapt(load_python(path, text)) for path, text in files.items()]
    (graph,) = Project.build([p for a in adapted for p in a.parts], [e for a in adapted for e in a.entities]).graphs
    assert graph.turn_limit == 40
    assert project_findings(tmp_path, files, ["AL10", "AL11"]) == []


def test_agents_of_other_modules_named_only_as_steps_need_no_role(tmp_path: Path) -> None:
    """The kaggle-5-day-agents StoryRefinementLoop shape: its LLM agents, in sibling packages,
    have no description; their parents (a LoopAgent, a SequentialAgent) never read one. The
    same agent named by a parent LlmAgent in another module is asked for its role."""
    bare = {d: llm(v, n).replace(f"    description='The {n}.',\n", "") for d, v, n in (
        ("CriticAgent", "critic_agent", "critic"), ("RefinerAgent", "refiner_agent", "refiner"),
        ("InitialWriterAgent", "initial_writer_agent", "initial_writer"))}
    files = {"Day1b/StoryRefinementLoop/agent.py": STORY, **{f"Day1b/{d}/agent.py": text for d, text in bare.items()}}
    assert project_findings(tmp_path / "steps", files, ["AL107"]) == []
    desk = (
        "from google.adk.agents import LlmAgent\n\nfrom CriticAgent.agent import critic_agent\n\n"
        'desk = LlmAgent(name="desk", model="gemini-2.5-flash", description="Front desk.", instruction="Route.",\n'
        "               sub_agents=[critic_agent])\n"
    )
    files = {"Day1b/Desk/agent.py": desk, "Day1b/CriticAgent/agent.py": bare["CriticAgent"]}
    assert project_findings(tmp_path / "transfer", files, ["AL107"]) == [("AL107", "Day1b/CriticAgent/agent.py", 5, 10)]
