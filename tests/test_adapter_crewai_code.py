"""CrewAI agents, tasks and crews written in Python: the same entities (and findings) as their
agents.yaml/tasks.yaml twins, limits read statically (unknown is never missing).

Shapes from real files: crewAIInc/crewAI README (researcher + writer with SerperDevTool,
``Process.sequential``, ``task2`` with ``context=[task1]``), djgrant/ai-demos
crewai/research-article (agents.py / tasks.py / crew.py, agents imported by absolute name),
langflow's SequentialCrewComponent (``Agent(**kwargs)``), and the ``@CrewBase`` template
(``Agent(config=self.agents_config["researcher"])``, left to the YAML adapter)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters import crewai_code
from agentlint.loaders.python import load_python
from agentlint.model.entities import EdgeKind, GraphPart
from tests.helpers import project_findings

README = """\
import os
from crewai import Agent, Task, Crew, Process
from crewai_tools import SerperDevTool

search_tool = SerperDevTool()

researcher = Agent(
    role="Senior Research Analyst",
    goal="Uncover cutting-edge developments in AI",
    backstory="You work at a leading tech think tank.",
    verbose=True,
    allow_delegation=False,
    tools=[search_tool],
    max_iter=int(os.getenv("MAX_ITER", "5")),
)
writer = Agent(
    role="Tech Content Strategist",
    goal="Craft compelling content on tech advancements",
    backstory="You are a renowned Content Strategist.",
    allow_delegation=True,
    max_execution_time=120,
    max_retry_limit=1,
    llm="gpt-4o",
)

task1 = Task(description="Analyze AI in 2024.", expected_output="Full analysis report", agent=researcher)
task2 = Task(description="Write a blog post.", expected_output="Full blog post", agent=writer, context=[task1])

