"""How firmly a package reference is pinned: npm / PyPI specs, container images, git sources,
and the ``PackageRef`` entities manifests declare.

Pure string analysis shared by ``agentlint.model.launch`` (commands such as ``npx -y pkg``) and
the pinning rules. Nothing here resolves a version: it only reads what was written.
"""

from __future__ import annotations

import enum
import re

from agentlint.model.tools import PackageRef


class Pin(enum.Enum):
    EXACT = "exact"  # one version: pkg@1.2.3, pkg==1.2.3
    FLOATING = "floating"  # no version at all (or a git branch/tag, not a commit)
    LATEST = "latest"  # @latest / :latest, explicitly floating
    RANGE = "range"  # ^1.2, ~1, >=1, 1.x, 1 (major only), dist-tags like next/beta
    MUTABLE_TAG = "mutable-tag"  # a container tag other than latest, without a digest
    DIGEST = "digest"  # content-addressed: @sha256:…, a git commit, an mcpb fileSha256
    VARIABLE = "variable"  # a placeholder (${VERSION}, {{x}}): decided elsewhere, not judged

    @property
    def floats(self) -> bool:
        """The reference can resolve to different code tomorrow without an edit here."""
        return self in (Pin.FLOATING, Pin.LATEST, Pin.RANGE)


_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{[^}]*\}\}|%[A-Za-z_][A-Za-z0-9_]*%")
_SEMVER = re.compile(r"[v=]?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?\Z")
_COMMIT = re.compile(r"[0-9a-fA-F]{40}\Z")
_RANGE_CHARS = re.compile(r"[\^~<>=*|,\[\]() ]|(?:^|\.)[xX](?:\.|$)")
_PEP508 = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?P<rest>.*)\Z", re.S)
_LOCAL = re.compile(r"(?:\.{1,2}|~)(?:[/\\]|\Z)|[/\\]|[A-Za-z]:[/\\]|file:|link:|\$\{workspaceFolder\}")

# Docker Hub "official images": the only images without a namespace that a registry serves.
# Any other bare name (``kali-mcp-server``) can only be an image built locally.
OFFICIAL_IMAGES = frozenset(
    "alpine busybox debian ubuntu fedora centos amazonlinux oraclelinux rockylinux almalinux archlinux "
    "node python pypy golang rust openjdk eclipse-temurin ibmjava amazoncorretto ruby php perl r-base "
    "julia swift haskell erlang elixir clojure gradle maven groovy gcc dart postgres mysql mariadb mongo "
    "redis memcached cassandra couchdb couchbase neo4j influxdb elasticsearch opensearch solr rabbitmq "
    "nats zookeeper eclipse-mosquitto nginx httpd caddy traefik haproxy varnish tomcat jetty kong "
    "docker registry bash hello-world composer wordpress ghost drupal nextcloud sonarqube adminer "
    "mongo-express clickhouse percona vault consul telegraf chronograf kapacitor logstash kibana".split()
)


def has_placeholder(value: str) -> bool:
    return _PLACEHOLDER.search(value) is not None


def is_local_path(value: str) -> bool:
    """``./x``, ``../x``, ``/abs``, ``C:\\x``, ``~/x``, ``file:…``, ``${workspaceFolder}/…``."""
    return value in (".", "..") or _LOCAL.match(value) is not None


def is_commit(value: str | None) -> bool:
    return value is not None and _COMMIT.match(value) is not None


def npm_version_pin(version: str | None) -> Pin:
    """What npm makes of ``pkg@<version>``: only a full semver is one version."""
    if not version:
        return Pin.FLOATING
    if has_placeholder(version):
        return Pin.VARIABLE
    if version.lower() == "latest":
        return Pin.LATEST
    return Pin.EXACT if _SEMVER.match(version.strip()) else Pin.RANGE  # ranges, 1, 1.2, dist-tags


def plain_version_pin(version: str | None) -> Pin:
    """A version as a manifest writes it for PyPI, NuGet, cargo: operators make it a range."""
    if not version or not version.strip():
        return Pin.FLOATING
    if has_placeholder(version):
        return Pin.VARIABLE
    if version.strip().lower() == "latest":
        return Pin.LATEST
    return Pin.RANGE if _RANGE_CHARS.search(version.strip()) else Pin.EXACT


def split_npm(spec: str) -> tuple[str, str | None]:
    """``@scope/pkg@1.2`` -> (``@scope/pkg``, ``1.2``); ``pkg`` -> (``pkg``, None)."""
    at = spec.find("@", 1)
    return (spec, None) if at < 0 else (spec[:at], spec[at + 1 :])


def npm_git(spec: str) -> tuple[str, str | None] | None:
    """A git spec npm understands (``github:o/r#ref``, ``git+https://…#ref``, ``o/r``): (url, ref)."""
    if has_placeholder(spec):
        return None
    url, _, ref = spec.partition("#")
    scheme = re.match(r"(github|gitlab|bitbucket|gist|git\+[a-z]+|git):", url)
    shorthand = re.fullmatch(r"[A-Za-z0-9][\w.-]*/[\w.-]+", url) and not re.search(r"\.[cm]?[jt]sx?$", url)
    if scheme or shorthand:
        return url, ref or None
    return None


