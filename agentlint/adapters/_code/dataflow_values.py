"""Small pure helpers of ``dataflow.py``: what a value is (a literal or something computed),
a short cut of a key, a web handler, a dependency parameter, the path a source took."""

from __future__ import annotations

import ast

from agentlint.adapters._code.dataflow_names import is_sanitizer
from agentlint.adapters._code.dataflow_sinks import dotted
from agentlint.model.flows import FlowSource

Sources = frozenset[FlowSource]
MAX_THROUGH = 3
_TEMPLATE_CALLS = frozenset({"get_prompt", "aget_prompt", "load_prompt", "pull_prompt", "get_prompt_template"})
_ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"})


def through(found: Sources, key: str) -> Sources:
    """The sources of a value stored in ``key``: ``key`` appended to each one's path, one
    source per origin (the shortest path kept), so that ``x1 = p + x0; x2 = p + x1 …`` keeps
    one source, not one per path (which made a long chain quadratic)."""
    best: dict[tuple[object, ...], FlowSource] = {}
    for source in found:
        if not (source.what == key or (source.through and source.through[-1] == key)):
            source = FlowSource(source.kind, source.what, source.span, source.how, (*source.through, key)[-MAX_THROUGH:])
        origin = (source.kind, source.span, source.how)
        kept = best.get(origin)
        if kept is None or (len(source.through), source.through) < (len(kept.through), kept.through):
            best[origin] = source
    return frozenset(best.values())


def opaque(value: ast.expr) -> bool:
    """Whether a value is something the code computes at run time (a call, a parameter, an
    attribute), rather than a literal or a template of literals."""
    if isinstance(value, (ast.Constant, ast.Compare, ast.Lambda)):
        return False
    if isinstance(value, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in value.values)
    if isinstance(value, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
        return False  # an empty or literal container
    if isinstance(value, ast.Call):
        name = dotted(value.func) or (value.func.attr if isinstance(value.func, ast.Attribute) else "")
        return not is_template_call(value) and not is_sanitizer(name, None)
    return True


def is_template_call(value: ast.expr) -> bool:
    """A prompt template fetched from a registry or a file (``langfuse.get_prompt``,
    ``hub.pull``, ``PromptTemplate.from_template``): the developer's text, not a conversation."""
    if not isinstance(value, ast.Call):
        return False
    name = dotted(value.func) or (value.func.attr if isinstance(value.func, ast.Attribute) else "")
    last = name.rpartition(".")[2].lower()
    return "template" in last or last in _TEMPLATE_CALLS or name.lower().endswith("hub.pull")


def short_cut(slice_: ast.Slice) -> bool:
    """``key[:4]``, ``key[-4:]``: at most 8 characters of a credential shown."""
    lower, upper = slice_.lower, slice_.upper
    bound = upper if lower is None else lower if upper is None else None
    if isinstance(bound, ast.UnaryOp) and isinstance(bound.op, ast.USub):
        bound = bound.operand
    return isinstance(bound, ast.Constant) and isinstance(bound.value, int) and abs(bound.value) <= 8


def is_dependency(default: ast.expr | None) -> bool:
    return isinstance(default, ast.Call) and (dotted(default.func) or "").rpartition(".")[2] in ("Depends", "Security")


def is_handler(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``@app.post("/chat")``, ``@router.get(...)``, ``@bp.route(...)``: a web handler."""
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute) and decorator.func.attr in _ROUTE_METHODS:
            return True
    return False
