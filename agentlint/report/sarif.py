"""SARIF 2.1.0 report, shaped for GitHub code scanning (``github/codeql-action/upload-sarif``).

One run with ``tool.driver`` (name, ``informationUri``, version, one ``rules[]`` entry per rule
that has a result), ``results[]`` in the usual path/line/column/code order and
``automationDetails.id = "agentlint/"`` (the upload category).

- ``ruleId`` is the code; ``ruleIndex`` points into ``rules[]``; ``level`` is ``error``,
  ``warning`` or ``note`` (agentlint's ``info``).
- Locations are repository-relative POSIX URIs with ``uriBaseId: "%SRCROOT%"``, percent-encoded
  per RFC 3986 (:func:`uri`: ``a b%c.yaml`` is ``a%20b%25c.yaml``, a first segment holding
  ``:`` gets ``./`` so it is not read as a scheme; a crash of a rule judging the whole project
  is at ``.``, the root), and a full
  1-based region; ``endColumn`` is the column after the last character, columns count code
  points (``run.columnKind = "unicodeCodePoints"``).
- Related locations carry ``id`` (0, 1, ...) and the location's note as message.
- A finding with a safe fix carries ``fixes`` (SARIF 2.1.0 §3.55): its title as
  ``description``, one ``artifactChanges`` entry per file, each edit a ``replacements`` entry
  whose ``deletedRegion`` is the replaced span (empty, ``endColumn == startColumn``, for an
  insertion) and ``insertedContent.text`` the new text.
- ``partialFingerprints["agentlintFingerprint/v1"]`` is the finding's line-independent
  fingerprint; ``primaryLocationLineHash`` is left to ``upload-sarif``, which computes it.
- Suppressed findings are left out (GitHub ingests them as open alerts); with
  ``--show-suppressed`` they are included with ``suppressions: [{"kind": "inSource", ...}]``,
  status ``accepted`` for ``ignore`` and ``underReview`` for ``todo``.
- Security rules carry ``properties["security-severity"]`` (see :data:`SECURITY_SEVERITY`)
  and the ``security`` tag.
- ``artifacts`` lists the files the run read (sorted); ``invocations[0]`` says whether the run
  completed (``executionSuccessful`` is false when a rule or adapter crashed) and carries one
  ``toolExecutionNotifications`` entry (level ``warning``) per skipped file that was named or
  looks like agent configuration (``not-recognised``), and one when the run found no agent,
  tool, MCP server, prompt or LLM client at all (``nothing-found``).
- Rule descriptions come from a provider the wiring layer installs with
  :func:`set_rule_metadata_provider` (reporters may not import the rule registry); without
  one they are built from the findings.

Deterministic: keys sorted, 2-space indent, trailing newline, no clock, no absolute paths.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote
from typing import Any, TypedDict

import agentlint

from agentlint.findings import FileStatus, Finding, Fix, Location, RunResult, Severity, SuppressionKind
from agentlint.report._common import plural, shown

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://agentlint.dev/"
AUTOMATION_ID = "agentlint/"
FINGERPRINT_KEY = "agentlintFingerprint/v1"
SRCROOT = "%SRCROOT%"

# GitHub's security-severity score (string, 0.1-10.0) for rules that are security findings:
# >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY: dict[str, str] = {
    "AL202": "8.0",  # literal-secret
    "AL203": "7.5",  # insecure-transport
    "AL204": "7.5",  # broad-filesystem-access
    "AL205": "6.5",  # command-execution-server
    "AL206": "7.0",  # auto-approved-destructive-tool
    "AL207": "8.0",  # privileged-container
    "AL218": "7.0",  # tool-description-injection
    "AL222": "8.0",  # literal-api-key
    "AL224": "8.0",  # deployment-env-secret
    "AL408": "8.0",  # secret-in-prompt
}

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

SUPPRESSION_STATUS = {SuppressionKind.IGNORE: "accepted", SuppressionKind.TODO: "underReview"}


class RuleMetadata(TypedDict):
    """What ``rules[]`` says about a rule, beyond its code."""

    name: str
    summary: str
    description: str  # first paragraph of the rule's documentation
    help: str  # the rule's Markdown page
    severity: Severity  # default severity
    tags: list[str]  # e.g. family and checklist item


RuleMetadataProvider = Callable[[str], "RuleMetadata | None"]

# Reporters sit below the rule registry (ARCHITECTURE.md layers, tests/test_architecture.py),
# so they cannot look rules up themselves: the wiring layer (cli/api) may install a provider
# built from ``agentlint.registry``/``agentlint.docs``. Without one, ``rules[]`` is described
# from the findings and points at ``agentlint rule CODE``.
_provider: list[RuleMetadataProvider] = []


def set_rule_metadata_provider(provider: RuleMetadataProvider | None) -> None:
    """Install (or, with ``None``, remove) the source of rule descriptions."""
    _provider.clear()
    if provider is not None:
        _provider.append(provider)


def first_paragraph(text: str) -> str:
    paragraph = text.strip().split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def _fallback(code: str, finding: Finding) -> RuleMetadata:
    name = finding.name or code
    return {
        "name": name,
        "summary": f"{name} ({code})",
        "description": f"agentlint rule {code} ({name}).",
        "help": (
            f"agentlint rule {code} ({name}). Run `agentlint rule {code}` for its documentation: "
            "what it finds, why it matters, how to fix it, options and examples."
        ),
        "severity": finding.severity,
        "tags": [],
    }


def _rule(code: str, finding: Finding) -> dict[str, Any]:
    meta = _provider[0](code) if _provider else None
    if meta is None:
        meta = _fallback(code, finding)
    name = meta["name"] or finding.name or code
    summary = meta["summary"] or name
    description = meta["description"] or summary
    help_text = meta["help"] or description
    tags = [t for t in meta["tags"] if t]
    properties: dict[str, Any] = {}
    if code in SECURITY_SEVERITY:
        if "security" not in tags:
            tags.append("security")
        properties["security-severity"] = SECURITY_SEVERITY[code]
    if tags:
        properties["tags"] = tags
    descriptor: dict[str, Any] = {
        "id": code,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": description},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVELS[meta["severity"]]},
    }
    if properties:
        descriptor["properties"] = properties
    return descriptor


# RFC 3986 pchar without pct-encoded: unreserved, sub-delims, ":" and "@" (and "/" between segments).
_PCHAR_SAFE = "/!$&'()*+,;=:@-._~"


def uri(path: str) -> str:
    """A repository-relative POSIX path as a relative URI reference (RFC 3986 section 4.2):
    every other character percent-encoded as UTF-8; ``./`` before a first segment that holds
    ``:`` (``colon:1:2.yaml`` would be scheme ``colon``) or when the path starts with ``//``."""
    encoded = quote(path, safe=_PCHAR_SAFE) if path else "."
    first = encoded.split("/", 1)[0]
    if ":" in first or encoded.startswith("//"):
        encoded = "./" + encoded
    return encoded


