"""YAML -> LocatedDoc, on ruamel.yaml's C-backed parser events.

Why events and not ``compose``: ruamel's composer is pure Python and recursive, so a deeply
nested file hits the recursion limit, and building Node objects costs more than the parse.
Walking the C parser's event stream with an explicit stack gives exact marks for every node,
a hard depth cap, and an alias-expansion budget (billion-laughs files) in one cheap pass.

Scalars resolve by the YAML 1.2 core schema (ruamel's default): ``yes``/``on`` stay strings,
timestamps stay strings. Mapping keys are always strings (their source text).

Comments: libyaml drops them, so they are recovered from the parser's own knowledge of where
scalars are: a ``#`` outside every scalar's source range, at the start of a line or after
whitespace, starts a comment. A ``#`` inside a block scalar is scalar text and never a comment.
"""

from __future__ import annotations

import bisect
import math
import re
from typing import Any

from agentlint.loaders.base import Comment, Limits, LoadedFile, LocatedDoc, LoadError, Syntax
from agentlint.findings import Location, Violation
from agentlint.model.source import NodeRef, Pointer, Pos, SourceMap, Span

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


class _Frame:
    __slots__ = ("data", "pointer", "start", "flow", "key", "key_span", "last_end", "merges", "log_at", "anchor")

    def __init__(self, data: Any, pointer: Pointer, start: Pos, flow: bool, log_at: int, anchor: str | None):
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


class _Builder:
    """Consumes one YAML stream's events and produces LocatedDocs."""

    def __init__(self, path: str, limits: Limits, budget: int) -> None:
        self.path = path
        self.limits = limits
        self.budget = budget
        self.docs: list[LocatedDoc] = []
        self.scalar_ranges: list[tuple[int, int]] = []
        self.duplicates: list[tuple[Pointer, Span, int]] = []
        self._reset()

    def _reset(self) -> None:
        self.stack: list[_Frame] = []
        # Log of (pointer, key span, value span) in creation order; anchors remember slices.
        self.log: list[tuple[Pointer, Span | None, Span]] = []
        self.anchors: dict[str, tuple[Any, int, int, Pointer]] = {}
        self.root: Any = None
        self.have_root = False

    # -- placing a finished node into its parent -------------------------------------
    def _child_pointer(self) -> tuple[Pointer, Span | None]:
        if not self.stack:
            return (), None
        top = self.stack[-1]
        if isinstance(top.data, list):
            return top.pointer + (len(top.data),), None
        return top.pointer + (top.key,), top.key_span

    def _place(self, value: Any, span: Span, anchor: str | None, log_at: int, pointer: Pointer) -> None:
        if anchor:
            self.anchors[anchor] = (value, log_at, len(self.log), pointer)
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

    def _copy_log(self, start: int, end: int, old: Pointer, new: Pointer, mark: Any) -> None:
        self._charge(end - start, mark)
        cut = len(old)
        for pointer, key_span, value_span in self.log[start:end]:
            if pointer[:cut] == old and pointer != old:
                self.log.append((new + pointer[cut:], key_span, value_span))

    # -- events --------------------------------------------------------------------
    def scalar(self, event: Any) -> None:
        start, end = event.start_mark, event.end_mark
        self.scalar_ranges.append((start.index, end.index))
        span = Span(_pos(start), _pos(end))
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.data, dict) and top.key is None:
            if event.style == "" and event.value == "<<" and not event.tag:
                top.key = MERGE
            else:
                top.key = event.value
            top.key_span = span
            return
        if event.tag and event.tag != "!":
            value = _tagged(event.tag, event.value)
        elif event.style == "" or event.style is None:
            value = resolve_plain(event.value)
        else:
            value = event.value
        pointer, key_span = self._child_pointer()
        self._charge(1, start)
        log_at = len(self.log)
        self.log.append((pointer, key_span, span))
        self._place(value, span, event.anchor, log_at, pointer)

    def alias(self, event: Any) -> None:
        span = Span(_pos(event.start_mark), _pos(event.end_mark))
        if event.anchor not in self.anchors:
            raise LoadError("AL001", f"invalid YAML: unknown alias '*{event.anchor}'", span.line, span.column)
        value, start, end, old = self.anchors[event.anchor]
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.data, dict) and top.key is None:
            raise LoadError("AL001", "invalid YAML: an alias cannot be a mapping key here", span.line, span.column)
        pointer, key_span = self._child_pointer()
        log_at = len(self.log)
        self.log.append((pointer, key_span, span))
        if top is not None and isinstance(top.data, dict) and top.key is MERGE:
            self._copy_log(start, end, old, pointer, event.start_mark)
        else:
            self._copy_log(start, end, old, pointer, event.start_mark)
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
        pointer, key_span = self._child_pointer()
        self._charge(1, event.start_mark)
        log_at = len(self.log)
        self.log.append((pointer, key_span, Span(_pos(event.start_mark), _pos(event.start_mark))))
        flow = bool(getattr(event, "flow_style", False))
        frame = _Frame(data, pointer, _pos(event.start_mark), flow, log_at, event.anchor)
        frame.key_span = key_span
        self.stack.append(frame)

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        end = _pos(event.end_mark) if frame.flow else frame.last_end
        if isinstance(frame.data, dict) and frame.merges:
            self._apply_merges(frame, event.end_mark)
        pointer, key_span, _ = self.log[frame.log_at]
        span = Span(frame.start, max(end, frame.start))
        self.log[frame.log_at] = (pointer, key_span, span)
        self._place(frame.data, span, frame.anchor, frame.log_at, pointer)

    def _apply_merges(self, frame: _Frame, mark: Any) -> None:
        """``<<: *base`` / ``<<: [*a, *b]``: keys not set explicitly come from the merged maps."""
        sources: list[tuple[dict[str, Any], Pointer]] = []
        for value, start, _end in frame.merges:
            base_pointer = self.log[start][0]
            if isinstance(value, dict):
                sources.append((value, base_pointer))
            elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
                sources.extend((v, base_pointer + (i,)) for i, v in enumerate(value))
            else:
                span = self.log[start][2]
                raise LoadError("AL001", "invalid YAML: a merge key '<<' needs a mapping or a list of mappings", span.line, span.column)
        explicit = set(frame.data)
        for value, merged_from in sources:
            for key, item in value.items():
                if key in explicit:
                    continue
                explicit.add(key)
                frame.data[key] = item
                old = merged_from + (key,)
                new = frame.pointer + (key,)
                self._charge(1, mark)
                for pointer, key_span, value_span in list(self.log):
                    if pointer[: len(old)] == old:
                        self.log.append((new + pointer[len(old) :], key_span, value_span))

    def finish_document(self, index: int) -> None:
        source_map = SourceMap()
        values, keys = source_map.values, source_map.keys
        for pointer, key_span, value_span in self.log:
            if any(part is MERGE for part in pointer):
                continue
            values[pointer] = value_span
            if key_span is not None:
                keys[pointer] = key_span
        root = self.root if self.have_root else None
        self.docs.append(LocatedDoc(self.path, root, source_map, index))
        self._reset()


