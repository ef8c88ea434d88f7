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


def search(pattern: str, text: str) -> bool | None:
    """Whether ``pattern`` matches somewhere in ``text``; None when that cannot be checked."""
    if ecma_error(pattern) is not None:
        return None
    compiled = _compiled(pattern)
    return None if compiled is None else compiled.search(text) is not None
