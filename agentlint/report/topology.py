"""The agent topology as data and picture: ``agentlint graph`` renders a Project's graphs as
JSON, Mermaid or DOT (``agentlint.report.topology_formats``, over the views of
``agentlint.report.topology_view``), with loops and findings marked; this module also holds
the comparison behind ``agentlint graph --check`` and the Markdown update behind ``--output``.

Pure functions of (Project, findings) -> text: no I/O, no clock, no environment. Every list is
sorted, so the same project gives byte-identical output whatever the order of its files.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agentlint.findings import Finding
from agentlint.model.project import Project
from agentlint.report import topology_formats
from agentlint.report.topology_formats import SCHEMA_VERSION, header
from agentlint.report.topology_view import UnknownGraphError, build_views

FORMATS = ("mermaid", "dot", "json")
EXTENSIONS = {".mmd": "mermaid", ".mermaid": "mermaid", ".dot": "dot", ".gv": "dot", ".json": "json"}
FENCES = {"mermaid": "mermaid", "dot": "dot", "graphviz": "dot"}  # Markdown info string -> format
HEADER = re.compile(r"^\s*(?:%%|//)\s*agentlint graph (?P<names>.*?)\s*$")

__all__ = ["EXTENSIONS", "FENCES", "FORMATS", "HEADER", "SCHEMA_VERSION", "Block", "UnknownGraphError", "check_file",
           "diff", "fenced_blocks", "format_for", "header", "is_markdown", "normalise", "render", "update_markdown"]


def render(fmt: str, project: Project, findings: Iterable[Finding] = (), graphs: Sequence[str] | None = None) -> str:
    """``graphs``: the names to show (default: all). Raises UnknownGraphError."""
    views = build_views(project, findings, graphs)
    if fmt == "json":
        return topology_formats.to_json(views)
    if fmt == "mermaid":
        return topology_formats.to_mermaid(views)
    if fmt == "dot":
        return topology_formats.to_dot(views)
    raise ValueError(f"unknown graph format {fmt!r} (choose from {', '.join(FORMATS)})")


# ----------------------------------------------------------------------------- --check and --output


def format_for(path: str | None) -> str | None:
    """The format a file name implies (``.md`` holds fenced blocks: none implied)."""
    if not path:
        return None
    lowered = path.lower()
    return next((fmt for ext, fmt in EXTENSIONS.items() if lowered.endswith(ext)), None)


def is_markdown(path: str) -> bool:
    return path.lower().endswith((".md", ".markdown"))


def normalise(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


@dataclass(frozen=True, slots=True)
class Block:
    """A fenced Markdown block in a format agentlint renders, with the graphs its header names."""

    fmt: str
    line: int  # 1-based line of the opening fence
    body_start: int  # 0-based index of the first body line
    body_end: int  # 0-based index of the closing fence (exclusive end of the body)
    body: str
    names: tuple[str, ...] | None  # None: no agentlint header, not ours


def fenced_blocks(text: str) -> list[Block]:
    lines = text.replace("\r\n", "\n").split("\n")
    blocks, i = [], 0
    while i < len(lines):
        opening = re.match(r"^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)", lines[i])
        if not opening:
            i += 1
            continue
        fence, info = opening.group(1), opening.group(2).lower()
        end = i + 1
        while end < len(lines) and not re.match(rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}\s*$", lines[end]):
            end += 1
        body = lines[i + 1:end]
        if info in FENCES:
            first = next((line for line in body if line.strip()), "")
            match = HEADER.match(first)
            names = tuple(n for n in match.group("names").split(", ") if n) if match else None
            blocks.append(Block(FENCES[info], i + 1, i + 1, end, "\n".join(body) + "\n", names))
        i = end + 1
    return blocks


def diff(expected: str, actual: str, path: str) -> str:
    lines = difflib.unified_diff(
        normalise(expected).splitlines(keepends=True), normalise(actual).splitlines(keepends=True),
        fromfile=f"{path} (committed)", tofile="agentlint graph (current code)",
    )
    return "".join(lines)


def check_file(path: str, text: str, fmt: str | None, project: Project, findings: Sequence[Finding],
               graphs: Sequence[str] | None) -> list[str]:
    """Problems (message, then diff) between a committed diagram and the code; [] when current.

    A raw ``.mmd``/``.dot``/``.json`` file must equal the rendering of ``graphs`` (default:
    the graphs its header names, else all). In Markdown, every block headed
    ``%% agentlint graph NAMES`` (or ``// …`` in a dot block) must equal the rendering of its
    graphs, and each selected graph (default: all) must appear in one."""
    known = sorted(g.name for g in project.graphs)
    if not is_markdown(path):
        fmt = fmt or format_for(path) or "mermaid"
        names = list(graphs) if graphs else None
        match = HEADER.match(next((line for line in text.splitlines() if line.strip()), ""))
        if names is None and match and fmt != "json":
            names = [n for n in match.group("names").split(", ") if n]
        gone = [n for n in names or () if n not in known]
        if gone:
            return [f"{path}: shows graph(s) {', '.join(gone)} that no longer exist (graphs: {', '.join(known) or 'none'})"]
        current = render(fmt, project, findings, names)
        if normalise(text) == normalise(current):
            return []
        return [f"{path}: the {fmt} diagram no longer matches the code\n{diff(text, current, path)}"]
    problems, covered = [], set()
    for block in fenced_blocks(text):
        if block.names is None or (fmt and block.fmt != fmt):
            continue
        if graphs and not set(block.names) & set(graphs):
            continue
        gone = [n for n in block.names if n not in known]
        if gone:
            problems.append(f"{path}:{block.line}: the {block.fmt} block shows graph(s) {', '.join(gone)} that no longer exist")
            continue
        covered.update(block.names)
        current = render(block.fmt, project, findings, block.names)
        if normalise(block.body) != normalise(current):
            problems.append(f"{path}:{block.line}: the {block.fmt} block of graph(s) {', '.join(block.names)} "
                            f"no longer matches the code\n{diff(block.body, current, f'{path}:{block.line}')}")
    for name in sorted(set(graphs or known) - covered):
        problems.append(f"{path}: no ```{fmt or 'mermaid'} block starts with '{header(fmt or 'mermaid', [name])}': "
                        f"graph '{name}' is not documented there")
    return problems


def update_markdown(text: str, fmt: str, rendering: str, names: Sequence[str]) -> str:
    """Replace the body of the block headed with ``names`` (else append a new block)."""
    for block in fenced_blocks(text):
        if block.fmt == fmt and block.names == tuple(names):
            lines = text.replace("\r\n", "\n").split("\n")
            body = rendering.rstrip("\n").split("\n")
            return "\n".join(lines[:block.body_start] + body + lines[block.body_end:])
    fence = "mermaid" if fmt == "mermaid" else "dot"
    prefix = text if not text or text.endswith("\n") else text + "\n"
    return f"{prefix}{chr(10) if prefix else ''}```{fence}\n{rendering.rstrip(chr(10))}\n```\n"
