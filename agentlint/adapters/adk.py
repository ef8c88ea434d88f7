"""Google ADK Agent Config YAML: ``root_agent.yaml`` and the sub-agent files it points to
(FORMATS.md §1.2; read from google-adk 2.13.0 and 1.14.0, google-genai 3.6.1).

Each file defines one agent and contributes one GraphPart named after the file; the part says
that ``file:<its path>`` is its agent, and ``sub_agents: [{config_path: …}]`` (and AgentTool
``args.agent``) point at ``file:<resolved path>``, so the Project links a root and its
sub-agent files into one graph (model.project.link_parts). ``{code: …}`` sub-agents live in
Python: no node, no edge, but their behaviour is unknown (see "may escalate").

Edges, per ``agent_class`` (one file knows its own class and its children's paths, not their
classes or tools, so every choice below is one a single file can make soundly):

* LlmAgent (default): a HANDOFF to each sub-agent (the model may call ``transfer_to_agent``).
  ADK also lets a sub-agent transfer back to its parent and to its peers unless it sets
  ``disallow_transfer_to_parent``/``_peers``; but that needs the child's flags (its file) and
  the parent's class (this file) at once, and the resulting loops are bounded by the run's
  ``max_llm_calls`` anyway. They are left out: a missed loop, never an invented one.
* SequentialAgent: SEQUENCE parent → each child (it runs them one by one, and a child whose
  file is missing must not cut the others off), and child → next child (the order).
* ParallelAgent (and AgentTool targets, and children of an unknown class): CALL edges.
* LoopAgent: the same edges as a sequence, and a back edge last → first; with
  ``max_iterations: N`` the back edge carries ``max_traversals = N - 1`` (the body runs N
  times). The LoopAgent itself is not on the cycle: its edge to what follows it (drawn by its
  own parent) is taken only once the loop ends, so it is not an exit of the loop.

Terminals (where control may leave) are declared by the parent for its children — every child
of a sequence or a parallel (each returns to its parent, and a child whose file is missing must
not make its predecessors look like dead ends), an LLM transfer target, a tool agent, the last
child of a bounded loop — because once any terminal is declared the default (agents without
outgoing edges) no longer applies to the graph. Children of a LoopAgent are not terminals: the
loop runs them again. An agent also declares itself terminal when it
may escalate (end an enclosing loop): the built-in ``exit_loop`` tool, any tool that is not a
built-in known not to escalate, any callback, a ``code`` sub-agent, an unknown class. So a
LoopAgent without ``max_iterations`` whose children can never escalate is an endless cycle
(AL101); one with an exit is an unbounded loop (AL102) stopped only by ``RunConfig.max_llm_calls``
(500 by default), which every ADK part declares as the run-level default.

Limits: an LlmAgent's ``generate_content_config.http_options.timeout`` is in milliseconds
(google-genai ``HttpOptions.timeout``); ``retry_options.attempts`` counts the first try, 0 and 1
mean no retry, and an empty ``retry_options`` means 5. Workflow agents make no model call and
have no such fields: only LoopAgent's ``max_iterations`` is settable there.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from agentlint.adapters.base import Adapted, Adapter, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import Pointer, Span

FRAMEWORK = "adk"
_ROOT_FILES = frozenset({"root_agent.yaml", "root_agent.yml"})
_NAME = re.compile(r"^name[ \t]*:", re.M)
_HINT = re.compile(r"^(?:agent_class|instruction|sub_agents)[ \t]*:|/AgentConfig\.json", re.M)
_OTHER = re.compile(r"^(?:kind|type|apiVersion)[ \t]*:", re.M)  # MAF, SK, k8s-style documents

LLM, SEQUENTIAL, PARALLEL, LOOP = "LlmAgent", "SequentialAgent", "ParallelAgent", "LoopAgent"
_PREFIXES = ("google.adk.agents.", "google.adk.agents.llm_agent.", "google.adk.agents.loop_agent.",
             "google.adk.agents.sequential_agent.", "google.adk.agents.parallel_agent.")
_CLASSES = {"Agent": LLM, LLM: LLM, SEQUENTIAL: SEQUENTIAL, PARALLEL: PARALLEL, LOOP: LOOP}

# Keys of the built-in config models (all `extra="forbid"`: any other key fails the load).
_BASE_KEYS = frozenset({"agent_class", "name", "description", "sub_agents", "before_agent_callbacks", "after_agent_callbacks"})
KEYS = {
    LLM: _BASE_KEYS
    | {
        "model", "model_code", "instruction", "static_instruction", "disallow_transfer_to_parent",
        "disallow_transfer_to_peers", "input_schema", "output_schema", "output_key", "include_contents",
        "tools", "before_model_callbacks", "after_model_callbacks", "before_tool_callbacks",
        "after_tool_callbacks", "generate_content_config",
    },
    SEQUENTIAL: _BASE_KEYS,
    PARALLEL: _BASE_KEYS,
    LOOP: _BASE_KEYS | {"max_iterations"},
}
_CALLBACKS = ("before_agent_callbacks", "after_agent_callbacks", "before_model_callbacks", "after_model_callbacks",
              "before_tool_callbacks", "after_tool_callbacks")
# Built-in tools (google.adk.tools) that never set `actions.escalate`.
_QUIET_TOOLS = frozenset(
    """AgentTool APIHubToolset ApiRegistry DiscoveryEngineSearchTool MCPToolset McpToolset RemoteMcpServer
    VertexAiLoadProfilesTool VertexAiSearchTool enterprise_web_search get_user_choice google_maps_grounding
    google_search load_artifacts load_memory preload_memory request_input transfer_to_agent url_context""".split()
)
# What each class can express. `role` is ADK's `description`, which only a parent LLM agent
# reads (to choose a transfer target): a root_agent.yaml has no parent, so it is not asked for.
_SETTABLE = {
    LLM: frozenset({"role", "timeout_seconds", "max_attempts"}),
    LOOP: frozenset({"role", "max_iterations"}),
    SEQUENTIAL: frozenset({"role"}),
    PARALLEL: frozenset({"role"}),
}


def claims(path: str, text: str) -> bool:
    if _NAME.search(text) is None:
        return False
    if posixpath.basename(path) in _ROOT_FILES:
        return True
    return _HINT.search(text) is not None and (_OTHER.search(text) is None or "agent_class" in text)


def agent_class(value: Any) -> str | None:
    """The built-in class a config names, or None for any other (custom, unreleased) class."""
    name = value if isinstance(value, str) else LLM
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    return _CLASSES.get(name)


def resolve(path: str, config_path: str) -> str | None:
    """``config_path`` relative to the referencing file's folder, as a repository-relative
    POSIX path; None when absolute or outside the checked tree (nothing to compare with)."""
    if config_path.startswith("/") or re.match(r"[A-Za-z]:[\\/]", config_path):
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), config_path.replace("\\", "/")))
    return None if resolved == ".." or resolved.startswith("../") else resolved


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        data = doc.data
        if not isinstance(data, dict) or "name" not in data:
            continue
        # A root_agent.yaml, an agent_class or the schema modeline say "ADK config"; a file that
        # only has name + instruction/sub_agents is taken as one when it uses ADK keys alone.
        strong = posixpath.basename(doc.path) in _ROOT_FILES or "agent_class" in data or "/AgentConfig.json" in file.text
        if not strong and not data.keys() <= KEYS[LLM]:
            continue
        name = data["name"]
        if not isinstance(name, str) or not name.isidentifier() or name == "user":
            message = "name must be a Python identifier other than 'user' (ADK refuses the config)"
            out.problems.append(shape_problem(doc, ("name",), message))
            if not isinstance(name, str) or not name:
                continue
        _adapt_agent(doc, data, out)
        _instructions(file, doc, data, out)
    return out


def _instructions(file: LoadedFile, doc: LocatedDoc, data: dict[str, Any], out: Adapted) -> None:
    """The agent's instructions as instruction text (secret-in-prompt judges it)."""
    from agentlint.adapters._instructions import add_instructions

    keys = ("instruction", "static_instruction", "global_instruction")
    add_instructions(file, out, ((doc, (key,), data.get(key), f"agent '{data['name']}'") for key in keys))


