"""Instruction text in agent and task configs, recorded as located InstructionText entities
(secret-in-prompt, AL408, judges them like a prompt file's text)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from agentlint.adapters._prompt_files import ScalarText
from agentlint.adapters._scalar_text import LineIndex
from agentlint.adapters.base import Adapted
from agentlint.loaders.base import LoadedFile, LocatedDoc, Syntax
from agentlint.model.prompts import InstructionText
from agentlint.model.source import Pointer
from agentlint.model.tools import Text


def instruction(doc: LocatedDoc, index: LineIndex, pointer: Pointer, value: Any, owner: str, *, json: bool = False) -> InstructionText | None:
    """The string at ``pointer`` as instruction text in line pieces (exact spans inside block
    scalars and escaped strings), or None when it is not a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        return None
    scalar = ScalarText(doc, index, pointer, value, json)
    return InstructionText(doc.ref(pointer), scalar.whole, (), owner, str(pointer[-1]), _source_lines(scalar, index))


def _source_lines(scalar: ScalarText, index: LineIndex) -> tuple[Text, ...]:
    """One piece per source line of the scalar (a folded ``>`` paragraph is one line of the
    value but several in the file), so that a finding points at the line that holds it."""
    if scalar.ranges is None:
        return scalar.pieces()
    out: list[Text] = []
    run: list[int] = []  # value offsets of the current source line

    def flush() -> None:
        if run and scalar.value[run[0] : run[-1] + 1].strip():
            out.append(Text(scalar.value[run[0] : run[-1] + 1], scalar.span(run[0], run[-1] + 1), scalar.ref))
        run.clear()

    line = None
    for offset, char in enumerate(scalar.value):
        here = index.pos(scalar.ranges[offset][0]).line
        if char == "\n" or here != line or (run and run[-1] != offset - 1):
            flush()
            line = here
        if char != "\n" and index.text[scalar.ranges[offset][0]] not in "\r\n":  # not a folded break
            run.append(offset)
    flush()
    return tuple(out)


def add_instructions(file: LoadedFile, out: Adapted, found: Iterable[tuple[LocatedDoc, Pointer, Any, str]]) -> None:
    """Record each (document, pointer, value, owner) that holds instruction text."""
    index: LineIndex | None = None
    for doc, pointer, value, owner in found:
        if isinstance(value, str) and value.strip():
            index = index or LineIndex(file.text)
            text = instruction(doc, index, pointer, value, owner, json=file.syntax is Syntax.JSON)
            if text is not None:
                out.entities.append(text)
