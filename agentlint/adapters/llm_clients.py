"""LLM clients in any Python file -> ``LLMClient`` entities (issue 9, item 5).

Recognised through imports (``ModuleFacts`` qualified names, so aliases count): the openai and
anthropic SDK clients, LangChain's ``ChatOpenAI``/``AzureChatOpenAI``/``ChatAnthropic``/
``ChatGoogleGenerativeAI``/``init_chat_model``, ``litellm.completion``/``acompletion`` and
``google.genai.Client`` (keywords and defaults: ``_code/clients.py``, ``model/clients.py``).

Each setting is what the code states, or unknown. A client's timeout is unknown (so never
missing) when ``**kwargs`` might pass it, when a custom ``http_client`` might carry one, or when
any call made through the client's name passes a per-request ``timeout=`` (also
``with_options(timeout=…)``, ``bind(timeout=…)``) or ``**kwargs``: the client may be used only
that way, and a guess is not a finding. ``litellm.request_timeout = …`` assigned anywhere is
recorded as a ``ClientDefault`` that covers every litellm call of the project.

Refs are ``("llm_clients", <function or "<module>">, <variable or constructor>, <ordinal>)``:
stable when lines move.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator

from agentlint.adapters._code.clients import (
    GENAI_REQUEST_KEYWORDS,
    GLOBAL_SETTINGS,
    REQUEST_TIMEOUT_KEYWORDS,
    ClientSpec,
    spec_for,
)
from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import CallSite, FunctionScope, ModuleFacts, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.clients import ABSENT, UNKNOWN_SETTING, ClientDefault, ClientSetting, LiteralKey, LLMClient, SettingState
from agentlint.model.secrets import literal_secret
from agentlint.model.source import NodeRef, Span

_MARKERS = ("openai", "anthropic", "litellm", "genai", "langchain")
_GETENV = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})
_MAX_FOLLOW = 4
_GLOBAL_MARKERS = ("request_timeout", "api_key", "environ[", "_key")
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _claims(path: str, text: str) -> bool:
    return path.endswith(".py") and any(marker in text for marker in _MARKERS)


def _adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    out = Adapted()
    if facts is None:
        return out
    sites = [(site, spec) for site in facts.calls if (spec := spec_for(site.callee)) is not None]
    wants_globals = any(marker in loaded.text for marker in _GLOBAL_MARKERS)
    if not sites and not wants_globals:
        return out
    statements = list(_statements(facts.module.tree))
    if wants_globals:
        out.entities.extend(_globals(facts, statements))
    if not sites:
        return out
    holders, returned, assigned_from = _holders(statements)
    outer = _chain_parents(facts.calls)
    timed = _timed_receivers(facts.calls, REQUEST_TIMEOUT_KEYWORDS)
    configured = _timed_receivers(facts.calls, REQUEST_TIMEOUT_KEYWORDS | GENAI_REQUEST_KEYWORDS)
    ordinals: dict[tuple[str, str], int] = {}
    for site, spec in sites:
        call = site.call
        top = call
        while id(top) in outer:  # OpenAI().with_options(timeout=5).chat …: the chain's outermost call
            top = outer[id(top)]
        holder = holders.get(id(top))
        scope_name = site.scope.node.name if site.scope is not None else "<module>"
        label = facts.module.segment(call.func)
        key = (scope_name, holder or label)
        index = ordinals.get(key, 0)
        ordinals[key] = index + 1
        ref = NodeRef(loaded.path, ("llm_clients", scope_name, holder or label, index))
        timeout = _timeout(facts, site, spec)
        per_request = configured if spec.library == "google-genai" else timed
        names = {holder} if holder else set()
        if id(top) in returned and site.scope is not None:  # a factory: where its result goes
            names |= assigned_from.get(site.scope.node.name, set())
        if (timeout.state is SettingState.ABSENT or timeout.disabled) and (
            _chain_sets_timeout(call, outer) or names & per_request
        ):
            timeout = UNKNOWN_SETTING  # a per-request timeout on calls made through it
        retries = _retries(facts, site, spec)
        written = (("timeout", timeout.keyword), ("retries", retries.keyword))
        fields = [(name, facts.span(kw)) for name, word in written if word and (kw := _keyword(call, (word,)))]
        key_found = _api_key(facts, site, spec)
        if key_found is not None:
            fields.append(("api_key", key_found.span))
        out.entities.append(
            LLMClient(
                ref=ref,
                span=facts.span(call),
                fields=tuple(fields),
                library=spec.library,
                constructor=label,
                timeout=timeout,
                retries=retries,
                api_key=key_found,
            )
        )
    return out


ADAPTER = Adapter("llm-clients", frozenset({Syntax.PYTHON}), _claims, _adapt)


# -- settings --------------------------------------------------------------------------------


def _keyword(call: ast.Call, names: tuple[str, ...]) -> ast.keyword | None:
    for keyword in call.keywords:
        if keyword.arg in names:
            return keyword
    return None


def _spread(call: ast.Call) -> bool:
    return any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args)


def _expression(call: ast.Call, names: tuple[str, ...], position: int | None) -> tuple[ast.expr | None, str | None, bool]:
    """(expression, keyword, unknown): what the call passes for a setting."""
    keyword = _keyword(call, names)
    if keyword is not None:
        return keyword.value, keyword.arg, False
    if position is not None and len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position], names[0], False
    return None, None, _spread(call)


def _timeout(facts: ModuleFacts, site: CallSite, spec: ClientSpec) -> ClientSetting:
    call = site.call
    if any(_keyword(call, (name,)) is not None for name in spec.opaque):
        return UNKNOWN_SETTING
    expr, keyword, unknown = _expression(call, spec.timeout, spec.timeout_position)
    if unknown:
        return UNKNOWN_SETTING
    if expr is None:
        return ABSENT
    if spec.library == "google-genai":
        return _genai_timeout(facts, site.scope, expr)
    return _seconds(facts.value(expr, site.scope), keyword)


def _seconds(value: object, keyword: str | None, scale: float = 1.0) -> ClientSetting:
    if not isinstance(value, Static):
        return ClientSetting(SettingState.UNKNOWN, keyword=keyword)
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


def _genai_timeout(facts: ModuleFacts, scope: FunctionScope | None, expr: ast.expr) -> ClientSetting:
    """``http_options``: a dict or ``HttpOptions(...)``; its ``timeout`` is in milliseconds."""
    found = _genai_option(facts, scope, expr, "timeout")
    if found is None or isinstance(found, ClientSetting):
        return ABSENT if found is None else found
    if isinstance(found, ast.expr):  # int(os.getenv("T", "9000"))
        found = facts.value(found, scope)
    return _seconds(found, "http_options", 0.001)


def _genai_option(facts: ModuleFacts, scope: FunctionScope | None, expr: ast.expr, name: str) -> object:
    """The value of ``name`` in google-genai options (``HttpOptions(...)``/``HttpRetryOptions(...)``
    or a dict): a Static/Unknown value or a nested expression, None when surely absent, or
    UNKNOWN_SETTING when the options are not statically known."""
    if isinstance(expr, ast.Call):
        callee = facts.qualname(expr.func) or ""
        if not callee.endswith(("HttpOptions", "HttpRetryOptions")):
            return UNKNOWN_SETTING
        inner, _, unknown = _expression(expr, (name,), None)
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


def _genai_retries(facts: ModuleFacts, scope: FunctionScope | None, call: ast.Call) -> ClientSetting:
    """``http_options=HttpOptions(retry_options=HttpRetryOptions(attempts=N))``: N attempts;
    no ``retry_options`` means no retries, ``attempts`` left out means 5 (google-genai)."""
    expr, _, unknown = _expression(call, ("http_options",), None)
    if unknown:
        return UNKNOWN_SETTING
    if expr is None:
        return ABSENT
    options = _genai_option(facts, scope, expr, "retry_options")
    if options is None or isinstance(options, ClientSetting):
        return ABSENT if options is None else options
    if not isinstance(options, (ast.Call, ast.Dict)):
        return UNKNOWN_SETTING if not (isinstance(options, Static) and options.value is None) else ABSENT
    attempts = _genai_option(facts, scope, options, "attempts")
    if isinstance(attempts, ast.expr):
        attempts = facts.value(attempts, scope)
    if attempts is None:
        return ClientSetting(SettingState.STATIC, 4, "http_options")  # 5 attempts by default
    number = attempts.number() if isinstance(attempts, Static) else None
    if number is None or not math.isfinite(number) or number != int(number):
        return UNKNOWN_SETTING
    return ClientSetting(SettingState.STATIC, max(int(number) - 1, 0), "http_options", attempts.env)  # type: ignore[union-attr]


def _retries(facts: ModuleFacts, site: CallSite, spec: ClientSpec) -> ClientSetting:
    if spec.library == "google-genai":
        return _genai_retries(facts, site.scope, site.call)
    if not spec.retries:
        return UNKNOWN_SETTING
    expr, keyword, unknown = _expression(site.call, spec.retries, None)
    if unknown:
        return UNKNOWN_SETTING
    if expr is None:
        return ABSENT
    value = facts.value(expr, site.scope)
    number = value.number() if isinstance(value, Static) else None
    if number is None or not math.isfinite(number) or number != int(number) or number < 0:
        return ClientSetting(SettingState.UNKNOWN, keyword=keyword)
    retries = int(number) - 1 if spec.attempts else int(number)
    if retries < 0:  # langchain-google-genai: max_retries=0 means "the Google default"
        return ClientSetting(SettingState.UNKNOWN, keyword=keyword)
    return ClientSetting(SettingState.STATIC, retries, keyword, value.env if isinstance(value, Static) else None)


# -- literal keys ----------------------------------------------------------------------------


def _api_key(facts: ModuleFacts, site: CallSite, spec: ClientSpec) -> LiteralKey | None:
    keyword = _keyword(site.call, spec.keys)
    if keyword is None:
        return None
    for literal, env in _literals(facts, keyword.value, site.scope, None, 0):
        kind = literal_secret(keyword.arg, literal.value)
        if kind is not None:
            return LiteralKey(kind, facts.span(literal), env)
    return None


def _literals(
    facts: ModuleFacts, expr: ast.AST, scope: FunctionScope | None, env: str | None, depth: int
) -> Iterator[tuple[ast.Constant, str | None]]:
    """String literals that can end up as the key: the value itself, the default of
    ``os.getenv``, either side of ``or``, a constant bound once, ``SecretStr("…")``."""
    if depth > _MAX_FOLLOW:
        return
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        yield expr, env
    elif isinstance(expr, ast.BoolOp):  # os.getenv("K") or "sk-…": the literal is K's default
        variable = next((v for e in expr.values if (v := _getenv_variable(facts, e)) is not None), env)
        for value in expr.values:
            yield from _literals(facts, value, scope, variable, depth + 1)
    elif isinstance(expr, ast.Call) and expr.args and not isinstance(expr.args[0], ast.Starred):
        name = facts.qualname(expr.func) or (expr.func.id if isinstance(expr.func, ast.Name) else "")
        if name in _GETENV and len(expr.args) >= 2:
            yield from _literals(facts, expr.args[1], scope, _getenv_variable(facts, expr) or "?", depth + 1)
        elif name.endswith("SecretStr") or name == "str":
            yield from _literals(facts, expr.args[0], scope, env, depth + 1)
    elif isinstance(expr, ast.Name):
        bound: ast.expr | None = None
        if scope is not None and expr.id in scope.bindings:
            bound = scope.bindings[expr.id]
        elif expr.id in facts.bindings and (scope is None or expr.id not in _parameters(scope)):
            bound = facts.bindings[expr.id]
            scope = None
        if bound is not None:
            yield from _literals(facts, bound, scope, env, depth + 1)


def _getenv_variable(facts: ModuleFacts, expr: ast.AST) -> str | None:
    """``X`` of ``os.getenv("X", …)`` / ``os.environ.get("X")``, else None."""
    if not isinstance(expr, ast.Call) or not expr.args or facts.qualname(expr.func) not in _GETENV:
        return None
    first = expr.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else "?"


def _parameters(scope: FunctionScope) -> set[str]:
    args = scope.node.args
    return {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a is not None}


# -- where a client goes ---------------------------------------------------------------------


def _dotted(expr: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    return ".".join([expr.id, *reversed(parts)])


def _statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement, nested ones too, without visiting expressions: a tenth of the nodes."""
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            yield node
        for name in _BODIES:
            children = getattr(node, name, None)
            if children:
                stack.extend(reversed(children))