class _File:
    """What one config file contributes, collected while reading it."""

    def __init__(self, doc: LocatedDoc, agent: str, part: str) -> None:
        self.doc, self.agent, self.part = doc, agent, part
        self.edges: list[Edge] = []
        self.references: list[AgentReference] = []
        self.terminals: list[str] = []
        self.opaque = False  # runs something this file cannot see (code sub-agent, unknown class)

    def span(self, pointer: Pointer) -> Span:
        smap = self.doc.source_map
        return smap.value(pointer) or smap.locate(pointer)

    def edge(self, source: str, target: str, kind: EdgeKind, at: Pointer, *, condition: str | None = None,
             max_traversals: int | None = None, bound_at: Pointer | None = None) -> None:
        fields = (("max_traversals", self.span(bound_at)),) if bound_at is not None else ()
        self.edges.append(Edge(self.doc.ref(at), self.span(at), fields, source, target, kind, self.part,
                               condition, max_traversals))

    def reference(self, target: str, at: Pointer, context: str) -> None:
        self.references.append(AgentReference(self.doc.ref(at), self.span(at), (), target, self.part, context))


def _children(f: _File, data: dict[str, Any], out: Adapted) -> list[tuple[str, Pointer]]:
    """The sub-agents defined in config files, as (alias, pointer of the config_path value)."""
    entries = data.get("sub_agents")
    if entries is None:
        return []
    if not isinstance(entries, list):
        out.problems.append(shape_problem(f.doc, ("sub_agents",), "sub_agents must be a list of {config_path: …} or {code: …}"))
        return []
    found = []
    for index, entry in enumerate(entries):
        at: Pointer = ("sub_agents", index)
        keys = set(entry) if isinstance(entry, dict) else set()
        if not isinstance(entry, dict) or len(keys & {"config_path", "code"}) != 1 or keys - {"config_path", "code"}:
            message = "a sub-agent is exactly one of {config_path: <file>} or {code: <python.path>}"
            out.problems.append(shape_problem(f.doc, at, message))
            continue
        if "code" in entry:
            f.opaque = True
            continue
        config_path = entry["config_path"]
        if not isinstance(config_path, str):
            out.problems.append(shape_problem(f.doc, at + ("config_path",), "config_path must be a file path"))
            continue
        target = resolve(f.doc.path, config_path)
        if target is not None:
            alias = f"file:{target}"
            f.reference(alias, at + ("config_path",), "sub-agent")
            found.append((alias, at + ("config_path",)))
    return found


