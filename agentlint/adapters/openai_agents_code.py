"""OpenAI Agents SDK code (``from agents import Agent, Runner, handoff``) -> neutral graphs.

Agents joined by handoffs or ``as_tool`` calls form one graph per connected group, named
``<path>:<variable>`` after the variable of its starting agent (the one ``Runner.run`` starts
when that is known), else of its first agent. Handoffs are conditional ``HANDOFF`` edges (the
model decides), ``as_tool`` a ``CALL`` edge. Every agent can end the run by answering, so
every agent is a terminal. The SDK has no static entry declaration: the entry is the agent the
module's runs start at when they all start at one, else none, and no rule asks for one.

Run-level bound (``GraphPart.turn_limit``, ``turn_limit_setting="max_turns"``): the worst case
over the runs that may start in the group (``_code/openai_agents.py``). With no run in the
module, or only runs that leave it unset, the SDK default applies
(``openai-agents.max_turns``: 10, an implicit bound that AL111 reports as info at most).
``max_turns=None`` is no bound at all; a value the code does not state is a bound of unknown
size. A run on an agent imported from another module is a ``GraphRun`` linked later.

Static ``instructions=`` are located instruction text (AL408 judges them). Agents only set
``model`` here (``settable``): their timeouts and retries belong to the model
clients (``ModelSettings``, the OpenAI client), which other adapters read.
"""

from __future__ import annotations

from agentlint.adapters._code.instruction_code import instruction_text
from agentlint.adapters._code.openai_agents import AgentDef, AgentsReader, Run
from agentlint.adapters._code.scope import ModuleFacts, facts_of
from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.code_link import GraphRun, GraphSymbol
from agentlint.model.defaults import DEFAULTS
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart
from agentlint.model.source import NodeRef, Span

FRAMEWORK = "openai-agents"
DEFAULT_KEY = "openai-agents.max_turns"
ALIAS = "py:"  # an agent of another module, by dotted name: ``py:app.team.billing``


def claims(path: str, text: str) -> bool:
    # one scan for most modules: the import forms are looked for only in those naming "agents"
    return path.endswith(".py") and "agents" in text and ("from agents" in text or "import agents" in text)


