"""Variables used by a mustache template (also the ``{{#if x}}``/``{{#each xs}}`` helpers of
Handlebars, and Langfuse's plain ``{{name}}``), as positions in the template text.

- ``{{name}}``, ``{{ name }}``, ``{{{name}}}``, ``{{&name}}`` use ``name``; dotted names use
  their first part (``{{user.email}}`` uses ``user``).
- ``{{#name}}`` / ``{{^name}}`` use ``name`` and open a section closed by ``{{/name}}``;
  Handlebars block helpers ``{{#if x}}``, ``{{#unless x}}``, ``{{#each xs}}``, ``{{#with x}}``
  use their argument. Inside a section that changes the context (``#name``, ``#each``,
  ``#with``) a name may be a field of the section's value: such uses carry ``section``.
- Comments ``{{! … }}``, partials ``{{> x}}``, ``{{.}}``, ``{{else}}`` and anything that is not
  a name (a Jinja expression ``{{ x | upper }}``) use nothing.
- A delimiter change ``{{=<% %>=}}`` stops the scan: what follows is not read with ``{{``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_SIGILS = "#^/&!>=<$"
_NAME = re.compile(r"[A-Za-z_][\w-]*(?:\.[\w-]+)*\Z")
_CONDITIONS = frozenset({"if", "unless"})
_CONTEXTS = frozenset({"each", "with"})


@dataclass(frozen=True, slots=True)
class Use:
    name: str
    start: int  # offsets of the whole tag in the template text
    end: int
    section: str | None


def _tags(template: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, sigil, stripped body) of each ``{{ … }}`` / ``{{{ … }}}`` tag: the first
    ``}}`` after the opening closes it, a third ``}`` right after is part of the tag."""
    at = 0
    while True:
        start = template.find("{{", at)
        if start == -1:
            return
        close = template.find("}}", start + 2)
        if close == -1:
            return  # no later tag can be closed either
        end = close + 3 if template.startswith("}", close + 2) else close + 2
        inner = template[start + 2 : close]
        if inner.startswith("{"):
            inner = inner[1:]
        inner = inner.lstrip()
        sigil = inner[0] if inner and inner[0] in _SIGILS else ""
        yield start, end, sigil, inner[len(sigil) :].strip()
        at = end


def scan(template: str) -> list[Use]:
    """Linear in the template: each tag is found with ``str.find`` and sections are a stack
    whose innermost context and open names are kept as they change, never searched."""
    uses: list[Use] = []
    stack: list[tuple[str, str | None]] = []  # (closing name, innermost context at this depth)
    open_at: dict[str, list[int]] = {}  # closing name -> depths where it is open
    for start, end, sigil, body in _tags(template):
        if sigil == "=":
            break
        if sigil in ("!", ">", "<", "$") or body in (".", "else", "this") or body.startswith("else "):
            continue
        context = stack[-1][1] if stack else None
        if sigil == "/":
            depths = open_at.get(body)
            if depths:
                depth = depths[-1]
                while len(stack) > depth:
                    open_at[stack.pop()[0]].pop()
            continue
        words = body.split()
        pushed: tuple[str, str | None] | None = None
        if sigil in ("#", "^") and len(words) == 2 and words[0] in _CONDITIONS | _CONTEXTS:
            helper, argument = words
            if _NAME.match(argument):
                uses.append(Use(_root(argument), start, end, context))
            pushed = (helper, _root(argument) if helper in _CONTEXTS else None)
        elif len(words) != 1 or not _NAME.match(body):
            continue
        else:
            uses.append(Use(_root(body), start, end, context))
            if sigil in ("#", "^"):
                pushed = (body, _root(body) if sigil == "#" else None)
        if pushed is not None:
            open_at.setdefault(pushed[0], []).append(len(stack))
            stack.append((pushed[0], pushed[1] if pushed[1] is not None else context))
    return uses


def _root(name: str) -> str:
    return name.split(".", 1)[0]
