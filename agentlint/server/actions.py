"""Code actions on a finding: suppress it on its line, apply its safe fix, or insert the key a
rule reports missing with a placeholder for the user to fill in.

Every inserted suppression is checked before it is offered: the edited text is loaded again
and the directive must be read as one (a comment token, not text inside a YAML block scalar or
a Python string) and must cover the finding. Where that cannot be had, no action is offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentlint import engine, suppress
from agentlint.findings import Finding
from agentlint.loaders.base import Syntax
from agentlint.model.source import Pos, Span
from agentlint.registry import all_rules

# Syntaxes whose loaders read '#' comments (where a suppression can be written)
_HASH = {Syntax.YAML, Syntax.TOML, Syntax.PYTHON, Syntax.REQUIREMENTS, Syntax.DOTENV, Syntax.DOCKERFILE, Syntax.GITIGNORE}

# rule -> keys it reports missing by name in its message ("set 'timeout'"), with the
# placeholder value, inserted into the block mapping the finding is located on (a YAML agent:
# agentlint's own format, CrewAI agents.yaml). Rules that do not name one key (AL102 offers
# a choice of edges and agents) get no such action: the key would be a guess.
MISSING_KEYS: dict[str, dict[str, str]] = {
    "AL301": {"timeout": "30s", "max_execution_time": "300"},
}
_NAMED_KEY = re.compile(r"set '([A-Za-z_][A-Za-z0-9_]*)'")


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``span`` (1-based, code points, end exclusive) with ``text``; ``snippet`` is the
    same text with a snippet placeholder, for clients that take snippet edits."""

    span: Span
    text: str
    snippet: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    title: str
    finding: Finding
    edits: dict[str, tuple[TextEdit, ...]]  # path -> edits
    preferred: bool = False


def comment_prefix(path: str) -> str | None:
    syntax = engine.syntax_of(path)
    if syntax in _HASH:
        return "#"
    if syntax is Syntax.JSON and engine.is_jsonc(path):
        return "//"
    return None


def actions_for(finding: Finding, text: str, settings: object) -> list[Action]:
    """The code actions for one finding of the file whose current text is ``text``."""
    out: list[Action] = []
    if finding.fix is not None:
        edits: dict[str, list[TextEdit]] = {}
        for edit in finding.fix.edits:
            edits.setdefault(edit.path, []).append(TextEdit(edit.span, edit.text))
        out.append(Action(f"{finding.code}: {finding.fix.title}", finding, {p: tuple(e) for p, e in edits.items()}, True))
    key = missing_key(finding, text, settings)
    if key is not None:
        out.append(key)
    suppression = suppress_action(finding, text, settings)
    if suppression is not None:
        out.append(suppression)
    return out


def suppress_action(finding: Finding, text: str, settings: object) -> Action | None:
    if finding.code not in all_rules() or finding.code in ("AL902", "AL903"):
        return None  # a malformed or unused suppression is fixed by editing it, not by another one
    prefix = comment_prefix(finding.path)
    if prefix is None:
        return None
    lines = re.split(r"\r\n|\r|\n", text)
    line = finding.location.span.start.line
    if not 1 <= line <= len(lines):
        return None
    newline = _newline(text)
    target = lines[line - 1]
    indent = target[: len(target) - len(target.lstrip(" \t"))]
    directive = f"{prefix} agentlint: ignore[{finding.code}] "
    above = TextEdit(Span.point(line, 1), f"{indent}{directive}reason{newline}", f"{indent}{directive}${{1:reason}}{newline}")
    trailing = TextEdit(Span.point(line, len(target) + 1), f"  {directive}reason", f"  {directive}${{1:reason}}")
    for edit, shift in ((above, 1), (trailing, 0)):
        if _covers(finding, apply_edits(text, [edit]), line + shift, settings):
            return Action(f"Suppress {finding.code} on this line", finding, {finding.path: (edit,)})
    return None


def _covers(finding: Finding, text: str, line: int, settings: object) -> bool:
    """Whether ``text`` loads as well as before and holds a directive covering the finding,
    now on ``line``."""
    syntax = engine.syntax_of(finding.path)
    if syntax is None:
        return False
    try:
        loaded = engine.load(finding.path, text, syntax, settings)
        directives, problems = suppress.parse_directives(loaded, frozenset(all_rules()))
    except Exception:
        return False
    if problems or any(p.code == "AL001" for p in loaded.problems):
        return False
    start = Pos(line, finding.location.span.start.column)
    return any(finding.code in d.codes and d.region.start <= start <= d.region.end for d in directives)


def missing_key(finding: Finding, text: str, settings: object) -> Action | None:
    """``key: placeholder`` as the first entry of the block mapping the finding is located on,
    in a YAML file, for a rule that names the missing key in its message."""
    keys = MISSING_KEYS.get(finding.code)
    named = _NAMED_KEY.search(finding.message)
    if keys is None or named is None or named.group(1) not in keys or engine.syntax_of(finding.path) is not Syntax.YAML:
        return None
    key, value = named.group(1), keys[named.group(1)]
    lines = re.split(r"\r\n|\r|\n", text)
    line = finding.location.span.start.line
    if not 1 <= line < len(lines):
        return None
    head, child = lines[line - 1], lines[line]
    owner = head.split("#", 1)[0].rstrip()
    if not owner.endswith(":") or owner.lstrip().startswith("-"):
        return None  # not `name:` opening a block mapping
    indent = child[: len(child) - len(child.lstrip(" "))]
    if len(indent) <= len(head) - len(head.lstrip(" ")) or not child.strip() or child.lstrip().startswith("-"):
        return None
    newline = _newline(text)
    edit = TextEdit(Span.point(line + 1, 1), f"{indent}{key}: {value}{newline}", f"{indent}{key}: ${{1:{value}}}{newline}")
    edited = apply_edits(text, [edit])
    try:
        loaded = engine.load(finding.path, edited, Syntax.YAML, settings)
    except Exception:
        return None
    if any(p.code == "AL001" for p in loaded.problems):
        return None
    return Action(f"Add '{key}' to this entry", finding, {finding.path: (edit,)})


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """The text with the edits applied (spans refer to the original text)."""
    lines = re.split(r"(\r\n|\r|\n)", text)
    starts = [0]
    offset = 0
    for index in range(0, len(lines), 2):
        offset += len(lines[index]) + (len(lines[index + 1]) if index + 1 < len(lines) else 0)
        starts.append(offset)

    def at(pos: Pos) -> int:
        if pos.line - 1 >= len(starts) - 1:
            return len(text)
        return min(starts[pos.line - 1] + pos.column - 1, starts[pos.line] if pos.line < len(starts) else len(text))

    out = text
    for edit in sorted(edits, key=lambda e: e.span, reverse=True):
        out = out[: at(edit.span.start)] + edit.text + out[at(edit.span.end) :]
    return out


def _newline(text: str) -> str:
    match = re.search(r"\r\n|\r|\n", text)
    return match.group(0) if match else "\n"