crew = Crew(agents=[researcher, writer], tasks=[task1, task2], process=Process.sequential, verbose=True)
result = crew.kickoff()
"""


def parts(path: str, text: str) -> list[GraphPart]:
    return crewai_code.adapt(load_python(path, text)).parts


def test_claims_only_crewai_modules() -> None:
    assert crewai_code.claims("crew.py", "from crewai import Agent")
    assert not crewai_code.claims("crew.py", "from agents import Agent")
    assert not crewai_code.claims("agents.yaml", "crewai")


def test_agents_tasks_and_the_sequential_walk_are_the_yaml_twins() -> None:
    (part,) = parts("crew/main.py", README)
    assert (part.name, part.framework, part.entry, part.complete, part.entry_declarable) == ("crew/main.py", "crewai", "researcher", True, False)
    researcher, writer = part.agents
    assert (researcher.name, researcher.role, researcher.max_iterations, researcher.tools) == ("researcher", "Senior Research Analyst", 5, ("search_tool",))
    assert researcher.timeout_seconds is None and researcher.default_for("timeout_seconds") == "crewai.max_execution_time"
    assert researcher.default_for("max_attempts") == "crewai.max_retry_limit" and researcher.default_for("max_iterations") is None
    assert (writer.timeout_seconds, writer.max_attempts, writer.model, writer.delegates) == (120.0, 2, "gpt-4o", True)
    assert writer.as_written("max_attempts") == "max_retry_limit=1" and not researcher.delegates
    assert [(e.source, e.target, e.kind, e.span.start.line) for e in part.edges] == [("researcher", "writer", EdgeKind.SEQUENCE, 29)]
    task1, task2 = part.tasks
    assert (task1.name, task1.agent, task2.agent, task2.context) == ("task1", "researcher", "writer", ("task1",))
    assert [(r.name, r.span.start.line) for r in part.references] == [("researcher", 26), ("writer", 27)]


def test_findings_match_the_yaml_twin(tmp_path: Path) -> None:
    code = project_findings(tmp_path / "code", {"crew/main.py": README})
    # researcher: no max_execution_time; writer: llm="gpt-4o" is a floating alias; as in YAML,
    # researcher 5 × 3 + writer 25 × 2 = 65 LLM calls (researcher calls CrewAI's default model)
    assert code == [("AL301", "crew/main.py", 7, 14), ("AL311", "crew/main.py", 7, 14), ("AL409", "crew/main.py", 23, 9)]
    yaml = project_findings(tmp_path / "yaml", {
        "crew/config/agents.yaml": "researcher:\n  role: R\n  goal: G\n  backstory: B\n  max_iter: 5\n"
                                   "writer:\n  role: W\n  goal: G\n  backstory: B\n  max_execution_time: 120\n  max_retry_limit: 1\n",
        "crew/config/tasks.yaml": "t1:\n  description: D\n  expected_output: O\n  agent: researcher\n"
                                  "t2:\n  description: D\n  expected_output: O\n  agent: writer\n  context: [t1]\n",
    }, families=("AL1", "AL3"))
    assert yaml == [("AL301", "crew/config/agents.yaml", 1, 1), ("AL311", "crew/config/agents.yaml", 1, 1)]


def test_a_limit_the_module_does_not_state_is_unknown_not_missing(tmp_path: Path) -> None:
    source = (
        "from crewai import Agent\nfrom settings import cfg\n\n"
        "def build(timeout):\n    return Agent(role='r', goal='g', backstory='b', max_execution_time=timeout)\n\n"
        "loose = Agent(role='r', goal='g', backstory='b', max_execution_time=cfg.seconds)\n"
        "kw = Agent(**cfg.agent)\n"
        "bare = Agent(role='r', goal='g', backstory='b')\n"
    )
    assert project_findings(tmp_path, {"agents.py": source}) == [("AL301", "agents.py", 9, 8)]
    (part,) = parts("agents.py", source)
    assert [a.name for a in part.agents] == ["line5", "loose", "bare"]  # **kwargs may hold config=: left out
    assert not part.agents[1].can_set("timeout_seconds") and part.agents[2].can_set("timeout_seconds")


def test_agents_imported_from_other_modules_leave_the_part_incomplete() -> None:
    tasks = (
        "from crewai import Task\nfrom agents import researcher, writer\n\n"
        "research_task = Task(description='d', expected_output='o', agent=researcher)\n"
        "write_task = Task(description='d', expected_output='o', agent=writer)\n"
    )
    (part,) = parts("tasks.py", tasks)
    assert (part.agents, part.edges, part.entry, part.complete) == ((), (), None, False)
    assert [(t.name, t.agent) for t in part.tasks] == [("research_task", None), ("write_task", None)]
    crew = "from crewai import Crew, Process\nfrom agents import researcher\nfrom tasks import t\n\ncrew = Crew(agents=[researcher], tasks=[t])\n"
    assert parts("crew.py", crew) == []


def test_a_hierarchical_crew_has_no_sequence_edges() -> None:
    source = README.replace("process=Process.sequential", "process=Process.hierarchical, manager_llm='gpt-4o'")
    (part,) = parts("crew/main.py", source)
    assert (part.edges, part.entry, part.complete) == ((), None, False)


def test_crewbase_classes_are_left_to_the_yaml_adapter() -> None:
    source = (
        "from crewai import Agent, Crew, Process, Task\nfrom crewai.project import CrewBase, agent, crew, task\n\n"
        "@CrewBase\nclass ResearchCrew:\n"
        "    @agent\n    def researcher(self) -> Agent:\n        return Agent(config=self.agents_config['researcher'], verbose=True)\n"
        "    @task\n    def research_task(self) -> Task:\n        return Task(config=self.tasks_config['research_task'])\n"
        "    @crew\n    def crew(self) -> Crew:\n        return Crew(agents=self.agents, tasks=self.tasks, process=Process.sequential)\n"
    )
    assert parts("src/research_crew/crew.py", source) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="Agent(Task)Crew[]=,'x 1e9.\n_-:", max_size=120))
def test_never_crashes_on_odd_code(tail: str) -> None:
    source = "from crewai import Agent, Task, Crew\n" + tail
    try:
        loaded = load_python("m.py", source)
    except Exception:  # pragma: no cover - the loader reports syntax errors itself
        return
    crewai_code.adapt(loaded)
    crewai_code.adapt(load_python("m.py", "from crewai import Agent\na = Agent(role='r', max_iter=1e999, max_retry_limit=-1)\n"))


CRAWL = """\
from crewai import Agent, Crew, Process, Task
from crewai.project import CrewBase, agent, crew, task
from tools.custom_tool import MyCustomTool
from dotenv import load_dotenv