class _Module:
    def __init__(self, facts: ModuleFacts, reader: AgentsReader) -> None:
        self.facts = facts
        self.reader = reader
        self.path = facts.module.path
        self.out = Adapted()
        self.variables: dict[int, list[str]] = {}
        self.texts: set[int] = set()
        self.names: dict[str, int] = {}
        plain = reader.plain_module_bindings()
        for name, value in facts.bindings.items():
            value = value if value is not None else plain.get(name)
            agent = reader.agent_of(value, None) if value is not None else None
            if agent is not None:
                self.variables.setdefault(id(agent), []).append(name)

    def label(self, agent: AgentDef) -> str:
        if agent.foreign is not None:
            return f"{ALIAS}{agent.foreign}"
        if agent.name is not None:
            return agent.name
        names = self.variables.get(id(agent))
        return names[0] if names else f"agent@{agent.span.start.line}"

    def symbols(self, agent: AgentDef) -> list[str]:
        """The dotted names other modules import this agent by: the module's own, and the
        same without leading packages (``src.app.team.billing`` is imported as ``app.team.billing``)."""
        out = []
        for variable in self.variables.get(id(agent), []):
            parts = f"{self.facts.key}.{variable}".split(".")
            out.extend(".".join(parts[cut:]) for cut in range(len(parts) - 1))
        return out

    def variable(self, agent: AgentDef) -> str:
        names = self.variables.get(id(agent))
        if names:
            return names[0]
        if agent.scope is not None:  # agents of two functions may share a local name
            local = [n for n, v in agent.scope.bindings.items() if v is agent.call]
            return f"{agent.scope.node.name}.{local[0] if local else f'line{agent.span.start.line}'}"
        return f"line{agent.span.start.line}"

    def groups(self) -> list[list[AgentDef]]:
        agents = [a for a in self.reader.agents.values() if a.same_as is None] + list(self.reader.foreign.values())
        parent = {id(a): id(a) for a in agents}

        def root(key: int) -> int:
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        for agent in agents:
            for link in [*agent.handoffs, *agent.tools]:
                if link.target is not None and id(link.target) in parent:
                    parent[root(id(agent))] = root(id(link.target))
        grouped: dict[int, list[AgentDef]] = {}
        for agent in agents:
            grouped.setdefault(root(id(agent)), []).append(agent)
        # this module's agents first, in source order; other modules' agents only when this
        # module links them (``billing.handoffs.append(triage)`` in a wiring module)
        ordered = [sorted(g, key=lambda a: (a.foreign is not None, a.span.start, a.span.end)) for g in grouped.values()]
        return [g for g in ordered if g[0].foreign is None or any(a.handoffs or a.tools for a in g)]

    def adapt(self) -> Adapted:
        unknown_runs = [run for run in self.reader.runs if run.agent is None and run.symbol is None]
        for group in sorted(self.groups(), key=lambda g: g[0].span.start):
            members = {id(a) for a in group}
            runs = [run for run in self.reader.runs if run.agent is not None and id(run.agent) in members]
            starts = {id(run.agent) for run in runs}
            entry = next((a for a in group if id(a) in starts), None) if len(starts) == 1 and not unknown_runs else None
            head = entry or _root(group)
            name = f"{self.path}:{self.variable(head) if head.foreign is None else _shown(self.label(head))}"
            taken = self.names[name] = self.names.get(name, 0) + 1
            name = name if taken == 1 else f"{name}#{taken}"  # a name bound twice at module level
            self.out.parts.append(self.part(group, name, entry, runs + unknown_runs))
            for variable in (v for a in group for v in self.variables.get(id(a), [])):
                self.out.entities.append(
                    GraphSymbol(NodeRef(self.path, ("symbols", variable)), head.span, (), f"{self.facts.key}.{variable}", name)
                )
        for run in self.reader.runs:
            if run.symbol is not None and run.limit[0] in ("value", "unknown"):
                limit = run.limit[1] if run.limit[0] == "value" else None
                ref = NodeRef(self.path, ("runs", run.symbol, run.span.start.line))
                self.out.entities.append(GraphRun(ref, run.span, (), run.symbol, limit, True, "max_turns"))
        return self.out

    def part(self, group: list[AgentDef], name: str, entry: AgentDef | None, runs: list[Run]) -> GraphPart:
        base = NodeRef(self.path, ("graph", name.rsplit(":", 1)[-1]))
        agents, edges, refs = [], [], []
        complete = True
        seen: dict[str, int] = {}
        for agent in group:
            label = self.label(agent)
            if agent.foreign is None:
                agents.append(
                    Agent(base.child("agents", label), agent.name_span, tuple(agent.fields), label, name, FRAMEWORK,
                          model=agent.model, settable=frozenset({"model"}))
                )
            if agent.foreign is None and id(agent.instructions) not in self.texts:  # a clone sends its original's text: one finding
                self.texts.add(id(agent.instructions))
                text = instruction_text(self.facts, agent.instructions, agent.instructions_scope,
                                        base.child("agents", label, "instructions"), f"agent '{label}'", "instructions")
                if text is not None:
                    self.out.entities.append(text)
            complete = complete and agent.handoffs_known and agent.tools_known
            for link in [*agent.handoffs, *agent.tools]:
                if link.target is None:
                    complete = False
                    continue
                target = self.label(link.target)
                key = f"{label}->{target}"
                seen[key] = seen.get(key, 0) + 1
                ref = base.child("edges", key if seen[key] == 1 else f"{key}#{seen[key]}")
                said, heard = _shown(label), _shown(target)
                if link.call:
                    edges.append(Edge(ref, link.span, (), label, target, EdgeKind.CALL, name, f"{said} calls {heard} as a tool"))
                else:
                    edges.append(Edge(ref, link.span, (), label, target, EdgeKind.HANDOFF, name, f"{said} hands off to {heard}"))
                refs.append(AgentReference(ref.child("target"), link.span, (), target, name, "edge target"))
                if agent.foreign is not None:  # joins this part to the defining module's
                    refs.append(AgentReference(ref.child("source"), link.span, (), label, name, "edge source"))
        if entry is not None:
            refs.append(AgentReference(base.child("entry"), entry.name_span, (), self.label(entry), name, "entry"))
        limit, unstated, default, span, symbol = _turn_limit(runs)
        return GraphPart(
            base, _where(group), (("turn_limit", span),) if span is not None else (), name,
            entry=self.label(entry) if entry is not None else None,
            terminals=tuple(dict.fromkeys(a.name for a in agents)),
            aliases=tuple((f"{ALIAS}{symbol}", self.label(a)) for a in group for symbol in self.symbols(a)),
            agents=tuple(agents),
            edges=tuple(edges),
            references=tuple(refs),
            framework=FRAMEWORK,
            turn_limit=limit,
            turn_limit_default=default,
            turn_limit_unstated=unstated,
            turn_limit_symbol=symbol,
            turn_limit_setting="max_turns" if limit is not None or unstated else None,
            entry_declarable=False,
            complete=complete,
        )


