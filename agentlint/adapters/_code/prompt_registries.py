"""Prompt registries fetched in code beyond Langfuse, the LangChain hub and MLflow (those are
in ``adapters/prompt_refs_code.py``): Opik, PromptLayer, Humanloop and Braintrust, each with
the pinning semantics its SDK documents (quoted at each reader)."""

from __future__ import annotations

import ast

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.prompt_fetch import Fetch, Unnamed, bound, selector, text
from agentlint.adapters._code.scope import MISSING, CallSite, ModuleFacts, argument

_OPIK_CLIENTS = frozenset({"opik.Opik", "opik.api_objects.opik_client.Opik"})
_OPIK_GETS = frozenset({"get_prompt", "get_chat_prompt"})
_PROMPTLAYER_CLIENTS = frozenset({"promptlayer.PromptLayer", "promptlayer.AsyncPromptLayer"})
_BRAINTRUST_LOAD = frozenset({"braintrust.load_prompt", "braintrust.logger.load_prompt"})
_HUMANLOOP_CLIENTS = frozenset({"humanloop.Humanloop", "humanloop.AsyncHumanloop", "humanloop.client.Humanloop"})


def registry_fetch(facts: ModuleFacts, site: CallSite, roots: set[str]) -> Fetch | Unnamed | None:
    """The fetch ``site`` makes from one of these registries, if it is one."""
    if site.callee in _BRAINTRUST_LOAD:
        return _braintrust(facts, site)
    func = site.call.func
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in _OPIK_GETS and "opik" in roots and _is_opik(facts, site, func.value):
        return _opik(facts, site)
    if func.attr == "get" and "promptlayer" in roots and _is_client_attribute(facts, site, func.value, "templates", _PROMPTLAYER_CLIENTS, "promptlayer"):
        return _promptlayer(facts, site)
    if func.attr == "get" and "humanloop" in roots and _is_client_attribute(facts, site, func.value, "prompts", _HUMANLOOP_CLIENTS, "humanloop"):
        return _humanloop(facts, site)
    return None


# -- Opik ------------------------------------------------------------------------------------


def _is_opik(facts: ModuleFacts, site: CallSite, receiver: ast.expr) -> bool:
    """An ``opik.Opik()`` client: called on directly, bound to the receiver's name in the
    scope or module, or a receiver whose name says it (``opik_client``, ``self.opik``)."""
    if isinstance(receiver, ast.Call):
        return facts.qualname(receiver.func) in _OPIK_CLIENTS
    if isinstance(receiver, ast.Attribute):
        return "opik" in receiver.attr.lower()
    if not isinstance(receiver, ast.Name):
        return False
    made = bound(facts, site, receiver.id)
    if isinstance(made, ast.Call):
        return facts.qualname(made.func) in _OPIK_CLIENTS
    return "opik" in receiver.id.lower()


def _opik(facts: ModuleFacts, site: CallSite) -> Fetch | Unnamed | None:
    """``Opik.get_prompt(name, commit=None, project_name=None)`` and ``get_chat_prompt`` (same
    parameters): "commit: An optional commit version of the prompt. If not provided, the latest
    version is retrieved" (opik/api_objects/opik_client.py). A commit pins; none is ``latest``."""
    call = site.call
    name_node = argument(call, "name", 0)
    name = text(facts, site, name_node)
    if name is None or not isinstance(name_node, ast.expr):
        return Unnamed(())
    commit_node = argument(call, "commit", 1)
    commit, unknown = selector(facts, site, commit_node)
    node = commit_node if isinstance(commit_node, ast.expr) else None
    default = None if commit is not None or unknown else "latest"
    return Fetch(name, name_node, commit, node if commit is not None else None, unknown=unknown, default_label=default, sources=())


# -- PromptLayer ------------------------------------------------------------------------------


def _is_client_attribute(
    facts: ModuleFacts, site: CallSite, receiver: ast.expr, attribute: str, clients: frozenset[str], word: str
) -> bool:
    """``<client>.<attribute>`` of a client made by one of ``clients``: called on directly,
    bound to the name in the scope or module, or a name that says it (``promptlayer_client``,
    ``self.humanloop``: the name holds ``word``)."""
    if not (isinstance(receiver, ast.Attribute) and receiver.attr == attribute):
        return False
    client = receiver.value
    if isinstance(client, ast.Call):
        return facts.qualname(client.func) in clients
    if isinstance(client, ast.Attribute):
        return word in client.attr.lower()
    if not isinstance(client, ast.Name):
        return False
    made = bound(facts, site, client.id)
    if isinstance(made, ast.Call):
        return facts.qualname(made.func) in clients
    return word in client.id.lower()


