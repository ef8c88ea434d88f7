"""Counter guards of declarative workflows (PowerFx): a jump back guarded by
``=Local.Turns < 4``, where the loop increments ``Local.Turns`` by a literal on every pass,
can be taken a bounded number of times. Read conservatively: any other write of the counter
inside the loop, another comparison or a formula limit, and there is no bound."""

from __future__ import annotations

import re
from typing import Any

from agentlint.model.source import Pointer

# a counter guard: the variable, the comparison and the literal limit
_GUARD = re.compile(r"^=\s*((?:Local|Global|Topic|Workflow)\.\w+)\s*(<=|<)\s*(\d+)\s*$")


def counter_bound(data: Any, target: Pointer, goto: Pointer, guards: tuple[tuple[str, Pointer], ...]) -> tuple[int, tuple[str, Pointer]] | None:
    """How often a goto back to ``target`` can be taken when a guard of the form
    ``=Local.N < 4`` encloses it and the loop body (the actions from the target up to the one
    holding the goto, in one list) increments ``Local.N`` by a literal on every pass. Any
    other write of the counter must be a literal start value before the target."""
    body_list, start = target[:-1], target[-1]
    if goto[: len(body_list)] != body_list or not isinstance(start, int):
        return None
    stop = goto[len(body_list)]
    if not isinstance(stop, int) or stop < start:
        return None
    writes = list(_assignments(data))
    for condition, cond_at in reversed(guards):
        match = _GUARD.match(condition)
        # the guard must be checked on every pass: its If / ConditionGroup sits inside the
        # loop, not around both the target and the jump
        owner = cond_at[:-3] if len(cond_at) >= 3 and cond_at[-3] == "conditions" else cond_at[:-1]
        if not match or len(owner) <= len(body_list):
            continue
        variable, operator, limit = match.group(1), match.group(2), int(match.group(3))
        increments_in_body = False
        starts: list[int] = []
        valid = True
        for pointer, value in (w for w in writes if w[1][0] == variable):
            step = _increment(value[1], variable)
            inside = pointer[: len(body_list)] == body_list and len(pointer) == len(body_list) + 1
            if step is not None:
                if inside and start <= pointer[-1] < stop:
                    increments_in_body = True
                continue
            number = _number(value[1])
            if number is not None and number >= 0 and inside and pointer[-1] < start:
                starts.append(number)
                continue
            valid = False
        if valid and increments_in_body:
            initial = min(starts) if starts else 0  # an unset variable is Blank: 0 when added to
            passes = limit - initial - (1 if operator == "<" else 0)
            return max(passes, 0), (condition, cond_at)
    return None


def _assignments(data: Any, pointer: Pointer = ()) -> Any:
    """(pointer, (variable, value)) of every SetVariable / SetValue action in the document."""
    if isinstance(data, dict):
        if data.get("kind") in ("SetVariable", "SetValue"):
            variable = data.get("variable", data.get("path"))
            if isinstance(variable, str):
                yield pointer, (variable.strip(), data.get("value"))
        for key, value in data.items():
            yield from _assignments(value, pointer + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _assignments(value, pointer + (index,))


def _increment(value: Any, variable: str) -> int | None:
    if not isinstance(value, str):
        return None
    match = re.match(r"^=\s*" + re.escape(variable) + r"\s*\+\s*(\d+)\s*$", value)
    return int(match.group(1)) if match and int(match.group(1)) >= 1 else None


def _number(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        match = re.match(r"^=?\s*(\d+)\s*$", value)
        return int(match.group(1)) if match else None
    return None
