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
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from typing import Any

from agentlint.loaders.base import Comment, Limits, LoadedFile, LocatedDoc, LoadError, Syntax
from agentlint.findings import Location, Violation
from agentlint.loaders.source_links import LinkedSourceMap
from agentlint.model.source import NodeRef, Pointer, Pos, Span

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_TAG = "tag:yaml.org,2002:"


class _Merge:
    """Pointer component for a ``<<`` merge key while its mapping is being built."""

    def __repr__(self) -> str:
        return "<<"


MERGE = _Merge()


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema resolution of an untagged plain scalar."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


def _tagged(tag: str, value: str) -> Any:
    kind = tag[len(_TAG) :] if tag.startswith(_TAG) else ""
    if kind == "str" or not kind:
        return value
    resolved = resolve_plain(value)
    if kind == "null":
        return None
    if kind == "bool" and isinstance(resolved, bool):
        return resolved
    if kind == "int" and isinstance(resolved, int) and not isinstance(resolved, bool):
        return resolved
    if kind == "float" and isinstance(resolved, (int, float)) and not isinstance(resolved, bool):
        return float(resolved)
    return value


def _pos(mark: Any) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


_Entry = tuple[Pointer, "Span | None", "Span | None", "Pointer | None"]


class _Frame:
    __slots__ = ("data", "pointer", "start", "flow", "key", "key_span", "last_end", "merges", "log_at", "anchor", "size_at")

    def __init__(self, data: Any, pointer: Pointer, start: Pos, flow: bool, log_at: int, anchor: str | None, size_at: int):
        self.data = data
        self.pointer = pointer
        self.start = start
        self.flow = flow
        self.key: Any = None  # pending mapping key (str or MERGE) awaiting its value
        self.key_span: Span | None = None
        self.last_end = start
        self.merges: list[tuple[Any, int, int]] = []  # (merged data, log slice start, end)
        self.log_at = log_at
        self.anchor = anchor
        self.size_at = size_at  # _Builder.size when the collection started


