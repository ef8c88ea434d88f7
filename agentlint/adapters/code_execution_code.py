"""Python that runs the model's output as code on the host -> CodeExecution facts (AL226).

- LangChain's Python REPL tools, ``PythonREPLTool()`` and ``PythonAstREPLTool()``
  (``langchain_experimental.tools``, earlier ``langchain.tools.python.tool``): an agent given
  one runs any Python the model writes, with this process's rights.
- ``exec(x)``/``eval(x)`` (the builtins, not shadowed by the module) where ``x`` is, within the
  same function, the text of an LLM call's answer: a chain of attributes, subscripts and
  string methods (``.strip()``) on the result of ``<client>.chat.completions.create``,
  ``.messages.create``, ``.responses.create``, ``.models.generate_content``, ``.completions.create``
  or ``litellm.completion``, written inline or bound once to a local name. Anything less clear
  (the text passed through a helper, a parameter, a loop variable) is not reported.

smolagents' ``CodeAgent`` is read by ``smolagents_code``.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.scope import FunctionScope, ModuleFacts, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.code_execution import CodeExecution, ExecutionKind
from agentlint.model.source import NodeRef

_REPL_TOOLS = frozenset({"PythonREPLTool", "PythonAstREPLTool"})
_LLM_METHODS = (
    ("chat", "completions", "create"),
    ("messages", "create"),
    ("responses", "create"),
    ("models", "generate_content"),
    ("completions", "create"),
)
_LITELLM = frozenset({"litellm.completion", "litellm.acompletion"})
_STRING_METHODS = frozenset({"strip", "lstrip", "rstrip", "replace", "removeprefix", "removesuffix"})
_HOPS = 8


def claims(path: str, text: str) -> bool:
    return path.endswith(".py") and ("REPLTool" in text or "exec(" in text or "eval(" in text)


def _chain(expr: ast.AST) -> tuple[str, ...]:
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    return tuple(reversed(parts))


def _is_llm_call(facts: ModuleFacts, call: ast.Call) -> bool:
    if facts.qualname(call.func) in _LITELLM:
        return True
    chain = _chain(call.func)
    return any(chain[-len(method):] == method for method in _LLM_METHODS) and len(chain) > 0


def _from_llm(facts: ModuleFacts, expr: ast.AST, scope: FunctionScope | None) -> bool:
    """Whether ``expr`` is, statically, a piece of an LLM call's answer (see the module doc)."""
    seen_answer_part = False
    for _ in range(_HOPS):
        if isinstance(expr, ast.Await):
            expr = expr.value
        elif isinstance(expr, ast.Call):
            if _is_llm_call(facts, expr):
                return seen_answer_part
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr in _STRING_METHODS:
                expr = func.value
            else:
                return False
        elif isinstance(expr, (ast.Attribute, ast.Subscript)):
            seen_answer_part = True
            expr = expr.value
        elif isinstance(expr, ast.Name) and scope is not None and expr.id in scope.bindings:
            bound = scope.bindings[expr.id]
            if bound is None:
                return False
            expr = bound
        else:
            return False
    return False


def _local(scope: FunctionScope | None, name: str) -> bool:
    """Whether the function binds ``name`` itself (a parameter or a local), shadowing the builtin."""
    if scope is None:
        return False
    args = scope.node.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return name in scope.bindings or any(a is not None and a.arg == name for a in every)


def adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    if facts is None:
        return Adapted()
    out = Adapted()
    path = facts.module.path
    for site in facts.calls:
        call = site.call
        callee = site.callee or facts.qualname(call.func)
        if callee is not None and callee.startswith("langchain") and callee.rsplit(".", 1)[-1] in _REPL_TOOLS:
            name = callee.rsplit(".", 1)[-1]
            ref = NodeRef(path, ("code-execution", name, facts.span(call).start.line))
            out.entities.append(CodeExecution(ref, facts.span(call), (), ExecutionKind.PYTHON_REPL_TOOL, f"{name}()",
                                              "it runs any Python the model writes"))
            continue
        func = call.func
        if (isinstance(func, ast.Name) and func.id in ("exec", "eval") and func.id not in facts.names
                and func.id not in facts.imports and not _local(site.scope, func.id) and call.args and _from_llm(facts, call.args[0], site.scope)):
            ref = NodeRef(path, ("code-execution", func.id, facts.span(call).start.line))
            out.entities.append(CodeExecution(ref, facts.span(call), (), ExecutionKind.EXEC_OF_MODEL_OUTPUT, f"{func.id}()",
                                              "its argument is the text of an LLM answer"))
    return out


ADAPTER = Adapter("code-execution-code", frozenset({Syntax.PYTHON}), claims, adapt)
