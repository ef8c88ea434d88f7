"""JSON / JSONC -> LocatedDoc, with an exact span for every key and value.

Why a hand-written parser: ``json.loads`` gives no positions, and the pure-Python scanner in
``json.scanner`` is recursive (a deeply nested file would hit the recursion limit). This is
one loop over tokens with an explicit stack, so depth is capped by ``Limits.max_depth`` only.

Why a single master regex: each token (with the whitespace before it) costs one C-level
``Pattern.match`` and one dispatch on ``lastindex``, so there is no per-character Python loop.
Strings without a backslash are sliced directly; the rest go through ``json``'s own C
``scanstring``, so escapes (surrogate pairs, lone surrogates) decode exactly like ``json.loads``.

Offsets are Python ``str`` indices, i.e. code points, which is what columns count. Lines are
found by bisecting a list of line-start offsets (``\\n``, ``\\r\\n`` and lone ``\\r``).

Strict JSON takes a faster road (``loaders.json_fast``): ``json.loads`` gives the data and this
scanner runs only when a span is first asked for; everything else (JSONC, errors, duplicate
keys, deep nesting) comes here directly.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from json import JSONDecodeError
from json.decoder import scanstring
from typing import Any

from agentlint.findings import Location, Violation
from agentlint.loaders.base import Comment, Limits, LoadedFile, LocatedDoc, LoadError, Syntax
from agentlint.loaders.json_fast import LazySourceMap, fast_data
from agentlint.model.source import _POSITIONS, NodeRef, Pointer, Pos, SourceMap, Span, pos

# Token groups, in the order of the alternatives of _TOKEN (``m.lastindex`` picks the branch).
# Group 1 is an optional ',' or ':' before the token: a separator never ends a match alone.
_SEP, _STR, _ESTR, _OBJ, _ARR, _CLOSE_OBJ, _CLOSE_ARR = 1, 2, 3, 4, 5, 6, 7
_FLOAT, _INT, _TRUE, _FALSE, _NULL, _SLASH, _EOF, _OTHER = 8, 9, 10, 11, 12, 13, 14, 15
_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:([,:])[ \t\n\r]*)?(?:
      ("[^"\\\x00-\x1f]*")          # 2 string without escapes: sliced, no decoding
    | (")                           # 3 any other string: json's C scanstring decodes it
    | (\{) | (\[) | (\}) | (\])
    # Numbers and literals may not run into a word: "01", "1.", "truex" fall to _OTHER.
    | (-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+))(?![0-9A-Za-z_.+-])
    | (-?(?:0|[1-9][0-9]*))(?![0-9A-Za-z_.+-])
    | (true)(?![0-9A-Za-z_]) | (false)(?![0-9A-Za-z_]) | (null)(?![0-9A-Za-z_])
    | (/)                           # 13 a comment (JSONC) or an error
    | ()\Z                          # 14 end of input
    | ([0-9A-Za-z_.+-]+|[\s\S])     # 15 anything else (another ',' or ':' too): reported
    )""",
    re.VERBOSE,
)
_NEWLINE = re.compile(r"\n")
_LINE_COMMENT = re.compile(r"//[^\r\n]*")
_BLOCK_COMMENT = re.compile(r"/\*[\s\S]*?\*/")

# Parser states: what may come next.
_VALUE, _VALUE_OR_CLOSE, _KEY, _KEY_OR_CLOSE, _AFTER_KEY, _AFTER_VALUE, _END = range(7)
_EXPECTED = {
    _VALUE: "a value",
    _VALUE_OR_CLOSE: "a value or ']'",
    _KEY: "a string key",
    _KEY_OR_CLOSE: "a string key or '}'",
    _AFTER_KEY: "':' after object key",
    _END: "end of file after the top-level value",
}
# A placeholder for a container's span until its closing bracket is seen: inserting it early
# keeps SourceMap.values in document order (parents before children).
_PENDING = Span(Pos(1, 1), Pos(1, 1))


