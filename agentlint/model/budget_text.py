"""The arithmetic of a worst-case budget, kept as a shared structure and written out bounded.

``budget`` builds, per component of the agent graph, the terms of its cost (``writer 5×3``,
``3 passes [1 + max_traversals 2 (critic → writer)] × (…)``, ``manager 8×1 × (1 + …)``) and
links them to the terms of the rest of the worst path and to the worst case of the dearest
delegate instead of copying them, so that building them is linear in the graph (a copied text
is quadratic along a long path and exponential over shared delegates). ``render`` writes a
formula out in full when it has at most ``FULL`` terms (every formula of the examples, the
tests and the corpus has at most 12), else with ``ITEMS`` terms in all, the largest first
choice: each sum shows its ``SHOWN`` largest terms in their order and ``+ N more totalling X``
for the rest, and a nested product with no room left shows its value (``manager 8×1 × (1 +
110)``). A long path is written as its first agents, ``… (N more agents) →`` and its last.
Only what is shown is ever written out.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Union

FULL = 12  # a formula with at most this many terms is written in full
ITEMS = 8  # terms a longer formula shows in all
SHOWN = 6  # terms one sum shows before ``+ N more``
PATH_SHOWN = 12  # agents of a path written in full
PATH_HEAD = 5  # agents a longer path shows before ``… (N more agents)`` and its last
_INF = float("inf")


def amount(value: float) -> str:
    """A value inside a formula: ``25``, ``0.5``, or ``unbounded``."""
    from agentlint.model.budget import number_text

    return "unbounded" if value == _INF else number_text(value)


@dataclass(frozen=True, slots=True)
class Leaf:
    """One term as it is written: ``writer 5×3``, ``max_traversals 2 (critic → writer)``."""

    text: str
    value: float

    @property
    def items(self) -> int:
        return 1


@dataclass(frozen=True, slots=True)
class Form:
    """Text around sub-formulas, ``3 passes [why] × (inner)``; with no room, ``compact``
    around the value of the last sub-formula: ``3 passes × (21)``."""

    pieces: tuple[Union[str, "Terms"], ...]
    value: float
    compact: tuple[str, str]
    items: int


Part = Union[Leaf, Form, "Terms"]


@dataclass(frozen=True, slots=True)
class Terms:
    """Parts joined by ``sep`` (a sum, or a ``, `` list whose value is the largest), continued
    by ``rest`` (the rest of the worst path, joined flat)."""

    parts: tuple[Part, ...]
    rest: Terms | None
    sep: str
    value: float
    items: int

    def flat(self) -> list[Part]:
        """The parts, ``rest``'s included: linear along the path."""
        out: list[Part] = []
        link: Terms | None = self
        while link is not None:
            out += link.parts
            link = link.rest
        return out


EMPTY = Terms((), None, " + ", 0.0, 0)


def total(parts: list[Part] | tuple[Part, ...], rest: Terms | None = None) -> Terms:
    """The sum of ``parts`` followed by ``rest``; a lone sum, or nothing, is not wrapped again."""
    rest = rest if rest is not None and rest.items else None
    if not parts:
        return rest or EMPTY
    if len(parts) == 1 and rest is None and isinstance(parts[0], Terms) and parts[0].sep == " + " and parts[0].rest is None:
        return parts[0]
    value = sum((p.value for p in parts), rest.value if rest else 0.0)
    return Terms(tuple(parts), rest, " + ", value, sum((p.items for p in parts), rest.items if rest else 0))


def choice(parts: list[Part]) -> Terms:
    """``a, b, c``: the parts one of which is taken (the dearest, the slowest)."""
    return Terms(tuple(parts), None, ", ", max((p.value for p in parts), default=0.0), sum(p.items for p in parts))


def form(pieces: tuple[str | Terms, ...], value: float, compact: tuple[str, str]) -> Form:
    return Form(pieces, value, compact, 1 + sum(p.items for p in pieces if isinstance(p, Terms)))


