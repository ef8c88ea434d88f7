from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.project import Project
from agentlint.rule import Example, Rule

_AGENTS = """researcher:
  role: Researcher
  goal: Find facts
  backstory: Careful.
writer:
  role: Writer
  goal: Write
  backstory: Clear.
"""


class TaskContextOrder(Rule):
    """A task whose `context` names a task that does not run before it.

    ## What it does
    Checks every task's `context` (the tasks whose output it needs) against the tasks of its
    crew in run order: each entry must name an existing task that runs earlier. A context that
    names the task itself or a later task is reported, which covers every context cycle.

    ## Why is this bad?
    CrewAI runs tasks in order and refuses, when the crew is built, a context that points
    forward; a cycle of contexts can never be satisfied. An unknown name is usually a renamed
    task whose output silently stopped flowing.
    """

    code = "AL110"
    name = "task-context-order"
    summary = "Task context names a missing or later task"
    severity = Severity.ERROR
    checklist = Checklist.TOPOLOGY_REVIEWED
    entities = ("Task",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for graph in project.graphs:
            order = {task.name: index for index, task in enumerate(graph.tasks)}
            for index, task in enumerate(graph.tasks):
                for name, span in zip(task.context, task.context_spans):
                    if name not in order:
                        problem = f"task '{task.name}' needs context from '{name}', which is not a task of this crew"
                    elif order[name] >= index:
                        where = "itself" if name == task.name else f"'{name}', which runs later"
                        problem = f"task '{task.name}' needs context from {where}: a task can only use earlier tasks' output"
                    else:
                        continue
                    yield self.violation(problem, Location(task.ref.path, span), ref=task.ref, args=(graph.name, task.name, name))

    valid = (
        Example(
            (
                ("crew/config/agents.yaml", _AGENTS),
                (
                    "crew/config/tasks.yaml",
                    "research:\n  description: Research\n  expected_output: Facts\n  agent: researcher\n"
                    "write:\n  description: Write\n  expected_output: Text\n  agent: writer\n  context: [research]\n",
                ),
            ),
            title="Context from an earlier task",
        ),
    )
    invalid = (
        Example(
            (
                ("crew/config/agents.yaml", _AGENTS),
                (
                    "crew/config/tasks.yaml",
                    "research:\n  description: Research\n  expected_output: Facts\n  agent: researcher\n"
                    "  context: [write]  # expect: AL110\n"
                    "write:\n  description: Write\n  expected_output: Text\n  agent: writer\n"
                    "  context: [research, outline]  # expect: AL110\n",
                ),
            ),
            title="A forward reference (a cycle with write → research) and an unknown task",
        ),
    )
