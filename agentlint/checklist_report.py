"""The checklist roll-up: one row per readiness item (seed.md 1.1, 1.2, 1.3 and privacy).

:func:`build` is a pure function of the run (``RunResult``), the ``Project`` the rules saw,
and the rule classes (``registry.all_rules()``). It decides each item's status:

- ``fail``: an active finding of one of the item's rules at error or warning;
- ``open``: no such finding, but ``todo`` suppressions of its rules remain (known debt);
- ``pass``: entities of the item's kind were checked and nothing is open;
- ``not assessed``: no input of that kind was found (or none of its rules ran). Absence is
  never a pass: a repository with no agent graphs says nothing about agent timeouts.

The renderers (``agentlint.report.checklist_md`` / ``checklist_html``) take the
:class:`ChecklistReport`; they sit in the report layer and do not import this module.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    checked: int  # entities of the item's kind in the project
    checked_kind: str  # what ``checked`` counts
    evidence: tuple[Evidence, ...]  # sorted: findings and todos of the item's rules


@dataclass(frozen=True, slots=True)
class ChecklistReport:
    title: str
    rows: tuple[ItemRow, ...]  # checklist order
    files_checked: int
    input_problems: int  # active findings about agentlint's own inputs (item INPUTS_VALID)
    topology_mermaid: str  # "" when the project has no agent graphs
    topology_svg: str = ""  # HTML fragment with one SVG picture per graph; "" without graphs

    def counts(self) -> tuple[tuple[Status, int], ...]:
        return tuple((status, sum(1 for r in self.rows if r.status is status)) for status in Status)


_CLIENT_ITEMS = frozenset({Checklist.AGENT_TIMEOUTS, Checklist.AGENT_RETRY_LIMITS})


def _kind_counts(project: Project) -> dict[str, tuple[int, str]]:
    """Section -> (number of entities checked, what they are)."""
    agents = sum(1 for _ in project.agents())
    return {
        "1.1": (agents, "agents"),
        "1.2": (len(project.prompts) + len(project.prompt_references), "prompt versions and references"),
        "1.3": (len(project.servers) + len(project.tools) + len(project.policies), "servers, tools and policy entries"),
        # No observability adapter exists yet: privacy items are never assessed by input.
        "P": (0, "observability inputs"),
    }


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
          topology_svg: str | None = None) -> ChecklistReport:
    """Roll ``result`` up by checklist item. ``rules``: code -> rule class (``all_rules()``).
    ``topology_mermaid``: the Mermaid text of the project's graphs, carried to the renderers.
    ``topology_svg``: their SVG pictures as an HTML fragment (None: drawn from ``project``
    and ``result.findings`` when ``topology_mermaid`` is given, else none)."""
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
    kinds = _kind_counts(project)
    rows = []
    for item in items():
        checked, checked_kind = kinds[item.section]
        if item in _CLIENT_ITEMS and project.clients:  # LLM clients in code have timeouts and retries too
            checked, checked_kind = checked + len(project.clients), f"{checked_kind} and LLM clients"
        item_rules = tuple(by_item.get(item, ()))
        assessed = checked > 0 and any(r.code in ran for r in item_rules)
        if failing.get(item):
            status = Status.FAIL
        elif todos.get(item):
            status = Status.OPEN
        elif assessed:
            status = Status.PASS
        else:
            status = Status.NOT_ASSESSED
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
    )


def topology_mermaid(project: Project, findings: tuple[Finding, ...]) -> str:
    """The Mermaid text of every agent graph ("" without graphs)."""
    if not project.graphs:
        return ""
    from agentlint import topology_export

    return topology_export.render("mermaid", project, findings)


def _topology_svg(project: Project, findings: tuple[Finding, ...]) -> str:
    """The SVG pictures of every agent graph as an HTML fragment ("" without graphs)."""
    if not project.graphs:
        return ""
    from agentlint import topology_svg

    return topology_svg.render(project, findings)


FORMATS = ("md", "html")


def render(report: ChecklistReport, fmt: str, *, link_prefix: str = "") -> str:
    """``fmt``: ``md`` or ``html``. ``link_prefix`` is prepended to evidence link targets
    (e.g. ``../`` when the file is written one folder below the paths' root)."""
    if fmt == "md":
        from agentlint.report import checklist_md

        return checklist_md.render(report, link_prefix=link_prefix)
    if fmt == "html":
        from agentlint.report import checklist_html

        return checklist_html.render(report, link_prefix=link_prefix)
    raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")
