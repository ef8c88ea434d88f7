"""Variables used by Jinja2 (Prompty, promptfoo's Nunjucks), Handlebars (dotprompt) and Python
f-string (LangChain) templates, as offsets of the tag that uses them (``_mustache.Use``).

Each scanner returns ``(uses, opaque)``. ``opaque`` means the template's use of variables
cannot be seen whole (an ``{% include %}``, a partial, a malformed f-string): callers then do
not compare uses with declarations at all.

Precision first: a name is reported as used only where the template language makes it a
variable of the prompt's input.

- Jinja2: names in ``{{ … }}`` and in ``{% if/elif/for … in/set … = /with/do %}`` expressions;
  not attributes (``item.title``), filters and tests (``| upper``, ``is defined``), called
  names (``range(3)``), keyword arguments, literals, keywords and builtins (``loop``), nor
  names the template binds itself anywhere (``for item in …``, ``set x``, macros, imports).
- Handlebars: ``{{name}}``, helper arguments (``{{#if note}}``, ``{{#each items}}``,
  ``{{json data}}``, ``{{media url=photo}}``); not helper names (``{{role "system"}}``,
  ``{{history}}``), data variables (``@index``, ``@key``), ``this``, literals or comments.
  Inside ``#each``/``#with`` or a custom block a bare name is a field of the current item:
  its use carries ``section`` (``@root.x`` and ``../x`` reaching the root do not).
- f-string: ``{name}``, ``{name.attr}``, ``{name[0]}``, ``{name!r:>10}`` use ``name``;
  ``{{``/``}}`` are literal braces.
"""

from __future__ import annotations

import re

from agentlint.adapters._mustache import Use

# -- Jinja2 -------------------------------------------------------------------------------
_JINJA_CLOSERS = {"{": "}}", "%": "%}", "#": "#}"}  # second character of an opener -> closer
_ENDRAW = re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}")
_TOKEN = re.compile(
    r"""(?P<ws>\s+)|(?P<str>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))|(?P<num>\d[\w.]*)|(?P<name>[A-Za-z_]\w*)"""
    r"""|(?P<op>\*\*|//|==|!=|<=|>=|.)""",
    re.DOTALL,
)
_KEYWORDS = frozenset(
    "and or not in is if else elif true false none True False None recursive with without context ignore missing as "
    "import from".split()
)
_BUILTINS = frozenset("loop range lipsum dict cycler joiner namespace self caller varargs kwargs super".split())
_EXPRESSION_STATEMENTS = frozenset({"if", "elif", "for", "set", "with", "do"})


def _tokens(expression: str) -> list[tuple[str, str]]:
    return [(m.lastgroup or "op", m.group(0)) for m in _TOKEN.finditer(expression) if m.lastgroup != "ws"]


def _names(tokens: list[tuple[str, str]]) -> list[str]:
    """Names an expression reads from its context (see the module docstring)."""
    out = []
    for index, (kind, text) in enumerate(tokens):
        if kind != "name" or text in _KEYWORDS or text in _BUILTINS:
            continue
        before = tokens[index - 1][1] if index else ""
        before2 = tokens[index - 2][1] if index > 1 else ""
        after = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        if before in (".", "|") or before == "is" or (before == "not" and before2 == "is"):
            continue
        if after in ("(", "="):
            continue
        out.append(text)
    return out


def _bound(statement: str, tokens: list[tuple[str, str]]) -> list[str]:
    """Names a statement binds: loop targets, ``set`` / ``with`` targets, macro names and
    parameters, imported names."""
    names = [text for kind, text in tokens if kind == "name"]
    if statement == "for":
        return names[: names.index("in")] if "in" in names else names
    if statement == "set":
        texts = [text for _, text in tokens]
        return [t for t in (texts[: texts.index("=")] if "=" in texts else texts) if t.isidentifier()]
    if statement == "with":
        return [text for i, (kind, text) in enumerate(tokens) if kind == "name" and i + 1 < len(tokens) and tokens[i + 1][1] == "="]
    if statement in ("macro", "call", "import", "from"):
        return names
    return []


