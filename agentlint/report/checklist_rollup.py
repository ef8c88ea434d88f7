"""The checklist roll-up: one row per readiness item (seed.md 1.1, 1.2, 1.3 and privacy).

:func:`build` is a pure function of the run (``RunResult``), the ``Project`` the rules saw,
and the rule classes (``registry.all_rules()``). It decides each item's status:

- ``fail``: an active finding of one of the item's rules at error or warning;
- ``open``: no such finding, but ``todo`` suppressions of its rules remain (known debt);
- ``pass``: every rule of the item ran, on at least one entity it inspects, and nothing is open;
- ``not assessed`` otherwise, with the :class:`Reason`: no rule checks the item yet, some of its
  rules did not run (off by default, like AL405, or deselected: the row names them), or no
  entity its rules inspect was found. Absence is never a pass: a repository with no agent
  graphs says nothing about agent timeouts, and an item is never ``fail`` or ``pass`` with 0
  entities checked.

This module is the roll-up: it reads the model and the rule classes (handed in: the report
layer does not import the registry). The renderers (``agentlint.report.checklist_md`` /
``checklist_html``) take the :class:`ChecklistReport` duck-typed and import neither the model
nor this module. The date and commit in the header are passed in by the CLI: nothing here
reads a clock or runs git.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agentlint import __version__
from agentlint.checklist import Checklist
from agentlint.findings import Finding, RunResult, Severity, SuppressionKind

if TYPE_CHECKING:
    from agentlint.model.project import Project

TITLE = "Pre-deployment readiness"

SECTIONS = {
    "1.1": "Agent configuration",
    "1.2": "Prompt & agent versioning",
    "1.3": "MCP tooling",
    "P": "Privacy, security & compliance",
}


class Status(enum.Enum):
    FAIL = "fail"
    OPEN = "open"
    PASS = "pass"
    NOT_ASSESSED = "not assessed"

    def __str__(self) -> str:
        return self.value


class Reason(enum.Enum):
    """Why an item is not assessed (None for the other statuses)."""

    NO_CHECK = "no check exists yet"
    RULES_OFF = "its rules are not enabled"
    SOME_RULES_OFF = "some of its rules are not enabled"
    NO_INPUT = "no input of that kind was found"
    PARTLY_CHECKED = "only part of it can be checked yet"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class RuleRef:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """A located reason for a status: an active finding, or a todo suppression."""

    path: str
    line: int
    column: int
    code: str
    kind: str  # "error" | "warning" | "info" (active findings) or "todo"
    text: str  # the finding's message, or the todo's reason

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.path, self.line, self.column, self.code, self.kind, self.text)


@dataclass(frozen=True, slots=True)
class ItemRow:
    number: str
    title: str
    section: str
    status: Status
    rules: tuple[RuleRef, ...]
    checked: int  # entities of the kinds the item's rules inspect, in the project
    checked_kind: str  # what ``checked`` counts
    evidence: tuple[Evidence, ...]  # sorted: findings and todos of the item's rules
    reason: Reason | None = None  # why not assessed
    not_run: tuple[RuleRef, ...] = ()  # rules of the item this run did not run (enable them)


@dataclass(frozen=True, slots=True)
class ChecklistReport:
    title: str
    rows: tuple[ItemRow, ...]  # checklist order
    files_checked: int
    input_problems: int  # active findings about agentlint's own inputs (item INPUTS_VALID)
    topology_mermaid: str  # "" when the project has no agent graphs
    topology_svg: str = ""  # HTML fragment with one SVG picture per graph; "" without graphs
    version: str = ""  # agentlint's version
    date: str | None = None  # the day of the run (ISO 8601), as the CLI passes it; None: left out
    commit: str | None = None  # the checked repository's commit, when in git; None: left out

    def counts(self) -> tuple[tuple[Status, int], ...]:
        return tuple((status, sum(1 for r in self.rows if r.status is status)) for status in Status)


# The entity kinds (``Rule.entities``) the report counts, in display order, with what they are
# called and how many the project holds.
COUNTED: dict[str, tuple[str, Callable[[Project], int]]] = {
    "Agent": ("agents", lambda p: sum(1 for _ in p.agents())),
    "AgentGraph": ("graphs", lambda p: len(p.graphs)),
    "Edge": ("edges", lambda p: sum(len(g.edges) for g in p.graphs)),
    "AgentReference": ("agent references", lambda p: sum(len(g.references) for g in p.graphs)),
    "Task": ("tasks", lambda p: sum(len(g.tasks) for g in p.graphs)),
    "GraphEntryPoint": ("deployment graph entries", lambda p: len(p.deployment.entry_points)),
    "LLMClient": ("LLM clients", lambda p: len(p.clients)),
    "ClientDefault": ("LLM client settings", lambda p: len(p.client_defaults)),
    "PromptVersion": ("prompt versions", lambda p: len(p.prompts)),
    "PromptReference": ("prompt references", lambda p: len(p.prompt_references)),
    "InstructionText": ("instruction texts", lambda p: len(p.instructions)),
    "ToolServer": ("servers", lambda p: len(p.servers)),
    "PackageRef": ("packages", lambda p: len(p.packages)),
    "Tool": ("tools", lambda p: len(p.tools)),
    "ToolReference": ("tool references", lambda p: len(p.tool_references)),
    "PolicyEntry": ("policy entries", lambda p: len(p.policies)),
    "ExampleConfig": ("tool examples", lambda p: len(p.examples)),
    "DeploymentDependency": ("deployment dependencies", lambda p: len(p.deployment.dependencies)),
    "EnvSettings": ("environment settings", lambda p: len(p.deployment.env)),
    "TelemetrySwitch": ("telemetry settings", lambda p: len(p.of(_kind("telemetry", "TelemetrySwitch")))),
    "TracingSetup": ("tracing set-ups", lambda p: len(p.of(_kind("telemetry", "TracingSetup")))),
    "DataFlow": ("unmasked data flows", lambda p: len(p.of(_kind("flows", "DataFlow")))),
    "CollectorConfig": ("Collector configs", lambda p: len(p.of(_kind("collector", "CollectorConfig")))),
    "StoreSecret": ("trace-store secrets", lambda p: len(p.of(_kind("trace_store", "StoreSecret")))),
    "PublishedStore": ("published trace stores", lambda p: len(p.of(_kind("trace_store", "PublishedStore")))),
    "LLMCall": ("LLM calls in code", lambda p: len(p.of(_kind("instrumentation", "LLMCall")))),
    "ManualSpan": ("manual spans", lambda p: len(p.of(_kind("instrumentation", "ManualSpan")))),
    "ToolFunction": ("tool functions", lambda p: len(p.of(_kind("instrumentation", "ToolFunction")))),
    "CodeExecution": ("places running model-written code", lambda p: len(p.of(_kind("code_execution", "CodeExecution")))),
}


def _kind(module: str, name: str) -> type:
    """An entity class of ``agentlint.model.<module>`` (imported when a report counts it)."""
    import importlib

    return getattr(importlib.import_module(f"agentlint.model.{module}"), name)


def _switches(*concerns: str) -> Callable[[Project], int]:
    """Telemetry settings of the given concerns (``Concern`` values): the ones an item is about."""

    def count(project: Project) -> int:
        return sum(1 for s in project.of(_kind("telemetry", "TelemetrySwitch")) if s.concern.value in concerns)

    return count


# Kinds an item counts more narrowly than COUNTED does: P.3 is about sampling settings only.
SCOPED: dict[tuple[Checklist, str], Callable[[Project], int]] = {
    (Checklist.PROMPTS_NOT_LOGGED_RAW, "TelemetrySwitch"): _switches("content-capture", "debug-logging"),
    (Checklist.TRACES_SAMPLED, "TelemetrySwitch"): _switches("sampling"),
    (Checklist.EXPORTS_ENCRYPTED, "TelemetrySwitch"): _switches("transport"),
}


# Kinds rules only look up to judge another kind, never report on: a module's names (AL112
# reports the graph entry), a pin (AL225 reports the dependency), a reference to an env file
# (AL224 reports the setting).
HELPERS = frozenset({"ModuleNames", "DependencyPin", "EnvFileReference"})
_TOOLS = ("ToolServer", "Tool", "PolicyEntry")
_PROMPTS = ("PromptVersion", "PromptReference")
_CLIENTS = ("LLMClient", "ClientDefault")
# What each item is about: the entities whose presence makes it assessable. Every kind a rule
# of the item inspects is among them (edges, agent references and tasks count as their graph;
# HELPERS aside: a test checks it), so an item with findings always has something checked.
SUBJECTS: dict[Checklist, tuple[str, ...]] = {
    Checklist.ROLES_DEFINED: ("Agent",),
    Checklist.TOPOLOGY_REVIEWED: ("Agent", "AgentGraph", "GraphEntryPoint"),
    Checklist.NO_UNBOUNDED_LOOPS: ("Agent", "AgentGraph"),
    Checklist.AGENT_TIMEOUTS: ("Agent", *_CLIENTS),
    Checklist.AGENT_RETRY_LIMITS: ("Agent", "LLMClient"),
    Checklist.PROMPTS_IMMUTABLE: (*_PROMPTS, "Agent"),  # AL409: the model an agent runs
    Checklist.PROMPTS_REVIEWED: _PROMPTS,
    Checklist.PROMPTS_MAPPED: _PROMPTS,
    Checklist.PROMPT_ROLLBACK: _PROMPTS,
    Checklist.TOOLS_PINNED: (*_TOOLS, "PackageRef", "DeploymentDependency"),
    Checklist.TOOLS_LEAST_PRIVILEGE: (*_TOOLS, *_CLIENTS, "EnvSettings", "CodeExecution"),
    Checklist.TOOL_LIMITS: _TOOLS,
    Checklist.TOOL_FAILURE_MODES: _TOOLS,
    Checklist.TOOL_CONTRACTS: (*_TOOLS, "ToolReference", "ExampleConfig"),
    Checklist.PROMPTS_NOT_LOGGED_RAW: (*_PROMPTS, "InstructionText", "DataFlow", "TelemetrySwitch"),
    Checklist.PII_MASKED: ("DataFlow", "CollectorConfig"),
    Checklist.TRACES_SAMPLED: ("TelemetrySwitch",),
    Checklist.EXPORTS_ENCRYPTED: ("TelemetrySwitch",),
    Checklist.TRACE_STORE_SECURED: ("StoreSecret", "PublishedStore"),
    Checklist.TRACING_CONFIGURED: ("Agent", "LLMClient", "TracingSetup"),
    Checklist.SPANS_PER_STEP: ("LLMCall", "ManualSpan", "TracingSetup"),
    Checklist.TOOLS_TRACED: ("ToolFunction", "ManualSpan", "TracingSetup"),
    Checklist.TOKEN_ATTRIBUTES: ("ManualSpan", "TracingSetup"),
}
# Kinds that let an item fail but not pass: an agent on a dated model snapshot says nothing
# about prompt versions, yet one on a floating alias fails 1.2.1 (AL409).
FAIL_ONLY: dict[Checklist, frozenset[str]] = {
    Checklist.PROMPTS_IMMUTABLE: frozenset({"Agent"}),
    Checklist.TOOLS_LEAST_PRIVILEGE: frozenset({"CodeExecution"}),  # each one is an AL226 finding
}
# Items whose rules check only part of them: they can fail, never pass. P.1 and P.2: the data
# flow of AL501-AL503 is local to a function and reads only modules that name an LLM or tracing
# library, so a clean run does not show that no prompt or PII is logged anywhere.
PARTLY_CHECKED = frozenset({Checklist.PROMPTS_NOT_LOGGED_RAW, Checklist.PII_MASKED})


def _checked(item: Checklist, project: Project, leave_out: frozenset[str] = frozenset()) -> tuple[int, str]:
    """How many entities the item is about the project holds, and what they are."""
    kinds = [kind for kind in SUBJECTS.get(item, ()) if kind not in leave_out]
    shown = [kind for kind in COUNTED if kind in kinds]
    labels = [COUNTED[kind][0] for kind in shown]
    what = ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1] if labels else "inputs"
    return sum(SCOPED.get((item, kind), COUNTED[kind][1])(project) for kind in shown), what


def _evidence(finding: Finding, todo: bool) -> Evidence:
    return Evidence(
        path=finding.path,
        line=finding.line,
        column=finding.column,
        code=finding.code,
        kind="todo" if todo else finding.severity.value,
        text=finding.suppression_reason if todo else finding.message,
    )


def items() -> tuple[Checklist, ...]:
    """The items the report has a row for: every seed item, not agentlint's own."""
    return tuple(item for item in Checklist if item is not Checklist.INPUTS_VALID)


