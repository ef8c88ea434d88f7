"""Where and when a report was made: the day of the run and the commit of the checked
repository. The CLI calls these and hands the answers to the roll-up; reporters never read a
clock or run git (their output is a pure function of what they are given)."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path


def run_date() -> str:
    """Today in UTC, ISO 8601 (``2026-12-02``)."""
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def git_commit(path: str) -> str | None:
    """The abbreviated commit checked out in the git work tree holding ``path``, with
    ``-dirty`` when tracked files differ from it; None outside git or without git."""
    folder = Path(path)
    if not folder.is_dir():
        folder = folder.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--short=12", "HEAD"],
            capture_output=True, text=True, timeout=10, check=False,
        )
        if head.returncode != 0 or not head.stdout.strip():
            return None
        dirty = subprocess.run(
            ["git", "-C", str(folder), "diff", "--quiet", "HEAD", "--"],
            capture_output=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("-dirty" if dirty.returncode == 1 else "")
