"""``kind: PromptRegistry`` documents -> one PromptVersion per listed version.

A version carries the labels that point to it (spans at the label keys), the variables its
text uses (spans of each ``{{…}}`` inside the scalar, block scalars included), the variables
it declares, a content hash, its review metadata and its rollback target (see
``shapes.prompts.PromptRegistryDoc``). A label or rollback naming a version the prompt does
not list is a shape error (AL002) at that value.
"""

from __future__ import annotations

import re
from typing import Any

from agentlint.adapters._mustache import scan
from agentlint.adapters._scalar_text import LineIndex, scalar_offsets
from agentlint.adapters.base import Adapted, field_spans, pydantic_problems, shape_problem
from agentlint.loaders.base import LocatedDoc
from agentlint.model.prompts import Placeholder, PromptVersion, content_hash
from agentlint.model.source import Pointer, Span

_NUMBERED = re.compile(r"v?(\d+(?:\.\d+)*)\Z")
_VERSION_FIELDS = ("version", "text", "messages", "variables", "model", "parameters", "reviewed_by", "approved_by", "author")


def adapt_registry(doc: LocatedDoc, data: dict[str, Any], out: Adapted, text: str | None = None, fast: bool = True) -> None:
    """``text`` is the file's text: with it, placeholders get their exact spans inside the
    scalars; without it, the span of the scalar that holds them."""
    from agentlint.adapters._neutral_fast import plain_registry

    spec: Any = plain_registry(data) if fast else None
    if spec is None:  # not plainly valid: pydantic's messages and positions
        from pydantic import ValidationError

        from agentlint.adapters.shapes.prompts import PromptRegistryDoc

        try:
            spec = PromptRegistryDoc.model_validate(data)
        except ValidationError as exc:
            out.problems.extend(pydantic_problems(doc, (), exc.errors(include_url=False)))
            return
    index = LineIndex(text) if text else None
    registry = f"{doc.path}[{doc.index}]" if doc.index else doc.path
    smap = doc.source_map
    for name, prompt in spec.prompts.items():
        base: Pointer = ("prompts", name)
        versions = [str(v.version) for v in prompt.versions]
        rank = ranks(versions)
        labels: dict[str, list[tuple[str, Span]]] = {}
        for label, target in prompt.labels.items():
            at = base + ("labels", label)
            if str(target) not in rank:
                message = f"label '{label}' of prompt '{name}' points to version {target}, which is not in its versions"
                out.problems.append(shape_problem(doc, at, message))
                continue
            labels.setdefault(str(target), []).append((label, smap.key(at) or smap.locate(at)))
        rollback = str(prompt.rollback) if prompt.rollback is not None else None
        if rollback is not None and rollback not in rank:
            message = f"rollback version {rollback} of prompt '{name}' is not in its versions"
            out.problems.append(shape_problem(doc, base + ("rollback",), message))
            rollback = None
        shared = [("name", smap.key(base) or smap.locate(base))]  # where the prompt is named
        shared += list(field_spans(doc, base, ("labels",)))
        if rollback is not None:
            shared += list(field_spans(doc, base, ("rollback",)))
        seen: set[str] = set()
        for position, item in enumerate(prompt.versions):
            version = versions[position]
            pointer = base + ("versions", position)
            own = labels.get(version, []) if version not in seen else []
            seen.add(version)
            if item.text is not None:
                content = item.text
                used = _placeholders(doc, index, pointer + ("text",), item.text)
            else:
                content = "\n".join(f"{m.role}: {m.content}" for m in item.messages or ())
                used = []
                for number, message in enumerate(item.messages or ()):
                    used += _placeholders(doc, index, pointer + ("messages", number, "content"), message.content)
            out.entities.append(
                PromptVersion(
                    ref=doc.ref(pointer),
                    span=smap.value(pointer) or smap.locate(pointer),
                    fields=field_spans(doc, pointer, _VERSION_FIELDS) + tuple(shared),
                    name=name,
                    version=version,
                    source="agentlint",
                    registry=registry,
                    content=content,
                    content_hash=content_hash(content, item.model, item.parameters),
                    labels=tuple(label for label, _ in own),
                    label_spans=tuple(span for _, span in own),
                    model=item.model,
                    declared_variables=_declared(doc, pointer, item.variables),
                    used_variables=tuple(used),
                    author=item.author,
                    reviewed_by=item.reviewed_by or item.approved_by,
                    change_note=item.change_note,
                    date=item.date,
                    rollback_to=_rollback(version, rollback, rank),
                    labels_complete=True,
                    can_record_review=True,
                )
            )


def ranks(versions: list[str]) -> dict[str, tuple[int, ...]]:
    """Order of versions: by number when every one is a number (``3``, ``v1.2.0``), else by
    first appearance in the list."""
    numbers = [_NUMBERED.match(v) for v in versions]
    if all(numbers):
        return {v: tuple(int(p) for p in m.group(1).split(".")) for v, m in zip(versions, numbers) if m}
    order: dict[str, tuple[int, ...]] = {}
    for v in versions:
        order.setdefault(v, (len(order),))
    return order


def previous(version: str, rank: dict[str, tuple[int, ...]]) -> str | None:
    """The newest version older than ``version``, if any."""
    earlier = [v for v, r in rank.items() if r < rank[version]]
    return max(earlier, key=rank.__getitem__) if earlier else None


def _rollback(version: str, explicit: str | None, rank: dict[str, tuple[int, ...]]) -> str | None:
    if explicit is None:
        return previous(version, rank)
    return explicit if rank[explicit] < rank[version] else None


def _placeholders(doc: LocatedDoc, index: LineIndex | None, pointer: Pointer, value: str) -> list[Placeholder]:
    uses = scan(value)
    if not uses:
        return []
    whole = doc.source_map.value(pointer) or doc.source_map.locate(pointer)
    ranges = scalar_offsets(index, whole, value) if index is not None else None
    if ranges is None or len(ranges) != len(value):
        return [Placeholder(use.name, whole, use.section) for use in uses]
    return [Placeholder(u.name, index.span(ranges[u.start][0], ranges[u.end - 1][1]), u.section) for u in uses]  # type: ignore[union-attr]


def _declared(doc: LocatedDoc, pointer: Pointer, variables: Any) -> tuple[Placeholder, ...] | None:
    if variables is None:
        return None
    smap = doc.source_map
    at = pointer + ("variables",)
    if isinstance(variables, list):
        return tuple(Placeholder(v, smap.locate(at + (i,))) for i, v in enumerate(variables))
    return tuple(Placeholder(v, smap.key(at + (v,)) or smap.locate(at + (v,))) for v in variables)
