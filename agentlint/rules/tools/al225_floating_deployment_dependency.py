from __future__ import annotations

import posixpath
from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model import pins
from agentlint.model.project import Project
from agentlint.model.deployment import DeploymentDependency
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class FloatingDeploymentDependency(Rule):
    """A deployment config that installs whatever version is newest at build time.

    ## What it does
    Reads `dependencies` in `langgraph.json` and reports PyPI packages without an exact
    version (`langchain-openai`, `langchain-openai>=0.3`) and git sources without a commit
    (`git+https://github.com/o/r`, `…@main`, `…@v1.2`). Local paths (`.`, `./libs/x`) are the
    project itself and are fine. A package that the project pins exactly in a
    `requirements*.txt` or `pyproject.toml` is not reported: `langgraph build` installs those
    after the `dependencies` list, so the pin wins. Pins in `uv.lock` / `poetry.lock` do not
    count, because `langgraph build` never reads lockfiles.

    ## Why is this bad?
    Every image build resolves the package again: a new release (or a hijacked one) changes the
    code the deployed agent runs without any change in the repository, and two builds of one
    commit can behave differently. An exact pin makes upgrades a reviewed diff.
    """

    code = "AL225"
    name = "floating-deployment-dependency"
    summary = "langgraph.json dependency without an exact version"
    severity = Severity.WARNING
    checklist = Checklist.TOOLS_PINNED
    entities = ("DeploymentDependency", "DependencyPin")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        deployment = project.deployment
        for dependency in deployment.dependencies:
            found = _floating(dependency)
            if found is None:
                continue
            name, ecosystem, pin, version = found
            if ecosystem == "pypi" and deployment.pinned(name) is not None:
                continue
            example = "" if ecosystem == "git" else f" ({pins.pinned_form(ecosystem, name)})"
            yield self.violation(
                f"{posixpath.basename(dependency.config)} installs '{name}' {pins.describe(pin, version, ecosystem)}: "
                f"{pins.remedy(ecosystem)}{example} here or in requirements.txt",
                dependency,
                args=(name, pin.value),
            )

    valid = (
        Example.of(
            '{\n  "dependencies": [".", "./libs/tools", "langchain-openai==1.1.0", "langchain-anthropic===1.2.0",\n'
            '    "git+https://github.com/acme/tools@4f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"],\n'
            '  "graphs": {"agent": "./src/agent/graph.py:graph"}\n}\n',
            path="langgraph.json",
            title="Local paths, exact versions, a commit",
        ),
        Example(
            files=(
                ("langgraph.json", '{\n  "dependencies": [".", "langchain-openai"],\n  "graphs": {"agent": "./graph.py:graph"}\n}\n'),
                ("requirements.txt", "langchain_openai==1.1.0  # pinned here: installed after the list\n"),
            ),
            title="A name pinned exactly in requirements.txt",
        ),
    )
    invalid = (
        Example.of(
            '{\n  "dependencies": [\n    ".",\n    "langchain-openai",\n    "tavily-python>=0.5",\n'
            '    "git+https://github.com/acme/tools@main"\n  ],\n  "graphs": {"agent": "./src/agent/graph.py:graph"}\n}\n',
            path="langgraph.json",
            title="No version, a range, a git branch",
            expect=(("langgraph.json", 4, "AL225"), ("langgraph.json", 5, "AL225"), ("langgraph.json", 6, "AL225")),
        ),
    )


def _floating(dependency: DeploymentDependency) -> tuple[str, str, pins.Pin, str | None] | None:
    """(name, ecosystem, pin, version) when the spec floats, else None."""
    git = pins.pip_git(dependency.spec)
    if git is not None:
        url, ref = git
        pin = pins.git_pin(ref)
        return (url, "git", pin, ref) if pin.floats else None
    split = pins.split_pypi(dependency.spec)
    if split is None:
        return None
    name, version, pin = split
    return (name, "pypi", pin, version) if pin.floats else None
