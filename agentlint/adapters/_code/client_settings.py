"""What an LLM client call states about its settings: timeout, retries, literal key.

Each reader answers with a ``ClientSetting`` (absent / static / unknown) or a ``LiteralKey``,
never with a guess: ``**kwargs`` or ``*args`` that might pass a setting make it unknown, and so
does any value the evaluator cannot state. Keyword names per library: ``clients.py``.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator

from agentlint.adapters._code.clients import ClientSpec
from agentlint.adapters._code.evaluate import Static, Unknown
from agentlint.adapters._code.scope import CallSite, FunctionScope, ModuleFacts
from agentlint.model.clients import ABSENT, UNKNOWN_SETTING, ClientSetting, LiteralKey, SettingState
from agentlint.model.secrets import literal_secret

_GETENV = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})
_MAX_FOLLOW = 4


SpreadCache = dict[tuple[int, str], "tuple[ast.Dict, frozenset[str]] | None"]


def expand_spreads(facts: ModuleFacts, site: CallSite, spec: ClientSpec, cache: SpreadCache | None = None) -> ast.Call:
    """The call with each ``**name`` replaced by the keywords of the dict literal ``name`` is
    bound to, when that is all the dict can hold: bound once in the same scope, used only by
    ``**name`` spreads and by ``name["key"] = …`` stores of keys that are none of the client's
    settings. Otherwise (``**kwargs`` parameters, dicts passed around or updated) the call is
    returned as it is, and its settings stay unknown. ``cache`` keeps each (scope, name)
    analysis for the other calls of the module."""
    call = site.call
    if not any(k.arg is None and isinstance(k.value, ast.Name) for k in call.keywords):
        return call
    settings = {*spec.timeout, *spec.retries, *spec.keys, *spec.opaque}
    keywords: list[ast.keyword] = []
    for keyword in call.keywords:
        found = _spread_dict(facts, site, keyword.value, {} if cache is None else cache) if keyword.arg is None else None
        if found is None or found[1] & settings:
            keywords.append(keyword)
            continue
        bound = found[0]
        keywords.extend(
            ast.keyword(arg=key.value, value=value, lineno=key.lineno, col_offset=key.col_offset,  # type: ignore[union-attr]
                        end_lineno=value.end_lineno, end_col_offset=value.end_col_offset)
            for key, value in zip(bound.keys, bound.values)
        )
    return ast.Call(func=call.func, args=call.args, keywords=keywords, lineno=call.lineno, col_offset=call.col_offset,
                    end_lineno=call.end_lineno, end_col_offset=call.end_col_offset)


def _spread_dict(facts: ModuleFacts, site: CallSite, value: ast.expr, cache: SpreadCache) -> tuple[ast.Dict, frozenset[str]] | None:
    """(the dict literal, the keys stored into it later) for ``**name``, or None."""
    if not isinstance(value, ast.Name):
        return None
    name, scope = value.id, site.scope
    root: ast.AST = scope.node if scope is not None else facts.module.tree
    key = (id(root), name)
    if key not in cache:
        bindings = scope.bindings if scope is not None else facts.bindings
        cache[key] = _dict_uses(root, name, bindings.get(name))
    return cache[key]


def _dict_uses(root: ast.AST, name: str, bound: ast.expr | None) -> tuple[ast.Dict, frozenset[str]] | None:
    if not isinstance(bound, ast.Dict) or any(key is None or not _text(key) for key in bound.keys):
        return None
    stored: set[str] = set()
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(root):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
        if not isinstance(node, ast.Name) or node.id != name or isinstance(node.ctx, ast.Store):
            continue
        parent = parents.get(id(node))
        if isinstance(parent, ast.keyword) and parent.arg is None:
            continue  # another **name spread: reads only
        if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store) and _text(parent.slice):
            stored.add(parent.slice.value)  # type: ignore[attr-defined]
            continue
        return None  # used some other way: what it holds at the call is not known
    return bound, frozenset(stored)


def _text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def keyword_of(call: ast.Call, names: tuple[str, ...]) -> ast.keyword | None:
    for keyword in call.keywords:
        if keyword.arg in names:
            return keyword
    return None


def spreads(call: ast.Call) -> bool:
    return any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args)


def passed(call: ast.Call, names: tuple[str, ...], position: int | None) -> tuple[ast.expr | None, str | None, bool]:
    """(expression, keyword, unknown): what the call passes for a setting."""
    keyword = keyword_of(call, names)
    if keyword is not None:
        return keyword.value, keyword.arg, False
    if position is not None and len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position], names[0], False
    return None, None, spreads(call)


def timeout_of(facts: ModuleFacts, site: CallSite, spec: ClientSpec) -> ClientSetting:
    call = site.call
    if any(keyword_of(call, (name,)) is not None for name in spec.opaque):
        return UNKNOWN_SETTING
    expr, keyword, unknown = passed(call, spec.timeout, spec.timeout_position)
    if unknown:
        return UNKNOWN_SETTING
    if expr is None:
        return ABSENT
    if spec.library == "google-genai":
        return genai_timeout(facts, site.scope, expr)
    return seconds(facts.value(expr, site.scope), keyword)


def seconds(value: object, keyword: str | None, scale: float = 1.0) -> ClientSetting:
    if not isinstance(value, Static):
        symbol = value.symbol if isinstance(value, Unknown) else None
        return ClientSetting(SettingState.UNKNOWN, keyword=keyword, symbol=symbol, symbol_scale=scale)
    if value.value is None:
        # os.getenv("T") with no default: the environment decides, so unknown
        return ClientSetting(SettingState.STATIC if value.env is None else SettingState.UNKNOWN, keyword=keyword, env=value.env)
    number = value.number()
    if number is None and isinstance(value.value, str):
        try:
            number = float(value.value)
        except ValueError:
            number = None
    if number is None or math.isnan(number):
        return ClientSetting(SettingState.UNKNOWN, keyword=keyword, env=value.env)
    return ClientSetting(SettingState.STATIC, number * scale, keyword, value.env)


def genai_timeout(facts: ModuleFacts, scope: FunctionScope | None, expr: ast.expr) -> ClientSetting:
    """``http_options``: a dict or ``HttpOptions(...)``; its ``timeout`` is in milliseconds."""
    found = genai_option(facts, scope, expr, "timeout")
    if found is None or isinstance(found, ClientSetting):
        return ABSENT if found is None else found
    if isinstance(found, ast.expr):  # int(os.getenv("T", "9000"))
        found = facts.value(found, scope)
    return seconds(found, "http_options", 0.001)


def genai_option(facts: ModuleFacts, scope: FunctionScope | None, expr: ast.expr, name: str) -> object:
    """The value of ``name`` in google-genai options (``HttpOptions(...)``/``HttpRetryOptions(...)``
    or a dict): a Static/Unknown value or a nested expression, None when surely absent, or
    UNKNOWN_SETTING when the options are not statically known."""
    if isinstance(expr, ast.Call):
        callee = facts.qualname(expr.func) or ""
        if not callee.endswith(("HttpOptions", "HttpRetryOptions")):
            return UNKNOWN_SETTING
        inner, _, unknown = passed(expr, (name,), None)
        if unknown:
            return UNKNOWN_SETTING
        if inner is None:
            return None
        return inner if isinstance(inner, (ast.Call, ast.Dict)) else facts.value(inner, scope)
    if isinstance(expr, ast.Dict) and not any(key is None for key in expr.keys):
        for key, value in zip(expr.keys, expr.values):
            if isinstance(key, ast.Constant) and key.value == name:
                return value if isinstance(value, (ast.Call, ast.Dict)) else facts.value(value, scope)
        return None
    value = facts.value(expr, scope)
    if not isinstance(value, Static) or not isinstance(value.value, dict):
        return UNKNOWN_SETTING
    if name not in value.value:
        return None
    raw = value.value[name]
    return Static(raw) if isinstance(raw, (int, float, str, type(None))) else raw


def genai_retries(facts: ModuleFacts, scope: FunctionScope | None, call: ast.Call) -> ClientSetting:
    """``http_options=HttpOptions(retry_options=HttpRetryOptions(attempts=N))``: N attempts;
    no ``retry_options`` means no retries, ``attempts`` left out means 5 (google-genai)."""
    expr, _, unknown = passed(call, ("http_options",), None)
    if unknown:
        return UNKNOWN_SETTING
    if expr is None:
        return ABSENT
    options = genai_option(facts, scope, expr, "retry_options")
    if options is None or isinstance(options, ClientSetting):
        return ABSENT if options is None else options
    if not isinstance(options, (ast.Call, ast.Dict)):
        return UNKNOWN_SETTING if not (isinstance(options, Static) and options.value is None) else ABSENT
    attempts = genai_option(facts, scope, options, "attempts")
    if isinstance(attempts, ast.expr):
        attempts = facts.value(attempts, scope)
    if attempts is None:
        return ClientSetting(SettingState.STATIC, 4, "http_options")  # 5 attempts by default
    number = attempts.number() if isinstance(attempts, Static) else None
    if number is None or not math.isfinite(number) or number != int(number):
        return UNKNOWN_SETTING
    return ClientSetting(SettingState.STATIC, max(int(number) - 1, 0), "http_options", attempts.env)  # type: ignore[union-attr]


def retries_of(facts: ModuleFacts, site: CallSite, spec: ClientSpec) -> ClientSetting:
    if spec.library == "google-genai":
        return genai_retries(facts, site.scope, site.call)
    if not spec.retries:
        return UNKNOWN_SETTING
    expr, keyword, unknown = passed(site.call, spec.retries, None)
    if unknown:
        return UNKNOWN_SETTING
    if expr is None:
        return ABSENT
    value = facts.value(expr, site.scope)
    if isinstance(value, Unknown) and value.symbol:  # another module's constant: linked later
        return ClientSetting(SettingState.UNKNOWN, keyword=keyword, symbol=value.symbol, symbol_offset=-1 if spec.attempts else 0)
    number = value.number() if isinstance(value, Static) else None
    if number is None or not math.isfinite(number) or number != int(number) or number < 0:
        return ClientSetting(SettingState.UNKNOWN, keyword=keyword)
    retries = int(number) - 1 if spec.attempts else int(number)
    if retries < 0:  # langchain-google-genai: max_retries=0 means "the Google default"
        return ClientSetting(SettingState.UNKNOWN, keyword=keyword)
    return ClientSetting(SettingState.STATIC, retries, keyword, value.env if isinstance(value, Static) else None)


# -- literal keys ----------------------------------------------------------------------------


def api_key_of(facts: ModuleFacts, site: CallSite, spec: ClientSpec) -> LiteralKey | None:
    keyword = keyword_of(site.call, spec.keys)
    if keyword is None:
        return None
    for literal, env in key_literals(facts, keyword.value, site.scope, None, 0):
        kind = literal_secret(keyword.arg, literal.value)
        if kind is not None:
            return LiteralKey(kind, facts.span(literal), env)
    return None


def key_literals(
    facts: ModuleFacts, expr: ast.AST, scope: FunctionScope | None, env: str | None, depth: int
) -> Iterator[tuple[ast.Constant, str | None]]:
    """String literals that can end up as the key: the value itself, the default of
    ``os.getenv``, either side of ``or``, a constant bound once, ``SecretStr("…")``."""
    if depth > _MAX_FOLLOW:
        return
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        yield expr, env
    elif isinstance(expr, ast.BoolOp):  # os.getenv("K") or "sk-…": the literal is K's default
        variable = next((v for e in expr.values if (v := getenv_variable(facts, e)) is not None), env)
        for value in expr.values:
            yield from key_literals(facts, value, scope, variable, depth + 1)
    elif isinstance(expr, ast.Call) and expr.args and not isinstance(expr.args[0], ast.Starred):
        name = facts.qualname(expr.func) or (expr.func.id if isinstance(expr.func, ast.Name) else "")
        if name in _GETENV and len(expr.args) >= 2:
            yield from key_literals(facts, expr.args[1], scope, getenv_variable(facts, expr) or "?", depth + 1)
        elif name.endswith("SecretStr") or name == "str":
            yield from key_literals(facts, expr.args[0], scope, env, depth + 1)
    elif isinstance(expr, ast.Name):
        bound: ast.expr | None = None
        if scope is not None and expr.id in scope.bindings:
            bound = scope.bindings[expr.id]
        elif expr.id in facts.bindings and (scope is None or expr.id not in parameters(scope)):
            bound = facts.bindings[expr.id]
            scope = None
        if bound is not None:
            yield from key_literals(facts, bound, scope, env, depth + 1)


def getenv_variable(facts: ModuleFacts, expr: ast.AST) -> str | None:
    """``X`` of ``os.getenv("X", …)`` / ``os.environ.get("X")``, else None."""
    if not isinstance(expr, ast.Call) or not expr.args or facts.qualname(expr.func) not in _GETENV:
        return None
    first = expr.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else "?"


def parameters(scope: FunctionScope) -> set[str]:
    args = scope.node.args
    return {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a is not None}
