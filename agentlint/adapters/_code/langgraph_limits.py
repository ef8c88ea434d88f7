"""``recursion_limit``, ``RetryPolicy`` and node timeouts as LangGraph code states them.

A limit is ``(value, span)``: ``value`` None when the code sets it to something it does not
state statically (``cfg.limit``, a config dict passed in as a parameter). That is still a
bound, never reported as missing (``GraphPart.turn_limit_unstated``).
"""

from __future__ import annotations

import ast
from typing import NamedTuple

from agentlint.adapters._code.evaluate import Static, Unknown
from agentlint.adapters._code.scope import FunctionScope, ModuleFacts
from agentlint.model.source import Span

INVOKE = frozenset({"invoke", "ainvoke", "stream", "astream", "batch", "abatch", "astream_events", "stream_events"})
_CONFIG = frozenset({"langchain_core.runnables.RunnableConfig", "langchain_core.runnables.config.RunnableConfig", "dict"})
_RETRY = frozenset({"langgraph.types.RetryPolicy", "langgraph.pregel.RetryPolicy", "langgraph.graph.RetryPolicy"})
_TIMEOUT = frozenset({"langgraph.types.TimeoutPolicy"})
RETRY_DEFAULT_ATTEMPTS = 3  # langgraph.types.RetryPolicy.max_attempts (FORMATS.md 2.1)

class Limit(NamedTuple):
    value: int | None  # None: set, to a value the code does not state
    span: Span
    symbol: str | None = None  # that value is another module's constant (linked later)


def _number(expr: ast.AST, facts: ModuleFacts, scope: FunctionScope | None) -> float | None:
    value = facts.value(expr, scope)
    return value.number() if isinstance(value, Static) else None


def _limit(expr: ast.AST, span: Span, facts: ModuleFacts, scope: FunctionScope | None) -> Limit:
    value = facts.value(expr, scope)
    if isinstance(value, Unknown):
        return Limit(None, span, value.symbol)
    number = value.number()
    return Limit(int(number) if number is not None and number == number and abs(number) != float("inf") else None, span)


def config_limit(expr: ast.AST, facts: ModuleFacts, scope: FunctionScope | None, depth: int = 0) -> Limit | None:
    """The recursion_limit a ``config`` argument sets; None when it surely sets none."""
    span = facts.span(expr)
    if depth > 5:
        return Limit(None, span)
    if isinstance(expr, ast.Constant) and expr.value is None:
        return None
    if isinstance(expr, ast.Dict):
        for key, value in zip(expr.keys, expr.values):
            if key is None:
                return Limit(None, span)  # **spread: may carry one
            label = facts.value(key, scope)
            if isinstance(label, Static) and label.value == "recursion_limit":
                return _limit(value, Span(facts.span(key).start, facts.span(value).end), facts, scope)
        return None
    if isinstance(expr, ast.Call) and facts.qualname(expr.func) in _CONFIG:
        for keyword in expr.keywords:
            if keyword.arg is None:
                return Limit(None, span)
            if keyword.arg == "recursion_limit":
                return keyword_limit(keyword, facts, scope)
        return None
    if isinstance(expr, ast.Name):
        bound, where = _binding(expr.id, facts, scope)
        if bound is not None:
            return config_limit(bound, facts, where, depth + 1)
    return Limit(None, span)  # not stated statically: may set one


def keyword_limit(keyword: ast.keyword, facts: ModuleFacts, scope: FunctionScope | None) -> Limit:
    return _limit(keyword.value, facts.span(keyword), facts, scope)


def _binding(name: str, facts: ModuleFacts, scope: FunctionScope | None) -> tuple[ast.expr | None, FunctionScope | None]:
    if scope is not None and name in scope.bindings:
        return scope.bindings[name], scope
    if scope is not None and any(a.arg == name for a in [*scope.node.args.args, *scope.node.args.kwonlyargs]):
        return None, scope
    return facts.bindings.get(name), None


def retry_attempts(call: ast.Call, facts: ModuleFacts, scope: FunctionScope | None) -> tuple[int | None, Span] | None:
    """``retry_policy=RetryPolicy(max_attempts=N)`` (or the older ``retry=``) on add_node."""
    for keyword in call.keywords:
        if keyword.arg not in ("retry_policy", "retry"):
            continue
        value = keyword.value
        if isinstance(value, ast.Name):
            bound, where = _binding(value.id, facts, scope)
            value, scope = (bound, where) if bound is not None else (value, scope)
        policies = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        attempts: list[int] = []
        for policy in policies:
            if not (isinstance(policy, ast.Call) and facts.qualname(policy.func) in _RETRY):
                return None, facts.span(keyword)
            given = next((k.value for k in policy.keywords if k.arg == "max_attempts"), None)
            if given is None and any(k.arg is None for k in policy.keywords):
                return None, facts.span(keyword)
            number = RETRY_DEFAULT_ATTEMPTS if given is None else _number(given, facts, scope)
            if number is None:
                return None, facts.span(keyword)
            attempts.append(int(number))
        return (max(attempts) if attempts else None), facts.span(keyword)
    return None


def node_timeout(call: ast.Call, facts: ModuleFacts, scope: FunctionScope | None) -> tuple[float | None, Span] | None:
    """``timeout=30`` or ``timeout=TimeoutPolicy(run_timeout=30)`` on add_node (newer langgraph)."""
    for keyword in call.keywords:
        if keyword.arg != "timeout":
            continue
        value = keyword.value
        if isinstance(value, ast.Call) and facts.qualname(value.func) in _TIMEOUT:
            given = next((k.value for k in value.keywords if k.arg == "run_timeout"), None)
            return (_number(given, facts, scope) if given is not None else None), facts.span(keyword)
        return _number(value, facts, scope), facts.span(keyword)
    return None
