"""The event walk of ``loaders.yaml``: one YAML stream's parser events -> LocatedDocs.

An explicit stack (no recursion, a hard depth cap), an alias-expansion budget, a log of every
node's pointer and spans in creation order (anchors remember slices of it), and the source map
built from that log at the end of each document.

Speed: this runs once per node of every YAML file, so the scalar path is written out flat:
positions are interned (``model.source.pos``) and looked up without a call, spans are built
with ``tuple.__new__``, plain scalars that cannot be numbers skip the resolver's regexes, and
scalar token ranges (only needed to find ``# agentlint:`` comments) are recorded only when
the text mentions agentlint. Mapping keys and short string values are interned: the same
names recur in every file, and entities keep them for the whole run.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from agentlint.loaders.base import Limits, LocatedDoc, LoadError
from agentlint.loaders.source_links import LinkedSourceMap
from agentlint.loaders.yaml_scalars import NOT_A_WORD, NUMERIC_START, WORDS, resolve_plain, tagged
from agentlint.model.source import _POSITIONS, Pointer, Pos, Span, pos

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_new_span = tuple.__new__
_intern = sys.intern
_SHORT = 64  # string values up to this length are interned


class _Merge:
    """Pointer component for a ``<<`` merge key while its mapping is being built."""

    def __repr__(self) -> str:
        return "<<"


MERGE = _Merge()


def _pos(mark: Any) -> Pos:
    return pos(mark.line + 1, mark.column + 1)


_Entry = tuple[Pointer, "Span | None", "Span | None", "Pointer | None"]


class _Frame:
    __slots__ = ("data", "is_map", "pointer", "start", "flow", "key", "key_span", "last_end", "merges", "log_at", "anchor", "size_at")

    def __init__(self, data: Any, pointer: Pointer, start: Pos, flow: bool, log_at: int, anchor: str | None, size_at: int):
        self.data = data
        self.is_map = isinstance(data, dict)
        self.pointer = pointer
        self.start = start
        self.flow = flow
        self.key: Any = None  # pending mapping key (str or MERGE) awaiting its value
        self.key_span: Span | None = None
        self.last_end = start
        self.merges: list[tuple[Any, int, int]] = []  # (merged data, log slice start, end)
        self.log_at = log_at
        self.anchor = anchor
        self.size_at = size_at  # Builder.size when the collection started


class Builder:
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
        # token ranges serve only to find ``# agentlint:`` comments (loaders.yaml_comments)
        self.want_ranges = "agentlint" in text
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
        if not top.is_map:
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
        if span[1] > top.last_end:
            top.last_end = span[1]
        if not top.is_map:
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
                return tagged(event.tag, text)
            if event.style == "" or event.style is None:
                return resolve_plain(text)
        except ValueError:  # int() refuses a decimal integer of more than 4300 digits (CVE-2020-10735)
            start = _pos(event.start_mark)
            raise LoadError("AL001", "invalid YAML: integer has too many digits", start.line, start.column) from None
        return text

    # -- events --------------------------------------------------------------------
    def scalar(self, event: Any) -> None:  # written out flat: it runs once per scalar
        start, end = event.start_mark, event.end_mark
        anchor, tag, style = event.anchor, event.tag, event.style
        if self.want_ranges:
            content = self._skip_properties(start.index, end.index) if anchor or tag else start.index
            if style == "|" or style == ">":
                # A block scalar's text starts on the line after its header; the header line may
                # end in a comment (``key: | # agentlint: ignore[...]``) that used to be taken
                # for scalar text.
                brk = _LINE_BREAK.search(self.text, content, end.index)
                content = brk.end() if brk else end.index
            self.scalar_ranges.append((content, end.index))
        line, column = start.line + 1, start.column + 1
        first = _POSITIONS.get(line << 32 | column) or pos(line, column)
        line, column = end.line + 1, end.column + 1
        span = _new_span(Span, (first, _POSITIONS.get(line << 32 | column) or pos(line, column)))
        text = event.value if self.restore is None else event.value.translate(self.restore)
        stack = self.stack
        top = stack[-1] if stack else None
        # plain style is "" from the C parser, None from the pure one (see load_yaml)
        plain = style == "" or style is None
        if top is not None and top.is_map and top.key is None:
            if plain and text == "<<" and not tag:
                top.key = MERGE
                self.has_merge = True
            else:
                top.key = _intern(text)
            top.key_span = span
            if anchor:
                # An anchor on a key (``&k name: 1``) is as valid as one on a value; it used
                # to be dropped, so a later ``*k`` was reported as an unknown alias.
                at = len(self.log)
                self.anchors[anchor] = (self._scalar_value(event, text), at, at, (), text, 1)
            return
        if tag and tag != "!":
            value: Any = self._scalar_value(event, text)
        elif plain:
            value = WORDS.get(text, NOT_A_WORD)
            if value is NOT_A_WORD:
                if text[0] in NUMERIC_START:
                    value = self._scalar_value(event, text)
                else:
                    value = _intern(text) if len(text) <= _SHORT else text
        else:
            value = _intern(text) if len(text) <= _SHORT else text
        if top is None:
            pointer: Pointer = ()
            key_span = None
        elif top.is_map:
            pointer, key_span = top.pointer + (top.key,), top.key_span
        else:
            pointer, key_span = top.pointer + (len(top.data),), None
        self.size += 1
        log_at = len(self.log)
        self.log.append((pointer, key_span, span, None))
        self._place(value, span, anchor, log_at, pointer, text)

    def alias(self, event: Any) -> None:
        span = _new_span(Span, (_pos(event.start_mark), _pos(event.end_mark)))
        self.scalar_ranges.append((event.start_mark.index, event.end_mark.index))
        if event.anchor not in self.anchors:
            raise LoadError("AL001", f"invalid YAML: unknown alias '*{event.anchor}'", span.line, span.column)
        value, _start, _end, old, text, size = self.anchors[event.anchor]
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.key is None:
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
        if top is not None and top.is_map and top.key is None:
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
        at = _pos(event.start_mark)
        self.log.append((pointer, key_span, _new_span(Span, (at, at)), None))
        flow = bool(getattr(event, "flow_style", False))
        frame = _Frame(data, pointer, at, flow, log_at, event.anchor, self.size - 1)
        frame.key_span = key_span
        self.stack.append(frame)

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        end = _pos(event.end_mark) if frame.flow else frame.last_end
        if isinstance(frame.data, dict) and frame.merges:
            self._apply_merges(frame, event.end_mark)
        pointer, key_span, _, _ = self.log[frame.log_at]
        span = _new_span(Span, (frame.start, max(end, frame.start)))
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


