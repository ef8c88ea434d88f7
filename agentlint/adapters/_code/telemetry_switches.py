"""Library switches written in Python that log or capture prompt content (issue 10, point 2):
debug logging of LLM SDKs, content capture of tracing SDKs, and the same switches set through
``os.environ[...] = ...`` in code.

Defaults, from each library's source (``/work/shared/reference`` STANDARDS 5.2-5.6):

* openai/anthropic/litellm debug logs carry request and response bodies: ``logging.basicConfig
  (level=DEBUG)`` counts only in a module that imports one of them (or httpx); a named logger
  (``getLogger("openai").setLevel(DEBUG)``) counts anywhere. ``litellm.set_verbose = True``,
  ``litellm._turn_on_debug()``, LangChain ``set_debug(True)``/``set_verbose(True)``
  (``langchain.globals``, ``langchain_core.globals``), ``langchain.debug = True``.
* Langfuse ``@observe`` captures arguments and return values unless ``capture_input=False``
  and ``capture_output=False`` (v2 ``langfuse.decorators.observe``, v3+ ``langfuse.observe``;
  env ``LANGFUSE_OBSERVE_DECORATOR_IO_CAPTURE_ENABLED``); ``langfuse.openai`` and the LangChain
  ``CallbackHandler`` capture inputs too. A mask is ``Langfuse(mask=fn)`` (v2 also
  ``langfuse_context.configure(mask=fn)``); ``get_client()`` (v3) returns the client built
  elsewhere. One switch per module, at the client when there is one.
* ``Traceloop.init`` has no content argument in traceloop-sdk 0.62 (forks add
  ``trace_content=``): content is traced unless ``TRACELOOP_TRACE_CONTENT=false``.
* ``openlit.init(capture_message_content=True)`` (older ``trace_content=``) by default.
* OpenAI Agents ``RunConfig(trace_include_sensitive_data=)`` defaults to
  ``OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA`` or true; ``tracing_disabled=True`` records nothing.
* Instrumentors: OpenTelemetry's GenAI ones (``openai_v2``, ``google_genai``, ``vertexai``)
  record no content unless ``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`` says so (a
  non-risky implicit switch); OpenLLMetry's ``opentelemetry.instrumentation.openai`` follows
  ``TRACELOOP_TRACE_CONTENT`` (on); OpenInference ones record everything unless
  ``config=TraceConfig(hide_inputs=True, hide_outputs=True)`` or ``OPENINFERENCE_HIDE_*``;
  Phoenix ``register(auto_instrument=True)`` installs them.
"""

from __future__ import annotations

import ast

from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import MISSING, CallSite, FunctionScope, argument
from agentlint.adapters._code.telemetry_common import (
    Emitter,
    imported_roots,
    is_debug_level,
    text_truth,
    truth,
)
from agentlint.model.telemetry import Concern, TracingKind
from agentlint.model.telemetry_env import BY_NAME, Verdict, endpoint_detail, judge, sampler_keeps_all

D, C = Concern.DEBUG_LOGGING, Concern.CONTENT_CAPTURE
_LANGCHAIN_DEBUG = {
    f"{root}.globals.{name}": name for root in ("langchain", "langchain_core") for name in ("set_debug", "set_verbose")
}
# Libraries whose loggers print request bodies at DEBUG once the root logger is at DEBUG
# (openai-python logs "Request options: {... json_data: {messages ...}}"; LangChain's OpenAI and
# Anthropic models go through those SDKs).
_ROOT_DEBUG_LOGS = frozenset({"openai", "anthropic", "litellm", "langchain_openai", "langchain_anthropic"})
_LOGGER_NAMES = frozenset({"openai", "httpx", "anthropic", "litellm", "LiteLLM"})
_OBSERVE = frozenset({"langfuse.observe", "langfuse.decorators.observe"})
_LANGFUSE_CLIENT = {"langfuse.Langfuse": "Langfuse", "langfuse.client.Langfuse": "Langfuse", "langfuse.get_client": "get_client"}
_LANGFUSE_HANDLERS = frozenset({"langfuse.callback.CallbackHandler", "langfuse.langchain.CallbackHandler"})
_RUN_CONFIG = frozenset({"agents.RunConfig", "agents.run.RunConfig", "agents.run_config.RunConfig"})
_CONTRIB_GENAI = frozenset({"openai_v2", "google_genai", "vertexai"})  # content off unless the env says so
_OPENLLMETRY = frozenset({"openai", "bedrock", "cohere", "mistralai", "groq", "ollama", "together", "replicate", "watsonx"})
_OTEL_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
_HIDE_ENV = ("OPENINFERENCE_HIDE_INPUTS", "OPENINFERENCE_HIDE_OUTPUTS")


