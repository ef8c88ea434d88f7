"""Worst-case budget of one request: static upper bounds on LLM calls and wall-clock time.

Along the worst path from the entry agent, each agent costs
``iterations × attempts`` LLM calls and ``timeout × attempts`` seconds, where unset values
take the framework's default when it has one (resolved for the pinned version) and an agent
with no iteration limit at all counts as one call per attempt. An agent it delegates to (a
DELEGATE or CALL edge: smolagents managed agents, agents run in a PydanticAI tool, agents as
tools) runs inside one of its steps and reports back, so each step can cost one call plus the
dearest delegate's whole worst case: ``iterations × attempts × (1 + delegate)``; its time is
added once (a caller's timeout encloses the work of its steps). A loop (strongly connected
component) multiplies the cost of its agents by how often it can repeat: one plus the sum of
its bounds, when every cycle in it passes a bound; unbounded otherwise, unless a run-level
turn limit caps it (explicit, or the framework's default when it is finite for the pinned
version: the policy of AL102/AL103/AL111). A run-level cap on LLM *requests* (ADK
``RunConfig.max_llm_calls``, PydanticAI ``UsageLimits.request_limit``) counts every attempt
itself: it caps the total calls of the request, and an unbounded loop under it costs the cap,
not the cap × attempts. The worst path is a longest-path pass over the DAG of components:
linear in the graph. ``None`` means unbounded, and ``culprits`` says why.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from agentlint.model.budget_text import EMPTY, Leaf, Part, Path, Terms, agents, choice, form, path_text, render, total
from agentlint.model.defaults import implicit_cap, resolve
from agentlint.model.entities import Agent, Edge, EdgeKind
from agentlint.model.agent_graph import AgentGraph


class Cause(enum.Enum):
    """Why a factor of the budget has no bound."""

    NO_TIMEOUT = "no timeout"  # missing-timeout (AL301) reports the agent itself
    INVALID_TIMEOUT = "invalid timeout"  # written with a rejected value: its AL002 is the defect
    NO_ITERATION_LIMIT = "no iteration limit"
    UNBOUNDED_LOOP = "unbounded loop"

    @property
    def factors(self) -> tuple[str, ...]:
        """The factors it leaves unbounded."""
        if self is Cause.NO_ITERATION_LIMIT:
            return ("LLM calls",)
        if self is Cause.UNBOUNDED_LOOP:
            return ("LLM calls", "time")
        return ("time",)


@dataclass(frozen=True, slots=True)
class Culprit:
    thing: Agent | Edge  # where it is: the agent, or the loop's first edge
    reason: str
    cause: Cause


@dataclass(frozen=True, slots=True)
class Budget:
    entry: str
    llm_calls: float | None  # None: unbounded
    seconds: float | None
    path: tuple[str, ...]  # agents along the worst path, component by component from the entry's
    culprits: tuple[Culprit, ...]  # what makes a factor unbounded, and how
    endless: bool = False  # a reachable loop has no exit at all (endless-cycle reports it)
    # the arithmetic along ``path``: "researcher 25×1 + 3 passes × (writer 5×3 + critic 1×2)"
    calls_formula: str = ""
    seconds_formula: str = ""


# Numbers from files may be any size (a 400-digit max_iterations, a timeout of 1e400 read as
# infinity): each is capped here, far above any budget threshold, so that the arithmetic stays
# finite and a huge value still compares as huge. None alone means unbounded.
CEILING = 1e15


def finite(value: float | int) -> float:
    """``value`` as a float no larger than CEILING (NaN counts as the ceiling too)."""
    if isinstance(value, int) and value >= CEILING:
        return CEILING
    number = float(value)
    return number if number < CEILING else CEILING  # False for NaN as well


def number_text(value: float | int) -> str:
    """A number for a message: ``25``, ``0.5``, ``1234567``, or ``at least 10^15`` for a capped one."""
    if finite(value) >= CEILING:
        return "at least 10^15"
    return str(value) if isinstance(value, int) else f"{value:g}"


def _value(agent: Agent, attribute: str, pins: dict[str, str]) -> tuple[float | None, bool]:
    """(value, known): the explicit value, else the framework default; known=False when
    neither exists."""
    explicit = getattr(agent, attribute)
    if explicit is not None:
        return finite(explicit), True
    key = agent.default_for(attribute)
    if key is None:
        return None, False
    resolved = resolve(key, pins)
    value = resolved.value
    if attribute == "max_attempts" and value is not None and resolved.default.unit == "retries":
        value += 1  # a retry limit of 2 means 3 attempts
    return value, True


def _calls_model(agent: Agent) -> bool:
    """A step of its framework that can call a model (an IF or HTTP node cannot)."""
    return agent.can_set("model") or agent.model is not None


def _formula(agent: Agent, pins: dict[str, str]) -> tuple[str, str]:
    """``name iterations×attempts`` and ``name timeout s×attempts`` for one agent."""
    iterations, known = _value(agent, "max_iterations", pins)
    attempts, known_attempts = _value(agent, "max_attempts", pins)
    timeout, _ = _value(agent, "timeout_seconds", pins)
    each = 1.0 if not known or iterations is None else iterations
    times = attempts if known_attempts and attempts is not None else 1.0
    waits = f"{agent.name} {number_text(timeout)} s×{number_text(times)}" if timeout is not None else ""
    if not _calls_model(agent):
        return "", waits  # a step that calls no model adds no call, but its timeout may add time
    return f"{agent.name} {number_text(each)}×{number_text(times)}", waits


def _agent_cost(agent: Agent, pins: dict[str, str]) -> tuple[float | None, float | None, list[Culprit]]:
    culprits: list[Culprit] = []
    iterations, known = _value(agent, "max_iterations", pins)
    if not known:
        iterations = 1.0  # no loop of its own that anyone declared: one call per attempt
    elif iterations is None:
        culprits.append(Culprit(agent, f"agent '{agent.name}' has no iteration limit", Cause.NO_ITERATION_LIMIT))
    attempts, known = _value(agent, "max_attempts", pins)
    attempts = attempts if known and attempts is not None else 1.0
    timeout, known = _value(agent, "timeout_seconds", pins)
    calls = None if iterations is None else iterations * attempts
    if not _calls_model(agent):
        calls = 0.0  # a workflow step that calls no model (IF, Set, HTTP …)
    seconds = None if timeout is None else timeout * attempts
    if timeout is None and "timeout_seconds" in agent.invalid:
        culprits.append(Culprit(agent, f"agent '{agent.name}' has an invalid timeout", Cause.INVALID_TIMEOUT))
    elif timeout is None and agent.can_set("timeout_seconds"):
        culprits.append(Culprit(agent, f"agent '{agent.name}' has no timeout", Cause.NO_TIMEOUT))
    elif timeout is None:
        seconds = 0.0  # a step with no model call and no timeout field: not a wait we can bound
    return calls, seconds, culprits


def _add(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


def _mul(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a * b


def _max(values: Any) -> float | None:
    items = list(values)
    return None if any(v is None for v in items) else max(items, default=0.0)


# A delegate (smolagents managed agent, PydanticAI agent run in a tool) or an agent called as a
# tool (OpenAI Agents as_tool, ADK AgentTool) runs inside one step of its caller and reports
# back: each of the caller's steps may run it once more, so its cost multiplies.
_NESTED = (EdgeKind.DELEGATE, EdgeKind.CALL)
# Run-level caps that count LLM requests in total (every attempt is a request), not turns.
_REQUEST_SETTINGS = frozenset({"RunConfig.max_llm_calls", "usage_limits.request_limit"})
_REQUEST_UNITS = frozenset({"LLM calls", "requests"})
_INF = float("inf")


@dataclass(frozen=True, slots=True)
class _Worst:
    """The worst case from one component on: its totals (inf: unbounded), agents and arithmetic
    (shared with the components before it, not copied: see budget_text)."""

    calls: float
    seconds: float
    path: Path | None
    calls_text: Terms
    seconds_text: Terms


_NOTHING = _Worst(0.0, 0.0, None, EMPTY, EMPTY)


def _val(value: float | None) -> float:
    return _INF if value is None else value


def _request_cap(graph: AgentGraph, implicit: Any) -> tuple[float, str] | None:
    """(cap, what it is) when the run-level cap counts LLM requests (ADK max_llm_calls,
    PydanticAI request_limit) rather than turns; None otherwise."""
    if graph.turn_limit is not None:
        part = graph.turn_limit_part()
        setting = part.turn_limit_setting if part is not None else None
        if setting in _REQUEST_SETTINGS:
            return finite(graph.turn_limit), f"{setting} {graph.turn_limit}"
        return None
    if implicit is not None and implicit.value is not None and not implicit.default.per_loop and implicit.default.unit in _REQUEST_UNITS:
        return finite(implicit.value), f"{implicit.default.setting} {number_text(implicit.value)} ({implicit.default.package} default)"
    return None


def _loop_text(loop: Any) -> str:
    """``a → b → a`` along the loop's witness (as graph.cycle_path writes it), bounded like a path."""
    return path_text((*(edge.source for edge in loop.witness), loop.witness[-1].target))


