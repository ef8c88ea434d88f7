"""The position pass of the TOML loader (agentlint.loaders.toml): where every key path of a
text ``tomllib`` already accepted is (``tomllib`` keeps no positions).

A small pass over the *already validated* text records where every key path is: the key span
(``[a.b]`` header segment, dotted-key segment, quoted key with its quotes) and the value span.
It may assume valid input, so it is one forward scan with a few regexes and no error recovery.

What a table's value span is: TOML has no brackets around a ``[table]``, so a table's span is
the hull of what belongs to it -- its header(s) and every key, value and sub-table under it.
A table that exists only as a prefix (``mcp_servers`` in ``[mcp_servers.github]``, ``a`` in
``a.b = 1``) has its key span at its first mention and the hull of its children as its value.
An explicit ``[a]`` header wins the key span over an earlier implicit mention. Array-of-tables
entries get integer indices (``("servers", 0, "name")``) and their ``[[...]]`` header as start.

Nesting is capped by ``Limits.max_depth`` (AL004). Arrays and inline tables are walked with an
explicit stack: ``tomllib`` itself is recursive, and its RecursionError on a very deep file is
reported as AL004 at the place our pass finds the cap exceeded.

Offsets are ``str`` indices (code points, what columns count). Valid TOML has no lone ``\\r``;
lines break at ``\\n`` and ``\\r\\n``, a lone ``\\r`` (only in an error report) counts as a break
like everywhere else in agentlint.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right

from agentlint.loaders.base import Comment, Limits, LoadError
from agentlint.model.source import Pointer, Pos, SourceMap, Span, pos

_NEWLINE = re.compile(r"\n")
_WS = re.compile(r"[ \t]*")
# Whitespace, line breaks and comments between array elements (and, leniently, in inline tables).
_GAP = re.compile(r"(?:[ \t\r\n]++|#[^\r\n]*+)*+")
_COMMENT = re.compile(r"#[^\r\n]*")
_STATEMENT_END = re.compile(r"[ \t]*(#[^\r\n]*)?(?:\r?\n|\Z)")
_KEY_PART = re.compile(r"""[ \t]*(?:([A-Za-z0-9_-]+)|("(?:[^"\\\r\n]++|\\.)*+")|('[^'\r\n]*'))""")
_DOT = re.compile(r"[ \t]*\.")
_EQUALS = re.compile(r"[ \t]*=[ \t]*")
_CLOSE_TABLE = re.compile(r"[ \t]*\]")
_CLOSE_ARRAY_TABLE = re.compile(r"[ \t]*\]\]")
# Strings: possessive quantifiers keep a broken string from backtracking (input is valid, but
# the RecursionError fallback scans text tomllib did not finish). The multi-line forms may end
# in up to two extra quotes that belong to the content (``"""a"""""`` is ``a""``).
_ML_BASIC = re.compile(r'"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"""(?:"{1,2})?')
_BASIC = re.compile(r'"(?:[^"\\\r\n]++|\\.)*+"')
_ML_LITERAL = re.compile(r"'''(?:[^']++|'(?!''))*+'''(?:'{1,2})?")
_LITERAL = re.compile(r"'[^'\r\n]*'")
# Numbers, booleans, dates and times; a date-time may use a space instead of ``T``.
_SCALAR = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d[0-9:.Zz+-]*|[0-9A-Za-z_+.:-]+")
_INT_DIGITS_LIMIT = 4300  # sys.get_int_max_str_digits() default: tomllib's int() fails above it
_PENDING = Span(Pos(1, 1), Pos(1, 1))  # a hull's placeholder, set at the end (keeps key order)


class _Unexpected(Exception):
    """The pass met text it does not understand (only on input tomllib rejected)."""


class _Table:
    """A table (or an array-of-tables entry) as the pass sees it: children by key."""

    __slots__ = ("ptr", "children", "explicit")

    def __init__(self, ptr: Pointer) -> None:
        self.ptr = ptr
        self.children: dict[str, _Table | _ArrayOfTables | None] = {}  # None: a plain value
        self.explicit = False


class _ArrayOfTables:
    __slots__ = ("ptr", "items")

    def __init__(self, ptr: Pointer) -> None:
        self.ptr = ptr
        self.items: list[_Table] = []


