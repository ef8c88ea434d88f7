"""Microsoft Agent Framework declarative YAML and the Semantic Kernel agent spec.

* ``kind: Prompt`` (or ``Agent``): one agent, a single-agent graph: ``name``, ``description``
  (its role), ``instructions``, ``model.id``, ``tools[]``. The format has no timeout, retry or
  iteration field, so none of them is settable.
* ``kind: Workflow``: ``trigger.actions`` (or ``actions``) run in order; ``ConditionGroup`` /
  ``If`` branch, ``Foreach`` runs a body per item, ``GotoAction`` jumps to any action id,
  ``End*`` actions finish. Each ``InvokeAzureAgent`` action is an agent (named by its action
  id: one agent may be invoked by several actions); the other actions are collapsed into the
  edges between agents. A ``GotoAction`` back to an earlier action makes the loop. Top-level
  ``maxTurns`` caps the run's supersteps (else the framework default of 100). A goto guarded
  by a counter (``=Local.Turns < 4`` where the loop body increments ``Local.Turns`` by a
  literal) is bounded by that counter.
* Semantic Kernel agent spec (``type: chat_completion_agent`` …): ``name``, ``description``,
  ``instructions``, ``model.id``, ``tools[].id``.

PowerFx (``=Env.X``) and ``${AzureAI:…}`` values are expressions resolved at run time: they
are never read as literal names or numbers.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from agentlint.adapters.base import Adapted, Adapter, shape_problem, value_at as _at
from agentlint.findings import Violation
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.entities import Agent, Edge, EdgeKind, GraphPart
from agentlint.model.source import Pointer, Span, json_pointer

if TYPE_CHECKING:  # _flow is imported when a workflow is read, not when the adapter is discovered
    from agentlint.adapters._flow import Hop

_API = re.compile(r"^apiVersion\s*:", re.M)
_PROMPT = re.compile(r"""^kind\s*:\s*["']?(?:Prompt|Agent)["']?\s*(?:#.*)?$""", re.M)
_PROMPT_BODY = re.compile(r"^(?:instructions|model)\s*:", re.M)
_WORKFLOW = re.compile(r"""^kind\s*:\s*["']?Workflow["']?\s*(?:#.*)?$""", re.M)
_WORKFLOW_BODY = re.compile(r"^(?:trigger|actions|beginDialog)\s*:", re.M)
SK_TYPES = (
    "chat_completion_agent",
    "openai_assistant",
    "azure_assistant",
    "openai_responses",
    "azure_responses",
    "foundry_agent",
    "azure_ai_agent",
)
_SK = re.compile(r"""^type\s*:\s*["']?(?:""" + "|".join(SK_TYPES) + r""")["']?\s*(?:#.*)?$""", re.M)
_SK_BODY = re.compile(r"^(?:name|instructions)\s*:", re.M)

AGENT_ACTIONS = ("InvokeAzureAgent",)
ENDS = ("EndWorkflow", "EndDialog", "EndConversation", "CancelDialog", "CancelAllDialogs")


def claims(path: str, text: str) -> bool:
    if _API.search(text):
        return False  # Kubernetes-style documents (Argo Workflows, kagent Agents) are not these
    return bool(
        (_WORKFLOW.search(text) and _WORKFLOW_BODY.search(text))
        or (_PROMPT.search(text) and _PROMPT_BODY.search(text))
        or (_SK.search(text) and _SK_BODY.search(text))
    )


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        data = doc.data
        if not isinstance(data, dict):
            continue
        graph = doc.path + (f"[{doc.index}]" if doc.index else "")
        kind = data.get("kind")
        if kind in ("Prompt", "Agent"):
            _single(doc, graph, "maf", data.get("instructions"), (("model", "id"),), ("name", "serverName", "kind"), out)
        elif kind == "Workflow":
            _workflow(doc, graph, out)
        elif data.get("type") in SK_TYPES:
            _single(doc, graph, "semantic-kernel", data.get("instructions"), (("model", "id"),), ("id", "name"), out)
        else:
            continue
        if kind in ("Prompt", "Agent") or data.get("type") in SK_TYPES:
            _instructions(file, doc, data, out)
    return out


def _instructions(file: LoadedFile, doc: LocatedDoc, data: dict[str, Any], out: Adapted) -> None:
    """The agent's instructions as instruction text (secret-in-prompt, AL408, judges them)."""
    from agentlint.adapters._instructions import add_instructions

    name = data.get("name") if isinstance(data.get("name"), str) else doc.path
    add_instructions(file, out, [(doc, ("instructions",), data.get("instructions"), f"agent '{name}'")])


def literal(value: Any) -> str | None:
    """A string written as such, not a PowerFx formula or a ``${…}`` placeholder."""
    if not isinstance(value, str) or not value.strip():
        return None
    if value.lstrip().startswith("=") or "${" in value:
        return None
    return value


def _single(doc: LocatedDoc, graph: str, framework: str, instructions: Any, model_at: tuple[Pointer, ...], tool_keys: tuple[str, ...], out: Adapted) -> None:
    data, smap = doc.data, doc.source_map
    name = literal(data.get("name")) or PurePosixPath(doc.path).stem
    description = literal(data.get("description"))
    model, model_span = None, None
    for pointer in model_at:
        value = _at(data, pointer)
        if literal(value):
            model, model_span = value, smap.value(pointer)
            break
    if model is None and literal(data.get("model")):
        model, model_span = data["model"], smap.value(("model",))
    tools: list[str] = []
    for tool in data.get("tools") or () if isinstance(data.get("tools"), list) else ():
        if isinstance(tool, dict):
            label = next((literal(tool.get(key)) for key in tool_keys if literal(tool.get(key))), None)
            if label:
                tools.append(label)
    fields = tuple(
        (attribute, span)
        for attribute, span in (
            ("role", smap.value(("description",)) if description else None),
            ("description", smap.value(("description",)) if description else None),
            ("model", model_span),
            ("prompt", smap.value(("instructions",)) if literal(instructions) else None),
            ("tools", smap.key(("tools",)) if tools else None),
        )
        if span is not None
    )
    span = smap.value(("name",)) if literal(data.get("name")) else smap.locate(("kind",) if "kind" in data else ("type",))
    agent = Agent(
        ref=doc.ref(),
        span=span,
        fields=fields,
        name=name,
        graph=graph,
        framework=framework,
        role=description,
        model=model,
        prompt=literal(instructions),
        tools=tuple(dict.fromkeys(tools)),
        description=description,
        # neither format has a timeout, retry or iteration field
        settable=frozenset({"role", "description", "model", "prompt", "tools"}),
    )
    out.parts.append(GraphPart(doc.ref(), span, (), graph, entry=name, agents=(agent,), framework=framework))


class _Flow:
    """The workflow's actions as a control-flow graph keyed by action pointer."""

    def __init__(self, doc: LocatedDoc) -> None:
        self.doc = doc
        self.hops: dict[str, list[Hop]] = {}
        self.pointers: dict[str, Pointer] = {}
        self.ids: dict[str, Pointer] = {}
        self.agents: list[str] = []
        self.problems: list[Violation] = []
        self.gotos: list[tuple[Pointer, str, tuple[tuple[str, Pointer], ...]]] = []

    def key(self, pointer: Pointer) -> str:
        return json_pointer(pointer)

    def action_span(self, pointer: Pointer) -> Span:
        smap = self.doc.source_map
        return smap.value(pointer + ("id",)) or smap.value(pointer + ("kind",)) or smap.locate(pointer)

    def into(self, target: str | None, source: Pointer, condition: str | None = None, at: Pointer | None = None) -> Hop:
        """A hop to ``target`` (END when None), located at ``at`` or at the target action."""
        from agentlint.adapters._flow import END, Hop

        smap = self.doc.source_map
        if at is not None:
            return Hop(target or END, self.doc.ref(at), smap.value(at) or smap.locate(at), condition)
        if target is None:
            return Hop(END, self.doc.ref(source), self.action_span(source), condition)
        pointer = self.pointers[target]
        return Hop(target, self.doc.ref(pointer), self.action_span(pointer), condition)

    def collect(self, actions: Any, base: Pointer) -> None:
        """Register every action (nested ones too) before wiring: gotos may jump forward."""
        for index, action in enumerate(actions if isinstance(actions, list) else ()):
            if not isinstance(action, dict):
                continue
            pointer = base + (index,)
            self.pointers[self.key(pointer)] = pointer
            if isinstance(action.get("id"), str):
                self.ids.setdefault(action["id"], pointer)
            for child, nested in _branches(action, pointer):
                self.collect(nested, child)

    def first(self, actions: Any, base: Pointer) -> str | None:
        for index, action in enumerate(actions if isinstance(actions, list) else ()):
            if isinstance(action, dict):
                return self.key(base + (index,))
        return None

    def wire(self, actions: Any, base: Pointer, after: str | None, loop_exit: str | None, guards: tuple[tuple[str, Pointer], ...]) -> None:
        """Hops of each action in ``actions``; ``after`` is where control goes when the list
        ends (None: the run ends)."""
        items = [(i, a) for i, a in enumerate(actions if isinstance(actions, list) else ()) if isinstance(a, dict)]
        for position, (index, action) in enumerate(items):
            pointer = base + (index,)
            key = self.key(pointer)
            nxt = self.key(base + (items[position + 1][0],)) if position + 1 < len(items) else after
            kind = action.get("kind")
            hops: list[Hop] = []
            if kind in AGENT_ACTIONS:
                self.agents.append(key)
            if kind in ("ConditionGroup", "If"):
                for child, nested, condition, cond_at in _conditional(action, pointer):
                    head = self.first(nested, child)
                    guard = guards + ((condition, cond_at),) if cond_at is not None else guards
                    hops.append(self.into(head if head else nxt, pointer, condition, cond_at))
                    self.wire(nested, child, nxt, loop_exit, guard)
            elif kind == "Foreach":
                body = action.get("actions")
                head = self.first(body, pointer + ("actions",))
                if head:
                    hops.append(self.into(head, pointer, "for each item"))
                    self.wire(body, pointer + ("actions",), nxt, nxt, guards)
                hops.append(self.into(nxt, pointer, "no more items"))
            elif kind == "GotoAction":
                target_key = "actionId" if "actionId" in action else "target"
                target = action.get(target_key)
                if isinstance(target, str) and target in self.ids:
                    self.gotos.append((pointer, target, guards))
                    hops.append(self.into(self.key(self.ids[target]), pointer, None, pointer + (target_key,)))
                else:
                    message = f"GotoAction jumps to '{target}', which is no action id of this workflow"
                    self.problems.append(shape_problem(self.doc, pointer + (target_key,) if target_key in action else pointer, message))
            elif kind in ("BreakLoop", "ContinueLoop"):
                hops.append(self.into(loop_exit, pointer))
            elif kind in ENDS:
                hops.append(self.into(None, pointer))
            else:
                hops.append(self.into(nxt, pointer))
            self.hops[key] = hops


def _branches(action: dict[str, Any], pointer: Pointer) -> list[tuple[Pointer, Any]]:
    kind = action.get("kind")
    if kind == "ConditionGroup":
        out = [
            (pointer + ("conditions", i, "actions"), c.get("actions"))
            for i, c in enumerate(action.get("conditions") or ())
            if isinstance(c, dict)
        ]
        return out + [(pointer + ("elseActions",), action.get("elseActions"))]
    if kind == "If":
        then_key = "then" if "then" in action else "actions"
        return [(pointer + (then_key,), action.get(then_key)), (pointer + ("else",), action.get("else"))]
    if kind == "Foreach":
        return [(pointer + ("actions",), action.get("actions"))]
    return []


def _conditional(action: dict[str, Any], pointer: Pointer) -> list[tuple[Pointer, Any, str, Pointer | None]]:
    """(list pointer, actions, condition text, where the condition is written) per branch,
    the fallback branch last (its condition is written nowhere)."""
    out: list[tuple[Pointer, Any, str, Pointer | None]] = []
    if action.get("kind") == "ConditionGroup":
        for i, branch in enumerate(action.get("conditions") or ()):
            if isinstance(branch, dict):
                text = str(branch.get("condition", "")).strip()
                out.append((pointer + ("conditions", i, "actions"), branch.get("actions"), text, pointer + ("conditions", i, "condition")))
        out.append((pointer + ("elseActions",), action.get("elseActions"), "no condition holds", None))
    else:
        then_key = "then" if "then" in action else "actions"
        text = str(action.get("condition", "")).strip()
        out.append((pointer + (then_key,), action.get(then_key), text, pointer + ("condition",)))
        out.append((pointer + ("else",), action.get("else"), f"not ({text})", None))
    return out


def _workflow(doc: LocatedDoc, graph: str, out: Adapted) -> None:
    from agentlint.adapters._flow import Hop, collapse
    from agentlint.adapters._powerfx_counter import counter_bound

    data, smap = doc.data, doc.source_map
    holder: Pointer = ()
    for key in ("trigger", "beginDialog"):
        if isinstance(data.get(key), dict) and isinstance(data[key].get("actions"), list):
            holder = (key,)
            break
    actions = _at(data, holder + ("actions",))
    if not isinstance(actions, list) or not actions:
        out.problems.append(shape_problem(doc, holder or (("kind",) if "kind" in data else ()), "a workflow needs a non-empty 'actions' list"))
        return
    flow = _Flow(doc)
    base = holder + ("actions",)
    flow.collect(actions, base)
    flow.wire(actions, base, None, None, ())
    out.problems.extend(flow.problems)
    if not flow.agents:
        return
    hops = {key: list(value) for key, value in flow.hops.items()}
    for pointer, target, guards in flow.gotos:
        bound = counter_bound(data, flow.ids[target], pointer, guards)
        if bound is not None:
            key = flow.key(pointer)
            limit, at = bound
            hops[key] = [Hop(h.target, h.ref, h.span, at[0], limit, smap.value(at[1])) for h in hops[key]]
    start = flow.first(actions, base)
    assert start is not None
    collapsed = collapse(hops, flow.agents, start)
    agents_keys = list(flow.agents)
    start_agent: Agent | None = None
    if len(collapsed.entries) > 1:
        # several agents can run first: the trigger itself stands for the run's entry
        trigger_id = _at(data, holder + ("id",))
        name = trigger_id if isinstance(trigger_id, str) else "start"
        span = smap.value(holder + ("id",)) or smap.locate(holder or base)
        start_agent = Agent(doc.ref(holder), span, (), name, graph, "maf", settable=frozenset())
        hops[name] = [Hop(start, doc.ref(base), smap.locate(base))]
        agents_keys.insert(0, name)
        collapsed = collapse(hops, agents_keys, name)
    names = {key: _agent_name(data, flow.pointers[key]) for key in flow.agents}
    if start_agent is not None:
        names[start_agent.name] = start_agent.name
    agents = [_workflow_agent(doc, graph, flow.pointers[key], names[key], flow.action_span(flow.pointers[key])) for key in flow.agents]
    if start_agent is not None:
        agents.insert(0, start_agent)
    edges = []
    for link in collapsed.links:
        hop = link.located
        fields = (("max_traversals", hop.bound_span),) if hop.bound_span is not None else ()
        edges.append(
            Edge(hop.ref, hop.span, fields, names[link.source], names[link.target], EdgeKind.SEQUENCE, graph, link.condition, link.bound)
        )
    max_turns = data.get("maxTurns")
    explicit = max_turns if isinstance(max_turns, int) and not isinstance(max_turns, bool) and max_turns > 0 else None
    out.parts.append(
        GraphPart(
            ref=doc.ref(),
            span=smap.locate(("kind",)),
            fields=(("turn_limit", smap.value(("maxTurns",))),) if explicit is not None and smap.value(("maxTurns",)) else (),
            name=graph,
            entry=names[collapsed.entries[0]] if collapsed.entries else None,
            terminals=tuple(names[k] for k in agents_keys if k in collapsed.terminals),
            agents=tuple(agents),
            edges=tuple(edges),
            framework="maf",
            turn_limit=explicit,
            # a maxTurns formula (=Env.MAX_TURNS) is resolved at run time: a cap of unknown size,
            # neither a number nor the default
            turn_limit_unstated=isinstance(max_turns, str) and max_turns.startswith("="),
            turn_limit_setting="maxTurns" if "maxTurns" in data else None,
            turn_limit_default="maf.max_iterations" if "maxTurns" not in data else None,
        )
    )


def _agent_name(data: Any, pointer: Pointer) -> str:
    action = _at(data, pointer)
    if isinstance(action.get("id"), str) and action["id"].strip():
        return action["id"]
    return f"{action.get('kind')}{json_pointer(pointer)}"


def _invoked(action: dict[str, Any], pointer: Pointer) -> tuple[str | None, Pointer | None]:
    agent = action.get("agent")
    if isinstance(agent, dict) and literal(agent.get("name")):
        return agent["name"], pointer + ("agent", "name")
    if literal(agent):
        return agent, pointer + ("agent",)
    if literal(action.get("agentName")):
        return action["agentName"], pointer + ("agentName",)
    return None, None


def _workflow_agent(doc: LocatedDoc, graph: str, pointer: Pointer, name: str, span: Span) -> Agent:
    action = _at(doc.data, pointer)
    invoked, at = _invoked(action, pointer)
    fields = (("description", doc.source_map.value(at)),) if at is not None and doc.source_map.value(at) else ()
    # the invoked agent is defined elsewhere (Foundry, the host's registry): the action names
    # it, and can set neither a role, a timeout, retries nor an iteration limit for it
    return Agent(doc.ref(pointer), span, fields, name, graph, "maf", description=invoked, settable=frozenset({"description"}))


ADAPTER = Adapter("maf", frozenset({Syntax.YAML}), claims, adapt)
