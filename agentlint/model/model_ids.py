"""Model identifiers: is this a dated snapshot, or an alias the provider moves?

Providers publish two kinds of id for one model. A snapshot names one fixed set of weights and
behaviour until it is retired; an alias is re-pointed to each newer snapshot, so the model
behind a prompt or an agent changes without any change in the repository.

The heuristic, by provider (precision first: an id it does not recognise is not reported):

- Any id ending in ``-latest``, ``:latest`` or ``@latest`` is an alias (``claude-3-5-sonnet-
  latest``, ``mistral-large-latest``, ``gemini-flash-latest``, ``chatgpt-4o-latest``).
- OpenAI chat models (``gpt-3.5-turbo``, ``gpt-4``, ``gpt-4o``, ``gpt-4.1``, ``gpt-5``, ``o1``,
  ``o3``, ``o4-mini`` and their ``-mini``/``-nano``/``-turbo``/``-preview`` variants):
  a snapshot carries a date, ``-YYYY-MM-DD`` (``gpt-4o-2024-08-06``, ``o3-mini-2025-01-31``)
  or the older ``-MMDD`` (``gpt-4-0613``, ``gpt-3.5-turbo-0125``, ``gpt-4-1106-preview``);
  without one it is an alias (``gpt-4o``, ``gpt-4.1``, ``o1``, ``gpt-4-turbo-preview``).
  Fine-tunes (``ft:…``) and the open-weight ``gpt-oss-*`` models are fixed.
- Anthropic (Claude 3 and later): a snapshot carries an eight-digit date, also in Bedrock
  (``anthropic.claude-3-5-sonnet-20241022-v2:0``) and Vertex (``claude-sonnet-4@20250514``)
  ids; ``claude-sonnet-4-5``, ``claude-opus-4-0``, ``claude-3.5-sonnet`` are aliases.
- Google Gemini 1.0, 1.5 and 2.0: stable versions end in a three-digit number
  (``gemini-1.5-pro-002``, ``gemini-2.0-flash-001``); the bare name is Google's
  auto-updated alias (``gemini-1.5-pro``, ``gemini-2.0-flash``, ``gemini-pro``). From Gemini
  2.5 on, Google publishes one stable id per model with no numbered versions
  (``gemini-2.5-flash``): it does not move and is not reported. Preview and experimental ids
  (``-preview``, ``-exp``) are temporary rather than moving, and are left to other checks.

Provider prefixes are ignored: ``openai:gpt-4o`` and ``openai:chat:gpt-4o`` (promptfoo),
``openai/gpt-4o`` (LiteLLM, OpenRouter), ``googleai/gemini-1.5-pro`` (Genkit),
``models/gemini-2.0-flash`` (Gemini API). Ids written as references (``${MODEL}``,
``{{model}}``) are unknown and not reported.

The reason names a dated snapshot of the *same* model (``gpt-4o-mini`` → ``gpt-4o-mini-2024-07-18``,
never a ``gpt-4o`` one) from SNAPSHOTS, the newest the providers' SDKs list (openai-python
``ChatModel``, anthropic-sdk-python ``ModelParam``) or Google's model versions page; an alias
with no snapshot listed there (``claude-opus-4-6``, ``chatgpt-4o-latest``) gets no suggestion.
"""

from __future__ import annotations

import re

_LATEST = re.compile(r"[-:@.]latest\Z", re.IGNORECASE)
_TEMPLATED = re.compile(r"\$\{|\{\{|%\w+%|^\$\w")
_OPENAI = re.compile(
    r"(?:gpt-(?:3\.5|35)-turbo(?:-16k|-instruct)?"
    r"|gpt-4(?:o|\.1|\.5)?(?:-(?:mini|nano|turbo|32k|vision|preview|realtime|audio|search|transcribe|tts))*"
    r"|gpt-5(?:\.\d)?(?:-(?:mini|nano|pro|chat|codex|preview))*"
    r"|o[134](?:-(?:mini|pro|preview|deep-research))*)\Z"
)
_OPENAI_DATE = re.compile(r"-(?:\d{4}-\d{2}-\d{2}|\d{4})(?=-|\Z)")
_CLAUDE = re.compile(r"(?:^|[./:])(claude-(?:[3-9](?:[.-]\d)?-(?:opus|sonnet|haiku)|(?:opus|sonnet|haiku)-\d)[\w.@:-]*)")
_CLAUDE_DATE = re.compile(r"\d{8}")
_GEMINI = re.compile(r"gemini-(?:(\d+(?:\.\d+)?)-)?(?:pro|flash|ultra|nano)[\w.-]*\Z")
_GEMINI_STABLE = re.compile(r"-\d{3}\Z")
_GEMINI_TEMPORARY = re.compile(r"-(?:preview|exp|experimental)(?:-|\Z)")


