"""YAML -> LocatedDoc, on ruamel.yaml's C-backed parser events.

Why events and not ``compose``: ruamel's composer is pure Python and recursive, so a deeply
nested file hits the recursion limit, and building Node objects costs more than the parse.
Walking the C parser's event stream with an explicit stack gives exact marks for every node,
a hard depth cap, and an alias-expansion budget (billion-laughs files) in one cheap pass.

Scalars resolve by the YAML 1.2 core schema (ruamel's default): ``yes``/``on`` stay strings,
timestamps stay strings. Mapping keys are always strings (their source text).

libyaml is a YAML 1.1 parser. Two 1.1 habits are corrected: NEL/LS/PS are masked so they are
not line breaks (``_mask_yaml11_breaks``), and a C-parser error inside a flow collection
(``[What?]``, ``[http://x]`` are valid 1.2) is retried with ruamel's pure 1.2 parser.

Comments: libyaml drops them, so they are recovered from the parser's own knowledge of where
scalars, aliases and node properties are: a ``#`` outside all of them that starts a token (line
start, after a blank or a flow indicator, or right after a token) starts a comment. A ``#``
inside a block or quoted scalar is scalar text and never a comment; a block scalar's header
line (``key: | # ...``) is not part of its text.

Modules: ``yaml_builder`` (the event walk), ``yaml_scalars`` (core-schema resolution),
``yaml_comments`` (comments); this one drives the parsers and places their errors.
"""

from __future__ import annotations

import itertools
from typing import Any

from agentlint.findings import Location, Violation
from agentlint.loaders.base import Limits, LoadedFile, LoadError, Syntax
from agentlint.loaders.yaml_builder import MERGE, Builder
from agentlint.loaders.yaml_comments import LINE_BREAK as _LINE_BREAK
from agentlint.loaders.yaml_comments import find_comments
from agentlint.loaders.yaml_scalars import resolve_plain
from agentlint.model.source import NodeRef

__all__ = ["MAX_EXPANDED_NODES", "MERGE", "find_comments", "load_yaml", "resolve_plain"]


# Nodes reached through aliases, per file, whatever its length. Aliases share the anchored
# value and its positions (nothing is copied), but every consumer of the data walks the
# expanded tree; a million nodes is far beyond any real configuration and still a walk of
# seconds. The budget used to grow with the file's length: a 1 MB file could expand to 5
# million nodes and 6 GB.
MAX_EXPANDED_NODES = 1_000_000


def _parse_events(text: str, pure: bool = False) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=pure).parse(text)


def _next_event(text: str, pure: bool) -> tuple[Any, Any]:
    """(a function returning the next parser event or None at the end, a closer).

    The C parser is driven directly: ``YAML().parse`` builds a YAML instance and a loader
    class per call and wraps every event in a generator step with an extra ``check_event``,
    which cost about as much as the parse of a small file. Same ``CParser``, same events."""
    if not pure:
        try:
            from _ruamel_yaml import CParser
        except ImportError:  # no C extension (not CPython): ruamel's pure parser
            CParser = None
        if CParser is not None:
            parser = CParser(text)
            return parser.get_event, parser.dispose
    events = iter(_parse_events(text, pure))
    return (lambda: next(events, None)), getattr(events, "close", lambda: None)


# libyaml (the C parser) implements YAML 1.1, where NEL, LS and PS are line breaks; in YAML
# 1.2 (which this loader resolves by) they are ordinary characters. Left alone, one LS inside
# a prompt shifted the line of every later node by one (agentlint counts only \r\n, \r, \n
# as breaks) and a NEL in a plain or quoted scalar was folded into a space. They are swapped
# for private-use code points absent from the text before parsing (same code-point offsets,
# so columns are unchanged) and swapped back in scalar text.
_YAML11_BREAKS = "\x85\u2028\u2029"