def build(result: RunResult, project: Project, rules: Mapping[str, Any], topology_mermaid: str = "",
          topology_svg: str | None = None, *, date: str | None = None, commit: str | None = None) -> ChecklistReport:
    """Roll ``result`` up by checklist item. ``rules``: code -> rule class (``all_rules()``).
    ``topology_mermaid``: the Mermaid text of the project's graphs, carried to the renderers.
    ``topology_svg``: their SVG pictures as an HTML fragment (None: drawn from ``project``
    and ``result.findings`` when ``topology_mermaid`` is given, else none). ``date`` and
    ``commit`` go into the header as given (None: left out)."""
    by_item: dict[Checklist, list[RuleRef]] = {}
    item_of: dict[str, Checklist] = {}
    for code in sorted(rules):
        rule = rules[code]
        by_item.setdefault(rule.checklist, []).append(RuleRef(code, rule.name))
        item_of[code] = rule.checklist
    ran = set(result.rules_run) if result.rules_run else set(rules)
    failing: dict[Checklist, bool] = {}
    evidence: dict[Checklist, list[Evidence]] = {}
    input_problems = 0
    for finding in result.findings:
        item = item_of.get(finding.code, Checklist.INPUTS_VALID)
        if item is Checklist.INPUTS_VALID:
            input_problems += 1
            continue
        evidence.setdefault(item, []).append(_evidence(finding, todo=False))
        if finding.severity.rank >= Severity.WARNING.rank:
            failing[item] = True
    todos: dict[Checklist, int] = {}
    for finding in result.suppressed:
        item = item_of.get(finding.code, Checklist.INPUTS_VALID)
        if finding.suppression is SuppressionKind.TODO and item is not Checklist.INPUTS_VALID:
            evidence.setdefault(item, []).append(_evidence(finding, todo=True))
            todos[item] = todos.get(item, 0) + 1
    rows = []
    for item in items():
        item_rules = tuple(by_item.get(item, ()))
        not_run = tuple(r for r in item_rules if r.code not in ran)
        checked, checked_kind = _checked(item, project)
        if len(not_run) == len(item_rules):  # no rule ran: nothing was checked
            checked = 0
        status, reason = _status(item_rules, not_run, checked, failing.get(item, False), todos.get(item, 0))
        if status is Status.PASS and item in PARTLY_CHECKED:
            status, reason = Status.NOT_ASSESSED, Reason.PARTLY_CHECKED
        elif status is Status.PASS and item in FAIL_ONLY and not _checked(item, project, FAIL_ONLY[item])[0]:
            status, reason = Status.NOT_ASSESSED, Reason.NO_INPUT
        rows.append(
            ItemRow(
                number=item.number,
                title=item.title,
                section=item.section,
                status=status,
                rules=item_rules,
                checked=checked,
                checked_kind=checked_kind,
                evidence=tuple(sorted(evidence.get(item, ()), key=Evidence.sort_key)),
                reason=reason,
                not_run=not_run,
            )
        )
    return ChecklistReport(
        title=TITLE,
        rows=tuple(rows),
        files_checked=result.files_checked,
        input_problems=input_problems,
        topology_mermaid=topology_mermaid,
        topology_svg=(topology_svg if topology_svg is not None
                      else _topology_svg(project, result.findings) if topology_mermaid else ""),
        version=__version__,
        date=date,
        commit=commit,
    )


