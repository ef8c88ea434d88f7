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
from dataclasses import dataclass

_TAG = re.compile(r"\{\{(\{)?\s*([#^/&!>=<$]?)(.*?)\s*(\})?\}\}", re.DOTALL)
_NAME = re.compile(r"[A-Za-z_][\w-]*(?:\.[\w-]+)*\Z")
_CONDITIONS = frozenset({"if", "unless"})
_CONTEXTS = frozenset({"each", "with"})


@dataclass(frozen=True, slots=True)
class Use:
    name: str
    start: int  # offsets of the whole tag in the template text
    end: int
    section: str | None


def scan(template: str) -> list[Use]:
    uses: list[Use] = []
    stack: list[tuple[str, str | None]] = []  # (closing name, context name or None)
    for match in _TAG.finditer(template):
        sigil, body = match.group(2), match.group(3).strip()
        if sigil == "=":
            break
        if sigil in ("!", ">", "<", "$") or body in (".", "else", "this") or body.startswith("else "):
            continue
        context = next((c for _, c in reversed(stack) if c is not None), None)
        if sigil == "/":
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == body:
                    del stack[depth:]
                    break
            continue
        words = body.split()
        if sigil in ("#", "^") and len(words) == 2 and words[0] in _CONDITIONS | _CONTEXTS:
            helper, argument = words
            if _NAME.match(argument):
                uses.append(Use(_root(argument), match.start(), match.end(), context))
            stack.append((helper, _root(argument) if helper in _CONTEXTS else None))
            continue
        if len(words) != 1 or not _NAME.match(body):
            continue
        uses.append(Use(_root(body), match.start(), match.end(), context))
        if sigil in ("#", "^"):
            stack.append((body, _root(body) if sigil == "#" else None))
    return uses


def _root(name: str) -> str:
    return name.split(".", 1)[0]
