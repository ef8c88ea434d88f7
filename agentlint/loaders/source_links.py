"""A SourceMap for YAML aliases: positions under an alias are shared with the anchored node
(followed through links), never copied per node. See ``loaders.yaml``."""

from __future__ import annotations

from agentlint.model.source import Pointer, SourceMap, Span


class LinkedSourceMap(SourceMap):
    """A SourceMap in which an alias shares the anchored node's positions.

    ``values``/``keys`` hold the nodes written in the file (an alias node is written: its
    span is the ``*name``); ``links`` maps an alias (or a member merged from an aliased
    mapping) to the anchored node's pointer. A node under an alias has the spans of the node
    it repeats, found by following links, as a copy of them used to hold.
    """

    __slots__ = ("links",)

    def __init__(self) -> None:
        super().__init__()
        self.links: dict[Pointer, Pointer] = {}

    def _written(self, pointer: Pointer) -> Pointer | None:
        """The written node whose positions ``pointer`` has, or None."""
        values, links = self.values, self.links
        for _ in range(len(links) + 1):  # each hop lands in an earlier anchor: no cycles
            if pointer in values:
                return pointer
            for cut in range(len(pointer), 0, -1):
                target = links.get(pointer[:cut])
                if target is not None:
                    pointer = target + pointer[cut:]
                    break
            else:
                return None
        return None

    def value(self, pointer: Pointer) -> Span | None:
        span = self.values.get(pointer)
        if span is not None or not self.links:
            return span
        written = self._written(pointer)
        return None if written is None else self.values.get(written)

    def key(self, pointer: Pointer) -> Span | None:
        if pointer in self.values or not self.links:
            return self.keys.get(pointer)
        written = self._written(pointer)
        return None if written is None else self.keys.get(written)

    def node(self, pointer: Pointer) -> Span | None:
        value = self.value(pointer)
        if value is None:
            return None
        key = self.key(pointer)
        return Span(key.start, value.end) if key is not None else value

    def nearest(self, pointer: Pointer) -> tuple[Pointer, Span]:
        for cut in range(len(pointer), -1, -1):
            prefix = pointer[:cut]
            span = self.key(prefix) or self.value(prefix)
            if span is not None:
                return prefix, span
        return (), Span.point(1, 1)

    def locate(self, pointer: Pointer) -> Span:
        span = self.key(pointer) or self.value(pointer)
        return span if span is not None else self.nearest(pointer)[1]
