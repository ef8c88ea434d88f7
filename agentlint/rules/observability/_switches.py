"""What the AL51x rules share: which telemetry switches stand, and how a switch is shown.

An implicit switch (a library default nothing wrote) stands only when nothing in the project
sets the environment variable that overrides it: ``Traceloop.init()`` captures content by
default, but a ``TRACELOOP_TRACE_CONTENT`` written anywhere (in any env file, compose service,
manifest or workflow) decides instead, and is judged on its own. One defect, one finding.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.source import is_test_path
from agentlint.model.telemetry import Concern, Origin, TelemetrySwitch

if TYPE_CHECKING:
    from agentlint.rule import Rule


def standing(project: Project, concern: Concern, one_stage: bool = False) -> Iterator[tuple[TelemetrySwitch, Severity | None]]:
    """The risky switches of ``concern`` that stand, each with the severity cap its origin
    gives (a template only recommends: info), in the project's order. ``one_stage``: a safe
    setting written anywhere in the project makes every default of the concern moot (one
    sampling stage, in the SDK or in the Collector, is enough). A setting reaches the
    defaults in its own folder, the folders above and the folders below (a compose file at
    the root configures the code under ``app/``), not a sibling project's."""
    switches = [s for s in project.of(TelemetrySwitch) if s.concern is concern]
    written = [s for s in switches if not s.implicit]
    for switch in switches:
        if not switch.risky or (switch.origin is Origin.CODE and is_test_path(switch.ref.path)):
            continue  # safe, or set up by a test suite (never deployed)
        if switch.implicit and any(
            _reaches(other, switch)
            and (other.setting in switch.env or (one_stage and not other.risky and other.origin is not Origin.TEMPLATE))
            for other in written
        ):
            continue
        yield switch, Severity.INFO if switch.origin is Origin.TEMPLATE else None


def _reaches(setting: TelemetrySwitch, default: TelemetrySwitch) -> bool:
    a, b = posixpath.dirname(setting.ref.path), posixpath.dirname(default.ref.path)
    return a == b or not a or not b or b.startswith(a + "/") or a.startswith(b + "/")


def shown(switch: TelemetrySwitch) -> str:
    """``OTEL_X=true``, ``Traceloop.init(trace_content=True)``, ``tls.insecure: true``, or the
    bare setting for a default."""
    setting, value = switch.setting, switch.value
    if switch.implicit or not value:
        return setting
    if setting.endswith(("=)", "()")):  # a keyword or a call: the value goes inside
        return f"{setting[:-1]}{value})"
    if switch.origin in (Origin.COLLECTOR, Origin.HELM):
        return f"{setting}: {value}"
    return f"{setting}={value}"


def message(switch: TelemetrySwitch, effect: str, default_fix: str) -> str:
    """What the setting does and how to fix it: the adapter's ``detail`` when it states the
    setting itself, else ``<setting>: <detail>`` (``<setting> <effect>`` without one); a
    default says it is one."""
    fix = switch.fix or default_fix
    head = f"{switch.setting} is left at its default" if switch.implicit else shown(switch)
    detail = switch.detail
    if detail and detail.startswith(head):
        return f"{detail}; {fix}"
    if detail:
        return f"{head}: {detail}; {fix}"
    return f"{head}, which {effect}; {fix}" if switch.implicit else f"{head} {effect}; {fix}"


def violations(
    rule: Rule, project: Project, concern: Concern, effect: str, default_fix: str, *, one_stage: bool = False
) -> Iterator[Violation]:
    """One finding per written switch of ``concern``, at its value, fingerprinted by the
    setting (not its line). A default is one defect however many modules rely on it: one
    finding per default setting (per folder line when ``one_stage``: no stage there samples),
    at its first place, the others related."""
    grouped: list[list[TelemetrySwitch]] = []
    for switch, cap in standing(project, concern, one_stage):
        if switch.implicit:
            same = (lambda g: _reaches(g[0], switch)) if one_stage else (lambda g: g[0].setting == switch.setting)
            group = next((g for g in grouped if same(g)), None)
            if group is None:
                grouped.append([switch])
            else:
                group.append(switch)
            continue
        violation = rule.violation(message(switch, effect, default_fix), switch, args=(switch.setting,))
        yield violation if cap is None else replace(violation, severity=cap)
    for first, *rest in grouped:
        related = tuple(other.location(note=f"relies on the default of {other.setting} too") for other in rest[:_RELATED])
        more = f" ({len(rest)} more place{'s' if len(rest) > 1 else ''} left at the default too)" if rest else ""
        yield rule.violation(message(first, effect, default_fix) + more, first, args=(first.setting,), related=related)


_RELATED = 20  # related locations listed per finding; the message gives the full count