def _where(group: list[AgentDef]) -> Span:
    """Where a group's part is: its first agent here, else the first link this module writes."""
    if group[0].foreign is None:
        return group[0].span
    return next(link.span for agent in group for link in [*agent.handoffs, *agent.tools])


def _shown(label: str) -> str:
    return label[len(ALIAS):].rsplit(".", 1)[-1] if label.startswith(ALIAS) else label


def _root(group: list[AgentDef]) -> AgentDef:
    """The agent that names a group without a known start: one no other agent of the group
    links to, else the one linking to most others (a triage agent), else the first."""
    group = [agent for agent in group if agent.foreign is None] or group
    targets = {id(link.target) for agent in group for link in [*agent.handoffs, *agent.tools] if link.target is not agent}
    free = [agent for agent in group if id(agent) not in targets]
    if len(free) == 1:
        return free[0]
    order = {id(agent): index for index, agent in enumerate(group)}
    return max(group, key=lambda a: (len({id(l.target) for l in [*a.handoffs, *a.tools]}), -order[id(a)]))


def _turn_limit(runs: list[Run]) -> tuple[int | None, bool, str | None, Span | None, str | None]:
    """(turn_limit, unstated, default key, where, symbol): the worst case over the runs."""
    if not runs:
        return None, False, DEFAULT_KEY, None, None
    disabled = [run for run in runs if run.limit[0] == "none"]
    if disabled:
        return None, False, None, disabled[0].span, None  # max_turns=None: no bound at all
    unknown = [run for run in runs if run.limit[0] == "unknown"]
    if unknown:
        symbols = {run.limit[1] for run in unknown}
        symbol = symbols.pop() if len(symbols) == 1 else None
        return None, True, None, unknown[0].span, symbol
    stated = [run for run in runs if run.limit[0] == "value"]
    highest = max(stated, key=lambda run: run.limit[1]) if stated else None
    if any(run.limit[0] == "default" for run in runs) and (highest is None or highest.limit[1] < (DEFAULTS[DEFAULT_KEY].at(None) or 0)):
        return None, False, DEFAULT_KEY, None, None
    assert highest is not None
    return highest.limit[1], False, None, highest.span, None


def adapt(loaded: LoadedFile) -> Adapted:
    facts = facts_of(loaded)
    if facts is None:
        return Adapted()
    reader = AgentsReader(facts, loaded.text)
    reader.read()
    if not reader.agents and not reader.runs and not any(a.handoffs or a.tools for a in reader.foreign.values()):
        return Adapted()
    return _Module(facts, reader).adapt()


ADAPTER = Adapter("openai-agents-code", frozenset({Syntax.PYTHON}), claims, adapt)
