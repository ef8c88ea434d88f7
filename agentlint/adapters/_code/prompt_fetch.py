"""What a prompt fetch in code names: shared by ``adapters/prompt_refs_code.py`` and the
registries of ``_code/prompt_registries.py``."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import MISSING, CallSite, ModuleFacts


@dataclass(frozen=True, slots=True)
class Fetch:
    name: str
    name_node: ast.expr
    version: str | None = None
    version_node: ast.expr | None = None
    label: str | None = None
    label_node: ast.expr | None = None
    unknown: bool = False
    default_label: str | None = None
    sources: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Unnamed:
    """A recognised fetch whose name the module does not state."""

    sources: tuple[str, ...] | None


def bound(facts: ModuleFacts, site: CallSite, name: str) -> ast.expr | None:
    if site.scope is not None and name in site.scope.bindings:
        return site.scope.bindings[name]
    return facts.bindings.get(name)



def selector(facts: ModuleFacts, site: CallSite, node: object) -> tuple[str | None, bool]:
    """(the value as text, whether it is unknown): MISSING and ``None`` are no selector."""
    if node is MISSING:
        return None, False
    if not isinstance(node, ast.expr):
        return None, True  # **kwargs or *args may pass it
    value = facts.value(node, site.scope)
    if not isinstance(value, Static) or value.env is not None:
        return None, True  # os.getenv("PROMPT_LABEL", "latest"): the deployment chooses
    if value.value is None:
        return None, False
    if isinstance(value.value, bool) or not isinstance(value.value, (int, str)) or value.value == "":
        return None, True  # not a selector Langfuse accepts: not ours to judge
    return str(value.value), False


def text(facts: ModuleFacts, site: CallSite, node: object) -> str | None:
    if not isinstance(node, ast.expr):
        return None
    value = facts.value(node, site.scope)
    text = value.text() if isinstance(value, Static) and value.env is None else None
    return text.strip() or None if text is not None else None

