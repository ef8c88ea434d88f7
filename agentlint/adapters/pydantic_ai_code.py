"""PydanticAI code (``from pydantic_ai import Agent``) -> one single-agent graph per ``Agent(...)``.

Each ``Agent(...)`` call is an Agent in its own GraphPart named ``<path>:<label>`` (its
``name=`` when stated, else the variable it is bound to), its own entry and terminal.

- ``retries=`` (tool-call and output-validation retries; model HTTP retries belong to the
  client, which other adapters read) is ``max_attempts = retries + 1``. Left unset, the
  framework default applies (``pydantic-ai.retries``: 1, implicit); set to a value the module
  does not state, it is a limit of unknown size (not settable here, never reported missing).
- The run-level cap is ``UsageLimits(request_limit=)`` passed as ``usage_limits=`` to
  ``agent.run/run_sync/run_stream/iter`` in the module: the worst case over the agent's runs.
  A run without ``usage_limits=``, or with ``UsageLimits()`` leaving ``request_limit`` unset,
  gets the default of 50 requests (``pydantic-ai.request_limit``, an implicit bound: info at
  most); ``request_limit=None`` is no bound; a value not stated is a bound of unknown size.
  An agent the module never runs is bounded by that default (its runs elsewhere are not read).

Static ``system_prompt=``/``instructions=`` strings are located instruction text (AL408 judges
them); a list or tuple of prompts, or a function, is not read.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.agent_calls import BuiltAgent, Limit, bound_call, built_agents, callee_of, limit_of, runs_of
from agentlint.adapters._code.instruction_code import instruction_text
from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument, argument_span, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.entities import Agent, GraphPart
from agentlint.model.source import NodeRef, Span

FRAMEWORK = "pydantic-ai"
RETRIES_KEY = "pydantic-ai.retries"
REQUESTS_KEY = "pydantic-ai.request_limit"
_AGENTS = frozenset({"pydantic_ai.Agent", "pydantic_ai.agent.Agent"})
_LIMITS = frozenset({"pydantic_ai.UsageLimits", "pydantic_ai.usage.UsageLimits", "pydantic_ai.settings.UsageLimits"})
_RUNS = frozenset({"run", "run_sync", "run_stream", "iter", "run_stream_events"})


def claims(path: str, text: str) -> bool:
    return path.endswith(".py") and "pydantic_ai" in text


def _request_limit(facts: ModuleFacts, run: ast.Call, scope: FunctionScope | None) -> tuple[Limit, Span]:
    given = argument(run, "usage_limits")
    if given is MISSING:
        return ("default", None), facts.span(run)
    if not isinstance(given, ast.expr):
        return ("unknown", None), facts.span(run)
    limits = bound_call(facts, given, scope)
    if isinstance(limits, ast.Constant) and limits.value is None:
        return ("default", None), facts.span(given)
    if isinstance(limits, ast.Call) and callee_of(facts, limits) in _LIMITS:
        return limit_of(facts, limits, "request_limit", scope), argument_span(facts, limits, "request_limit")
    return ("unknown", None), facts.span(given)


def _turn_limit(limits: list[tuple[Limit, Span]]) -> tuple[int | None, bool, str | None, Span | None]:
    """(turn_limit, unstated, default key, where): the worst case over the agent's runs."""
    if not limits:
        return None, False, REQUESTS_KEY, None
    for (kind, _), span in limits:
        if kind == "none":
            return None, False, None, span
    for (kind, _), span in limits:
        if kind == "unknown":
            return None, True, None, span
    stated = [(value, span) for (kind, value), span in limits if kind == "value" and isinstance(value, float)]
    highest = max(stated, key=lambda pair: pair[0]) if stated else None
    if any(kind == "default" for (kind, _), _ in limits) and (highest is None or highest[0] < 50):
        return None, False, REQUESTS_KEY, None
    assert highest is not None
    return int(highest[0]), False, None, highest[1]


def _agent(facts: ModuleFacts, built: BuiltAgent, base: NodeRef, graph: str) -> Agent:
    fields: list[tuple[str, Span]] = []
    implicit: tuple[tuple[str, str], ...] = ()
    settable = {"model", "max_attempts"}
    attempts = None
    written: tuple[tuple[str, str], ...] = ()
    kind, value = limit_of(facts, built.call, "retries", built.scope)
    if kind == "value" and isinstance(value, float):
        attempts = int(value) + 1
        fields.append(("max_attempts", argument_span(facts, built.call, "retries")))
        written = (("max_attempts", f"retries={int(value)}"),)
    elif kind == "default":
        implicit = (("max_attempts", RETRIES_KEY),)
    else:
        settable.discard("max_attempts")  # set from where the module cannot see
    model = None
    given = argument(built.call, "model", 0)
    if isinstance(given, ast.expr):
        known = facts.value(given, built.scope)
        model = known.value if hasattr(known, "value") and isinstance(known.value, str) else None
    return Agent(base.child("agents", built.label), built.span, tuple(fields), built.label, graph, FRAMEWORK,
                 model=model, max_attempts=attempts, implicit=implicit, settable=frozenset(settable),
                 keys=(("max_attempts", "retries"),), written=written)


def adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    if facts is None:
        return Adapted()
    out = Adapted()
    path = facts.module.path
    for built in built_agents(facts, _AGENTS):
        name = f"{path}:{built.label}"
        base = NodeRef(path, ("graph", built.label))
        agent = _agent(facts, built, base, name)
        for setting in ("system_prompt", "instructions"):
            given = argument(built.call, setting)
            if isinstance(given, ast.expr):
                text = instruction_text(facts, given, built.scope, base.child("agents", built.label, setting),
                                        f"agent '{built.label}'", setting)
                if text is not None:
                    out.entities.append(text)
        limits = [_request_limit(facts, run, scope) for run, scope in runs_of(facts, built, _RUNS)]
        limit, unstated, default, span = _turn_limit(limits)
        out.parts.append(GraphPart(
            base, built.span, (("turn_limit", span),) if span is not None else (), name,
            entry=agent.name, terminals=(agent.name,), agents=(agent,), framework=FRAMEWORK,
            turn_limit=limit, turn_limit_default=default, turn_limit_unstated=unstated,
            turn_limit_setting="usage_limits.request_limit" if limit is not None or unstated else None,
            entry_declarable=False,
        ))
    return out


ADAPTER = Adapter("pydantic-ai-code", frozenset({Syntax.PYTHON}), claims, adapt)
