"""Inline suppressions: ``# agentlint: ignore[AL101] reason`` and ``# agentlint: todo[...]``.

A directive on its own line targets the next line that holds content; a trailing directive
targets its own line. It covers the node that starts on the target line and everything under
it. Directives come from the loaders' comment lists (parser tokens), never from a regex over
raw lines, so a ``#`` inside a block scalar (prompt text) never switches a rule off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agentlint.findings import Edit, Finding, Fix, Location, SuppressionKind, Violation
from agentlint.loaders.base import Comment, LoadedFile
from agentlint.model.source import NodeRef, Pos, Span

_PREFIX = re.compile(r"^(?:#+|//|/\*)\s*agentlint\s*:\s*(?P<body>.*?)\s*(?:\*/)?\s*$", re.I)
_FORM = re.compile(r"^(?P<kind>ignore|todo)\[(?P<codes>[^\]]*)\](?P<rest>.*)$")
_CODE = re.compile(r"^AL\d{3}$")
_WHOLE_LINE = 10**9


@dataclass(slots=True)
class Directive:
    path: str
    kind: SuppressionKind
    codes: tuple[str, ...]
    reason: str
    where: Location  # where the directive is written (a comment, or a config entry)
    region: Span
    used: set[str] = field(default_factory=set)
    # For the AL903 fix (a line comment written in the file, nothing after it but its reason):
    # the comment with the blanks before it (an own-line comment: its whole line), and the
    # text between its brackets.
    removal: Span | None = None
    codes_span: Span | None = None

    def covers(self, finding: Finding) -> bool:
        if finding.path != self.path or finding.code not in self.codes:
            return False
        start = finding.location.span.start
        return self.region.start <= start <= self.region.end


def parse_directives(file: LoadedFile, known_codes: frozenset[str]) -> tuple[list[Directive], list[Violation]]:
    directives: list[Directive] = []
    problems: list[Violation] = []
    lines: list[str] | None = None
    for comment in file.comments:
        match = _PREFIX.match(comment.text)
        if not match:
            continue
        here = Location(file.path, Span(Pos(comment.line, comment.column), Pos(comment.line, comment.column + len(comment.text))))
        body = match.group("body")
        form = _FORM.match(body)
        problem = None
        if form is None:
            problem = f"malformed suppression '{body or '(empty)'}': use '# agentlint: ignore[CODE] reason' or 'todo[CODE] reason' (no blanket form)"
        else:
            codes = tuple(c.strip().upper() for c in form.group("codes").split(",") if c.strip())
            # like ruff's noqa, a directive ends where another '#' comment starts
            reason = re.split(r"\s#", form.group("rest"), maxsplit=1)[0].strip()
            bad = [c for c in codes if not _CODE.match(c) or c not in known_codes]
            if not codes:
                problem = "suppression names no rule: list the codes, e.g. ignore[AL101]"
            elif bad:
                problem = f"suppression names unknown rule code(s): {', '.join(bad)}"
            elif not reason:
                problem = f"suppression {form.group('kind')}[{', '.join(codes)}] has no reason: say why after the brackets"
        if problem is not None:
            problems.append(Violation("AL902", problem, here, NodeRef(file.path, ("#comment", comment.line)), (body,)))
            continue
        if lines is None:
            lines = re.split(r"\r\n|\r|\n", file.text)  # as the parsers count lines: not at \f or U+2028
        target = comment.line if not comment.own_line else _next_content_line(lines, comment.line, file.comments)
        codes_at = match.start("body") + form.start("codes")
        removal, codes_span = _edit_spans(comment, lines, codes_at, len(form.group("codes")), form.group("rest"))
        directives.append(
            Directive(
                file.path,
                SuppressionKind(form.group("kind").lower()),
                codes,
                reason,
                here,
                _region(file, target),
                removal=removal,
                codes_span=codes_span,
            )
        )
    return directives, problems


def _edit_spans(comment: Comment, lines: list[str], codes_at: int, codes_width: int, rest: str) -> tuple[Span | None, Span | None]:
    """(removal, codes_span) of a directive, or Nones when an edit would not be certain: not a
    line comment, another comment after the reason, or a line that does not end with it."""
    number = comment.line
    text = lines[number - 1] if 0 < number <= len(lines) else ""
    if not comment.text.startswith(("#", "//")) or re.search(r"\s#", rest) or text[comment.column - 1 :].rstrip() != comment.text.rstrip():
        return None, None
    start = comment.column + codes_at
    codes_span = Span(Pos(number, start), Pos(number, start + codes_width))
    end = Pos(number, len(text) + 1)
    if not comment.own_line:
        return Span(Pos(number, len(text[: comment.column - 1].rstrip(" \t")) + 1), end), codes_span
    if number < len(lines):
        return Span(Pos(number, 1), Pos(number + 1, 1)), codes_span
    if number > 1:  # the last line: take the break before it
        return Span(Pos(number - 1, len(lines[number - 2]) + 1), end), codes_span
    return Span(Pos(number, 1), end), codes_span


def _next_content_line(lines: list[str], after: int, comments: list[Comment]) -> int:
    comment_lines = {c.line for c in comments if c.own_line}
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1].strip() and number not in comment_lines:
            return number
    return after


def _region(file: LoadedFile, line: int) -> Span:
    """The outermost node starting on ``line``, key included; else the whole line."""
    best: tuple[int, Span] | None = None
    root: Span | None = None
    for doc in file.docs:
        smap = doc.source_map
        for pointer, value in smap.values.items():
            key = smap.keys.get(pointer)
            if key is None and pointer and isinstance(pointer[-1], str):
                continue  # a member nobody wrote on this line (a TOML table implied by a header)
            start = key.start if key is not None else value.start
            if start.line != line:
                continue
            if not pointer:
                # the document itself starts on its first key's line; a directive there means
                # that key, unless the line holds nothing else (a lone "{" in JSONC)
                root = Span(start, max(value.end, Pos(line, _WHOLE_LINE)))
                continue
            if best is None or len(pointer) < best[0]:
                best = (len(pointer), Span(start, max(value.end, Pos(line, _WHOLE_LINE))))
    if best is not None:
        return best[1]
    if root is not None:
        return root
    return Span(Pos(line, 1), Pos(line, _WHOLE_LINE))


def apply(findings: list[Finding], directives: list[Directive]) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (active, suppressed); marks which directive codes were used."""
    from dataclasses import replace

    by_path: dict[str, list[Directive]] = {}
    for directive in directives:
        by_path.setdefault(directive.path, []).append(directive)
    active, hidden = [], []
    for finding in findings:
        for directive in by_path.get(finding.path, ()):
            if directive.covers(finding):
                directive.used.add(finding.code)
                hidden.append(replace(finding, suppression=directive.kind, suppression_reason=directive.reason))
                break
        else:
            active.append(finding)
    return active, hidden


