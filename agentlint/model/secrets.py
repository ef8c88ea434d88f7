"""Literal credentials in configuration values: names that hold secrets, values that are
placeholders, known token formats, ``Authorization`` schemes, URLs with credentials and
command-line arguments that carry them.

Everything here answers "what kind of credential is this?" with a short noun ("GitHub token",
"password") or None, and never returns or formats the secret itself: messages must not leak
it. Precision first: a value is a secret when its format is unmistakable (a known prefix, a
``Basic``/``Bearer`` credential, a URL password) or when a secret-looking name holds a value
that is neither a placeholder, a reference, a path, a URL, a number nor a flag word.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import shlex
from collections import Counter
from collections.abc import Iterator, Sequence
from urllib.parse import parse_qsl, urlsplit

from agentlint.model.source import NodeRef, Span
from agentlint.model.tools import ToolServer

# -- known token formats ------------------------------------------------------------------
# (kind, pattern). The body of each must contain a digit (checked apart) so that package or
# model names that happen to share a prefix ("sk-learn-…") are not tokens.
_B = r"(?<![A-Za-z0-9_-])"  # a token starts at a word boundary, not inside "task-…"
_TOKENS = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("private key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"),
        ("Anthropic API key", _B + r"sk-ant-[A-Za-z0-9_-]{20,}"),
        ("OpenAI API key", _B + r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
        ("GitHub token", _B + r"(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"),
        ("GitLab token", _B + r"glpat-[A-Za-z0-9_-]{20,}"),
        ("Slack token", _B + r"xox[abposr]-[A-Za-z0-9-]{10,}"),
        ("AWS access key ID", _B + r"(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])"),
        ("Google API key", _B + r"AIza[0-9A-Za-z_-]{35}"),
        ("Stripe key", _B + r"(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}"),
        ("Hugging Face token", _B + r"hf_[A-Za-z0-9]{30,}"),
        ("Brave Search API key", _B + r"BSA[A-Za-z0-9_-]{24,}"),
        ("npm token", _B + r"npm_[A-Za-z0-9]{36}"),
        ("JWT", _B + r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    )
)
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_AUTH = re.compile(r"(?:^|[\s:\"'])(Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=:-]{8,})", re.IGNORECASE)

# -- names -----------------------------------------------------------------------------------
_SECRET_WORDS = frozenset(
    "KEY KEYS APIKEY TOKEN SECRET SECRETS PASSWORD PASSWORDS PASSWD PASS PWD PASSPHRASE "
    "CREDENTIAL CREDENTIALS CREDS AUTHORIZATION PAT".split()
)
_SECRET_SUFFIXES = ("TOKEN", "SECRET", "PASSWORD", "PASSWD", "APIKEY", "ACCESSKEY", "SECRETKEY", "PRIVATEKEY")
_PASSWORD_WORDS = frozenset({"PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PWD", "PASSPHRASE"})
# KEY after these is an identifier, not a credential (PARTITION_KEY, PUBLIC_KEY …).
_NOT_SECRET_KEY = frozenset(
    "SORT PARTITION CACHE PRIMARY FOREIGN HOT PUBLIC PUB PUBLISHABLE IDEMPOTENCY ROUTING OBJECT "
    "LOOKUP GROUP MAP SHORTCUT DEDUP DEDUPE RANGE HASH".split()
)
_TRAILING = frozenset({"VALUE", "STRING", "B64", "BASE64", "RAW"})
_QUERY_SECRETS = frozenset({"key", "sig", "signature", "code", "auth"})

# -- placeholders ----------------------------------------------------------------------------
_REFERENCE = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|\{\{.*?\}\}|\$env:", re.S)
_WRAPPED = re.compile(r"^\s*(?:<[^>]*>|\{[^{}]*\}|\[[^\]]*\])\s*$")
_ENV_NAME = re.compile(r"^[A-Z]+(?:_[A-Z0-9]+)*$")  # YOUR_API_KEY, GITHUB_TOKEN, REDACTED (not AKIA…7Q)
_MARKERS = re.compile(
    r"your|xxx|\*\*\*|\.\.\.|…|placeholder|example|changeme|change[-_ ]me|replace|insert|dummy|fake|"
    r"sample|todo|tbd|fixme|123456789|abcdefghij|^my[-_ ]|(?:^|[^a-z])here(?:$|[^a-z])",
    re.IGNORECASE,
)
_DUMMY = frozenset(
    "password pass passwd secret token key apikey api_key api-key changeme test testing demo default "
    "none null nil empty required optional string true false yes no on off unset redacted hidden "
    "masked sensitive".split()
)
_REFERENCE_PREFIXES = ("op://", "vault:", "arn:", "env:", "file:", "keychain:", "secret:", "projects/")
_PATHLIKE = re.compile(r"^(?:/|\./|\.\./|~[/\\]?|[A-Za-z]:[\\/])|\.(?:pem|key|json|txt|p12|pfx|crt|env|ya?ml)$", re.I)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")


def name_words(name: str) -> list[str]:
    """``xApiKey`` / ``X-API-Key`` / ``OPENAI_API_KEY`` -> upper-case words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.upper()) if w]


