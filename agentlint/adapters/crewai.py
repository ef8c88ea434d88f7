"""CrewAI ``config/agents.yaml`` and ``config/tasks.yaml`` (FORMATS.md §1.1).

Claimed by file name and content: every top-level key is an agent (``role``/``goal``/
``backstory``) or a task (``description``/``expected_output``/``agent``). Both files of one
crew live in one folder and give their GraphParts the same name (the folder), so the Project
merges them; a task's ``agent`` becomes an AgentReference checked against agents.yaml.

How a crew runs, and what the graph says about it (read from crewai 1.15.30, 0.86.0):

* Tasks run in file order (a sequential crew). The execution walk over the tasks' agents can
  revisit an agent (``X, Y, X``); an agent graph cannot say "X again, once" without drawing a
  loop ``X → Y → X`` that never repeats at run time. So only the transitions that reach an
  agent for the first time become SEQUENCE edges: the graph is a tree from the first task's
  agent (the entry), every agent that runs a task is reachable, and no false loop appears.
  Terminals are left to the default (agents with no outgoing edge): the last task's agent is
  not always a sink of that tree (``X, Y, X``), and declaring it would report Y as unable to
  finish. The entry is set only when every task names its agent: a task whose agent is
  assigned in Python (``Task(config=..., agent=self.x())``) hides part of the walk.
* ``allow_delegation`` sets ``Agent.delegates`` but draws no edge. Delegation tools are built
  per task for the task's agent (``Crew._prepare_tools``) and a coworker runs the delegated work
  with its own tools only (``BaseAgentTool._execute`` → ``execute_task(task, context)``): a
  delegate can never delegate further, so two delegating agents do not form a loop, and a
  delegation edge back to an earlier task's agent would close a cycle with the sequence that
  never runs. Each delegation is one step of the delegator's own ``max_iter`` loop.
* ``crewai.Agent``/``Task`` take the YAML mapping as ``config`` and silently drop every key
  that is not a model field (``utilities/config.py::process_config``): each such key is an
  AL002 finding saying so (``model:`` is ignored; the model is ``llm:``).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from typing import Any

from agentlint.adapters.base import Adapted, Adapter, shape_problem
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.entities import Agent, AgentReference, Edge, EdgeKind, GraphPart, Task
from agentlint.model.source import Pointer, Span

FRAMEWORK = "crewai"
# Every attribute the neutral model checks has a CrewAI agent field (role, max_execution_time,
# max_retry_limit, max_iter): the rules judge all of them.
SETTABLE = frozenset({"role", "model", "timeout_seconds", "max_attempts", "max_iterations"})
# CrewAI's own keys for the neutral attributes, named in messages (``max_retry_limit`` counts
# retries: the model holds attempts, one more).
KEYS = (("timeout_seconds", "max_execution_time"), ("max_attempts", "max_retry_limit"), ("max_iterations", "max_iter"))
_AGENT_FILES = frozenset({"agents.yaml", "agents.yml"})
_TASK_FILES = frozenset({"tasks.yaml", "tasks.yml"})
_AGENT_CLAIM = re.compile(r"(?:^[ \t]+|[{,][ \t]*)(?:role|goal|backstory)[ \t]*:", re.M)
_TASK_CLAIM = re.compile(r"(?:^[ \t]+|[{,][ \t]*)(?:expected_output|description)[ \t]*:", re.M)
_OTHER = re.compile(r"^(?:apiVersion|kind|version)[ \t]*:[ \t]*[^\s{#]", re.M)
_AGENT_MARKERS = frozenset({"role", "goal", "backstory"})
_TASK_MARKERS = frozenset({"description", "expected_output"})

# Model fields of crewai.Agent (with BaseAgent) in 1.15.30, plus those of 0.86.0 and the keys
# of crew_base.AgentConfig: the keys CrewAI keeps from an agents.yaml entry.
AGENT_KEYS = frozenset(
    """a2a adapted_agent agent_executor agent_knowledge_context agent_ops_agent_id agent_ops_agent_name
    allow_code_execution allow_delegation apps backstory cache cache_handler callbacks checkpoint
    checkpoint_kickoff_event_id code_execution_mode config crew crew_knowledge_context date_format
    embedder embedder_config entity_type execution_context executor_class formatting_errors
    from_repository function_calling_llm goal guardrail guardrail_max_retries i18n id inject_date
    knowledge knowledge_config knowledge_search_query knowledge_sources knowledge_storage llm
    max_execution_time max_iter max_reasoning_attempts max_retry_limit max_rpm max_tokens mcps memory
    multimodal planning planning_config prompt_template reasoning respect_context_window
    response_template role security_config skills step_callback system_template tool_failure_policy
    tools tools_handler tools_results use_better_compaction use_system_prompt verbose""".split()
)
# Model fields of crewai.Task in 1.15.30 and 0.86.0, plus the keys of crew_base.TaskConfig.
TASK_KEYS = frozenset(
    """agent allow_crewai_trigger_context async_execution callback callbacks
    checkpoint_original_description checkpoint_original_expected_output config context converter_cls
    create_directory delegations description end_time expected_output guardrail guardrail_max_retries
    guardrails human_input i18n id input_files markdown max_retries name output output_file output_json
    output_pydantic processed_by_agents prompt_context response_model retry_count security_config
    start_time tool_failure_policy tools tools_errors used_tools""".split()
)
# Keys people write for a setting CrewAI spells differently.
_HINTS = {
    "model": "llm",
    "model_name": "llm",
    "max_iterations": "max_iter",
    "timeout": "max_execution_time",
    "max_time": "max_execution_time",
    "retries": "max_retry_limit",
    "max_retries": "max_retry_limit",
    "delegation": "allow_delegation",
    "allow_delegations": "allow_delegation",
}
_TASK_HINTS = {"agents": "agent", "expected": "expected_output", "output": "expected_output"}


def claims(path: str, text: str) -> bool:
    base = posixpath.basename(path)
    if _OTHER.search(text):
        return False  # agentlint's own format, or another tool's agents.yaml
    if base in _AGENT_FILES:
        return _AGENT_CLAIM.search(text) is not None
    if base in _TASK_FILES:
        return _TASK_CLAIM.search(text) is not None
    return False


def graph_name(path: str) -> str:
    """The crew's graph: its folder, without the conventional ``config`` leaf, so that
    ``src/research_crew/config/agents.yaml`` and ``…/tasks.yaml`` meet in ``src/research_crew``."""
    folder = posixpath.dirname(path)
    if folder == "config":
        folder = ""
    elif folder.endswith("/config"):
        folder = folder[: -len("/config")]
    return folder or "crew"


def _is_dialect(data: Any, markers: frozenset[str]) -> bool:
    return isinstance(data, dict) and any(isinstance(v, dict) and markers & v.keys() for v in data.values())


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    base = posixpath.basename(file.path)
    for doc in file.docs:
        if base in _AGENT_FILES and _is_dialect(doc.data, _AGENT_MARKERS):
            _adapt_agents(doc, out)
            _instructions(file, doc, "agent", ("role", "goal", "backstory"), out)
        elif base in _TASK_FILES and _is_dialect(doc.data, _TASK_MARKERS | {"agent"}):
            _adapt_tasks(doc, out)
            _instructions(file, doc, "task", ("description", "expected_output"), out)
    return out


def _instructions(file: LoadedFile, doc: LocatedDoc, kind: str, keys: tuple[str, ...], out: Adapted) -> None:
    """The text CrewAI puts into the agent's system prompt and the task's prompt."""
    from agentlint.adapters._instructions import add_instructions

    found = ((doc, (name, key), spec.get(key), f"{kind} '{name}'") for name, spec in doc.data.items() if isinstance(spec, dict) for key in keys)
    add_instructions(file, out, found)


def _unknown_key(doc: LocatedDoc, pointer: Pointer, kind: str, hints: dict[str, str], known: frozenset[str]) -> Any:
    key = str(pointer[-1])
    hint = hints.get(key) or next(iter(difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.8)), None)
    advice = f": did you mean '{hint}'?" if hint else ""
    message = f"unknown key '{key}' in {kind} '{pointer[0]}': CrewAI silently ignores it{advice}"
    return shape_problem(doc, pointer, message, key=True)


def _integer(doc: LocatedDoc, pointer: Pointer, value: Any, minimum: int, out: Adapted) -> int | None:
    """An integer setting (integral floats accepted, as pydantic does), else an AL002."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        return value
    if value is not None:
        out.problems.append(shape_problem(doc, pointer, f"{pointer[-1]} must be an integer ≥ {minimum}, not {value!r}"))
    return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def _span(doc: LocatedDoc, pointer: Pointer, value: Any) -> Span:
    """The value of a scalar setting, the key of a list or mapping (whose value may start later)."""
    smap = doc.source_map
    if isinstance(value, (dict, list)):
        return smap.key(pointer) or smap.locate(pointer)
    return smap.value(pointer) or smap.locate(pointer)


