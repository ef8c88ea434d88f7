"""Which calls are sinks for ``dataflow.py``: logs, ``print`` in server code, span attributes
and events, trace-store observations, conversation-log files. Classified from the shared
groundwork (``ModuleFacts.calls``) without walking the tree again.

- log: ``logging.info(...)`` and the other level methods; any receiver bound to
  ``logging.getLogger(...)``, ``structlog.get_logger()``/``structlog.getLogger()`` or
  ``loguru.logger``; receivers whose name says logger (``logger``, ``log``, ``self._logger``,
  ``app_logger``); ``logging.getLogger(__name__).info(...)``. Every argument and keyword counts
  (structlog and ``extra=`` log keywords) but ``exc_info``, ``stack_info``, ``stacklevel``.
- print: only in server code, a module that imports a web framework (fastapi, flask, starlette,
  django, ``aiohttp.web`` (not the aiohttp client), sanic, quart, litestar, tornado) or a chat UI server (streamlit, gradio,
  chainlit): there stdout is the server's log. A script printing its own run is not a finding.
  ``print(..., file=f)`` counts only for ``sys.stdout``/``sys.stderr``.
- span attribute/event: ``X.set_attribute(key, value)`` (the value), ``X.set_attributes({...})``,
  ``X.add_event(name, attributes)``.
- observation (modules importing the library): Langfuse ``trace/span/generation/event/update/
  update_current_observation/update_current_trace/start_span/start_generation/…`` with
  ``input=``/``output=``; LangSmith ``create_run/update_run/RunTree/end`` with ``inputs=``/
  ``outputs=`` and ``add_inputs/add_outputs``; MLflow ``log_param(s)/log_text/log_dict/set_tag(s)/
  log_table`` and ``span.set_inputs/set_outputs``.
- file: ``f.write(...)``/``f.writelines(...)``/``json.dump(x, f)`` where ``f`` comes from
  ``with open(path, "w"|"a") as f`` and the path's text says conversation log (``log``,
  ``conversation``, ``chat``, ``history``, ``transcript``) — decided by the flow walker, which
  sees the ``with``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from agentlint.adapters._code.syntax import dotted
from agentlint.adapters._code.dataflow_names import words
from agentlint.adapters._code.scope import CallSite, ModuleFacts
from agentlint.model.flows import SinkKind

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg", "trace", "success"})
_LOGGER_FACTORIES = frozenset({"logging.getLogger", "structlog.get_logger", "structlog.getLogger", "structlog.stdlib.get_logger", "loguru.logger"})
_LOGGER_NAMES = frozenset({"logger", "log", "logging", "_logger", "_log", "loguru"})
_NOT_LOGGED = frozenset({"exc_info", "stack_info", "stacklevel", "level"})
SERVER_ROOTS = frozenset({"fastapi", "flask", "starlette", "django", "sanic", "quart", "litestar", "tornado", "streamlit", "gradio", "chainlit"})
_LANGFUSE_METHODS = frozenset(
    {
        "trace", "span", "generation", "event", "update", "update_current_observation", "update_current_trace",
        "update_current_span", "update_current_generation", "start_span", "start_generation", "start_as_current_span",
        "start_as_current_generation", "start_observation", "start_as_current_observation", "update_trace", "end",
    }
)
_LANGSMITH_METHODS = frozenset({"create_run", "update_run", "RunTree", "end", "create_child"})
_MLFLOW = frozenset({"mlflow.log_param", "mlflow.log_params", "mlflow.log_text", "mlflow.log_dict", "mlflow.set_tag", "mlflow.set_tags", "mlflow.log_table"})


@dataclass(frozen=True, slots=True)
class Sink:
    kind: SinkKind
    label: str  # the callee as written: ``logger.info``
    args: tuple[ast.expr, ...]  # the expressions whose content the sink records
    file_receiver: str | None = None  # FILE: the name that must be a conversation-log file


def _positional(call: ast.Call, skip: int = 0) -> list[ast.expr]:
    return [a.value if isinstance(a, ast.Starred) else a for a in call.args[skip:]]


def _keywords(call: ast.Call, names: frozenset[str] | None = None) -> list[ast.expr]:
    return [k.value for k in call.keywords if (names is None and k.arg not in _NOT_LOGGED) or (names is not None and k.arg in names)]


class SinkFinder:
    """Classifies one module's calls; built once per module."""

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        roots = {q.split(".", 1)[0] for q in facts.imports.values()}
        # aiohttp is a server only through aiohttp.web (most code imports it as an HTTP client)
        self.server = bool(roots & SERVER_ROOTS) or any(q.startswith("aiohttp.web") for q in facts.imports.values())
        self.langfuse = "langfuse" in roots
        self.langsmith = "langsmith" in roots
        self.mlflow = "mlflow" in roots
        self.print_rebound = "print" in facts.names

    def _is_logger(self, receiver: ast.expr, site: CallSite) -> bool:
        facts = self.facts
        if isinstance(receiver, ast.Call):  # logging.getLogger(__name__).info(...)
            return facts.qualname(receiver.func) in _LOGGER_FACTORIES
        qual = facts.qualname(receiver)
        if qual is not None:
            return qual in _LOGGER_FACTORIES or qual == "logging"
        name = dotted(receiver)
        if name is None:
            return False
        last = name.rpartition(".")[2]
        if last.lower() in _LOGGER_NAMES or "logger" in words(last):
            return True
        bound = None
        if "." not in name:
            if site.scope is not None and name in site.scope.bindings:
                bound = site.scope.bindings[name]
            else:
                bound = facts.bindings.get(name)
        return isinstance(bound, ast.Call) and facts.qualname(bound.func) in _LOGGER_FACTORIES

    def classify(self, site: CallSite) -> Sink | None:
        call = site.call
        func = call.func
        if isinstance(func, ast.Name):
            if func.id == "print" and self.server and not self.print_rebound:
                target = next((k.value for k in call.keywords if k.arg == "file"), None)
                if target is not None and self.facts.qualname(target) not in ("sys.stdout", "sys.stderr"):
                    return None
                return Sink(SinkKind.PRINT, "print", tuple(_positional(call)))
            if site.callee in _MLFLOW:
                return Sink(SinkKind.OBSERVATION, func.id, tuple(_positional(call) + _keywords(call)))
            if self.langsmith and site.callee is not None and site.callee.endswith(".RunTree"):
                return Sink(SinkKind.OBSERVATION, func.id, tuple(_keywords(call, frozenset({"inputs", "outputs"}))))
            return None
        if not isinstance(func, ast.Attribute):
            return None
        found = self._attribute_sink(site, func)
        if found is None:
            return None
        kind, args, receiver = found
        label = self.facts.module.segment(func) or func.attr
        if len(label) > 60:
            label = "…" + label[-59:]
        return Sink(kind, label, tuple(args), receiver)

    def _attribute_sink(self, site: CallSite, func: ast.Attribute) -> tuple[SinkKind, list[ast.expr], str | None] | None:
        call, method = site.call, func.attr
        if site.callee in _MLFLOW:
            return SinkKind.OBSERVATION, _positional(call) + _keywords(call), None
        if site.callee == "json.dump" and len(call.args) >= 2 and isinstance(call.args[1], ast.Name):
            return SinkKind.FILE, [call.args[0]], call.args[1].id
        if method in LOG_METHODS and self._is_logger(func.value, site):
            skip = 1 if method == "log" else 0  # logger.log(level, msg, ...)
            return SinkKind.LOG, _positional(call, skip) + _keywords(call), None
        if method == "set_attribute":
            return SinkKind.SPAN_ATTRIBUTE, _positional(call, 1) + _keywords(call, frozenset({"value"})), None
        if method == "set_attributes":
            return SinkKind.SPAN_ATTRIBUTE, _positional(call) + _keywords(call, frozenset({"attributes"})), None
        if method == "add_event":
            return SinkKind.SPAN_EVENT, _positional(call, 1) + _keywords(call, frozenset({"attributes"})), None
        if self.langfuse and method in _LANGFUSE_METHODS:
            args = _keywords(call, frozenset({"input", "output"}))
            return (SinkKind.OBSERVATION, args, None) if args else None
        if self.langsmith and method in _LANGSMITH_METHODS:
            args = _keywords(call, frozenset({"inputs", "outputs"}))
            return (SinkKind.OBSERVATION, args, None) if args else None
        if (self.langsmith and method in ("add_inputs", "add_outputs")) or (self.mlflow and method in ("set_inputs", "set_outputs")):
            return SinkKind.OBSERVATION, _positional(call), None
        if method in ("write", "writelines") and isinstance(func.value, ast.Name) and call.args:
            return SinkKind.FILE, [call.args[0]], func.value.id
        return None


_LOG_FILE_WORDS = ("log", "conversation", "chat", "history", "transcript", "dialog")


def is_log_file_open(facts: ModuleFacts, expr: ast.expr) -> bool:
    """``open("logs/chat.jsonl", "a")``: written, and its path's text names a conversation log."""
    if not isinstance(expr, ast.Call) or facts.qualname(expr.func) not in ("open", "io.open") and not (
        isinstance(expr.func, ast.Name) and expr.func.id == "open" and "open" not in facts.names
    ):
        return False
    mode: ast.expr | None = expr.args[1] if len(expr.args) > 1 else next((k.value for k in expr.keywords if k.arg == "mode"), None)
    if not (isinstance(mode, ast.Constant) and isinstance(mode.value, str) and ("w" in mode.value or "a" in mode.value)):
        return False
    path = expr.args[0] if expr.args else next((k.value for k in expr.keywords if k.arg == "file"), None)
    if path is None:
        return False
    text = "".join(
        node.value.lower() for node in ast.walk(path) if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ) + " ".join(node.id.lower() for node in ast.walk(path) if isinstance(node, ast.Name))
    return any(word in text for word in _LOG_FILE_WORDS)
