"""Neutral model of MCP tooling: servers, how they are launched, tools and their contracts,
and the team's tool policy. Every MCP dialect (client configs, server.json, smithery.yaml,
the Docker catalog, tools/list dumps, agentlint's ToolPolicy) maps into these; rules never see
a dialect.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from agentlint.findings import Location
from agentlint.model.entities import Located
from agentlint.model.source import NodeRef, Pointer, SourceMap, Span


class Transport(enum.Enum):
    STDIO = "stdio"
    HTTP = "http"  # streamable HTTP
    SSE = "sse"  # deprecated HTTP+SSE


@dataclass(frozen=True, slots=True)
class Text:
    """A string from a file with its exact position (a command, an argument, a URL …)."""

    value: str
    span: Span
    ref: NodeRef


@dataclass(frozen=True, slots=True)
class Setting:
    """A named value from a file (an env variable, a header), placeholders left unexpanded."""

    name: str
    value: str | None  # None when the dialect only declares it (server.json, Docker secrets)
    name_span: Span
    value_span: Span
    ref: NodeRef
    secret_declared: bool = False  # the dialect marks it secret (isSecret, Docker secrets)


@dataclass(frozen=True, slots=True)
class TimeoutSetting:
    """A dialect's per-server timeout, in seconds; ``field`` is the dialect's own key."""

    field: str
    seconds: float | None  # None: the dialect has the field and it is unset
    default_seconds: float | None  # what the client uses when unset
    span: Span | None


@dataclass(frozen=True, slots=True)
class Launch:
    """How a stdio server is started: ``command`` and ``args`` as written. ``shell`` is set
    when the command is a shell (``bash -c "npx -y pkg"``): the script is one argument."""

    command: Text
    args: tuple[Text, ...] = ()


@dataclass(frozen=True, slots=True)
class PackageRef(Located):
    """A published package a server runs from (server.json ``packages[]``, Docker ``image``,
    a git ``source``): rules check that it is pinned."""

    ecosystem: str  # npm, pypi, oci, nuget, mcpb, cargo, git
    identifier: str
    version: str | None = None  # as written; None when absent
    digest: str | None = None  # sha256 for mcpb / OCI digests / git commits


@dataclass(frozen=True, slots=True)
class ToolServer(Located):
    """One MCP server as a client config or manifest declares it."""

    name: str
    dialect: str  # vscode, cursor, claude-desktop, claude-code, gemini, cline, roo, windsurf, codex, mcp-registry, smithery, docker-catalog, agentlint
    config: str  # the file kind: "client" (what a client runs) or "manifest" (what a server publishes)
    transport: Transport | None = None
    launch: Launch | None = None
    url: Text | None = None
    env: tuple[Setting, ...] = ()
    headers: tuple[Setting, ...] = ()
    timeout: TimeoutSetting | None = None  # None: the dialect has no timeout field
    auto_approve: tuple[Text, ...] = ()  # tool names run without confirmation ("*" = all)
    trusted: Text | None = None  # Gemini ``trust: true``: every tool runs unconfirmed
    disabled: bool = False
    packages: tuple[PackageRef, ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()  # dialect facts rules may read (e.g. docker run args)

    def get(self, key: str, default: Any = None) -> Any:
        for name, value in self.extra:
            if name == key:
                return value
        return default


@dataclass(frozen=True, slots=True)
class Schema:
    """An embedded JSON Schema and where each of its nodes is (for per-error positions)."""

    data: Any
    path: str
    base: Pointer
    source_map: SourceMap = field(compare=False, hash=False, repr=False)
    doc: int = 0

    def locate(self, pointer: Pointer) -> Location:
        return Location(self.path, self.source_map.locate(self.base + tuple(pointer)))

    def ref(self, pointer: Pointer = ()) -> NodeRef:
        return NodeRef(self.path, self.base + tuple(pointer), self.doc)


@dataclass(frozen=True, slots=True)
class Tool(Located):
    """A tool definition: from a tools/list dump, a Tool JSON, a tool policy, a catalog."""

    name: str
    server: str | None  # the server it belongs to, when the file says
    source: str  # tools-list, tool, policy, docker-catalog
    title: str | None = None
    description: str | None = None
    input_schema: Schema | None = None
    output_schema: Schema | None = None
    annotations: tuple[tuple[str, Any], ...] | None = None  # None: no annotations object
    group: str = ""  # tools listed together (one file/list): duplicate names are checked within

    def hint(self, name: str, default: bool) -> bool:
        """An annotation hint with the MCP spec default when absent."""
        for key, value in self.annotations or ():
            if key == name and isinstance(value, bool):
                return value
        return default

    def qualified(self) -> str | None:
        return f"{self.server}.{self.name}" if self.server is not None else None

    @property
    def destructive(self) -> bool:
        """Per the spec: destructive unless read-only, or destructiveHint is false."""
        return not self.hint("readOnlyHint", False) and self.hint("destructiveHint", True)


class FailureMode(enum.Enum):
    RETRY = "retry"
    FALLBACK = "fallback"
    ABORT = "abort"


@dataclass(frozen=True, slots=True)
class PolicyEntry(Located):
    """What a team declares for a server or one of its tools in a ``kind: ToolPolicy``."""

    server: str
    tool: str | None  # None: the entry is for the whole server
    timeout_seconds: float | None = None
    rate_limit: str | None = None  # "60/1m" as written, None when unset
    failure_mode: FailureMode | None = None
    max_attempts: int | None = None
    fallback: str | None = None  # server.tool
    permissions_reviewed: bool = False
    examples: tuple[tuple[Any, Location], ...] = ()


@dataclass(frozen=True, slots=True)
class ExampleConfig(Located):
    """An example that must satisfy a schema: smithery ``exampleConfig`` against
    ``configSchema``, tool-policy ``examples`` against the tool's input schema. When the schema
    lives elsewhere (a tools/list snapshot), ``schema`` is None and ``tool`` names it."""

    data: Any
    schema: Schema | None
    what: str  # for messages: "exampleConfig"
    tool: str | None = None  # "server.tool" whose input schema applies when schema is None
    source_map: SourceMap | None = field(default=None, compare=False, hash=False, repr=False)

    def locate(self, pointer: Pointer) -> Location:
        """The failing value inside the example: the key of a mapping or list (its value may
        start on a later line), else the value."""
        if self.source_map is None:
            return self.location()
        full = self.ref.pointer + tuple(pointer)
        node: Any = self.data
        for part in pointer:
            node = node[part] if isinstance(node, (dict, list)) else None
        smap = self.source_map
        span = smap.key(full) if isinstance(node, (dict, list)) else None
        return Location(self.ref.path, span or smap.value(full) or smap.locate(full))


@dataclass(frozen=True, slots=True)
class ToolReference(Located):
    """An agent naming a tool as ``server.tool``."""

    agent: str
    server: str
    tool: str


@dataclass(frozen=True, slots=True)
class ToolCatalog:
    """What the project knows about servers and their tools, for resolving ``server.tool``."""

    servers: frozenset[str]
    tools: dict[str, frozenset[str]]  # server -> tool names, only for servers whose tools are listed

    # A tools/list dump or a catalog lists a server's tools completely; a tool policy names
    # only the tools it says something about, so it defines tools but proves no absence.
    COMPLETE = frozenset({"tools-list", "docker-catalog"})

    @classmethod
    def of(cls, servers: Any, tools: Any, policies: Any) -> ToolCatalog:
        names = {s.name for s in servers} | {p.server for p in policies}
        known: dict[str, set[str]] = {}
        complete: set[str] = set()
        for tool in tools:
            if tool.server is not None:
                names.add(tool.server)
                known.setdefault(tool.server, set()).add(tool.name)
                if tool.source in cls.COMPLETE:
                    complete.add(tool.server)
        return cls(frozenset(names), {k: frozenset(v) for k, v in known.items() if k in complete})

    def split(self, reference: str) -> tuple[str, str]:
        """``server.tool`` where the server name may itself hold dots: the longest known
        server prefix wins; else the first dot splits."""
        parts = reference.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            server = ".".join(parts[:cut])
            if server in self.servers:
                return server, ".".join(parts[cut:])
        server, _, tool = reference.partition(".")
        return server, tool
