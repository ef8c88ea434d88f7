"""Telemetry and logging set-up in Python code -> ``TelemetrySwitch``, ``TracingSetup``,
``ManualSpan`` and ``LLMCall`` entities (issue 10, points 2 and 3).

What each library does by default, and which calls are read, is documented where it is
recognised: ``_code/telemetry_switches.py`` (debug logging, content capture, Langfuse masks,
instrumentors, ``os.environ[...] = ...``), ``_code/telemetry_export.py`` (OTLP transport,
sampling, set-up calls) and ``_code/telemetry_spans.py`` (spans opened by hand, LLM calls).

Values the code does not state statically are unknown: no switch, never a guess. Every switch
has origin ``Origin.CODE``; refs are ``("telemetry", <function>, <concern>, <setting>, n)``,
stable when lines move.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code import telemetry_export, telemetry_spans, telemetry_switches
from agentlint.adapters._code.scope import FunctionScope, facts_of
from agentlint.adapters._code.telemetry_common import Emitter, statements
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.telemetry import TracingKind

_MARKERS = (
    "opentelemetry",
    "langfuse",
    "traceloop",
    "openlit",
    "openinference",
    "phoenix",
    "logfire",
    "mlflow",
    "langsmith",
    "logging",
    "litellm",
    "langchain",
    "environ",
    "RunConfig",
    "trace_processor",
    "start_as_current_span",
    "start_span",
)
_STATEMENT_MARKERS = ("environ", "set_verbose", "debug", "verbose")
_DECORATOR_MARKERS = ("observe", "traceable")


def _claims(path: str, text: str) -> bool:
    return path.endswith(".py") and any(marker in text for marker in _MARKERS)


def _adapt(loaded: LoadedFile) -> Adapted:
    out = Adapted()
    facts = facts_of(loaded)
    if facts is None:
        return out
    em = Emitter(facts)
    text = loaded.text
    langfuse_sites = []
    for site in facts.calls:
        callee = site.callee
        if callee is None:
            if isinstance(site.call.func, ast.Attribute) and site.call.func.attr in ("instrument", "setLevel"):
                telemetry_switches.content_calls(em, site)
                telemetry_switches.debug_calls(em, site)
            continue
        if callee.startswith("langfuse."):
            langfuse_sites.append(site)
            continue
        telemetry_switches.debug_calls(em, site)
        telemetry_switches.content_calls(em, site)
        telemetry_export.setups(em, site)
        telemetry_export.transport(em, site)
        telemetry_export.sampling(em, site)
    decorators = _decorators(facts) if any(m in text for m in _DECORATOR_MARKERS) else []
    if "langfuse" in text:
        telemetry_switches.langfuse(em, langfuse_sites, [(node, scope, kind) for node, scope, kind in decorators if kind == "observe"])
    for node, scope, kind in decorators:
        if kind == "traceable":
            em.setup(node, scope, TracingKind.LANGSMITH, "@traceable")
    if any(marker in text for marker in _STATEMENT_MARKERS):
        _assignments(em)
    if "start_as_current" in text or "start_span" in text or decorators:
        telemetry_spans.spans(em)
    out.entities.extend(em.entities)
    return out


_DECORATOR_KINDS = {
    "langfuse.observe": "observe",
    "langfuse.decorators.observe": "observe",
    "langsmith.traceable": "traceable",
    "langsmith.run_helpers.traceable": "traceable",
}


def _decorators(facts) -> list[tuple[ast.expr, FunctionScope, str]]:  # type: ignore[no-untyped-def]
    """Langfuse ``@observe``/``@observe()`` and LangSmith ``@traceable`` decorators, with the
    scope of the function they decorate."""
    found = []
    for stmt in statements(facts.module.tree):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in stmt.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                kind = _DECORATOR_KINDS.get(facts.qualname(target) or "")
                if kind is not None:
                    found.append((decorator, facts.scope_of(stmt), kind))
    return found


def _assignments(em: Emitter) -> None:
    facts = em.facts
    for node in statements(facts.module.tree):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if isinstance(target, ast.Subscript) and facts.qualname(target.value) == "os.environ":
            key = target.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                telemetry_switches.env_assignment(em, node, key.value, node.value)
        elif isinstance(target, ast.Attribute):
            telemetry_switches.debug_assignment(em, node, target)


ADAPTER = Adapter("telemetry-code", frozenset({Syntax.PYTHON}), _claims, _adapt)