def _secret_word(name: str) -> str | None:
    """The word that makes ``name`` secret-looking (its last meaningful word), else None."""
    words = name_words(name)
    while words and (words[-1].isdigit() or words[-1] in _TRAILING):
        words.pop()
    if not words:
        return None
    last = words[-1]
    if last in ("KEY", "KEYS") and len(words) > 1 and words[-2] in _NOT_SECRET_KEY:
        return None
    if last in _SECRET_WORDS:
        return last
    return next((s for s in _SECRET_SUFFIXES if last.endswith(s)), None)


def secret_name(name: str) -> bool:
    """Whether a variable, header, flag or query parameter name looks like it holds a secret."""
    return _secret_word(name) is not None


def is_placeholder(value: str) -> bool:
    """Empty, a reference (``${input:x}``, ``$X``, ``%X%``, ``{{x}}``), a wrapped hint
    (``<your-key>``, ``{secret}``), an env-variable name (``YOUR_API_KEY``), a marker word
    (``xxx``, ``changeme``, ``your_key_here``), a dummy word or only ``REDACTED``."""
    stripped = value.strip()
    if len(stripped) < 4 or len(set(stripped)) <= 2:
        return True
    lowered = stripped.lower()
    if _REFERENCE.search(stripped) or _WRAPPED.match(stripped) or _ENV_NAME.match(stripped):
        return True
    if lowered in _DUMMY or lowered.startswith(_REFERENCE_PREFIXES) or _MARKERS.search(stripped):
        return True
    letters = re.sub(r"[^a-z]", "", lowered)
    return bool(letters) and not re.sub(r"redacted", "", letters) and not re.search(r"\d", stripped)


def entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _jwt_is_public(token: str) -> bool:
    """Supabase-style anon keys are JWTs meant for browsers: not secrets."""
    try:
        part = token.split(".")[1]
        payload = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(payload, dict) and payload.get("role") == "anon"


def known_token(value: str) -> str | None:
    """The kind of a known-format credential anywhere in ``value``."""
    for kind, pattern in _TOKENS:
        for match in pattern.finditer(value):
            token = match.group(0)
            if kind != "private key" and (not re.search(r"\d", token) or is_placeholder(token)):
                continue
            if kind == "JWT" and _jwt_is_public(token):
                continue
            return kind
    return None


def auth_credential(value: str, *, header: bool = False) -> str | None:
    """``Basic <base64>`` / ``Bearer <token>`` (and ``Token <t>`` in headers) with a literal."""
    for match in _AUTH.finditer(value):
        scheme, credential = match.group(1).capitalize(), match.group(2)
        if (scheme == "Token" and not header) or is_placeholder(credential):
            continue
        if _classes(credential) < 2 and len(credential) < 20:  # "Bearer authentication"
            continue
        return {"Basic": "Basic credential", "Bearer": "Bearer token"}.get(scheme, "access token")
    return None


def _kind_for(word: str) -> str:
    if word in _PASSWORD_WORDS:
        return "password"
    if word in ("AUTHORIZATION", "CREDENTIAL", "CREDENTIALS", "CREDS"):
        return "credential"
    if word.endswith("SECRET") or word == "SECRETS":
        return "secret"
    if word.endswith(("TOKEN", "PAT")):
        return "token"
    return "key"


def _plain_value(value: str) -> bool:
    """Values that are not credentials whatever their name: paths, URLs, numbers, words."""
    return bool(_PATHLIKE.search(value) or "://" in value or re.fullmatch(r"[\d.:-]+", value))


def literal_secret(name: str | None, value: str | None, *, header: bool = False, declared: bool = False) -> str | None:
    """The kind of literal credential a named value holds (``None``: no credential).

    ``declared``: the file marks the value secret (``isSecret``), whatever its name.
    """
    if value is None or is_placeholder(value):
        return None
    text = value.strip()
    if _JWT.fullmatch(text) and _jwt_is_public(text):
        return None
    kind = known_token(text) or auth_credential(text, header=header) or url_secret_kind(text)
    if kind is not None or name is None:
        return kind
    word = _secret_word(name)
    if word is None and not declared:
        return None
    if _plain_value(text) or re.search(r"\s", text):
        return None
    if word in _PASSWORD_WORDS:
        return "password"
    if len(text) >= (8 if declared else 12) and entropy(text) >= 3.0 and _classes(text) >= 2:
        return _kind_for(word or "SECRET")
    return None