load_dotenv()

@CrewBase
class CrawlCrew():
\t\"\"\"CrawlCrew crew\"\"\"

\tagents_config = 'config/agents.yaml'
\ttasks_config = 'config/tasks.yaml'

\t@agent
\tdef researcher(self) -> Agent:
\t\treturn Agent(
\t\t\tconfig=self.agents_config['researcher'],
\t\t\tverbose=True,
\t\t\ttools=[MyCustomTool()],
\t\t\tmax_execution_time=300,
\t\t)

\t@agent
\tdef reporter(self) -> Agent:
\t\treturn Agent(config=self.agents_config['reporter'], max_retry_limit=self.retries, llm=LLM(model="gpt-4o"))

\t@task
\tdef research_task(self) -> Task:
\t\treturn Task(
\t\t\tconfig=self.tasks_config['research_task'],
\t\t)

\t@crew
\tdef crew(self) -> Crew:
\t\treturn Crew(agents=self.agents, tasks=self.tasks, process=Process.sequential, verbose=True)
"""
AGENTS_YAML = (
    "researcher:\n  role: Researcher\n  goal: Find things\n  backstory: Curious.\n"
    "reporter:\n  role: Reporter\n  goal: Write it up\n  backstory: Clear.\n  llm: gpt-4o\n  max_execution_time: 60\n"
)
TASKS_YAML = (
    "research_task:\n  description: Research.\n  expected_output: Notes.\n  agent: researcher\n"
    "report_task:\n  description: Report.\n  expected_output: A report.\n  agent: reporter\n"
)


def test_crewbase_code_settings_join_the_yaml_agents(tmp_path: Path) -> None:
    yaml_only = {"src/crawl_crew/config/agents.yaml": AGENTS_YAML, "src/crawl_crew/config/tasks.yaml": TASKS_YAML}
    assert project_findings(tmp_path / "yaml", yaml_only, families=("AL3", "AL4")) == [
        ("AL301", "src/crawl_crew/config/agents.yaml", 1, 1),  # researcher: no max_execution_time in YAML
        ("AL311", "src/crawl_crew/config/agents.yaml", 1, 1),  # 75 LLM calls (the seconds are unbounded)
        ("AL409", "src/crawl_crew/config/agents.yaml", 9, 8),
    ]
    joined = {**yaml_only, "src/crawl_crew/crew.py": CRAWL}
    # the code sets researcher's max_execution_time (no AL301; its 300 s x 3 attempts now make the
    # seconds budget finite and too high: AL311 says so); the LLM(...) object replaces reporter's alias
    found = project_findings(tmp_path / "joined", joined, families=("AL3", "AL4"))
    assert found == [("AL311", "src/crawl_crew/config/agents.yaml", 1, 1)]
    from agentlint.adapters import crewai
    from agentlint.loaders.yaml import load_yaml
    from agentlint.model.project import Project

    yaml_parts = [p for path, text in yaml_only.items() for p in crewai.adapt(load_yaml(path, text)).parts]
    code = crewai_code.adapt(load_python("src/crawl_crew/crew.py", CRAWL))
    (graph,) = Project.build(yaml_parts + code.parts, code.entities).graphs
    researcher, reporter = graph.agents["researcher"], graph.agents["reporter"]
    assert (researcher.timeout_seconds, researcher.default_for("timeout_seconds"), researcher.ref.path) == (300.0, None, "src/crawl_crew/config/agents.yaml")
    assert (reporter.timeout_seconds, reporter.max_attempts, reporter.can_set("max_attempts"), reporter.model) == (60.0, None, False, None)
    assert reporter.default_for("max_attempts") is None


def test_crewbase_settings_name_the_crew_folder() -> None:
    (settings_,) = [e for e in crewai_code.adapt(load_python("src/crawl_crew/crew.py", CRAWL)).entities if e.agent == "researcher"]
    assert (settings_.graph, settings_.values, settings_.span.start.line) == ("src/crawl_crew", (("timeout_seconds", 300.0),), 17)


CODE_AGENT = """\
from crewai import Agent, Crew, Process, Task
from crewai.project import CrewBase, agent, crew, task

