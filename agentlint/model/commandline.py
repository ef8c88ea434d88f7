"""Command lines as words: unwrapping shells and prefixes, and parsing options.

Used by ``agentlint.model.launch``. A ``Word`` is one argument with the ``Text`` it came from;
the words of a ``bash -c "…"`` script all point at the script argument (``script=True``).
Wrappers unwrapped: ``sh/bash/zsh -c``, ``cmd.exe /c``, ``powershell -Command``, ``env``,
``exec``, ``nohup``, ``sudo``, ``VAR=value``. Scripts are split with ``shlex`` at ``&&``, ``||``,
``;``, ``|``, ``&`` and newlines; redirections and ``#`` comments are dropped.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.model.tools import Launch, Text


@dataclass(frozen=True, slots=True)
class Word:
    value: str
    text: Text
    script: bool = False  # the word is part of a script argument (text is the whole script)


@dataclass(frozen=True, slots=True)
class Option:
    name: str  # as written, without "=value": "--network", "-e"
    value: str | None  # None for a flag without value
    word: Word  # the word holding the option name
    value_word: Word | None  # the word holding the value (may be ``word`` for --x=y / -xVALUE)


def program(value: str) -> str:
    """``/usr/bin/npx`` -> ``npx``; ``C:\\nodejs\\npx.cmd`` -> ``npx``; ``cmd.exe`` -> ``cmd``."""
    base = re.split(r"[/\\]", value)[-1].lower()
    return re.sub(r"\.(exe|cmd|bat|ps1)$", "", base)


def parse_options(
    words: list[Word], takes_value: frozenset[str], *, interleaved: bool = False
) -> tuple[list[Option], list[Word]]:
    """Options and positionals. Options stop at the first positional unless ``interleaved``
    (pip install); ``--`` always ends them. Short flags cluster (``-it``, ``-eFOO=1``)."""
    options: list[Option] = []
    rest: list[Word] = []
    index = 0
    while index < len(words):
        word = words[index]
        value = word.value
        index += 1
        if value == "--":
            rest.extend(words[index:])
            break
        if value.startswith("--") and len(value) > 2:
            name, eq, inline = value.partition("=")
            if eq:
                options.append(Option(name, inline, word, word))
            elif name in takes_value and index < len(words):
                options.append(Option(name, words[index].value, word, words[index]))
                index += 1
            else:
                options.append(Option(name, None, word, None))
        elif value.startswith("-") and len(value) > 1 and not value[1].isdigit():
            for position in range(1, len(value)):
                name = "-" + value[position]
                if name in takes_value or value in takes_value:
                    if value in takes_value:  # a single-dash long option: -Command, -ExecutionPolicy
                        name, attached = value, ""
                    else:
                        attached = value[position + 1 :].removeprefix("=")
                    if attached:
                        options.append(Option(name, attached, word, word))
                    elif index < len(words):
                        options.append(Option(name, words[index].value, word, words[index]))
                        index += 1
                    else:
                        options.append(Option(name, None, word, None))
                    break
                options.append(Option(name, None, word, None))
        else:
            rest.append(word)
            if not interleaved:
                rest.extend(words[index:])
                break
    return options, rest


def words_of(launch: Launch) -> list[Word]:
    return [Word(launch.command.value, launch.command)] + [Word(a.value, a) for a in launch.args]


_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ash", "ksh", "fish"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_SEPARATOR = re.compile(r"[;&|()\n]+\Z")
_REDIRECT = re.compile(r"[0-9]*[<>&]*[<>][<>&]*\Z")
_PREFIXES = {
    "exec": frozenset(),
    "nohup": frozenset(),
    "time": frozenset(),
    "command": frozenset(),
    "env": frozenset({"-u", "--unset", "-C", "--chdir", "-S"}),
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-R", "-T"}),
}


def split_script(word: Word) -> list[list[Word]]:
    """A shell script argument -> its simple commands (words all pointing at the script)."""
    source = word.value.replace("\\\n", " ").replace("\r\n", "\n")
    lexer = shlex.shlex(source, posix=True, punctuation_chars=";&|()<>\n")
    lexer.whitespace, lexer.whitespace_split, lexer.commenters = " \t\r", True, ""
    try:
        tokens = list(lexer)
    except ValueError:  # unbalanced quotes: a plain split is still better than nothing
        tokens = source.split()
    commands: list[list[Word]] = [[]]
    skip = comment = False
    for token in tokens:
        if comment:
            comment = token != "\n"
            if not comment:
                commands.append([])
        elif _SEPARATOR.match(token):
            commands.append([])
        elif _REDIRECT.match(token):
            skip = True  # the file (or the "1" of "2>&1") that follows
            if commands[-1] and commands[-1][-1].value.isdigit():
                commands[-1].pop()  # the "2" of "2>/dev/null"
        elif skip:
            skip = False
        elif token.startswith("#") and not commands[-1]:
            comment = True
        else:
            commands[-1].append(Word(token, word.text, script=True))
    return [c for c in commands if c]


def simple_commands(words: list[Word]) -> Iterator[list[Word]]:
    """Unwrap shells, ``cmd /c``, PowerShell and prefixes down to simple commands."""
    while words:
        name = program(words[0].value)
        if _ASSIGNMENT.match(words[0].value):
            words = words[1:]
        elif name in _PREFIXES:
            _, words = parse_options(words[1:], _PREFIXES[name])
        else:
            break
    if not words:
        return
    name, args = program(words[0].value), words[1:]
    if name in _SHELLS:
        script = _shell_script(args)
        if script is not None:
            for command in split_script(script):
                yield from simple_commands(command)
        return
    if name in ("cmd", "powershell", "pwsh"):
        rest = _cmd_rest(name, args)
        if len(rest) == 1 and re.search(r"\s", rest[0].value):
            for command in split_script(rest[0]):
                yield from simple_commands(command)
        elif rest:
            yield from simple_commands(rest)
        return
    yield words


def _shell_script(args: list[Word]) -> Word | None:
    """The script of ``bash -c "…"`` / ``sh -lc "…"``; None for ``bash run.sh`` (a local file)."""
    has_c = skip_value = False
    for word in args:
        value = word.value
        if skip_value:
            skip_value = False
        elif value in ("-o", "+o", "-O", "+O"):
            skip_value = True
        elif value.startswith("-") and len(value) > 1:
            has_c = has_c or (not value.startswith("--") and "c" in value[1:])
        else:
            return word if has_c else None
    return None


def _cmd_rest(name: str, args: list[Word]) -> list[Word]:
    """What ``cmd /c …`` or ``powershell -Command …`` runs; [] for ``-File x.ps1``."""
    for index, word in enumerate(args):
        lowered = word.value.lower()
        if name == "cmd" and lowered in ("/c", "/k"):
            return args[index + 1 :]
        if name != "cmd" and lowered in ("-command", "-c"):
            return args[index + 1 :]
        if name != "cmd" and lowered in ("-file", "-f"):
            return []
    return []
