"""Worst-case budget of one request: static upper bounds on LLM calls and wall-clock time.

Along the worst path from the entry agent, each agent costs
``iterations × attempts`` LLM calls and ``timeout × attempts`` seconds, where unset values
take the framework's default when it has one (resolved for the pinned version) and an agent
with no iteration limit at all counts as one call per attempt. A loop (strongly connected
component) multiplies the cost of its agents by how often it can repeat: one plus the sum of
its bounds, when every cycle in it passes a bound; unbounded otherwise, unless a run-level
turn limit caps it (explicit, or the framework's default when it is finite for the pinned
version: the policy of AL102/AL103/AL111). The worst path is a longest-path pass over the DAG of components:
linear in the graph. ``None`` means unbounded, and ``culprits`` says why.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from agentlint.model.defaults import implicit_cap, resolve
from agentlint.model.entities import Agent, Edge
from agentlint.model.graph import cycle_path
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


def _formula(agent: Agent, pins: dict[str, str]) -> tuple[str, str]:
    """``name iterations×attempts`` and ``name timeout s×attempts`` for one agent."""
    iterations, known = _value(agent, "max_iterations", pins)
    attempts, known_attempts = _value(agent, "max_attempts", pins)
    timeout, _ = _value(agent, "timeout_seconds", pins)
    each = 1.0 if not known or iterations is None else iterations
    times = attempts if known_attempts and attempts is not None else 1.0
    if not agent.can_set("model") and agent.model is None:
        return "", ""  # a step that calls no model adds nothing
    return f"{agent.name} {number_text(each)}×{number_text(times)}", f"{agent.name} {number_text(timeout)} s×{number_text(times)}" if timeout is not None else ""


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
    if not agent.can_set("model") and agent.model is None:
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
    loops = {frozenset(c.agents): c for c in topology.cycles()}
    unbounded = {frozenset(loop.agents): loop for loop, _ in topology.unbounded_loops()}
    cost: dict[int, tuple[float | None, float | None, list[Culprit]]] = {}
    shown: dict[int, tuple[str, str]] = {}  # the arithmetic of each component
    endless = False
    for component, names in members.items():
        calls: float | None = 0.0
        seconds: float | None = 0.0
        culprits: list[Culprit] = []
        costs = []
        terms = [_formula(graph.agents[name], pins) for name in names]
        text_calls, text_seconds = " + ".join(t for t, _ in terms if t), " + ".join(t for _, t in terms if t)
        for name in names:
            c, s, why = _agent_cost(graph.agents[name], pins)
            calls, seconds = _add(calls, c), _add(seconds, s)
            costs.append((c, s))
            culprits += why
        loop = loops.get(frozenset(names))
        if loop is not None:
            bounds = finite(sum(e.max_traversals or 0 for e in loop.bounded_edges) + sum(a.max_iterations or 0 for a in loop.bounded_agents))
            repeats: float | None = 1.0 + bounds
            free = [u for key, u in unbounded.items() if key <= frozenset(names)]
            if free and loop_cap is not None:
                repeats = 1.0 + bounds + loop_cap * len(free)  # each loop counted like a bounded edge
            elif free and turn_cap is not None:
                # a turn cap counts turns, and one turn is one agent: cap × the dearest agent
                calls = _mul(turn_cap, _max(c for c, _ in costs))
                seconds = _mul(turn_cap, _max(t for _, t in costs))
                repeats = 1.0
                text_calls = f"{number_text(turn_cap)} turns × the dearest of ({', '.join(t for t, _ in terms if t)})"
                text_seconds = f"{number_text(turn_cap)} turns × the slowest of ({', '.join(t for _, t in terms if t)})"
            elif free:
                repeats = None
                if loop.has_exit:
                    culprits += [Culprit(u.witness[0], f"loop {cycle_path(u)} has no bound", Cause.UNBOUNDED_LOOP) for u in free if u.witness]
            if not loop.has_exit:
                endless = True
            calls, seconds = _mul(calls, repeats), _mul(seconds, repeats)
            if repeats is not None and repeats != 1.0:
                why = " + ".join(
                    ["1"]
                    + [f"max_traversals {number_text(e.max_traversals or 0)} ({e.source} → {e.target})" for e in loop.bounded_edges]
                    + [f"max_iterations {number_text(a.max_iterations or 0)} ({a.name})" for a in loop.bounded_agents]
                    + ([f"default loop count {number_text(loop_cap)}"] * len(free) if free and loop_cap is not None else [])
                )
                text_calls = f"{number_text(repeats)} passes [{why}] × ({text_calls})"
                text_seconds = f"{number_text(repeats)} passes × ({text_seconds})"
        cost[component] = (calls, seconds, culprits)
        shown[component] = (text_calls, text_seconds)
    # longest path over the DAG, in reverse topological order
    best: dict[int, tuple[float, float, list[int]]] = {}
    inf = float("inf")
    order = topological_order(dag)
    for component in reversed(order):
        calls, seconds, _ = cost[component]
        own_calls = inf if calls is None else calls
        own_seconds = inf if seconds is None else seconds
        tail = max((best[s] for s in dag.successors(component)), key=lambda b: (b[0], b[1]), default=(0.0, 0.0, []))
        best[component] = (own_calls + tail[0], own_seconds + tail[1], [component] + tail[2])
    start = dag.mapping[graph.entry]
    total_calls, total_seconds, chain = best[start]
    path = tuple(name for component in chain for name in members[component])
    # every unbounded factor a request can reach, not just those on the path chosen among ties
    culprits = tuple(c for component in order for c in cost[component][2])
    return Budget(
        entry=graph.entry,
        llm_calls=None if total_calls == inf else total_calls,
        seconds=None if total_seconds == inf else total_seconds,
        path=path,
        culprits=culprits,
        endless=endless,
        calls_formula=" + ".join(shown[component][0] for component in chain if shown[component][0]),
        seconds_formula=" + ".join(shown[component][1] for component in chain if shown[component][1]),
    )