def _tools(f: _File, data: dict[str, Any], out: Adapted) -> tuple[list[str], bool]:
    """Tool names, and whether one of them may escalate (end an enclosing LoopAgent)."""
    entries = data.get("tools")
    if entries is None:
        return [], False
    if not isinstance(entries, list):
        out.problems.append(shape_problem(f.doc, ("tools",), "tools must be a list of {name: …, args: …}"))
        return [], False
    names, escalates = [], False
    for index, entry in enumerate(entries):
        at: Pointer = ("tools", index)
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            out.problems.append(shape_problem(f.doc, at, "a tool is a mapping with a 'name' (and optional 'args')"))
            continue
        for key in entry:
            if key not in ("name", "args"):
                message = f"unknown key '{key}' in tools/{index}: ADK refuses to load it (a tool takes only name and args)"
                out.problems.append(shape_problem(f.doc, at + (key,), message, key=True))
        name = entry["name"]
        names.append(name)
        short = name.removeprefix("google.adk.tools.")
        if short not in _QUIET_TOOLS:
            escalates = True  # exit_loop, or a function that may set tool_context.actions.escalate
        args = entry.get("args")
        if short == "AgentTool" and isinstance(args, dict):
            agent = args.get("agent")
            path = agent.get("config_path") if isinstance(agent, dict) else agent
            where = at + ("args", "agent") + (("config_path",) if isinstance(agent, dict) else ())
            target = resolve(f.doc.path, path) if isinstance(path, str) else None
            if target is not None:
                alias = f"file:{target}"
                f.reference(alias, where, "tool agent")
                f.edge(f.agent, alias, EdgeKind.CALL, where, condition="the model calls the agent tool")
                f.terminals.append(alias)  # it answers its caller
    return names, escalates


