"""Python source -> a LocatedModule: the stdlib ``ast`` tree, exact positions, comments.

Code is never imported or executed. The tree comes from ``ast.parse`` (about 1 ms per file);
``ast`` reports columns as UTF-8 byte offsets, which ``LocatedModule.span`` turns into 1-based
code points, so everything outside this module speaks the same positions as the YAML and JSON
loaders. Comments (for ``# agentlint:`` suppressions) come from ``tokenize``, which is slow,
so only files that mention ``agentlint`` at all are tokenized.

Bad input never raises: a syntax error (Python 2 code too) is one AL001 at the parser's
position, nesting the parser cannot handle (``RecursionError``/``MemoryError``) one AL004, a
file whose bytes cannot be decoded with its PEP 263 coding cookie one AL003.
"""

from __future__ import annotations

import ast
import codecs
import re
import warnings
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from agentlint.loaders.base import Comment, Limits, LoadedFile, LoadError, LocatedDoc, Syntax
from agentlint.model.source import Pos, SourceMap, Span, pos

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_BYTE_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def decode_python(raw: bytes) -> str:
    """Source bytes -> text as Python reads them: UTF-8 (BOM dropped) unless a PEP 263 coding
    cookie on line 1 or 2 names another encoding. Raises a located LoadError otherwise."""
    if b"\x00" in raw:
        line, column = _position(raw[: raw.index(b"\x00")].decode("utf-8", "replace"))
        raise LoadError("AL003", "binary file (NUL bytes): Python source cannot contain them", line, column)
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    encoding, cookie = "utf-8", (1, 1)
    for number, line in enumerate(_BYTE_LINE_BREAK.split(raw, 2)[:2], start=1):  # a lone CR ends a line too
        match = _COOKIE.match(line)
        if match:
            encoding = match.group(1).decode("ascii", "replace").lower()
            cookie = (number, match.start(1) + 1)  # the cookie is ASCII: bytes are columns
            break
        if line.strip() and not line.lstrip().startswith(b"#"):
            break  # the cookie must come before any code
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise LoadError("AL003", f"unknown source encoding '{encoding}' in the coding cookie", *cookie) from None
    spelled = encoding[:12].replace("_", "-")  # CPython's tokenizer accepts a BOM with 'utf-8'
    if bom and spelled != "utf-8" and not spelled.startswith("utf-8-"):  # only, not even 'utf8'
        message = f"the file starts with a UTF-8 BOM but its coding cookie says '{encoding}'"
        raise LoadError("AL003", message + " (Python accepts only 'utf-8' with a BOM)", *cookie)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _position(raw[: exc.start].decode(encoding, "replace"))
        raise LoadError(
            "AL003", f"not valid {encoding} (byte 0x{raw[exc.start]:02x}); fix the file or its coding cookie", line, column
        ) from None


def _position(before: str) -> tuple[int, int]:
    """1-based (line, column) just after ``before``, counting ``\\r\\n``, ``\\r`` and ``\\n`` as
    line breaks as the Python tokenizer does."""
    breaks = list(_LINE_BREAK.finditer(before))
    if not breaks:
        return 1, len(before) + 1
    return len(breaks) + 1, len(before) - breaks[-1].end() + 1