@CrewBase
class C:
    @agent
    def researcher(self) -> Agent:
        return Agent(role="Researcher", goal="g", backstory="b", max_execution_time=20)

    @agent
    def writer(self) -> Agent:
        return Agent(config=self.agents_config["writer"])

    @task
    def research_task(self) -> Task:
        return Task(config=self.tasks_config["research_task"])
"""
WRITER_YAML = "writer:\n  role: Writer\n  goal: Write\n  backstory: B\n  max_execution_time: 30\n"
RESEARCH_YAML = "research_task:\n  description: Research.\n  expected_output: Notes.\n  agent: researcher\n"


def test_a_crewbase_agent_built_in_code_is_an_agent_of_the_crew(tmp_path: Path) -> None:
    files = {"src/c/config/agents.yaml": WRITER_YAML, "src/c/config/tasks.yaml": RESEARCH_YAML}
    # without the code, tasks.yaml names an agent no file defines
    assert project_findings(tmp_path / "yaml", files, families=("AL1",)) == [("AL106", "src/c/config/tasks.yaml", 4, 10)]
    # with it, researcher is the crew's entry; writer runs no task of the YAML walk (true: nothing runs it)
    files["src/c/crew.py"] = CODE_AGENT
    # researcher (CrewAI's default model) 25 iterations × 3 attempts = 75 LLM calls: AL311
    assert project_findings(tmp_path / "code", files, families=("AL1", "AL3")) == [
        ("AL104", "src/c/config/agents.yaml", 1, 1), ("AL311", "src/c/crew.py", 8, 16)]
    (part,) = crewai_code.adapt(load_python("src/c/crew.py", CODE_AGENT)).parts
    (researcher,) = part.agents
    assert (part.name, researcher.name, researcher.graph, researcher.timeout_seconds, researcher.span.start.line) == ("src/c", "researcher", "src/c", 20.0, 8)


def test_a_task_built_in_code_hides_part_of_the_walk(tmp_path: Path) -> None:
    code = CODE_AGENT + (
        "\n    @task\n    def write_task(self) -> Task:\n"
        "        return Task(config=self.tasks_config['write_task'], agent=self.writer())\n"
    )
    files = {"src/c/config/agents.yaml": WRITER_YAML, "src/c/config/tasks.yaml": RESEARCH_YAML, "src/c/crew.py": code}
    assert project_findings(tmp_path, files, families=("AL1", "AL3")) == [("AL311", "src/c/crew.py", 8, 16)]  # 75 + 75 calls


def test_split_modules_agents_are_judged_where_they_are_built(tmp_path: Path) -> None:
    """djgrant/ai-demos crewai/research-article: agents.py, tasks.py and crew.py import each other."""
    agents = (
        "from crewai import Agent\nfrom tools import search_tool\n\n"
        "researcher = Agent(\n  role='Senior Researcher',\n  goal='Uncover {topic}',\n  backstory=('Curious.'),\n"
        "  tools=[search_tool],\n  allow_delegation=True\n)\n"
        "writer = Agent(role='Writer', goal='Narrate {topic}', backstory='Clear.', max_execution_time=90)\n"
    )
    tasks = "from crewai import Task\nfrom agents import researcher\n\nresearch_task = Task(description='d', expected_output='o', agent=researcher)\n"
    crew = "from crewai import Crew, Process\nfrom agents import researcher, writer\nfrom tasks import research_task\n\ncrew = Crew(agents=[researcher, writer], tasks=[research_task], process=Process.sequential)\n"
    files = {"agents.py": agents, "tasks.py": tasks, "crew.py": crew}
    assert project_findings(tmp_path, files, families=("AL1", "AL3")) == [("AL301", "agents.py", 4, 14)]