class _JinjaTags:
    """The next ``{{ … }}``, ``{% … %}`` or ``{# … #}`` at or after an offset, each closed by
    the first closer after it. Linear over a whole scan: the offsets asked for only grow, a
    closer found is reused until passed, and a kind with no closer left is never looked for
    again (an unclosed ``{{`` repeated 80k times once took minutes with a lazy regex)."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.closes: dict[str, int] = {}  # kind -> offset of the next closer (-1: none left)

    def next(self, at: int) -> tuple[int, int, str, str] | None:
        """(start, end, kind, inner text) of the next tag, or None."""
        template = self.template
        while len(self.closes) < 3 or any(c != -1 for c in self.closes.values()):
            start = template.find("{", at)
            if start == -1:
                return None
            kind = template[start + 1 : start + 2]
            closer = _JINJA_CLOSERS.get(kind)
            close = self.closes.get(kind, -2) if closer else -1
            if closer and -1 != close < start + 2:
                close = self.closes[kind] = template.find(closer, start + 2)
            if close == -1:
                at = start + 1
                continue
            return start, close + 2, kind, template[start + 2 : close]
        return None


def scan_jinja(template: str) -> tuple[list[Use], bool]:
    found: list[tuple[str, int, int]] = []
    bound: set[str] = set()
    opaque = False
    at = 0
    tags = _JinjaTags(template)
    while True:
        tag = tags.next(at)
        if tag is None:
            break
        start, at, kind, inner = tag
        expression = inner if kind == "{" else None
        statement = inner if kind == "%" else None
        if expression is not None:
            found += [(name, start, at) for name in _names(_tokens(expression.strip("-+")))]
            continue
        if statement is None:
            continue  # a comment
        tokens = _tokens(statement.strip("-+"))
        if not tokens:
            continue
        word, rest = tokens[0][1], tokens[1:]
        if word == "raw":
            end = _ENDRAW.search(template, at)
            at = end.end() if end else len(template)
        elif word in ("include", "extends"):
            opaque = True  # the other template renders with this context
        elif word in _EXPRESSION_STATEMENTS or word in ("macro", "call", "import", "from"):
            bound.update(_bound(word, rest))
            if word in _EXPRESSION_STATEMENTS:
                found += [(name, start, at) for name in _names(rest)]
    uses = [Use(name, start, end, None) for name, start, end in found if name not in bound]
    return uses, opaque


# -- Handlebars (dotprompt) --------------------------------------------------------------------
_HB_TOKEN = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[()]|[^\s()=]+=|[^\s()]+""")
_HB_LITERAL = re.compile(r"""["']|-?\d|(?:true|false|null|undefined)\Z""")
_CONDITIONS = frozenset({"if", "unless", "ifEquals", "unlessEquals"})
# dotprompt's helpers that take no argument, so ``{{history}}`` is a helper, not a variable
_ZERO_ARGUMENT_HELPERS = frozenset({"history"})


_UPS = re.compile(r"(?:\.\./)*")