def _number(f: _File, pointer: Pointer, value: Any, out: Adapted, minimum: float) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= minimum:
        return value
    if value is not None:
        out.problems.append(shape_problem(f.doc, pointer, f"{pointer[-1]} must be a number ≥ {minimum:g}, not {value!r}"))
    return None


# ADK's own keys for the neutral limits, named in messages (the timeout is in milliseconds).
KEYS_OF_LIMITS = (
    ("timeout_seconds", "generate_content_config.http_options.timeout"),
    ("max_attempts", "generate_content_config.http_options.retry_options.attempts"),
    ("max_iterations", "max_iterations"),
)


def _written_limits(data: dict[str, Any]) -> dict[str, bool]:
    """Whether the timeout and the retry attempts are written (whatever their value): a value
    that _limits rejected is invalid, not absent."""
    config = data.get("generate_content_config")
    http = config.get("http_options") if isinstance(config, dict) else None
    http = http if isinstance(http, dict) else {}
    retry = http.get("retry_options")
    return {
        "timeout_seconds": http.get("timeout") is not None,
        "max_attempts": isinstance(retry, dict) and retry.get("attempts") is not None,
    }


def _limits(f: _File, data: dict[str, Any], out: Adapted) -> tuple[float | None, int | None, list[tuple[str, Span]]]:
    """(timeout in seconds, max attempts, field spans) from generate_content_config.http_options."""
    config = data.get("generate_content_config")
    http = config.get("http_options") if isinstance(config, dict) else None
    if not isinstance(http, dict):
        return None, None, []
    base: Pointer = ("generate_content_config", "http_options")
    fields: list[tuple[str, Span]] = []
    timeout = _number(f, base + ("timeout",), http.get("timeout"), out, 1)
    if timeout is not None:
        fields.append(("timeout_seconds", f.span(base + ("timeout",))))
    attempts = None
    retry = http.get("retry_options")
    if isinstance(retry, dict):
        written = _number(f, base + ("retry_options", "attempts"), retry.get("attempts"), out, 0)
        if "attempts" in retry and written is not None:
            attempts = max(1, int(written))  # 0 and 1 both mean a single try
            fields.append(("max_attempts", f.span(base + ("retry_options", "attempts"))))
        elif "attempts" not in retry or retry["attempts"] is None:
            attempts = 5  # google-genai: "If not specified, default to 5"
            fields.append(("max_attempts", f.doc.source_map.locate(base + ("retry_options",))))
    return (timeout / 1000 if timeout is not None else None), attempts, fields


