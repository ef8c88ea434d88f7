"""String literals out of a smithery ``commandFunction``: JavaScript source that is tokenised by
regular expressions and NEVER executed.

A ``commandFunction`` is an arrow function returning ``{command, args, env}``. What a linter can
know without running it is what is written literally: the first ``command:``, the elements of
the first ``args: [...]``, the members of the first ``env: {...}`` and ``env.NAME = ...``
assignments. String and template literals keep their text (a template keeps its ``${...}``);
numbers their digits. A computed value (``config.apiKey``, ``...config.args``, ``a ? 'x' : 'y'``)
is kept in its place as the placeholder ``${<expression>}``, so that arguments keep their
positions and rules see a value that is decided at run time, not a literal.

Offsets are into the text given; the caller maps them to file positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
     (?P<ws>\s+)
    |(?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    |(?P<template>`(?:[^`\\]|\\.)*`)
    |(?P<ident>[A-Za-z_$][A-Za-z0-9_$]*)
    |(?P<number>[0-9][A-Za-z0-9_.]*)
    |(?P<punct>=>|\.\.\.|===|!==|==|!=|&&|\|\||\?\?|\?\.|[{}\[\]().,:;=?!<>+\-*/%&|^~])
    |(?P<other>.)
    """,
    re.S | re.X,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|.)", re.S)


@dataclass(frozen=True, slots=True)
class Literal:
    """A value and its ``[start, end)`` offsets (quotes included); ``computed`` when the value
    is the placeholder of an expression."""

    value: str
    start: int
    end: int
    computed: bool = False


@dataclass(frozen=True, slots=True)
class CommandLiterals:
    command: Literal | None
    args: tuple[Literal, ...]
    env: tuple[tuple[Literal, Literal | None], ...]  # (name, value; None for a shorthand member)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int


def _unescape(match: re.Match[str]) -> str:
    body = match.group(1)
    if body.startswith("u{"):
        return chr(int(body[2:-1], 16))
    if body[0] in "ux" and len(body) > 1:
        return chr(int(body[1:], 16))
    if body == "\n":
        return ""
    return _ESCAPES.get(body, body)


def _tokens(source: str) -> list[_Tok]:
    out = []
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(_Tok(kind, match.group(), match.start(), match.end()))
    return out


def _literal(tok: _Tok) -> Literal | None:
    """A string or template literal token as a Literal (templates keep ``${...}`` as written)."""
    if tok.kind == "string":
        return Literal(_ESCAPE.sub(_unescape, tok.text[1:-1]), tok.start, tok.end)
    if tok.kind == "template":
        return Literal(tok.text[1:-1], tok.start, tok.end)
    return None


def _name(tok: _Tok) -> str | None:
    if tok.kind in ("ident", "number"):
        return tok.text
    literal = _literal(tok) if tok.kind == "string" else None
    return literal.value if literal else None


def _properties(toks: list[_Tok], name: str) -> list[int]:
    """Indices of the token after ``name:`` for every object property called ``name``."""
    out = []
    for i in range(len(toks) - 1):
        if _name(toks[i]) == name and toks[i + 1].text == ":" and (i == 0 or toks[i - 1].text in ("{", ",")):
            out.append(i + 2)
    return out


def _value(source: str, toks: list[_Tok], start: int, stop: int) -> Literal | None:
    """The value of the expression ``toks[start:stop]``: a literal, or ``${expression}``."""
    if stop <= start:
        return None
    if stop - start == 1:
        literal = _literal(toks[start])
        if literal is not None:
            return literal
        if toks[start].kind == "number":
            return Literal(toks[start].text, toks[start].start, toks[start].end)
    begin, end = toks[start].start, toks[stop - 1].end
    return Literal("${" + " ".join(source[begin:end].split()) + "}", begin, end, computed=True)


def _expression_end(toks: list[_Tok], start: int) -> int:
    """Index after the expression starting at ``start`` (up to a ``,``/``;`` or a closing
    bracket at its own depth)."""
    depth = 0
    for i in range(start, len(toks)):
        text = toks[i].text
        if text in ("[", "{", "("):
            depth += 1
        elif text in ("]", "}", ")"):
            if depth == 0:
                return i
            depth -= 1
        elif text in (",", ";") and depth == 0:
            return i
    return len(toks)


def _members(toks: list[_Tok], open_at: int) -> list[tuple[int, int]]:
    """``[start, stop)`` token ranges of the comma-separated members of the bracket at ``open_at``."""
    closing = {"[": "]", "{": "}", "(": ")"}
    depth, begin, out = 0, open_at + 1, []
    for i in range(open_at, len(toks)):
        text = toks[i].text
        if text in closing:
            depth += 1
        elif text in ("]", "}", ")"):
            depth -= 1
            if depth == 0:
                if i > begin:
                    out.append((begin, i))
                return out
        elif text == "," and depth == 1:
            out.append((begin, i))
            begin = i + 1
    return out  # unterminated: what was seen


def extract(source: str) -> CommandLiterals:
    toks = _tokens(source)
    command = None
    for at in _properties(toks, "command")[:1]:
        command = _value(source, toks, at, _expression_end(toks, at))
    args: list[Literal] = []
    for at in _properties(toks, "args")[:1]:
        if at < len(toks) and toks[at].text == "[":
            for begin, stop in _members(toks, at):
                value = _value(source, toks, begin, stop)
                if value is not None:
                    args.append(value)
    env: list[tuple[Literal, Literal | None]] = []
    for at in _properties(toks, "env")[:1]:
        if at < len(toks) and toks[at].text == "{":
            env.extend(_object_members(source, toks, at))
    env.extend(_assignments(source, toks))
    return CommandLiterals(command, tuple(args), tuple(env))


def _object_members(source: str, toks: list[_Tok], open_at: int) -> list[tuple[Literal, Literal | None]]:
    out: list[tuple[Literal, Literal | None]] = []
    for begin, stop in _members(toks, open_at):
        key = toks[begin]
        name = _name(key)
        if name is None or key.text == "...":
            continue  # spread or computed key
        name_literal = Literal(name, key.start, key.end)
        if stop - begin == 1:  # shorthand ``{ TOKEN }``: a variable, value unknown
            out.append((name_literal, None))
        elif toks[begin + 1].text == ":":
            out.append((name_literal, _value(source, toks, begin + 2, stop)))
    return out


def _assignments(source: str, toks: list[_Tok]) -> list[tuple[Literal, Literal | None]]:
    """``env.NAME = value`` and ``env['NAME'] = value`` (not ``process.env.NAME``)."""
    out: list[tuple[Literal, Literal | None]] = []
    for i, tok in enumerate(toks):
        if tok.text != "env" or tok.kind != "ident" or (i > 0 and toks[i - 1].text in (".", "?.")):
            continue
        rest = toks[i + 1 : i + 5]
        if len(rest) >= 3 and rest[0].text == "." and rest[1].kind == "ident" and rest[2].text == "=":
            key, value_at = rest[1], i + 4
        elif len(rest) >= 4 and rest[0].text == "[" and rest[1].kind == "string" and rest[2].text == "]" and rest[3].text == "=":
            key, value_at = rest[1], i + 5
        else:
            continue
        name = _name(key)
        if name is None:
            continue
        value = _value(source, toks, value_at, _expression_end(toks, value_at))
        out.append((Literal(name, key.start, key.end), value))
    return out