def _holders(statements: list[ast.stmt]) -> tuple[dict[int, str], set[int], dict[str, set[str]]]:
    """id(call) -> the name or attribute it is stored in (``client``, ``self.llm``); the ids
    of calls a function returns; function name -> the names its results are stored in."""
    out: dict[int, str] = {}
    returned: set[int] = set()
    assigned_from: dict[str, set[str]] = {}
    for node in statements:
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            returned.add(id(node.value))
            continue
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                target = _dotted(item.optional_vars) if item.optional_vars is not None else None
                if target and isinstance(item.context_expr, ast.Call):
                    out[id(item.context_expr)] = target
            continue
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call):
            target = _dotted(node.targets[0])
        elif isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Call):
            target = _dotted(node.target)
        else:
            continue
        if target:
            call = node.value
            out[id(call)] = target
            func = call.func
            callee = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if callee:
                assigned_from.setdefault(callee, set()).add(target)
    return out, returned, assigned_from


def _chain_parents(calls: list[CallSite]) -> dict[int, ast.Call]:
    """id(inner call) -> the call made on its result (``X().with_options(...)``)."""
    out: dict[int, ast.Call] = {}
    for site in calls:
        func = site.call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
            out[id(func.value)] = site.call
    return out


def _passes_timeout(call: ast.Call, keywords: frozenset[str] = REQUEST_TIMEOUT_KEYWORDS) -> bool:
    return any(k.arg is None or k.arg in keywords for k in call.keywords)