def pip_git(spec: str) -> tuple[str, str | None] | None:
    """``git+https://host/o/r@ref#egg=x`` (also after ``name @``): (url, ref)."""
    match = re.search(r"git\+[a-z]+://\S+", spec)
    if match is None:
        return None
    url = match.group(0).split("#", 1)[0]
    scheme, _, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    if "@" in path:
        path, _, ref = path.rpartition("@")
        return f"{scheme}://{host}{slash}{path}", ref
    return url, None


def git_pin(ref: str | None) -> Pin:
    if ref is not None and has_placeholder(ref):
        return Pin.VARIABLE
    return Pin.DIGEST if is_commit(ref) else Pin.FLOATING


def split_pypi(spec: str) -> tuple[str, str | None, Pin] | None:
    """A requirement as uvx / pipx / pip read it: (name, version part, pin); None for paths
    and URLs. ``pkg@1.2`` (uv's form) and ``pkg==1.2`` are exact; ``pkg@latest`` is latest."""
    if has_placeholder(spec) or is_local_path(spec) or "://" in spec.split("@", 1)[0]:
        return None
    match = _PEP508.match(spec.split(";", 1)[0].strip())
    if match is None:
        return None
    name, rest = match.group("name"), match.group("rest").strip()
    if name.endswith((".whl", ".tar.gz", ".zip", ".py")):
        return None
    if not rest:
        return name, None, Pin.FLOATING
    if rest.startswith("@"):
        version = rest[1:].strip()
        if "://" in version:
            return None  # a direct URL: git ones are read by pip_git
        return name, version, Pin.LATEST if version.lower() == "latest" else Pin.EXACT
    if re.fullmatch(r"===?\s*[^,*\s]+", rest):
        return name, rest.lstrip("= "), Pin.EXACT
    return name, rest, Pin.RANGE


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """``reg:5000/o/i:tag@sha256:x`` -> (``reg:5000/o/i``, ``tag``, ``sha256:x``)."""
    name, _, digest = image.partition("@")
    colon = name.rfind(":")
    if colon > name.rfind("/"):
        return name[:colon], name[colon + 1 :], digest or None
    return name, None, digest or None


def image_pin(tag: str | None, digest: str | None) -> Pin:
    if digest:
        return Pin.VARIABLE if has_placeholder(digest) else Pin.DIGEST
    if tag is None:
        return Pin.FLOATING
    if has_placeholder(tag):
        return Pin.VARIABLE
    return Pin.LATEST if tag == "latest" else Pin.MUTABLE_TAG


def is_local_image(name: str) -> bool:
    """A bare name that is not an official image: only a local ``docker build -t`` makes it."""
    return "/" not in name and name.lower() not in OFFICIAL_IMAGES


def package_pin(package: PackageRef) -> tuple[Pin, str | None]:
    """How a manifest's package is pinned, and the version (tag, ref) it names; VARIABLE for
    ecosystems this does not judge."""
    version = package.version.strip() if package.version else None
    eco = package.ecosystem.lower()
    if eco == "npm":
        return npm_version_pin(version), version
    if eco in ("pypi", "nuget", "cargo"):
        return plain_version_pin(version), version
    if eco == "oci":
        _, tag, digest = split_image(package.identifier)
        digest = digest or package.digest
        tag = tag or version
        return image_pin(tag, digest), digest or tag
    if eco == "mcpb":
        return (Pin.DIGEST, package.digest) if package.digest else (Pin.FLOATING, version)
    if eco == "git":
        if package.digest:
            return git_pin(package.digest), package.digest
        return Pin.FLOATING, version
    return Pin.VARIABLE, version


def pinned_form(ecosystem: str, name: str) -> str:
    """How the reference looks when pinned, for messages."""
    if ecosystem == "npm":
        return f"{name}@<version>"
    if ecosystem == "oci":
        return f"{name}@sha256:<digest>"
    if ecosystem == "git":
        return f"{name}@<commit sha>"
    if ecosystem == "mcpb":
        return "fileSha256"
    return f"{name}==<version>"


def remedy(ecosystem: str) -> str:
    """What pinning means in the ecosystem, for messages: 'pin an exact version' …"""
    return {"git": "pin a commit", "oci": "pin a digest", "mcpb": "add the bundle's SHA-256"}.get(
        ecosystem, "pin an exact version"
    )


def describe(pin: Pin, version: str | None, ecosystem: str) -> str:
    """What is wrong with the reference, for messages: 'without a version' …"""
    if pin is Pin.FLOATING:
        if ecosystem == "git":
            return f"at the movable git ref '{version}'" if version else "at a branch head, not a commit"
        if ecosystem == "oci":
            return "without a tag or digest"
        if ecosystem == "mcpb":
            return "without a fileSha256"
        return "without a version"
    if pin is Pin.LATEST:
        return "at 'latest', which moves with every release"
    if pin is Pin.RANGE:
        if version and re.fullmatch(r"[A-Za-z][\w.-]*", version):
            return f"at the dist-tag '{version}', which moves"
        return f"at the version range '{version}'"
    if pin is Pin.MUTABLE_TAG:
        return f"by the tag '{version}', which can be re-pushed"
    return f"at '{version}'"
