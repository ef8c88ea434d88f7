"""``@CrewBase`` classes: the settings their ``@agent`` methods write over ``agents.yaml``.

``@agent def researcher(self): return Agent(config=self.agents_config["researcher"], max_iter=5)``
gives a ``CrewAgentSettings`` for the agent ``researcher`` of the crew whose YAML the class reads
(``config/agents.yaml`` beside the module, or the class's own ``agents_config = "…"``), joined to
the YAML agent by model/crew_settings.py. Keys other than the limits, ``llm``, ``role`` and
``allow_delegation`` are left to the YAML.
"""

from __future__ import annotations

import ast
import math
import posixpath
from collections.abc import Iterator

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument
from agentlint.adapters.crewai import graph_name
from agentlint.model.crew_settings import CrewAgentSettings
from agentlint.model.source import NodeRef

_AGENT = frozenset({"crewai.Agent", "crewai.agent.Agent", "crewai.agents.Agent"})
_TASK = frozenset({"crewai.Task", "crewai.task.Task"})
# (keyword, attribute, minimum); max_retry_limit counts retries, the model attempts
_LIMITS = (("max_iter", "max_iterations", 1), ("max_execution_time", "timeout_seconds", 1), ("max_retry_limit", "max_attempts", 0))


def _decorated(facts: ModuleFacts, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef, *names: str) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if facts.qualname(target) in names:
            return True
    return False


def _config_path(cls: ast.ClassDef) -> str:
    for statement in cls.body:
        if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "agents_config" for t in statement.targets):
            value = statement.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
    return "config/agents.yaml"


def _config_key(expr: ast.expr) -> str | None:
    """``self.agents_config["researcher"]`` (or ``self.agents_config.get("researcher")``)."""
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, str):
        owner = expr.value
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and expr.args:
        first = expr.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            return None
        owner, expr = expr.func.value, ast.Subscript(value=expr.func.value, slice=first)
    else:
        return None
    if isinstance(owner, ast.Attribute) and owner.attr == "agents_config" and isinstance(owner.value, ast.Name) and owner.value.id == "self":
        return expr.slice.value  # type: ignore[attr-defined, no-any-return]
    return None


def _settings(facts: ModuleFacts, call: ast.Call, scope: FunctionScope, graph: str, key: str, path: str) -> CrewAgentSettings:
    values: list[tuple[str, object]] = []
    unknown: set[str] = set()
    written: list[tuple[str, str]] = []
    fields = []
    for keyword, attribute, minimum in _LIMITS:
        expr = argument(call, keyword)
        if expr is MISSING:
            continue
        if not isinstance(expr, ast.expr):
            unknown.add(attribute)
            continue
        value = facts.value(expr, scope)
        if isinstance(value, Static) and value.value is None:
            continue  # None: the YAML value (or CrewAI's default) stands
        number = value.number() if isinstance(value, Static) else None
        if number is None or not math.isfinite(number) or number != int(number) or number < minimum:
            unknown.add(attribute)
            continue
        fields.append((attribute, facts.span(expr)))
        if attribute == "max_attempts":
            values.append((attribute, int(number) + 1))
            written.append((attribute, f"max_retry_limit={int(number)}"))
        elif attribute == "timeout_seconds":
            values.append((attribute, float(number)))
        else:
            values.append((attribute, int(number)))
    for keyword, attribute in (("llm", "model"), ("role", "role")):
        expr = argument(call, keyword)
        if isinstance(expr, ast.expr):
            value = facts.value(expr, scope)
            text = value.value if isinstance(value, Static) and isinstance(value.value, str) else None
            if text is not None:
                values.append((attribute, text.strip()))
            elif attribute == "role":
                unknown.add("role")
            else:
                values.append((attribute, None))  # an LLM(...) object: a model, not a name
    delegation = argument(call, "allow_delegation")
    if isinstance(delegation, ast.expr):
        value = facts.value(delegation, scope)
        if isinstance(value, Static) and isinstance(value.value, bool):
            values.append(("delegates", value.value))
    return CrewAgentSettings(NodeRef(path, ("crewbase", key)), facts.span(call.func), tuple(fields), graph, key, tuple(values),
                             frozenset(unknown), tuple(written))


def _crews(facts: ModuleFacts, path: str) -> Iterator[tuple[str, ast.ClassDef]]:
    for cls in facts.classes.values():
        if _decorated(facts, cls, "crewai.project.CrewBase", "crewai.project.crew_base.CrewBase"):
            yield graph_name(posixpath.normpath(posixpath.join(posixpath.dirname(path), _config_path(cls)))), cls


def code_task_crews(facts: ModuleFacts, path: str) -> set[str]:
    """Crews with an ``@task`` method whose task is not (only) a tasks.yaml entry: the YAML
    does not show the whole task walk."""
    out: set[str] = set()
    for graph, cls in _crews(facts, path):
        for method in cls.body:
            if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and _decorated(facts, method, "crewai.project.task", "crewai.project.annotations.task"):
                calls = [node for node in ast.walk(method) if isinstance(node, ast.Call) and facts.qualname(node.func) in _TASK]
                if len(calls) != 1 or argument(calls[0], "config") is MISSING or argument(calls[0], "agent") is not MISSING:
                    out.add(graph)
    return out


def _agent_calls(facts: ModuleFacts, path: str) -> Iterator[tuple[str, str, ast.Call, FunctionScope]]:
    """(crew graph, method name, Agent call, scope) of every ``@agent`` method of a CrewBase class."""
    for cls in facts.classes.values():
        if not _decorated(facts, cls, "crewai.project.CrewBase", "crewai.project.crew_base.CrewBase"):
            continue
        graph = graph_name(posixpath.normpath(posixpath.join(posixpath.dirname(path), _config_path(cls))))
        for method in cls.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if not _decorated(facts, method, "crewai.project.agent", "crewai.project.annotations.agent"):
                continue
            calls = [node for node in ast.walk(method) if isinstance(node, ast.Call) and facts.qualname(node.func) in _AGENT]
            if len(calls) == 1:  # two Agent(...) calls in one method: which one it returns is not static
                yield graph, method.name, calls[0], facts.scope_of(method)


def crewbase_settings(facts: ModuleFacts, path: str) -> list[CrewAgentSettings]:
    out: list[CrewAgentSettings] = []
    for graph, _, call, scope in _agent_calls(facts, path):
        config = argument(call, "config")
        key = _config_key(config) if isinstance(config, ast.expr) else None
        if key is not None:
            out.append(_settings(facts, call, scope, graph, key, path))
    return out


def crewbase_agents(facts: ModuleFacts, path: str) -> list[tuple[str, str, ast.Call, FunctionScope]]:
    """The ``@agent`` methods that build their agent in code alone (no ``config=``, no ``**``)."""
    return [item for item in _agent_calls(facts, path) if argument(item[2], "config") is MISSING]
