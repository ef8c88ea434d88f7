"""Prompts, completions, user input, personal data and credentials reaching logs and telemetry
in Python code -> ``DataFlow`` entities (issue 10, point 1; rules AL501-AL503).

Claims the Python files the prefilter parsed (they name an LLM or tracing library) whose text
shows a sink (a log, ``print``, a span, a trace store, a write). Sinks: ``_code/dataflow_sinks.py``;
the flow itself (sources, propagation, sanitizers): ``_code/dataflow.py``. Only unsanitized
flows are emitted, one entity per sink call with every source that reaches it. Modules under
``tests/``, ``test_*.py``, ``*_test.py`` and ``conftest.py`` are marked ``test_code``.

Refs are ``("dataflow", <function or "<module>">, <sink as written>, <ordinal>)``.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.dataflow import FunctionFlow
from agentlint.adapters._code.dataflow_values import is_handler
from agentlint.adapters._code.dataflow_sinks import Sink, SinkFinder
from agentlint.adapters._code.scope import facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.flows import DataFlow, FlowSource
from agentlint.model.source import NodeRef, is_test_path

_MARKERS = ("log", "print", "set_attribute", "add_event", "langfuse", "langsmith", "mlflow", ".write", "json.dump")


def _claims(path: str, text: str) -> bool:
    return path.endswith(".py") and any(marker in text for marker in _MARKERS)


def _adapt(loaded: LoadedFile) -> Adapted:
    out = Adapted()
    facts = facts_of(loaded)
    if facts is None:
        return out
    finder = SinkFinder(facts)
    by_scope: dict[int, dict[int, Sink]] = {}
    functions: dict[int, ast.FunctionDef | ast.AsyncFunctionDef | None] = {}
    lines: dict[int, set[int]] = {}  # the lines sink calls start on, per scope
    for site in facts.calls:
        sink = finder.classify(site)
        if sink is None:
            continue
        key = id(site.scope.node) if site.scope is not None else 0
        by_scope.setdefault(key, {})[id(site.call)] = sink
        lines.setdefault(key, set()).add(site.call.lineno)
        functions[key] = site.scope.node if site.scope is not None else None
    if not by_scope:
        return out
    test_code = is_test_path(loaded.path)
    ordinals: dict[tuple[str, str], int] = {}
    for key, sinks in by_scope.items():
        flow = FunctionFlow(facts, sinks, lines[key])
        node = functions[key]
        if node is None:
            flow.run_module(facts.module.tree.body)
            scope_name = "<module>"
        else:
            flow.run_function(node, finder.server and is_handler(node))
            scope_name = node.name
        for call, sink, found, argument in sorted(flow.found, key=lambda item: (item[0].lineno, item[0].col_offset)):
            ordinal_key = (scope_name, sink.label)
            index = ordinals.get(ordinal_key, 0)
            ordinals[ordinal_key] = index + 1
            fields = (("argument", facts.span(argument)),)
            out.entities.append(
                DataFlow(
                    ref=NodeRef(loaded.path, ("dataflow", scope_name, sink.label, index)),
                    span=facts.span(call),
                    fields=fields,
                    sink=sink.kind,
                    sink_call=sink.label,
                    sources=_distinct(found),
                    test_code=test_code,
                )
            )
    return out


def _distinct(found: frozenset[FlowSource]) -> tuple[FlowSource, ...]:
    """One source per origin (kind and place), the shortest path kept; ordered by position."""
    best: dict[tuple[object, ...], FlowSource] = {}
    for source in found:
        key = (source.kind, source.span)
        kept = best.get(key)
        if kept is None or (len(source.through), source.through) < (len(kept.through), kept.through):
            best[key] = source
    return tuple(sorted(best.values(), key=lambda s: (s.span, s.kind.value, s.through)))


ADAPTER = Adapter("python-flows", frozenset({Syntax.PYTHON}), _claims, _adapt)