def unused(directives: list[Directive], ran: frozenset[str], fixable: bool = True) -> list[Violation]:
    """AL903 for each directive code no finding used; ``fixable`` False (a run over some files of
    the project only, where a finding that another file causes is not seen) offers no fix."""
    out = []
    for directive in directives:
        stale = [code for code in directive.codes if code in ran and code not in directive.used]
        fix = _removal(directive, stale) if fixable else None
        for code in stale:
            where = directive.where
            target = "" if where.path == directive.path else f" for {directive.path}"
            message = f"suppression {directive.kind.value}[{code}]{target} matched no finding: remove it"
            ref = NodeRef(where.path, ("#suppression", directive.path, code))
            out.append(Violation("AL903", message, where, ref, (code,), fix=fix))
    return out


def _removal(directive: Directive, stale: list[str]) -> Fix | None:
    """AL903's safe fix: the directive without its stale codes (all of them: the comment goes;
    one finding per code, one shared fix). Codes of rules that did not run are kept."""
    if not stale or directive.where.path != directive.path:  # a config-file entry: not edited
        return None
    kept = [code for code in directive.codes if code not in stale]
    if not kept and directive.removal is not None:
        return Fix("Remove the unused suppression", (Edit(directive.path, directive.removal, ""),))
    if kept and directive.codes_span is not None:
        title = f"Remove {', '.join(stale)} from the suppression"
        return Fix(title, (Edit(directive.path, directive.codes_span, ", ".join(kept)),))
    return None


def _pointer(text: str) -> tuple[str, ...]:
    """RFC 6901 ``/agents/a~1b`` -> ("agents", "a/b")."""
    if not text or text == "/":
        return ()
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in text.lstrip("/").split("/"))


def config_directives(entries: tuple, files: dict[str, LoadedFile]) -> list[Directive]:
    """Config-file suppressions (for JSON, which has no comments): path + JSON Pointer."""
    out = []
    for entry in entries:
        file = files.get(entry.path)
        region = None
        if file is not None:
            parts = _pointer(entry.pointer)
            candidates = [parts, tuple(int(p) if p.isdigit() else p for p in parts)]
            for doc in file.docs:
                for pointer in candidates:
                    region = doc.source_map.node(pointer)
                    if region is not None:
                        break
                if region is not None:
                    break
        # a target that does not exist suppresses nothing, and is reported as unused
        region = region or Span(Pos(0, 0), Pos(0, 0))
        out.append(Directive(entry.path, entry.kind, entry.codes, entry.reason, entry.origin, region))
    return out
