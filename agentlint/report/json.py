"""Machine-readable JSON report, ``schema_version`` 1.

The document (keys sorted, 2-space indent, UTF-8 without ``\\u`` escapes, trailing newline)::

    {
      "schema_version": 1,
      "tool": {"name": "agentlint"},
      "summary": {
        "files_checked": int, "files_skipped": int,
        "files_not_recognised": int,   # skipped files that were named or look like agent config
        "nothing_found": bool,  # no agent, tool, MCP server, prompt or LLM client at all
        "findings": int,        # active findings (suppressed ones excluded)
        "errors": int, "warnings": int, "infos": int,   # active findings by severity
        "suppressed": int,      # findings hidden by ignore/todo (always counted)
        "internal_error": bool
      },
      "findings": [
        {
          "code": "AL101", "name": str, "severity": "error" | "warning" | "info",
          "message": str, "path": str,           # repository-relative POSIX path
          "line": int, "column": int,            # 1-based; columns count code points
          "end_line": int, "end_column": int,    # exclusive end of the span
          "fingerprint": str,                    # stable across line moves
          "related": [{"path", "line", "column", "end_line", "end_column", "note"}],
          "suppression": null | {"kind": "ignore" | "todo", "reason": str},
          "fix": {                               # only on a finding with a safe fix
            "title": str, "applicability": "safe",
            "edits": [{"path", "line", "column", "end_line", "end_column", "content"}]
          }                                      # replace [start, end) with content
        }
      ]
    }

``findings`` holds the active findings in path/line/column/code order; with
``--show-suppressed`` the suppressed ones are merged in, in the same order, each with its
``suppression`` object (``suppression`` is ``null`` for active findings).

The output is deterministic: no tool version, no timestamp, byte-identical across runs.

Versioning promise: additive changes (new keys) keep ``schema_version``; removing or renaming
a key, changing the type or meaning of a value, or adding a value to an enumerated field
(``severity``, ``suppression.kind``) bumps it. Consumers should ignore keys they do not know.
"""

from __future__ import annotations

import json
from typing import Any

from agentlint.findings import Finding, Fix, Location, RunResult, Severity
from agentlint.report._common import count, shown

SCHEMA_VERSION = 1


def _span(location: Location) -> dict[str, Any]:
    span = location.span
    return {
        "path": location.path,
        "line": span.start.line,
        "column": span.start.column,
        "end_line": span.end.line,
        "end_column": span.end.column,
    }


def fix_to_dict(fix: Fix) -> dict[str, Any]:
    """A fix as data an editor can apply: 1-based half-open spans, code-point columns."""
    return {
        "title": fix.title,
        "applicability": fix.applicability.value,
        "edits": [{**_span(Location(edit.path, edit.span)), "content": edit.text} for edit in fix.edits],
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    suppression = (
        None
        if finding.suppression is None
        else {"kind": finding.suppression.value, "reason": finding.suppression_reason}
    )
    out = {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        **_span(finding.location),
        "fingerprint": finding.fingerprint,
        "related": [{**_span(r), "note": r.note} for r in finding.related],
        "suppression": suppression,
    }
    if finding.fix is not None:
        out["fix"] = fix_to_dict(finding.fix)
    return out


def to_document(result: RunResult, *, show_suppressed: bool) -> dict[str, Any]:
    active = result.findings
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "agentlint"},
        "summary": {
            "files_checked": result.files_checked,
            "files_skipped": result.files_skipped,
            "files_not_recognised": len(result.not_recognised),
            "nothing_found": result.nothing_found,
            "findings": len(active),
            "errors": count(active, Severity.ERROR),
            "warnings": count(active, Severity.WARNING),
            "infos": count(active, Severity.INFO),
            "suppressed": len(result.suppressed),
            "internal_error": result.internal_error,
        },
        "findings": [finding_to_dict(f) for f in shown(result, show_suppressed)],
    }


def render(result: RunResult, *, color: bool, show_suppressed: bool) -> str:
    del color
    document = to_document(result, show_suppressed=show_suppressed)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