def _node_budget(text: str, limits: Limits) -> int:
    # Every node written in the file needs at least two characters; aliases may expand that
    # by a bounded factor. Normal files never come close.
    return max(limits.max_nodes_floor, (len(text) // 2 + 1) * limits.max_alias_expansion)


def _parse_events(text: str) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False).parse(text)


def load_yaml(path: str, text: str, limits: Limits = Limits()) -> LoadedFile:
    """Parse every document of ``text``; never raises for bad input."""
    from ruamel.yaml import events as ev

    result = LoadedFile(path=path, syntax=Syntax.YAML, text=text)
    builder = _Builder(path, limits, _node_budget(text, limits))
    index = 0
    try:
        for event in _parse_events(text):
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
        result.problems.append(exc.violation(path))
    except RecursionError:
        result.problems.append(LoadError("AL004", f"nesting deeper than {limits.max_depth} levels").violation(path))
    except Exception as exc:  # ruamel's scanner/parser/reader errors, C or pure
        result.problems.append(_syntax_error(exc).violation(path))
    result.docs = builder.docs
    for pointer, span, doc in builder.duplicates:
        message = f"duplicate key '{pointer[-1]}': only the last value is used"
        result.problems.append(
            Violation("AL005", message, Location(path, span), NodeRef(path, pointer, doc), (str(pointer[-1]),))
        )
    if "agentlint" in text:
        result.comments = find_comments(text, builder.scalar_ranges)
    return result


def _syntax_error(exc: Exception) -> LoadError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}" + (f" ({context})" if context and context != problem else "")
    if mark is None:
        position = getattr(exc, "position", None)
        return LoadError("AL001", message, 1, (position or 0) + 1)
    return LoadError("AL001", message, mark.line + 1, mark.column + 1)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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
    at = line.find("#")
    while at != -1:
        absolute = offset + at
        if at == 0 or line[at - 1] in " \t":
            i = bisect.bisect_right(starts, absolute) - 1
            inside = i >= 0 and ranges[i][0] <= absolute < ranges[i][1]
            # ranges are sorted by start; a long block scalar may start earlier than ranges[i]
            if not inside:
                inside = any(s <= absolute < e for s, e in ranges[max(0, i - 64) : i])
            if not inside:
                return at + 1, line[at:].rstrip()
        at = line.find("#", at + 1)
    return None