def _status(rules: tuple[RuleRef, ...], not_run: tuple[RuleRef, ...], checked: int, failing: bool,
            todos: int) -> tuple[Status, Reason | None]:
    """An item fails on its findings and is open on its todos, but only with something checked;
    it passes only when every one of its rules ran and found nothing."""
    if not rules:
        return Status.NOT_ASSESSED, Reason.NO_CHECK
    if len(not_run) == len(rules):
        return Status.NOT_ASSESSED, Reason.RULES_OFF
    if checked == 0:
        return Status.NOT_ASSESSED, Reason.NO_INPUT
    if failing:
        return Status.FAIL, None
    if todos:
        return Status.OPEN, None
    if not_run:
        return Status.NOT_ASSESSED, Reason.SOME_RULES_OFF
    return Status.PASS, None


def topology_mermaid(project: Project, findings: tuple[Finding, ...]) -> str:
    """The Mermaid text of every agent graph ("" without graphs)."""
    if not project.graphs:
        return ""
    from agentlint.report import topology

    return topology.render("mermaid", project, findings)


def _topology_svg(project: Project, findings: tuple[Finding, ...]) -> str:
    """The SVG pictures of every agent graph as an HTML fragment ("" without graphs)."""
    if not project.graphs:
        return ""
    from agentlint.report import topology_svg

    return topology_svg.render(project, findings)

