"""CrewAI agents, tasks and crews written in Python -> the entities the YAML twin emits.

``researcher = Agent(role=..., goal=..., backstory=..., max_iter=5, llm="gpt-4o")`` becomes
the same Agent as an ``agents.yaml`` entry (adapters/crewai.py: same fields, implicit CrewAI
defaults, keys named in messages), so the same rules fire on it; ``Task(agent=researcher,
context=[...])`` the same Task. One GraphPart per module, named after the module's path.

Read statically, never guessed:

* a limit written with a value the module does not state (``max_iter=cfg.max_iter``, a
  parameter) is unknown, not missing: it leaves the settable set, so no missing finding and no
  default stands in for it; ``**kwargs`` makes every setting unknown;
* ``max_retry_limit`` counts retries: the model holds attempts, one more (as in YAML);
* sequence edges are drawn only for a module with one ``Crew(tasks=[...])`` in the default or
  ``Process.sequential`` order whose tasks and their agents are all this module's calls: the
  walk over the tasks' agents, first visits only (the YAML adapter's rule, see its docstring).
  A hierarchical crew lets its manager pick the order: no edges. Anything else the module
  cannot see (agents imported from ``agents.py``, a crew built from lists) makes the part
  incomplete, so rules built on an edge's absence skip it;
* calls with ``config=`` and calls inside classes (``@CrewBase``, whose settings live in
  ``config/agents.yaml``) are no agents of their own: what an ``@agent`` method writes over
  ``self.agents_config["x"]`` is joined to the YAML agent ``x`` (_code/crewai_base.py,
  model/crew_settings.py), so a limit set in either place counts; an ``@agent`` method that
  builds its agent without ``config=`` adds that agent (named after the method, as CrewBase
  names it) to the crew's graph, so the tasks.yaml entries that name it find it.
"""

from __future__ import annotations

import ast
import math

from agentlint.adapters._code.crewai_base import code_task_crews, crewbase_agents, crewbase_settings
from agentlint.adapters._code.crewai_calls import Call, CrewCalls, read_calls
from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import MISSING, ModuleFacts, argument, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.adapters.crewai import FRAMEWORK, KEYS, SETTABLE
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart, Task
from agentlint.model.source import NodeRef, Span

# (keyword, neutral attribute, minimum, default key)
_LIMITS = (
    ("max_iter", "max_iterations", 1, "crewai.max_iter"),
    ("max_execution_time", "timeout_seconds", 1, "crewai.max_execution_time"),
    ("max_retry_limit", "max_attempts", 0, "crewai.max_retry_limit"),
)


def claims(path: str, text: str) -> bool:
    return path.endswith(".py") and "crewai" in text