# -- environment variables set from code ----------------------------------------------------

# Read like the same variable in an environment file (model/telemetry_env.py), plus three only
# code sets: anthropic's log level, OpenLIT's and Langfuse's capture flags.
_CODE_ONLY: dict[str, tuple[Concern, str]] = {
    "ANTHROPIC_LOG": (D, "the anthropic SDK logs every request's options, messages included"),
    "OPENLIT_CAPTURE_MESSAGE_CONTENT": (C, "OpenLIT records prompts and completions in spans"),
    "LANGFUSE_OBSERVE_DECORATOR_IO_CAPTURE_ENABLED": (C, "@observe records function arguments and return values"),
}


def env_assignment(em: Emitter, node: ast.Assign, name: str, value: ast.expr) -> None:
    """``os.environ["OPENAI_LOG"] = "debug"`` and every variable the environment adapter reads."""
    found = em.facts.value(value)
    if not isinstance(found, Static) or not isinstance(found.value, str):
        return
    text = found.value
    switch = BY_NAME.get(name)
    if switch is not None:
        verdict = judge(switch, text)
        if verdict is Verdict.SAFE and name == "OTEL_TRACES_SAMPLER" and sampler_keeps_all(text, None):
            return  # a ratio sampler whose ratio the deployed environment may set
        if verdict is Verdict.UNKNOWN:
            return
        risky = verdict is Verdict.RISKY
        detail = endpoint_detail(text) if name.endswith("_ENDPOINT") else switch.risky_means if risky else ""
        em.switch(node, None, switch.concern, name, text, risky, detail=f"os.environ[{name!r}] = {text!r} in code: {detail}" if detail else "",
                  fix=switch.fix if risky else "")
        return
    if name in _CODE_ONLY:
        concern, means = _CODE_ONLY[name]
        on = (text.strip().lower() == "debug") if name == "ANTHROPIC_LOG" else text_truth(text)
        if on is not None:
            em.switch(node, None, concern, name, text, on, detail=f"os.environ[{name!r}] = {text!r} in code: {means}" if on else "",
                      fix=f"do not set {name} in deployed code" if on else "")


# -- debug logging ----------------------------------------------------------------------------


def debug_calls(em: Emitter, site: CallSite) -> None:
    facts, call, callee = em.facts, site.call, site.callee
    if callee == "logging.basicConfig":
        level = argument(call, "level")
        if isinstance(level, ast.expr):
            debug, env = is_debug_level(facts, level, site.scope)
            uses = sorted(imported_roots(facts) & _ROOT_DEBUG_LOGS)
            if debug and uses:
                em.switch(
                    level, site.scope, D, "logging.basicConfig(level=)", facts.module.segment(level), True,
                    env=(env,) if env else (),
                    detail=f"the root logger at DEBUG logs {uses[0]} request and response bodies",
                    fix="log at INFO or above, or raise the openai/httpx loggers to WARNING",
                )
        return
    if callee in _LANGCHAIN_DEBUG and call.args:
        on, env = truth(facts, call.args[0], site.scope)
        if on:
            em.switch(
                call, site.scope, D, f"{_LANGCHAIN_DEBUG[callee]}()", "True", True, env=(env,) if env else (),
                detail="LangChain prints every prompt, tool input and model output",
                fix=f"remove {_LANGCHAIN_DEBUG[callee]}(True) from deployed code",
            )
        return
    if callee == "litellm._turn_on_debug":
        em.switch(call, site.scope, D, "litellm._turn_on_debug()", "", True, detail="litellm logs request and response bodies",
                  fix="remove litellm._turn_on_debug() from deployed code")
        return
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "setLevel" and call.args:
        logger = _logger_name(em, func.value, site.scope)
        if logger is not None and logger.split(".")[0] in _LOGGER_NAMES:
            debug, env = is_debug_level(facts, call.args[0], site.scope)
            if debug:
                em.switch(
                    call.args[0], site.scope, D, f"logging.getLogger({logger!r}).setLevel()", facts.module.segment(call.args[0]), True,
                    env=(env,) if env else (),
                    detail=f"the {logger} logger at DEBUG logs "
                    + ("every request to the model API" if logger.startswith("httpx") else "request and response bodies, prompts included"),
                    fix=f"set the {logger} logger to WARNING in deployed code",
                )


