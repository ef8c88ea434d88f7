"""Pieces shared by the CLI's commands: paths named on the command line, comma lists, the
progress bar on stderr, and writing an ``--output`` file."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def _write_atomic(path: str, text: str) -> None:
    """Write a report to ``path`` as every ``--output`` is written (``agentlint.safe_write``):
    atomically to a regular file or a new path, through to a symlink, FIFO or device."""
    from agentlint.safe_write import write_text

    write_text(path, text)


class _Progress:
    """The ``progress`` callback of ``api.check``: a transient rich bar on stderr that starts
    only once the run has lasted ``DELAY`` seconds, so short (pre-commit) runs never show it
    and never import rich. Nothing is ever written to stdout."""

    DELAY = 1.0

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._started = self._clock()
        self._bar = None
        self._task = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if self._clock() - self._started < self.DELAY:
                return
            # The CLI may use rich (ARCHITECTURE.md §1); imported lazily, only for a long run.
            import rich.console as rich_console
            import rich.progress as rich_progress

            self._bar = rich_progress.Progress(
                rich_progress.TextColumn("agentlint: loading"),
                rich_progress.BarColumn(),
                rich_progress.MofNCompleteColumn(),
                rich_progress.TimeElapsedColumn(),
                console=rich_console.Console(file=sys.stderr),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("loading", total=total)
        self._bar.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _progress(args: argparse.Namespace) -> _Progress | None:
    """A progress callback only when stderr is a terminal and --no-progress is not given."""
    if getattr(args, "no_progress", False) or not sys.stderr.isatty():
        return None
    return _Progress()


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _missing(paths: Sequence[str]) -> None:
    """A path named on the command line that does not exist is a usage error (exit 2, on
    stderr), not a finding that ``--exit-zero`` or a baseline could hide. A dangling symlink
    exists (reading it is reported as AL003)."""
    from agentlint.config import ConfigError

    for path in paths:
        try:
            os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            raise ConfigError(f"{path}: no such file or directory") from None
        except (OSError, ValueError):
            continue  # e.g. permission denied on a parent: discovery reports it, located


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