def _mask_yaml11_breaks(text: str) -> tuple[str, dict[int, str] | None]:
    present = [c for c in _YAML11_BREAKS if c in text]
    if not present:
        return text, None
    used = set(text)
    # supplementary private use first, then any other code point YAML allows in a file; a
    # text holding all of them (over a million distinct characters) keeps its breaks as is
    candidates = itertools.chain(range(0xF0000, 0x110000), range(0x10000, 0xF0000), range(0xE000, 0xFFFE))
    free = (chr(c) for c in candidates if chr(c) not in used)
    forward: dict[int, str] = {}
    back: dict[int, str] = {}
    for char in present:
        placeholder = next(free, None)
        if placeholder is None:
            break
        forward[ord(char)] = placeholder
        back[ord(placeholder)] = char
    return text.translate(forward), back or None


def _run(builder: Builder, parse_text: str, limits: Limits, pure: bool) -> tuple[LoadError | None, Exception | None]:
    """Feed one parser's events to ``builder``.

    Returns the located problem that stopped it (None when the stream was read to its end)
    and, when that problem came from ruamel's scanner/parser/reader rather than from the
    builder's own checks (depth, alias budget, unknown alias, merge, complex key), the
    parser's exception.
    """
    from ruamel.yaml import events as ev

    scalar_event, alias_event, end_event = ev.ScalarEvent, ev.AliasEvent, ev.DocumentEndEvent
    mapping_start, sequence_start = ev.MappingStartEvent, ev.SequenceStartEvent
    mapping_end, sequence_end = ev.MappingEndEvent, ev.SequenceEndEvent
    scalar, start, end = builder.scalar, builder.start, builder.end
    index = 0
    close = None
    try:
        next_event, close = _next_event(parse_text, pure)
        while (event := next_event()) is not None:
            kind = type(event)
            if kind is scalar_event:
                scalar(event)
            elif kind is mapping_start:
                start(event, {})
            elif kind is sequence_start:
                start(event, [])
            elif kind is mapping_end or kind is sequence_end:
                end(event)
            elif kind is alias_event:
                builder.alias(event)
            elif kind is end_event:
                builder.finish_document(index)
                index += 1
    except LoadError as exc:
        return exc, None
    except RecursionError:
        return LoadError("AL004", f"nesting deeper than {limits.max_depth} levels"), None
    except Exception as exc:  # ruamel's scanner/parser/reader errors, C or pure
        return _syntax_error(exc, parse_text), exc
    finally:
        if close is not None:
            close()
    return None, None


def load_yaml(path: str, text: str, limits: Limits = Limits()) -> LoadedFile:
    """Parse every document of ``text``; never raises for bad input."""
    result = LoadedFile(path=path, syntax=Syntax.YAML, text=text)
    parse_text, restore = _mask_yaml11_breaks(text)
    builder = Builder(path, limits, MAX_EXPANDED_NODES, text, restore)
    error, parser_exc = _run(builder, parse_text, limits, pure=False)
    if parser_exc is not None and _maybe_yaml11_flow(parser_exc, text):
        # libyaml is a YAML 1.1 scanner: in flow collections it ends a plain scalar at '?' or
        # ':' and so rejects valid YAML 1.2 such as ``[What?, Why?]``, ``[http://x]`` or
        # ``{a:b}`` (AL001 false positives). Only when it fails that way (an error in a flow
        # collection), re-read with ruamel's pure YAML 1.2 parser (also event-driven and
        # iterative, ~5x slower); keep its result unless it too fails to parse, in which case
        # the C parser's message stands.
        retry = Builder(path, limits, MAX_EXPANDED_NODES, text, restore)
        retry_error, retry_exc = _run(retry, parse_text, limits, pure=True)
        if retry_exc is None:
            builder, error = retry, retry_error
    if error is not None:
        result.problems.append(error.violation(path))
    result.docs = builder.docs
    for pointer, span, doc in builder.duplicates:
        message = f"duplicate key '{pointer[-1]}': only the last value is used"
        result.problems.append(
            Violation("AL005", message, Location(path, span), NodeRef(path, pointer, doc), (str(pointer[-1]),))
        )
    if "agentlint" in text:
        result.comments = find_comments(text, builder.scalar_ranges)
    return result