class _Builder:
    """Consumes one YAML stream's events and produces LocatedDocs."""

    def __init__(
        self, path: str, limits: Limits, budget: int, text: str = "", restore: dict[int, str] | None = None
    ) -> None:
        self.path = path
        self.text = text
        self.restore = restore  # placeholder -> NEL/LS/PS, see _mask_yaml11_breaks
        self.limits = limits
        self.budget = budget
        self.docs: list[LocatedDoc] = []
        self.scalar_ranges: list[tuple[int, int]] = []
        self.duplicates: list[tuple[Pointer, Span, int]] = []
        self._reset()

    def _reset(self) -> None:
        self.stack: list[_Frame] = []
        # Log of (pointer, key span, value span, link) in creation order; anchors remember
        # slices. ``link`` is the anchored node's pointer for an alias (its children are found
        # there, see LinkedSourceMap); an entry with no value span is only a link (a member
        # merged from an aliased mapping).
        self.log: list[_Entry] = []
        # anchor -> (value, log slice start, log slice end, pointer, source text of a scalar
        # or None for a collection, expanded size in nodes); the text lets an alias serve as
        # a mapping key.
        self.anchors: dict[str, tuple[Any, int, int, Pointer, str | None, int]] = {}
        self.size = 0  # nodes of the document so far, each alias counted as what it expands to
        self.root: Any = None
        self.have_root = False
        self.has_merge = False  # only then can a pointer hold MERGE (saves a scan per entry)

    # -- placing a finished node into its parent -------------------------------------
    def _child_pointer(self) -> tuple[Pointer, Span | None]:
        if not self.stack:
            return (), None
        top = self.stack[-1]
        if isinstance(top.data, list):
            return top.pointer + (len(top.data),), None
        return top.pointer + (top.key,), top.key_span

    def _place(
        self, value: Any, span: Span, anchor: str | None, log_at: int, pointer: Pointer, text: str | None = None, size: int = 1
    ) -> None:
        if anchor:
            self.anchors[anchor] = (value, log_at, len(self.log), pointer, text, size)
        if not self.stack:
            self.root, self.have_root = value, True
            return
        top = self.stack[-1]
        top.last_end = max(top.last_end, span.end)
        if isinstance(top.data, list):
            top.data.append(value)
        elif top.key is MERGE:
            top.merges.append((value, log_at, len(self.log)))
            top.key = None
        else:
            if top.key in top.data:
                self.duplicates.append((pointer, top.key_span or span, len(self.docs)))
            top.data[top.key] = value
            top.key = None

    def _charge(self, nodes: int, mark: Any) -> None:
        self.budget -= nodes
        if self.budget < 0:
            raise LoadError(
                "AL004",
                "alias expansion too large (possible billion-laughs document): refusing to expand",
                mark.line + 1,
                mark.column + 1,
            )

    def _skip_properties(self, start: int, limit: int) -> int:
        """Record the node properties (``&anchor``, ``!tag``) in ``[start, limit)`` as token
        ranges and return the offset where the node's content begins.

        The parser's marks for a node with properties start at the first property, and the
        content may follow on a later line: ``key: &base  # agentlint: ignore[...]`` then the
        value indented below. Counting the whole range as scalar text hid such comments, so
        only the properties themselves and the content are recorded.
        """
        text, n = self.text, min(limit, len(self.text))
        at = start
        while at < n:
            char = text[at]
            if char in "&!":
                token = at
                stops = " \t\r\n" if char == "!" else " \t\r\n,[]{}"
                while at < n and text[at] not in stops:
                    at += 1
                self.scalar_ranges.append((token, at))
            elif char == "#":
                while at < n and text[at] not in "\r\n":
                    at += 1
            elif char in " \t\r\n":
                at += 1
            else:
                break
        return at

    @staticmethod
    def _scalar_value(event: Any, text: str) -> Any:
        try:
            if event.tag and event.tag != "!":
                return _tagged(event.tag, text)
            if event.style == "" or event.style is None:
                return resolve_plain(text)
        except ValueError:  # int() refuses a decimal integer of more than 4300 digits (CVE-2020-10735)
            start = _pos(event.start_mark)
            raise LoadError("AL001", "invalid YAML: integer has too many digits", start.line, start.column) from None
        return text

    # -- events --------------------------------------------------------------------
    def scalar(self, event: Any) -> None:
        start, end = event.start_mark, event.end_mark
        content = self._skip_properties(start.index, end.index) if event.anchor or event.tag else start.index
        if event.style in ("|", ">"):
            # A block scalar's text starts on the line after its header; the header line may
            # end in a comment (``key: | # agentlint: ignore[...]``) that used to be taken
            # for scalar text.
            brk = _LINE_BREAK.search(self.text, content, end.index)
            content = brk.end() if brk else end.index
        self.scalar_ranges.append((content, end.index))
        span = Span(_pos(start), _pos(end))
        text = event.value if self.restore is None else event.value.translate(self.restore)
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.data, dict) and top.key is None:
            # plain style is "" from the C parser, None from the pure one (see load_yaml)
            if (event.style == "" or event.style is None) and text == "<<" and not event.tag:
                top.key = MERGE
                self.has_merge = True
            else:
                top.key = text
            top.key_span = span
            if event.anchor:
                # An anchor on a key (``&k name: 1``) is as valid as one on a value; it used
                # to be dropped, so a later ``*k`` was reported as an unknown alias.
                at = len(self.log)
                self.anchors[event.anchor] = (self._scalar_value(event, text), at, at, (), text, 1)
            return
        value = self._scalar_value(event, text)
        pointer, key_span = self._child_pointer()
        self.size += 1
        log_at = len(self.log)
        self.log.append((pointer, key_span, span, None))
        self._place(value, span, event.anchor, log_at, pointer, text)

    def alias(self, event: Any) -> None:
        span = Span(_pos(event.start_mark), _pos(event.end_mark))
        self.scalar_ranges.append((event.start_mark.index, event.end_mark.index))
        if event.anchor not in self.anchors:
            raise LoadError("AL001", f"invalid YAML: unknown alias '*{event.anchor}'", span.line, span.column)
        value, _start, _end, old, text, size = self.anchors[event.anchor]
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.data, dict) and top.key is None:
            # ``*k : v`` is valid YAML. Keys are source text, so an alias of a scalar keys the
            # mapping by that scalar's text; an alias of a mapping/list is a complex key.
            if text is None:
                raise LoadError(
                    "AL001",
                    "complex mapping keys (a mapping or list used as a key) are not supported",
                    span.line,
                    span.column,
                )
            top.key, top.key_span = text, span
            return
        # The value is shared, not copied, and so are its positions: one log entry links the
        # alias to the anchored node (was: a copy of every entry under it, with a new pointer
        # tuple each -- 6 GB for a 1 MB file). Only the expanded size is charged.
        self._charge(size, event.start_mark)
        self.size += size
        pointer, key_span = self._child_pointer()
        log_at = len(self.log)
        self.log.append((pointer, key_span, span, old))
        self._place(value, span, None, log_at, pointer)

    def start(self, event: Any, data: Any) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.data, dict) and top.key is None:
            raise LoadError(
                "AL001",
                "complex mapping keys (a mapping or list used as a key) are not supported",
                event.start_mark.line + 1,
                event.start_mark.column + 1,
            )
        if len(self.stack) >= self.limits.max_depth:
            raise LoadError(
                "AL004",
                f"nesting deeper than {self.limits.max_depth} levels",
                event.start_mark.line + 1,
                event.start_mark.column + 1,
            )
        if event.anchor or event.tag:
            self._skip_properties(event.start_mark.index, event.end_mark.index)
        pointer, key_span = self._child_pointer()
        self.size += 1
        log_at = len(self.log)
        self.log.append((pointer, key_span, Span(_pos(event.start_mark), _pos(event.start_mark)), None))
        flow = bool(getattr(event, "flow_style", False))
        frame = _Frame(data, pointer, _pos(event.start_mark), flow, log_at, event.anchor, self.size - 1)
        frame.key_span = key_span
        self.stack.append(frame)

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        end = _pos(event.end_mark) if frame.flow else frame.last_end
        if isinstance(frame.data, dict) and frame.merges:
            self._apply_merges(frame, event.end_mark)
        pointer, key_span, _, _ = self.log[frame.log_at]
        span = Span(frame.start, max(end, frame.start))
        self.log[frame.log_at] = (pointer, key_span, span, None)
        self._place(frame.data, span, frame.anchor, frame.log_at, pointer, size=self.size - frame.size_at)

    def _apply_merges(self, frame: _Frame, mark: Any) -> None:
        """``<<: *base`` / ``<<: [*a, *b]``: keys not set explicitly come from the merged maps."""
        # Each source carries the log slice of its own ``<<`` value: a merged key's entries
        # are looked up only there. Scanning the whole log per merged key (as before) was
        # quadratic -- 3,000 mappings with ``<<: *base`` took minutes. A member merged from an
        # alias is one link entry to the anchored mapping's member (its size was charged at
        # the alias); a member merged from a mapping written in place is a copy of its entries.
        sources: list[tuple[dict[str, Any], Pointer, int, int]] = []
        for value, start, end in frame.merges:
            base_pointer = self.log[start][0]
            if isinstance(value, dict):
                sources.append((value, base_pointer, start, end))
            elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
                sources.extend((v, base_pointer + (i,), start, end) for i, v in enumerate(value))
            else:
                span = self.log[start][2]
                raise LoadError("AL001", "invalid YAML: a merge key '<<' needs a mapping or a list of mappings", span.line, span.column)
        explicit = set(frame.data)
        for value, merged_from, start, end in sources:
            wanted: dict[str, Pointer] = {}
            for key, item in value.items():
                if key in explicit:
                    continue
                explicit.add(key)
                frame.data[key] = item
                wanted[key] = frame.pointer + (key,)
            if not wanted:
                continue
            cut = len(merged_from)
            found: list[_Entry] = []
            for pointer, key_span, value_span, link in self.log[start:end]:
                if len(pointer) > cut and pointer[:cut] == merged_from and pointer[cut] in wanted:
                    found.append((wanted[pointer[cut]] + pointer[cut + 1 :], key_span, value_span, link))
                elif link is not None and pointer == merged_from:
                    found.extend((new, None, None, link + (key,)) for key, new in wanted.items())
            self.log.extend(found)

    def _drop_stale(self, source_map: LinkedSourceMap) -> None:
        """After a duplicate key, forget the children of the value that was replaced.

        Without this, ``a: {x: 1}`` followed by ``a: {y: 2}`` left ``/a/x`` in the source map
        although the data has no such node. An entry is stale when one of its ancestors was
        (re)defined later in the log than the entry itself.
        """
        latest: dict[Pointer, int] = {}
        for i, entry in enumerate(self.log):
            latest[entry[0]] = i
        for i, entry in enumerate(self.log):
            pointer = entry[0]
            # only the pointer's last entry is in the map; an older one was overwritten
            if latest[pointer] == i and any(latest.get(pointer[:cut], -1) > i for cut in range(1, len(pointer))):
                source_map.values.pop(pointer, None)
                source_map.keys.pop(pointer, None)
                source_map.links.pop(pointer, None)

    def finish_document(self, index: int) -> None:
        source_map = LinkedSourceMap()
        values, keys, links = source_map.values, source_map.keys, source_map.links
        redefined = False
        for pointer, key_span, value_span, link in self.log:
            if self.has_merge and any(part is MERGE for part in pointer):
                continue
            redefined = redefined or pointer in values or pointer in links
            if value_span is not None:
                values[pointer] = value_span
                if key_span is not None:
                    keys[pointer] = key_span
            if link is not None:
                links[pointer] = link
            elif links:
                links.pop(pointer, None)  # ``a: *x`` then ``a: {...}``: the later one holds
        if redefined:
            self._drop_stale(source_map)
        root = self.root if self.have_root else None
        self.docs.append(LocatedDoc(self.path, root, source_map, index))
        self._reset()


