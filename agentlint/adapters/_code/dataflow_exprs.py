"""The expression half of ``dataflow.py``: which sources a value carries, and how names are
bound. ``FunctionFlow`` (statements, branches, sinks) builds on :class:`ExpressionFlow`."""

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
from agentlint.adapters._code.dataflow_sinks import dotted
from agentlint.adapters._code.dataflow_values import is_template_call, opaque, short_cut, through
from agentlint.adapters._code.scope import ModuleFacts
from agentlint.model.flows import FlowSource, SourceKind

Sources = frozenset[FlowSource]
EMPTY: Sources = frozenset()
MAX_DEPTH = 60
_REQUEST_ATTRS = frozenset({"json", "form", "args", "data", "values", "files", "get_json", "get_data"})
_REQUEST_CALLS = frozenset({"json", "body", "form", "get_json", "get_data"})
_INPUT_KEYWORDS = frozenset({"messages", "input", "prompt", "contents", "inputs"})
_INPUT_FIRST = frozenset({"invoke", "ainvoke", "stream", "astream", "run", "arun", "kickoff", "send_message", "send_message_async", "generate_content", "generate_content_async"})
_DJANGO_ATTRS = frozenset({"POST", "GET", "body", "data", "FILES", "query_params"})
_ATOMIC = frozenset({SourceKind.CREDENTIAL, SourceKind.PII})
_CONFIG_WORDS = frozenset({"config", "settings", "cfg", "conf", "constants", "prompts", "templates", "defaults", "options", "env"})


class ExpressionFlow:
    """The environment (name -> sources) of one walk, and the sources of expressions in it."""

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self.env: dict[str, Sources] = {}
        self._writes: list[set[str]] = []  # names written in each open branch
        self.templates: set[str] = set()  # names bound to a prompt template (``get_prompt``)
        # names bound to ``Capitalized(kw=…)``: their attributes are the keywords' values
        # (``cfg = Config(api_key=k, api_version=v)``: ``cfg.api_version`` carries no key)
        self.structured: set[str] = set()
        self._django = any(q.split(".", 1)[0] in ("django", "rest_framework") for q in facts.imports.values())

    def _put(self, key: str, value: Sources) -> None:
        if value:
            self.env[key] = value
        else:
            self.env.pop(key, None)
        if self._writes:
            self._writes[-1].add(key)

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
        if value is not None and is_template_call(value):
            self.templates.add(key)
        else:
            self.templates.discard(key)
        if key in self.structured:  # its old fields go with it
            self.structured.discard(key)
            for stale in [k for k in self.env if k.startswith(key + ".")]:
                self._put(stale, EMPTY)
        if isinstance(value, ast.Call) and value.keywords and not value.args and _constructor(value):
            self.structured.add(key)
            for keyword in value.keywords:
                if keyword.arg is None:  # **kwargs: fields unknown
                    self.structured.discard(key)
                    break
                carried = self.taint(keyword.value)
                if carried:
                    self._put(f"{key}.{keyword.arg}", through(carried, f"{key}.{keyword.arg}"))
        if not found and value is not None and opaque(value):
            kind = self._name_kind(key.rpartition(".")[2])
            if kind is not None:
                self._put(key, frozenset({FlowSource(kind, key, self.facts.span(target), "variable")}))
                return
        self._put(key, through(found, key) if found else EMPTY)

    def _name_kind(self, name: str) -> SourceKind | None:
        return kind_of_name(name)

    # -- expressions ----------------------------------------------------------------------
    def taint(self, expr: ast.AST | None, depth: int = 0) -> Sources:
        if expr is None or depth > MAX_DEPTH:
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
        if expr.attr in _DJANGO_ATTRS and isinstance(expr.value, ast.Name) and expr.value.id == "request" and self._django:
            return self._source(SourceKind.USER_INPUT, expr, "request body")  # Django/DRF views
        if is_metadata(expr.attr):
            return EMPTY
        if key is not None and key.rpartition(".")[0] in self.structured:
            return EMPTY  # a field the constructor did not fill with anything we track
        found = self.taint(expr.value, depth)
        if found:
            kind = kind_of_name(expr.attr)
            # a key or an address is a string: ``x.api_version`` of a value carrying one is
            # another field of an object, not the key
            return frozenset(s for s in found if s.kind not in _ATOMIC or s.kind is kind)
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
        if isinstance(root, ast.Name) and root.id in self.templates:
            return EMPTY  # prompt.prompt of a fetched template
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
                key = call.args[0] if method == "get" and call.args else None
                name_key = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
                if name_key is not None and is_metadata(name_key):
                    return EMPTY  # tool_call.get("name"), msg.get("role")
                found = self.taint(func.value, depth) | self._arguments(call, depth)
                if not found and name_key is not None:
                    return self._named(name_key, func.value, call, "key")
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


def _constructor(call: ast.Call) -> bool:
    name = dotted(call.func) or ""
    return name.rpartition(".")[2][:1].isupper()
