"""Violations -> findings: one run of a rule per option set, suppressions (inline and config),
severities, fingerprints, --whole-project scoping and the baseline: the closing half of the
engine (agentlint.engine calls ``_finish`` after the rules ran)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from agentlint import suppress
from agentlint.baseline import Baseline
from agentlint.config import Settings
from agentlint.discover import ProjectPaths
from agentlint.findings import Finding, RunResult, Severity, Violation
from agentlint.model.project import Project
from agentlint.model.source import NodeRef

if TYPE_CHECKING:
    from agentlint.engine import _Run


def fingerprint(violation: Violation, paths: ProjectPaths | None = None) -> str:
    """From (code, ref, message arguments), with the path relative to the project root (not
    the working directory): the same finding has the same fingerprint from any folder."""
    ref = violation.ref if violation.ref is not None else NodeRef(violation.location.path)
    if paths is not None:
        ref = NodeRef(paths.to_project(ref.path), ref.pointer, ref.doc)
    ref = str(ref) if violation.ref is not None else ref.path
    args = paths.rebase_args(violation.args) if paths is not None else violation.args
    payload = "\x1f".join((violation.code, ref, *args))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _defines_anything(project: Project) -> bool:
    """Whether the run found any agent, tool, MCP server, tool policy, prompt, LLM client or
    deployment graph entry (langgraph.json) to judge."""
    found = project.graphs or project.servers or project.tools or project.policies or project.prompts
    return bool(found or project.prompt_references or project.clients or project.deployment.entry_points)


def _option_groups(settings: Settings, code: str) -> list[tuple[object, Callable[[Violation], bool] | None]]:
    """One run of a rule per distinct option set among the configs that select it; each run
    keeps the violations located in files whose config has those options."""
    distinct: list = []
    for layer in settings.layers():
        if code in layer.selected and all(layer.options[code] != seen for seen in distinct):
            distinct.append(layer.options[code])
    if len(distinct) <= 1:
        return [(distinct[0] if distinct else settings.options[code], None)]
    return [(options, lambda v, options=options: settings.at(v.location.path).options[code] == options) for options in distinct]


def _finish(
    state: _Run,
    rules: dict,
    ran: frozenset[str],
    only: frozenset[str] | None,
    baseline: Baseline | None = None,
    root: Path | None = None,
    where: ProjectPaths | None = None,
    whole: bool = True,
) -> RunResult:
    settings = state.settings
    directives: list[suppress.Directive] = []
    if settings.inline_suppressions:
        for loaded in state.files.values():
            if loaded.comments:
                found, problems = suppress.parse_directives(loaded, frozenset(rules))
                directives.extend(found)
                state.violations.extend(problems)
    directives.extend(suppress.config_directives(settings.all_suppressions, state.files))
    findings = _to_findings(state.violations, settings, rules, ran, where)
    active, hidden = suppress.apply(findings, directives)
    if "AL903" in ran:
        active.extend(_to_findings(suppress.unused(directives, ran, fixable=whole), settings, rules, ran, where))
    if only is not None:
        active = [f for f in active if _concerns(f, only)]
        hidden = [f for f in hidden if _concerns(f, only)]
    baselined: list[Finding] = []
    fixed: tuple = ()
    if baseline is not None:
        from agentlint import baseline as baselines

        def in_scope(path: str) -> bool:  # a file this run looked at, or one deleted since
            path = where.to_run(path) if where is not None else path  # entries: project paths
            if only is not None:
                return path in only
            return path in state.paths or (root is not None and not (root / path).exists())

        active, baselined, fixed = baselines.apply(active, baseline, in_scope)
        baselined.sort(key=Finding.sort_key)
    active.sort(key=Finding.sort_key)
    hidden.sort(key=Finding.sort_key)
    shown = {f.path for f in active} | {f.path for f in hidden}
    sources = {path: text for path in sorted(shown) if path in state.files and (text := state.files[path].source()) is not None}
    return RunResult(
        findings=tuple(active),
        suppressed=tuple(hidden),
        files_checked=state.checked,
        files_skipped=state.skipped,
        rules_run=tuple(sorted(ran)),
        internal_error=state.crashed,
        sources=sources,
        baselined=tuple(baselined),
        fixed=fixed,
    )


def _concerns(finding: Finding, only: frozenset[str]) -> bool:
    """In a --whole-project run: findings located in the given files, findings whose related
    locations are there (the edge that closes a loop may be in another file), and internal
    errors, which are never hidden."""
    if finding.code == "AL901" or _within(finding.path, only):
        return True
    return any(_within(location.path, only) for location in finding.related)


def _within(path: str, only: frozenset[str]) -> bool:
    """The path is one of the given files, or lies under one of the given folders."""
    if path in only or "." in only:
        return True
    return any(path.startswith(given.rstrip("/") + "/") for given in only)


def _to_findings(
    violations: list[Violation], settings: Settings, rules: dict, ran: frozenset[str], where: ProjectPaths | None = None
) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, int] = {}
    for violation in sorted(violations, key=lambda v: (v.location.path, v.location.span, v.code, v.message)):
        code = violation.code
        if code not in ran and code != "AL901":
            continue
        path = violation.location.path
        if settings.ignored_at(code, path):
            continue
        print_ = fingerprint(violation, where)
        count = seen.get(print_, 0)
        seen[print_] = count + 1
        if count:
            print_ = hashlib.sha256(f"{print_}:{count}".encode()).hexdigest()[:16]
        out.append(
            Finding(
                code=code,
                name=rules[code].name if code in rules else "internal-error",
                severity=_severity(settings, code, path, violation.severity) if code in rules else settings.severities.get(code),
                message=violation.message,
                location=violation.location,
                fingerprint=print_,
                related=violation.related,
                masked=violation.masked,
                fix=violation.fix,
            )
        )
    return out


def _severity(settings: Settings, code: str, path: str, cap: Severity | None) -> Severity:
    """The configured severity of a rule's finding, lowered to ``cap`` when the rule gives one
    (a setting in a template file only recommends: its finding is info). Never raised."""
    configured = settings.severity_for(code, path)
    return cap if cap is not None and cap.rank < configured.rank else configured