# alias -> its newest dated snapshot (see the module docstring for the sources)
SNAPSHOTS = {
    "gpt-5.2": "gpt-5.2-2025-12-11",
    "gpt-5.2-pro": "gpt-5.2-pro-2025-12-11",
    "gpt-5.1": "gpt-5.1-2025-11-13",
    "gpt-5": "gpt-5-2025-08-07",
    "gpt-5-mini": "gpt-5-mini-2025-08-07",
    "gpt-5-nano": "gpt-5-nano-2025-08-07",
    "gpt-4.1": "gpt-4.1-2025-04-14",
    "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano": "gpt-4.1-nano-2025-04-14",
    "o4-mini": "o4-mini-2025-04-16",
    "o3": "o3-2025-04-16",
    "o3-mini": "o3-mini-2025-01-31",
    "o1": "o1-2024-12-17",
    "o1-preview": "o1-preview-2024-09-12",
    "o1-mini": "o1-mini-2024-09-12",
    "gpt-4o": "gpt-4o-2024-11-20",
    "gpt-4o-audio-preview": "gpt-4o-audio-preview-2025-06-03",
    "gpt-4o-mini-audio-preview": "gpt-4o-mini-audio-preview-2024-12-17",
    "gpt-4o-search-preview": "gpt-4o-search-preview-2025-03-11",
    "gpt-4o-mini-search-preview": "gpt-4o-mini-search-preview-2025-03-11",
    "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
    "gpt-4-turbo": "gpt-4-turbo-2024-04-09",
    "gpt-4-turbo-preview": "gpt-4-0125-preview",
    "gpt-4": "gpt-4-0613",
    "gpt-4-32k": "gpt-4-32k-0613",
    "gpt-3.5-turbo": "gpt-3.5-turbo-0125",
    "gpt-3.5-turbo-16k": "gpt-3.5-turbo-16k-0613",
    "claude-haiku-4-5": "claude-haiku-4-5-20251001",
    "claude-opus-4-5": "claude-opus-4-5-20251101",
    "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
    "claude-opus-4-1": "claude-opus-4-1-20250805",
    "claude-opus-4-0": "claude-opus-4-20250514",
    "claude-sonnet-4-0": "claude-sonnet-4-20250514",
    "claude-3-7-sonnet-latest": "claude-3-7-sonnet-20250219",
    "claude-3-5-sonnet-latest": "claude-3-5-sonnet-20241022",
    "claude-3-5-haiku-latest": "claude-3-5-haiku-20241022",
    "claude-3-opus-latest": "claude-3-opus-20240229",
    "gemini-1.5-pro": "gemini-1.5-pro-002",
    "gemini-1.5-flash": "gemini-1.5-flash-002",
    "gemini-2.0-flash": "gemini-2.0-flash-001",
    "gemini-2.0-flash-lite": "gemini-2.0-flash-lite-001",
}


def snapshot_for(model: str) -> str | None:
    """The dated snapshot of the same model, written as ``model`` is (provider prefix kept:
    ``openai/gpt-4o-mini`` -> ``openai/gpt-4o-mini-2024-07-18``); None when none is known."""
    text = model.strip()
    name = bare_id(text)
    snapshot = SNAPSHOTS.get(name.lower())
    if snapshot is None or not text.endswith(name):
        return None
    return text[: len(text) - len(name)] + snapshot


def _suggest(model: str, reason: str) -> str:
    snapshot = snapshot_for(model)
    return f"{reason}; use the snapshot {snapshot}" if snapshot else reason


def bare_id(model: str) -> str:
    """The id without provider prefixes: ``openai:chat:gpt-4o`` -> ``gpt-4o``."""
    name = model.strip().rsplit("/", 1)[-1]
    parts = name.split(":")
    # promptfoo-style "provider:kind:id"; a Bedrock ":0" version suffix stays on its id
    while len(parts) > 1 and not parts[-1].isdigit() and parts[0].isalpha() and parts[0].islower():
        parts = parts[1:]
    return ":".join(parts)


def floating_alias(model: str) -> str | None:
    """Why ``model`` is a moving alias (a short reason for a message), or None when it is a
    dated snapshot, a stable id, or an id this heuristic does not know."""
    text = model.strip()
    if not text or _TEMPLATED.search(text) or text.startswith("ft:"):
        return None
    if _LATEST.search(text):
        return _suggest(text, "'latest' follows every new release")
    name = bare_id(text).lower()
    if name.startswith("ft:") or name.startswith("gpt-oss"):
        return None
    dated = _OPENAI_DATE.search(name)
    if dated and _OPENAI.match(name[: dated.start()]):
        return None
    if _OPENAI.match(name) or name == "chatgpt-4o-latest":
        return _suggest(text, "OpenAI moves it to each new snapshot")
    claude = _CLAUDE.search(text.lower())
    if claude:
        if _CLAUDE_DATE.search(claude.group(1)):
            return None
        return _suggest(text, "Anthropic moves it to each new snapshot")
    gemini = _GEMINI.match(name)
    if gemini:
        if _GEMINI_STABLE.search(name) or _GEMINI_TEMPORARY.search(name):
            return None
        version = gemini.group(1)
        if version is None or tuple(int(p) for p in version.split(".")) < (2, 5):
            return _suggest(text, "Google's auto-updated alias moves to each new stable version")
    return None
