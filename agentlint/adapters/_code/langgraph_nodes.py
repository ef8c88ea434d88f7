"""Where a LangGraph node's own code sends control: which function a node or router
expression names, and what that function says (``Command`` gotos, returned names).

A function of this module is read; a function of another module is a symbol linked later
(model.code_link); a runnable value (``ToolNode(…)``, ``prompt | llm``, a compiled subgraph)
routes by its edges only; anything else is unknown (None), which leaves the graph incomplete.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.langgraph_graph import Builder, BuilderReader, Node, local_function
from agentlint.adapters._code.langgraph_routes import COMMAND, NO_ROUTES, Routes, function_routes, router_targets
from agentlint.adapters._code.scope import FunctionScope, ModuleFacts, argument

# Import roots whose functions are not project code (a node made by them routes by its edges).
LIBRARIES = ("langgraph", "langchain", "langchain_core", "langchain_community", "typing", "functools", "operator")


class NodeResolver:
    def __init__(self, facts: ModuleFacts, reader: BuilderReader, text: str) -> None:
        self.facts = facts
        self.reader = reader
        self.text = text
        self._routes: dict[int, Routes] = {}

    def routes_of(self, function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> Routes:
        if "Command" not in self.text:
            return NO_ROUTES  # nothing here can return one
        found = self._routes.get(id(function))
        if found is None:
            found = self._routes[id(function)] = function_routes(function, self.facts)
        return found

    def function(self, expr: ast.AST, scope: FunctionScope | None, depth: int = 0) -> ast.AST | str | None:
        """The function an expression names: a def/lambda here, a symbol of another module
        (str), NO_ROUTES for a runnable value, None when unknown."""
        if isinstance(expr, ast.Lambda):
            return expr
        if isinstance(expr, ast.Name):
            local = local_function(scope, expr.id)
            if local is not None:
                return local
            if expr.id in self.facts.imports:
                symbol = self.facts.imports[expr.id]
                return NO_ROUTES if symbol.split(".", 1)[0] in LIBRARIES else symbol
            if expr.id in self.facts.functions:
                return self.facts.functions[expr.id]
            bound, where = self.reader.binding(expr.id, scope)
            if bound is None:
                return None
            if isinstance(bound, (ast.Lambda, ast.Name, ast.Attribute, ast.Call)) and depth < 8:
                return self.function(bound, where, depth + 1)
            return NO_ROUTES  # a runnable (prompt | llm …): routes by its edges
        if isinstance(expr, ast.Attribute):
            if isinstance(expr.value, ast.Name) and expr.value.id == "self" and scope is not None:
                for cls in self.facts.classes.values():
                    if scope.node in cls.body:
                        return next((s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == expr.attr), None)
                return None
            symbol = self.facts.qualname(expr)
            if symbol is None:
                return None
            return NO_ROUTES if symbol.split(".", 1)[0] in LIBRARIES else symbol
        if isinstance(expr, ast.Call):
            return self.made_by(expr, scope, depth)
        return None

    def made_by(self, call: ast.Call, scope: FunctionScope | None, depth: int) -> ast.AST | str | None:
        """A node made by a call: ``partial(fn, …)`` is fn; a factory of this module that builds
        a Command-routing closure (``make_supervisor_node(llm, members)``) routes where its code
        does not say (unknown); a factory of another module is linked; ToolNode(…), a compiled
        subgraph or a runnable routes by its edges only."""
        callee = self.facts.qualname(call.func)
        if callee in ("functools.partial", "partial") and call.args and depth < 8:
            return self.function(call.args[0], scope, depth + 1)
        if isinstance(call.func, ast.Name):
            factory = local_function(scope, call.func.id) or self.facts.functions.get(call.func.id)
            if factory is not None:
                return None if self.mentions_command(factory) else NO_ROUTES
        root = call.func
        while isinstance(root, ast.Attribute):
            root = root.value
        if callee is not None and isinstance(root, ast.Name) and root.id in self.facts.imports and callee.split(".", 1)[0] not in LIBRARIES:
            return callee  # a factory of another module: its module says whether it makes routing nodes
        return NO_ROUTES

    def mentions_command(self, function: ast.AST) -> bool:
        if "Command" not in self.text:
            return False
        return any(isinstance(n, (ast.Name, ast.Attribute)) and self.facts.qualname(n) in COMMAND for n in ast.walk(function))

    def node_routes(self, node: Node, builder: Builder) -> Routes | str | None:
        if node.call is not None:
            destinations = argument(node.call, "destinations")
            if isinstance(destinations, ast.expr):
                value = self.facts.value(destinations, node.scope)
                items = getattr(value, "value", None)
                if isinstance(items, (dict, list, tuple)) and all(isinstance(i, str) for i in items):
                    return Routes(tuple(items), True, True)
                return None
        if node.action is None:
            return None
        found = self.function(node.action, node.scope)
        if isinstance(found, Routes) or isinstance(found, str) or found is None:
            return found
        if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return self.routes_of(found)
        return NO_ROUTES

    def pending_symbol(self, node: Node) -> str:
        found = self.function(node.action, node.scope) if node.action is not None else None
        return found if isinstance(found, str) else ""

    def router(self, path: ast.expr, scope: FunctionScope | None) -> tuple[str, ...] | None:
        found = self.function(path, scope)
        if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return router_targets(found, self.facts)
        return None