def _describe(text: str, start: int, kind: int, end: int) -> str:
    if kind == _EOF:
        return "end of file"
    if kind in (_STR, _ESTR):
        return "a string"
    token = text[start:end][:30]
    return f"'{token}'" if token.isprintable() else f"U+{ord(token[0]):04X}"


class _Parser:
    """One parse of one text; ``run`` returns the data or raises LoadError."""

    def __init__(self, path: str, text: str, limits: Limits, jsonc: bool) -> None:
        self.path = path
        self.text = text
        self.limits = limits
        self.jsonc = jsonc
        # Make every line break a single "\n" at the same end offset ("\r\n" -> " \n", lone
        # "\r" -> "\n"), so one literal search finds all line starts (much faster than a
        # regex alternation over the whole text).
        plain = text.replace("\r\n", " \n").replace("\r", "\n") if "\r" in text else text
        self.starts = [0]
        self.starts += [m.end() for m in _NEWLINE.finditer(plain)]
        self.source_map = SourceMap()
        self.comments: list[Comment] = []
        self.duplicates: list[Violation] = []

    def pos(self, offset: int) -> Pos:
        line = bisect_right(self.starts, offset)
        return pos(line, offset - self.starts[line - 1] + 1)

    def error(self, offset: int, message: str, code: str = "AL001") -> LoadError:
        pos = self.pos(offset)
        return LoadError(code, message, pos.line, pos.column)

    def run(self) -> Any:  # one flat loop on purpose: speed, and no recursion
        text, jsonc, starts, match = self.text, self.jsonc, self.starts, _TOKEN.match
        values, keys = self.source_map.values, self.source_map.keys
        get_pos, new_span = _POSITIONS.get, tuple.__new__  # interned positions (model.source.pos)
        max_depth = self.limits.max_depth
        # The open container and its bookkeeping live in locals; `stack` saves the parents.
        stack: list[tuple[Any, Pointer, bool, str, Pos]] = []
        cur: Any = None  # dict or list being filled; None at top level
        cur_ptr: Pointer = ()
        is_obj = False
        key = ""
        cur_start = _PENDING.start
        root: Any = None
        state = _VALUE
        i = 0
        while True:
            m = match(text, i)  # never None: the last alternatives match any char or the end
            kind: int = m.lastindex  # type: ignore[union-attr,assignment]
            s, i = m.start(kind), m.end()
            sep = m[_SEP]  # a ',' or ':' before the token, folded in to halve the iterations
            if sep is not None:
                if sep == ",":
                    if state != _AFTER_VALUE:
                        raise self.unexpected(state, is_obj, m.start(_SEP), _SEP, m.start(_SEP) + 1)
                    if is_obj:
                        state = _KEY_OR_CLOSE if jsonc else _KEY
                    else:
                        state = _VALUE_OR_CLOSE if jsonc else _VALUE
                elif state == _AFTER_KEY:
                    state = _VALUE
                else:
                    raise self.unexpected(state, is_obj, m.start(_SEP), _SEP, m.start(_SEP) + 1)
            if kind <= _ESTR:  # a string: a key or a value
                if kind == _STR:
                    value: Any = text[s + 1 : i - 1]
                else:
                    value, i = self.string(s)
                # A JSON string cannot hold a raw line break, so it ends on the line it starts.
                line = bisect_right(starts, s)
                base = starts[line - 1] - 1
                if state == _KEY or state == _KEY_OR_CLOSE:
                    key = value
                    ptr = cur_ptr + (key,)
                    if key in cur:
                        self.duplicate(key, ptr, s, i, cur[key])
                    first = get_pos(line << 32 | s - base) or pos(line, s - base)
                    keys[ptr] = new_span(Span, (first, get_pos(line << 32 | i - base) or pos(line, i - base)))
                    state = _AFTER_KEY
                    continue
            elif kind >= _FLOAT and kind <= _NULL:
                if kind == _INT:
                    try:
                        value = int(text[s:i])
                    except ValueError:  # more digits than int() converts (CVE-2020-10735)
                        raise self.error(s, "invalid JSON: integer has too many digits") from None
                elif kind == _FLOAT:
                    value = float(text[s:i])  # 1e999 -> inf, as json.loads does
                else:
                    value = True if kind == _TRUE else False if kind == _FALSE else None
                line = bisect_right(starts, s)
                base = starts[line - 1] - 1
            elif kind == _OBJ or kind == _ARR:
                if state > _VALUE_OR_CLOSE:
                    raise self.unexpected(state, is_obj, s, kind, i)
                value = {} if kind == _OBJ else []
                if cur is None:
                    root, ptr = value, ()
                elif is_obj:
                    cur[key] = value
                    ptr = cur_ptr + (key,)
                else:
                    ptr = cur_ptr + (len(cur),)
                    cur.append(value)
                values[ptr] = _PENDING
                stack.append((cur, cur_ptr, is_obj, key, cur_start))
                if len(stack) > max_depth:
                    raise self.error(s, f"nesting deeper than {max_depth} levels", "AL004")
                cur, cur_ptr, is_obj, cur_start = value, ptr, kind == _OBJ, self.pos(s)
                state = _KEY_OR_CLOSE if is_obj else _VALUE_OR_CLOSE
                continue
            elif kind == _CLOSE_OBJ or kind == _CLOSE_ARR:
                closes_obj = kind == _CLOSE_OBJ
                if state == _AFTER_VALUE:
                    ok = is_obj == closes_obj
                else:
                    ok = state == (_KEY_OR_CLOSE if closes_obj else _VALUE_OR_CLOSE)
                if not ok:
                    if cur is not None and is_obj == closes_obj and state == (_KEY if is_obj else _VALUE):
                        # Only strict JSON gets here, so no comment can sit between the two.
                        raise self.error(
                            text.rfind(",", 0, s),
                            f"invalid JSON: trailing comma before '{text[s]}' (allowed only in JSONC)",
                        )
                    raise self.unexpected(state, is_obj, s, kind, i)
                values[cur_ptr] = Span(cur_start, self.pos(i))
                cur, cur_ptr, is_obj, key, cur_start = stack.pop()
                state = _END if cur is None else _AFTER_VALUE
                continue
            elif kind == _SLASH:
                i = self.comment(s)
                continue
            elif kind == _EOF:
                if state == _END:
                    return root
                if cur is None and not text.strip(" \t\r\n"):
                    raise LoadError("AL001", "empty file: expected a JSON value", 1, 1)
                raise self.unexpected(state, is_obj, s, kind, i)
            else:
                raise self.unexpected(state, is_obj, s, kind, i)
            # A scalar value (string, number, literal) on one line: `line` and `base` are set.
            if state > _VALUE_OR_CLOSE:
                raise self.unexpected(state, is_obj, s, kind, i)
            if cur is None:
                root, ptr, state = value, (), _END
            elif is_obj:
                cur[key] = value
                ptr, state = cur_ptr + (key,), _AFTER_VALUE
            else:
                ptr, state = cur_ptr + (len(cur),), _AFTER_VALUE
                cur.append(value)
            first = get_pos(line << 32 | s - base) or pos(line, s - base)
            values[ptr] = new_span(Span, (first, get_pos(line << 32 | i - base) or pos(line, i - base)))

    def string(self, start: int) -> tuple[str, int]:
        """Decode a string with escapes (or report why it is not one) like json.loads."""
        try:
            return scanstring(self.text, start + 1, True)
        except JSONDecodeError as exc:
            if exc.msg.startswith("Unterminated"):
                message, at = "unterminated string", start
            elif exc.msg.startswith("Invalid control"):
                message, at = "control character in string (escape it, e.g. \\n or \\t)", exc.pos
            elif exc.msg.startswith("Invalid \\u"):
                message, at = "invalid \\uXXXX escape in string", exc.pos - 1
            else:
                message, at = "invalid escape in string", exc.pos
            raise self.error(at, f"invalid JSON: {message}") from None

    def comment(self, start: int) -> int:
        """Record the comment at ``start`` (JSONC) and return its end, or explain the error."""
        text = self.text
        nxt = text[start + 1 : start + 2]
        if nxt not in ("/", "*"):
            raise self.error(start, "invalid JSON: unexpected '/'")
        if not self.jsonc:
            raise self.error(start, "invalid JSON: comments are not allowed in JSON (is this a JSONC file?)")
        m = (_LINE_COMMENT if nxt == "/" else _BLOCK_COMMENT).match(text, start)
        if m is None:
            raise self.error(start, "invalid JSON: unterminated block comment")
        p = self.pos(start)
        own_line = not text[self.starts[p.line - 1] : start].strip(" \t")
        self.comments.append(Comment(p.line, p.column, m.group(), own_line))
        return m.end()

    def duplicate(self, key: str, ptr: Pointer, start: int, end: int, old: Any) -> None:
        """Last value wins (like json.loads); forget the spans under the overwritten one."""
        if old and isinstance(old, (dict, list)):  # a full scan, but only for a lost container
            n = len(ptr)
            for table in (self.source_map.values, self.source_map.keys):
                for stale in [p for p in table if len(p) > n and p[:n] == ptr]:
                    del table[stale]
        self.duplicates.append(
            Violation(
                code="AL005",
                message=f"duplicate key '{key}': only the last value is used",
                location=Location(self.path, Span(self.pos(start), self.pos(end))),
                ref=NodeRef(self.path, ptr),
                args=(key,),
            )
        )

    def unexpected(self, state: int, is_obj: bool, start: int, kind: int, end: int) -> LoadError:
        found = self.text[start:end]
        if state <= _VALUE_OR_CLOSE and kind == _OTHER:
            if found in ("NaN", "Infinity", "-Infinity"):
                return self.error(start, f"invalid JSON: {found} is not allowed in JSON")
            if found[0] in "-0123456789":
                return self.error(start, f"invalid JSON: malformed number '{found[:30]}'")
        if state == _AFTER_VALUE:
            expected = "',' or '}' after object member" if is_obj else "',' or ']' after array element"
        else:
            expected = _EXPECTED[state]
        hint = ""
        if state in (_KEY, _KEY_OR_CLOSE) and kind in (_FLOAT, _INT, _TRUE, _FALSE, _NULL, _OTHER):
            hint = " (object keys must be double-quoted strings)"
        found = _describe(self.text, start, kind, end)
        return self.error(start, f"invalid JSON: expected {expected}, found {found}{hint}")


