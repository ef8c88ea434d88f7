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
  Flask's ``request.json/form/args/data/values/get_json()``, Django/DRF ``request.POST/GET/
  body/data/FILES/query_params`` (modules importing django or rest_framework), ``request.json()``/
  ``.body()``/``.form()`` on a request object; parameters of web handlers (FastAPI/Flask route
  decorators in server modules) but ``Depends``/``Security`` ones, ``Request`` and numbers;
  and names that say so (``dataflow_names.kind_of_name``): parameters, attributes, subscript
  keys and ``.get("key")``, and local variables bound to a value that is not a literal
  (``prompt = build_prompt(q)``: a prompt; ``prompt = "Say hi"``: not).

Everything is iterative or bounded: expressions deeper than ``dataflow_exprs.MAX_DEPTH`` carry nothing
more (a miss, never a crash), statements nest at most as deep as Python allows (100).
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterable

from agentlint.adapters._code.syntax import BODIES
from agentlint.adapters._code.dataflow_exprs import EMPTY, ExpressionFlow, Sources
from agentlint.adapters._code.dataflow_names import is_metadata
from agentlint.adapters._code.dataflow_sinks import Sink, dotted, is_log_file_open
from agentlint.adapters._code.dataflow_values import is_dependency, through
from agentlint.adapters._code.scope import ModuleFacts
from agentlint.model.flows import FlowSource, SourceKind

_MUTATORS = frozenset({"append", "extend", "insert", "update", "add", "appendleft", "setdefault", "add_message", "add_messages"})
_CLEAN_ANNOTATIONS = frozenset({"int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "Request", "Response", "BackgroundTasks", "WebSocket", "Session", "AsyncSession", "HTTPConnection"})


class FunctionFlow(ExpressionFlow):
    """The walk of one function or module body; ``found`` is (sink call, sink, sources, the
    first argument that carries one)."""

    def __init__(self, facts: ModuleFacts, sinks: dict[int, Sink], lines: Iterable[int]) -> None:
        super().__init__(facts)
        self.sinks = sinks
        self._sink_lines = sorted(lines)
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
                self._bind_loop(stmt.target, stmt.iter)
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

    def _bind_loop(self, target: ast.expr, iterable: ast.expr) -> None:
        """``for i, m in enumerate(messages)``: the index is a number, ``m`` a message."""
        if (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Name)
            and iterable.func.id == "enumerate"
            and iterable.args
            and isinstance(target, ast.Tuple)
            and len(target.elts) == 2
        ):
            self.bind(target.elts[0], EMPTY, None)
            self.bind(target.elts[1], self.taint(iterable.args[0]), None)
            return
        self.bind(target, self.taint(iterable), None)

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

    # -- sinks ----------------------------------------------------------------------------
    def _sinks_in(self, stmt: ast.stmt) -> None:
        """Evaluate the sinks in the statement's own expressions (not in nested blocks). Only
        statements whose own lines hold a sink are walked: most hold none."""
        first_line = stmt.lineno
        body = getattr(stmt, "body", None)
        last_line = body[0].lineno if isinstance(body, list) and body else (stmt.end_lineno or first_line)
        at = bisect.bisect_left(self._sink_lines, first_line)
        if at == len(self._sink_lines) or self._sink_lines[at] > last_line:
            return
        stack: list[ast.AST] = []
        for name, value in ast.iter_fields(stmt):
            if name in BODIES:
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
