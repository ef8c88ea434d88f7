"""Regular expressions taken from user files (JSON Schema ``pattern``, ``patternProperties``).

JSON Schema says they are ECMA-262 regexes. Their syntax is checked with ``regress`` (an
ECMA-262 engine); they are run with RE2 (``google-re2``), whose matching time is linear in the
text, so a hostile pattern such as ``^(a+)+$`` cannot hang a run. A pattern RE2 cannot run
(back-references, look-around, huge repetitions) is unknown: ``search`` returns None and the
caller judges nothing. Both engines are imported on first use.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1024)
def ecma_error(pattern: str) -> str | None:
    """Why ``pattern`` is not an ECMA-262 regex, or None when it is one (with or without the
    ``u`` flag: either reading is accepted)."""
    import regress

    errors: list[str] = []
    for flags in ("", "u"):
        try:
            regress.Regex(pattern, flags)
        except regress.RegressError as error:
            errors.append(str(error))
        else:
            return None
    return errors[0]


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print every pattern it rejects to stderr
    try:
        return re2.compile(pattern, options=options)
    except re2.error:
        return None


# Letters that escape the same thing in ECMA-262 and RE2 (``\\uXXXX`` is rewritten as RE2's
# ``\\x{XXXX}``). Any other escaped letter is a literal in ECMA-262 (``\\A`` is "A") but may be
# an operator in RE2 (``\\A`` anchors): such a pattern is not run with RE2.
_SHARED_ESCAPES = frozenset("dDwWsSbBfnrtvxpP")
_HEX = frozenset("0123456789abcdefABCDEF")


def _for_re2(pattern: str) -> str | None:
    """``pattern`` in RE2's syntax, or None when the two engines would read it differently."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char != "\\" or i + 1 == len(pattern):
            out.append(char)
            i += 1
            continue
        escaped = pattern[i + 1]
        if escaped == "u" and len(pattern) >= i + 6 and set(pattern[i + 2 : i + 6]) <= _HEX:
            out.append("\\x{" + pattern[i + 2 : i + 6] + "}")
            i += 6
            continue
        if escaped == "x" and (len(pattern) < i + 4 or not set(pattern[i + 2 : i + 4]) <= _HEX):
            return None  # ECMA-262 reads a bare \\x as "x"; RE2 reads \\x{…} as a code point
        if escaped.isascii() and escaped.isalpha() and escaped not in _SHARED_ESCAPES:
            return None
        out.append(pattern[i : i + 2])
        i += 2
    return "".join(out)


def search(pattern: str, text: str) -> bool | None:
    """Whether ``pattern`` matches somewhere in ``text``; None when that cannot be checked."""
    translated = _for_re2(pattern) if ecma_error(pattern) is None else None
    if translated is None:
        return None
    compiled = _compiled(translated)
    return None if compiled is None else compiled.search(text) is not None
