"""LLM clients in any Python file -> ``LLMClient`` entities (issue 9, item 5).

Recognised through imports (``ModuleFacts`` qualified names, so aliases count): the openai and
anthropic SDK clients, LangChain's ``ChatOpenAI``/``AzureChatOpenAI``/``ChatAnthropic``/
``ChatGoogleGenerativeAI``/``init_chat_model``, ``litellm.completion``/``acompletion`` and
``google.genai.Client`` (keywords and defaults: ``_code/clients.py``, ``model/clients.py``).

Each setting is what the code states, or unknown. A client's timeout is unknown (so never
missing) when ``**kwargs`` might pass it, when a custom ``http_client`` might carry one, or when
any call made through the client's name passes a per-request ``timeout=`` (also
``with_options(timeout=…)``, ``bind(timeout=…)``) or ``**kwargs``: the client may be used only
that way, and a guess is not a finding (a factory's result counts: ``c = make(); c.x(timeout=5)``).
A ``**spread`` of a local dict literal that nothing else touches is read like keywords.
``litellm.request_timeout = …`` assigned anywhere is recorded as a ``ClientDefault`` that covers
every litellm call of the project; ``openai.api_key = "…"`` and ``os.environ["X_API_KEY"] = "…"``
as ones that carry a literal key. Clients in test modules are marked ``test_code``.

Refs are ``("llm_clients", <function or "<module>">, <variable or constructor>, <ordinal>)``:
stable when lines move.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from agentlint.adapters._code.syntax import dotted
from agentlint.adapters._code.syntax import statements as all_statements
from agentlint.adapters._code.clients import (
    GENAI_REQUEST_KEYWORDS,
    GLOBAL_SETTINGS,
    REQUEST_TIMEOUT_KEYWORDS,
    spec_for,
)
from agentlint.adapters._code.client_settings import (
    SpreadCache,
    api_key_of,
    expand_spreads,
    key_literals,
    keyword_of,
    retries_of,
    timeout_of,
)
from agentlint.adapters._code.scope import CallSite, ModuleFacts, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.clients import UNKNOWN_SETTING, ClientDefault, LiteralKey, LLMClient, SettingState
from agentlint.model.secrets import literal_secret
from agentlint.model.source import NodeRef, is_test_path

_MARKERS = ("openai", "anthropic", "litellm", "genai", "langchain")
_GLOBAL_MARKERS = ("request_timeout", "api_key", "environ", "_key", "getenv")


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
    statements = list(all_statements(facts.module.tree))
    if wants_globals:
        out.entities.extend(_globals(facts, statements))
    if not sites:
        return out
    holders, returned, assigned_from = _holders(statements)
    outer = _chain_parents(facts.calls)
    timed = _timed_receivers(facts.calls, REQUEST_TIMEOUT_KEYWORDS)
    configured = _timed_receivers(facts.calls, REQUEST_TIMEOUT_KEYWORDS | GENAI_REQUEST_KEYWORDS)
    ordinals: dict[tuple[str, str], int] = {}
    spreads: SpreadCache = {}
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
        stated = CallSite(expand_spreads(facts, site, spec, spreads), site.callee, site.scope)  # **local_dict read
        timeout = timeout_of(facts, stated, spec)
        per_request = configured if spec.library == "google-genai" else timed
        names = {holder} if holder else set()
        if id(top) in returned and site.scope is not None:  # a factory: where its result goes
            names |= assigned_from.get(site.scope.node.name, set())
        if (timeout.state is SettingState.ABSENT or timeout.disabled) and (
            _chain_sets_timeout(call, outer) or names & per_request
        ):
            timeout = UNKNOWN_SETTING  # a per-request timeout on calls made through it
        retries = retries_of(facts, stated, spec)
        written = (("timeout", timeout.keyword), ("retries", retries.keyword))
        fields = [(name, facts.span(kw)) for name, word in written if word and (kw := keyword_of(stated.call, (word,)))]
        key_found = api_key_of(facts, stated, spec)
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
                test_code=is_test_path(loaded.path),
            )
        )
    return out


ADAPTER = Adapter("llm-clients", frozenset({Syntax.PYTHON}), _claims, _adapt)


# -- where a client goes ---------------------------------------------------------------------


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
                target = dotted(item.optional_vars) if item.optional_vars is not None else None
                if target and isinstance(item.context_expr, ast.Call):
                    out[id(item.context_expr)] = target
            continue
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call):
            target = dotted(node.targets[0])
        elif isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Call):
            target = dotted(node.target)
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
        name = dotted(func.value)
        if name is None:
            continue
        parts = name.split(".")
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
                yield from _getenv_default_keys(facts, node, target)
                continue
            ref = NodeRef(facts.module.path, ("client_defaults", found[0], found[1], name))
            if found[1] == "timeout":
                yield ClientDefault(ref=ref, span=facts.span(target), fields=(), library=found[0], setting="timeout", target=name)
                continue
            for literal, env in key_literals(facts, node.value, None, None, 0):
                kind = literal_secret(name.rpartition(".")[2] or name, literal.value)
                if kind is not None:
                    label = facts.module.segment(target)
                    found_key = LiteralKey(kind, facts.span(literal), env)
                    yield ClientDefault(
                        ref=ref, span=facts.span(target), fields=(), library=found[0], setting="api_key", target=label, api_key=found_key
                    )
                    break


def _getenv_default_keys(facts: ModuleFacts, node: ast.Assign | ast.AnnAssign, target: ast.expr) -> Iterator[ClientDefault]:
    """``KEY = os.getenv("OPENAI_API_KEY", "sk-…")``: the literal is the key whenever the
    variable is unset, wherever ``KEY`` is used."""
    for literal, env in key_literals(facts, node.value, None, None, 0):
        if env is None or env == "?":
            continue
        kind = literal_secret(env, literal.value)
        if kind is not None:
            label = facts.module.segment(target)
            ref = NodeRef(facts.module.path, ("client_defaults", "environment", "api_key", env, label))
            key = LiteralKey(kind, facts.span(literal), env)
            yield ClientDefault(ref=ref, span=facts.span(target), fields=(), library="environment", setting="api_key", target=label, api_key=key)
            return
