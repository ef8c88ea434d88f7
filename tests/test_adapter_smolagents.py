"""smolagents code read into the neutral model: CodeAgent/ToolCallingAgent as agents, a
manager's managed_agents as DELEGATE edges, max_steps as each agent's loop bound (default 20,
implicit), and a CodeAgent left on the local executor as a CodeExecution fact (AL226). Shapes
from real files: the smolagents multi-agent web-search example (a ToolCallingAgent managed by a
CodeAgent), the API reference's CodeAgent(executor_type="local", additional_authorized_imports=),
and an agent whose max_steps comes from the environment."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.smolagents_code import adapt, claims
from agentlint.loaders.python import load_python
from agentlint.model.code_execution import CodeExecution, ExecutionKind
from tests.helpers import mutated_source, project_findings

MULTI = '''\
from smolagents import CodeAgent, InferenceClientModel, ToolCallingAgent, WebSearchTool

model = InferenceClientModel(model_id="Qwen/Qwen2.5-Coder-32B-Instruct")

web_agent = ToolCallingAgent(
    tools=[WebSearchTool(), visit_webpage],
    model=model,
    max_steps=10,
    name="web_search_agent",
    description="Runs web searches for you.",
)

manager_agent = CodeAgent(
    tools=[],
    model=model,
    managed_agents=[web_agent],
    additional_authorized_imports=["time", "numpy", "pandas"],
)
'''

EXECUTORS = '''\
import os

from smolagents import CodeAgent, LiteLLMModel

model = LiteLLMModel(model_id="anthropic/claude-3-5-sonnet-20241022")

analyst = CodeAgent(
    tools=[],
    model=model,
    executor_type="local",
    additional_authorized_imports=["*"],
    max_steps=int(os.getenv("MAX_STEPS", "6")),
)
sandboxed = CodeAgent(tools=[], model=model, executor_type="e2b")
old_sandbox = CodeAgent(tools=[], model=model, use_e2b_executor=True)
configured = CodeAgent(tools=[], model=model, executor_type=settings.executor, max_steps=settings.steps)


def build(helpers):
    return CodeAgent(tools=[], model=model, managed_agents=helpers, executor_type="docker")
'''


def test_managed_agents_are_delegate_edges_and_max_steps_the_loop_bound() -> None:
    result = adapt(load_python("multi.py", MULTI))
    (part,) = result.parts
    assert (part.name, part.entry, part.complete) == ("multi.py:manager_agent", "manager_agent", True)
    assert [(e.source, e.target, e.kind.value, e.span.start.line) for e in part.edges] == [
        ("manager_agent", "web_search_agent", "delegate", 16)
    ]
    web, manager = part.agents
    assert (web.name, web.max_iterations, web.span_of("max_iterations").start.line, web.implicit) == ("web_search_agent", 10, 8, ())
    assert (manager.name, manager.max_iterations, manager.implicit, manager.delegates) == (
        "manager_agent", None, (("max_iterations", "smolagents.max_steps"),), True
    )
    (local,) = result.entities
    assert isinstance(local, CodeExecution)
    assert (local.kind, local.subject, local.span.start.line, local.span.start.column) == (
        ExecutionKind.LOCAL_CODE_AGENT, "CodeAgent 'manager_agent'", 13, 17
    )


def test_executors_and_unstated_limits() -> None:
    result = adapt(load_python("executors.py", EXECUTORS))
    agents = {a.name: a for p in result.parts for a in p.agents}
    assert agents["analyst"].max_iterations == 6  # unless MAX_STEPS is set
    assert (agents["configured"].max_iterations, agents["configured"].can_set("max_iterations")) == (None, False)
    incomplete = [p.name for p in result.parts if not p.complete]
    assert incomplete == ["executors.py:agent@20"]  # managed_agents from a parameter
    found = [(e.subject, e.span.start.line, e.detail) for e in result.entities]
    assert found == [("CodeAgent 'analyst'", 10, 'executor_type="local", with every import authorized ("*")')]


def test_findings_through_the_cli(tmp_path: Path) -> None:
    found = project_findings(tmp_path, {"multi.py": MULTI, "executors.py": EXECUTORS})
    assert [f for f in found if f[0] in ("AL226", "AL111", "AL302", "AL310")] == [
        ("AL226", "executors.py", 10, 5),
        ("AL226", "multi.py", 13, 17),
    ]


def test_claims() -> None:
    assert claims("a.py", "from smolagents import CodeAgent") and not claims("a.py", "import agents")
    assert adapt(load_python("a.py", "from smolagents import tool\n")).parts == []


LINES = (MULTI + EXECUTORS).splitlines()
NOISE = (", **kw", "(", ")", ", managed_agents=[manager_agent]", ", max_steps=None", ", *rest", "[0]")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_sources_never_crash(data: st.DataObject) -> None:
    adapt(load_python("multi.py", mutated_source(data, LINES, NOISE)))  # never raises


def test_static_instructions_are_instruction_text(tmp_path: Path) -> None:
    source = (
        "from smolagents import ToolCallingAgent\n\n"
        'helper = ToolCallingAgent(tools=[], model=model, instructions="Token: ghp_Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS4uV2w")\n'
    )
    assert project_findings(tmp_path, {"agent.py": source}, families=("AL4",)) == [("AL408", "agent.py", 3, 71)]


DEEP_RESEARCH = '''\
from smolagents import (
    CodeAgent,
    LiteLLMModel,
    ToolCallingAgent,
)

AUTHORIZED_IMPORTS = ["requests", "zipfile", "os", "pandas", "numpy"]


def main():
    args = parse_args()
    model = LiteLLMModel(args.model_id, max_completion_tokens=8192, reasoning_effort="high")
    text_webbrowser_agent = ToolCallingAgent(
        model=model,
        tools=WEB_TOOLS,
        max_steps=20,
        verbosity_level=2,
        planning_interval=4,
        name="search_agent",
        description="""A team member that will search the internet to answer your question.""",
        provide_run_summary=True,
    )
    text_webbrowser_agent.prompt_templates["managed_agent"]["task"] += """You can navigate to .txt online files."""

    manager_agent = CodeAgent(
        model=model,
        tools=[visualizer, document_inspection_tool],
        max_steps=12,
        verbosity_level=2,
        additional_authorized_imports=AUTHORIZED_IMPORTS,
        planning_interval=4,
        managed_agents=[text_webbrowser_agent],
    )
    answer = manager_agent.run(args.question)
'''

SANDBOXED = '''\
from smolagents import CodeAgent, InferenceClientModel, WebSearchTool

model = InferenceClientModel()

with CodeAgent(tools=[WebSearchTool()], model=model, executor_type="blaxel") as agent:
    output = agent.run("How many seconds would it take for a leopard at full speed to run through Pont des Arts?")

with CodeAgent(tools=[], model=model, executor_type="wasm") as agent:
    output = agent.run("Calculate the square root of 125.")
'''


def test_real_shapes_agents_built_in_a_function_and_sandboxed_executors(tmp_path: Path) -> None:
    (part,) = adapt(load_python("run.py", DEEP_RESEARCH)).parts
    assert (part.name, part.entry) == ("run.py:manager_agent", "manager_agent")
    assert [(a.name, a.max_iterations) for a in part.agents] == [("search_agent", 20), ("manager_agent", 12)]
    assert [(e.source, e.target, e.span.start.line) for e in part.edges] == [("manager_agent", "search_agent", 32)]
    sandboxed = adapt(load_python("sandboxed_execution.py", SANDBOXED))
    assert ([p.agents[0].name for p in sandboxed.parts], sandboxed.entities) == (["agent@5", "agent@8"], [])
    found = project_findings(tmp_path, {"run.py": DEEP_RESEARCH, "sandboxed_execution.py": SANDBOXED}, families=("AL1", "AL2", "AL3"))
    # each of the manager's 12 steps can run the search agent's 20: 12 × (1 + 20) = 252 LLM calls
    assert found == [("AL226", "run.py", 25, 21), ("AL311", "run.py", 25, 21)]


def test_a_run_max_steps_overrides_the_agents_own() -> None:
    source = (
        "from smolagents import ToolCallingAgent\n"
        "a = ToolCallingAgent(tools=[], model=m, max_steps=5)\n"
        'a.run("x", max_steps=50)\n'
        "b = ToolCallingAgent(tools=[], model=m)\n"
        'b.run("x", max_steps=3)\n'
        "c = ToolCallingAgent(tools=[], model=m, max_steps=4)\n"
        'c.run("y")\n'
        'c.run("y", max_steps=cfg.steps)\n'
        "d = ToolCallingAgent(tools=[], model=m, max_steps=40)\n"
        'd.run("y", max_steps=0)\n'
    )
    agents = [a for p in adapt(load_python("m.py", source)).parts for a in p.agents]
    assert [(a.name, a.max_iterations, a.span_of("max_iterations").start.line, a.can_set("max_iterations")) for a in agents] == [
        ("a", 50, 3, True), ("b", 3, 5, True), ("c", None, 6, False), ("d", 40, 9, True)
    ]


MODELS = '''\
from smolagents import AzureOpenAIServerModel, CodeAgent, LiteLLMModel, OpenAIServerModel, ToolCallingAgent

model = LiteLLMModel(
    model_id="anthropic/claude-3-5-sonnet-latest",
    max_tokens=4096,
)
search_agent = ToolCallingAgent(tools=[], model=model, name="search_agent", description="Searches.")
manager_agent = CodeAgent([], model, managed_agents=[search_agent], executor_type="e2b")
pinned = ToolCallingAgent(tools=[], model=OpenAIServerModel("gpt-4o-2024-08-06"))
azure = ToolCallingAgent(tools=[], model=AzureOpenAIServerModel(model_id="gpt-4o", azure_endpoint=ENDPOINT))
configured = ToolCallingAgent(tools=[], model=LiteLLMModel(model_id=os.getenv("MODEL_ID", "gpt-4o")))
'''


def test_the_model_id_of_a_model_object_is_the_agents_model_judged_once(tmp_path: Path) -> None:
    """LiteLLMModel(model_id=) given to two agents (the smolagents multi-agent shape) is one
    model: AL409 reports it once, at the model_id; an Azure deployment name, a dated snapshot
    and an id the environment may override are not reported."""
    agents = {a.name: a for p in adapt(load_python("agents.py", MODELS)).parts for a in p.agents}
    assert (agents["search_agent"].model, agents["search_agent"].span_of("model").start) == ("anthropic/claude-3-5-sonnet-latest", (4, 14))
    assert [agents[n].model for n in ("manager_agent", "pinned", "azure", "configured")] == [None, "gpt-4o-2024-08-06", None, None]
    assert project_findings(tmp_path, {"agents.py": MODELS}, families=("AL409",)) == [("AL409", "agents.py", 4, 14)]
