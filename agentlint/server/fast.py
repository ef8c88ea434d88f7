"""The quick first answer to an edit: the edited file judged with the agent graphs it takes
part in, not the whole project.

The rules judge the whole project, and on a large one that takes most of a check (graph
budgets above all), however few files changed. So an edit is answered twice: first, within
milliseconds, the edited file's findings from a project made of every entity (tools, prompts,
clients, telemetry ...) but only the graph parts of the graphs the file contributes to (before
or after the edit), then the whole-project check, whose findings replace these ones everywhere.

The first answer is given only where the graphs of other files should not matter to the
edited file's findings: the edited file is not Python (code names cross modules), it
contributes graph parts (a file of tools or prompts is judged against every graph), no part
joins graphs by alias (ADK config files), and every Python part is kept whatever its name. A
project the last whole check did not see whole gets no quick answer. Where a rule relates
graphs to each other after all, the whole check that follows corrects the first answer;
tests/test_server_overlay.py compares the two on the examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agentlint import engine
from agentlint.config import Settings
from agentlint.discover import Candidate
from agentlint.findings import Finding
from agentlint.loaders.base import Syntax
from agentlint.model.project import Project


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the last whole-project check saw: every file it considered, the settings with the
    layer of each file's closest config, and the project's folder coverage."""

    paths: tuple[str, ...]
    settings: Settings
    coverage: object


def quick(memo: engine.Memo, snapshot: Snapshot, root: Path, path: str, data: bytes) -> list[Finding] | None:
    """The findings located in ``path`` (an open buffer holding ``data``), judged on the graphs
    it takes part in; None when no quick answer can be given (see the module's docstring)."""
    if engine.syntax_of(path) in (Syntax.PYTHON, None) or path not in snapshot.paths:
        return None
    outcomes = memo.outcomes
    if any(p not in outcomes for p in snapshot.paths):
        return None  # a file the memo does not hold (crashed or unreadable): no partial view
    old = outcomes[path]
    settings = snapshot.settings
    state = engine._Run(settings, overlay={path: data}, memo=memo)
    memo.process(state, Candidate(path, str(root / path), False))
    new = memo.outcomes.get(path)
    if new is None or state.crashed:
        return None
    names = {part.name for part in (*old.parts, *new.parts)}
    if not names:
        return None
    parts, entities = list(new.parts), list(new.entities)
    for other in snapshot.paths:
        if other == path:
            continue
        kept = outcomes[other]
        entities.extend(kept.entities)
        python = engine.syntax_of(other) is Syntax.PYTHON
        parts.extend(part for part in kept.parts if python or part.name in names)
    if any(part.aliases for o in list(outcomes.values()) for part in o.parts):  # list(): the check thread may add
        return None
    project = Project.build(parts, entities, snapshot.coverage)
    from agentlint.registry import all_rules
    from agentlint.rule import Source

    rules = all_rules()
    ran = [code for code in rules if code in settings.all_selected]
    for code in ran:
        if rules[code].source is not Source.RULE:
            continue
        for options, keep in engine._option_groups(settings, code):
            found = rules[code]().check(project, options)
            state.violations.extend(v for v in found if v.location.path == path and (keep is None or keep(v)))
    result = engine._finish(state, rules, frozenset(ran), frozenset({path}))
    if result.internal_error:
        return None
    return [f for f in result.findings if f.path == path]