def load_json(path: str, text: str, limits: Limits = Limits(), *, jsonc: bool = False, lazy: bool = True) -> LoadedFile:
    """Parse ``text`` (JSON, or JSONC when ``jsonc``) into one located document.

    Never raises: a syntax error (AL001) or excessive nesting (AL004) yields no document and
    one problem; duplicate keys (AL005) keep the document and add a problem each. With
    ``lazy`` (the default), strict JSON is read by ``json.loads`` and located on first use
    (``loaders.json_fast``); ``lazy=False`` always runs the exact scanner first.
    """
    ok, data = fast_data(text, limits) if lazy else (False, None)
    if ok:  # strict JSON, no duplicate key, not too deep: spans on first use (loaders.json_fast)
        lazy = LazySourceMap(lambda: _exact_map(path, text, limits))
        return LoadedFile(path=path, syntax=Syntax.JSON, text=text, docs=[LocatedDoc(path, data, lazy, 0)])
    parser = _Parser(path, text, limits, jsonc)
    try:
        data = parser.run()
    except LoadError as exc:
        return LoadedFile(path=path, syntax=Syntax.JSON, text=text, problems=[exc.violation(path)])
    doc = LocatedDoc(path, data, parser.source_map, 0)
    return LoadedFile(
        path=path,
        syntax=Syntax.JSON,
        text=text,
        docs=[doc],
        comments=parser.comments,
        problems=list(parser.duplicates),
    )


def _exact_map(path: str, text: str, limits: Limits) -> SourceMap:
    """The exact scanner's source map of text that ``json.loads`` read without a problem."""
    parser = _Parser(path, text, limits, False)
    parser.run()
    return parser.source_map
