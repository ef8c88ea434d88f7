"""Which files git leaves out of commits: the project's ``.gitignore`` files, read as
gitignore(5) reads them, so that a secret in a git-ignored ``.env`` (the documented local set-up)
is not reported as committed. Only ``.gitignore`` files the run saw count; the global excludes
file and ``.git/info/exclude`` are per machine and not the project's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from agentlint.model.entities import Located


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    pattern: str
    negated: bool = False

    @property
    def directory_only(self) -> bool:
        return self.pattern.endswith("/")

    def regex(self) -> re.Pattern[str]:
        return _regex(self.pattern)


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> re.Pattern[str]:
    """Matches a path relative to the .gitignore's folder (a basename pattern: any level)."""
    body = pattern.rstrip("/")
    anchored = "/" in body
    body = body.lstrip("/")
    out, i = [], 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("/**", i) and i + 3 == len(body):
            out.append("/.*")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        elif body[i] == "[" and "]" in body[i + 2 :]:
            end = body.index("]", i + 2)
            chars = body[i + 1 : end]
            out.append("[" + ("^" + chars[1:] if chars.startswith("!") else chars).replace("\\", "\\\\") + "]")
            i = end + 1
        elif body[i] == "\\" and i + 1 < len(body):
            out.append(re.escape(body[i + 1]))
            i += 2
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(prefix + "".join(out) + r"\Z")


@dataclass(frozen=True, slots=True)
class IgnoreFile(Located):
    folder: str  # "." for the project root
    rules: tuple[IgnoreRule, ...]

    def decide(self, relative: str, is_dir: bool) -> bool | None:
        """True (ignored), False (re-included) or None (no rule matches); the last match wins."""
        verdict = None
        for rule in self.rules:
            if rule.directory_only and not is_dir:
                continue
            if rule.regex().match(relative):
                verdict = not rule.negated
        return verdict


def git_ignored(path: str, files: tuple[IgnoreFile, ...]) -> bool:
    """Whether git ignores ``path`` (a file): a folder on the way ignored ignores everything in
    it; otherwise the deepest .gitignore with a matching rule decides."""
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        target = "/".join(parts[:depth])
        is_dir = depth < len(parts)
        verdict = None
        for ignore in sorted(files, key=lambda f: f.folder.count("/") + (f.folder != ".")):
            if ignore.folder == ".":
                relative = target
            elif target.startswith(ignore.folder + "/"):
                relative = target[len(ignore.folder) + 1 :]
            else:
                continue
            decided = ignore.decide(relative, is_dir)
            verdict = decided if decided is not None else verdict
        if verdict:
            return True
    return False
