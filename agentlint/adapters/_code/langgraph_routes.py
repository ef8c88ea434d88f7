"""Where a LangGraph node or router function can send control, read from its code.

* A node that returns ``Command(goto=...)`` (a name, a list of names, ``Send("x", …)``) or is
  annotated ``-> Command[Literal["x", "y"]]`` routes to those nodes (the annotation, when
  present, is the declared set and wins).
* A router of ``add_conditional_edges`` without a path map routes to the names of its
  ``-> Literal[...]`` annotation, else to the string literals it returns when every return is
  one (or ``Send``/END), else nowhere we know (``None``: unknown, never guessed).

Only the function's own body is read (nested functions and lambdas are skipped).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import FunctionNode, FunctionScope, ModuleFacts

START = "__start__"
END = "__end__"
_PACKAGES = ("langgraph.graph", "langgraph.graph.state", "langgraph.constants", "langgraph.graph.graph")
START_NAMES = frozenset(f"{p}.START" for p in _PACKAGES)
END_NAMES = frozenset(f"{p}.END" for p in _PACKAGES)
COMMAND = frozenset({"langgraph.types.Command", "langgraph.graph.Command"})
SEND = frozenset({"langgraph.types.Send", "langgraph.constants.Send", "langgraph.graph.Send"})
_LITERAL = frozenset({"typing.Literal", "typing_extensions.Literal"})


@dataclass(frozen=True, slots=True)
class Routes:
    """What a function's code says about where control goes next."""

    targets: tuple[str, ...] = ()  # node names (END as "__end__")
    known: bool = True  # False: it routes somewhere the code does not state statically
    commands: bool = False  # it returns Command (so it routes on its own, with no add_edge)
    where: tuple[ast.AST, ...] = ()  # per target, the expression that names it


NO_ROUTES = Routes()


def node_name(expr: ast.AST, facts: ModuleFacts, scope: FunctionScope | None = None) -> str | None:
    """A node name as code writes it: a string, START/END, or a constant naming one."""
    symbol = facts.qualname(expr)
    if symbol in START_NAMES:
        return START
    if symbol in END_NAMES:
        return END
    value = facts.value(expr, scope)
    return value.value if isinstance(value, Static) and isinstance(value.value, str) else None


def _literal_names(annotation: ast.AST | None, facts: ModuleFacts) -> tuple[str, ...] | None:
    """``Literal["a", "b"]`` (also inside ``X | None`` or ``Optional``) -> ("a", "b")."""
    found = _literal_items(annotation, facts)
    return None if found is None else tuple(name for name, _ in found)


