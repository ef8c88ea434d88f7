from __future__ import annotations

from agentlint.checklist import Checklist
from agentlint.findings import Severity
from agentlint.rule import Example, Rule, Source


class UnreadableFile(Rule):
    """A file that cannot be read as text.

    ## What it does
    Reported for files agentlint was asked to check or that a supported format claims, when
    they are not UTF-8, are binary, exceed `max-file-size` (10 MiB by default), are symlink
    loops, or cannot be opened. The position is the first offending byte where there is one.

    ## Why is this bad?
    A file agentlint cannot read is a file nobody checked: it is reported rather than skipped
    so that "no findings" never means "not looked at".
    """

    code = "AL003"
    name = "unreadable-file"
    summary = "File cannot be read as UTF-8 text"
    severity = Severity.ERROR
    checklist = Checklist.INPUTS_VALID
    entities = ("File",)
    source = Source.LOADER

    valid = (Example.of("apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: caf\u00e9}\n"),)
    invalid = (
        Example.of(
            b"apiVersion: agentlint/v1\nkind: AgentGraph\nmetadata: {name: caf\xe9}\n",
            title="Latin-1 text",
            expect=(("agents.yaml", 3, "AL003"),),
        ),
    )
