"""LLM clients built or called in code: what each one says about timeouts, retries and keys.

An ``LLMClient`` is one constructor call (``OpenAI(...)``, ``ChatAnthropic(...)``,
``genai.Client(...)``) or one direct call that is a client of its own (``litellm.completion``).
Each setting is recorded as the code states it: absent (the library default applies), a static
value (perhaps overridable by an environment variable), or unknown (``timeout=cfg.timeout``,
``**kwargs``, a per-request timeout seen on the client). Unknown is never reported as missing.

``LIBRARIES`` holds what each library does when a setting is absent, read from its source
(openai-python and anthropic-sdk-python ``_constants.py``; langchain-openai 1.8 ``request_timeout``
default ``None`` handed to the OpenAI SDK as "no timeout"; langchain-anthropic 1.7
``default_request_timeout=None`` likewise; langchain-google-genai ``timeout=None``,
``max_retries=6``; google-genai ``HttpOptions.timeout`` in milliseconds, default ``None``;
litellm ``request_timeout`` 6000 s, 600 s as the fallback of its newest releases).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from agentlint.model.entities import Located
from agentlint.model.source import Span


class SettingState(enum.Enum):
    ABSENT = "absent"  # not written: the library default applies
    STATIC = "static"  # a value the code states (``value`` None: explicitly None)
    UNKNOWN = "unknown"  # written, but not statically known: never reported as missing


@dataclass(frozen=True, slots=True)
class ClientSetting:
    state: SettingState
    value: float | None = None  # timeouts in seconds, retries as retries after the first attempt
    keyword: str | None = None  # the keyword that wrote it (``request_timeout``)
    env: str | None = None  # the environment variable that can override the value
    # UNKNOWN because it names a constant of another module (``timeout=settings.TIMEOUT``):
    # model.code_constants gives it that constant's value * symbol_scale + symbol_offset
    symbol: str | None = None
    symbol_scale: float = 1.0
    symbol_offset: int = 0

    @property
    def disabled(self) -> bool:
        """Explicitly ``None``: for every library read here, that means no limit at all."""
        return self.state is SettingState.STATIC and self.value is None and self.env is None

    def overridable(self) -> str:
        return f" (unless {self.env} is set)" if self.env else ""


ABSENT = ClientSetting(SettingState.ABSENT)
UNKNOWN_SETTING = ClientSetting(SettingState.UNKNOWN)


@dataclass(frozen=True, slots=True)
class ClientLibrary:
    """What a library does when a setting is left out, and the keywords that set it."""

    label: str
    default_timeout: str  # completes "… has no timeout: <label> <default_timeout>"
    fix: str = "pass timeout=30 (seconds)"  # what sets one


LIBRARIES: dict[str, ClientLibrary] = {
    "openai": ClientLibrary("the openai SDK", "waits 600 s per request by default (and retries twice)"),
    "anthropic": ClientLibrary("the anthropic SDK", "waits 600 s per request by default (and retries twice)"),
    "langchain-openai": ClientLibrary(
        "langchain-openai", "sets no request timeout by default: its OpenAI client waits without limit"
    ),
    "langchain-anthropic": ClientLibrary(
        "langchain-anthropic", "sets no request timeout by default: its Anthropic client waits without limit"
    ),
    "langchain-google-genai": ClientLibrary("langchain-google-genai", "sets no request timeout by default"),
    "langchain": ClientLibrary(
        "init_chat_model", "passes no timeout to the provider's chat model (ChatOpenAI and ChatAnthropic then wait without limit)"
    ),
    "litellm": ClientLibrary(
        "litellm",
        "waits up to its global request_timeout by default (6000 s; 600 s in its newest releases)",
        "pass timeout=30 (seconds), or set litellm.request_timeout once",
    ),
    "google-genai": ClientLibrary(
        "google-genai",
        "sets no request timeout by default (HttpOptions.timeout is None)",
        "pass http_options=types.HttpOptions(timeout=30_000) (milliseconds)",
    ),
}


@dataclass(frozen=True, slots=True)
class LiteralKey:
    """A credential written literally where a client takes its key. ``kind`` names the kind of
    credential ("OpenAI API key"); the value itself is never kept."""

    kind: str
    span: Span
    via_default: str | None = None  # the variable whose os.getenv default it is


@dataclass(frozen=True, slots=True)
class LLMClient(Located):
    library: str  # key into LIBRARIES
    constructor: str  # as written: "OpenAI", "oa.AsyncOpenAI", "litellm.completion"
    timeout: ClientSetting = ABSENT
    retries: ClientSetting = ABSENT
    api_key: LiteralKey | None = None
    test_code: bool = False  # in a test module (tests/, test_*.py, conftest.py): not deployed

    @property
    def info(self) -> ClientLibrary:
        return LIBRARIES[self.library]


@dataclass(frozen=True, slots=True)
class ClientDefault(Located):
    """A library-wide setting assigned in code (``litellm.request_timeout = 30``,
    ``openai.api_key = "…"``, ``os.environ["OPENAI_API_KEY"] = "…"``): it applies to every
    client of that library in the process, whichever module makes the call."""

    library: str  # key into LIBRARIES, or "environment"
    setting: str  # "timeout" | "api_key"
    target: str = ""  # as written: "litellm.request_timeout", "os.environ['OPENAI_API_KEY']"
    api_key: LiteralKey | None = None  # for setting "api_key": the literal assigned