def _logger_name(em: Emitter, expr: ast.expr, scope: FunctionScope | None) -> str | None:
    facts = em.facts
    if isinstance(expr, ast.Name):  # logger = logging.getLogger("openai")
        bindings = scope.bindings if scope is not None and expr.id in scope.bindings else facts.bindings
        bound = bindings.get(expr.id)
        if not isinstance(bound, ast.Call):
            return None
        expr = bound
    if isinstance(expr, ast.Call) and facts.qualname(expr.func) == "logging.getLogger" and expr.args:
        name = facts.value(expr.args[0], scope)
        if isinstance(name, Static) and isinstance(name.value, str):
            return name.value
    return None


def debug_assignment(em: Emitter, node: ast.Assign, target: ast.expr) -> None:
    """``litellm.set_verbose = True``, ``langchain.debug = True``."""
    name = em.facts.qualname(target)
    if name not in ("litellm.set_verbose", "langchain.debug", "langchain.verbose"):
        return
    on, env = truth(em.facts, node.value, None)
    if on:
        em.switch(node, None, D, name, "True", True, env=(env,) if env else (),
                  detail=f"{name.split('.')[0]} logs prompts and responses", fix=f"remove `{name} = True` from deployed code")


# -- content capture --------------------------------------------------------------------------


def content_calls(em: Emitter, site: CallSite) -> None:
    facts, call, callee = em.facts, site.call, site.callee
    if callee == "traceloop.sdk.Traceloop.init":
        em.setup(call, site.scope, TracingKind.TRACELOOP, "Traceloop.init")
        if _static(facts, call, "enabled", site.scope) is False:
            return
        _keyword_switch(em, site, ("trace_content",), "Traceloop.init(trace_content=)", "TRACELOOP_TRACE_CONTENT",
                        "OpenLLMetry records prompts and completions in span attributes",
                        "set TRACELOOP_TRACE_CONTENT=false in the deployed environment")
    elif callee == "openlit.init":
        em.setup(call, site.scope, TracingKind.OPENLIT, "openlit.init")
        _keyword_switch(em, site, ("capture_message_content", "trace_content"), "openlit.init(capture_message_content=)",
                        "OPENLIT_CAPTURE_MESSAGE_CONTENT", "OpenLIT records prompts and completions in spans",
                        "pass capture_message_content=False to openlit.init()")
    elif callee in _RUN_CONFIG:
        if _static(facts, call, "tracing_disabled", site.scope) is True:
            em.switch(call, site.scope, C, "RunConfig(trace_include_sensitive_data=)", "", False,
                      detail="tracing_disabled=True: this run records no trace")
            return
        _keyword_switch(em, site, ("trace_include_sensitive_data",), "RunConfig(trace_include_sensitive_data=)",
                        "OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA", "the Agents SDK records LLM and tool inputs and outputs in traces",
                        "pass trace_include_sensitive_data=False to RunConfig")
    elif callee == "phoenix.otel.register":
        auto = _static(facts, call, "auto_instrument", site.scope)
        what = "phoenix.otel.register" if auto is False or argument(call, "auto_instrument") is MISSING else "register(auto_instrument=)"
        em.setup(call, site.scope, TracingKind.PHOENIX, what)
        if auto is True:
            em.switch(call, site.scope, C, "OPENINFERENCE_HIDE_INPUTS", "", True, implicit=True, once=True, env=_HIDE_ENV,
                      detail="register(auto_instrument=True) installs OpenInference instrumentors, which record prompts and outputs",
                      fix="set OPENINFERENCE_HIDE_INPUTS=true and OPENINFERENCE_HIDE_OUTPUTS=true")
    else:
        _instrumentor(em, site)


