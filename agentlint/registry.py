"""Finds every Rule subclass under ``agentlint.rules`` without a hand-kept list."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from agentlint.rule import Rule


@cache
def all_rules() -> dict[str, type[Rule]]:
    """Code -> rule class, sorted by code. Importing a rule module registers nothing else."""
    import agentlint.rules as package

    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    found: dict[str, type[Rule]] = {}
    names: dict[str, str] = {}
    stack = list(Rule.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith(package.__name__ + "."):
            continue
        if cls.code in found and found[cls.code] is not cls:
            raise TypeError(f"rule code {cls.code} is used by two rules")
        if cls.name in names and names[cls.name] != cls.code:
            raise TypeError(f"rule name {cls.name} is used by two rules")
        found[cls.code] = cls
        names[cls.name] = cls.code
    return dict(sorted(found.items()))


def by_selector(selector: str) -> list[str]:
    """Codes matched by a code, a code prefix (``AL1``), a rule name, or ``ALL``."""
    rules = all_rules()
    sel = selector.strip()
    if sel.upper() == "ALL":
        return list(rules)
    if sel.upper().startswith("AL"):
        prefix = sel.upper()
        return [code for code in rules if code.startswith(prefix)]
    return [code for code, rule in rules.items() if rule.name == sel]
