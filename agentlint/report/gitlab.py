"""GitLab Code Quality report (the CodeClimate subset GitLab reads).

A JSON array, one object per active finding, for ``artifacts: reports: codequality: FILE``::

    [
      {
        "check_name": "AL101",
        "description": "message [AL101]",
        "fingerprint": str,        # the finding's line-independent fingerprint, unique
        "severity": "major" | "minor" | "info",   # error | warning | info
        "location": {
          "path": str,             # repository-relative POSIX path
          "lines": {"begin": int},
          "positions": {"begin": {"line", "column"}, "end": {"line", "column"}}
        }
      }
    ]

Suppressed findings are never listed (GitLab has no notion of them), with or without
``--show-suppressed``. Keys sorted, 2-space indent, UTF-8 without BOM, trailing newline.
GitLab collapses entries with equal fingerprints, so a repeated fingerprint (which the engine
never produces) is made unique by hashing it with its occurrence number.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from agentlint.findings import Finding, RunResult, Severity

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    span = finding.location.span
    return {
        "check_name": finding.code,
        "description": f"{finding.message} [{finding.code}]",
        "fingerprint": fingerprint,
        "severity": SEVERITY[finding.severity],
        "location": {
            "path": finding.path,
            "lines": {"begin": span.start.line},
            "positions": {
                "begin": {"line": span.start.line, "column": span.start.column},
                "end": {"line": span.end.line, "column": span.end.column},
            },
        },
    }


def _unique(fingerprint: str, seen: dict[str, int]) -> str:
    count = seen.get(fingerprint, 0)
    seen[fingerprint] = count + 1
    if not count:
        return fingerprint
    return _unique(hashlib.sha256(f"{fingerprint}:{count}".encode()).hexdigest()[:16], seen)


def render(result: RunResult, *, color: bool, show_suppressed: bool) -> str:
    del color, show_suppressed
    seen: dict[str, int] = {}
    issues = [issue(f, _unique(f.fingerprint, seen)) for f in result.findings]
    return json.dumps(issues, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