class _Module:
    def __init__(self, loaded: LoadedFile, facts: ModuleFacts, calls: CrewCalls) -> None:
        self.path = loaded.path
        self.facts = facts
        self.calls = calls
        self.names: dict[int, str] = {}
        seen: dict[str, int] = {}
        for found in calls.agents + calls.tasks:
            key = found.variable or f"line{found.call.lineno}"
            seen[key] = seen.get(key, 0) + 1
            self.names[id(found.call)] = key if seen[key] == 1 else f"{key}#{seen[key]}"
        self.by_variable: dict[str, Call | None] = {}
        for found in calls.agents + calls.tasks:
            if found.variable:  # a name bound to two calls is no one's
                self.by_variable[found.variable] = None if found.variable in self.by_variable else found

    def text(self, found: Call, key: str) -> tuple[str | None, ast.expr | None]:
        expr = argument(found.call, key)
        if not isinstance(expr, ast.expr):
            return None, None
        value = self.facts.value(expr, found.scope)
        return (value.value if isinstance(value, Static) and isinstance(value.value, str) else None), expr

    def local(self, expr: ast.AST, kind: list[Call]) -> Call | None:
        """The call of this module a name (or an inline call) stands for."""
        if isinstance(expr, ast.Call):
            return next((found for found in kind if found.call is expr), None)
        if isinstance(expr, ast.Name):
            found = self.by_variable.get(expr.id)
            return found if found is not None and found in kind else None
        return None

    def agent(self, found: Call, name: str | None = None, graph: str | None = None) -> Agent:
        facts, call = self.facts, found.call
        name = name or self.names[id(call)]
        fields: list[tuple[str, Span]] = []
        settable = set(SETTABLE)
        if not isinstance(argument(call, "role"), ast.expr) and argument(call, "role") is not MISSING:
            settable.discard("role")  # **kwargs may hold it (every limit below is unknown the same way)
        values: dict[str, str | None] = {}
        for key, attribute in (("role", "role"), ("goal", "description"), ("backstory", "prompt"), ("llm", "model")):
            values[key], expr = self.text(found, key)
            if expr is not None:
                fields.append((attribute, facts.span(expr)))
                if key == "role" and values[key] is None:
                    settable.discard("role")  # a role the module does not state
        tools: list[str] = []
        expr = argument(call, "tools")
        if isinstance(expr, ast.expr):
            fields.append(("tools", facts.span(expr)))
            if isinstance(expr, (ast.List, ast.Tuple)):
                for element in expr.elts:
                    head = element.func if isinstance(element, ast.Call) else element
                    label = ast.unparse(head) if isinstance(head, (ast.Name, ast.Attribute)) else None
                    if label:
                        tools.append(label)
        limits: dict[str, int | None] = {}
        implicit: list[tuple[str, str]] = []
        for key, attribute, minimum, default in _LIMITS:
            expr = argument(call, key)
            if expr is MISSING:
                implicit.append((attribute, default))
                continue
            if not isinstance(expr, ast.expr):
                settable.discard(attribute)
                continue
            value = facts.value(expr, found.scope)
            number = value.number() if isinstance(value, Static) and not isinstance(value.value, bool) else None
            if isinstance(value, Static) and value.value is None:
                implicit.append((attribute, default))  # None: CrewAI's own default
                continue
            if number is None or not math.isfinite(number) or number != int(number) or number < minimum:
                settable.discard(attribute)  # unknown, or rejected by pydantic at run time: not missing
                continue
            limits[attribute] = int(number)
            fields.append((attribute, facts.span(expr)))
        delegation = argument(call, "allow_delegation")
        delegates = False
        if isinstance(delegation, ast.expr):
            fields.append(("delegates", facts.span(delegation)))
            value = facts.value(delegation, found.scope)
            delegates = isinstance(value, Static) and value.value is True
        retries = limits.get("max_attempts")
        role = values.get("role")
        return Agent(
            NodeRef(self.path, ("agents", name)), facts.span(call.func), tuple(fields), name, graph or self.path, FRAMEWORK,
            role=role.strip() if role else None, model=values.get("llm"), prompt=values.get("backstory"),
            tools=tuple(tools), timeout_seconds=float(limits["timeout_seconds"]) if "timeout_seconds" in limits else None,
            max_attempts=retries + 1 if retries is not None else None, max_iterations=limits.get("max_iterations"),
            description=(values.get("goal") or "").strip() or None, implicit=tuple(implicit), delegates=delegates,
            settable=frozenset(settable), keys=KEYS,
            written=(("max_attempts", f"max_retry_limit={retries}"),) if retries is not None else (),
        )

    def task(self, found: Call, references: list[AgentReference]) -> tuple[Task, str | None, bool]:
        """The Task, its agent's name when this module defines it, and whether it is all seen."""
        facts, call = self.facts, found.call
        name = self.names[id(call)]
        ref = NodeRef(self.path, ("tasks", name))
        agent_name, seen = None, True
        expr = argument(call, "agent")
        fields: list[tuple[str, Span]] = []
        if isinstance(expr, ast.expr):
            fields.append(("agent", facts.span(expr)))
            local = self.local(expr, self.calls.agents)
            if local is not None:
                agent_name = self.names[id(local.call)]
                references.append(AgentReference(ref.child("agent"), facts.span(expr), (), agent_name, self.path, "task agent"))
            else:
                seen = False
        else:
            seen = False
        context: list[str] = []
        spans: list[Span] = []
        expr = argument(call, "context")
        if isinstance(expr, (ast.List, ast.Tuple)):
            for element in expr.elts:
                local = self.local(element, self.calls.tasks)
                if local is not None:
                    context.append(self.names[id(local.call)])
                    spans.append(facts.span(element))
        task = Task(ref, facts.span(call.func), tuple(fields), name, self.path, agent=agent_name, context=tuple(context),
                    context_spans=tuple(spans))
        return task, agent_name, seen

    def walk(self, task_agents: dict[int, tuple[str | None, bool]]) -> tuple[list[tuple[str, ast.expr]], bool]:
        """The agents of the one sequential crew's tasks, in order; whether the walk is all seen."""
        if len(self.calls.crews) != 1 or self.calls.skipped:
            return [], False
        crew = self.calls.crews[0]
        process = argument(crew.call, "process")
        if process is not MISSING:
            name = self.facts.qualname(process) if isinstance(process, ast.expr) else None
            if name not in ("crewai.Process.sequential", "crewai.process.Process.sequential"):
                return [], False  # hierarchical (the manager picks) or not stated
        tasks = argument(crew.call, "tasks")
        if not isinstance(tasks, (ast.List, ast.Tuple)):
            return [], False
        walk: list[tuple[str, ast.expr]] = []
        for element in tasks.elts:
            local = self.local(element, self.calls.tasks)
            if local is None:
                return [], False
            agent, seen = task_agents[id(local.call)]
            if agent is None or not seen:
                return [], False
            walk.append((agent, element))
        return walk, True

    def adapt(self) -> Adapted:
        out = Adapted()
        agents = [self.agent(found) for found in self.calls.agents]
        references: list[AgentReference] = []
        tasks: list[Task] = []
        task_agents: dict[int, tuple[str | None, bool]] = {}
        for found in self.calls.tasks:
            task, agent, seen = self.task(found, references)
            tasks.append(task)
            task_agents[id(found.call)] = (agent, seen)
        walk, complete = self.walk(task_agents)
        edges: list[Edge] = []
        visited: set[str] = set()
        previous: str | None = None
        for agent, element in walk:
            if previous is not None and agent not in visited:
                edges.append(Edge(NodeRef(self.path, ("crew", "tasks", element.lineno, element.col_offset)), self.facts.span(element),
                                  (), previous, agent, EdgeKind.SEQUENCE, self.path))
            visited.add(agent)
            previous = agent
        if not agents and not tasks:
            return out
        first = (self.calls.agents + self.calls.tasks)[0].call
        out.parts.append(GraphPart(
            NodeRef(self.path, ("crew",)), self.facts.span(first.func), (), self.path, entry=walk[0][0] if walk else None,
            agents=tuple(agents), edges=tuple(edges), references=tuple(references), tasks=tuple(tasks), framework=FRAMEWORK,
            entry_declarable=False, complete=complete and len(visited) == len(agents),
        ))
        return out


def adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    if facts is None:
        return Adapted()
    calls = read_calls(facts)
    module = _Module(loaded, facts, calls)
    out = module.adapt() if calls.agents or calls.tasks else Adapted()
    if calls.skipped:  # Agent(config=self.agents_config[...]) in a @CrewBase class
        out.entities.extend(crewbase_settings(facts, loaded.path))
        by_crew: dict[str, list[Agent]] = {}
        for graph, method, call, scope in crewbase_agents(facts, loaded.path):
            by_crew.setdefault(graph, []).append(module.agent(Call(call, scope, method), method, graph))
        hidden = code_task_crews(facts, loaded.path)  # tasks built in code: the YAML walk is partial
        for graph in sorted(by_crew.keys() | hidden):
            agents = by_crew.get(graph, [])
            out.parts.append(GraphPart(NodeRef(loaded.path, ("crewbase", graph)), agents[0].span if agents else Span.point(1, 1), (), graph,
                                       agents=tuple(agents), framework=FRAMEWORK, entry_declarable=False, complete=graph not in hidden))
    return out


ADAPTER = Adapter("crewai-code", frozenset({Syntax.PYTHON}), claims, adapt)
