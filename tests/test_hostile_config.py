"""Config files are read as TOML, strictly (issue 12, point 12).

``[tool.agentlint]`` used to be found by a regular expression over the text, so every other
spelling TOML allows was skipped and the defaults applied with no message; a wrong value for
the table was ignored, and ``max-depth = "50"`` or ``true`` were coerced to numbers. Whether a
pyproject.toml holds the table is now decided from the parsed TOML, and every wrong value is a
located config error (exit 2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli_config import project  # noqa: F401  (the shared fixture)
from tests.test_cli_config import run as _run


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code, out, err = _run(capsys, *argv)
    return code, out, err.strip()


SPELLINGS = [
    '[tool."agentlint"]\nselect = ["AL107"]\n',
    "[ tool . agentlint ]\nselect = ['AL107']\n",
    '[tool]\nagentlint = { select = ["AL107"] }\n',
    'tool.agentlint.select = ["AL107"]\n',
    '[tool]\nname = "x"\n[tool.agentlint]\nselect = ["AL107"]\n',
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_every_toml_spelling_of_the_table_is_read(project: Path, capsys, text: str) -> None:
    (project / "pyproject.toml").write_text(text + '\n[project]\nname = "desk"\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "concise")
    assert out == ["graphs/desk.yaml:11:3: warning: agent 'helper' has no role [AL107]"]
    assert code == 1


ERRORS = [
    # (pyproject.toml text, error after "pyproject.toml:")
    ("[tool]\nagentlint = 5\n", "2:1: [tool.agentlint] must be a table, not a number"),
    ('[tool]\nagentlint = "x"\n', "2:1: [tool.agentlint] must be a table, not a string"),
    (
        "[[tool.agentlint]]\nselect = ['AL1']\n",
        "1:1: [tool.agentlint] must be a table, not an array (write [tool.agentlint], not [[tool.agentlint]])",
    ),
    ('[tool.agentlint]\nmax-depth = "50"\n', "2:1: max-depth: Input should be a valid integer"),
    ("[tool.agentlint]\nmax-depth = true\n", "2:1: max-depth: Input should be a valid integer"),
    ("[tool.agentlint]\nmax-file-size = 1e6\n", "2:1: max-file-size: Input should be a valid integer"),
    ("[tool.agentlint]\nfail-on = 1\n", "2:1: fail-on: Input should be 'error', 'warning' or 'info'"),
    ('[tool.agentlint]\nselect = "AL1"\n', "2:1: select: Input should be a valid list"),
    ("[tool]\nagentlint = { max-depth = '50' }\n", "2:15: max-depth: Input should be a valid integer"),
]


@pytest.mark.parametrize(("text", "error"), ERRORS)
def test_a_wrong_value_is_a_located_config_error(project: Path, capsys, text: str, error: str) -> None:
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "check", "--format", "concise")
    assert (code, out, err) == (2, [], f"agentlint: error: pyproject.toml:{error}")


def test_a_non_utf8_byte_in_a_pyproject_naming_agentlint_is_a_located_error(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_bytes(b'[project]\nname = "d\xe9sk"\n[tool.agentlint]\nselect = ["AL107"]\n')
    code, out, err = run(capsys, "check", "--format", "concise")
    assert (code, out) == (2, [])
    assert err == "agentlint: error: pyproject.toml:2:10: invalid TOML: byte 0xe9 is not UTF-8 (TOML files are UTF-8)"


def test_a_non_utf8_agentlint_toml_is_a_located_error(project: Path, capsys) -> None:
    (project / "agentlint.toml").write_bytes(b'# caf\xe9\nselect = ["AL107"]\n')
    code, _, err = run(capsys, "check", "--format", "concise")
    assert code == 2
    assert err == "agentlint: error: agentlint.toml:1:6: invalid TOML: byte 0xe9 is not UTF-8 (TOML files are UTF-8)"


def test_a_broken_pyproject_that_never_names_agentlint_is_not_a_config(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_bytes(b'[project]\nname = "d\xe9sk"\n')
    code, out, _ = run(capsys, "check", "--format", "concise")
    assert [line.rsplit(" ", 1)[-1] for line in out] == ["[AL303]", "[AL107]", "[AL103]"]
    assert code == 1


def test_a_pyproject_naming_agentlint_only_as_a_dependency_is_not_a_config(project: Path, capsys) -> None:
    (project / "agentlint.toml").write_text('select = ["AL107"]\n', encoding="utf-8")
    (project / "graphs" / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["agentlint>=1"]\n[tool.agentlintx]\na = 1\n', encoding="utf-8"
    )
    _, out, _ = run(capsys, "check", "graphs", "--format", "concise")
    assert [line.rsplit(" ", 1)[-1] for line in out] == ["[AL107]"]
