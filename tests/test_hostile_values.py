"""Issue 12, points 4, 6 and 9: huge numbers are values, odd Unicode does not crash the YAML
loader, every template and command scanner is linear.

Linear-time tests are not timed assertions: each runs the scanner on an input big enough that
the quadratic version took minutes (80k tags: 109 s to "never"), in a subprocess with a
generous timeout, and asserts what the scan found."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.loaders.yaml import load_yaml
from agentlint.model.budget import CEILING, finite, number_text
from agentlint.rules.limits.al311_budget_too_high import HEADER
from tests.helpers import project_result

# -- point 6: the YAML 1.1 break masking never runs out of placeholders ----------------------------

_ODD = "\x85\u2028\u2029"


def test_yaml_holding_every_supplementary_code_point_and_a_line_separator_loads() -> None:
    # every placeholder the loader used to pick from (U+F0000..U+10FFFF) is taken by the text
    everything = "".join(chr(c) for c in range(0xF0000, 0x110000))
    text = f'a: "x\u2028{everything}"\nb: 1\n'
    loaded = load_yaml("pua.yaml", text)
    assert loaded.problems == []
    assert [doc.data for doc in loaded.docs] == [{"a": f"x\u2028{everything}", "b": 1}]
    assert loaded.docs[0].source_map.value(("b",)).start.line == 2


_PRIVATE = st.sampled_from([chr(0xF0000), chr(0xF0001), chr(0xFFFFD), chr(0x100000), chr(0x10FFFD), chr(0xE000)])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PRIVATE, st.sampled_from(list(_ODD)), st.sampled_from(["a", " ", "é"])), max_size=20))
def test_private_use_characters_and_yaml11_breaks_round_trip(chars: list[str]) -> None:
    value = "".join(chars)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    loaded = load_yaml("odd.yaml", f'k: "{escaped}"\nnext: 2\n')
    assert loaded.problems == []
    assert [doc.data for doc in loaded.docs] == [{"k": value, "next": 2}]
    assert loaded.docs[0].source_map.value(("next",)).start.line == 2


# -- point 9: linear scanners --------------------------------------------------------------------

_N = 80_000


def _run(code: str, timeout: float = 60) -> str:
    """Run ``code`` in a fresh interpreter; a quadratic scan fails the timeout, never hangs."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=timeout, check=True
    )
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # an unclosed "{{ " repeated: no tag at all
        (f"scan_jinja('{{{{ ' * {_N})", "0 False"),
        (f"scan_jinja('{{{{ x }}}}' + '{{% ' * {_N})", "1 False"),
        (f"scan_jinja('{{{{ ' + '\\\\\\'' * {_N} + ' }}}}')", "0 False"),
        # 80k nested sections: each uses a (the first at the top, the others inside the first)
        (f"scan_handlebars('{{{{#each a}}}}' * {_N} + '{{{{/b}}}}' * {_N})", f"{_N} False"),
        (f"scan_handlebars('{{{{' + '../' * {_N} + 'x}}}}')", "1 False"),
        (f"scan_fstring('{{' + 'a' * {_N} + '{{' + 'b' * {_N} + '}}}}')", "1 False"),
    ],
)
def test_template_scanners_are_linear(call: str, expected: str) -> None:
    out = _run(
        f"""
        from agentlint.adapters._templates import scan_jinja, scan_handlebars, scan_fstring
        uses, opaque = {call}
        print(len(uses), opaque)
        """
    )
    assert out == expected


def test_mustache_sections_are_linear() -> None:
    out = _run(
        f"""
        from agentlint.adapters._mustache import scan
        uses = scan('{{{{#each a}}}}' * {_N} + '{{{{/zzz}}}}' * {_N} + '{{{{ ' * {_N})
        print(len(uses), uses[0].section, {{u.section for u in uses[1:]}}, uses[-1].start)
        """
    )
    assert out == f"{_N} None {{'a'}} {11 * (_N - 1)}"


