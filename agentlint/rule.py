"""The Rule base class: metadata validated when a rule class is defined.

A rule is one class in one module under ``agentlint/rules/<family>/alNNN_<name>.py``. It
documents and tests itself: its docstring has ``## What it does`` and ``## Why is this bad?``,
and its ``valid``/``invalid`` examples are run by one parametrised test and rendered into
``rules/<CODE>.md``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, is_dataclass
from typing import Any, ClassVar

from agentlint.checklist import Checklist
from agentlint.findings import Fix, Location, Severity, Violation
from agentlint.model.entities import Located
from agentlint.model.project import Project
from agentlint.model.source import NodeRef, Span
from agentlint.options import NoOptions

_CODE = re.compile(r"AL\d{3}\Z")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
EXPECT = re.compile(r"(?:#|//)\s*expect:\s*((?:AL\d{3}[ ,]*)+)")


class Source(enum.Enum):
    """Who emits a rule's violations."""

    RULE = "rule"  # the rule's own ``check``
    LOADER = "loader"  # loaders and adapters (AL0xx): the class documents them
    ENGINE = "engine"  # the engine itself (AL9xx)


@dataclass(frozen=True, slots=True)
class Example:
    """One example project. ``files`` maps relative paths to contents.

    Expected findings are marked inline with ``# expect: AL101`` on the line they belong to
    (``// expect:`` in JSONC); formats without comments list ``expect`` as
    ``("path", line, "CODE")`` tuples instead.
    """

    files: tuple[tuple[str, str | bytes], ...]
    title: str = ""
    expect: tuple[tuple[str, int, str], ...] = ()
    options: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(
        cls,
        text: str | bytes,
        path: str = "agents.yaml",
        title: str = "",
        expect: tuple[tuple[str, int, str], ...] = (),
        **options: Any,
    ) -> Example:
        """A one-file example; keyword arguments beyond these are rule options."""
        return cls(((path, text),), title, expect, tuple(sorted(options.items())))

    def expected(self) -> set[tuple[str, int, str]]:
        found = set(self.expect)
        for path, text in self.files:
            if isinstance(text, bytes):
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                match = EXPECT.search(line)
                if match:
                    for code in re.findall(r"AL\d{3}", match.group(1)):
                        found.add((path, number, code))
        return found


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity]
    checklist: ClassVar[Checklist]
    entities: ClassVar[tuple[str, ...]]  # entity kinds inspected, e.g. ("Agent", "Edge")
    source: ClassVar[Source] = Source.RULE
    Options: ClassVar[type] = NoOptions
    # Judge with another rule's options (AL111 with AL103's maxima): one setting, two rules.
    options_from: ClassVar[str] = ""
    valid: ClassVar[tuple[Example, ...]] = ()
    invalid: ClassVar[tuple[Example, ...]] = ()
    untestable: ClassVar[str] = ""  # why no invalid example can exist (AL901 only)
    enabled_by_default: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        problems = []
        for attr in ("code", "name", "summary", "severity", "checklist", "entities"):
            if attr not in cls.__dict__:
                problems.append(f"missing {attr}")
        if not problems:
            if not _CODE.match(cls.code):
                problems.append(f"code {cls.code!r} is not ALnnn")
            if not _NAME.match(cls.name):
                problems.append(f"name {cls.name!r} is not kebab-case")
            if not isinstance(cls.severity, Severity):
                problems.append("severity must be a Severity")
            if not isinstance(cls.checklist, Checklist):
                problems.append("checklist must be one Checklist item")
            if not is_dataclass(cls.Options):
                problems.append("Options must be a dataclass declared with option()")
            if cls.options_from and cls.Options is not NoOptions:
                problems.append("a rule with options_from declares no Options of its own")
            doc = cls.__doc__ or ""
            for heading in ("## What it does", "## Why is this bad?"):
                if heading not in doc:
                    problems.append(f"docstring lacks {heading!r}")
            if not cls.valid or (not cls.invalid and not cls.untestable):
                problems.append("needs valid and invalid examples (or an 'untestable' reason)")
            if cls.source is Source.RULE and "check" not in cls.__dict__:
                problems.append("a RULE-sourced rule must define check()")
        if problems:
            raise TypeError(f"rule {cls.__qualname__}: " + "; ".join(problems))

    # -- what rules implement -------------------------------------------------------
    def check(self, project: Project, options: Any) -> Iterator[Violation]:
        return iter(())

    # -- helpers for building violations ----------------------------------------------
    def violation(
        self,
        message: str,
        at: Located | Location,
        *,
        field: str | None = None,
        args: tuple[str, ...] = (),
        related: tuple[Location, ...] = (),
        ref: NodeRef | None = None,
        masked: bool = False,
        fix: Fix | None = None,
    ) -> Violation:
        """``masked``: the located text is a credential; source excerpts never print it whole.
        ``fix``: a safe fix (``agentlint check --fix``), built from spans the model holds."""
        if isinstance(at, Located):
            location = at.location(field)
            ref = ref or (at.ref.child(field) if field and at.has(field) else at.ref)
        else:
            location = at
        return Violation(self.code, message, location, ref, args, related, masked=masked, fix=fix)

    def loop_violation(self, message: str, graph: str, cycle: Any) -> Violation:
        """A finding about a loop: at its witness's first edge, the other edges related,
        fingerprinted by the graph and the loop's agents (not by lines)."""
        first, *rest = cycle.witness
        related = tuple(edge.location(note=edge.describe()) for edge in rest)
        return self.violation(message, first, args=(graph, *cycle.agents), related=related)

    @classmethod
    def doc_sections(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


def span_location(path: str, span: Span, note: str = "") -> Location:
    return Location(path, span, note)
