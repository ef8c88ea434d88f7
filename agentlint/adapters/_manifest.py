"""Helpers of the MCP manifest adapters (server.json, Docker catalog): typed reads where a value
of the wrong type is one located AL002 and reads as absent (the rest of the file is still
mapped), and OCI image references."""

from __future__ import annotations

from typing import Any

from agentlint.adapters.base import shape_problem
from agentlint.findings import Violation
from agentlint.loaders.base import LocatedDoc
from agentlint.model.source import Pointer


def where(pointer: Pointer) -> str:
    return "/".join(map(str, pointer)) or "document"


class Reader:
    def __init__(self, doc: LocatedDoc, problems: list[Violation]) -> None:
        self.doc = doc
        self.problems = problems

    def get(self, node: dict[str, Any], pointer: Pointer, key: str, kind: type, what: str) -> Any:
        """``node[key]`` when it is a ``kind``; None when absent/null or (reported) of another type."""
        value = node.get(key)
        if value is None:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.problems.append(shape_problem(self.doc, pointer + (key,), f"{where(pointer + (key,))} must be {what}"))
            return None
        return value

    def objects(self, node: dict[str, Any], pointer: Pointer, key: str) -> list[tuple[Pointer, dict[str, Any]]]:
        """The object items of the array ``node[key]`` with their pointers; others reported."""
        items = self.get(node, pointer, key, list, "an array of objects") or []
        out = []
        for index, item in enumerate(items):
            here = pointer + (key, index)
            if isinstance(item, dict):
                out.append((here, item))
            else:
                self.problems.append(shape_problem(self.doc, here, f"{where(here)} must be an object"))
        return out

    def strings(self, node: dict[str, Any], pointer: Pointer, key: str) -> list[tuple[Pointer, str]]:
        """The string items of the array ``node[key]`` with their pointers; others reported."""
        items = self.get(node, pointer, key, list, "an array of strings") or []
        out = []
        for index, item in enumerate(items):
            here = pointer + (key, index)
            if isinstance(item, str):
                out.append((here, item))
            else:
                self.problems.append(shape_problem(self.doc, here, f"{where(here)} must be a string"))
        return out


def oci_reference(reference: str) -> tuple[str | None, str | None]:
    """(tag, digest) of an OCI image reference; a ``:port`` in the registry host is not a tag."""
    name, _, digest = reference.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.rsplit(":", 1)[1] if ":" in last else None
    return tag or None, digest or None