def _classes(value: str) -> int:
    return sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d"))


# -- URLs ------------------------------------------------------------------------------------
def url_secrets(url: str) -> Iterator[tuple[str, str]]:
    """(where, kind) of credentials a URL embeds: a user-info password or token, query
    parameters with secret names or known token formats."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return
    if not parts.scheme or not parts.netloc:
        return
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at and userinfo:
        user, colon, password = userinfo.partition(":")
        if colon and password and not is_placeholder(password) and password.lower() not in _DUMMY:
            yield "URL user info", "password"
        elif known_token(user):
            yield "URL user info", known_token(user) or "token"
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if is_placeholder(value):
            continue
        kind = known_token(value)
        if kind is None and (secret_name(key) or key.lower() in _QUERY_SECRETS):
            if not _plain_value(value) and len(value) >= 8 and _classes(value) >= 2:
                kind = "password" if _secret_word(key) in _PASSWORD_WORDS else _kind_for(_secret_word(key) or "KEY")
        if kind is not None:
            yield f"URL query parameter {key}", kind


def url_secret_kind(value: str) -> str | None:
    """The kind of the first credential in any URL inside ``value`` (a DSN in an env value)."""
    for url in _URL.findall(value):
        for _, kind in url_secrets(url):
            return kind
    return None


# -- command lines ---------------------------------------------------------------------------
_ENV_FLAGS = frozenset({"-e", "--env", "--set-env", "--environment"})
_HEADER_FLAGS = frozenset({"-H", "--header", "--headers"})
_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$", re.S)
_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.+)$", re.S)


def argument_secrets(words: Sequence[str]) -> Iterator[tuple[int, str, str]]:
    """(index, where, kind) for each argument that carries a literal credential: the value
    of a secret-named flag (``--api-key V``, ``--token=V``), ``NAME=value`` (``-e``),
    ``Name: value`` after ``--header``, URLs with credentials, and known token formats."""
    for index, word in enumerate(words):
        previous = words[index - 1] if index else ""
        found = _argument_secret(previous, word)
        if found is not None:
            yield index, found[0], found[1]


def _argument_secret(previous: str, word: str) -> tuple[str, str] | None:
    if previous in _HEADER_FLAGS and (header := _HEADER.match(word)):
        kind = literal_secret(header.group(1), header.group(2), header=True)
        return (f"header argument {header.group(1)}", kind) if kind else None
    if (assignment := _ASSIGNMENT.match(word)) and not word.startswith("-"):
        kind = literal_secret(assignment.group(1), assignment.group(2))
        return (f"argument {assignment.group(1)}", kind) if kind else None
    if word.startswith("--") and "=" in word:
        flag, _, value = word.partition("=")
        kind = literal_secret(flag, value)
        return (f"argument {flag}", kind) if kind else None
    if previous.startswith("-") and "=" not in previous and previous not in _ENV_FLAGS and not word.startswith("-"):
        kind = literal_secret(previous, word)
        if kind is not None:
            return f"argument {previous}", kind
    kind = known_token(word) or auth_credential(word) or url_secret_kind(word)
    return ("an argument", kind) if kind else None


# -- servers ---------------------------------------------------------------------------------
def server_secrets(server: ToolServer) -> Iterator[tuple[str, str, Span, NodeRef]]:
    """(where, kind, span of the value, ref) of each literal credential of a server."""
    for label, settings in (("env", server.env), ("header", server.headers)):
        for setting in settings:
            kind = literal_secret(setting.name, setting.value, header=label == "header", declared=setting.secret_declared)
            if kind is not None:
                yield f"{label} {setting.name}", kind, setting.value_span, setting.ref
    if server.url is not None:
        for where, kind in url_secrets(server.url.value):
            yield where, kind, server.url.span, server.url.ref
    if server.launch is not None:
        args = server.launch.args
        raw = {index: (where, kind) for index, where, kind in argument_secrets([a.value for a in args])}
        for index, arg in enumerate(args):
            script = _split(arg.value) if re.search(r"\s", arg.value) else []  # bash -c "…": its words
            found = [f for f in (next(((w, k) for _, w, k in argument_secrets(script)), None), raw.get(index)) if f]
            if found:  # the more specific of the two readings: a named flag or variable over "an argument"
                where, kind = next((f for f in found if f[0] != "an argument"), found[0])
                yield where, kind, arg.span, arg.ref


def _split(script: str) -> list[str]:
    try:
        return shlex.split(script)
    except ValueError:
        return script.split()
