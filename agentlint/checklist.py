"""The readiness checklist agentlint reports on (seed.md, "1. Pre-Deployment Readiness",
and the privacy practices of its observability part). Every rule maps to exactly one item."""

from __future__ import annotations

import enum


class Checklist(enum.Enum):
    # 1.1 Agent configuration
    ROLES_DEFINED = ("1.1.1", "Agent roles clearly defined (planner, executor, critic, router, etc.)")
    TOPOLOGY_REVIEWED = ("1.1.2", "Agent graph/topology reviewed and documented")
    NO_UNBOUNDED_LOOPS = ("1.1.3", "No circular or unbounded agent loops")
    AGENT_TIMEOUTS = ("1.1.4", "Agent timeouts configured")
    AGENT_RETRY_LIMITS = ("1.1.5", "Retry limits configured per agent")
    # 1.2 Prompt & agent versioning
    PROMPTS_IMMUTABLE = ("1.2.1", "Prompt versions are immutable and tagged")
    PROMPTS_REVIEWED = ("1.2.2", "Prompt changes reviewed and approved")
    PROMPTS_MAPPED = ("1.2.3", "Prompt version mapped to agent name")
    PROMPT_ROLLBACK = ("1.2.4", "Previous stable prompt version recorded (rollback target)")
    # 1.3 MCP tooling
    TOOLS_PINNED = ("1.3.1", "Tool versions pinned (no floating latest)")
    TOOLS_LEAST_PRIVILEGE = ("1.3.2", "Tool permissions reviewed (principle of least privilege)")
    TOOL_LIMITS = ("1.3.3", "Tool timeouts and rate limits configured")
    TOOL_FAILURE_MODES = ("1.3.4", "Tool failure modes defined (retry / fallback / abort)")
    TOOL_CONTRACTS = ("1.3.5", "Tool contracts validated (input/output schema)")
    # Privacy, security & compliance (observability section 9 and "common mistakes")
    PROMPTS_NOT_LOGGED_RAW = ("P.1", "Prompts are not stored or logged raw (hash or mask them)")
    PII_MASKED = ("P.2", "PII is masked or redacted in traces and logs")
    TRACES_SAMPLED = ("P.3", "Traces are sampled")
    EXPORTS_ENCRYPTED = ("P.4", "Trace exports are encrypted")
    TRACE_STORE_SECURED = ("P.5", "Self-hosted trace store uses its own secrets (no documented defaults)")
    # Observability: the seed's "Common Mistakes" (logging prompts without masking is P.1)
    TRACING_CONFIGURED = ("M.1", "Agent runs are traced")
    SPANS_PER_STEP = ("M.2", "Spans per LLM call and agent step, not a single span per request")
    TOOLS_TRACED = ("M.3", "Tool calls are traced")
    TOKEN_ATTRIBUTES = ("M.4", "LLM spans record token usage and cost")
    TRACES_CORRELATED = ("M.5", "Traces are correlated with backend services (context propagated)")
    # Not a seed item: agentlint's own inputs (files readable, directives valid).
    INPUTS_VALID = ("0", "Agent definitions are readable and well-formed")

    def __init__(self, number: str, title: str) -> None:
        self.number = number
        self.title = title

    @property
    def section(self) -> str:
        return self.number.rsplit(".", 1)[0] if "." in self.number else self.number
