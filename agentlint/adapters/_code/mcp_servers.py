"""MCP servers that Python code starts, as the ``ToolServer`` entities client configs give.

Recognised through imports (qualified names, aliases count):

* OpenAI Agents SDK (``agents.mcp``): ``MCPServerStdio(params={"command", "args", "env"})``,
  ``MCPServerSse`` / ``MCPServerStreamableHttp(params={"url", "headers"})``, with
  ``client_session_timeout_seconds`` (5 s when unset; ``None``/``0`` disables it: FORMATS.md
  §2.2, agents/mcp/server.py). ``params`` may be ``MCPServerStdioParams(...)`` too.
  ``HostedMCPTool(tool_config={"server_label", "server_url", "headers", "require_approval"})``:
  a remote server the Responses API calls; ``require_approval="never"`` auto-approves all tools.
* The MCP Python SDK: ``StdioServerParameters(command=, args=, env=)`` (also as ADK's
  ``McpToolset(connection_params=…)`` / ``StdioConnectionParams(server_params=…)``),
  ``sse_client(url)``, ``streamablehttp_client(url)``; ADK ``SseConnectionParams`` /
  ``StreamableHTTPConnectionParams(url=, headers=)``.
* AutoGen (``autogen_ext.tools.mcp``): ``StdioServerParams(command=, args=, env=,
  read_timeout_seconds=)`` (5 s when unset), ``SseServerParams`` / ``StreamableHttpServerParams(url=,
  headers=)``, as passed to ``McpWorkbench`` or ``mcp_server_tools``.
* ``langchain_mcp_adapters``: ``MultiServerMCPClient({name: {"command", "args", "env",
  "transport", "url", "headers"}})`` (or ``connections=``).

Each call site is one server. Strings are located exactly (``Text`` spans of the literals);
values the code does not state are ``${…}`` placeholders (never judged), an ``env`` value it
does not state is declared only, and a list of arguments it does not write out is one
placeholder word. A server whose parameters are not stated at all (passed in) is not emitted:
a construct not understood gives no finding.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator

from agentlint.adapters._code.code_values import Mapping, keywords, mapping, number_of, placeholder, settings_of, text_of, texts_of
from agentlint.adapters._code.scope import MISSING, CallSite, FunctionScope, ModuleFacts, argument
from agentlint.model.defaults import DEFAULTS
from agentlint.model.source import NodeRef, Span
from agentlint.model.tools import Launch, Text, TimeoutSetting, ToolServer, Transport

_OPENAI = {
    "MCPServerStdio": Transport.STDIO,
    "MCPServerSse": Transport.SSE,
    "MCPServerStreamableHttp": Transport.HTTP,
}
_OPENAI_MODULES = ("agents.mcp.", "agents.mcp.server.", "agents.")
_OPENAI_PARAMS = frozenset(
    f"{m}{n}" for m in _OPENAI_MODULES for n in ("MCPServerStdioParams", "MCPServerSseParams", "MCPServerStreamableHttpParams")
)
_OPENAI_TIMEOUT = "client_session_timeout_seconds"
OPENAI_TIMEOUT_DEFAULT = DEFAULTS["openai-agents.mcp_client_session_timeout"].at(None)  # 5 s
_STDIO_PARAMS = ("mcp.StdioServerParameters", "mcp.client.stdio.StdioServerParameters")
_ADK_URL = {"SseConnectionParams": Transport.SSE, "StreamableHTTPConnectionParams": Transport.HTTP}
# AutoGen (autogen_ext.tools.mcp): StdioServerParams(command, args, env, read_timeout_seconds=5)
_AUTOGEN = {"StdioServerParams": Transport.STDIO, "SseServerParams": Transport.SSE, "StreamableHttpServerParams": Transport.HTTP}
_AUTOGEN_TIMEOUT = "read_timeout_seconds"
AUTOGEN_TIMEOUT_DEFAULT = 5.0  # autogen_ext/tools/mcp/_config.py: read_timeout_seconds: float = 5
_SDK_URL = {
    "mcp.client.sse.sse_client": Transport.SSE,
    "mcp.client.streamable_http.streamablehttp_client": Transport.HTTP,
    "mcp.client.streamable_http.streamable_http_client": Transport.HTTP,
}
_HOSTED = frozenset({"agents.HostedMCPTool", "agents.tool.HostedMCPTool"})
_LANGCHAIN = frozenset({"langchain_mcp_adapters.client.MultiServerMCPClient", "langchain_mcp_adapters.MultiServerMCPClient"})
# the older client API: ``await client.connect_to_server_via_stdio("name", command=…, args=[…])``
_LANGCHAIN_CONNECT = frozenset({"connect_to_server", "connect_to_server_via_stdio", "connect_to_server_via_sse"})
_LANGCHAIN_TRANSPORT = {
    "stdio": Transport.STDIO,
    "sse": Transport.SSE,
    "streamable_http": Transport.HTTP,
    "streamable-http": Transport.HTTP,
    "http": Transport.HTTP,
}


def _kind(callee: str | None) -> tuple[str, str] | None:
    """(family, class name) of a call that starts or describes an MCP server."""
    if callee is None:
        return None
    head, _, name = callee.rpartition(".")
    if name in _OPENAI and (head + ".") in _OPENAI_MODULES:
        return "openai-agents", name
    if callee in _STDIO_PARAMS or (name == "StdioServerParameters" and callee.startswith("google.adk.")):
        return "mcp-sdk", name
    if name in _ADK_URL and callee.startswith("google.adk."):
        return "adk", name
    if callee in _SDK_URL:
        return "mcp-sdk", callee
    if name in _AUTOGEN and callee.startswith("autogen_ext.tools.mcp."):
        return "autogen", name
    if callee in _LANGCHAIN:
        return "langchain-mcp", name
    if callee in _HOSTED:
        return "openai-agents", name
    return None


class McpCode:
    """The servers of one module."""

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self.path = facts.module.path
        self.servers: list[ToolServer] = []
        self._names: dict[str, int] = {}

    def read(self) -> list[ToolServer]:
        langchain = any(symbol.startswith("langchain_mcp_adapters") for symbol in self.facts.imports.values())
        for site in self.facts.calls:
            kind = _kind(site.callee)
            if kind is None:
                func = site.call.func
                if langchain and isinstance(func, ast.Attribute) and func.attr in _LANGCHAIN_CONNECT:
                    self._langchain_connect(site, func.attr)
                continue
            family, name = kind
            if name == "HostedMCPTool":
                self._hosted(site)
            elif family == "openai-agents":
                self._openai(site, name)
            elif family == "langchain-mcp":
                self._langchain(site)
            elif name == "StdioServerParameters":
                found = mapping(self.facts, site.call, site.scope, frozenset({site.callee or ""}))
                if found is not None and not site.call.args:
                    self._stdio(site.call, found, "mcp-sdk", None, None)
            elif name in _ADK_URL:
                found = mapping(self.facts, site.call, site.scope, frozenset({site.callee or ""}))
                if found is not None and not site.call.args:
                    self._remote(site.call, found, "adk", _ADK_URL[name], None, None)
            elif family == "autogen":
                self._autogen(site, name)
            else:
                self._sdk_url(site, _SDK_URL[name])
        return self.servers

    # -- naming --------------------------------------------------------------------------
    def _ref(self, name: str) -> NodeRef:
        seen = self._names[name] = self._names.get(name, 0) + 1
        return NodeRef(self.path, ("mcp_servers", name if seen == 1 else f"{name}#{seen}"))

    def _name(self, call: ast.Call, scope: FunctionScope | None, fallback: str) -> str:
        given = argument(call, "name")
        if isinstance(given, ast.expr):
            text = text_of(self.facts, given, scope, NodeRef(self.path))
            if not text.value.startswith("${"):
                return text.value
        return fallback

    # -- the dialects ----------------------------------------------------------------------
    def _openai(self, site: CallSite, name: str) -> None:
        params = argument(site.call, "params", 0)
        found = mapping(self.facts, params, site.scope, _OPENAI_PARAMS) if isinstance(params, ast.expr) else None
        if found is None:
            return
        timeout = self._openai_timeout(site.call, site.scope)
        transport = _OPENAI[name]
        if transport is Transport.STDIO:
            self._stdio(site.call, found, "openai-agents", timeout, site.scope)
        else:
            self._remote(site.call, found, "openai-agents", transport, timeout, site.scope)

    def _autogen(self, site: CallSite, name: str) -> None:
        found = keywords(self.facts, site.call, site.scope)
        if site.call.args:
            return  # positional parameters: not read
        if _AUTOGEN[name] is Transport.STDIO:
            timeout = self._openai_timeout(site.call, site.scope, _AUTOGEN_TIMEOUT, AUTOGEN_TIMEOUT_DEFAULT)
            self._stdio(site.call, found, "autogen", timeout, site.scope)
        else:
            self._remote(site.call, found, "autogen", _AUTOGEN[name], None, site.scope)

    def _openai_timeout(
        self, call: ast.Call, scope: FunctionScope | None, field: str = _OPENAI_TIMEOUT, default: float | None = None
    ) -> TimeoutSetting | None:
        """A session read timeout: unset is the library's default (a bound), None/0 no limit."""
        default = OPENAI_TIMEOUT_DEFAULT if default is None else default
        given = argument(call, field)
        if given is MISSING:  # unset: the SDK's 5 s applies, a bound (defaults-as-bounds)
            return TimeoutSetting(field, default, default, None)
        if not isinstance(given, ast.expr):
            return None  # **kwargs may pass it: unknown, never missing
        seconds = number_of(self.facts, given, scope)
        span = next(self.facts.span(k) for k in call.keywords if k.arg == field)
        if seconds == "unknown":
            return None  # a bound of unknown size: never missing, never too high
        if seconds is None or seconds == 0:
            return TimeoutSetting(field, None, None, span)  # None/0 disables the read timeout
        return TimeoutSetting(field, float(seconds), default, span)

    def _hosted(self, site: CallSite) -> None:
        """``HostedMCPTool(tool_config={"server_label", "server_url", "headers", "require_approval"})``:
        the Responses API calls the server; ``require_approval="never"`` approves every tool,
        ``{"never": {"tool_names": [...]}}`` the ones named."""
        config = argument(site.call, "tool_config", 0)
        entry = mapping(self.facts, config, site.scope) if isinstance(config, ast.expr) else None
        if entry is None or entry.get("server_url") is None:
            return
        entry.items["url"] = entry.items["server_url"]
        label = self.facts.value(entry.get("server_label"), entry.scope) if entry.get("server_label") is not None else None
        name = label.value if isinstance(getattr(label, "value", None), str) else None
        before = len(self.servers)
        self._remote(site.call, entry, "openai-agents-hosted", Transport.HTTP, None, site.scope, name=name)
        if len(self.servers) > before:
            server = self.servers[-1]
            approved = self._approved(entry, server.ref.child("require_approval"))
            if approved:
                self.servers[-1] = dataclasses.replace(server, auto_approve=approved)

    def _approved(self, entry: Mapping, ref: NodeRef) -> tuple[Text, ...]:
        given = entry.get("require_approval")
        if given is None:
            return ()  # the API asks for approval by default
        value = self.facts.value(given, entry.scope)
        if getattr(value, "value", None) == "never" and getattr(value, "env", None) is None:
            return (Text("*", self.facts.span(given), ref),)
        found = mapping(self.facts, given, entry.scope)
        never = mapping(self.facts, found.get("never"), found.scope) if found is not None and found.get("never") is not None else None
        names = texts_of(self.facts, never.get("tool_names"), never.scope, ref.child("never")) if never is not None else None
        return tuple(t for t in names or () if not t.value.startswith("${"))

    def _langchain(self, site: CallSite) -> None:
        connections = argument(site.call, "connections", 0)
        found = mapping(self.facts, connections, site.scope) if isinstance(connections, ast.expr) else None
        if found is None:
            return
        for server, (value, key_span) in found.items.items():
            entry = mapping(self.facts, value, found.scope)
            if entry is None:
                continue
            declared = self.facts.value(entry.get("transport"), entry.scope) if entry.get("transport") is not None else None
            transport = _LANGCHAIN_TRANSPORT.get(str(getattr(declared, "value", "")).lower())
            if entry.get("command") is not None:
                self._stdio(None, entry, "langchain-mcp", None, None, name=server, span=key_span)
            elif entry.get("url") is not None:
                self._remote(None, entry, "langchain-mcp", transport or Transport.HTTP, None, None, name=server, span=key_span)

    def _langchain_connect(self, site: CallSite, method: str) -> None:
        given = argument(site.call, "server_name", 0)
        if not isinstance(given, ast.expr):
            return
        label = text_of(self.facts, given, site.scope, NodeRef(self.path)).value
        entry = keywords(self.facts, site.call, site.scope)
        if label.startswith("${"):
            return
        declared = self.facts.value(entry.get("transport"), site.scope) if entry.get("transport") is not None else None
        transport = Transport.SSE if method.endswith("_sse") else _LANGCHAIN_TRANSPORT.get(str(getattr(declared, "value", "")).lower())
        if entry.get("command") is not None and transport in (None, Transport.STDIO):
            self._stdio(site.call, entry, "langchain-mcp", None, site.scope, name=label)
        elif entry.get("url") is not None:
            self._remote(site.call, entry, "langchain-mcp", transport or Transport.HTTP, None, site.scope, name=label)

    def _sdk_url(self, site: CallSite, transport: Transport) -> None:
        url = argument(site.call, "url", 0)
        if not isinstance(url, ast.expr):
            return
        entry = Mapping(scope=site.scope)
        entry.items["url"] = (url, self.facts.span(url))
        headers = argument(site.call, "headers", 1)
        if isinstance(headers, ast.expr):
            entry.items["headers"] = (headers, self.facts.span(headers))
        self._remote(site.call, entry, "mcp-sdk", transport, None, site.scope)

    # -- building ----------------------------------------------------------------------------
    def _stdio(
        self, call: ast.Call | None, entry: Mapping, dialect: str, timeout: TimeoutSetting | None,
        scope: FunctionScope | None, *, name: str | None = None, span: Span | None = None,
    ) -> None:
        command_expr = entry.get("command")
        if command_expr is None:
            return
        facts = self.facts
        probe = text_of(facts, command_expr, entry.scope, NodeRef(self.path))
        label = name or (self._name(call, scope, f"stdio: {probe.value}") if call is not None else f"stdio: {probe.value}")
        ref = self._ref(label)
        command = text_of(facts, command_expr, entry.scope, ref.child("command"))
        args_expr = entry.get("args")
        args: tuple[Text, ...] = ()
        if args_expr is not None:
            found = texts_of(facts, args_expr, entry.scope, ref.child("args"))
            args = found if found is not None else (Text(placeholder(facts, args_expr), facts.span(args_expr), ref.child("args", 0)),)
        elif entry.open:
            args = (Text("${args}", command.span, ref.child("args", 0)),)  # **spread may pass some
        self.servers.append(
            ToolServer(
                ref=ref,
                span=span or facts.span(call if call is not None else command_expr),
                fields=self._fields(entry, timeout),
                name=label,
                dialect=dialect,
                config="client",
                transport=Transport.STDIO,
                launch=Launch(command, args),
                env=settings_of(facts, entry.get("env"), entry.scope, ref.child("env")),
                timeout=timeout,
            )
        )

    def _remote(
        self, call: ast.Call | None, entry: Mapping, dialect: str, transport: Transport, timeout: TimeoutSetting | None,
        scope: FunctionScope | None, *, name: str | None = None, span: Span | None = None,
    ) -> None:
        url_expr = entry.get("url")
        if url_expr is None:
            return
        facts = self.facts
        probe = text_of(facts, url_expr, entry.scope, NodeRef(self.path))
        prefix = {Transport.SSE: "sse", Transport.HTTP: "streamable_http"}.get(transport, "url")
        label = name or (self._name(call, scope, f"{prefix}: {probe.value}") if call is not None else f"{prefix}: {probe.value}")
        ref = self._ref(label)
        self.servers.append(
            ToolServer(
                ref=ref,
                span=span or facts.span(call if call is not None else url_expr),
                fields=self._fields(entry, timeout),
                name=label,
                dialect=dialect,
                config="client",
                transport=transport,
                url=text_of(facts, url_expr, entry.scope, ref.child("url")),
                headers=settings_of(facts, entry.get("headers"), entry.scope, ref.child("headers")),
                timeout=timeout,
            )
        )

    def _fields(self, entry: Mapping, timeout: TimeoutSetting | None) -> tuple[tuple[str, Span], ...]:
        fields = [(key, self.facts.span(value)) for key, (value, _) in entry.items.items()]
        if timeout is not None and timeout.span is not None:
            fields.append((timeout.field, timeout.span))
        return tuple(fields)


def read_servers(facts: ModuleFacts) -> Iterator[ToolServer]:
    yield from McpCode(facts).read()