def _static(facts, call: ast.Call, keyword: str, scope: FunctionScope | None) -> bool | None:  # type: ignore[no-untyped-def]
    expr = argument(call, keyword)
    if not isinstance(expr, ast.expr):
        return None
    return truth(facts, expr, scope)[0]


def _keyword_switch(em: Emitter, site: CallSite, keywords: tuple[str, ...], setting: str, env: str, detail: str, fix: str) -> None:
    call = site.call
    for keyword in keywords:
        expr = argument(call, keyword)
        if isinstance(expr, ast.expr):
            on, override = truth(em.facts, expr, site.scope)
            if on is not None:
                em.switch(expr, site.scope, C, setting, em.facts.module.segment(expr), on,
                          env=(override,) if override else (), detail=detail if on else "", fix=fix if on else "")
            return
        if expr is not MISSING:
            return  # **kwargs may pass it
    em.switch(call, site.scope, C, env, "", True, implicit=True, once=True, env=(env,), detail=f"{detail} by default", fix=fix)


def _instrumentor(em: Emitter, site: CallSite) -> None:
    """``OpenAIInstrumentor().instrument(...)`` (or through a variable)."""
    call, facts = site.call, em.facts
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr != "instrument":
        return
    target = func.value
    if isinstance(target, ast.Name):
        bindings = site.scope.bindings if site.scope is not None and target.id in site.scope.bindings else facts.bindings
        bound = bindings.get(target.id)
        target = bound if bound is not None else target
    if not isinstance(target, ast.Call):
        return
    name = facts.qualname(target.func) or ""
    parts = name.split(".")
    if name.startswith("opentelemetry.instrumentation.") and len(parts) > 3:
        package = parts[2]
        em.setup(call, site.scope, TracingKind.OPENTELEMETRY, parts[-1])
        if package in _CONTRIB_GENAI:
            em.switch(call, site.scope, C, _OTEL_ENV, "", False, implicit=True, once=True, env=(_OTEL_ENV,),
                      detail=f"{parts[-1]} records no message content unless {_OTEL_ENV} turns it on")
        elif package in _OPENLLMETRY:
            em.switch(call, site.scope, C, "TRACELOOP_TRACE_CONTENT", "", True, implicit=True, once=True, env=("TRACELOOP_TRACE_CONTENT",),
                      detail=f"OpenLLMetry's {parts[-1]} records prompts and completions by default",
                      fix="set TRACELOOP_TRACE_CONTENT=false in the deployed environment")
    elif name.startswith("openinference.instrumentation.") and len(parts) > 3:
        em.setup(call, site.scope, TracingKind.PHOENIX, parts[-1])
        config = argument(call, "config")
        if config is MISSING:
            em.switch(call, site.scope, C, "OPENINFERENCE_HIDE_INPUTS", "", True, implicit=True, once=True, env=_HIDE_ENV,
                      detail=f"OpenInference's {parts[-1]} records prompts and outputs by default",
                      fix="pass config=TraceConfig(hide_inputs=True, hide_outputs=True) or set OPENINFERENCE_HIDE_INPUTS/OUTPUTS=true")
        elif isinstance(config, ast.Call) and (facts.qualname(config.func) or "").endswith("TraceConfig"):
            hidden = [_static(facts, config, key, site.scope) for key in ("hide_inputs", "hide_outputs")]
            if all(h is True for h in hidden):
                em.switch(config, site.scope, C, "TraceConfig(hide_inputs=, hide_outputs=)", "True", False)
            elif all(h is not None for h in hidden):
                em.switch(config, site.scope, C, "TraceConfig(hide_inputs=, hide_outputs=)", "False", True,
                          detail=f"{parts[-1]} records prompts or outputs", fix="hide_inputs=True, hide_outputs=True")


