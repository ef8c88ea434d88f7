"""One pass of groundwork per module: imports, bindings, functions, calls.

``facts_of(loaded)`` computes it once per module and caches it on the LocatedModule, so the
LangGraph adapter, the LLM-client adapter and any later one share it. Walks are iterative
(``ast.walk`` is a queue), so a deeply nested module cannot exhaust the stack.

Names resolve to dotted qualified names: ``from langgraph.graph import StateGraph as SG``
makes ``SG`` mean ``langgraph.graph.StateGraph``; ``from .nodes import critic`` in
``src/agent/graph.py`` makes ``critic`` mean ``src.agent.nodes.critic`` (the module's path,
dotted), so names that cross modules of the project can be linked later.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from agentlint.adapters._code.evaluate import UNKNOWN, Static, Unknown, Value, evaluate
from agentlint.loaders.base import LoadedFile
from agentlint.loaders.python import LocatedModule
from agentlint.model.source import Span

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_BUILTINS = frozenset({"int", "float", "str", "bool", "dict", "list", "tuple", "set", "len"})
_BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match)


def module_key(path: str) -> str:
    """``src/agent/graph.py`` -> ``src.agent.graph``; a package's ``__init__.py`` is the package."""
    stem = path[:-3] if path.endswith(".py") else path
    parts = [p for p in stem.split("/") if p not in ("", ".")]
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@dataclass(slots=True)
class FunctionScope:
    """Names bound exactly once at a function's top level (not parameters, not in blocks),
    found on first use: most functions of a module are never asked about."""

    node: FunctionNode
    _bindings: dict[str, ast.expr | None] | None = None
    walrus: set[str] = field(default_factory=set)  # names bound by ``(x := ...)`` in it

    @property
    def bindings(self) -> dict[str, ast.expr | None]:
        if self._bindings is None:
            self._bindings = _bindings(self.node.body)
            self._bindings.update(dict.fromkeys(self.walrus))
        return self._bindings


@dataclass(slots=True)
class CallSite:
    call: ast.Call
    callee: str | None  # qualified name when the callee resolves (``langgraph.graph.StateGraph``)
    scope: FunctionScope | None  # the enclosing function, None at module level


@dataclass(slots=True)
class ModuleFacts:
    module: LocatedModule
    key: str
    imports: dict[str, str] = field(default_factory=dict)
    bindings: dict[str, ast.expr | None] = field(default_factory=dict)  # None: bound more than once
    functions: dict[str, FunctionNode] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    calls: list[CallSite] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # every name bound at module level
    declared_global: set[str] = field(default_factory=set)  # ``global X`` anywhere in the module
    _scopes: dict[int, FunctionScope] = field(default_factory=dict)
    # a name's value at a given evaluation depth, computed once: without it ``x1 = x0 + x0``,
    # ``x2 = x1 + x1`` ... costs 2**n evaluations, and 40 such lines never finish
    _values: dict[tuple[str, int, int], Value] = field(default_factory=dict)

    # -- names ------------------------------------------------------------------------
    def qualname(self, expr: ast.AST) -> str | None:
        """Dotted name of a Name/Attribute chain whose root is imported (or a builtin)."""
        parts: list[str] = []
        node = expr
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        root = self.imports.get(node.id)
        if root is None:
            if node.id in _BUILTINS and node.id not in self.names and not parts:
                return node.id
            return None
        return ".".join([root, *reversed(parts)])

    def is_project_symbol(self, symbol: str) -> bool:
        """Whether ``symbol`` was imported relatively (so surely from this project)."""
        return symbol.startswith(self._package_prefix())

    def _package_prefix(self) -> str:
        return self.key.rsplit(".", 1)[0] + "." if "." in self.key else ""

    # -- values -----------------------------------------------------------------------
    def lookup(self, name: str, scope: FunctionScope | None, depth: int) -> Value:
        key = (name, id(scope.node) if scope is not None else 0, depth)
        value = self._values.get(key)
        if value is None:
            value = self._values[key] = self._lookup(name, scope, depth)
        return value

    def _lookup(self, name: str, scope: FunctionScope | None, depth: int) -> Value:
        if scope is not None:
            if name in scope.bindings:
                bound = scope.bindings[name]
                return evaluate(bound, self, scope, depth) if bound is not None else UNKNOWN
            if _is_parameter(scope.node, name):
                return UNKNOWN
        if name in self.imports:
            return self.lookup_symbol(self.imports[name])
        bound = self.bindings.get(name)
        if bound is None:
            return UNKNOWN
        return evaluate(bound, self, None, depth)

    def lookup_symbol(self, symbol: str) -> Value:
        if symbol in ("math.inf",):
            return Static(float("inf"))
        head = symbol.split(".", 1)[0]
        if head in _STDLIB_ROOTS:
            return UNKNOWN
        return Unknown(symbol)

    def value(self, expr: ast.AST | None, scope: FunctionScope | None = None) -> Value:
        return evaluate(expr, self, scope)

    def span(self, node: ast.AST) -> Span:
        return self.module.span(node)

    def scope_of(self, function: FunctionNode) -> FunctionScope:
        scope = self._scopes.get(id(function))
        if scope is None:
            scope = FunctionScope(function)
            self._scopes[id(function)] = scope
        return scope

    def calls_to(self, *names: str) -> Iterator[CallSite]:
        wanted = set(names)
        return (site for site in self.calls if site.callee in wanted)