def render(terms: Terms) -> str:
    """The formula, bounded: in full when it has at most FULL terms, else ITEMS of them."""
    out: list[str] = []
    _terms(terms, FULL if terms.items <= FULL else ITEMS, out)
    return "".join(out)


def _terms(terms: Terms, room: int, out: list[str]) -> None:
    parts = terms.flat()
    if terms.items <= room:
        for i, part in enumerate(parts):
            if i:
                out.append(terms.sep)
            _part(part, part.items, out)
        return
    # the largest parts first (earlier among equals), at least one item each, written in order
    count = max(1, min(SHOWN, room, len(parts)))
    chosen = heapq.nsmallest(count, range(len(parts)), key=lambda i: (-parts[i].value, i))
    if len(parts) == count + 1:  # one term left: itself rather than ``1 more`` when it is plain
        last = next(i for i in range(len(parts)) if i not in chosen)
        chosen += [last] if isinstance(parts[last], Leaf) else []
    share = dict.fromkeys(chosen, 1)
    spare = room - len(chosen)
    for i in chosen:
        extra = min(parts[i].items - 1, max(spare, 0))
        share[i] += extra
        spare -= extra
    for n, i in enumerate(sorted(chosen)):
        if n:
            out.append(terms.sep)
        _part(parts[i], share[i], out)
    hidden = len(parts) - len(chosen)
    if hidden:
        out.append(terms.sep)
        if terms.sep == ", ":
            out.append(f"{hidden} more")
            return
        rest = sum(parts[i].value for i in set(range(len(parts))) - share.keys())
        out.append(f"{hidden} more" + ("" if rest == _INF else f" totalling {amount(rest)}"))


def _part(part: Part, room: int, out: list[str]) -> None:
    if isinstance(part, Leaf):
        out.append(part.text)
    elif isinstance(part, Terms):
        _terms(part, max(room, 1), out)
    elif room >= part.items:
        for piece in part.pieces:
            if isinstance(piece, str):
                out.append(piece)
            else:
                _terms(piece, piece.items, out)
    else:
        _form(part, room, out)


def _form(part: Form, room: int, out: list[str]) -> None:
    subs = [p for p in part.pieces if isinstance(p, Terms) and p.items]
    spare = room - 1  # the form's own text counts as one term
    if spare < len(subs):
        last = next((p for p in reversed(part.pieces) if isinstance(p, Terms)), EMPTY)
        out.append(f"{part.compact[0]}{amount(last.value)}{part.compact[1]}")
        return
    share: dict[int, int] = {}
    for n, sub in enumerate(subs):  # the last sub-formula (the one multiplied) gets the most room
        left = len(subs) - n - 1
        share[id(sub)] = spare - left if not left else min(sub.items, max(1, spare // 3), spare - left)
        spare -= share[id(sub)]
    for piece in part.pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif piece.items:
            _terms(piece, share[id(piece)], out)


def path_text(path: tuple[str, ...]) -> str:
    """``a → b → c``; a long path as its first agents, ``… (N more agents)`` and its last."""
    if len(path) <= PATH_SHOWN:
        return " → ".join(path)
    head = path[:PATH_HEAD]
    return " → ".join((*head, f"… ({len(path) - len(head) - 1} more agents)", path[-1]))


@dataclass(frozen=True, slots=True)
class Path:
    """The agents of a worst path from one component on: its own, its delegates' worst paths,
    then the rest of the path; shared, not copied."""

    names: tuple[str, ...]
    inner: tuple[Path, ...] = ()
    tail: Path | None = None


def agents(path: Path | None) -> tuple[str, ...]:
    """The agents of ``path`` in order, each once: linear in the distinct nodes (a node seen
    before adds no agent, all of its own were written then)."""
    seen: set[int] = set()
    out: dict[str, None] = {}
    stack = [path]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        out.update(dict.fromkeys(node.names))
        stack.append(node.tail)
        stack.extend(reversed(node.inner))
    return tuple(out)
