"""The programmatic entry point: what the CLI calls, and what tests and tools may call."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from agentlint.baseline import Baseline
from agentlint.config import CliOverrides, Settings, resolve
from agentlint.findings import RunResult

if TYPE_CHECKING:
    from agentlint.cache import Cache
    from agentlint import engine
    from agentlint.model.project import Project


def settings_for(
    targets: Sequence[str],
    cli: CliOverrides = CliOverrides(),
    config_file: str | None = None,
    isolated: bool = False,
    root: Path | None = None,
) -> Settings:
    """The base settings of a run over ``targets``: the config found from ``root`` (the working
    directory), which applies to files with no config file above them. Each checked file gets
    the closest config above it during the run (``config.with_scopes``), so the order of
    ``targets`` never matters."""
    root = root or Path.cwd()
    return resolve(root, cli, Path(config_file) if config_file else None, isolated, root)


def settings_at(
    path: str,
    cli: CliOverrides = CliOverrides(),
    config_file: str | None = None,
    isolated: bool = False,
    root: Path | None = None,
) -> Settings:
    """The settings that apply to ``path`` (``agentlint config``): the closest config above it."""
    root = root or Path.cwd()
    start = Path(path) if Path(path).is_absolute() else root / path
    return resolve(start, cli, Path(config_file) if config_file else None, isolated, root)


def failed(result: RunResult, settings: Settings, root: Path | None = None) -> bool:
    """Whether a finding reaches the fail-on level of the config that applies to its file."""
    from agentlint.config import with_scopes

    root = root or Path(settings.root or Path.cwd())
    scoped = with_scopes(settings, [str(root / f.path) for f in result.findings])
    return scoped.fails(result.findings)


PROJECT_MARKERS = ("agentlint.toml", "pyproject.toml", ".git")


def project_root(targets: Sequence[str], config_file: str | None = None, cwd: Path | None = None) -> Path:
    """The folder that names and paths in a topology export are relative to, whatever the
    working directory: the folder of ``config_file`` when given, else the closest folder above
    the targets' common folder that holds an agentlint.toml, a pyproject.toml or .git, else that
    common folder itself."""
    import os

    cwd = cwd or Path.cwd()
    if config_file:
        return (cwd / config_file).resolve().parent
    absolute = [(cwd / t).resolve() for t in (targets or ["."])]
    folders = [str(p if p.is_dir() else p.parent) for p in absolute]
    common = Path(os.path.commonpath(folders))
    for folder in (common, *common.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return common


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
    stdin: bytes | None = None,
    overlay: Mapping[str, bytes] | None = None,
    memo: engine.Memo | None = None,
    cache: Cache | None = None,
) -> RunResult:
    """Check ``targets``. With ``whole_project``, files among the targets are checked in the
    context of the whole project (the config's directory, else ``root``) and only findings
    located in them are reported: what the pre-commit hook needs for cross-file graphs.
    ``progress``, if given, is called with ``(done, total)`` after each file is loaded. With
    ``stdin``, ``targets`` is the one file those bytes are checked as (``--stdin-filename``).
    With ``cache`` (``agentlint.cache.Cache``), files whose bytes are unchanged since an earlier
    run are not read again."""
    return analyse(targets, settings, root, whole_project, baseline, progress, stdin, overlay, memo, cache=cache)[0]


def analyse(
    targets: Sequence[str],
    settings: Settings,
    root: Path | None = None,
    whole_project: bool = False,
    baseline: Baseline | None = None,
    progress: Callable[[int, int], None] | None = None,
    stdin: bytes | None = None,
    overlay: Mapping[str, bytes] | None = None,
    memo: engine.Memo | None = None,
    cache: Cache | None = None,
) -> tuple[RunResult, Project]:
    """``check``, also returning the Project the rules saw: its agent graphs and topology,
    for ``agentlint graph``. ``overlay`` maps files (absolute or relative to ``root``) to the
    bytes to check instead of what is on disk (an editor's unsaved buffers); ``memo`` keeps
    per-file results between calls with the same settings (``engine.Memo``)."""
    from agentlint import engine

    from agentlint.discover import display_path

    root = root or Path.cwd()

    def shown(name: str) -> str:
        target = Path(name)
        return display_path(Path(os.path.normpath(target if target.is_absolute() else root / target)), root)

    given = None
    if stdin is not None:
        if len(targets) != 1:
            raise ValueError("stdin is checked as exactly one file")
        given = (shown(targets[0]), stdin)
    buffers = {shown(name): data for name, data in (overlay or {}).items()}
    if whole_project and targets:
        only = frozenset(display_path((root / t).resolve() if not Path(t).is_absolute() else Path(t), root.resolve()) for t in targets)
        return engine.analyse([str(project_dir(settings, root))], settings, root, only, baseline, progress, given, buffers, memo, cache=cache)
    return engine.analyse(list(targets) or ["."], settings, root, baseline=baseline, progress=progress, stdin=given, overlay=buffers, memo=memo, cache=cache)