def _maybe_yaml11_flow(exc: Exception, text: str) -> bool:
    """Could this C-parser error be libyaml's YAML 1.1 plain-scalar rule in flow context? Its
    message does not always say so: in ``{0?': null}`` libyaml ends the plain scalar at '?',
    reads ``'`` as the start of a quoted scalar and reports the end of the stream. So any
    error in a text with a flow collection and a '?' or ':' is retried (a broken file only)."""
    said = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
    if "flow" in said or "unexpected ':'" in said:
        return True
    return ("{" in text or "[" in text) and ("?" in text or ":" in text)


def _offset_pos(text: str, offset: int) -> tuple[int, int]:
    """1-based line and code-point column of a code-point ``offset`` into ``text``."""
    before = text[:offset]
    breaks = list(_LINE_BREAK.finditer(before))
    if not breaks:
        return 1, len(before) + 1
    return len(breaks) + 1, len(before) - breaks[-1].end() + 1


def _reader_offset(text: str, exc: Exception) -> int | None:
    """Code-point offset of a reader/encoding error, or None when it cannot be placed.

    libyaml's reader reports ``position`` as a UTF-8 *byte* offset (the C parser is fed the
    text encoded), the pure reader as a code-point offset; ``character`` tells them apart.
    Before, ``position`` was used as a column on line 1, so a control character on line 3
    (or after any non-ASCII text) was reported at the wrong place.
    """
    if isinstance(exc, UnicodeError) and isinstance(getattr(exc, "start", None), int):
        return exc.start  # e.g. a lone surrogate the C parser cannot encode: a str index
    position = getattr(exc, "position", None)
    if not isinstance(position, int):
        return None
    character = getattr(exc, "character", None)
    raw = text.encode("utf-8", "surrogatepass")
    from_bytes = len(raw[:position].decode("utf-8", "replace"))
    if isinstance(character, int):
        for candidate in (from_bytes, position):
            if 0 <= candidate < len(text) and ord(text[candidate]) == character:
                return candidate
    return from_bytes


def _syntax_error(exc: Exception, text: str = "") -> LoadError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}" + (f" ({context})" if context and context != problem else "")
    opened = _unclosed_opener(exc, text)
    if opened is not None:  # libyaml stops where it gave up (often the end of the file): name the '[' or '{'
        line, column, opener = opened
        message = f"invalid YAML: {problem} (the {opener} opened at line {line}, column {column} is still open here)"
        problem_at = getattr(exc, "problem_mark", None)
        at = (problem_at.line + 1, problem_at.column + 1) if problem_at is not None else (line, column)
        return LoadError("AL001", message, *at, related=((line, column, f"{opener} opened here"),))
    if mark is None:
        offset = _reader_offset(text, exc)
        line, column = _offset_pos(text, offset) if offset is not None else (1, 1)
        return LoadError("AL001", message, line, column)
    return LoadError("AL001", message, mark.line + 1, mark.column + 1)


def _unclosed_opener(exc: Exception, text: str) -> tuple[int, int, str] | None:
    """(1-based line, column, "'['" or "'{'") of the flow collection a parser error is inside,
    when its context mark is that opener and the error is reported elsewhere."""
    context, mark, problem_at = getattr(exc, "context", None), getattr(exc, "context_mark", None), getattr(exc, "problem_mark", None)
    if mark is None or not isinstance(context, str) or "flow" not in context:
        return None
    if problem_at is not None and (problem_at.line, problem_at.column) == (mark.line, mark.column):
        return None
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    if not 0 <= mark.line < len(starts):
        return None
    index = starts[mark.line] + mark.column
    char = text[index] if index < len(text) else ""
    if char not in "[{" or not char:
        return None
    return mark.line + 1, mark.column + 1, f"'{char}'"