class _Positions:
    """One pass over valid TOML text: fills ``source_map`` and (optionally) ``comments``."""

    def __init__(self, text: str, limits: Limits, with_comments: bool) -> None:
        self.text = text
        self.max_depth = limits.max_depth
        self.with_comments = with_comments
        plain = text.replace("\r\n", " \n").replace("\r", "\n") if "\r" in text else text
        self.starts = [0]
        self.starts += [m.end() for m in _NEWLINE.finditer(plain)]
        self.source_map = SourceMap()
        self.comments: list[Comment] = []
        self.root = _Table(())
        # Containers whose value span is a hull: pointer -> [start, end] (None until known).
        self.hulls: dict[Pointer, list[Pos | None]] = {(): [None, None]}
        self.source_map.values[()] = _PENDING
        self.huge_number: int | None = None  # offset of an integer tomllib cannot convert
        self.statements: list[int] = []  # offset of each header and key/value line read, in order

    # -- positions -----------------------------------------------------------------------

    def pos(self, offset: int) -> Pos:
        line = bisect_right(self.starts, offset)
        return pos(line, offset - self.starts[line - 1] + 1)

    def span(self, start: int, end: int) -> Span:
        starts = self.starts
        line = bisect_right(starts, start)
        base = starts[line - 1] - 1
        if line == len(starts) or end < starts[line]:  # one line (most tokens): one bisect
            return Span(pos(line, start - base), pos(line, end - base))
        return Span(pos(line, start - base), self.pos(end))

    def check_depth(self, ptr: Pointer, offset: int) -> None:
        """A container at ``ptr`` sits inside len(ptr) others (the root is depth 1)."""
        if len(ptr) + 1 > self.max_depth:
            pos = self.pos(offset)
            raise LoadError("AL004", f"nesting deeper than {self.max_depth} levels", pos.line, pos.column)

    def comment(self, start: int, end: int) -> None:
        if self.with_comments:
            pos = self.pos(start)
            own_line = not self.text[self.starts[pos.line - 1] : start].strip(" \t")
            self.comments.append(Comment(pos.line, pos.column, self.text[start:end], own_line))

    def gap(self, i: int) -> int:
        """Skip blanks, line breaks and comments (recording the comments)."""
        m = _GAP.match(self.text, i)
        end = m.end()  # type: ignore[union-attr]
        if self.with_comments and "#" in self.text[i:end]:
            for c in _COMMENT.finditer(self.text, i, end):
                self.comment(c.start(), c.end())
        return end

    # -- the document --------------------------------------------------------------------

    def run(self) -> SourceMap:
        text, n = self.text, len(self.text)
        table = self.root
        i = self.gap(0)
        while i < n:
            self.statements.append(i)
            if text[i] == "[":
                table, i = self.header(i)
            else:
                i = self.key_value(table, i)
            m = _STATEMENT_END.match(text, i)
            if m is None:
                raise _Unexpected(i)
            if m.group(1) is not None:
                self.comment(m.start(1), m.end(1))
            i = self.gap(m.end())
        self.finish()
        return self.source_map

    def header(self, start: int) -> tuple[_Table, int]:
        """``[a.b]`` or ``[[a.b]]``: the table that the following key/values fill."""
        text = self.text
        array = text.startswith("[[", start)
        parts, i = self.key(start + (2 if array else 1))
        m = (_CLOSE_ARRAY_TABLE if array else _CLOSE_TABLE).match(text, i)
        if m is None:
            raise _Unexpected(i)
        end = m.end()
        own = self.span(start, end)
        node = self.descend(self.root, parts[:-1], headers=True)
        name, name_start, name_end = parts[-1]
        ptr = node.ptr + (name,)
        self.check_depth(ptr, name_start)
        child = node.children.get(name)
        if array:
            if child is None:
                child = node.children[name] = _ArrayOfTables(ptr)
                self.source_map.keys[ptr] = self.span(name_start, name_end)
                self.hull(ptr)
            if not isinstance(child, _ArrayOfTables):
                raise _Unexpected(name_start)
            entry = _Table(ptr + (len(child.items),))
            self.check_depth(entry.ptr, name_start)
            child.items.append(entry)
            self.hull(entry.ptr, own)
            return entry, end
        if child is None:
            child = node.children[name] = _Table(ptr)
            self.hull(ptr)
        if not isinstance(child, _Table):
            raise _Unexpected(name_start)
        child.explicit = True
        self.source_map.keys[ptr] = self.span(name_start, name_end)  # the defining header wins
        self.extend(ptr, own)
        return child, end

    def key(self, i: int) -> tuple[list[tuple[str, int, int]], int]:
        """A dotted key: [(name, start, end)] with quoted names decoded; returns the end."""
        text = self.text
        parts: list[tuple[str, int, int]] = []
        while True:
            m = _KEY_PART.match(text, i)
            if m is None:
                raise _Unexpected(i)
            kind = m.lastindex
            s, i = m.start(kind), m.end()  # type: ignore[arg-type]
            raw = m.group(kind)  # type: ignore[arg-type]
            if kind == 1 or kind == 3:
                name = raw if kind == 1 else raw[1:-1]
            elif "\\" in raw:
                name = tomllib.loads("k = " + raw)["k"]  # the spec's escapes, decoded by tomllib
            else:
                name = raw[1:-1]
            parts.append((name, s, i))
            d = _DOT.match(text, i)
            if d is None:
                return parts, i
            i = d.end()

    def descend(self, node: _Table, parts: list[tuple[str, int, int]], headers: bool) -> _Table:
        """Walk (creating implicit tables) to the table named by ``parts``; in a header an
        array of tables stands for its last entry."""
        for name, s, e in parts:
            child = node.children.get(name)
            if child is None:
                ptr = node.ptr + (name,)
                self.check_depth(ptr, s)
                child = node.children[name] = _Table(ptr)
                # In a header only the last name is the table written there: ``mcp_servers``
                # in ``[mcp_servers.github]`` gets no key span, so a suppression comment
                # above the header covers that one server, not every server.
                if not headers:
                    self.source_map.keys[ptr] = self.span(s, e)
                self.hull(ptr)
            elif isinstance(child, _ArrayOfTables) and headers and child.items:
                child = child.items[-1]
            if not isinstance(child, _Table):
                raise _Unexpected(s)
            node = child
        return node

    def key_value(self, table: _Table, start: int) -> int:
        parts, i = self.key(start)
        m = _EQUALS.match(self.text, i)
        if m is None:
            raise _Unexpected(i)
        ptr = self.member(table, parts)
        return self.value(m.end(), ptr)

    def member(self, table: _Table, parts: list[tuple[str, int, int]]) -> Pointer:
        """Declare the value named by a (dotted) key in ``table``; return its pointer."""
        node = self.descend(table, parts[:-1], headers=False)
        name, s, e = parts[-1]
        node.children[name] = None
        ptr = node.ptr + (name,)
        self.source_map.keys[ptr] = self.span(s, e)
        return ptr

    # -- values ----------------------------------------------------------------------------

    def value(self, i: int, ptr: Pointer) -> int:
        """Record the value at ``i`` (and everything inside it) for ``ptr``; return its end.

        Arrays and inline tables use an explicit stack of (pointer, start, table or None)."""
        text, values = self.text, self.source_map.values
        stack: list[tuple[Pointer, int, _Table | None]] = []
        while True:
            c = text[i : i + 1]
            if c == "[" or c == "{":
                self.check_depth(ptr, i)
                values[ptr] = _PENDING
                if c == "[":
                    stack.append((ptr, i, None))
                    i = self.gap(i + 1)
                    if text.startswith("]", i):
                        i = self.close(stack, i)
                    else:
                        ptr = ptr + (0,)
                        continue
                else:
                    table = _Table(ptr)
                    stack.append((ptr, i, table))
                    i = self.gap(i + 1)
                    if text.startswith("}", i):
                        i = self.close(stack, i)
                    else:
                        ptr, i = self.inline_member(table, i)
                        continue
            else:
                if c == '"':
                    m = (_ML_BASIC if text.startswith('"""', i) else _BASIC).match(text, i)
                elif c == "'":
                    m = (_ML_LITERAL if text.startswith("'''", i) else _LITERAL).match(text, i)
                else:
                    m = _SCALAR.match(text, i)
                    if m is not None and self.huge_number is None and m.end() - i > _INT_DIGITS_LIMIT:
                        self.huge_number = i
                if m is None:
                    raise _Unexpected(i)
                values[ptr] = self.span(i, m.end())
                i = m.end()
            # After a value: a separator, or closing brackets (possibly several).
            while stack:
                top_ptr, _, table = stack[-1]
                i = self.gap(i)
                c = text[i : i + 1]
                if c == ",":
                    i = self.gap(i + 1)
                    if text.startswith("}" if table is not None else "]", i):  # trailing comma
                        i = self.close(stack, i)
                        continue
                    if table is None:
                        ptr = top_ptr + (ptr[len(top_ptr)] + 1,)  # type: ignore[operator]
                    else:
                        ptr, i = self.inline_member(table, i)
                    break
                if c == ("}" if table is not None else "]"):
                    i = self.close(stack, i)
                    continue
                raise _Unexpected(i)
            else:
                return i

    def close(self, stack: list[tuple[Pointer, int, _Table | None]], i: int) -> int:
        ptr, start, _ = stack.pop()
        self.source_map.values[ptr] = self.span(start, i + 1)
        return i + 1

    def inline_member(self, table: _Table, i: int) -> tuple[Pointer, int]:
        parts, i = self.key(i)
        m = _EQUALS.match(self.text, i)
        if m is None:
            raise _Unexpected(i)
        return self.member(table, parts), m.end()

    # -- table hulls -------------------------------------------------------------------------

    def hull(self, ptr: Pointer, own: Span | None = None) -> None:
        self.hulls[ptr] = [None, None]
        self.source_map.values[ptr] = _PENDING
        if own is not None:
            self.extend(ptr, own)

    def extend(self, ptr: Pointer, span: Span) -> None:
        box = self.hulls[ptr]
        if box[0] is None or span.start < box[0]:
            box[0] = span.start
        if box[1] is None or span.end > box[1]:  # type: ignore[operator]
            box[1] = span.end

    def finish(self) -> None:
        """Hull spans, innermost first: each node widens its parent's hull (key included)."""
        values, keys, hulls = self.source_map.values, self.source_map.keys, self.hulls
        for ptr in sorted(values, key=len, reverse=True):
            box = hulls.get(ptr)
            if box is not None:
                start, end = box
                values[ptr] = Span(start, end) if start is not None and end is not None else Span.point(1, 1)
            if ptr and ptr[:-1] in hulls:
                value = values[ptr]
                key = keys.get(ptr)
                self.extend(ptr[:-1], Span(min(key.start, value.start), value.end) if key else value)