def _literal_items(annotation: ast.AST | None, facts: ModuleFacts) -> list[tuple[str, ast.AST]] | None:
    if annotation is None:
        return None
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:  # a string annotation: "Literal['a', 'b']"
            annotation = ast.parse(annotation.value, mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        left, right = _literal_items(annotation.left, facts), _literal_items(annotation.right, facts)
        return None if left is None and right is None else (left or []) + (right or [])
    if not isinstance(annotation, ast.Subscript):
        return None
    head = facts.qualname(annotation.value)
    if head not in _LITERAL and not (isinstance(annotation.value, ast.Name) and annotation.value.id == "Literal"):
        return None
    inner = annotation.slice
    items = inner.elts if isinstance(inner, ast.Tuple) else [inner]
    names = [(node_name(item, facts), item) for item in items]
    return None if any(n is None for n, _ in names) else [(n, item) for n, item in names if n is not None]


def _command_annotation(annotation: ast.AST | None, facts: ModuleFacts) -> list[tuple[str, ast.AST]] | None:
    """``Command[Literal["a", "b"]]`` -> ("a", "b")."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    if isinstance(annotation, ast.Subscript) and _is_command(annotation.value, facts):
        return _literal_items(annotation.slice, facts)
    return None


def _is_command(expr: ast.AST, facts: ModuleFacts) -> bool:
    return facts.qualname(expr) in COMMAND


def _returns(function: FunctionNode | ast.Lambda) -> Iterator[ast.expr | None]:
    """Every returned expression of the function's own body (None for a bare return)."""
    if isinstance(function, ast.Lambda):
        yield function.body
        return
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            yield node.value
        elif isinstance(node, (ast.Yield, ast.YieldFrom)):
            yield None  # a generator node: what it produces is not a route we can read
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _goto_targets(expr: ast.AST, facts: ModuleFacts, scope: FunctionScope | None) -> tuple[str, ...] | None:
    """A ``goto=`` value: a name, END, ``Send(name, …)``, or a list/tuple of those."""
    if isinstance(expr, (ast.List, ast.Tuple)):
        out: list[str] = []
        for item in expr.elts:
            found = _goto_targets(item, facts, scope)
            if found is None:
                return None
            out.extend(found)
        return tuple(out)
    if isinstance(expr, (ast.ListComp, ast.GeneratorExp)):  # [Send("worker", s) for s in …]
        return _goto_targets(expr.elt, facts, scope)
    if isinstance(expr, ast.Call) and facts.qualname(expr.func) in SEND and expr.args:
        name = node_name(expr.args[0], facts, scope)
        return (name,) if name is not None else None
    name = node_name(expr, facts, scope)
    if name is not None:
        return (name,)
    value = facts.value(expr, scope)
    if isinstance(value, Static) and isinstance(value.value, (list, tuple)):
        if all(isinstance(v, str) for v in value.value):
            return tuple(value.value)
    return None


def _parent_graph(call: ast.Call, facts: ModuleFacts) -> bool:
    """``Command(graph=Command.PARENT, …)`` routes in the parent graph, not this one."""
    return any(k.arg == "graph" and isinstance(k.value, ast.Attribute) and k.value.attr == "PARENT" for k in call.keywords)


def function_routes(function: FunctionNode | ast.Lambda, facts: ModuleFacts) -> Routes:
    """Where a node function routes with ``Command``; NO_ROUTES when it never returns one."""
    scope = facts.scope_of(function) if not isinstance(function, ast.Lambda) else None
    declared = None if isinstance(function, ast.Lambda) else _command_annotation(function.returns, facts)
    targets: dict[str, ast.AST] = {}
    known = True
    commands = declared is not None
    for value in _returns(function):
        if isinstance(value, ast.Call) and _is_command(value.func, facts):
            commands = True
            if _parent_graph(value, facts):
                continue
            goto = next((k.value for k in value.keywords if k.arg == "goto"), None)
            if goto is None:
                if any(k.arg is None for k in value.keywords) or value.args:
                    known = False
                continue  # Command(update=…) only: the static edges decide
            found = _goto_targets(goto, facts, scope)
            if found is None:
                known = False
            else:
                for target in found:
                    targets.setdefault(target, goto)
    if declared is not None:
        return Routes(tuple(n for n, _ in declared), True, True, tuple(node for _, node in declared))
    if not commands:
        return NO_ROUTES
    return Routes(tuple(targets), known, True, tuple(targets.values()))


def router_targets(function: FunctionNode | ast.Lambda, facts: ModuleFacts) -> tuple[str, ...] | None:
    """The names a conditional-edge router can return, or None when the code does not say."""
    if not isinstance(function, ast.Lambda):
        declared = _literal_names(function.returns, facts)
        if declared is not None:
            return declared
    scope = facts.scope_of(function) if not isinstance(function, ast.Lambda) else None
    out: list[str] = []
    for value in _returns(function):
        found = _returned_names(value, facts, scope)
        if found is None:
            return None
        out.extend(found)
    return tuple(dict.fromkeys(out)) or None


def _returned_names(value: ast.AST | None, facts: ModuleFacts, scope: FunctionScope | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, ast.IfExp):
        a, b = _returned_names(value.body, facts, scope), _returned_names(value.orelse, facts, scope)
        return None if a is None or b is None else a + b
    return _goto_targets(value, facts, scope)
