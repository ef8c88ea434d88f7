"""Settings a ``@CrewBase`` class writes in code over an ``agents.yaml`` entry, joined after
every file is read.

``Agent(config=self.agents_config["researcher"], max_iter=5)`` in ``src/crew/crew.py`` builds
the agent ``researcher`` of ``src/crew/config/agents.yaml`` with ``max_iter`` 5: CrewAI's
``process_config`` copies a config key only when the call leaves that field unset, so what the
code writes wins. The code adapter emits one ``CrewAgentSettings`` per such call; here each is
applied to the YAML agent of the same crew (the graph the YAML adapter names after the folder)
and the same key: a value the code states replaces the YAML one and the default; a value it does
not state makes the attribute unknown (never missing). With no such YAML agent nothing changes.
Pure and linear.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from agentlint.model.entities import Agent, GraphPart, Located


@dataclass(frozen=True, slots=True)
class CrewAgentSettings(Located):
    graph: str  # the crew's folder, as adapters/crewai.graph_name names it
    agent: str  # the agents.yaml key
    values: tuple[tuple[str, object], ...]  # (neutral attribute, value) the code states
    unknown: frozenset[str] = frozenset()  # attributes the code sets to values it does not state
    written: tuple[tuple[str, str], ...] = ()


def _apply(agent: Agent, patch: CrewAgentSettings) -> Agent:
    touched = {name for name, _ in patch.values} | patch.unknown
    changes: dict[str, object] = dict(patch.values)
    changes["implicit"] = tuple(item for item in agent.implicit if item[0] not in touched)
    if agent.settable is not None and patch.unknown:
        changes["settable"] = agent.settable - patch.unknown
    changes["invalid"] = agent.invalid - touched
    for name in patch.unknown:
        if name in ("timeout_seconds", "max_attempts", "max_iterations", "model"):
            changes[name] = None
    changes["written"] = tuple(item for item in agent.written if item[0] not in touched) + patch.written
    return replace(agent, **changes)  # type: ignore[arg-type]


def apply_crew_settings(parts: list[GraphPart], entities: list) -> list[GraphPart]:
    patches: dict[tuple[str, str], CrewAgentSettings] = {}
    for entity in entities:
        if isinstance(entity, CrewAgentSettings):
            patches.setdefault((entity.graph, entity.agent), entity)
    if not patches:
        return parts
    out: list[GraphPart] = []
    for part in parts:
        if part.framework == "crewai" and any((part.name, agent.name) in patches for agent in part.agents):
            agents = tuple(_apply(a, patches[(part.name, a.name)]) if (part.name, a.name) in patches else a for a in part.agents)
            part = replace(part, agents=agents)
        out.append(part)
    return out