# Nodes reached through aliases, per file, whatever its length. Aliases share the anchored
# value and its positions (nothing is copied), but every consumer of the data walks the
# expanded tree; a million nodes is far beyond any real configuration and still a walk of
# seconds. The budget used to grow with the file's length: a 1 MB file could expand to 5
# million nodes and 6 GB.
MAX_EXPANDED_NODES = 1_000_000


def _parse_events(text: str, pure: bool = False) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=pure).parse(text)


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


def _run(builder: _Builder, parse_text: str, limits: Limits, pure: bool) -> tuple[LoadError | None, Exception | None]:
    """Feed one parser's events to ``builder``.

    Returns the located problem that stopped it (None when the stream was read to its end)
    and, when that problem came from ruamel's scanner/parser/reader rather than from the
    builder's own checks (depth, alias budget, unknown alias, merge, complex key), the
    parser's exception.
    """
    from ruamel.yaml import events as ev

    index = 0
    try:
        for event in _parse_events(parse_text, pure):
            kind = type(event)
            if kind is ev.ScalarEvent:
                builder.scalar(event)
            elif kind is ev.MappingStartEvent:
                builder.start(event, {})
            elif kind is ev.SequenceStartEvent:
                builder.start(event, [])
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                builder.end(event)
            elif kind is ev.AliasEvent:
                builder.alias(event)
            elif kind is ev.DocumentEndEvent:
                builder.finish_document(index)
                index += 1
    except LoadError as exc:
        return exc, None
    except RecursionError:
        return LoadError("AL004", f"nesting deeper than {limits.max_depth} levels"), None
    except Exception as exc:  # ruamel's scanner/parser/reader errors, C or pure
        return _syntax_error(exc, parse_text), exc
    return None, None