def _artifact(path: str) -> dict[str, str]:
    return {"uri": uri(path), "uriBaseId": SRCROOT}


def _physical(location: Location) -> dict[str, Any]:
    span = location.span
    start_line = max(1, span.start.line)
    start_column = max(1, span.start.column)
    end_line = max(start_line, span.end.line)
    end_column = max(1, span.end.column)
    if end_line == start_line:
        end_column = max(start_column, end_column)
    return {
        "artifactLocation": _artifact(location.path),
        "region": {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        },
    }


def _fix(fix: Fix) -> dict[str, Any]:
    changes = []
    for path in sorted({edit.path for edit in fix.edits}):
        replacements = [
            {"deletedRegion": _physical(Location(path, edit.span))["region"], "insertedContent": {"text": edit.text}}
            for edit in sorted(e for e in fix.edits if e.path == path)
        ]
        changes.append({"artifactLocation": _artifact(path), "replacements": replacements})
    return {"description": {"text": fix.title}, "artifactChanges": changes}


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message or finding.name or finding.code},
        "locations": [{"physicalLocation": _physical(finding.location)}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.related:
        related = []
        for index, location in enumerate(finding.related):
            item: dict[str, Any] = {"id": index, "physicalLocation": _physical(location)}
            if location.note:
                item["message"] = {"text": location.note}
            related.append(item)
        result["relatedLocations"] = related
    if finding.fix is not None:
        result["fixes"] = [_fix(finding.fix)]
    if finding.suppression is not None:
        suppression: dict[str, Any] = {
            "kind": "inSource",
            "status": SUPPRESSION_STATUS[finding.suppression],
        }
        if finding.suppression_reason:
            suppression["justification"] = finding.suppression_reason
        result["suppressions"] = [suppression]
    return result


def _notification(ident: str, text: str, path: str | None = None) -> dict[str, Any]:
    note: dict[str, Any] = {"descriptor": {"id": ident}, "level": "warning", "message": {"text": text}}
    if path is not None:
        note["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(path)}}]
    return note


def _invocation(result: RunResult) -> dict[str, Any]:
    notes = [
        _notification("not-recognised", f"{record.path}: not read ({record.describe()})", record.path)
        for record in result.not_recognised
    ]
    if result.nothing_found:
        files = plural(result.files_checked, "file")
        notes.append(_notification("nothing-found", f"No agent definition, MCP config or prompt found in {files}."))
    invocation: dict[str, Any] = {"executionSuccessful": not result.internal_error}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def to_document(result: RunResult, *, show_suppressed: bool) -> dict[str, Any]:
    findings = shown(result, show_suppressed)
    first: dict[str, Finding] = {}
    for finding in findings:
        first.setdefault(finding.code, finding)
    codes = sorted(first)
    index = {code: i for i, code in enumerate(codes)}
    driver = {
        "name": "agentlint",
        "informationUri": INFORMATION_URI,
        "version": agentlint.__version__,
        "rules": [_rule(code, first[code]) for code in codes],
    }
    run = {
        "tool": {"driver": driver},
        "automationDetails": {"id": AUTOMATION_ID},
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The repository root."}}},
        "results": [_result(f, index[f.code]) for f in findings],
        "invocations": [_invocation(result)],
    }
    read = [record.path for record in result.files if record.status is FileStatus.READ]
    if read:
        run["artifacts"] = [{"location": _artifact(path)} for path in read]
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render(result: RunResult, *, color: bool, show_suppressed: bool) -> str:
    del color
    document = to_document(result, show_suppressed=show_suppressed)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
