"""What a server's ``Launch`` runs: the packages it fetches and the containers it starts.

A launch is read as a command line, never executed (``agentlint.model.commandline`` unwraps
``bash -c "…"``, ``cmd.exe /c``, ``env``, ``VAR=x`` … into simple commands). Each simple command
is matched against the runners that fetch code: npx, npm exec, pnpm dlx, yarn dlx, bunx, uvx,
uv tool run, pipx run, pip / npm install, git clone, docker / podman run. Anything else runs
local code and yields nothing: ``node build/index.js``, ``python -m mod``, ``uv run x``,
``uv --directory d run x``, ``mcp run server.py``, ``./server``, ``npx tsx src/index.ts``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass

from agentlint.model import pins
from agentlint.model.commandline import Option, Word, parse_options, program, simple_commands, words_of
from agentlint.model.pins import Pin
from agentlint.model.tools import Launch, Text


class Runner(enum.Enum):
    NPX = "npx"
    NPM_EXEC = "npm exec"
    NPM_INSTALL = "npm install"
    PNPM_DLX = "pnpm dlx"
    YARN_DLX = "yarn dlx"
    BUNX = "bunx"
    UVX = "uvx"
    UV_TOOL_RUN = "uv tool run"
    PIPX_RUN = "pipx run"
    PIP_INSTALL = "pip install"
    DOCKER = "docker run"
    PODMAN = "podman run"
    GIT = "git clone"

    @property
    def verb(self) -> str:
        if self in (Runner.NPM_INSTALL, Runner.PIP_INSTALL):
            return "installs"
        if self in (Runner.DOCKER, Runner.PODMAN):
            return "starts"
        return "clones" if self is Runner.GIT else "runs"


_NPM_FAMILY = (Runner.NPX, Runner.NPM_EXEC, Runner.NPM_INSTALL, Runner.PNPM_DLX, Runner.YARN_DLX, Runner.BUNX)


@dataclass(frozen=True, slots=True)
class Invocation:
    """One package, image or repository a launch fetches and runs."""

    runner: Runner
    ecosystem: str  # npm, pypi, oci, git
    package: str  # without version: "@scope/pkg", "mcp-server-time", "ghcr.io/o/i", "git+https://…/r"
    spec: str  # as written: "@scope/pkg@^1", "pkg==1.0", "ghcr.io/o/i:1.2"
    version: str | None  # the version, range, tag, digest or git ref written; None when absent
    pin: Pin
    text: Text  # the argument it came from (for scripts: the whole script argument)
    in_script: bool = False

    @property
    def pinned_form(self) -> str:
        """How the reference looks pinned, for messages."""
        if self.ecosystem == "git" and self.runner in _NPM_FAMILY:
            return f"{self.package}#<commit sha>"
        if self.ecosystem == "git" and self.runner is Runner.GIT:
            return f"git clone {self.package} && git checkout <commit sha>"
        if self.ecosystem == "pypi" and self.runner in (Runner.UVX, Runner.UV_TOOL_RUN) and "@" in self.spec:
            return f"{self.package}@<version>"
        return pins.pinned_form(self.ecosystem, self.package)

    def describe(self) -> str:
        return pins.describe(self.pin, self.version, self.ecosystem)


@dataclass(frozen=True, slots=True)
class ContainerRun:
    """``docker run`` / ``podman run``: its options as parsed and the image word, if any."""

    runtime: str  # docker, podman, nerdctl
    options: tuple[Option, ...]
    image: Word | None


def invocations(launch: Launch) -> list[Invocation]:
    """Every package, image or repository the launch fetches, in command order."""
    commands = list(simple_commands(words_of(launch)))
    found: list[Invocation] = []
    for index, command in enumerate(commands):
        found.extend(_analyse(command, commands[index + 1 :]))
    return found


def container_runs(launch: Launch) -> list[ContainerRun]:
    """Every ``docker run`` / ``podman run`` in the launch (also inside scripts)."""
    runs = (container_run(command) for command in simple_commands(words_of(launch)))
    return [run for run in runs if run is not None]


def _flags(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NPX = _flags("-p --package -c --call --registry --cache --userconfig --loglevel -w --workspace --shell --script-shell --node-options --prefix")
_PNPM = _flags("--package --allow-build --reporter -C --dir")
_YARN_BUNX = _flags("-p --package")
_NPM_GLOBAL = _flags("--prefix --registry --cache --userconfig --loglevel -w --workspace -C")
_UV = _flags(
    "--from --with -w --with-editable --with-requirements -p --python --index --default-index -i --index-url "
    "--extra-index-url -f --find-links --index-strategy --keyring-provider --resolution --prerelease "
    "--fork-strategy --exclude-newer --exclude-newer-package --no-binary-package --no-build-package "
    "--refresh-package --reinstall-package -P --upgrade-package -C --config-setting --config-settings-package "
    "--link-mode --directory --project --config-file --cache-dir --color --env-file -c --constraints "
    "--constraint --overrides --override --build-constraints --build-constraint --python-platform "
    "--torch-backend --allow-insecure-host --trusted-host --no-sources-package --python-preference"
)
_PIPX = _flags("--spec --python --pip-args -i --index-url --backend")
_PIP = _flags(
    "-r --requirement -c --constraint -e --editable -t --target --prefix --root -i --index-url --extra-index-url "
    "-f --find-links --trusted-host --platform --python-version --implementation --abi --only-binary "
    "--no-binary --src --upgrade-strategy --progress-bar --log --cache-dir --proxy --retries --timeout "
    "--exists-action --cert --client-cert -C --config-settings --python --report --root-user-action --group"
)
_PYTHON = _flags("-m -c -W -X")
_GIT = _flags("-C -c --git-dir --work-tree --namespace")
_GIT_CLONE = _flags(
    "-b --branch --depth -o --origin --reference --reference-if-able -c --config --filter -j --jobs "
    "--separate-git-dir --template -u --upload-pack --shallow-since --shallow-exclude --server-option "
    "--bundle-uri --revision"
)
_CONTAINER_GLOBAL = _flags(
    "-H --host -c --context --config -l --log-level --tlscacert --tlscert --tlskey --connection --url "
    "--identity --root --runroot --storage-driver --cgroup-manager --events-backend --runtime --tmpdir "
    "--module --namespace -n --address -a"
)
CONTAINER_RUN = _flags(
    "-a --attach --add-host --annotation --blkio-weight --blkio-weight-device --cap-add --cap-drop "
    "--cgroup-parent --cgroupns --cidfile --cpu-period --cpu-quota --cpu-rt-period --cpu-rt-runtime -c "
    "--cpu-shares --cpus --cpuset-cpus --cpuset-mems --device --device-cgroup-rule --device-read-bps "
    "--device-read-iops --device-write-bps --device-write-iops --dns --dns-opt --dns-option --dns-search "
    "--domainname --entrypoint -e --env --env-file --expose --gpus --group-add --health-cmd "
    "--health-interval --health-retries --health-start-interval --health-start-period --health-timeout "
    "-h --hostname --ip --ip6 --ipc --isolation --kernel-memory -l --label --label-file --link "
    "--link-local-ip --log-driver --log-opt --mac-address -m --memory --memory-reservation --memory-swap "
    "--memory-swappiness --mount --name --network --net --network-alias --net-alias --oom-score-adj --pid "
    "--pids-limit --platform -p --publish --pull --restart --runtime --security-opt --shm-size "
    "--stop-signal --stop-timeout --storage-opt --sysctl --tmpfs --ulimit -u --user --userns --uts -v "
    "--volume --volume-driver --volumes-from -w --workdir --detach-keys --secret --pod --uidmap --gidmap "
    "--subuidname --subgidname --arch --os --variant --conmon-pidfile --pidfile --requires --sdnotify "
    "--seccomp-policy --timeout --tz --umask --init-path --passwd-entry --group-entry --chrootdirs "
    "--cgroup-conf --cgroups --decryption-key --personality --preserve-fds --rdt-class --retry "
    "--retry-delay --unsetenv --image-volume --hostuser --env-merge --label-file --log-level --snapshotter"
)
# Runners of a project's own code: ``npx tsx src/index.ts`` runs the project's tsx, not a fetch.
_LOCAL_RUNNERS = frozenset("tsx ts-node ts-node-esm node nodemon tsc esno esrun vite-node jiti babel-node sucrase-node".split())
_SCRIPT_FILE = re.compile(r"\.[cm]?[jt]sx?\Z")


def _analyse(words: list[Word], later: list[list[Word]]) -> Iterator[Invocation]:
    name, args = program(words[0].value), words[1:]
    if name == "npx":
        yield from _npm_exec(Runner.NPX, args, _NPX, ("-c", "--call"))
    elif name in ("bunx", "pnpx"):
        runner = Runner.BUNX if name == "bunx" else Runner.PNPM_DLX
        takes, call = (_YARN_BUNX, ()) if name == "bunx" else (_PNPM, ("-c", "--shell-mode"))
        yield from _npm_exec(runner, args, takes, call)
    elif name in ("npm", "pnpm", "yarn", "bun"):
        _, rest = parse_options(args, _NPM_GLOBAL)
        sub, rest = (rest[0].value, rest[1:]) if rest else ("", [])
        if name == "npm" and sub in ("exec", "x"):
            yield from _npm_exec(Runner.NPM_EXEC, rest, _NPX, ("-c", "--call"))
        elif name == "npm" and sub in ("install", "i", "in", "add", "isntall"):
            _, packages = parse_options(rest, _NPM_GLOBAL, interleaved=True)
            for word in packages:
                yield from _npm_spec(Runner.NPM_INSTALL, word.value, word)
        elif name == "pnpm" and sub == "dlx":
            yield from _npm_exec(Runner.PNPM_DLX, rest, _PNPM, ("-c", "--shell-mode"))
        elif (name, sub) in (("yarn", "dlx"), ("bun", "x")):
            yield from _npm_exec(Runner.YARN_DLX if name == "yarn" else Runner.BUNX, rest, _YARN_BUNX, ())
    elif name == "uvx":
        yield from _uv_tool_run(Runner.UVX, args)
    elif name == "uv":
        _, rest = parse_options(args, _UV)
        subs = [w.value for w in rest[:2]]
        if subs == ["tool", "run"]:
            yield from _uv_tool_run(Runner.UV_TOOL_RUN, rest[2:])
        elif subs == ["pip", "install"]:
            yield from _pip_install(rest[2:])
    elif name == "pipx":
        _, rest = parse_options(args, _PIPX)
        if rest and rest[0].value == "run":
            options, rest = parse_options(rest[1:], _PIPX)
            spec = next((o for o in options if o.name == "--spec" and o.value and o.value_word), None)
            if spec is not None and spec.value and spec.value_word is not None:
                yield from _pypi_spec(Runner.PIPX_RUN, spec.value, spec.value_word)
            elif rest:
                yield from _pypi_spec(Runner.PIPX_RUN, rest[0].value, rest[0])
    elif re.fullmatch(r"pip[0-9.]*", name) and args and args[0].value == "install":
        yield from _pip_install(args[1:])
    elif re.fullmatch(r"python[0-9.]*|py", name):
        options, rest = parse_options(args, _PYTHON)
        if any(o.name == "-m" and o.value == "pip" for o in options) and rest and rest[0].value == "install":
            yield from _pip_install(rest[1:])
    elif name == "git":
        yield from _git_clone(args, later)
    else:
        run = container_run(words)
        if run is not None and run.image is not None:
            yield from _image(run)


def _npm_exec(runner: Runner, args: list[Word], takes: frozenset[str], call: tuple[str, ...]) -> Iterator[Invocation]:
    options, rest = parse_options(args, takes)
    packages = False
    for option in options:
        if option.name in ("-p", "--package") and option.value and option.value_word is not None:
            packages = True
            yield from _npm_spec(runner, option.value, option.value_word)
    if packages or not rest or any(o.name in call for o in options):
        return  # with -p the first positional is a command name; -c runs a command string
    spec = rest[0]
    name, version = pins.split_npm(spec.value)
    if name in _LOCAL_RUNNERS and version is None and any(
        pins.is_local_path(w.value) or _SCRIPT_FILE.search(w.value) for w in rest[1:]
    ):
        return
    yield from _npm_spec(runner, spec.value, spec)


def _npm_spec(runner: Runner, spec: str, word: Word) -> Iterator[Invocation]:
    if pins.has_placeholder(spec):
        yield Invocation(runner, "npm", spec, spec, None, Pin.VARIABLE, word.text, word.script)
        return
    if pins.is_local_path(spec) or spec.startswith(("http://", "https://", "npm:")) or spec.endswith(".tgz"):
        return
    git = pins.npm_git(spec)
    if git is not None:
        url, ref = git
        yield Invocation(runner, "git", url, spec, ref, pins.git_pin(ref), word.text, word.script)
        return
    name, version = pins.split_npm(spec)
    yield Invocation(runner, "npm", name, spec, version, pins.npm_version_pin(version), word.text, word.script)


def _uv_tool_run(runner: Runner, args: list[Word]) -> Iterator[Invocation]:
    options, rest = parse_options(args, _UV)
    source = next((o for o in options if o.name == "--from" and o.value and o.value_word), None)
    if source is not None and source.value and source.value_word is not None:
        yield from _pypi_spec(runner, source.value, source.value_word)
    elif rest:
        yield from _pypi_spec(runner, rest[0].value, rest[0])
    for option in options:
        if option.name in ("--with", "-w") and option.value and option.value_word:
            for part in option.value.split(","):
                yield from _pypi_spec(runner, part.strip(), option.value_word)


def _pip_install(args: list[Word]) -> Iterator[Invocation]:
    _, packages = parse_options(args, _PIP, interleaved=True)
    for word in packages:
        yield from _pypi_spec(Runner.PIP_INSTALL, word.value, word)


def _pypi_spec(runner: Runner, spec: str, word: Word) -> Iterator[Invocation]:
    if pins.has_placeholder(spec):
        yield Invocation(runner, "pypi", spec, spec, None, Pin.VARIABLE, word.text, word.script)
        return
    git = pins.pip_git(spec)
    if git is not None:
        url, ref = git
        yield Invocation(runner, "git", url, spec, ref, pins.git_pin(ref), word.text, word.script)
        return
    parsed = pins.split_pypi(spec)
    if parsed is not None:
        name, version, pin = parsed
        yield Invocation(runner, "pypi", name, spec, version, pin, word.text, word.script)


def _git_clone(args: list[Word], later: list[list[Word]]) -> Iterator[Invocation]:
    _, rest = parse_options(args, _GIT)
    if not rest or rest[0].value != "clone":
        return
    options, rest = parse_options(rest[1:], _GIT_CLONE, interleaved=True)
    if not rest or pins.is_local_path(rest[0].value):
        return
    url = rest[0]
    ref = next((o.value for o in options if o.name in ("--revision", "-b", "--branch") and o.value), None)
    for command in later:  # git clone … && cd r && git checkout <sha>
        if program(command[0].value) == "git" and any(w.value in ("checkout", "reset", "switch") for w in command):
            ref = next((w.value for w in command if pins.is_commit(w.value)), ref)
    pin = Pin.VARIABLE if pins.has_placeholder(url.value) else pins.git_pin(ref)
    yield Invocation(Runner.GIT, "git", url.value, url.value, ref, pin, url.text, url.script)


def container_run(words: list[Word]) -> ContainerRun | None:
    """``docker [global options] [container] run [options] image [command]``, else None."""
    runtime = program(words[0].value)
    if runtime not in ("docker", "podman", "nerdctl"):
        return None
    _, rest = parse_options(words[1:], _CONTAINER_GLOBAL)
    if rest and rest[0].value == "container":
        rest = rest[1:]
    if not rest or rest[0].value != "run":
        return None  # docker mcp gateway run, docker compose run, docker exec …
    options, rest = parse_options(rest[1:], CONTAINER_RUN)
    return ContainerRun(runtime, tuple(options), rest[0] if rest else None)


def _image(run: ContainerRun) -> Iterator[Invocation]:
    word = run.image
    assert word is not None
    runner = Runner.PODMAN if run.runtime == "podman" else Runner.DOCKER
    if pins.has_placeholder(word.value):
        yield Invocation(runner, "oci", word.value, word.value, None, Pin.VARIABLE, word.text, word.script)
        return
    name, tag, digest = pins.split_image(word.value)
    if digest is None and pins.is_local_image(name):
        return  # built here with ``docker build -t name``: nothing to pin
    pin = pins.image_pin(tag, digest)
    yield Invocation(runner, "oci", name, word.value, digest or tag, pin, word.text, word.script)