def budget(graph: AgentGraph, topology: Any, pins: dict[str, str]) -> Budget | None:
    """The worst-case budget from the graph's entry agent; None when there is no entry or the
    run-level cap is set to a value the source does not state."""
    from agentlint.model.digraph import condensation, topological_order

    if graph.entry is None or graph.entry not in graph.agents or graph.turn_limit_unstated:
        return None  # no entry, or a cap whose value the source does not state: no worst case
    reach = topology.reachable_from(graph.entry)
    sub = topology.digraph.subgraph(reach)
    dag = condensation(sub)
    members: dict[int, list[str]] = {c: sorted(dag.members[c]) for c in dag}
    # the run-level cap, explicit or a finite framework default (the same bound AL102/AL103/
    # AL111 judge); a loop node's own default count (Flowise maxLoopCount) bounds each loop
    # like max_traversals on its back edge instead
    turn_cap: float | None = None if graph.turn_limit is None else finite(graph.turn_limit)
    loop_cap: float | None = None
    implicit = implicit_cap(graph.turn_limit, graph.turn_limit_default, pins)
    if implicit is not None and implicit.default.per_loop:
        loop_cap = None if implicit.value is None else finite(implicit.value)
    elif implicit is not None:
        turn_cap = None if implicit.value is None else finite(implicit.value)
    requests = _request_cap(graph, implicit)
    loops = {frozenset(c.agents): c for c in topology.cycles()}
    unbounded = {frozenset(loop.agents): loop for loop, _ in topology.unbounded_loops()}
    # edges between components: a delegation nests the target's cost in its caller's steps;
    # any other edge continues the path after the source
    nested: dict[str, set[int]] = {}
    following: dict[int, set[int]] = {c: set() for c in dag}
    for edge in graph.edges:
        if edge.source not in dag.mapping or edge.target not in dag.mapping:
            continue
        a, b = dag.mapping[edge.source], dag.mapping[edge.target]
        if a == b:
            continue
        if edge.kind in _NESTED and _calls_model(graph.agents[edge.source]):
            nested.setdefault(edge.source, set()).add(b)
        else:
            following[a].add(b)
    best: dict[int, _Worst] = {}
    found: dict[int, list[Culprit]] = {}
    endless = False
    order = topological_order(dag)
    for component in reversed(order):  # successors first: a caller needs its delegates' cost
        names = members[component]
        calls: float | None = 0.0
        seconds: float | None = 0.0
        culprits: list[Culprit] = []
        costs = []
        calls_terms: list[Part] = []
        seconds_terms: list[Part] = []
        inner: list[Path] = []
        for name in names:
            agent = graph.agents[name]
            c, s, why = _agent_cost(agent, pins)
            tc, ts = _formula(agent, pins)
            term: Part | None = Leaf(tc, _val(c)) if tc else None
            wait: list[Part] = [Leaf(ts, _val(s))] if ts else []
            if nested.get(name):
                worst = best[max(sorted(nested[name]), key=lambda d: (best[d].calls, best[d].seconds))]
                c = _mul(c, None if worst.calls == _INF else 1.0 + worst.calls)
                c = None if c is None else finite(c)  # nested products of huge limits stay finite
                s = _add(s, None if worst.seconds == _INF else worst.seconds)
                if term is not None:
                    term = form((f"{tc} × (1 + ", worst.calls_text if worst.calls_text.items else "0", ")"), _val(c), (f"{tc} × (1 + ", ")"))
                wait += [worst.seconds_text] if worst.seconds_text.items else []
                inner += [worst.path] if worst.path is not None else []
            calls, seconds = _add(calls, c), _add(seconds, s)
            costs.append((agent, c, s))
            calls_terms += [term] if term is not None else []
            seconds_terms += [wait[0] if len(wait) == 1 else total(wait)] if wait else []
            culprits += why
        text_calls, text_seconds = total(calls_terms), total(seconds_terms)
        loop = loops.get(frozenset(names))
        if loop is not None:
            bounds = finite(sum(e.max_traversals or 0 for e in loop.bounded_edges) + sum(a.max_iterations or 0 for a in loop.bounded_agents))
            repeats: float | None = 1.0 + bounds
            free = [u for key, u in unbounded.items() if key <= frozenset(names)]
            if free and loop_cap is not None:
                repeats = 1.0 + bounds + loop_cap * len(free)  # each loop counted like a bounded edge
            elif free and requests is not None:
                # a cap on LLM requests bounds the loop's calls itself, retries included; each
                # request waits at most one timeout of the slowest agent
                cap, what = requests
                calling = [(a, s) for a, c, s in costs if c != 0.0]
                calls = cap if calling else 0.0
                waits = [None if s is None else _value(a, "timeout_seconds", pins)[0] or 0.0 for a, s in calling]
                seconds = _mul(cap, _max(waits))
                repeats = 1.0
                text_calls = total([Leaf(what, cap)]) if calling else EMPTY
                shown: list[Part] = [Leaf(f"{a.name} {number_text(w)} s", w) for (a, _), w in zip(calling, waits) if w]
                head = f"{number_text(cap)} requests × the slowest of ("
                text_seconds = total([form((head, choice(shown), ")"), _val(seconds), (head, ")"))]) if shown else EMPTY
            elif free and turn_cap is not None:
                # a turn cap counts turns, and one turn is one agent: cap × the dearest agent
                calls = _mul(turn_cap, _max(c for _, c, _ in costs))
                seconds = _mul(turn_cap, _max(t for _, _, t in costs))
                repeats = 1.0
                head, slow = f"{number_text(turn_cap)} turns × the dearest of (", f"{number_text(turn_cap)} turns × the slowest of ("
                text_calls = total([form((head, choice(calls_terms), ")"), _val(calls), (head, ")"))])
                text_seconds = total([form((slow, choice(seconds_terms), ")"), _val(seconds), (slow, ")"))])
            elif free:
                repeats = None
                if loop.has_exit:
                    culprits += [Culprit(u.witness[0], f"loop {_loop_text(u)} has no bound", Cause.UNBOUNDED_LOOP) for u in free if u.witness]
            if not loop.has_exit:
                endless = True
            calls, seconds = _mul(calls, repeats), _mul(seconds, repeats)
            if repeats is not None and repeats != 1.0:
                reasons: list[Part] = [Leaf("1", 1.0)]
                reasons += [Leaf(f"max_traversals {number_text(e.max_traversals or 0)} ({e.source} → {e.target})", finite(e.max_traversals or 0)) for e in loop.bounded_edges]
                reasons += [Leaf(f"max_iterations {number_text(a.max_iterations or 0)} ({a.name})", finite(a.max_iterations or 0)) for a in loop.bounded_agents]
                if free and loop_cap is not None:
                    reasons += [Leaf(f"default loop count {number_text(loop_cap)}", loop_cap)] * len(free)
                passes = f"{number_text(repeats)} passes"
                text_calls = total([form((f"{passes} [", total(reasons), "] × (", text_calls, ")"), _val(calls), (f"{passes} × (", ")"))])
                text_seconds = total([form((f"{passes} × (", text_seconds, ")"), _val(seconds), (f"{passes} × (", ")"))])
        found[component] = culprits
        tail = max((best[d] for d in sorted(following[component])), key=lambda w: (w.calls, w.seconds), default=_NOTHING)
        best[component] = _Worst(
            _val(calls) + tail.calls,
            _val(seconds) + tail.seconds,
            Path(tuple(names), tuple(inner), tail.path),
            total(text_calls.parts, tail.calls_text),
            total(text_seconds.parts, tail.seconds_text),
        )
    worst = best[dag.mapping[graph.entry]]
    total_calls, calls_formula = worst.calls, ""
    # every unbounded factor a request can reach, not just those on the path chosen among ties
    culprits = tuple(c for component in order for c in found[component])
    if requests is not None:
        # the run stops at its cap on LLM requests, whatever the agents' own limits allow
        cap, what = requests
        culprits = tuple(c for c in culprits if c.cause is not Cause.NO_ITERATION_LIMIT)
        if total_calls > cap:
            total_calls, calls_formula = cap, f"{what}, the run's cap on LLM requests"
    return Budget(
        entry=graph.entry,
        llm_calls=None if total_calls == _INF else total_calls,
        seconds=None if worst.seconds == _INF else worst.seconds,
        path=agents(worst.path),
        culprits=culprits,
        endless=endless,
        calls_formula=calls_formula or render(worst.calls_text),
        seconds_formula=render(worst.seconds_text),
    )