def _adapt_agents(doc: LocatedDoc, out: Adapted) -> None:
    name = graph_name(doc.path)
    smap = doc.source_map
    agents: list[Agent] = []
    for agent_name, spec in doc.data.items():
        pointer: Pointer = (agent_name,)
        if not isinstance(spec, dict):
            out.problems.append(
                shape_problem(doc, pointer, f"agent '{agent_name}' must be a mapping of CrewAI agent settings")
            )
            continue
        for key in spec:
            if key not in AGENT_KEYS:
                out.problems.append(_unknown_key(doc, pointer + (key,), "agent", _HINTS, AGENT_KEYS))
        fields: list[tuple[str, Span]] = []
        for key, attribute in (
            ("role", "role"),
            ("goal", "description"),
            ("backstory", "prompt"),
            ("llm", "model"),
            ("tools", "tools"),
            ("max_iter", "max_iterations"),
            ("max_execution_time", "timeout_seconds"),
            ("max_retry_limit", "max_attempts"),
            ("allow_delegation", "delegates"),
        ):
            if key in spec:
                fields.append((attribute, _span(doc, pointer + (key,), spec[key])))
        tools = spec.get("tools")
        if tools is not None and not (isinstance(tools, list) and all(isinstance(t, str) for t in tools)):
            out.problems.append(shape_problem(doc, pointer + ("tools",), "tools must be a list of tool names"))
            tools = None
        delegation = spec.get("allow_delegation")
        if delegation is not None and not isinstance(delegation, bool):
            out.problems.append(shape_problem(doc, pointer + ("allow_delegation",), "allow_delegation must be true or false"))
        max_iter = _integer(doc, pointer + ("max_iter",), spec.get("max_iter"), 1, out)
        seconds = _integer(doc, pointer + ("max_execution_time",), spec.get("max_execution_time"), 1, out)
        retries = _integer(doc, pointer + ("max_retry_limit",), spec.get("max_retry_limit"), 0, out)
        rejected = {
            attribute
            for key, attribute, value in (
                ("max_iter", "max_iterations", max_iter),
                ("max_execution_time", "timeout_seconds", seconds),
                ("max_retry_limit", "max_attempts", retries),
            )
            if spec.get(key) is not None and value is None
        }
        implicit = []
        if "max_iter" not in spec:
            implicit.append(("max_iterations", "crewai.max_iter"))
        if "max_execution_time" not in spec:
            implicit.append(("timeout_seconds", "crewai.max_execution_time"))
        if "max_retry_limit" not in spec:
            implicit.append(("max_attempts", "crewai.max_retry_limit"))
        llm = spec.get("llm")
        agents.append(
            Agent(
                ref=doc.ref(pointer),
                span=smap.key(pointer) or smap.locate(pointer),
                fields=tuple(fields),
                name=str(agent_name),
                graph=name,
                framework=FRAMEWORK,
                role=_text(spec.get("role")),
                model=llm.strip() if isinstance(llm, str) else None,
                prompt=spec["backstory"] if isinstance(spec.get("backstory"), str) else None,
                description=_text(spec.get("goal")),
                tools=tuple(tools or ()),
                timeout_seconds=float(seconds) if seconds is not None else None,
                max_attempts=retries + 1 if retries is not None else None,
                max_iterations=max_iter,
                implicit=tuple(implicit),
                delegates=delegation is True,
                settable=SETTABLE,
                invalid=frozenset(rejected),
                keys=KEYS,
                written=(("max_attempts", f"max_retry_limit: {retries}"),) if retries is not None else (),
            )
        )
    first = next(iter(doc.data), None)
    out.parts.append(
        GraphPart(
            ref=doc.ref(),
            span=(smap.key((first,)) if first is not None else None) or Span.point(1, 1),
            fields=(),
            name=name,
            agents=tuple(agents),
            framework=FRAMEWORK,
            entry_declarable=False,
        )
    )


