"""CrewAI ``Agent(...)``/``Task(...)``/``Crew(...)`` calls of one module, read statically.

Only calls whose callee resolves to ``crewai`` are read (``from crewai import Agent`` or
``crewai.Agent``). A call that passes ``config=`` (the ``@CrewBase`` shape, whose settings come
from ``config/agents.yaml``) or that sits inside a class is left to the YAML adapter: its
settings are not all in the code, and a half-read agent would be reported missing what YAML sets.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument

_AGENT = frozenset({"crewai.Agent", "crewai.agent.Agent", "crewai.agents.Agent"})
_TASK = frozenset({"crewai.Task", "crewai.task.Task"})
_CREW = frozenset({"crewai.Crew", "crewai.crew.Crew"})


@dataclass(slots=True)
class Call:
    call: ast.Call
    scope: FunctionScope | None
    variable: str | None  # the name it is bound to (``researcher = Agent(...)``)


@dataclass(slots=True)
class CrewCalls:
    agents: list[Call] = field(default_factory=list)
    tasks: list[Call] = field(default_factory=list)
    crews: list[Call] = field(default_factory=list)
    skipped: bool = False  # a crewai call the module hides (config=, **kwargs in a class …)


def _targets(tree: ast.Module) -> tuple[dict[int, str], set[int]]:
    """id(call) -> the single name it is assigned to; ids of calls inside a class body."""
    bound: dict[int, str] = {}
    in_class: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Call):
                bound[id(node.value)] = node.targets[0].id
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and isinstance(node.value, ast.Call):
            bound[id(node.value)] = node.target.id
        elif isinstance(node, ast.ClassDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call):
                    in_class.add(id(inner))
    return bound, in_class


def read_calls(facts: ModuleFacts) -> CrewCalls:
    out = CrewCalls()
    sites = [site for site in facts.calls if (site.callee or "") in _AGENT | _TASK | _CREW]
    if not sites:
        return out
    bound, in_class = _targets(facts.module.tree)
    for site in sites:
        call = site.call
        if id(call) in in_class or argument(call, "config") is not MISSING:
            out.skipped = True
            continue
        found = Call(call, site.scope, bound.get(id(call)))
        callee = site.callee or ""
        if callee in _AGENT:
            out.agents.append(found)
        elif callee in _TASK:
            out.tasks.append(found)
        else:
            out.crews.append(found)
    return out
