"""Agents built by one constructor call (PydanticAI ``Agent(...)``, smolagents ``CodeAgent(...)``):
where each is bound, what it is called, and its keyword limits read as numbers or unknown.

A limit is ``("value", n)`` when the module states it, ``("none", None)`` for ``None`` (no
limit), ``("unknown", symbol)`` when it is set to a value the source does not state (a config
attribute, a parameter, ``**kwargs``), ``("default", None)`` when the call surely leaves it unset.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from agentlint.adapters._code.evaluate import Static, Unknown
from agentlint.adapters._code.scope import MISSING, FunctionScope, ModuleFacts, argument
from agentlint.model.source import Span

Limit = tuple[str, float | str | None]


@dataclass(slots=True)
class BuiltAgent:
    call: ast.Call
    callee: str
    scope: FunctionScope | None
    span: Span
    label: str


def callee_of(facts: ModuleFacts, call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Subscript):  # Agent[Deps, Output](...)
        func = func.value
    return facts.qualname(func)


def built_agents(facts: ModuleFacts, callees: frozenset[str]) -> list[BuiltAgent]:
    """Every call to one of ``callees``, labelled after its ``name=`` when the module states it,
    else the variable it is bound to, else its line."""
    out: list[BuiltAgent] = []
    taken: dict[str, int] = {}
    for site in facts.calls:
        callee = callee_of(facts, site.call) if site.callee is None else site.callee
        if callee not in callees:
            continue
        label = _label(facts, site.call, site.scope)
        taken[label] = taken.get(label, 0) + 1
        if taken[label] > 1:
            label = f"{label}#{taken[label]}"
        out.append(BuiltAgent(site.call, callee, site.scope, facts.span(site.call), label))
    return out


def _label(facts: ModuleFacts, call: ast.Call, scope: FunctionScope | None) -> str:
    given = argument(call, "name")
    if isinstance(given, ast.expr):
        value = facts.value(given, scope)
        if isinstance(value, Static) and isinstance(value.value, str) and value.value.strip():
            return value.value.strip()
    bindings = scope.bindings if scope is not None else facts.bindings
    for name, bound in bindings.items():
        if bound is call:
            return name
    return f"agent@{facts.span(call).start.line}"


def bound_call(facts: ModuleFacts, expr: ast.AST, scope: FunctionScope | None) -> ast.AST:
    """The expression a plain name stands for, when it is bound once (in the scope, else the module)."""
    if isinstance(expr, ast.Name):
        if scope is not None and expr.id in scope.bindings:
            bound = scope.bindings[expr.id]
            return bound if bound is not None else expr
        bound = facts.bindings.get(expr.id)
        if bound is not None:
            return bound
    return expr


def limit_of(facts: ModuleFacts, call: ast.Call, keyword: str, scope: FunctionScope | None) -> Limit:
    given = argument(call, keyword)
    if given is MISSING:
        return ("default", None)
    if isinstance(given, Unknown) or not isinstance(given, ast.expr):
        return ("unknown", None)
    value = facts.value(given, scope)
    if isinstance(value, Static):
        if value.value is None:
            return ("none", None)
        number = value.number()
        if number is not None and number >= 0:
            return ("value", float(number))
        return ("unknown", None)  # a value the framework rejects is no bound we can size
    return ("unknown", value.symbol if isinstance(value, Unknown) else None)


def runs_of(facts: ModuleFacts, agent: BuiltAgent, methods: frozenset[str]) -> list[tuple[ast.Call, FunctionScope | None]]:
    """The calls ``<agent>.<method>(...)`` in the module on a name bound once to ``agent``'s call."""
    out = []
    for site in facts.calls:
        func = site.call.func
        if isinstance(func, ast.Attribute) and func.attr in methods:
            if bound_call(facts, func.value, site.scope) is agent.call:
                out.append((site.call, site.scope))
    return out