_STDLIB_ROOTS = frozenset({"os", "sys", "typing", "typing_extensions", "math", "json", "re", "datetime", "pathlib"})


def facts_of(loaded: LoadedFile) -> ModuleFacts | None:
    module: LocatedModule | None = loaded.module
    if module is None:
        return None
    if module.facts is None:
        module.facts = _build(module)
    return module.facts


def _build(module: LocatedModule) -> ModuleFacts:
    facts = ModuleFacts(module, module_key(module.path))
    package = facts.key.split(".")[:-1] if not module.path.endswith("__init__.py") else facts.key.split(".")
    imports, calls, rebound, walrus = _walk(facts)
    # imports anywhere in the module (inside functions and try blocks too): a name imported
    # conditionally still names the same library; applied in breadth-first order, so that an
    # import nested deeper wins over one above it, as it did with ast.walk
    for _, _, _, node in sorted(imports, key=lambda item: item[:3]):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    facts.imports[alias.asname] = alias.name
                else:
                    root = alias.name.split(".", 1)[0]
                    facts.imports[root] = root
        else:
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            for alias in node.names:
                if alias.name != "*":
                    facts.imports[alias.asname or alias.name] = f"{origin}.{alias.name}" if origin else alias.name
    facts.bindings = _bindings(module.tree.body, facts.names)
    facts.bindings.update(dict.fromkeys((rebound | walrus) & facts.bindings.keys()))
    stars = [node.lineno for _, _, _, node in imports if isinstance(node, ast.ImportFrom) and node.names[0].name == "*"]
    if stars:  # ``from x import *`` may rebind any name bound above it
        last = max(stars)
        facts.bindings.update({name: None for name, expr in facts.bindings.items() if expr is not None and expr.lineno < last})
    facts.declared_global = rebound
    for stmt in module.tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            facts.functions[stmt.name] = stmt
        elif isinstance(stmt, ast.ClassDef):
            facts.classes[stmt.name] = stmt
    facts.names.update(facts.functions, facts.classes)
    calls.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    facts.calls = [CallSite(call, facts.qualname(call.func), scope) for call, scope in calls]
    return facts


# Fields that never hold a node worth visiting: expression contexts, operators, names as str.
# Skipping them (and reading fields directly instead of through ast.iter_child_nodes) makes
# the one walk of a module about four times faster: it was most of the groundwork's cost.
_SCALAR_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "kind", "type_comment", "name", "asname", "module", "level", "conversion", "is_async"}
)
_FIELDS: dict[type, tuple[str, ...]] = {}


_Imports = list[tuple[int, int, int, ast.Import | ast.ImportFrom]]


