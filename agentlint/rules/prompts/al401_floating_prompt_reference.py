from __future__ import annotations

from collections.abc import Iterator

import re

from agentlint.checklist import Checklist
from agentlint.findings import Edit, Fix, Severity, Violation
from agentlint.model.project import Project
from agentlint.model.prompts import PromptReference
from agentlint.model.source import Pos, Span
from agentlint.rule import Example, Rule
from agentlint.rules.prompts._registry_examples import graph


class FloatingPromptReference(Rule):
    """An agent uses a prompt without pinning a version or a release label.

    ## What it does
    Reports `prompt:` references of agents that name a prompt alone (`router`) or at the
    `latest` label (`router:latest`). A version (`router@4`) or a release label that a person
    moves (`router:production`, `router:staging`) is pinned.

    ## Why is this bad?
    `latest` follows every new version, and a bare name resolves to whatever the registry
    serves by default: a prompt edit then reaches production without a deploy, a review or a
    record of which version an incident ran with. Langfuse, MLflow and LangSmith all resolve
    a bare name to a label that moves.

    Prompts fetched in code count too: Langfuse `get_prompt("router")` with neither `version=`
    nor `label=` gets the version the `production` label points to (Langfuse's default: the
    message says so; `label="production"` written out is a release label like any other),
    LangSmith `hub.pull("owner/router")` / `pull_prompt` without `:<commit>` gets `latest`,
    and MLflow `load_prompt("prompts:/router@latest")` follows every version. A version or
    label the code passes without stating it (a parameter, `**kwargs`) is not reported.

    Fix (safe, `agentlint check --fix`): where the project's own prompt sources label exactly
    one version of the prompt `production`, the reference is pinned to that version
    (`router:latest` becomes `router@4`; Langfuse `get_prompt("router")` gains `version=4`,
    the version it gets today). No fix when no source says which version is in production,
    when several versions or two kinds of source (a registry and a Langfuse export) could
    answer, or when a Langfuse call already passes a version or label.
    """

    code = "AL401"
    name = "floating-prompt-reference"
    summary = "Agent prompt not pinned to a version or release label"
    severity = Severity.WARNING
    checklist = Checklist.PROMPTS_MAPPED
    entities = ("PromptReference",)

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        for reference in project.prompt_references:
            if reference.pinned:
                continue
            if reference.label is not None:
                message = (
                    f"agent '{reference.agent}' uses prompt '{reference.name}' at label '{reference.label}', which moves "
                    f"with every new version: pin a version ({reference.name}@<version>) or a release label "
                    f"({reference.name}:production)"
                )
            elif reference.default_label is not None:
                message = (
                    f"agent '{reference.agent}' fetches prompt '{reference.name}' without a version or label, so it gets "
                    f"whichever version label '{reference.default_label}' (the default) points to when it runs: pin a version "
                    f"or state a release label"
                )
            else:
                message = (
                    f"agent '{reference.agent}' uses prompt '{reference.name}' without a version or label: pin a version "
                    f"({reference.name}@<version>) or a release label ({reference.name}:production)"
                )
            fix = _pin(reference, _production(project, reference))
            yield self.violation(message, reference, args=(reference.agent, reference.name, reference.label or ""), fix=fix)

    valid = (
        Example.of(
            graph(("router", "router@4"), ("billing", "billing:production"), ("tech", "tech:staging"), ("writer", "writer@2025-06-01")),
            title="Versions and release labels, a date as version",
        ),
        Example.of(
            """from langchain import hub
from langfuse import Langfuse

langfuse = Langfuse()
router = langfuse.get_prompt("router", version=4)
billing = langfuse.get_prompt("billing", label="production")


def critic_prompt(label: str):
    return langfuse.get_prompt("critic", label=label)


rag = hub.pull("rlm/rag-prompt:50442af1")
""",
            path="app.py",
            title="Prompts fetched in code at a version, a release label, a label from a parameter, a hub commit",
        ),
    )
    invalid = (
        Example.of(
            """apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: desk}
agents:
  router:
    role: router
    prompt: router:latest  # expect: AL401
  billing:
    role: billing specialist
    prompt: billing  # expect: AL401
""",
            title="The latest label, and a bare name",
        ),
        Example.of(
            """from langchain import hub
from langfuse import get_client

langfuse = get_client()
router = langfuse.get_prompt("router")  # expect: AL401
critic = langfuse.get_prompt("critic", label="latest")  # expect: AL401
rag = hub.pull("rlm/rag-prompt")  # expect: AL401
""",
            path="app.py",
            title="Prompts fetched in code: Langfuse's default production label, latest, a hub prompt without a commit",
        ),
    )


_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")  # written as is in plain YAML, quotes or code


def _production(project: Project, reference: PromptReference) -> str | None:
    """The one version the project's prompt source that could define ``reference`` labels
    ``production``; None when none does, several do, a source gives the prompt no version, or
    two kinds of source define it (which one the agent reads is not known)."""
    defined = [
        p
        for p in project.prompts
        if p.name == reference.name and not p.evaluation_only and (reference.sources is None or p.source in reference.sources)
    ]
    if not defined or any(p.version is None for p in defined) or len({p.source for p in defined}) > 1:
        return None
    labelled = {p.version for p in defined if "production" in p.labels}
    return labelled.pop() if len(labelled) == 1 else None


def _pin(reference: PromptReference, version: str | None) -> Fix | None:
    """Edits that pin ``reference`` to ``version``, from the spans the model holds."""
    if version is None or not _VERSION.match(version):
        return None
    title = f"Pin prompt '{reference.name}' to version {version} (labelled production)"
    path = reference.ref.path
    if reference.has("name"):  # fetched in code: only Langfuse get_prompt without version or label
        if reference.sources != ("langfuse",) or reference.has("version") or reference.has("label"):
            return None
        if reference.default_label != "production" or not (version.isascii() and version.isdigit()):
            return None
        end = reference.span_of("name").end
        return Fix(title, (Edit(path, Span(end, end), f", version={int(version)}"),))
    if not reference.has("value"):
        return None
    written = reference.name + (f":{reference.label}" if reference.label is not None else "")
    span = reference.span_of("value")
    width = span.end.column - span.start.column
    if span.start.line != span.end.line or reference.version is not None:
        return None
    if width == len(written) + 2:  # quoted without escapes: replace inside the quotes
        span = Span(Pos(span.start.line, span.start.column + 1), Pos(span.end.line, span.end.column - 1))
    elif width != len(written):  # escapes, a block scalar, an alias: not certain what to replace
        return None
    return Fix(title, (Edit(path, span, f"{reference.name}@{version}"),))
