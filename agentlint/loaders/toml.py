"""TOML -> LocatedDoc: the data exactly as ``tomllib`` returns it, positions from our own pass.

Why two passes: ``tomllib`` (the standard library's TOML 1.0 parser) decides what is valid and
what the data is, with its own error messages and coordinates, but keeps no positions. A second,
small pass over the *already validated* text records where every key path is: the key span
(``[a.b]`` header segment, dotted-key segment, quoted key with its quotes) and the value span.
It may assume valid input, so it is one forward scan with a few regexes and no error recovery.

The position pass lives in agentlint.loaders.toml_positions; this module runs ``tomllib``, places
its errors (AL001 at tomllib's line and column, moved to the key for a redefinition; AL004 for
nesting too deep) and pairs the data with the positions.
"""

from __future__ import annotations

import re
import tomllib

from agentlint.loaders.base import Limits, LoadedFile, LocatedDoc, LoadError, Syntax
from agentlint.loaders.toml_positions import _KEY_PART, _PENDING, _Positions, _Unexpected
from agentlint.model.source import SourceMap

_ERROR_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _error_position(text: str, message: str) -> tuple[str, int]:
    """tomllib's "... (at line L, column C)" -> (message without it, code-point offset)."""
    m = _ERROR_AT.search(message)
    if m is None:
        return message, 0
    if m.group(1) is None:
        return message[: m.start()], len(text)
    line, column = int(m.group(1)), int(m.group(2))
    start = 0
    for _ in range(line - 1):  # tomllib counts "\n" only
        start = text.index("\n", start) + 1
    return message[: m.start()], start + column - 1


def _problem(path: str, text: str, exc: LoadError) -> LoadedFile:
    return LoadedFile(path=path, syntax=Syntax.TOML, text=text, problems=[exc.violation(path)])


def _at(positions: _Positions, offset: int, code: str, message: str) -> LoadError:
    pos = positions.pos(min(max(offset, 0), len(positions.text)))
    return LoadError(code, message, pos.line, pos.column)


def load_toml(path: str, text: str, limits: Limits = Limits()) -> LoadedFile:
    """Parse ``text`` into one located document.

    Never raises: a syntax error (AL001, at tomllib's line and column) or excessive nesting
    (AL004) yields no document and one problem.
    """
    positions = _Positions(text, limits, with_comments="agentlint" in text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, offset = _error_position(text, str(exc))
        message = message[:1].lower() + message[1:]
        if message.startswith(_REDEFINED):  # tomllib places these after the value: at the key instead
            offset = _statement_key(positions, offset)
        elif message.startswith("duplicate inline table key"):
            offset = _inline_key(text, offset, message)
        return _problem(path, text, _at(positions, offset, "AL001", f"invalid TOML: {message}"))
    except RecursionError:
        return _problem(path, text, _deep(positions))
    except ValueError:  # int() refused a decimal integer of more than 4300 digits
        _scan_quietly(positions)
        at = positions.huge_number or 0
        return _problem(path, text, _at(positions, at, "AL001", "invalid TOML: integer has too many digits"))
    try:
        source_map = positions.run()
    except LoadError as exc:
        return _problem(path, text, exc)
    except (_Unexpected, ValueError, IndexError, KeyError, TypeError):
        source_map = _partial(positions)
    doc = LocatedDoc(path, data, source_map, 0)
    return LoadedFile(path=path, syntax=Syntax.TOML, text=text, docs=[doc], comments=positions.comments)


# tomllib's messages for a key or table defined twice, raised after the whole statement is read.
_REDEFINED = ("cannot overwrite a value", "cannot declare", "cannot mutate immutable namespace")


def _statement_key(positions: _Positions, offset: int) -> int:
    """Where the key of the statement that ends at ``offset`` starts: the last header or
    key/value line our pass reached at or before it (the header's name for ``[a]``)."""
    _scan_quietly(positions)
    before = [start for start in positions.statements if start <= offset]
    if not before:
        return offset
    start = before[-1]
    text = positions.text
    if text.startswith("[", start):
        name = _KEY_PART.match(text, start + (2 if text.startswith("[[", start) else 1))
        return name.start(name.lastindex or 0) if name is not None else start
    return start


_INLINE_KEY = re.compile(r"duplicate inline table key '([A-Za-z0-9_-]+)'")


def _inline_key(text: str, offset: int, message: str) -> int:
    """The second ``a`` of ``{a = 1, a = 2}`` (a bare key: the last ``a =`` before the value's
    end), else tomllib's offset (after the value)."""
    m = _INLINE_KEY.match(message)
    if m is None:
        return offset
    key = re.compile(r"[{,][ \t]*(" + re.escape(m.group(1)) + r")[ \t]*=")
    found = None
    for found in key.finditer(text, max(0, text.rfind("\n", 0, offset) + 1), offset):
        pass
    return found.start(1) if found is not None else offset


def _partial(positions: _Positions) -> SourceMap:
    """A gap in this pass on text tomllib accepted (a bug, none known): keep the data and the
    positions found so far; lookups of the rest fall back to the nearest located ancestor."""
    values = positions.source_map.values
    for ptr in [p for p, s in values.items() if s is _PENDING and p not in positions.hulls]:
        del values[ptr]  # an array or inline table whose end was not reached
    positions.finish()
    return positions.source_map


def _scan_quietly(positions: _Positions) -> LoadError | None:
    """Run the pass over text tomllib rejected (up to where it stopped): the AL004 it meets."""
    try:
        positions.run()
    except LoadError as exc:
        return exc
    except Exception:  # the text is invalid further on: nothing more to learn
        return None
    return None


def _deep(positions: _Positions) -> LoadError:
    """tomllib ran out of stack: our pass (no recursion) finds where the depth cap is passed."""
    found = _scan_quietly(positions)
    if found is not None and found.code == "AL004":
        return found
    return LoadError("AL004", "nesting too deep for the TOML parser")