def _adapt_tasks(doc: LocatedDoc, out: Adapted) -> None:
    name = graph_name(doc.path)
    smap = doc.source_map
    tasks: list[Task] = []
    references: list[AgentReference] = []
    walk: list[tuple[str, Pointer]] = []  # (agent, pointer of the task's `agent` value), in task order
    complete = True
    for task_name, spec in doc.data.items():
        pointer: Pointer = (task_name,)
        if not isinstance(spec, dict):
            out.problems.append(shape_problem(doc, pointer, f"task '{task_name}' must be a mapping of CrewAI task settings"))
            continue
        for key in spec:
            if key not in TASK_KEYS:
                out.problems.append(_unknown_key(doc, pointer + (key,), "task", _TASK_HINTS, TASK_KEYS))
        agent = spec.get("agent")
        if agent is not None and not isinstance(agent, str):
            out.problems.append(shape_problem(doc, pointer + ("agent",), "agent must be the name of an agent"))
            agent = None
        if agent:
            at = pointer + ("agent",)
            references.append(AgentReference(doc.ref(at), smap.value(at) or smap.locate(at), (), agent, name, "task agent"))
            walk.append((agent, at))
        else:
            complete = False
        context = spec.get("context")
        names: list[str] = []
        spans: list[Span] = []
        if isinstance(context, list):
            for index, item in enumerate(context):
                if isinstance(item, str):
                    names.append(item)
                    spans.append(smap.value(pointer + ("context", index)) or smap.locate(pointer + ("context",)))
                else:
                    out.problems.append(shape_problem(doc, pointer + ("context", index), "context entries must be task names"))
        elif context is not None:
            out.problems.append(shape_problem(doc, pointer + ("context",), "context must be a list of task names"))
        fields = tuple(
            (key, _span(doc, pointer + (key,), spec[key])) for key in ("description", "expected_output", "agent", "context") if key in spec
        )
        tasks.append(
            Task(
                ref=doc.ref(pointer),
                span=smap.key(pointer) or smap.locate(pointer),
                fields=fields,
                name=str(task_name),
                graph=name,
                agent=agent or None,
                context=tuple(names),
                context_spans=tuple(spans),
            )
        )
    edges: list[Edge] = []
    seen: set[str] = set()
    previous: str | None = None
    for agent, at in walk:
        if previous is not None and agent not in seen:
            edges.append(
                Edge(
                    ref=doc.ref(at),
                    span=smap.value(at) or smap.locate(at),
                    fields=(),
                    source=previous,
                    target=agent,
                    kind=EdgeKind.SEQUENCE,
                    graph=name,
                )
            )
        seen.add(agent)
        previous = agent
    first = next(iter(doc.data), None)
    out.parts.append(
        GraphPart(
            ref=doc.ref(),
            span=(smap.key((first,)) if first is not None else None) or Span.point(1, 1),
            fields=(),
            name=name,
            entry=walk[0][0] if walk and complete else None,
            edges=tuple(edges),
            references=tuple(references),
            tasks=tuple(tasks),
            framework=FRAMEWORK,
            entry_declarable=False,
            agents_from=tuple(posixpath.join(posixpath.dirname(doc.path), name) for name in sorted(_AGENT_FILES)),
        )
    )


ADAPTER = Adapter(FRAMEWORK, frozenset({Syntax.YAML}), claims, adapt)
