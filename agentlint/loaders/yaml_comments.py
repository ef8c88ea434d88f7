"""Comments in YAML text, which libyaml drops: recovered from where the parser saw scalars,
aliases and node properties (see ``loaders.yaml``)."""

from __future__ import annotations

import bisect
import re

from agentlint.loaders.base import Comment

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def find_comments(text: str, scalar_ranges: list[tuple[int, int]]) -> list[Comment]:
    """Comments on the lines that mention agentlint, located by code-point offsets."""
    ranges = sorted(scalar_ranges)
    starts = [r[0] for r in ranges]
    comments: list[Comment] = []
    line_no, offset = 1, 0
    for match in LINE_BREAK.finditer(text + "\n"):
        line = text[offset : match.start()]
        if "agentlint" in line and "#" in line:
            comment = _comment_in_line(line, offset, ranges, starts)
            if comment is not None:
                column, body = comment
                own = line[: column - 1].strip() == ""
                comments.append(Comment(line_no, column, body, own))
        line_no += 1
        offset = match.end()
        if offset > len(text):
            break
    return comments


def _comment_in_line(line: str, offset: int, ranges: list[tuple[int, int]], starts: list[int]) -> tuple[int, str] | None:
    """The first comment on ``line``: a ``#`` outside every scalar/alias/property token that
    starts a token of its own (line start, after a blank, after a flow indicator, or right
    where a token ends, as in ``"x"#c`` -- both parsers read that ``#`` as a comment)."""
    at = line.find("#")
    while at != -1:
        absolute = offset + at
        i = bisect.bisect_right(starts, absolute) - 1
        inside = i >= 0 and ranges[i][0] <= absolute < ranges[i][1]
        # ranges are sorted by start and do not nest; a property token may reach into the
        # token after it, so look a few ranges back as well
        if not inside:
            inside = any(s <= absolute < e for s, e in ranges[max(0, i - 64) : i])
        if not inside:
            boundary = at == 0 or line[at - 1] in " \t,[]{}" or (i >= 0 and ranges[i][1] == absolute)
            if boundary:
                return at + 1, line[at:].rstrip()
        at = line.find("#", at + 1)
    return None