def _humanloop(facts: ModuleFacts, site: CallSite) -> Fetch | Unnamed | None:
    """Humanloop ``client.prompts.get(id, version_id=None, environment=None)``: "By default, the
    deployed version of the Prompt is returned. Use the query parameters `version_id` or
    `environment` to target a specific version" (humanloop reference.md). A version ID pins, an
    environment is a label (its deployment moves); neither follows the default deployment."""
    call = site.call
    name_node = argument(call, "id", 0)
    name = text(facts, site, name_node)
    if name is None or not isinstance(name_node, ast.expr):
        return Unnamed(())
    version_node = argument(call, "version_id")
    label_node = argument(call, "environment")
    version, version_unknown = selector(facts, site, version_node)
    label, label_unknown = selector(facts, site, label_node)
    return Fetch(
        name, name_node, version, version_node if version is not None and isinstance(version_node, ast.expr) else None,
        label, label_node if label is not None and isinstance(label_node, ast.expr) else None,
        version_unknown or label_unknown, sources=(),
    )


def _promptlayer(facts: ModuleFacts, site: CallSite) -> Fetch | Unnamed | None:
    """``templates.get(prompt_name, params=None)`` with ``params`` a ``GetPromptTemplate``
    (``version: int``, ``label: str``, promptlayer/types/prompt_template.py). A version pins, a
    release label is a label; neither floats (no default is named: the registry's choice)."""
    call = site.call
    name_node = argument(call, "prompt_name", 0)
    name = text(facts, site, name_node)
    if name is None or not isinstance(name_node, ast.expr):
        return Unnamed(())
    params = argument(call, "params", 1)
    if params is MISSING:
        return Fetch(name, name_node, sources=())
    if isinstance(params, ast.Dict):
        found: dict[str, tuple[str | None, bool, ast.expr]] = {}
        for key, value in zip(params.keys, params.values):
            if key is None:
                return Fetch(name, name_node, unknown=True, sources=())  # {**other}: unknown
            if isinstance(key, ast.Constant) and key.value in ("version", "label"):
                stated_text, unknown = selector(facts, site, value)
                found[key.value] = (stated_text, unknown, value)
        version, version_unknown, version_node = found.get("version", (None, False, None))
        label, label_unknown, label_node = found.get("label", (None, False, None))
        return Fetch(
            name, name_node, version, version_node if version else None, label, label_node if label else None,
            version_unknown or label_unknown, sources=(),
        )
    value = facts.value(params, site.scope) if isinstance(params, ast.expr) else None
    if isinstance(value, Static) and value.env is None and (value.value is None or isinstance(value.value, dict)):
        stated = value.value or {}
        version, label = stated.get("version"), stated.get("label")
        if (version is None or isinstance(version, int)) and (label is None or isinstance(label, str)):
            return Fetch(
                name, name_node, None if version is None else str(version), params if version is not None else None,
                label, params if label is not None else None, sources=(),
            )
    return Fetch(name, name_node, unknown=True, sources=())


def _braintrust(facts: ModuleFacts, site: CallSite) -> Fetch | Unnamed | None:
    """``braintrust.load_prompt(project, slug, version=None, …, id=None, environment=None)``:
    "version: An optional version of the prompt (to read). If not specified, the latest version
    will be used" (braintrust/logger.py); ``environment`` names a deployment (a label); ``id``
    "takes precedence over all other parameters": the prompt is then not named here."""
    call = site.call
    if argument(call, "id") is not MISSING:
        return Unnamed(())
    name_node = argument(call, "slug", 1)
    name = text(facts, site, name_node)
    if name is None or not isinstance(name_node, ast.expr):
        return Unnamed(())
    version_node = argument(call, "version", 2)
    label_node = argument(call, "environment")
    version, version_unknown = selector(facts, site, version_node)
    label, label_unknown = selector(facts, site, label_node)
    unknown = version_unknown or label_unknown
    return Fetch(
        name, name_node, version, version_node if version is not None and isinstance(version_node, ast.expr) else None,
        label, label_node if label is not None and isinstance(label_node, ast.expr) else None,
        unknown, None if version is not None or label is not None or unknown else "latest", sources=(),
    )


