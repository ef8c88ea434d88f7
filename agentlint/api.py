"""The programmatic entry point: what the CLI calls, and what tests and tools may call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from agentlint.baseline import Baseline
from agentlint.config import CliOverrides, Settings, resolve
from agentlint.findings import RunResult

if TYPE_CHECKING:
    from agentlint.model.project import Project


def settings_for(
    targets: Sequence[str],
    cli: CliOverrides = CliOverrides(),
    config_file: str | None = None,
    isolated: bool = False,
    root: Path | None = None,
) -> Settings:
    root = root or Path.cwd()
    first = Path(targets[0]) if targets else Path(".")
    start = first if first.is_absolute() else root / first
    return resolve(start, cli, Path(config_file) if config_file else None, isolated, root)


def project_dir(settings: Settings, root: Path) -> Path:
    """The project around the given files: the config file's folder, else the enclosing git
    work tree, else ``root``."""
    if settings.config_path:
        return Path(settings.config_path).parent
    here = root.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def check(
    targets: Sequence[str],
    settings: Settings,
    root: Path | None = None,
    whole_project: bool = False,
    baseline: Baseline | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Check ``targets``. With ``whole_project``, files among the targets are checked in the
    context of the whole project (the config's directory, else ``root``) and only findings
    located in them are reported: what the pre-commit hook needs for cross-file graphs.
    ``progress``, if given, is called with ``(done, total)`` after each file is loaded."""
    return analyse(targets, settings, root, whole_project, baseline, progress)[0]


def analyse(
    targets: Sequence[str],
    settings: Settings,
    root: Path | None = None,
    whole_project: bool = False,
    baseline: Baseline | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[RunResult, Project]:
    """``check``, also returning the Project the rules saw: its agent graphs and topology,
    for ``agentlint graph``."""
    from agentlint import engine

    root = root or Path.cwd()
    if whole_project and targets:
        from agentlint.discover import display_path

        only = frozenset(display_path((root / t).resolve() if not Path(t).is_absolute() else Path(t), root.resolve()) for t in targets)
        return engine.analyse([str(project_dir(settings, root))], settings, root, only, baseline, progress)
    return engine.analyse(list(targets) or ["."], settings, root, baseline=baseline, progress=progress)
