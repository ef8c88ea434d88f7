"""Spans opened by hand and the LLM calls inside or outside them (issue 10, point 3):
``ManualSpan`` and ``LLMCall`` entities for modules that open at least one span themselves.

LLM calls are recognised through the clients the module builds (``_code/clients.py``): a
name or attribute assigned a client (``client = OpenAI()``, ``self.llm = ChatOpenAI()``, ``with
OpenAI() as client``) and a request method on it (``client.chat.completions.create``,
``client.messages.create``, ``client.responses.create``, ``client.models.generate_content``,
``llm.invoke``/``ainvoke``/``stream``/``batch``), the openai module client
(``openai.chat.completions.create``), and ``litellm.completion``/``acompletion``. A client that
comes from elsewhere (a parameter, another module) is not recognised: a miss, never a guess.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from agentlint.adapters._code.clients import spec_for
from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import CallSite, FunctionNode
from agentlint.adapters._code.telemetry_common import Emitter, dotted
from agentlint.model.instrumentation import LLMCall, ManualSpan, ToolFunction

SPAN_METHODS = frozenset({"start_as_current_span", "start_span", "start_as_current_generation", "start_as_current_observation"})
_OTEL_METHODS = frozenset({"start_as_current_span", "start_span"})
SPAN_DECORATORS = frozenset({"langfuse.observe", "langfuse.decorators.observe", "langsmith.traceable", "langsmith.run_helpers.traceable"})
_SPAN_OBJECT_METHODS = frozenset(
    {"set_attribute", "set_attributes", "add_event", "set_status", "record_exception", "is_recording", "get_span_context", "add_link", "update_name"}
)
_LANGCHAIN_TOOL = frozenset({"langchain_core.tools.tool", "langchain.tools.tool", "langchain.agents.tool", "langchain_core.tools.convert.tool"})
# A helper whose name says it records telemetry may write on the current span by itself.
_RECORDERS = ("usage", "token", "cost", "record", "track", "metric", "telemetry", "span", "trace", "observ")
_CHAT_MODEL_METHODS = frozenset({"invoke", "ainvoke", "stream", "astream", "batch", "abatch"})
_SDK_METHODS = frozenset({"create", "parse", "stream", "generate_content", "generate_content_stream"})
_SDK_PATHS = frozenset(
    {".chat.completions", ".completions", ".messages", ".responses", ".beta.chat.completions", ".beta.messages", ".models", ".aio.models"}
)
_MODULE_CALLS = {
    f"openai.{path}": "openai"
    for path in ("chat.completions.create", "completions.create", "responses.create", "ChatCompletion.create", "Completion.create", "beta.chat.completions.parse")
}


@dataclass(slots=True)
class _Block:
    node: ast.With | ast.AsyncWith
    item: ast.withitem
    function: FunctionNode | None
    calls: int = 0


@dataclass(slots=True)
class _Walk:
    blocks: list[_Block] = field(default_factory=list)
    decorated: dict[int, tuple[ast.expr, FunctionNode]] = field(default_factory=dict)  # id(function) -> span decorator
    holders: dict[str, str] = field(default_factory=dict)  # dotted name -> client library
    tools: list[tuple[FunctionNode, ast.expr, str]] = field(default_factory=list)  # function, decorator, framework


def _walk(em: Emitter) -> _Walk:
    """Span ``with`` blocks (with their function), span-decorated functions, client holders."""
    facts, out = em.facts, _Walk()
    stack: list[tuple[ast.AST, FunctionNode | None]] = [(facts.module.tree, None)]
    while stack:
        node, function = stack.pop()
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(node, name, None) or ():
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for decorator in child.decorator_list:
                        target = decorator.func if isinstance(decorator, ast.Call) else decorator
                        if (facts.qualname(target) or "") in SPAN_DECORATORS or (
                            isinstance(target, ast.Attribute) and target.attr in SPAN_METHODS and isinstance(decorator, ast.Call)
                        ):
                            out.decorated[id(child)] = (decorator, child)
                        framework = _tool_framework(facts, target)
                        if framework is not None:
                            out.tools.append((child, decorator, framework))
                    stack.append((child, child))
                    continue
                if isinstance(child, (ast.With, ast.AsyncWith)):
                    for item in child.items:
                        ctx = item.context_expr
                        if isinstance(ctx, ast.Call) and isinstance(ctx.func, ast.Attribute) and ctx.func.attr in SPAN_METHODS:
                            out.blocks.append(_Block(child, item, function))
                        elif isinstance(ctx, ast.Call) and item.optional_vars is not None:
                            _hold(em, out, item.optional_vars, ctx)
                elif isinstance(child, (ast.Assign, ast.AnnAssign)) and isinstance(child.value, ast.Call):
                    targets = child.targets if isinstance(child, ast.Assign) else [child.target]
                    if len(targets) == 1:
                        _hold(em, out, targets[0], child.value)
                stack.append((child, function))
    return out


def _tool_framework(facts, target: ast.expr) -> str | None:  # type: ignore[no-untyped-def]
    """``@tool`` (LangChain) or ``@mcp.tool()`` on a module-level ``FastMCP(...)``."""
    if (facts.qualname(target) or "") in _LANGCHAIN_TOOL:
        return "langchain"
    if isinstance(target, ast.Attribute) and target.attr == "tool" and isinstance(target.value, ast.Name):
        bound = facts.bindings.get(target.value.id)
        if isinstance(bound, ast.Call) and (facts.qualname(bound.func) or "").endswith(".FastMCP"):
            return "mcp"
    return None


def _hold(em: Emitter, out: _Walk, target: ast.expr, value: ast.Call) -> None:
    spec = spec_for(em.facts.qualname(value.func))
    name = dotted(target)
    if spec is not None and name is not None and spec.library != "litellm":
        out.holders[name] = spec.library


def _llm_call(em: Emitter, site: CallSite, holders: dict[str, str]) -> str | None:
    """The library of an LLM request, or None."""
    spec = spec_for(site.callee)
    if spec is not None:
        return spec.library if spec.library == "litellm" else None
    if site.callee in _MODULE_CALLS:
        return _MODULE_CALLS[site.callee]
    func = site.call.func
    if not isinstance(func, ast.Attribute) or not holders:
        return None
    receiver = dotted(func.value)
    if receiver is None:
        return None
    for holder, library in holders.items():
        if receiver != holder and not receiver.startswith(holder + "."):
            continue
        rest = receiver[len(holder) :]
        if library.startswith("langchain"):
            if rest == "" and func.attr in _CHAT_MODEL_METHODS:
                return library
        elif func.attr in _SDK_METHODS and rest in _SDK_PATHS:
            return library
    return None


def _inside(node: ast.AST, block: ast.AST) -> bool:
    start = (block.lineno, block.col_offset)  # type: ignore[attr-defined]
    end = (block.end_lineno, block.end_col_offset)  # type: ignore[attr-defined]
    return start <= (node.lineno, node.col_offset) and (node.end_lineno, node.end_col_offset) <= end  # type: ignore[attr-defined, operator]


def spans(em: Emitter) -> None:
    walk = _walk(em)
    if not walk.blocks and not walk.decorated:
        return
    facts = em.facts
    sibling: dict[int, int] = {}
    for block in walk.blocks:
        key = id(block.function) if block.function is not None else 0
        sibling[key] = sibling.get(key, 0) + 1
    decorated_calls: dict[int, int] = {}
    for site in facts.calls:
        library = _llm_call(em, site, walk.holders)
        if library is None:
            continue
        function = site.scope.node if site.scope is not None else None
        inside = [block for block in walk.blocks if _inside(site.call, block.node)]
        for block in inside:
            block.calls += 1
        in_decorated = function is not None and id(function) in walk.decorated
        if in_decorated:
            decorated_calls[id(function)] = decorated_calls.get(id(function), 0) + 1
        name = function.name if function is not None else "<module>"
        em.entities.append(
            LLMCall(
                ref=em.ref("llm_calls", name, facts.module.segment(site.call.func)),
                span=facts.span(site.call),
                fields=(),
                library=library,
                call=facts.module.segment(site.call.func),
                function=name,
                in_span=bool(inside) or in_decorated,
                sibling_spans=sibling.get(id(function) if function is not None else 0, 0),
                test_code=em.test_code,
            )
        )
    for block in walk.blocks:
        _emit_block(em, block)
    spanned = {id(block.function) for block in walk.blocks if block.function is not None}
    for function, decorator, framework in walk.tools:
        em.entities.append(
            ToolFunction(
                ref=em.ref("tool_functions", function.name),
                span=facts.span(function),
                fields=(),
                name=function.name,
                framework=framework,
                traced=id(function) in walk.decorated or id(function) in spanned,
                test_code=em.test_code,
            )
        )
    for function_id, (decorator, function) in walk.decorated.items():
        em.entities.append(
            ManualSpan(
                ref=em.ref("spans", function.name, "@"),
                span=facts.span(decorator),
                fields=(),
                name=function.name,
                function=function.name,
                decorator=True,
                llm_calls=decorated_calls.get(function_id, 0),
                test_code=em.test_code,
            )
        )


def _emit_block(em: Emitter, block: _Block) -> None:
    facts = em.facts
    call = block.item.context_expr
    assert isinstance(call, ast.Call)
    name_expr = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "name"), None)
    scope = facts.scope_of(block.function) if block.function is not None else None
    name_value = facts.value(name_expr, scope) if name_expr is not None else None
    name = name_value.value if isinstance(name_value, Static) and isinstance(name_value.value, str) else ""
    attributes: tuple[str, ...] = ()
    known = False
    if isinstance(call.func, ast.Attribute) and call.func.attr in _OTEL_METHODS and isinstance(block.item.optional_vars, ast.Name):
        attributes, known = _attributes(em, block.node, block.item.optional_vars.id)
        initial = next((k.value for k in call.keywords if k.arg in ("attributes", None)), None)
        if initial is not None:  # start_as_current_span("chat", attributes={...})
            literal = isinstance(initial, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in initial.keys)
            known = known and literal
            if literal:
                attributes = tuple(dict.fromkeys([*(k.value for k in initial.keys), *attributes]))  # type: ignore[union-attr]
    function = block.function.name if block.function is not None else "<module>"
    em.entities.append(
        ManualSpan(
            ref=em.ref("spans", function, name or facts.module.segment(call.func)),
            span=facts.span(block.item.context_expr),
            fields=(),
            name=name,
            function=function,
            decorator=False,
            llm_calls=block.calls,
            attributes=attributes,
            attributes_known=known,
            test_code=em.test_code,
        )
    )


def _attributes(em: Emitter, block: ast.With | ast.AsyncWith, var: str) -> tuple[tuple[str, ...], bool]:
    """The static keys written on ``var`` in the block, and whether they are all there is."""
    facts = em.facts
    uses = 0
    receivers = 0
    keys: list[str] = []
    known = True
    for stmt in block.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and node.id == var:
                uses += 1
            elif isinstance(node, ast.Call):
                func = node.func
                own = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == var
                callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if not own and any(word in callee.lower() for word in _RECORDERS):
                    known = False  # record_usage(reply), trace.get_current_span(): may write on the span
                if not own:
                    continue
                if func.attr not in _SPAN_OBJECT_METHODS:
                    continue
                receivers += 1
                if func.attr == "set_attribute":
                    key = facts.value(node.args[0]) if node.args else None
                    if isinstance(key, Static) and isinstance(key.value, str):
                        keys.append(key.value)
                    else:
                        known = False
                elif func.attr == "set_attributes":
                    mapping = node.args[0] if node.args else None
                    if isinstance(mapping, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in mapping.keys):
                        keys.extend(k.value for k in mapping.keys)  # type: ignore[union-attr]
                    else:
                        known = False
    return tuple(dict.fromkeys(keys)), known and uses == receivers
