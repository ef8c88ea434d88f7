"""What a server can reach on the machine and the network: filesystem servers and the roots
they are given, command-execution servers and tools, and the hosts a URL talks to.

Servers are recognised by the package, image or binary a launch names (after unwrapping
``bash -c``/``cmd /c`` with ``agentlint.model.commandline``), from short lists of real,
published names: precision over recall. A name is compared without scope, version, tag or
extras (``@scope/name@1.2`` -> ``name``; ``ghcr.io/o/img:1`` -> ``ghcr.io/o/img``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from agentlint.model.commandline import Word, program, simple_commands, words_of
from agentlint.model.tools import Launch, Setting

# @modelcontextprotocol/server-filesystem, mark3labs/mcp-filesystem-server (Go),
# rust-mcp-stack/rust-mcp-filesystem, @cyanheads/filesystem-mcp-server, @shtse8/filesystem-mcp,
# microsoft/semanticworkbench mcp-server-filesystem, fast-filesystem-mcp, mcp-fs …
FILESYSTEM_PACKAGES = frozenset(
    {"server-filesystem", "mcp-server-filesystem", "mcp-filesystem-server", "filesystem-mcp-server",
     "rust-mcp-filesystem", "filesystem-mcp", "mcp-filesystem", "fast-filesystem-mcp", "mcp-fs", "fs-mcp",
     "fs-mcp-server", "mcp-server-fs"}
)  # fmt: skip
FILESYSTEM_IMAGES = frozenset({"mcp/filesystem", "mcp/rust-mcp-filesystem"})
# g0t4/mcp-server-commands, wonderwhy-er/DesktopCommanderMCP, tumf/mcp-shell-server (PyPI),
# @mako10k/mcp-shell-server, odysseus0/mcp-server-shell, MladenSU/cli-mcp-server,
# simonb97/server-win-cli, ferrislucas/iterm-mcp, GongRzhe terminal_controller,
# cfdude/super-shell-mcp, sonirico/mcp-shell, zhan2006/shell-mcp-server.
COMMAND_PACKAGES = frozenset(
    {"mcp-server-commands", "desktop-commander", "mcp-shell-server", "mcp-server-shell", "cli-mcp-server",
     "server-win-cli", "win-cli-mcp-server", "iterm-mcp", "terminal-controller", "super-shell-mcp", "mcp-shell",
     "shell-mcp-server"}
)  # fmt: skip
COMMAND_IMAGES = frozenset({"mcp/desktop-commander"})
# Tool names that run a shell command line (compared with '-' as '_', case-insensitively).
COMMAND_TOOLS = frozenset(
    {"execute_command", "run_command", "exec_command", "execute_shell_command", "run_shell_command",
     "shell_execute", "shell_exec", "run_shell", "execute_shell", "exec_shell", "run_terminal_command",
     "run_terminal_cmd", "execute_terminal_command", "execute_bash", "run_bash", "bash", "shell", "exec",
     "run_in_terminal", "run_process", "start_process", "execute_powershell", "run_powershell"}
)  # fmt: skip
# Servers that accept a command allow-list in the environment (tumf/mcp-shell-server, cli-mcp-server).
ALLOW_LIST_VARIABLES = frozenset({"ALLOW_COMMANDS", "ALLOWED_COMMANDS"})
BRIDGE_PACKAGES = frozenset({"mcp-remote", "supergateway", "mcp-proxy"})  # stdio <-> a remote URL

_CONTAINER_RUNTIMES = frozenset({"docker", "podman", "nerdctl"})
_PATHLIKE = re.compile(r"^(?:/|\.{1,2}[/\\]|~|[A-Za-z]:[\\/]|\$|%)")
_DIGEST = re.compile(r"@sha256:[0-9a-fA-F]*$")


@dataclass(frozen=True, slots=True)
class Started:
    """A package, image or binary a launch starts, with the words that follow it."""

    name: str  # normalised, e.g. "@modelcontextprotocol/server-filesystem", "mcp/filesystem"
    word: Word
    command: tuple[Word, ...]  # its simple command, shared by every item of that command
    index: int  # where ``word`` is in it

    @property
    def before(self) -> tuple[Word, ...]:
        """The words of its simple command before it (docker options …)."""
        return self.command[: self.index]

    @property
    def after(self) -> tuple[Word, ...]:
        """The words after it (its arguments)."""
        return self.command[self.index + 1 :]

    @property
    def base(self) -> str:
        return self.name.rsplit("/", 1)[-1].replace("_", "-")


def package_name(value: str, *, program: bool = False) -> str | None:
    """The name a word starts, without scope-independent noise; None for flags, paths, URLs."""
    text = value.strip().replace("\\", "/")
    if "node_modules/" in text:
        parts = text.rsplit("node_modules/", 1)[1].split("/")
        return ("/".join(parts[:2]) if parts[0].startswith("@") else parts[0]).lower()
    if program:
        return re.sub(r"\.(exe|cmd|bat)$", "", text.rsplit("/", 1)[-1].lower())
    if text.startswith("-"):
        flag, eq, inline = text.partition("=")
        if not eq or flag not in ("--from", "--package", "--spec", "--with"):
            return None
        text = inline
    if not text or _PATHLIKE.match(text) or "://" in text or re.match(r"[A-Za-z_][A-Za-z0-9_.-]*=(?!=)", text):
        return None
    text = _DIGEST.sub("", text)
    if text.startswith("@"):
        scope, _, rest = text[1:].partition("/")
        return f"@{scope}/{re.split(r'@', rest, maxsplit=1)[0]}".lower() if rest else None
    text = re.split(r"==|>=|<=|~=|!=|\[|@", text, maxsplit=1)[0]
    head, _, last = text.rpartition("/")
    return (f"{head}/{last.split(':', 1)[0]}" if head else last.split(":", 1)[0]).lower() or None


def started(launch: Launch) -> Iterator[Started]:
    """Every word of every simple command that names something, with its neighbours."""
    for words in simple_commands(words_of(launch)):
        command = tuple(words)  # slices are taken only of the items a caller looks into
        for index, word in enumerate(command):
            name = package_name(word.value, program=index == 0)
            if name:
                yield Started(name, word, command, index)


def _is(item: Started, packages: frozenset[str], images: frozenset[str]) -> bool:
    name = item.name.removeprefix("docker.io/").removeprefix("index.docker.io/")
    return name in images or item.base in packages


def filesystem_servers(launch: Launch) -> list[Started]:
    return [item for item in started(launch) if _is(item, FILESYSTEM_PACKAGES, FILESYSTEM_IMAGES)]


def command_server(launch: Launch) -> Started | None:
    return next((item for item in started(launch) if _is(item, COMMAND_PACKAGES, COMMAND_IMAGES)), None)


def has_command_allow_list(env: tuple[Setting, ...]) -> bool:
    """An allow-list variable set to something narrower than everything."""
    return any(
        s.name.upper() in ALLOW_LIST_VARIABLES and s.value is not None and s.value.strip().lower() not in ("", "all", "*")
        for s in env
    )


def is_command_tool(name: str) -> bool:
    return name.lower().replace("-", "_") in COMMAND_TOOLS


# -- filesystem roots ------------------------------------------------------------------------
_HOME_REFERENCES = frozenset(
    {"~", "$home", "${home}", "${env:home}", "${userhome}", "%userprofile%", "${env:userprofile}",
     "$env:userprofile", "%homedrive%%homepath%", "$userprofile"}
)  # fmt: skip


def broad_root(value: str) -> str | None:
    """What a too-broad directory grants ("the filesystem root", "the home directory" …)."""
    path = value.strip().strip("\"'").replace("\\", "/")
    if path and set(path) == {"/"}:
        return "the filesystem root"
    path = path.rstrip("/")
    lowered = path.lower()
    if lowered in _HOME_REFERENCES:
        return "the home directory"
    if re.fullmatch(r"[a-z]:|/mnt/[a-z]", lowered):
        return "a whole drive"
    if re.fullmatch(r"/(users|home)|/mnt/[a-z]/users|[a-z]:/users", lowered):
        return "every home directory"
    if re.fullmatch(r"/(users|home|var/home)/[^/]+|/root|(/mnt/[a-z]|[a-z]:)/users/[^/]+", lowered):
        return "a whole home directory"
    return None


def root_arguments(item: Started) -> Iterator[tuple[Word, str, str]]:
    """(word, value, "argument" | "bind mount") of each directory a filesystem server is given:
    its arguments or, for a container, the host side of its bind mounts."""
    if any(program(word.value) in _CONTAINER_RUNTIMES for word in item.before):  # wsl docker run … too
        words = item.before
        for index, word in enumerate(words):
            flag, eq, inline = word.value.partition("=")
            value = inline if eq and flag in ("--volume", "--mount", "-v") else None
            if value is None and word.value in ("-v", "--volume", "--mount") and index + 1 < len(words):
                value = words[index + 1].value
                word = words[index + 1]
            if value is not None:
                source = _mount_source(value)
                if source is not None:
                    yield word, source, "bind mount"
        return
    for word in item.after:
        flag, eq, inline = word.value.partition("=")
        if word.value.startswith("-"):
            if eq:
                yield word, inline, "argument"
        else:
            yield word, word.value, "argument"


def _mount_source(value: str) -> str | None:
    if "=" in value.split(",", 1)[0]:  # --mount type=bind,src=/x,dst=/y
        fields = dict(part.partition("=")[::2] for part in value.split(","))
        return fields.get("source") or fields.get("src")
    match = re.match(r"^([A-Za-z]:[\\/][^:]*|[^:]+):", value)
    return match.group(1) if match else None


def env_roots(env: tuple[Setting, ...]) -> Iterator[tuple[Setting, str]]:
    """Directory lists passed in the environment (``ALLOWED_DIRECTORIES``, ``MCP_FS_ROOTS``)."""
    for setting in env:
        words = set(re.split(r"[^A-Z]+", setting.name.upper()))
        if setting.value and words & {"ROOT", "ROOTS", "DIR", "DIRS", "DIRECTORY", "DIRECTORIES"}:
            for part in re.split(r"[,;]", setting.value):
                yield from ((setting, p) for p in (part.split(":") if re.fullmatch(r"/[^:]*(:/[^:]*)+", part) else [part]))


# -- endpoints -------------------------------------------------------------------------------
_LOCAL_NAMES = ("localhost", "host.docker.internal", "gateway.docker.internal", "host.containers.internal")


def insecure_host(url: str) -> str | None:
    """The host a plain ``http://`` / ``ws://`` URL reaches when it is not this machine.

    Local: ``localhost`` (and ``*.localhost``), 127.0.0.0/8, ``::1``, ``0.0.0.0`` and Docker's
    ``host.docker.internal``, which resolves to the host from a container: the traffic stays
    on a virtual bridge inside the machine. A templated host (``${…}``) is unknown: not reported.
    """
    text = url.strip()
    scheme = text.split(":", 1)[0].lower()
    if scheme not in ("http", "ws") or not text[len(scheme) :].startswith("://"):
        return None
    netloc = text[len(scheme) + 3 :].split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    if not netloc or re.search(r"[${}%<>]", netloc):
        return None
    try:
        host = urlsplit(f"{scheme}://{netloc}").hostname or ""
    except ValueError:
        return None
    if not host or host in _LOCAL_NAMES or host.endswith(".localhost"):
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    return None if address.is_loopback or address.is_unspecified else host


def bridged_urls(launch: Launch) -> Iterator[Word]:
    """URLs a stdio bridge (``npx mcp-remote <url>``) connects to."""
    for item in started(launch):
        if item.base in BRIDGE_PACKAGES:
            yield from (w for w in item.after if re.match(r"(?i)(https?|wss?)://", w.value))
