from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.model_ids import bare_id, floating_alias
from agentlint.model.project import Project
from agentlint.options import option
from agentlint.rule import Example, Rule
from agentlint.rules.topology._examples import HEADER


@dataclass(frozen=True)
class Options:
    allow: list[str] = option(
        (),
        "Model ids accepted even though they are aliases: exact ids or glob patterns (gpt-4o-mini, openai:*), "
        "compared case-insensitively with the id as written and without its provider prefix.",
    )


class FloatingModelAlias(Rule):
    """A prompt or an agent names its model by an alias the provider moves.

    ## What it does
    Reports the model of prompt files (`.prompty`, dotprompt, Langfuse `config.model`,
    agentlint registries) and of agents when it is an alias rather than a dated snapshot:
    `gpt-4o` instead of `gpt-4o-2024-08-06`, `claude-3-5-sonnet-latest` or `claude-sonnet-4-5`
    instead of `claude-sonnet-4-5-20250929`, `gemini-1.5-pro` instead of `gemini-1.5-pro-002`,
    anything ending in `-latest`. Provider prefixes (`openai:`, `googleai/`) are ignored.
    Gemini 2.5 and later ids (`gemini-2.5-flash`) are Google's stable versions and are fine;
    preview ids, unknown providers and Azure OpenAI deployment names (whose model version is
    set in Azure) are not reported. `allow` lists ids the team accepts as they are.

    ## Why is this bad?
    The provider re-points an alias to each new snapshot: the same prompt version then runs
    on another model, with other behaviour, refusals and output format, without any change in
    the repository -- the evaluation that approved it no longer describes production, and a
    rollback cannot bring the old behaviour back.
    """

    code = "AL409"
    name = "floating-model-alias"
    summary = "Model given by a moving alias instead of a dated snapshot"
    severity = Severity.WARNING
    checklist = Checklist.PROMPTS_IMMUTABLE
    entities = ("PromptVersion", "Agent")
    Options = Options

    def check(self, project: Project, options: Options) -> Iterator[Violation]:
        allowed = [pattern.lower() for pattern in options.allow]

        def floating(model: str) -> str | None:
            ids = (model.strip().lower(), bare_id(model).lower())
            if any(fnmatch.fnmatchcase(i, pattern) for i in ids for pattern in allowed):
                return None
            return floating_alias(model)

        for prompt in project.prompts:
            if prompt.model is None or prompt.model_is_deployment:
                continue
            reason = floating(prompt.model)
            if reason is not None:
                yield self.violation(
                    f"prompt '{prompt.name}' uses model '{prompt.model}', an alias: {reason}",
                    prompt,
                    field="model",
                    args=(prompt.name, prompt.version or "", prompt.model),
                )
        for agent in project.agents():
            # Agents do not yet say when their model is an Azure deployment name (MAF
            # ``provider: AzureOpenAI``); once entities.Agent carries the flag, it is honoured.
            if agent.model is None or getattr(agent, "model_is_deployment", False):
                continue
            reason = floating(agent.model)
            if reason is not None:
                yield self.violation(
                    f"agent '{agent.name}' uses model '{agent.model}', an alias: {reason}",
                    agent,
                    field="model",
                    args=(agent.graph, agent.name, agent.model),
                )

    valid = (
        Example.of(
            HEADER
            + "agents:\n  router:\n    role: router\n    model: gpt-4o-mini-2024-07-18\n"
            + "  writer:\n    role: executor\n    model: anthropic/claude-sonnet-4-5-20250929\n"
            + "  critic:\n    role: critic\n    model: gemini-2.5-flash\n"
            + "  legacy:\n    role: executor\n    model: gemini-1.5-pro-002\n",
            title="Dated snapshots, and a Gemini 2.5 stable id",
        ),
        Example.of(
            "---\nname: triage\nmodel:\n  api: chat\n  configuration:\n    type: azure_openai\n    azure_deployment: gpt-4o\n---\n"
            "user:\n{{ticket}}\n",
            path="triage.prompty",
            title="An Azure OpenAI deployment name: its model version is set in Azure",
        ),
        Example.of(
            HEADER + "agents:\n  router:\n    role: router\n    model: openai:gpt-4o-mini\n",
            title="An alias the team accepts",
            allow=["gpt-4o-mini"],
        ),
    )
    invalid = (
        Example.of(
            HEADER
            + "agents:\n  router:\n    role: router\n    model: gpt-4o  # expect: AL409\n"
            + "  writer:\n    role: executor\n    model: claude-3-5-sonnet-latest  # expect: AL409\n",
            title="Agents on moving aliases",
        ),
        Example.of(
            "---\nname: summarise\nmodel: gpt-4.1  # expect: AL409\n---\nsystem:\nSummarise {{document}}.\n",
            path="summarise.prompty",
            title="Prompty v2 model shorthand",
        ),
        Example.of(
            "---\nmodel: googleai/gemini-1.5-pro  # expect: AL409\n---\nSummarise {{document}}.\n",
            path="prompts/summarise.prompt",
            title="Dotprompt on Google's auto-updated alias",
        ),
    )
