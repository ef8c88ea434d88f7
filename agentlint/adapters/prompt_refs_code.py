"""Prompts fetched in code -> ``PromptReference`` entities (issue 13, item 7).

Recognised (``ModuleFacts`` qualified names, so aliases count; code is never run):

- Langfuse ``get_prompt(name, version=None, *, label=None, …)`` on a client the module makes
  visible: ``Langfuse(…)`` / ``get_client()`` (v3) bound to the receiver in the same scope or
  module, to ``self.<attr>`` by every assignment of it in the module, called on directly, or a receiver whose name says it (``langfuse``, ``self.langfuse``,
  ``langfuse_client``) in a module that imports langfuse. Neither version nor label: Langfuse
  serves the ``production`` label (FORMATS.md §3.1), recorded as the reference's default label.
  Only Langfuse prompt exports of the project can define such a name.
- LangChain ``hub.pull("owner/name:commit")`` (``langchain.hub``, ``langchain_classic.hub``) and
  LangSmith ``Client().pull_prompt(identifier)`` in a module that imports langsmith: the
  identifier grammar of ``langsmith.utils.parse_prompt_identifier`` (§3.6). A hexadecimal part
  after ``:`` is a commit (a version), any other a commit tag (a label, ``latest`` moving);
  none resolves to ``latest``. The hub lives in LangSmith, so no file of a project defines it.
- MLflow ``load_prompt("prompts:/name/3" | "prompts:/name@alias" | "prompts:/name/alias" |
  name, version=…)`` (``mlflow``, ``mlflow.genai``); a bare name without ``version=`` is read
  as unknown. The MLflow registry is a server, so no file of a project defines its prompts.

Other registries (``_code/prompt_registries.py``, each with the semantics its SDK documents):

- Opik ``client.get_prompt(name, commit=None)`` / ``get_chat_prompt`` on an ``opik.Opik()``
  client (bound, called on, or a receiver named ``*opik*``): a ``commit`` is a version; none
  serves the latest version (``latest``, moving). Opik's registry is a server, like the hub.
- PromptLayer ``client.templates.get(prompt_name, {"version": 3} | {"label": "prod"})`` on a
  ``PromptLayer()`` client (bound, called on, or named ``*promptlayer*``): a version pins, a
  release label is a label; neither: not pinned, no default named.
- Humanloop ``client.prompts.get(id, version_id=, environment=)`` on a ``Humanloop()`` client:
  a version ID pins, an environment is a label; neither serves the default deployment.
- Braintrust ``load_prompt(project, slug, version=, environment=)``: a version pins, an
  environment is a label; neither serves the latest version (``latest``, moving).

A name the code does not state statically (a parameter, ``os.getenv``, a constant of another
module) is an ``UnnamedPromptFetch``: any prompt of the sources that could hold it may be the
one used (AL410 then reports no prompt as unused), and no reference is undefined. A version or
label passed but
not stated (a parameter, ``**kwargs``, ``os.getenv("LABEL", "latest")`` whose default the
deployment may override) is unknown, so neither pinned nor floating. The
"agent" of a reference is the function that fetches it (the file, at module level): which
agent runs the prompt is not visible in the call. Refs are ``("prompt_refs", <function or
"<module>">, <name>, <ordinal>)``: stable when lines move.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.prompt_fetch import Fetch, Unnamed, bound, selector, text
from agentlint.adapters._code.prompt_registries import registry_fetch
from agentlint.adapters._code.scope import CallSite, ModuleFacts, argument, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.prompts import PromptReference, UnnamedPromptFetch
from agentlint.model.source import NodeRef, Span

_MARKERS = ("get_prompt", "get_chat_prompt", "pull", "load_prompt", "templates.get", "prompts.get")
_LANGFUSE_CLIENTS = frozenset({"langfuse.Langfuse", "langfuse.client.Langfuse", "langfuse.get_client"})
_HUB_PULL = frozenset({"langchain.hub.pull", "langchain_classic.hub.pull"})
_LANGSMITH_CLIENTS = frozenset({"langsmith.Client", "langsmith.client.Client"})
_MLFLOW_LOAD = frozenset({"mlflow.load_prompt", "mlflow.genai.load_prompt", "mlflow.prompt.load_prompt"})
_HEX = frozenset("0123456789abcdef")


# the fetch a call makes (shared with the registries of _code/prompt_registries.py)
_Fetch, _Unnamed, _bound, _selector, _text = Fetch, Unnamed, bound, selector, text


def _claims(path: str, text: str) -> bool:
    return path.endswith(".py") and any(marker in text for marker in _MARKERS)


def _adapt(loaded: LoadedFile) -> Adapted:
    out = Adapted()
    facts = facts_of(loaded)
    if facts is None:
        return out
    roots = {symbol.split(".", 1)[0] for symbol in facts.imports.values()}
    ordinals: dict[tuple[str, str], int] = {}
    memo: list[frozenset[str]] = []  # the module's self.<attr> Langfuse clients, once asked
    for site in facts.calls:
        fetch = _fetch(facts, site, roots, memo)
        if fetch is None:
            continue
        scope_name = site.scope.node.name if site.scope is not None else "<module>"
        agent = scope_name if site.scope is not None else loaded.path
        if isinstance(fetch, _Unnamed):
            key = (scope_name, "")
            index = ordinals.get(key, 0)
            ordinals[key] = index + 1
            ref = NodeRef(loaded.path, ("prompt_refs", scope_name, "<unnamed>", index))
            out.entities.append(UnnamedPromptFetch(ref, facts.span(site.call), (), agent, fetch.sources))
            continue
        key = (scope_name, fetch.name)
        index = ordinals.get(key, 0)
        ordinals[key] = index + 1
        fields: list[tuple[str, Span]] = [("name", facts.span(fetch.name_node))]
        if fetch.version_node is not None:
            fields.append(("version", facts.span(fetch.version_node)))
        if fetch.label_node is not None:
            fields.append(("label", facts.span(fetch.label_node)))
        out.entities.append(
            PromptReference(
                NodeRef(loaded.path, ("prompt_refs", scope_name, fetch.name, index)),
                facts.span(site.call),
                tuple(fields),
                agent=agent,
                name=fetch.name,
                version=fetch.version,
                label=fetch.label,
                sources=fetch.sources,
                default_label=fetch.default_label,
                selector_unknown=fetch.unknown,
            )
        )
    return out


ADAPTER = Adapter("prompt-refs-code", frozenset({Syntax.PYTHON}), _claims, _adapt)


def _fetch(facts: ModuleFacts, site: CallSite, roots: set[str], memo: list[frozenset[str]]) -> _Fetch | _Unnamed | None:
    call = site.call
    if site.callee in _HUB_PULL:
        return _identifier(facts, site, "owner_repo_commit")
    if site.callee in _MLFLOW_LOAD:
        return _mlflow(facts, site)
    func = call.func
    if not isinstance(func, ast.Attribute):
        return registry_fetch(facts, site, roots)
    if func.attr == "pull_prompt" and "langsmith" in roots:
        return _identifier(facts, site, "prompt_identifier")
    if func.attr == "get_prompt" and "langfuse" in roots and _is_langfuse(facts, site, func.value, memo):
        return _langfuse(facts, site)
    return registry_fetch(facts, site, roots)


# -- Langfuse ------------------------------------------------------------------------------


def _is_langfuse(facts: ModuleFacts, site: CallSite, receiver: ast.expr, memo: list[frozenset[str]]) -> bool:
    if isinstance(receiver, ast.Call):
        return facts.qualname(receiver.func) in _LANGFUSE_CLIENTS
    last = receiver.attr if isinstance(receiver, ast.Attribute) else receiver.id if isinstance(receiver, ast.Name) else None
    if last is None:
        return False
    if "langfuse" in last.lower():
        return True
    if isinstance(receiver, ast.Name):
        bound = _bound(facts, site, receiver.id)
        return isinstance(bound, ast.Call) and facts.qualname(bound.func) in _LANGFUSE_CLIENTS
    if isinstance(receiver.value, ast.Name) and receiver.value.id == "self":
        return receiver.attr in _langfuse_attributes(facts, memo)
    return False


def _langfuse_attributes(facts: ModuleFacts, memo: list[frozenset[str]]) -> frozenset[str]:
    """``self.<attr>`` names every assignment of which in the module is a Langfuse client
    (``self.client = Langfuse()`` in ``__init__``); computed once per module (``memo``), on first use."""
    if memo:
        return memo[0]
    clients: set[str] = set()
    others: set[str] = set()
    for node in ast.walk(facts.module.tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            is_client = isinstance(node.value, ast.Call) and facts.qualname(node.value.func) in _LANGFUSE_CLIENTS
            for target in targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                    (clients if is_client and len(targets) == 1 else others).add(target.attr)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Attribute):
            others.add(node.target.attr)
    memo.append(frozenset(clients - others))
    return memo[0]



def _langfuse(facts: ModuleFacts, site: CallSite) -> _Fetch | _Unnamed | None:
    call = site.call
    name_node = argument(call, "name", 0)
    name = _text(facts, site, name_node)
    if name is None or not isinstance(name_node, ast.expr):
        return _Unnamed(("langfuse",))
    version_node = argument(call, "version", 1)
    label_node = argument(call, "label")
    version, version_unknown = _selector(facts, site, version_node)
    label, label_unknown = _selector(facts, site, label_node)
    unknown = version_unknown or label_unknown
    stated = version is not None or label is not None or unknown
    return _Fetch(
        name,
        name_node,
        version,
        version_node if isinstance(version_node, ast.expr) else None,
        label,
        label_node if isinstance(label_node, ast.expr) else None,
        unknown,
        None if stated else "production",
        ("langfuse",),
    )


# -- LangSmith hub -------------------------------------------------------------------------


def _identifier(facts: ModuleFacts, site: CallSite, keyword: str) -> _Fetch | _Unnamed | None:
    node = argument(site.call, keyword, 0)
    text = _text(facts, site, node)
    if text is None or not isinstance(node, ast.expr):
        return _Unnamed(())
    name, colon, ref = text.rpartition(":") if ":" in text else (text, "", "")
    if not name or (colon and not ref):
        return None  # not an identifier langsmith accepts
    if not colon:
        return _Fetch(name, node, default_label="latest", sources=())
    if len(ref) >= 7 and set(ref.lower()) <= _HEX:
        return _Fetch(name, node, version=ref, version_node=node, sources=())
    return _Fetch(name, node, label=ref, label_node=node, sources=())


# -- MLflow ----------------------------------------------------------------------------------


def _mlflow(facts: ModuleFacts, site: CallSite) -> _Fetch | _Unnamed | None:
    node = argument(site.call, "name_or_uri", 0)
    text = _text(facts, site, node)
    if text is None or not isinstance(node, ast.expr):
        return _Unnamed(())
    if text.startswith("prompts:/"):
        path = text[len("prompts:/") :]
        if "@" in path:
            name, _, alias = path.partition("@")
            return _Fetch(name, node, label=alias, label_node=node, sources=()) if name and alias else None
        name, slash, version = path.rpartition("/")
        if not (name and slash and version):
            return None
        if version.isdigit():
            return _Fetch(name, node, version=version, version_node=node, sources=())
        return _Fetch(name, node, label=version, label_node=node, sources=())  # prompts:/<name>/<alias>
    version_node = argument(site.call, "version", 1)
    version, unknown = _selector(facts, site, version_node)
    if version is None:
        unknown = True  # a bare name's default is not documented clearly enough to judge
    return _Fetch(
        text, node, version, version_node if isinstance(version_node, ast.expr) else None, unknown=unknown, sources=()
    )
