"""Issue 12, points 4, 6 and 9: huge numbers are values, odd Unicode does not crash the YAML
loader, every template and command scanner is linear.

Linear-time tests are not timed assertions: each runs the scanner on an input big enough that
the quadratic version took minutes (80k tags: 109 s to "never"), in a subprocess with a
generous timeout, and asserts what the scan found."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.loaders.yaml import load_yaml

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
