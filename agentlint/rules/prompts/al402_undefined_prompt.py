from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.prompts import MUTABLE_LABELS, PromptVersion
from agentlint.rule import Example, Rule
from agentlint.rules.prompts._registry_examples import REGISTRY, graph

_ROUTER = REGISTRY + """  router:
    labels: {production: 4}
    versions:
      - {version: 3, text: "Route {{ticket}} to billing or tech."}
      - {version: 4, text: "Route {{ticket}}: reply billing or tech."}
"""

_FETCH = """from langfuse import Langfuse

langfuse = Langfuse()
prompt = langfuse.get_prompt("triage", version=4)
"""
_LANGFUSE_ROUTER = (
    '{"name": "router", "type": "text", "version": 4, "prompt": "Route {{ticket}}: reply billing or tech.", '
    '"labels": ["production"], "commitMessage": "shorter"}\n'
)


class UndefinedPrompt(Rule):
    """An agent uses a prompt, version or label that no prompt source defines.

    ## What it does
    Resolves each agent's `prompt:` reference against every prompt source of the project
    (`kind: PromptRegistry`, Langfuse exports, `.prompty`, `.prompt`, hub `prompt.json`): the
    name must be defined, a version (`name@7`) must be one of its versions, and a label
    (`name:production`) must point to one of them. A project without any prompt source is not
    checked (its prompts live elsewhere); prompts that exist only to be evaluated (promptfoo's
    inline prompts) are not a source. A version is not checked against a source that gives
    its prompt no version, nor a label against sources that may list only some of a prompt's
    labels (a partial export). `latest` always resolves.

    Prompts fetched in code are checked only against the sources that could hold them: a
    Langfuse `get_prompt("name")` against the project's Langfuse prompt exports (none: not
    checked), a LangSmith hub `hub.pull("owner/name")` or an MLflow `load_prompt` never (their
    registries are not files of the project).

    ## Why is this bad?
    The agent asks the runtime for a prompt that is not there: depending on the client it
    fails at start-up, falls back to a default prompt, or serves a stale cached copy, and the
    version the agent runs is no longer the one anybody reviewed.
    """

    code = "AL402"
    name = "undefined-prompt"
    summary = "Agent references an undefined prompt, version or label"
    severity = Severity.ERROR
    checklist = Checklist.PROMPTS_MAPPED
    entities = ("PromptReference", "PromptVersion")

    def check(self, project: Project, options: object) -> Iterator[Violation]:
        by_name: dict[str, list[PromptVersion]] = {}
        for prompt in project.prompts:
            if not prompt.evaluation_only:
                by_name.setdefault(prompt.name, []).append(prompt)
        if not by_name:
            return
        held = {prompt.source for prompts in by_name.values() for prompt in prompts}
        for reference in project.prompt_references:
            sources = reference.sources
            if sources is not None and not held.intersection(sources):
                continue  # no source in the project could hold it (a Langfuse fetch, no Langfuse export)
            defined = [p for p in by_name.get(reference.name, ()) if sources is None or p.source in sources]
            who = f"agent '{reference.agent}' uses prompt '{reference.name}"
            if not defined:
                where = "prompt registry or prompt file" if sources is None else f"{' or '.join(sources)} prompt of the project"
                message = f"{who}', but no {where} defines it"
                yield self.violation(message, reference, args=(reference.agent, reference.name))
                continue
            versions = {prompt.version for prompt in defined}
            if reference.version is not None and None not in versions and reference.version not in versions:
                known = ", ".join(sorted(v for v in versions if v is not None))
                message = f"{who}@{reference.version}', but it has no version {reference.version} (defined: {known})"
                yield self.violation(message, reference, args=(reference.agent, reference.name, reference.version))
            label = reference.label
            if label is None or label in MUTABLE_LABELS or not any(p.labels_complete for p in defined):
                continue
            labels = {name for prompt in defined for name in prompt.labels}
            if label not in labels:
                known = ", ".join(sorted(labels)) or "none"
                message = f"{who}:{label}', but no version of it carries label '{label}' (labels: {known})"
                yield self.violation(message, reference, args=(reference.agent, reference.name, label))

    valid = (
        Example(
            (
                ("agents.yaml", graph(("router", "router@4"), ("triage", "router:production"), ("critic", "router:latest"))),
                ("prompts.yaml", _ROUTER),
            ),
            title="A version, a label and latest, all defined",
        ),
        Example.of(graph(("router", "router@4"), ("billing", "billing:production")), title="No prompt source in the project: nothing to check against"),
        Example(
            (("app.py", _FETCH.replace("triage", "router")), ("prompts/router.json", _LANGFUSE_ROUTER)),
            title="A Langfuse prompt fetched in code and defined in the project's Langfuse export",
        ),
    )
    invalid = (
        Example(
            (
                (
                    "agents.yaml",
                    """apiVersion: agentlint/v1
kind: AgentGraph
metadata: {name: desk}
agents:
  router:
    role: router
    prompt: router@5  # expect: AL402
  triage:
    role: router
    prompt: router:canary  # expect: AL402
  billing:
    role: billing specialist
    prompt: billing@1  # expect: AL402
""",
                ),
                ("prompts.yaml", _ROUTER),
            ),
            title="A missing version, a label no version carries, an unknown prompt",
        ),
        Example(
            (("app.py", _FETCH.replace("version=4)", "version=4)  # expect: AL402")), ("prompts/router.json", _LANGFUSE_ROUTER)),
            title="Code fetches a Langfuse prompt the project's Langfuse export lacks",
        ),
    )
