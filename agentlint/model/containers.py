"""Host privileges a container is given: ``docker run`` options and declared volume mounts.

Reads the options ``agentlint.model.launch.container_run`` parsed; a Docker catalog's
``run.volumes`` strings go through ``mount_risk`` directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentlint.model.commandline import Word
from agentlint.model.launch import ContainerRun
from agentlint.model.pins import has_placeholder
from agentlint.model.tools import Text


@dataclass(frozen=True, slots=True)
class Privilege:
    kind: str  # privileged, host-network, host-pid, capability, host-root-mount, docker-socket-mount
    option: str  # as written, for messages: "--network host", "-v /:/host"
    word: Word  # the word holding the option
    why: str  # what the container can do with it

    @property
    def fix(self) -> str:
        return _FIX[self.kind]


_SOCKET = re.compile(r"(?:^|[/\\])(?:docker|podman)\.sock\Z|^\\\\\.\\pipe\\docker_engine\Z", re.I)
_WHY = {
    "privileged": "the container gets every capability and every host device, so it can take over the host",
    "host-network": "the container shares the host's network stack (services bound to localhost, the cloud metadata endpoint)",
    "host-pid": "the container sees every host process and can signal or trace them",
    "capability": "the capability is close to root on the host",
    "host-root-mount": "the whole host filesystem is mounted into the container",
    "docker-socket-mount": "the engine's socket lets the container start privileged containers, which is root on the host",
}
_FIX = {
    "privileged": "drop it and add only the capabilities the server needs",
    "host-network": "drop it and publish only the ports the server needs (-p)",
    "host-pid": "drop it",
    "capability": "add only the specific capability the server needs",
    "host-root-mount": "mount only the directories the server needs, read-only where it can",
    "docker-socket-mount": "drop it, or put a socket proxy in front that allows only the calls the server needs",
}


def mount_risk(source: str) -> str | None:
    """``host-root-mount`` for ``/``, ``docker-socket-mount`` for the engine socket, else None."""
    if has_placeholder(source):
        return None
    if re.fullmatch(r"/+\.?/*", source) or re.fullmatch(r"[A-Za-z]:[/\\]?", source):
        return "host-root-mount"
    return "docker-socket-mount" if _SOCKET.search(source.rstrip("/")) else None


def volume_source(spec: str) -> str:
    """The host side of ``-v src:dst[:opts]`` (a Windows pipe or drive path kept whole)."""
    if spec.startswith("\\\\"):
        return spec.split(":", 1)[0]
    drive = re.match(r"[A-Za-z]:[/\\][^:]*|[A-Za-z]:(?=:)", spec)
    if drive:
        return drive.group(0)
    return spec.split(":", 1)[0]


def mount_source(spec: str) -> str | None:
    """The ``source``/``src`` of ``--mount type=bind,source=/,target=/host`` (None: a volume)."""
    fields = dict(part.partition("=")[::2] for part in spec.split(","))
    source = fields.get("source") or fields.get("src")
    if source is None or (fields.get("type", "volume") != "bind" and not source.startswith(("/", "\\"))):
        return None
    return source


def privileges(run: ContainerRun) -> list[Privilege]:
    """One entry per option that hands the container host-level power."""
    found: list[Privilege] = []
    for option in run.options:
        name, value = option.name, (option.value or "")
        written = f"{name} {value}".strip() if option.value_word is not option.word else option.word.value
        kind = None
        if name == "--privileged" and value.lower() in ("", "true", "1"):
            kind = "privileged"
        elif name in ("--network", "--net") and value.lower() == "host":
            kind = "host-network"
        elif name == "--pid" and value.lower() == "host":
            kind = "host-pid"
        elif name == "--cap-add" and {c.strip().upper().removeprefix("CAP_") for c in value.split(",")} & {"ALL", "SYS_ADMIN"}:
            kind = "capability"
        elif name in ("-v", "--volume") and value:
            kind = mount_risk(volume_source(value))
        elif name == "--mount" and value:
            source = mount_source(value)
            kind = mount_risk(source) if source is not None else None
        if kind is not None:
            found.append(Privilege(kind, written, option.word, _WHY[kind]))
    return found


def volume_privilege(volume: Text) -> Privilege | None:
    """A declared volume (Docker catalog ``run.volumes``) that mounts ``/`` or the socket."""
    kind = mount_risk(volume_source(volume.value))
    return None if kind is None else Privilege(kind, volume.value, Word(volume.value, volume), _WHY[kind])
