"""Rebuilding LangGraph ``StateGraph`` builders from their calls, without running them.

A builder is the value of a ``StateGraph(...)`` call, known by the variable it is bound to in
its scope (module or function); chained calls (``StateGraph(S).add_node(...).add_edge(...)``)
return the builder. Each method call adds nodes and edges to a ``Builder`` record. Whatever
the code does not state statically (a node name from a parameter, edges added in a loop over
a list that cannot be evaluated, the builder handed to a helper, ``**kwargs``) marks the
builder incomplete instead of being guessed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.langgraph_routes import END, START, node_name
from agentlint.adapters._code.scope import FunctionScope, ModuleFacts, argument
from agentlint.model.source import Pos, Span

BUILDERS = frozenset(
    {
        "langgraph.graph.StateGraph",
        "langgraph.graph.state.StateGraph",
        "langgraph.graph.MessageGraph",
        "langgraph.graph.message.MessageGraph",
    }
)
_CHAIN = frozenset(
    {"add_node", "add_edge", "add_conditional_edges", "add_sequence", "set_entry_point", "set_finish_point", "set_conditional_entry_point"}
)
_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
WRAPPERS = frozenset({"with_config", "with_retry", "with_types", "with_listeners"})


@dataclass(slots=True)
class Node:
    name: str
    span: Span
    action: ast.expr | None
    scope: FunctionScope | None
    call: ast.Call | None
    env: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Link:
    """An edge as written: ``condition`` None for add_edge, else the router and its key."""

    source: str
    target: str
    span: Span
    condition: str | None = None
    target_span: Span | None = None
    # the route's router (a path function, or the Command-returning node) and the value it
    # returns to take this link, when known: its loop guard is read from that code
    router: tuple[ast.expr, FunctionScope | None] | None = None
    label: object = None
    command: bool = False  # the router is a node returning Command(goto=label)
    max_traversals: int | None = None
    bound_at: ast.AST | None = None


@dataclass(slots=True)
class Builder:
    call: ast.Call
    scope: FunctionScope | None
    variable: str | None = None
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    routers: list[tuple[str, ast.expr, Span, FunctionScope | None]] = field(default_factory=list)  # no path map
    compiles: list[ast.Call] = field(default_factory=list)
    complete: bool = True


class BuilderReader:
    """Finds the builders of one module and replays their method calls."""

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self.builders: dict[int, Builder] = {}
        for site in facts.calls:
            if site.callee in BUILDERS:
                self.builders[id(site.call)] = Builder(site.call, site.scope)
        self._loops: dict[int, dict[int, list[ast.AST]]] = {}
        self._names: set[str] = set()

    # -- which builder an expression is ---------------------------------------------------
    def builder_of(self, expr: ast.AST, scope: FunctionScope | None, depth: int = 0) -> Builder | None:
        if depth > 20:
            return None
        if isinstance(expr, ast.Call):
            found = self.builders.get(id(expr))
            if found is not None:
                return found
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr in _CHAIN:
                return self.builder_of(func.value, scope, depth + 1)
            return None
        if isinstance(expr, ast.Name):
            bound, where = self._binding(expr.id, scope)
            if bound is None:
                return None
            found = self.builder_of(bound, where, depth + 1)
            if found is not None and found.variable is None:
                found.variable = expr.id
            return found
        return None

    def _binding(self, name: str, scope: FunctionScope | None) -> tuple[ast.expr | None, FunctionScope | None]:
        if scope is not None:
            if name in scope.bindings:
                return scope.bindings[name], scope
            args = scope.node.args
            if any(a.arg == name for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]):
                return None, scope
        return self.facts.bindings.get(name), None

    def binding(self, name: str, scope: FunctionScope | None) -> tuple[ast.expr | None, FunctionScope | None]:
        return self._binding(name, scope)

    # -- replaying calls ----------------------------------------------------------------
    def read(self) -> list[Builder]:
        if not self.builders:
            return []
        for builder in self.builders.values():  # name builders bound to a variable first
            for name, value in [*self.facts.bindings.items(), *(builder.scope.bindings.items() if builder.scope else ())]:
                if value is not None and builder.variable is None and self.builder_of(value, builder.scope) is builder:
                    builder.variable = name
        self._names = {b.variable for b in self.builders.values() if b.variable}
        # a chain (StateGraph(S).add_node(...).add_edge(...)) starts every call at one position:
        # replay in the order the method names are written
        for site in sorted([*self.facts.calls, *_decorated_nodes(self.builders.values(), self.facts.module.tree.body)], key=_written_at):
            func = site.call.func
            if isinstance(func, ast.Attribute) and (func.attr in _CHAIN or func.attr == "compile"):
                builder = self.builder_of(func.value, site.scope)
                if builder is None:
                    continue
                loops = self.loops(site.scope).get(id(site.call), [])
                envs = self._unroll(loops, site.scope)
                if envs is None:
                    builder.complete = False
                    continue
                for env in envs:
                    self._apply(builder, func.attr, site.call, site.scope, env)
            else:
                self._escapes(site.call, site.scope)
        return [b for b in self.builders.values() if b.nodes or b.links]

    def _escapes(self, call: ast.Call, scope: FunctionScope | None) -> None:
        """A builder handed to another function may get nodes and edges we never see."""
        values = [*call.args, *(k.value for k in call.keywords)]
        for value in values:
            inner = value.value if isinstance(value, ast.Starred) else value
            if isinstance(inner, ast.Name) and inner.id in self._names:
                builder = self.builder_of(inner, scope)
                if builder is not None:
                    builder.complete = False

    def loops(self, scope: FunctionScope | None) -> dict[int, list[ast.AST]]:
        """Each call's enclosing loops (for/while/comprehensions) within one scope (a function,
        or the module outside its functions); walked once per scope that holds a builder call."""
        key = id(scope.node) if scope is not None else 0
        found = self._loops.get(key)
        if found is None:
            found = {}
            root: ast.AST = scope.node if scope is not None else self.facts.module.tree
            stack: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [(root, ())]
            while stack:
                node, loops = stack.pop()
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                        continue  # another scope
                    inner = loops + (child,) if isinstance(child, _LOOPS) else loops
                    if isinstance(child, ast.Call) and loops:
                        found[id(child)] = list(loops)
                    stack.append((child, inner))
            self._loops[key] = found
        return found

    def _unroll(self, loops: list[ast.AST], scope: FunctionScope | None) -> list[dict[str, Any]] | None:
        """One environment per iteration of a single ``for name in <static list>`` loop; None
        when the call sits in a loop that cannot be unrolled."""
        if not loops:
            return [{}]
        if len(loops) != 1 or not isinstance(loops[0], (ast.For, ast.AsyncFor)) or loops[0].orelse:
            return None
        loop = loops[0]
        items = self.facts.value(loop.iter, scope)
        if not isinstance(items, Static) or not isinstance(items.value, (list, tuple)) or len(items.value) > 200:
            return None
        envs: list[dict[str, Any]] = []
        for item in items.value:
            env = _bind(loop.target, item)
            if env is None:
                return None
            envs.append(env)
        return envs

    # -- one method call -----------------------------------------------------------------
    def name(self, expr: ast.AST, scope: FunctionScope | None, env: dict[str, Any]) -> str | None:
        if isinstance(expr, ast.Name) and expr.id in env:
            value = env[expr.id]
            return value if isinstance(value, str) else None
        return node_name(expr, self.facts, scope)

    def call_span(self, call: ast.Call) -> Span:
        """A method call's span from its name (``.add_edge(...)``), so that the calls of a chain
        do not all start where the chain does."""
        func = call.func
        span = self.facts.span(call)
        chained = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call)
        if chained and func.value.end_lineno is not None and func.value.end_col_offset is not None:  # type: ignore[union-attr]
            after = self.facts.module.pos(func.value.end_lineno, func.value.end_col_offset)
            lines = self.facts.module.lines
            for number in range(after.line, min(after.line + 20, span.end.line) + 1):
                text = lines[number - 1] if number <= len(lines) else ""
                start = after.column - 1 if number == after.line else 0
                found = text.find(func.attr, start)
                if found >= 0:
                    return Span(Pos(number, found + 1), span.end)
        return span

    def _apply(self, builder: Builder, method: str, call: ast.Call, scope: FunctionScope | None, env: dict[str, Any]) -> None:
        span = self.call_span(call)
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            builder.complete = False
            return
        if method == "compile":
            builder.compiles.append(call)
        elif method == "add_node":
            self._add_node(builder, call, scope, env)
        elif method in ("add_edge", "set_entry_point", "set_finish_point"):
            first = argument(call, "start_key" if method == "add_edge" else "key", 0)
            if method == "set_entry_point":
                sources, target = [START], self._arg_name(argument(call, "key", 0), scope, env)
            elif method == "set_finish_point":
                sources, target = [self._arg_name(first, scope, env)], END
            else:
                sources = self._sources(first, scope, env)
                target = self._arg_name(argument(call, "end_key", 1), scope, env)
            if target is None or sources is None or None in sources:
                builder.complete = False
                return
            for source in sources:
                builder.links.append(Link(source, target, span))
        elif method in ("add_conditional_edges", "set_conditional_entry_point"):
            offset = 0 if method == "set_conditional_entry_point" else 1
            source = START if offset == 0 else self._arg_name(argument(call, "source", 0), scope, env)
            path = argument(call, "path", offset)
            path_map = argument(call, "path_map", offset + 1)
            if source is None or not isinstance(path, ast.expr):
                builder.complete = False
                return
            self._conditional(builder, source, path, path_map, span, scope, env)
        elif method == "add_sequence":
            self._sequence(builder, call, scope, env)

    def _arg_name(self, expr: Any, scope: FunctionScope | None, env: dict[str, Any]) -> str | None:
        return self.name(expr, scope, env) if isinstance(expr, ast.expr) else None

    def _sources(self, expr: Any, scope: FunctionScope | None, env: dict[str, Any]) -> list[str | None] | None:
        if isinstance(expr, (ast.List, ast.Tuple)):
            return [self.name(e, scope, env) for e in expr.elts]
        if not isinstance(expr, ast.expr):
            return None
        return [self.name(expr, scope, env)]

    def _add_node(self, builder: Builder, call: ast.Call, scope: FunctionScope | None, env: dict[str, Any]) -> None:
        first = argument(call, "node", 0)
        action = argument(call, "action", 1)
        if not isinstance(first, ast.expr):
            builder.complete = False
            return
        name = self.name(first, scope, env)
        if name is None or not isinstance(action, ast.expr):
            action = first  # add_node(fn): the function names the node
            name = self.callable_name(first, scope)
        if name is None:
            builder.complete = False
            return
        builder.nodes.setdefault(name, Node(name, self.call_span(call), action, scope, call, env))

    def callable_name(self, expr: ast.expr, scope: FunctionScope | None) -> str | None:
        """``add_node(fn)`` names the node after the function (its original name when imported)."""
        if isinstance(expr, ast.Name):
            symbol = self.facts.imports.get(expr.id)
            if symbol is not None:
                return symbol.rsplit(".", 1)[-1]
            if expr.id in self.facts.functions or local_function(scope, expr.id) is not None:
                return expr.id
            return None
        if isinstance(expr, ast.Attribute):
            symbol = self.facts.qualname(expr)
            return expr.attr if symbol is not None else None
        return None

    def _conditional(
        self, builder: Builder, source: str, path: ast.expr, path_map: Any, span: Span, scope: FunctionScope | None, env: dict[str, Any]
    ) -> None:
        router = self.facts.module.segment(path) if not isinstance(path, ast.Lambda) else "lambda"
        if isinstance(path_map, ast.Dict):
            for key, value in zip(path_map.keys, path_map.values):
                if key is None:
                    builder.complete = False
                    continue
                target = self.name(value, scope, env)
                if target is None:
                    builder.complete = False
                    continue
                label = self.facts.value(key, scope)
                shown = repr(label.value) if isinstance(label, Static) else self.facts.module.segment(key)
                entry = Span(self.facts.span(key).start, self.facts.span(value).end)
                known = (path, scope) if isinstance(label, Static) and isinstance(label.value, (str, int, type(None))) else None
                builder.links.append(Link(source, target, entry, f"{router} returns {shown}", self.facts.span(value), known, getattr(label, "value", None)))
        elif isinstance(path_map, (ast.List, ast.Tuple)):
            for value in path_map.elts:
                target = self.name(value, scope, env)
                if target is None:
                    builder.complete = False
                    continue
                builder.links.append(Link(source, target, self.facts.span(value), f"{router} returns {target!r}", self.facts.span(value), (path, scope), target))
        elif isinstance(path_map, ast.expr):
            value = self.facts.value(path_map, scope)
            if isinstance(value, Static) and isinstance(value.value, dict) and all(isinstance(v, str) for v in value.value.values()):
                for label, target in value.value.items():
                    builder.links.append(Link(source, target, span, f"{router} returns {label!r}", None, (path, scope), label))
            elif isinstance(value, Static) and isinstance(value.value, (list, tuple)) and all(isinstance(v, str) for v in value.value):
                for target in value.value:
                    builder.links.append(Link(source, target, span, f"{router} returns {target!r}", None, (path, scope), target))
            else:
                builder.complete = False
        else:  # no path map: the router's code says where it goes (resolved by the adapter)
            builder.routers.append((source, path, span, scope))

    def _sequence(self, builder: Builder, call: ast.Call, scope: FunctionScope | None, env: dict[str, Any]) -> None:
        nodes = argument(call, "nodes", 0)
        if not isinstance(nodes, (ast.List, ast.Tuple)):
            builder.complete = False
            return
        previous: str | None = None
        for item in nodes.elts:
            if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                name, action = self.name(item.elts[0], scope, env), item.elts[1]
            else:
                name, action = self.callable_name(item, scope), item
            if name is None:
                builder.complete = False
                return
            builder.nodes.setdefault(name, Node(name, self.facts.span(item), action, scope, None, env))
            if previous is not None:
                builder.links.append(Link(previous, name, self.facts.span(item)))
            previous = name


def _decorated_nodes(builders: Any, module_body: list[ast.stmt]) -> list[Any]:
    """``@builder.add_node`` over a function at the top level of a builder's scope (the module or
    a function) is ``builder.add_node(fn)``: one call per decorator, where it is written."""
    from agentlint.adapters._code.scope import CallSite

    out: list[Any] = []
    scopes = {id(b.scope): b.scope for b in builders}
    for scope in scopes.values():
        for stmt in scope.node.body if scope is not None else module_body:
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for decorator in stmt.decorator_list:
                if isinstance(decorator, ast.Attribute) and decorator.attr == "add_node":
                    name = ast.copy_location(ast.Name(stmt.name, ast.Load()), decorator)
                    out.append(CallSite(ast.copy_location(ast.Call(decorator, [name], []), decorator), None, scope))
    return out


def _written_at(site: Any) -> tuple[int, int]:
    func = site.call.func
    if isinstance(func, ast.Attribute) and func.value.end_lineno is not None:
        return func.value.end_lineno, func.value.end_col_offset or 0
    return site.call.lineno, site.call.col_offset


def _bind(target: ast.AST, item: Any) -> dict[str, Any] | None:
    if isinstance(target, ast.Name):
        return {target.id: item}
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(item, (list, tuple)) and len(item) == len(target.elts):
        out: dict[str, Any] = {}
        for sub, value in zip(target.elts, item):
            inner = _bind(sub, value)
            if inner is None:
                return None
            out.update(inner)
        return out
    return None


def local_function(scope: FunctionScope | None, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """A function defined at the top level of the enclosing function (a nested node)."""
    if scope is None:
        return None
    for stmt in scope.node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
            return stmt
    return None
