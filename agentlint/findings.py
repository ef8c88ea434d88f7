"""What rules produce (violations) and what the engine hands to reporters (findings)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from agentlint.model.source import NodeRef, Span


class Severity(enum.Enum):
    """Ordered from least to most severe; ``rank`` compares them."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __str__(self) -> str:
        return self.value


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}

# Where a finding about the whole project sits (a rule that crashed judging every file at once):
# the project root, so that every format shows a path (concise ``.:1:1:``, SARIF ``uri: "."``).
PROJECT_PATH = "."


class SuppressionKind(enum.Enum):
    IGNORE = "ignore"  # accepted: the finding is hidden
    TODO = "todo"  # known debt: hidden from failure, listed as open in the checklist


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a file: repository-relative POSIX path and a 1-based span."""

    path: str
    span: Span
    note: str = ""


class Applicability(enum.Enum):
    """How certain a fix is. ``check --fix`` applies safe fixes only; edits that need the user
    to fill something in (placeholders) are the language server's code actions, not fixes."""

    SAFE = "safe"


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    """Replace the text at ``span`` (half-open, 1-based lines and code-point columns, as every
    span) of the file at ``path`` with ``text``; an empty span inserts, an empty text deletes."""

    path: str
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A finding's fix: edits applied together or not at all, and what they do (``title``)."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule's raw output: no severity, no suppression, no fingerprint yet.

    ``args`` are the message arguments that identify the finding independently of lines
    (names of agents, keys …); the fingerprint hashes them with the code and ``ref``.
    """

    code: str
    message: str
    location: Location
    ref: NodeRef | None = None
    args: tuple[str, ...] = ()
    related: tuple[Location, ...] = ()
    severity: Severity | None = None  # loaders/engine force one (AL0xx); a rule's only lowers its own
    masked: bool = False  # the located text is a credential: source excerpts show its first characters only
    fix: Fix | None = None  # computed from spans the model holds; applied by ``check --fix``


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    fingerprint: str
    related: tuple[Location, ...] = ()
    suppression: SuppressionKind | None = None
    suppression_reason: str = ""
    masked: bool = False  # Violation.masked: never print the located text whole
    fix: Fix | None = None  # Violation.fix

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.span.start.line

    @property
    def column(self) -> int:
        return self.location.span.start.column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


class FileStatus(enum.Enum):
    """What a run did with one discovered file (``agentlint check --show-files``)."""

    READ = "read"  # loaded; ``FileRecord.adapters`` names the adapters that claimed it
    NOT_RECOGNISED = "not recognised"  # no adapter claims it (or agentlint reads no such file)
    NO_LIBRARY = "skipped: names no library agentlint reads"  # a .py the byte prefilter skipped
    UNREADABLE = "unreadable"  # missing, a directory, too large, permission denied (AL003)


@dataclass(frozen=True, slots=True, order=True)
class FileRecord:
    """One file a run considered. ``notable`` files were skipped although they were named on
    the command line or look like agent configuration: the run says so on stderr."""

    path: str
    status: FileStatus = field(compare=False)
    adapters: tuple[str, ...] = field(default=(), compare=False)
    notable: bool = field(default=False, compare=False)
    note: str = field(default="", compare=False)  # why a skipped file matters, e.g. the agent library it imports

    def describe(self) -> str:
        if self.status is FileStatus.READ:
            return ", ".join(self.adapters) if self.adapters else "read (no adapter claimed it)"
        return f"{self.status.value} ({self.note})" if self.note else self.status.value


@dataclass(frozen=True, slots=True)
class RunResult:
    """Everything reporters may render; immutable and sorted."""

    findings: tuple[Finding, ...]  # active findings, sorted
    suppressed: tuple[Finding, ...] = ()  # hidden by ignore/todo, sorted
    files_checked: int = 0
    files_skipped: int = 0
    rules_run: tuple[str, ...] = ()
    internal_error: bool = False
    # Text of each file that has a finding (active or suppressed), for source excerpts.
    sources: dict[str, str] = field(default_factory=dict)
    # With a baseline: active findings it hides (sorted), and its entries that matched nothing.
    baselined: tuple[Finding, ...] = ()
    fixed: tuple[object, ...] = ()  # agentlint.baseline.Entry (findings imports nothing above it)
    # Every file considered, sorted by path (empty when the result was not built by the engine).
    files: tuple[FileRecord, ...] = ()
    # The run found no agent, tool, MCP server, prompt or LLM client at all: not a pass.
    nothing_found: bool = False

    @property
    def not_recognised(self) -> tuple[FileRecord, ...]:
        """Skipped files worth announcing: named on the command line or agent-like."""
        return tuple(f for f in self.files if f.notable)

    def at_or_above(self, threshold: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity.rank >= threshold.rank)
