"""Every parsed Python module: the names it binds at module level (``ModuleNames``), so that a
deployment config naming ``graph.py:graph`` can be checked against the module without
importing it. Built from the shared ModuleFacts; a module that may bind names nobody can read
statically (``from x import *``, ``globals()[…]``, ``exec``, a module ``__getattr__``,
``sys.modules`` tricks) is marked dynamic, and then an absent name proves nothing."""

from __future__ import annotations

import ast

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import ModuleFacts, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.code_constants import ModuleConstants
from agentlint.model.deployment import ModuleNames
from agentlint.model.source import NodeRef, Span

_DYNAMIC_CALLS = frozenset({"globals", "locals", "vars", "exec", "setattr", "__import__"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    facts = facts_of(file)
    if facts is None:  # not parsed (a syntax error): its names are unknown
        return out
    names = set(facts.names) | set(facts.imports)  # imports anywhere: more names, fewer findings
    # a nested scope binds nothing at module level, but "global x" or globals() in it may: both
    # come from the groundwork's one walk, so function bodies (most of a module) are not walked
    # again; only a module that mentions "modules" at all is searched for sys.modules
    names |= facts.declared_global
    dynamic = "__getattr__" in facts.functions or any(
        isinstance(site.call.func, ast.Name) and site.call.func.id in _DYNAMIC_CALLS for site in facts.calls
    )
    search_modules = "modules" in file.text
    stack: list[ast.AST] = list(facts.module.tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, _SCOPES):
            if not isinstance(node, ast.Lambda):
                names.add(node.name)  # also a def inside a module-level if/try
            if search_modules and not dynamic:
                dynamic = any(isinstance(inner, ast.Attribute) and _visit(inner, names, True) for inner in ast.walk(node))
            continue
        dynamic = _visit(node, names, inside=False) or dynamic
        stack.extend(ast.iter_child_nodes(node))
    out.entities.append(ModuleNames(NodeRef(file.path, ("module",)), Span.point(1), (), frozenset(names), dynamic))
    constants = None if dynamic else constants_of(file)
    if constants is not None:
        out.entities.append(constants)
    return out


def constants_of(file: LoadedFile) -> ModuleConstants | None:
    """The module's numeric constants as an entity, or None when it states none (or did not parse)."""
    facts = facts_of(file)
    numbers = _numbers(facts) if facts is not None else ()
    return ModuleConstants(NodeRef(file.path, ("constants",)), Span.point(1), (), facts.key, numbers) if numbers else None


def _numbers(facts: ModuleFacts) -> tuple[tuple[str, float, str | None], ...]:
    """Module-level names bound once to a number the code states (``MAX_STEPS = 25``,
    ``TIMEOUT = float(os.getenv("T", "30"))``), for other modules that import them."""
    found = []
    for name, expr in facts.bindings.items():
        if expr is None or isinstance(expr, (ast.Lambda, ast.ListComp, ast.DictComp, ast.GeneratorExp)):
            continue
        value = facts.value(expr)
        number = value.number() if isinstance(value, Static) else None
        if number is not None and number == number and abs(number) != float("inf"):
            found.append((name, float(number), value.env))  # type: ignore[union-attr]
    return tuple(sorted(found))


def _visit(node: ast.AST, names: set[str], inside: bool) -> bool:
    """Record what ``node`` binds at module level; True when it makes the module dynamic."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and not inside:
        names.add(node.id)
    elif isinstance(node, ast.Global):
        names.update(node.names)
    elif isinstance(node, ast.ImportFrom):
        return any(alias.name == "*" for alias in node.names)
    elif isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id in _DYNAMIC_CALLS
    elif isinstance(node, ast.Attribute):
        return node.attr == "modules" and isinstance(node.value, ast.Name) and node.value.id == "sys"
    return False


ADAPTER = Adapter("python-names", frozenset({Syntax.PYTHON}), lambda path, text: path.endswith(".py"), adapt)
