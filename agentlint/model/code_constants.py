"""Numbers one Python module states and another imports, resolved after every file is read.

The evaluator reads one module at a time, so ``recursion_limit=MAX_STEPS`` with
``from .settings import MAX_STEPS`` is *unknown* while ``graph.py`` is adapted: a bound of
unknown size, never reported as missing. Each parsed module also emits its module-level
numeric constants (``ModuleConstants``); ``resolve_constants`` then gives the values to the
facts that named them by symbol (a graph's ``turn_limit_symbol``, a client setting's
``symbol``), so a limit set in ``settings.py`` is judged like one written inline: too high is
reported, and the message says when an environment variable can override it.

Symbols match like ``code_link``: the same dotted name, or a suffix of it on a dot
(``research.settings.MAX`` matches ``src.research.settings.MAX``); two candidates with different
values are ambiguous and stay unknown. Pure and linear.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from agentlint.model.clients import ClientSetting, LLMClient, SettingState
from agentlint.model.entities import GraphPart, Located


@dataclass(frozen=True, slots=True)
class ModuleConstants(Located):
    """A module's names bound once at module level to a number the code states."""

    module: str  # dotted: src.research.settings
    numbers: tuple[tuple[str, float, str | None], ...]  # (name, value, env var that overrides it)


class ConstantIndex:
    def __init__(self, modules: list[ModuleConstants]) -> None:
        self._by_symbol: dict[str, set[tuple[float, str | None]]] = {}
        self._by_name: dict[str, list[str]] = {}
        for module in modules:
            for name, value, env in module.numbers:
                symbol = f"{module.module}.{name}"
                self._by_symbol.setdefault(symbol, set()).add((value, env))
                self._by_name.setdefault(name, []).append(symbol)

    def number(self, symbol: str) -> tuple[float, str | None] | None:
        found = self._by_symbol.get(symbol)
        if found is None:
            tail = "." + symbol
            name = symbol.rsplit(".", 1)[-1]
            found = set()
            for candidate in self._by_name.get(name, ()):
                if candidate.endswith(tail):
                    found |= self._by_symbol[candidate]
        return next(iter(found)) if found and len(found) == 1 else None


def wanted_modules(parts: list[GraphPart], entities: list[Any]) -> set[str]:
    """Modules (dotted) whose constants some fact names: the ones worth reading for them."""
    symbols = {part.turn_limit_symbol for part in parts if part.turn_limit_unstated and part.turn_limit_symbol}
    for entity in entities:
        if isinstance(entity, LLMClient):
            symbols.update(s.symbol for s in (entity.timeout, entity.retries) if s.state is SettingState.UNKNOWN and s.symbol)
    return {symbol.rsplit(".", 1)[0] for symbol in symbols if "." in symbol}


def resolve_constants(parts: list[GraphPart], entities: list[Any]) -> tuple[list[GraphPart], list[Any]]:
    modules = [e for e in entities if isinstance(e, ModuleConstants)]
    if not modules:
        return parts, entities
    index = ConstantIndex(modules)
    out_parts = [_part(part, index) for part in parts]
    out_entities = [_client(e, index) if isinstance(e, LLMClient) else e for e in entities]
    return out_parts, out_entities


def _part(part: GraphPart, index: ConstantIndex) -> GraphPart:
    if not (part.turn_limit_unstated and part.turn_limit_symbol):
        return part
    found = index.number(part.turn_limit_symbol)
    if found is None or found[1] is not None or found[0] != int(found[0]) or found[0] < 1:
        return part  # unknown, or the environment may override it: still a bound of unknown size
    return replace(part, turn_limit=int(found[0]), turn_limit_unstated=False)


def _client(client: LLMClient, index: ConstantIndex) -> LLMClient:
    timeout, retries = _setting(client.timeout, index), _setting(client.retries, index)
    if timeout is client.timeout and retries is client.retries:
        return client
    return replace(client, timeout=timeout, retries=retries)


def _setting(setting: ClientSetting, index: ConstantIndex) -> ClientSetting:
    if setting.state is not SettingState.UNKNOWN or setting.symbol is None:
        return setting
    found = index.number(setting.symbol)
    if found is None:
        return setting
    value = found[0] * setting.symbol_scale + setting.symbol_offset
    if value < 0:
        return setting
    state = SettingState.STATIC if found[1] is None else SettingState.UNKNOWN
    return ClientSetting(state, value, setting.keyword, found[1])