def _hb_root(path: str, contexts: list[str]) -> tuple[str, str | None] | None:
    """(root variable, section) of a path expression, or None when it reads no variable.
    ``contexts`` are the enclosing context changes, innermost last (read, never copied)."""
    if _HB_LITERAL.match(path):
        return None
    depth = len(contexts)
    if path.startswith(("@root.", "@root/")):
        path, depth = path[6:], 0
    elif path.startswith("@"):
        return None
    ups = _UPS.match(path).end()  # type: ignore[union-attr]  # matches the empty string
    if ups:
        path, depth = path[ups:], max(0, depth - ups // 3)
    for prefix in ("this.", "this/", "./"):
        if path.startswith(prefix):
            path = path[len(prefix) :]
    if path in ("", "this", "."):
        return None
    root = re.split(r"[./]", path, maxsplit=1)[0].strip("[]")
    return (root, contexts[depth - 1] if depth else None) if root else None


def _hb_arguments(tokens: list[str]) -> list[str]:
    """The path arguments of a helper call (its name excluded), hash values and
    sub-expression arguments included."""
    out, expect_helper = [], False
    for token in tokens:
        if token == "(":
            expect_helper = True
            continue
        if token == ")" or token.endswith("="):
            continue
        if expect_helper:
            expect_helper = False
            continue
        out.append(token)
    return out


def scan_handlebars(template: str) -> tuple[list[Use], bool]:
    uses: list[Use] = []
    stack: list[tuple[str, int]] = []  # (block name, len(contexts) before it opened)
    contexts: list[str] = []  # the context sections of the open blocks that change it
    open_at: dict[str, list[int]] = {}  # block name -> depths where it is open
    at = 0
    while True:
        start = template.find("{{", at)
        if start == -1:
            break
        if start and template[start - 1] == "\\":  # \{{ is literal text
            at = start + 2
            continue
        if template.startswith("{{!--", start):
            end = template.find("--}}", start)
            at = len(template) if end == -1 else end + 4
            continue
        if template.startswith("{{{{", start):
            return uses, True  # raw blocks: not read
        closer = "}}}" if template.startswith("{{{", start) else "}}"
        end = template.find(closer, start)
        if end == -1:
            break
        at = end + len(closer)
        body = template[start + len(closer) : end].strip().strip("~").strip()
        if not body or body[0] == "!":
            continue
        sigil = body[0] if body[0] in "#/^>&*" else ""
        if sigil in (">", "*") or body.startswith("#>") or body.startswith("#*"):
            return uses, True  # partials and decorators: variables used elsewhere
        words = _HB_TOKEN.findall(body[1:] if sigil else body)
        if " as |" in body:
            words = _HB_TOKEN.findall(body[1 if sigil else 0 : body.index(" as |")])
        if sigil == "/":
            depths = open_at.get(body[1:].strip())
            if depths:
                depth = depths[-1]
                del contexts[stack[depth][1] :]
                while len(stack) > depth:
                    open_at[stack.pop()[0]].pop()
            continue
        if not words:
            continue  # {{^}}: an else
        opened: tuple[str, str | None] | None = None  # pushed once this tag's paths are read
        if words[0] == "else":
            paths = _hb_arguments(words[2:])  # {{else if note}}
        elif sigil in ("#", "^"):
            helper = words[0]
            paths = _hb_arguments(words[1:]) if len(words) > 1 else [helper]
            if helper in _CONDITIONS or sigil == "^":
                context = None
            else:  # each, with, a custom block or a section: the context changes
                root = _hb_root(paths[0], contexts) if paths else None
                context = root[0] if root else helper
            opened = (helper, context)
        elif len(words) == 1:
            paths = [] if words[0] in _ZERO_ARGUMENT_HELPERS else words
        else:
            paths = _hb_arguments(words[1:])
        for path in paths:
            root = _hb_root(path, contexts)
            if root is not None:
                uses.append(Use(root[0], start, at, root[1]))
        if opened is not None:
            open_at.setdefault(opened[0], []).append(len(stack))
            stack.append((opened[0], len(contexts)))
            if opened[1] is not None:
                contexts.append(opened[1])
    return uses, False


# -- Python f-strings (LangChain) --------------------------------------------------------------
_FIELD = re.compile(r"\s*([A-Za-z_]\w*)")


def scan_fstring(template: str) -> tuple[list[Use], bool]:
    uses: list[Use] = []
    at, length = 0, len(template)
    while at < length:
        char = template[at]
        if char == "}":
            if template.startswith("}}", at):
                at += 2
                continue
            return uses, True  # a single '}': str.format raises
        if char != "{":
            at += 1
            continue
        if template.startswith("{{", at):
            at += 2
            continue
        depth, end = 1, at + 1
        while end < length and depth:
            depth += {"{": 1, "}": -1}.get(template[end], 0)
            end += 1
        if depth:
            return uses, True  # unclosed
        field = template[at + 1 : end - 1]
        head = re.split(r"[!:]", field, maxsplit=1)[0]
        name = _FIELD.match(head)
        if name is None:
            return uses, True  # positional or empty fields: LangChain rejects them
        uses.append(Use(name.group(1), at, end, None))
        for nested in re.finditer(r"\{\s*+([A-Za-z_]\w*+)[^{}]*+\}", field[len(head) :]):
            uses.append(Use(nested.group(1), at, end, None))
        at = end
    return uses, False
