"""Every rule's valid and invalid examples, run through the whole engine.

The expected set is exactly the ``# expect:`` markers (or ``expect=`` tuples): the same
(path, line, code) triples, no more, no fewer.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from agentlint import api
from agentlint.config import CliOverrides
from agentlint.registry import all_rules
from agentlint.rule import Example
from tests.helpers import assert_read

CASES = [
    pytest.param(rule, kind, example, id=f"{code}-{kind}-{index}")
    for code, rule in all_rules().items()
    for kind, examples in (("valid", rule.valid), ("invalid", rule.invalid))
    for index, example in enumerate(examples)
]


# Valid examples whose point is that no adapter claims the file (a look-alike): (code, title).
UNREAD_BY_DESIGN = {("AL520", "A compose file that does not run Langfuse is not a trace store")}


def run_example(tmp_path: Path, code: str, example: Example) -> set[tuple[str, int, str]]:
    for rel, text in example.files:
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    settings = api.settings_for(["."], CliOverrides(select=("ALL",)), isolated=True, root=tmp_path)
    if example.options:
        owner = all_rules()[code].options_from or code  # a rule judged with another's options
        options = dict(settings.options)
        options[code] = options[owner] = all_rules()[owner].Options(**dict(example.options))
        settings = dataclasses.replace(settings, options=options)
    result = api.check(["."], settings, root=tmp_path)
    assert not result.internal_error, [f.message for f in result.findings if f.code == "AL901"]
    found = {(f.path, f.line, f.code) for f in result.findings if f.code == code}
    if not found and (code, example.title) not in UNREAD_BY_DESIGN:  # judged, not passed unread
        assert_read(result, [rel for rel, _ in example.files])
    return found


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_rule_example(tmp_path: Path, rule: type, kind: str, example: Example) -> None:
    found = run_example(tmp_path, rule.code, example)
    expected = example.expected() if kind == "invalid" else set()
    if kind == "invalid":
        assert expected, "an invalid example must mark at least one expected finding"
    assert found == expected


def test_every_rule_has_examples() -> None:
    for rule in all_rules().values():
        assert rule.valid
        assert rule.invalid or rule.untestable