def load_yaml(path: str, text: str, limits: Limits = Limits()) -> LoadedFile:
    """Parse every document of ``text``; never raises for bad input."""
    result = LoadedFile(path=path, syntax=Syntax.YAML, text=text)
    parse_text, restore = _mask_yaml11_breaks(text)
    builder = _Builder(path, limits, MAX_EXPANDED_NODES, text, restore)
    error, parser_exc = _run(builder, parse_text, limits, pure=False)
    if parser_exc is not None and _maybe_yaml11_flow(parser_exc):
        # libyaml is a YAML 1.1 scanner: in flow collections it ends a plain scalar at '?' or
        # ':' and so rejects valid YAML 1.2 such as ``[What?, Why?]``, ``[http://x]`` or
        # ``{a:b}`` (AL001 false positives). Only when it fails that way (an error in a flow
        # collection), re-read with ruamel's pure YAML 1.2 parser (also event-driven and
        # iterative, ~5x slower); keep its result unless it too fails to parse, in which case
        # the C parser's message stands.
        retry = _Builder(path, limits, MAX_EXPANDED_NODES, text, restore)
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


def _maybe_yaml11_flow(exc: Exception) -> bool:
    """Could this C-parser error be libyaml's YAML 1.1 plain-scalar rule in flow context?"""
    said = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
    return "flow" in said or "unexpected ':'" in said


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


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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


def find_comments(text: str, scalar_ranges: list[tuple[int, int]]) -> list[Comment]:
    """Comments on the lines that mention agentlint, located by code-point offsets."""
    ranges = sorted(scalar_ranges)
    starts = [r[0] for r in ranges]
    comments: list[Comment] = []
    line_no, offset = 1, 0
    for match in _LINE_BREAK.finditer(text + "\n"):
        line = text[offset : match.start()]
        if "agentlint" in line and "#" in line:
            comment = _comment_in_line(line, offset, ranges, starts)
            if comment is not None:
                column, body = comment
                own = line[: column - 1].strip() == ""
                comments.append(Comment(line_no, column, body, own))
        line_no += 1
        offset = match.end()
        if offset > len(text):
            break
    return comments


def _comment_in_line(line: str, offset: int, ranges: list[tuple[int, int]], starts: list[int]) -> tuple[int, str] | None:
    """The first comment on ``line``: a ``#`` outside every scalar/alias/property token that
    starts a token of its own (line start, after a blank, after a flow indicator, or right
    where a token ends, as in ``"x"#c`` -- both parsers read that ``#`` as a comment)."""
    at = line.find("#")
    while at != -1:
        absolute = offset + at
        i = bisect.bisect_right(starts, absolute) - 1
        inside = i >= 0 and ranges[i][0] <= absolute < ranges[i][1]
        # ranges are sorted by start and do not nest; a property token may reach into the
        # token after it, so look a few ranges back as well
        if not inside:
            inside = any(s <= absolute < e for s, e in ranges[max(0, i - 64) : i])
        if not inside:
            boundary = at == 0 or line[at - 1] in " \t,[]{}" or (i >= 0 and ranges[i][1] == absolute)
            if boundary:
                return at + 1, line[at:].rstrip()
        at = line.find("#", at + 1)
    return None