def _adapt_agent(doc: LocatedDoc, data: dict[str, Any], out: Adapted) -> None:
    name: str = data["name"]
    f = _File(doc, name, doc.path)
    cls = agent_class(data.get("agent_class"))
    if cls is None:
        f.opaque = True  # a custom or unreleased class (ADK's GraphAgent sample): runs what it likes
    else:
        for key in data:
            if key not in KEYS[cls]:
                message = f"unknown key '{key}' for {cls}: ADK refuses to load the config (its schema forbids extra keys)"
                out.problems.append(shape_problem(doc, (key,), message, key=True))
    children = _children(f, data, out)
    tools, escalates = _tools(f, data, out) if cls in (LLM, None) else ([], False)
    timeout, attempts, limit_fields = _limits(f, data, out) if cls == LLM else (None, None, [])
    rejected = frozenset(
        attribute for attribute, written in _written_limits(data).items() if cls == LLM and written and (timeout if attribute == "timeout_seconds" else attempts) is None
    )
    bound = data.get("max_iterations") if cls == LOOP else None
    if cls == LOOP and bound is not None and (not isinstance(bound, int) or isinstance(bound, bool)):
        out.problems.append(shape_problem(doc, ("max_iterations",), f"max_iterations must be an integer, not {bound!r}"))
        bound = None
    if bound == 0:
        bound = None  # no limit: LoopAgent loops `while not self.max_iterations or times_looped < …`
    if cls == LLM or cls is None:
        for alias, at in children:
            f.edge(name, alias, EdgeKind.HANDOFF if cls == LLM else EdgeKind.CALL, at,
                   condition="the model transfers to it" if cls == LLM else "the agent runs it")
            f.terminals.append(alias)
    elif cls == PARALLEL:
        for alias, at in children:
            f.edge(name, alias, EdgeKind.CALL, at)
            f.terminals.append(alias)
    elif children:  # SequentialAgent, LoopAgent: the parent runs each child, in order
        for alias, at in children:
            f.edge(name, alias, EdgeKind.SEQUENCE, at)
        for (before, _), (after, at) in zip(children, children[1:]):
            f.edge(before, after, EdgeKind.SEQUENCE, at)
        if cls == SEQUENTIAL:
            f.terminals.extend(alias for alias, _ in children)  # each returns to the SequentialAgent
        elif bound is not None or f.opaque:
            f.terminals.append(children[-1][0])  # a bounded (or partly unseen) loop may end after it
        if cls == LOOP:
            at = ("max_iterations",) if bound is not None else ("agent_class",)
            f.edge(children[-1][0], children[0][0], EdgeKind.SEQUENCE, at, condition="the next iteration",
                   max_traversals=max(0, bound - 1) if bound is not None else None,
                   bound_at=("max_iterations",) if bound is not None else None)
    if escalates or f.opaque or any(data.get(key) for key in _CALLBACKS):
        f.terminals.append(name)  # may escalate: can end an enclosing loop
    root = posixpath.basename(doc.path) in _ROOT_FILES
    role = data.get("description")
    instruction = data.get("instruction")
    model = data.get("model")
    fields = [(attr, f.span((key,))) for key, attr in (("description", "role"), ("description", "description"),
              ("instruction", "prompt"), ("model", "model")) if key in data]
    if "tools" in data:
        fields.append(("tools", doc.source_map.locate(("tools",))))
    if cls == LOOP and bound is not None:
        fields.append(("max_iterations", f.span(("max_iterations",))))
    agent = Agent(
        ref=doc.ref(("name",)),
        span=f.span(("name",)),
        fields=tuple(fields + limit_fields),
        name=name,
        graph=f.part,
        framework=FRAMEWORK,
        role=role.strip() if isinstance(role, str) and role.strip() else None,
        model=model if isinstance(model, str) else None,
        prompt=instruction if isinstance(instruction, str) else None,
        description=role.strip() if isinstance(role, str) and role.strip() else None,
        tools=tuple(tools),
        timeout_seconds=timeout,
        max_attempts=attempts,
        settable=_SETTABLE[cls] - ({"role"} if root else set()) if cls is not None else frozenset(),
        invalid=rejected,
        keys=KEYS_OF_LIMITS,
    )
    out.parts.append(
        GraphPart(
            ref=doc.ref(),
            span=f.span(("name",)),
            fields=(),
            name=f.part,
            entry=name if root else None,
            terminals=tuple(dict.fromkeys(f.terminals)),
            agents=(agent,),
            edges=tuple(f.edges),
            references=tuple(f.references),
            framework=FRAMEWORK,
            aliases=((f"file:{doc.path}", name),),
            turn_limit_default="adk.max_llm_calls",
        )
    )


ADAPTER = Adapter(FRAMEWORK, frozenset({Syntax.YAML}), claims, adapt)