@dataclass(slots=True)
class LocatedModule:
    """One parsed module. ``facts`` is a cache slot for the code adapters' shared groundwork
    (imports, constants …), computed once per module whichever adapter asks first."""

    path: str
    tree: ast.Module
    lines: list[str]
    facts: Any = None
    _ascii: list[bool] = field(default_factory=list)
    # per non-ASCII line: byte offset of each non-ASCII character, and the extra bytes (beyond
    # one per character) up to and including it; built once, so that a position costs a
    # bisection, not a re-encoding of its line (quadratic on a long line of many statements)
    _wide: dict[int, tuple[list[int], list[int]]] = field(default_factory=dict)

    def pos(self, line: int, byte_column: int) -> Pos:
        """ast's (1-based line, 0-based UTF-8 byte column) -> 1-based code-point Pos."""
        if 1 <= line <= len(self.lines):
            if not self._ascii:
                self._ascii = [text.isascii() for text in self.lines]
            if not self._ascii[line - 1]:
                starts, extra = self._wide_chars(line - 1)
                before = bisect_left(starts, byte_column)  # non-ASCII characters before the column
                byte_column -= extra[before - 1] if before else 0
        return pos(line, byte_column + 1)

    def _wide_chars(self, index: int) -> tuple[list[int], list[int]]:
        table = self._wide.get(index)
        if table is None:
            starts: list[int] = []
            extra: list[int] = []
            total = 0
            for match in _NON_ASCII.finditer(self.lines[index]):
                starts.append(match.start() + total)
                code = ord(match.group())
                total += 1 if code < 0x800 else 2 if code < 0x10000 else 3
                extra.append(total)
            table = self._wide[index] = (starts, extra)
        return table

    def span(self, node: ast.AST) -> Span:
        start = self.pos(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end_line = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        end_col = getattr(node, "end_col_offset", None)
        end = self.pos(end_line, end_col) if end_col is not None else start
        return Span(start, end)

    def segment(self, node: ast.AST) -> str:
        """The source text of ``node`` (for messages); empty when it spans many lines."""
        span = self.span(node)
        if span.start.line != span.end.line:
            return self.lines[span.start.line - 1][span.start.column - 1 :].strip()
        return self.lines[span.start.line - 1][span.start.column - 1 : span.end.column - 1]


def load_python(path: str, text: str, limits: Limits | None = None) -> LoadedFile:
    """Parse once. The LoadedFile carries the LocatedModule in ``module`` (None on failure)."""
    loaded = LoadedFile(path, Syntax.PYTHON, text)
    try:
        with warnings.catch_warnings():  # the tokenizer's SyntaxWarnings are the user's code's, not ours to print
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path, type_comments=False)
    except SyntaxError as exc:
        loaded.problems.append(_syntax_problem(exc, text).violation(path))
        return loaded
    except (RecursionError, MemoryError):
        loaded.problems.append(
            LoadError("AL004", "expression nested too deeply for the Python parser: split it up").violation(path)
        )
        return loaded
    except ValueError as exc:  # e.g. "source code string cannot contain null bytes"
        loaded.problems.append(LoadError("AL003", f"not Python source: {exc}").violation(path))
        return loaded
    lines = _LINE_BREAK.split(text)
    module = LocatedModule(path, tree, lines)
    loaded.module = module
    if "agentlint" in text:
        loaded.comments = _comments(lines)
        loaded.docs = [LocatedDoc(path, None, _statement_map(module))]
    return loaded


def _syntax_problem(exc: SyntaxError, text: str) -> LoadError:
    message = exc.msg or "invalid syntax"
    line = exc.lineno or 1
    column = exc.offset or 1  # for str source, CPython's offset counts code points
    source = (exc.text or "")[column - 1 : column + 1]
    python_2 = any(sign in message for sign in _PYTHON_2_MESSAGES)
    if python_2 or (message == "invalid syntax" and source.startswith(("<>", "`"))):
        message += " (Python 2 code: agentlint reads Python 3)"
    return LoadError("AL001", f"Python syntax error: {message}", line, column)


# what CPython says about Python 2 constructs: print/exec statements, 'except E, e:', 0777
# octal literals, tuple parameters; '<>' and backquotes are plain "invalid syntax" at the sign
_PYTHON_2_MESSAGES = (
    "Missing parentheses in call to",
    "multiple exception types must be parenthesized",
    "leading zeros in decimal integer literals",
    "Function parameters cannot be parenthesized",
)


def _comments(lines: list[str]) -> list[Comment]:
    import tokenize

    # fed line by line as ast split them: tokenize on the raw text would not break lines at a
    # lone ``\r`` (old Mac line endings), and every comment after one would be misplaced
    readline = iter([line + "\n" for line in lines]).__next__
    out: list[Comment] = []
    try:
        for token in tokenize.generate_tokens(readline):
            if token.type == tokenize.COMMENT:
                line, column = token.start
                own = not token.line[:column].strip()
                out.append(Comment(line, column + 1, token.string, own))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # ast accepted the file; a tokenizer disagreement only costs suppressions after it
    return out


def _statement_map(module: LocatedModule) -> SourceMap:
    """Every statement as a node (pointer = its index in a walk): a suppression directive above
    a statement covers that whole statement, like a YAML directive covers a mapping."""
    smap = SourceMap()
    stack: list[ast.AST] = [module.tree]
    index = 0
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                span = module.span(child)
                decorators = getattr(child, "decorator_list", None)
                if decorators:  # ast starts a decorated def at 'def': a directive goes above the '@'
                    smap.values[(index, 0)] = span  # (or right above the 'def')
                    span = Span(module.pos(decorators[0].lineno, child.col_offset), span.end)  # type: ignore[attr-defined]
                smap.values[(index,)] = span
                index += 1
                stack.append(child)
            elif isinstance(child, (ast.excepthandler, ast.match_case)):
                stack.append(child)
    return smap