def _walk(facts: ModuleFacts) -> tuple[_Imports, list[tuple[ast.Call, FunctionScope | None]], set[str], set[str]]:
    """One iterative pass over the module: imports (with depth, for their order), every call
    with its enclosing function, the names declared ``global`` in a function, and the names
    bound by ``:=`` at module level (those in a function go to its scope)."""
    imports: _Imports = []
    calls: list[tuple[ast.Call, FunctionScope | None]] = []
    rebound: set[str] = set()
    walrus: set[str] = set()  # bound by ``:=`` at module level
    stack: list[tuple[ast.AST, FunctionScope | None, int]] = [(facts.module.tree, None, 0)]
    push, pop = stack.append, stack.pop
    node_type = ast.AST
    while stack:
        node, scope, depth = pop()
        cls = node.__class__
        fields = _FIELDS.get(cls)
        if fields is None:
            fields = _FIELDS[cls] = tuple(f for f in cls._fields if f not in _SCALAR_FIELDS)
        inner = depth + 1
        for name in fields:
            value = getattr(node, name, None)
            for child in value if value.__class__ is list else (value,):
                if not isinstance(child, node_type):
                    continue
                kind = child.__class__
                if kind is ast.Call:
                    calls.append((child, scope))  # type: ignore[arg-type]
                elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                    push((child, facts.scope_of(child), inner))  # type: ignore[arg-type]
                    continue
                elif kind is ast.Import or kind is ast.ImportFrom:
                    imports.append((inner, child.lineno, child.col_offset, child))  # type: ignore[attr-defined]
                elif kind is ast.Global:
                    rebound.update(child.names)  # type: ignore[attr-defined]
                elif kind is ast.NamedExpr and isinstance(child.target, ast.Name):  # type: ignore[attr-defined]
                    # ``print(x := 9)`` rebinds x where no assignment statement shows it
                    (scope.walrus if scope is not None else walrus).add(child.target.id)  # type: ignore[attr-defined]
                push((child, scope, inner))
    return imports, calls, rebound, walrus


def _bindings(body: list[ast.stmt], names: set[str] | None = None) -> dict[str, ast.expr | None]:
    """Names bound by plain assignment exactly once in ``body``'s top level; a name bound
    again anywhere (another assignment, augmented, in a block, a loop target) maps to None."""
    out: dict[str, ast.expr | None] = {}
    seen: set[str] = set()

    def bind(name: str, value: ast.expr | None) -> None:
        if names is not None:
            names.add(name)
        out[name] = None if name in seen else value
        seen.add(name)

    for stmt in body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    bind(target.id, stmt.value if len(stmt.targets) == 1 else None)
                else:
                    for name in _target_names(target):
                        bind(name, None)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            bind(stmt.target.id, stmt.value)
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            bind(stmt.target.id, None)
        elif isinstance(stmt, _BLOCKS):
            for node in ast.walk(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    bind(node.id, None)
        elif isinstance(stmt, (ast.Global, ast.Nonlocal)):
            for name in stmt.names:
                bind(name, None)
    return out


def _target_names(target: ast.AST) -> Iterator[str]:
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            yield node.id


def _is_parameter(function: FunctionNode, name: str) -> bool:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if args.vararg:
        every.append(args.vararg)
    if args.kwarg:
        every.append(args.kwarg)
    return any(a.arg == name for a in every)


# -- call arguments ----------------------------------------------------------------------


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def argument(call: ast.Call, name: str, position: int | None = None) -> ast.expr | _Missing | Unknown:
    """The expression passed as ``name`` (by keyword, or at ``position``), MISSING when the call
    surely does not pass it, UNKNOWN when ``**kwargs`` or ``*args`` might."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position is not None:
        for index, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                return UNKNOWN
            if index == position:
                return arg
    if any(keyword.arg is None for keyword in call.keywords):
        return UNKNOWN
    return MISSING


def argument_span(facts: ModuleFacts, call: ast.Call, name: str) -> Span:
    """Where the keyword ``name=`` is written, else the call itself."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return facts.span(keyword)
    return facts.span(call)
