from crewai import Agent, Crew, Process, Task
from crewai.project import CrewBase, agent, crew, task


@CrewBase
class WriterCrew:
    """Selects this week's changes and writes the newsletter."""

    agents_config = "config/agents.yaml"
    tasks_config = "config/tasks.yaml"

    @agent
    def researcher(self) -> Agent:
        return Agent(config=self.agents_config["researcher"])

    @agent
    def writer(self) -> Agent:
        return Agent(config=self.agents_config["writer"])

    @task
    def select_changes(self) -> Task:
        return Task(config=self.tasks_config["select_changes"])

    @task
    def write_newsletter(self) -> Task:
        return Task(config=self.tasks_config["write_newsletter"])

    @crew
    def crew(self) -> Crew:
        return Crew(agents=self.agents, tasks=self.tasks, process=Process.sequential)