def test_prompty_with_80k_unclosed_tags_is_checked_in_time(tmp_path: Path) -> None:
    (tmp_path / "p.prompty").write_text("---\nname: p\ninputs:\n  x:\n    type: string\n---\n{{ x }}\n" + "{{#each a}}" * _N + "{{ " * _N)
    done = subprocess.run(
        [sys.executable, "-m", "agentlint", "check", str(tmp_path / "p.prompty")],
        capture_output=True, text=True, timeout=90, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    assert "internal error" not in done.stdout + done.stderr


def test_codex_args_of_80k_strings_are_checked_in_time(tmp_path: Path) -> None:
    (tmp_path / ".codex").mkdir()
    args = ", ".join(f'"pkg{i}"' for i in range(_N))
    (tmp_path / ".codex" / "config.toml").write_text(
        f'[mcp_servers.fs]\ncommand = "npx"\nargs = ["-y", "@modelcontextprotocol/server-filesystem", {args}]\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "agentlint", "check", "."],
        capture_output=True, text=True, timeout=90, cwd=tmp_path,
    )  # fmt: skip
    assert done.stdout.splitlines()[:2] == [
        ".codex/config.toml:1:14: warning: server 'fs' sets no 'tool_timeout_sec': the client waits 60 s for each tool call [AL208]",
        ".codex/config.toml:3:15: error: npx runs '@modelcontextprotocol/server-filesystem' without a version: pin an exact version (@modelcontextprotocol/server-filesystem@<version>) [AL201]",
    ]


# -- point 4: huge numbers are values ------------------------------------------------------------

_HUGE = "9" * 400


def _findings(root: Path, files: dict[str, str]) -> list[tuple[str, str, int, str]]:
    result = project_result(root, files)
    return sorted((f.code, f.path, f.line, f.message) for f in result.findings if f.code in ("AL002", "AL310", "AL311", "AL901"))


def test_budget_with_400_digit_limits_and_an_infinite_timeout_is_at_least_the_ceiling(tmp_path: Path) -> None:
    # AL103 reports each bound above its maximum, shown capped
    limits = [
        ("AL103", 8, "agent 'writer' allows at least 10^15 iterations, above the maximum of 25"),
        ("AL103", 12, "edge critic → writer allows at least 10^15 traversals, above the maximum of 10"),
    ]
    graph = (
        HEADER
        + "entry: writer\nterminals: [writer]\nagents:\n"
        + f"  writer: {{role: writer, timeout: 60, retries: {{max_attempts: {_HUGE}}}, max_iterations: {_HUGE}}}\n"
        + "  critic: {role: critic, timeout: 1e400, retries: {max_attempts: 2}}\n"
        + f"edges:\n  - {{from: writer, to: critic}}\n  - {{from: critic, to: writer, max_traversals: {_HUGE}}}\n"
    )
    result = project_result(tmp_path, {"agentlint.yaml": graph})
    assert sorted((f.code, f.line, f.message) for f in result.findings if f.code == "AL103") == limits
    assert _findings(tmp_path, {"agentlint.yaml": graph}) == [
        (
            "AL311",
            "agentlint.yaml",
            8,
            "a request entering at 'writer' can take up to at least 10^15 LLM calls = at least 10^15 passes "
            "[1 + max_traversals at least 10^15 (critic → writer) + max_iterations at least 10^15 (writer)] × "
            "(critic 1×2 + writer at least 10^15×at least 10^15) (max-llm-calls = 50) and at least 10^15 s = "
            "at least 10^15 passes × (critic at least 10^15 s×2 + writer 60 s×at least 10^15) (max-seconds = 300), "
            "along critic → writer",
        )
    ]


def test_a_timeout_of_1e400_is_a_long_timeout_not_an_unbounded_budget(tmp_path: Path) -> None:
    graph = HEADER + f"entry: solo\nterminals: [solo]\nagents:\n  solo: {{role: solo, timeout: 1e400, max_iterations: 2}}\n"
    assert _findings(tmp_path, {"agentlint.yaml": graph}) == [
        (
            "AL311",
            "agentlint.yaml",
            8,
            "a request entering at 'solo' can take up to at least 10^15 s = solo at least 10^15 s×1 (max-seconds = 300), along solo",
        )
    ]


def test_budget_numbers_are_capped_for_display() -> None:
    assert [number_text(v) for v in (25, 0.5, 1234567, 10**15 - 1, 10**15, 10**400, math.inf, math.nan)] == [
        "25", "0.5", "1234567", "999999999999999", "at least 10^15", "at least 10^15", "at least 10^15", "at least 10^15",
    ]  # fmt: skip
    assert finite(10**400) == finite(math.inf) == CEILING


def test_codex_timeouts_beyond_64_bits_are_rejected_like_codex_does(tmp_path: Path) -> None:
    config = (
        '[mcp_servers.fs]\ncommand = "uvx"\nargs = ["mcp-server-time==1.0.0"]\n'
        f"tool_timeout_sec = {_HUGE}\nstartup_timeout_ms = {2**63}\n"
        '[mcp_servers.ok]\ncommand = "uvx"\nargs = ["mcp-server-time==1.0.0"]\n'
        f"tool_timeout_sec = {2**63 - 1}\n"
    )
    assert _findings(tmp_path, {".codex/config.toml": config}) == [
        ("AL002", ".codex/config.toml", 4, "'tool_timeout_sec' of server 'fs' must be a number that fits in 64 bits (TOML integers do)"),
        ("AL002", ".codex/config.toml", 5, "'startup_timeout_ms' of server 'fs' must be a number that fits in 64 bits (TOML integers do)"),
    ]


@pytest.mark.parametrize("size", ["1e20", str(9 * 10**30), str(2**30 + 1)])
def test_a_max_file_size_beyond_one_gib_is_a_config_error(tmp_path: Path, size: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.agentlint]\nmax-file-size = {size}\n")
    (tmp_path / "agents.yaml").write_text("a: 1\n")
    done = subprocess.run([sys.executable, "-m", "agentlint", "check", "."], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("agentlint: error: pyproject.toml:2:1: max-file-size: ")
    assert "internal error" not in done.stdout + done.stderr


def test_400_digit_constants_in_python_code_are_read_as_huge(tmp_path: Path) -> None:
    files = {
        "agent.py": f"from langchain_openai import ChatOpenAI\nTIMEOUT = {_HUGE}\nllm = ChatOpenAI(model='gpt-4o', timeout=TIMEOUT, max_retries={_HUGE})\n",
        "consts.py": f"import langgraph\nT = {_HUGE}\nU = 1e400\n",
    }
    result = project_result(tmp_path, files)
    assert [(f.code, f.path, f.line, f.message) for f in result.findings] == [
        (
            "AL303",
            "agent.py",
            3,
            "ChatOpenAI(...) sets max_retries=at least 10^15 (at least 10^15 attempts per request), above the maximum of 5: lower max_retries",
        )
    ]


def test_a_400_digit_attempt_count_is_shown_capped(tmp_path: Path) -> None:
    graph = HEADER + f"entry: writer\nterminals: [writer]\nagents:\n  writer: {{role: writer, timeout: 60, retries: {{max_attempts: {_HUGE}}}, max_iterations: 3}}\n"
    result = project_result(tmp_path, {"agentlint.yaml": graph})
    assert [(f.code, f.line, f.message) for f in result.findings] == [
        (
            "AL311",
            8,
            "a request entering at 'writer' can take up to at least 10^15 LLM calls = writer 3×at least 10^15 (max-llm-calls = 50) "
            "and at least 10^15 s = writer 60 s×at least 10^15 (max-seconds = 300), along writer",
        ),
        ("AL303", 8, "agent 'writer' allows at least 10^15 attempts, above the maximum of 5"),
    ]


def test_autogen_client_timeout_of_400_digits_is_huge(tmp_path: Path) -> None:
    client = f'{{"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "config": {{"model": "gpt-4o", "timeout": {_HUGE}, "max_retries": 2}}}}'
    writer = f'{{"provider": "autogen_agentchat.agents.AssistantAgent", "config": {{"name": "writer", "model_client": {client}, "system_message": "Write."}}}}'
    stop = '{"provider": "autogen_agentchat.conditions.MaxMessageTermination", "config": {"max_messages": 12}}'
    team = f'{{"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "config": {{"participants": [{writer}], "termination_condition": {stop}}}}}'
    assert _findings(tmp_path, {"team.json": team}) == [
        (
            "AL311",
            "team.json",
            1,
            "a request entering at 'writer' can take up to at least 10^15 s = 12 turns × the slowest of "
            "(writer at least 10^15 s×3) (max-seconds = 300), along writer",
        )
    ]


def test_flow_numbers_of_any_length_are_values() -> None:
    from agentlint.adapters._flow import as_int, as_number

    assert [as_number(10**400), as_number(-(10**400)), as_number(30), as_number("1e400")] == [CEILING, -CEILING, 30.0, math.inf]
    assert [as_int("9" * 5000), as_int("-" + "9" * 5000), as_int("9" * 400)] == [10**400, -(10**400), int("9" * 400)]
