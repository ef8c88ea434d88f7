"""Instruction text written in Python (ADK ``instruction=``, AutoGen ``system_message=``) as
located InstructionText, so that secret-in-prompt (AL408) judges it as it judges the YAML and
JSON twins' text.

A string literal whose source between the quotes is its value verbatim (no escapes, no implicit
concatenation) is cut into one piece per source line, each at its exact columns; any other
string the module states is one piece at the literal's span; a value it does not state is no
text at all (never guessed).
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import FunctionScope, ModuleFacts
from agentlint.model.prompts import InstructionText
from agentlint.model.source import NodeRef, Pos, Span
from agentlint.model.tools import Text

_PREFIXES = frozenset("rRuU")


def _source(facts: ModuleFacts, span: Span) -> str | None:
    lines = facts.module.lines
    if not (1 <= span.start.line <= span.end.line <= len(lines)):
        return None
    if span.start.line == span.end.line:
        return lines[span.start.line - 1][span.start.column - 1 : span.end.column - 1]
    first = lines[span.start.line - 1][span.start.column - 1 :]
    middle = lines[span.start.line : span.end.line - 1]
    last = lines[span.end.line - 1][: span.end.column - 1]
    return "\n".join([first.rstrip("\r\n"), *(m.rstrip("\r\n") for m in middle), last])


def _verbatim(facts: ModuleFacts, node: ast.Constant, span: Span, ref: NodeRef) -> tuple[Text, ...] | None:
    source = _source(facts, span)
    if source is None:
        return None
    prefix = 0
    while prefix < len(source) and source[prefix] in _PREFIXES:
        prefix += 1
    body = source[prefix:]
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    if quote not in ('"', "'", '"""', "'''") or not body.endswith(quote) or len(body) < 2 * len(quote):
        return None
    inner = body[len(quote) : len(body) - len(quote)]
    if inner != node.value or ("\\" in inner and prefix == 0):
        return None
    pieces = []
    for index, line in enumerate(inner.split("\n")):
        if not line.strip():
            continue
        number = span.start.line + index
        column = span.start.column + prefix + len(quote) if index == 0 else 1
        pieces.append(Text(line, Span(Pos(number, column), Pos(number, column + len(line))), ref))
    return tuple(pieces)


def instruction_text(facts: ModuleFacts, expr: ast.AST | None, scope: FunctionScope | None, ref: NodeRef,
                     owner: str, setting: str) -> InstructionText | None:
    """The instruction ``expr`` states, located; None when it states none (or an empty one)."""
    if expr is None:
        return None
    value = facts.value(expr, scope)
    if not isinstance(value, Static) or not isinstance(value.value, str) or not value.value.strip():
        return None
    node = expr
    if isinstance(node, ast.Name):  # a constant bound once: located where it is written
        bound = scope.bindings.get(node.id) if scope is not None and node.id in scope.bindings else facts.bindings.get(node.id)
        node = bound if isinstance(bound, ast.Constant) else node
    span = facts.span(node)
    pieces = _verbatim(facts, node, span, ref) if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
    if pieces is None:
        pieces = (Text(value.value, span, ref),)
    return InstructionText(ref, span, (), owner, setting, pieces)
