"""Shared pieces of the Python telemetry adapter: the emitter that numbers entities, static
booleans and levels, and which imports mean a module sends GenAI telemetry."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from agentlint.adapters._code.syntax import dotted, statements  # noqa: F401  (re-exported to the telemetry helpers)
from agentlint.adapters._code.evaluate import Static
from agentlint.adapters._code.scope import FunctionScope, ModuleFacts
from agentlint.model.source import NodeRef
from agentlint.model.telemetry import Concern, Origin, TelemetrySwitch, TracingKind, TracingSetup


# Import roots whose presence says the module's spans carry GenAI content: LLM SDKs, agent
# frameworks, and the instrumentations that record prompts.
GENAI_ROOTS = frozenset(
    {
        "openai",
        "anthropic",
        "litellm",
        "google.genai",
        "langchain",
        "langchain_core",
        "langchain_openai",
        "langchain_anthropic",
        "langchain_google_genai",
        "langgraph",
        "agents",
        "crewai",
        "llama_index",
        "traceloop",
        "openlit",
        "openinference",
        "langfuse",
        "opentelemetry.instrumentation.openai",
        "opentelemetry.instrumentation.openai_v2",
        "opentelemetry.instrumentation.google_genai",
        "opentelemetry.instrumentation.vertexai",
    }
)
LLM_LOGGER_ROOTS = frozenset({"openai", "anthropic", "litellm", "httpx"})


def imported_roots(facts: ModuleFacts) -> set[str]:
    """Every imported module path and its prefixes (``google.genai.types`` gives ``google``,
    ``google.genai`` and ``google.genai.types``)."""
    out: set[str] = set()
    for target in facts.imports.values():
        parts = target.split(".")
        out.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return out


def sends_genai(facts: ModuleFacts) -> str | None:
    """The first GenAI library the module imports (sorted, for a stable detail), or None."""
    found = imported_roots(facts) & GENAI_ROOTS
    return min(found, key=lambda root: (root not in LLM_LOGGER_ROOTS, root)) if found else None


def truth(facts: ModuleFacts, expr: ast.AST | None, scope: FunctionScope | None) -> tuple[bool | None, str | None]:
    """A static truth value (bools, "true"/"false"/"1"/"0" strings, numbers) and the environment
    variable that may override it; (None, None) when unknown."""
    value = facts.value(expr, scope)
    if not isinstance(value, Static):
        return None, None
    return text_truth(value.value), value.env


def text_truth(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        return bool(raw)
    if isinstance(raw, str):
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
    if raw is None:
        return False
    return None


def is_debug_level(facts: ModuleFacts, expr: ast.AST | None, scope: FunctionScope | None) -> tuple[bool | None, str | None]:
    """``logging.DEBUG``, ``"DEBUG"``, ``10`` (and levels below it) are debug; other static
    levels are not; (None, None) when unknown."""
    if expr is None:
        return None, None
    name = facts.qualname(expr)
    if name is not None and name.startswith("logging."):
        level = name.rpartition(".")[2]
        if level in ("DEBUG",):
            return True, None
        if level in ("INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL"):
            return False, None
        return None, None
    value = facts.value(expr, scope)
    if not isinstance(value, Static):
        return None, None
    raw = value.value
    if isinstance(raw, bool):
        return None, None
    if isinstance(raw, int):
        return 0 < raw <= 10, value.env
    if isinstance(raw, str):
        word = raw.strip().upper()
        if word in ("DEBUG", "TRACE"):
            return True, value.env
        if word in ("INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL"):
            return False, value.env
    return None, None


@dataclass(slots=True)
class Emitter:
    """Collects one module's telemetry entities with stable refs (function, setting, ordinal:
    lines may move)."""

    facts: ModuleFacts
    entities: list[Any] = field(default_factory=list)
    _ordinals: dict[tuple[str, ...], int] = field(default_factory=dict)
    _once: set[str] = field(default_factory=set)

    @property
    def path(self) -> str:
        return self.facts.module.path

    @property
    def test_code(self) -> bool:
        parts = self.path.split("/")
        name = parts[-1]
        return (
            any(part in ("tests", "test", "testing") for part in parts[:-1])
            or name.startswith("test_")
            or name.endswith("_test.py")
            or name == "conftest.py"
        )

    def ref(self, *key: str) -> NodeRef:
        index = self._ordinals.get(key, 0)
        self._ordinals[key] = index + 1
        return NodeRef(self.path, (*key, index))

    def switch(
        self,
        node: ast.AST,
        scope: FunctionScope | None,
        concern: Concern,
        setting: str,
        value: str,
        risky: bool,
        *,
        implicit: bool = False,
        env: tuple[str, ...] = (),
        detail: str = "",
        fix: str = "",
        once: bool = False,
    ) -> None:
        """``once``: an environment default that several calls rely on (two OpenInference
        instrumentors, one ``OPENINFERENCE_HIDE_INPUTS``) is one switch per module."""
        if once:
            if setting in self._once:
                return
            self._once.add(setting)
        where = scope.node.name if scope is not None else "<module>"
        self.entities.append(
            TelemetrySwitch(
                ref=self.ref("telemetry", where, concern.value, setting),
                span=self.facts.span(node),
                fields=(),
                concern=concern,
                setting=setting,
                value=value,
                risky=risky,
                origin=Origin.CODE,
                implicit=implicit,
                env=env,
                detail=detail,
                fix=fix,
            )
        )

    def setup(self, node: ast.AST, scope: FunctionScope | None, kind: TracingKind, what: str) -> None:
        where = scope.node.name if scope is not None else "<module>"
        self.entities.append(
            TracingSetup(
                ref=self.ref("tracing", where, kind.value, what),
                span=self.facts.span(node),
                fields=(),
                kind=kind,
                origin=Origin.CODE,
                what=what,
            )
        )