def _chain_sets_timeout(call: ast.Call, outer: dict[int, ast.Call]) -> bool:
    while id(call) in outer:
        call = outer[id(call)]
        if _passes_timeout(call):
            return True
    return False


def _timed_receivers(calls: list[CallSite], keywords: frozenset[str]) -> set[str]:
    """Every name (and attribute path) through which some call passes a per-request timeout:
    ``client.chat.completions.create(timeout=5)`` adds ``client``, ``client.chat`` …"""
    out: set[str] = set()
    for site in calls:
        func = site.call.func
        if not isinstance(func, ast.Attribute) or not _passes_timeout(site.call, keywords):
            continue
        dotted = _dotted(func.value)
        if dotted is None:
            continue
        parts = dotted.split(".")
        out.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return out


def _globals(facts: ModuleFacts, statements: list[ast.stmt]) -> Iterator[ClientDefault]:
    """``litellm.request_timeout = 30``, ``openai.api_key = "sk-…"`` and
    ``os.environ["OPENAI_API_KEY"] = "sk-…"``: settings for every client of the process."""
    for node in statements:
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            found: tuple[str, str] | None = None
            name = ""
            if isinstance(target, ast.Attribute):
                found = GLOBAL_SETTINGS.get(facts.qualname(target) or "")
                name = facts.module.segment(target)
            elif isinstance(target, ast.Subscript) and facts.qualname(target.value) == "os.environ":
                key = target.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found, name = ("environment", "api_key"), key.value
            if found is None:
                continue
            ref = NodeRef(facts.module.path, ("client_defaults", found[0], found[1], name))
            if found[1] == "timeout":
                yield ClientDefault(ref=ref, span=facts.span(target), fields=(), library=found[0], setting="timeout", target=name)
                continue
            for literal, env in _literals(facts, node.value, None, None, 0):
                kind = literal_secret(name.rpartition(".")[2] or name, literal.value)
                if kind is not None:
                    label = facts.module.segment(target)
                    found_key = LiteralKey(kind, facts.span(literal), env)
                    yield ClientDefault(
                        ref=ref, span=facts.span(target), fields=(), library=found[0], setting="api_key", target=label, api_key=found_key
                    )
                    break