# -- Langfuse ---------------------------------------------------------------------------------


def langfuse(em: Emitter, sites: list[CallSite], decorators: list[tuple[ast.expr, FunctionScope | None, str]]) -> None:
    """Langfuse clients, masks and capture points of one module: at most one risky switch."""
    facts = em.facts
    clients: list[tuple[ast.Call, FunctionScope | None, str]] = []
    captures: list[tuple[ast.AST, FunctionScope | None, str]] = []
    masked = False
    for site in sites:
        callee = site.callee or ""
        if callee in _LANGFUSE_CLIENT:
            what = _LANGFUSE_CLIENT[callee]
            em.setup(site.call, site.scope, TracingKind.LANGFUSE, what)
            clients.append((site.call, site.scope, what))
            mask = argument(site.call, "mask")
            if what == "Langfuse" and mask is not MISSING:
                masked = True
                if isinstance(mask, ast.expr) and not (isinstance(mask, ast.Constant) and mask.value is None):
                    em.switch(mask, site.scope, C, "Langfuse(mask=)", facts.module.segment(mask), False)
                elif isinstance(mask, ast.Constant):
                    masked = False
        elif callee == "langfuse.decorators.langfuse_context.configure" and argument(site.call, "mask") is not MISSING:
            masked = True
            em.switch(site.call, site.scope, C, "Langfuse(mask=)", facts.module.segment(site.call), False)
        elif callee in _LANGFUSE_HANDLERS:
            em.setup(site.call, site.scope, TracingKind.LANGFUSE, "CallbackHandler")
            captures.append((site.call, site.scope, "the LangChain CallbackHandler records every prompt and completion"))
    for node, scope, kind in decorators:
        if kind != "observe":
            continue
        em.setup(node, scope, TracingKind.LANGFUSE, "@observe")
        call = node if isinstance(node, ast.Call) else None
        flags = [_static(facts, call, key, scope) if call is not None else True for key in ("capture_input", "capture_output")]
        if call is not None:
            flags = [True if argument(call, key) is MISSING else flag for key, flag in zip(("capture_input", "capture_output"), flags)]
        if all(flag is False for flag in flags):
            em.switch(node, scope, C, "@observe(capture_input=, capture_output=)", "False", False)
        elif any(flag is True for flag in flags):
            captures.append((node, scope, "@observe records the function's arguments and return value"))
    for alias, target in facts.imports.items():
        if target.startswith("langfuse.openai"):
            captures.append((_import_node(em, alias), None, "langfuse.openai records every prompt and completion"))
            em.setup(captures[-1][0], None, TracingKind.LANGFUSE, "langfuse.openai")
            break
    if masked or not captures:
        return
    node, scope, detail = (clients[0][0], clients[0][1], captures[0][2]) if clients else captures[0]
    only_decorators = all("@observe" in c[2] for c in captures)
    # "Langfuse(mask=)" among the overrides: a mask written in another module of the project (the
    # client is one per process) cancels this default like an environment variable would
    em.switch(node, scope, C, "Langfuse(mask=)", "", True, implicit=True,
              env=("Langfuse(mask=)", "LANGFUSE_OBSERVE_DECORATOR_IO_CAPTURE_ENABLED") if only_decorators else ("Langfuse(mask=)",),
              detail=f"{detail}, unmasked", fix="pass mask=<a function that redacts PII> to Langfuse(...)")


def _import_node(em: Emitter, alias: str) -> ast.AST:
    for node in ast.walk(em.facts.module.tree):  # rare: only modules importing langfuse.openai
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any((a.asname or a.name.split(".")[0]) == alias for a in node.names):
            return node
    return em.facts.module.tree.body[0] if em.facts.module.tree.body else em.facts.module.tree
