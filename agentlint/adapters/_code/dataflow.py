"""A small, local, intraprocedural data flow per function (issue 10, point 1).

Only functions (and module bodies) that contain a sink (``dataflow_sinks.py``) are analysed.
Each one is read once, statement by statement, with an environment name -> the sources its
value may carry (``FlowSource``, ``model/flows.py``); names that carry nothing are absent.

- Assignment replaces a name's sources; ``x += v``, ``x.append(v)``/``extend``/``update``/
  ``insert`` and ``x[k] = v`` add to them. ``if``/``match`` branches start from copies and
  merge; loop bodies run once and merge with the state before the loop (they may not run).
  A join costs the names the branches wrote, and a name keeps one source per origin, so a
  function of thousands of statements is read in linear time.
- An expression carries the union of its parts' sources: f-strings, ``%``, ``+``,
  ``.format``/``.join``, containers, ``json.dumps``, ``str``, conditional expressions,
  comprehensions, attribute and subscript access. Slicing (truncation) keeps the sources,
  except a credential cut to at most 8 characters (``key[:4]``), which is how keys are shown.
- Sanitizers end a flow: ``hashlib.*``, calls whose name masks/redacts/scrubs/anonymizes/
  hashes/sanitizes/encrypts (Presidio's ``anonymize`` too), ``len()``, token counts,
  comparisons, ``bool``/``int``. Metadata attributes (``.id``, ``.model``, ``.usage``,
  ``*_tokens``, ``*_id``, ``.role``) carry nothing. Other calls return nothing known: an
  unknown function's result is clean (its name may still say what it is, below).
- Sources: LLM calls and agent runs (what they return, ``dataflow_names.is_llm_call``);
  ``os.environ[...]``/``os.getenv(...)``/``os.environ.get(...)`` of a credential variable;
  Flask's ``request.json/form/args/data/values/get_json()`` and ``request.json()``/
  ``.body()``/``.form()`` on a request object; parameters of web handlers (FastAPI/Flask route
  decorators in server modules) but ``Depends``/``Security`` ones, ``Request`` and numbers;
  and names that say so (``dataflow_names.kind_of_name``): parameters, attributes, subscript
  keys and ``.get("key")``, and local variables bound to a value that is not a literal
  (``prompt = build_prompt(q)``: a prompt; ``prompt = "Say hi"``: not).

Everything is iterative or bounded: expressions deeper than ``_MAX_DEPTH`` carry nothing
more (a miss, never a crash), statements nest at most as deep as Python allows (100).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from agentlint.adapters._code.dataflow_names import (
    PRESERVING_FUNCTIONS,
    PRESERVING_METHODS,
    is_llm_call,
    is_metadata,
    is_sanitizer,
    is_secret_env,
    kind_of_name,
)
from agentlint.adapters._code.dataflow_sinks import Sink, dotted, is_log_file_open
from agentlint.adapters._code.dataflow_values import is_dependency, opaque, short_cut, through
from agentlint.adapters._code.scope import ModuleFacts
from agentlint.model.flows import FlowSource, SourceKind

Sources = frozenset[FlowSource]
EMPTY: Sources = frozenset()
_MAX_DEPTH = 60
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")
_MUTATORS = frozenset({"append", "extend", "insert", "update", "add", "appendleft", "setdefault", "add_message", "add_messages"})
_CLEAN_ANNOTATIONS = frozenset({"int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "Request", "Response", "BackgroundTasks", "WebSocket", "Session", "AsyncSession", "HTTPConnection"})
_REQUEST_ATTRS = frozenset({"json", "form", "args", "data", "values", "files", "get_json", "get_data"})
_REQUEST_CALLS = frozenset({"json", "body", "form", "get_json", "get_data"})
_INPUT_KEYWORDS = frozenset({"messages", "input", "prompt", "contents", "inputs"})
_INPUT_FIRST = frozenset({"invoke", "ainvoke", "stream", "astream", "run", "arun", "kickoff", "send_message", "send_message_async", "generate_content", "generate_content_async"})
_CONFIG_WORDS = frozenset({"config", "settings", "cfg", "conf", "constants", "prompts", "templates", "defaults", "options", "env"})


class FunctionFlow:
    """The walk of one function or module body; ``found`` is (sink call, sink, sources, the
    first argument that carries one)."""

    def __init__(self, facts: ModuleFacts, sinks: dict[int, Sink], db_like: bool) -> None:
        self.facts = facts
        self.sinks = sinks
        self.db_like = db_like  # the module runs SQL: ``query`` there is SQL, never a prompt
        self.env: dict[str, Sources] = {}
        self._writes: list[set[str]] = []  # names written in each open branch
        self.log_files: set[str] = set()
        self.found: list[tuple[ast.Call, Sink, Sources, ast.expr]] = []

    # -- entry points -------------------------------------------------------------------------
    def run_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, handler: bool) -> None:
        args = node.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        defaults = dict(zip([a.arg for a in [*args.posonlyargs, *args.args]][::-1], args.defaults[::-1]))
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
        for arg in every:
            if arg.arg in ("self", "cls"):
                continue
            annotation = self.facts.module.segment(arg.annotation) if arg.annotation is not None else ""
            if annotation.rpartition(".")[2] in _CLEAN_ANNOTATIONS or annotation in _CLEAN_ANNOTATIONS:
                continue
            kind = self._name_kind(arg.arg)
            if kind is not None:
                self.env[arg.arg] = frozenset({FlowSource(kind, arg.arg, self.facts.span(arg), "parameter")})
            elif handler and not is_metadata(arg.arg) and not is_dependency(defaults.get(arg.arg)):
                self.env[arg.arg] = frozenset({FlowSource(SourceKind.USER_INPUT, arg.arg, self.facts.span(arg), "request parameter")})
        self.block(node.body)

    def run_module(self, body: list[ast.stmt]) -> None:
        self.block(body)

    # -- statements -----------------------------------------------------------------------
    def block(self, body: Iterable[ast.stmt]) -> None:
        for stmt in body:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return  # its own scope
        self._sinks_in(stmt)
        if isinstance(stmt, ast.ClassDef):
            self.block(stmt.body)  # a class body at module level: module names
        elif isinstance(stmt, ast.Assign):
            found = self.taint(stmt.value)
            for target in stmt.targets:
                self.bind(target, found, stmt.value)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.bind(stmt.target, self.taint(stmt.value), stmt.value)
        elif isinstance(stmt, ast.AugAssign):
            key = dotted(stmt.target) if not isinstance(stmt.target, ast.Subscript) else dotted(stmt.target.value)
            if key is not None:
                self._add(key, self.taint(stmt.value))
        elif isinstance(stmt, ast.Expr):
            if not self._mutation(stmt.value):
                self.taint(stmt.value)  # an LLM call made for its effect still marks its input
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            before = self._open()
            if not isinstance(stmt, ast.While):
                self.bind(stmt.target, self.taint(stmt.iter), None)
            self.block(stmt.body)
            self.block(stmt.orelse)
            self._join(before, [self.env], self._close())  # the body may not run
        elif isinstance(stmt, ast.If):
            before = self._open()
            self.block(stmt.body)
            body, written = self.env, self._close()
            self.env = before
            if stmt.orelse:
                self._writes.append(set())
                self.block(stmt.orelse)
                written |= self._close()
            self._join(self.env, [body], written)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is None:
                    continue
                if isinstance(item.optional_vars, ast.Name) and is_log_file_open(self.facts, item.context_expr):
                    self.log_files.add(item.optional_vars.id)
                self.bind(item.optional_vars, self.taint(item.context_expr), item.context_expr)
            self.block(stmt.body)
        elif isinstance(stmt, ast.Match):
            before = self.env
            cases: list[dict[str, Sources]] = []
            written = set()
            for case in stmt.cases:
                self.env = dict(before)
                self._writes.append(set())
                self.block(case.body)
                cases.append(self.env)
                written |= self._close()
            self.env = before
            self._join(before, cases, written)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self.block(stmt.body)  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                if handler.name:
                    self._put(handler.name, EMPTY)
                self.block(handler.body)
            self.block(stmt.orelse)  # type: ignore[attr-defined]
            self.block(stmt.finalbody)  # type: ignore[attr-defined]

    # Branches: each starts from a copy of the environment and records the names it writes, so
    # that joining costs the names written, not the whole environment (thousands of tainted
    # names and thousands of ``if``s stay linear).
    def _open(self) -> dict[str, Sources]:
        before = self.env
        self.env = dict(before)
        self._writes.append(set())
        return before

    def _close(self) -> set[str]:
        written = self._writes.pop()
        if self._writes:
            self._writes[-1] |= written
        return written

    def _join(self, into: dict[str, Sources], others: list[dict[str, Sources]], written: set[str]) -> None:
        """``into`` (made the environment) gets, for each written name, the union over ``others``."""
        self.env = into
        for key in written:
            value = into.get(key, EMPTY)
            for other in others:
                value = value | other.get(key, EMPTY)
            self._put(key, value)

    def _put(self, key: str, value: Sources) -> None:
        if value:
            self.env[key] = value
        else:
            self.env.pop(key, None)
        if self._writes:
            self._writes[-1].add(key)

    def _add(self, key: str, found: Sources) -> None:
        if found:
            self._put(key, self.env.get(key, EMPTY) | through(found, key))

    def _mutation(self, expr: ast.expr) -> bool:
        """``messages.append({"role": "user", "content": q})``: the container carries q."""
        if isinstance(expr, ast.Await):
            expr = expr.value
        if not isinstance(expr, ast.Call) or not isinstance(expr.func, ast.Attribute) or expr.func.attr not in _MUTATORS:
            return False
        key = dotted(expr.func.value)
        if key is None:
            return False
        found = EMPTY
        for arg in [*expr.args, *(k.value for k in expr.keywords)]:
            found |= self.taint(arg)
        self._add(key, found)
        return True

    def bind(self, target: ast.expr, found: Sources, value: ast.expr | None) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.bind(element.value if isinstance(element, ast.Starred) else element, found, None)
            return
        if isinstance(target, ast.Subscript):  # d["k"] = v: d carries v too
            key = dotted(target.value)
            if key is not None:
                self._add(key, found)
            return
        key = dotted(target)
        if key is None:
            return
        if not found and value is not None and opaque(value):
            kind = self._name_kind(key.rpartition(".")[2])
            if kind is not None:
                self._put(key, frozenset({FlowSource(kind, key, self.facts.span(target), "variable")}))
                return
        self._put(key, through(found, key) if found else EMPTY)

    def _name_kind(self, name: str) -> SourceKind | None:
        kind = kind_of_name(name)
        if kind is None and name.lower() in ("query", "user_query", "search_query") and not self.db_like:
            return SourceKind.USER_INPUT
        return kind

    # -- sinks ----------------------------------------------------------------------------
    def _sinks_in(self, stmt: ast.stmt) -> None:
        """Evaluate the sinks in the statement's own expressions (not in nested blocks)."""
        stack: list[ast.AST] = []
        for name, value in ast.iter_fields(stmt):
            if name in _BODIES:
                continue
            if isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)
        sinks = self.sinks
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.Lambda, ast.stmt)):
                continue
            if isinstance(node, ast.Call) and id(node) in sinks:
                sink = sinks[id(node)]
                if sink.file_receiver is None or sink.file_receiver in self.log_files:
                    found = EMPTY
                    first: ast.expr | None = None
                    for arg in sink.args:
                        carried = self.taint(arg)
                        if carried and first is None:
                            first = arg
                        found |= carried
                    if first is not None:
                        self.found.append((node, sink, found, first))
            stack.extend(ast.iter_child_nodes(node))

    # -- expressions ----------------------------------------------------------------------
    def taint(self, expr: ast.AST | None, depth: int = 0) -> Sources:
        if expr is None or depth > _MAX_DEPTH:
            return EMPTY
        deeper = depth + 1
        if isinstance(expr, ast.Name):
            return self.env.get(expr.id, EMPTY)
        if isinstance(expr, ast.Constant):
            return EMPTY
        if isinstance(expr, ast.JoinedStr):
            return self._union(expr.values, deeper)
        if isinstance(expr, ast.FormattedValue):
            return self.taint(expr.value, deeper)
        if isinstance(expr, ast.BinOp):  # a + b + c …: the left spine walked, not recursed
            found = EMPTY
            while isinstance(expr, ast.BinOp):
                found |= self.taint(expr.right, deeper)
                expr = expr.left
            return found | self.taint(expr, deeper)
        if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
            return self._union(expr.elts, deeper)
        if isinstance(expr, ast.Dict):
            return self._union([v for v in expr.values if v is not None], deeper)
        if isinstance(expr, (ast.Starred, ast.Await)):
            return self.taint(expr.value, deeper)
        if isinstance(expr, ast.NamedExpr):
            found = self.taint(expr.value, deeper)
            self.bind(expr.target, found, expr.value)
            return found
        if isinstance(expr, ast.IfExp):
            return self.taint(expr.body, deeper) | self.taint(expr.orelse, deeper)
        if isinstance(expr, ast.BoolOp):
            return self._union(expr.values, deeper)
        if isinstance(expr, ast.UnaryOp):
            return EMPTY if isinstance(expr.op, ast.Not) else self.taint(expr.operand, deeper)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, deeper)
        if isinstance(expr, ast.Subscript):
            return self._subscript(expr, deeper)
        if isinstance(expr, ast.Call):
            return self._call(expr, deeper)
        if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return self._comprehension(expr, deeper)
        return EMPTY  # comparisons, lambdas, ...

    def _union(self, exprs: Iterable[ast.AST], depth: int) -> Sources:
        found = EMPTY
        for expr in exprs:
            found |= self.taint(expr, depth)
        return found

    def _attribute(self, expr: ast.Attribute, depth: int) -> Sources:
        key = dotted(expr)
        if key is not None and key in self.env:
            return self.env[key]
        qual = self.facts.qualname(expr.value)
        if qual == "flask.request" and expr.attr in _REQUEST_ATTRS:
            return self._source(SourceKind.USER_INPUT, expr, "request body")
        if is_metadata(expr.attr):
            return EMPTY
        found = self.taint(expr.value, depth)
        if found:
            return found
        return self._named(expr.attr, expr.value, expr, "attribute")

    def _subscript(self, expr: ast.Subscript, depth: int) -> Sources:
        slice_ = expr.slice
        if self.facts.qualname(expr.value) == "os.environ":
            return self._env_source(slice_, expr)
        if isinstance(slice_, ast.Slice):
            found = self.taint(expr.value, depth)
            if short_cut(slice_):
                found = frozenset(s for s in found if s.kind is not SourceKind.CREDENTIAL)
            return found
        name = slice_.value if isinstance(slice_, ast.Constant) and isinstance(slice_.value, str) else None
        if name is not None and is_metadata(name):
            return EMPTY
        found = self.taint(expr.value, depth)
        if found or name is None:
            return found
        return self._named(name, expr.value, expr, "key")

    def _named(self, name: str, base: ast.expr, expr: ast.expr, how: str) -> Sources:
        """``state["messages"]``, ``req.question``, ``data.get("email")``: the name says so."""
        kind = self._name_kind(name)
        if kind is None:
            return EMPTY
        root = base
        while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
            root = root.func if isinstance(root, ast.Call) else root.value
        if isinstance(root, ast.Constant) or (isinstance(root, ast.Name) and root.id in self.facts.imports and kind is not SourceKind.CREDENTIAL):
            return EMPTY
        base_name = dotted(base) or ""
        if kind is not SourceKind.CREDENTIAL and any(w in _CONFIG_WORDS for w in base_name.lower().replace("_", ".").split(".")):
            return EMPTY  # settings.prompt, config["prompt"]: a template, not a conversation
        return self._source(kind, expr, how)

    def _source(self, kind: SourceKind, expr: ast.expr, how: str) -> Sources:
        what = self.facts.module.segment(expr.func) + "(...)" if isinstance(expr, ast.Call) and how == "reply" else self.facts.module.segment(expr)
        if len(what) > 60:
            what = what[:57] + "..."
        return frozenset({FlowSource(kind, what, self.facts.span(expr), how)})

    def _env_source(self, key: ast.expr, expr: ast.expr) -> Sources:
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and is_secret_env(key.value):
            return self._source(SourceKind.CREDENTIAL, expr, "environment variable")
        return EMPTY

    def _call(self, call: ast.Call, depth: int) -> Sources:
        facts = self.facts
        func = call.func
        qual = facts.qualname(func)
        name = dotted(func) or (func.attr if isinstance(func, ast.Attribute) else "")
        if qual in ("os.getenv", "os.environ.get") and call.args:
            return self._env_source(call.args[0], call)
        if name and is_sanitizer(name, qual):
            return EMPTY
        if name and is_llm_call(name, qual):
            self._sent(call, name, qual)
            return self._source(SourceKind.COMPLETION, call, "reply")
        if isinstance(func, ast.Attribute):
            method = func.attr
            if method in _REQUEST_CALLS and isinstance(func.value, ast.Name) and func.value.id in ("request", "req", "http_request"):
                return self._source(SourceKind.USER_INPUT, call, "request body")
            if method in PRESERVING_METHODS:
                found = self.taint(func.value, depth) | self._arguments(call, depth)
                if not found and method == "get" and call.args:
                    key = call.args[0]
                    if isinstance(key, ast.Constant) and isinstance(key.value, str) and not is_metadata(key.value):
                        return self._named(key.value, func.value, call, "key")
                return found
        if qual in PRESERVING_FUNCTIONS or (isinstance(func, ast.Name) and func.id in PRESERVING_FUNCTIONS and func.id not in facts.names):
            return self._arguments(call, depth)
        last = name.rpartition(".")[2]
        if last[:1].isupper():  # HumanMessage(content=q), ChatRequest(prompt=p): objects hold their data
            return self._arguments(call, depth)
        return EMPTY

    def _sent(self, call: ast.Call, name: str, qual: str | None) -> None:
        """The prompt handed to an LLM call: a name passed as its input is a prompt from here
        on (``msgs = build(q); llm.invoke(msgs); log.info(msgs)``), when nothing else is known
        of it."""
        position = 1 if (qual or "").startswith(("agents.Runner.", "litellm.")) else 0
        if name.rpartition(".")[2] not in _INPUT_FIRST and position == 0:
            position = -1  # SDK calls take keywords only
        found = [k.value for k in call.keywords if k.arg in _INPUT_KEYWORDS]
        if 0 <= position < len(call.args):
            found.append(call.args[position])
        for arg in found:
            key = dotted(arg)
            if key is not None and key not in self.env and key.partition(".")[0] not in self.facts.imports:
                self._put(key, frozenset({FlowSource(SourceKind.PROMPT, key, self.facts.span(arg), f"sent to {name}")}))

    def _arguments(self, call: ast.Call, depth: int) -> Sources:
        return self._union([*call.args, *(k.value for k in call.keywords)], depth)

    def _comprehension(self, expr: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, depth: int) -> Sources:
        """The loop variables live in the comprehension: their outer values come back after."""
        names = {n.id for gen in expr.generators for n in ast.walk(gen.target) if isinstance(n, ast.Name)}
        saved = {name: self.env[name] for name in names if name in self.env}
        try:
            for gen in expr.generators:
                self.bind(gen.target, self.taint(gen.iter, depth), None)
            if isinstance(expr, ast.DictComp):
                return self.taint(expr.value, depth)
            return self.taint(expr.elt, depth)
        finally:
            for name in names:
                if name in saved:
                    self.env[name] = saved[name]
                else:
                    self.env.pop(name, None)

