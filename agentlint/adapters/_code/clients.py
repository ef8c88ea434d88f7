"""Which calls build an LLM client, and how each library names its settings.

Keyword names come from each library's source (not from documentation, which lags):

* openai-python ``OpenAI/AsyncOpenAI/AzureOpenAI/AsyncAzureOpenAI.__init__``: ``timeout``
  (``None`` means no timeout; absent means 600 s), ``max_retries`` (2), ``api_key``,
  ``http_client`` (a custom httpx client may carry its own timeout: unknown).
* anthropic-sdk-python ``Anthropic``/``AsyncAnthropic`` and the Bedrock and Vertex variants
  share the base client: same keywords, same defaults.
* langchain-openai ``ChatOpenAI``/``AzureChatOpenAI``: ``request_timeout`` alias ``timeout``
  (default ``None``, handed to the OpenAI client as "no timeout"), ``max_retries``,
  ``openai_api_key`` alias ``api_key``.
* langchain-anthropic ``ChatAnthropic``: ``default_request_timeout`` alias ``timeout``,
  ``max_retries`` (2), ``anthropic_api_key`` alias ``api_key``.
* langchain-google-genai ``ChatGoogleGenerativeAI``: ``timeout`` alias ``request_timeout``,
  ``max_retries`` alias ``retries`` (6; counts attempts: ``max_retries=1`` is "no retries"),
  ``google_api_key`` alias ``api_key``.
* langchain ``init_chat_model``: keyword arguments go to the provider's class (``timeout``,
  ``max_retries``, ``api_key``); ``configurable_fields`` may make any of them a run-time value.
* litellm ``completion``/``acompletion(model, messages, timeout, …)``: ``timeout`` or
  ``request_timeout``, ``num_retries``/``max_retries``, ``api_key``.
* google-genai ``Client(api_key=…, http_options=HttpOptions(timeout=ms) | {"timeout": ms})``;
  retries only with ``HttpOptions(retry_options=HttpRetryOptions(attempts=N))`` (N counts the
  first attempt; ``attempts`` left out means 5; no ``retry_options`` means no retries).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClientSpec:
    library: str  # key into model.clients.LIBRARIES
    timeout: tuple[str, ...] = ("timeout",)
    retries: tuple[str, ...] = ("max_retries",)
    keys: tuple[str, ...] = ("api_key",)
    timeout_position: int | None = None  # positional index of the timeout, when it has one
    attempts: bool = False  # the retry keyword counts attempts, the first included
    opaque: tuple[str, ...] = ()  # keywords whose presence makes the timeout unknown


_SDK_OPAQUE = ("http_client",)
_OPENAI = ClientSpec("openai", opaque=_SDK_OPAQUE)
_ANTHROPIC = ClientSpec("anthropic", opaque=_SDK_OPAQUE)
_LC_OPENAI = ClientSpec(
    "langchain-openai", ("timeout", "request_timeout"), keys=("api_key", "openai_api_key"), opaque=("http_client", "http_async_client")
)
_LC_ANTHROPIC = ClientSpec("langchain-anthropic", ("timeout", "default_request_timeout"), keys=("api_key", "anthropic_api_key"))
_LC_GOOGLE = ClientSpec(
    "langchain-google-genai", ("timeout", "request_timeout"), ("max_retries", "retries"), ("google_api_key", "api_key"), attempts=True
)
_INIT_CHAT_MODEL = ClientSpec("langchain", opaque=("configurable_fields",))
_LITELLM = ClientSpec("litellm", ("timeout", "request_timeout"), ("num_retries", "max_retries"), timeout_position=2)
_GENAI = ClientSpec("google-genai", ("http_options",), ())

# (import root, callable name) -> spec. Matching by the root package and the last name accepts
# every public path of one class (``langchain_openai.ChatOpenAI``,
# ``langchain_openai.chat_models.base.ChatOpenAI``) without listing them.
CONSTRUCTORS: dict[tuple[str, str], ClientSpec] = {
    **{("openai", name): _OPENAI for name in ("OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI", "Client", "AsyncClient")},
    **{
        ("anthropic", name): _ANTHROPIC
        for name in (
            "Anthropic",
            "AsyncAnthropic",
            "AnthropicBedrock",
            "AsyncAnthropicBedrock",
            "AnthropicVertex",
            "AsyncAnthropicVertex",
            "Client",
            "AsyncClient",
        )
    },
    ("langchain_openai", "ChatOpenAI"): _LC_OPENAI,
    ("langchain_openai", "AzureChatOpenAI"): _LC_OPENAI,
    ("langchain_anthropic", "ChatAnthropic"): _LC_ANTHROPIC,
    ("langchain_google_genai", "ChatGoogleGenerativeAI"): _LC_GOOGLE,
    ("langchain", "init_chat_model"): _INIT_CHAT_MODEL,
    ("litellm", "completion"): _LITELLM,
    ("litellm", "acompletion"): _LITELLM,
    ("google.genai", "Client"): _GENAI,
}

# Calls made through a client that may carry a per-request timeout (any method: ``create``,
# ``with_options``, ``bind``): the keywords that say so (``**kwargs`` too). google-genai
# requests take theirs in ``config=GenerateContentConfig(http_options=…)``.
REQUEST_TIMEOUT_KEYWORDS = frozenset({"timeout", "request_timeout"})
GENAI_REQUEST_KEYWORDS = frozenset({"http_options", "config"})

# Library-wide settings assigned in code: qualified name -> (library, setting).
GLOBAL_SETTINGS: dict[str, tuple[str, str]] = {
    "litellm.request_timeout": ("litellm", "timeout"),
    "openai.api_key": ("openai", "api_key"),  # the module-level client of openai-python
    "litellm.api_key": ("litellm", "api_key"),
    "litellm.openai_key": ("litellm", "api_key"),
    "litellm.anthropic_key": ("litellm", "api_key"),
}


def spec_for(qualified: str | None) -> ClientSpec | None:
    """The client spec of a callee's qualified name, or None."""
    if not qualified or "." not in qualified:
        return None
    head, _, name = qualified.rpartition(".")
    root = head.split(".", 1)[0]
    if root == "google":
        root = ".".join(head.split(".")[:2])
    spec = CONSTRUCTORS.get((root, name))
    if spec is None:
        return None
    # langchain's init_chat_model lives in langchain.chat_models; reject other modules' names
    if spec is _INIT_CHAT_MODEL and not head.startswith("langchain.chat_models"):
        return None
    if spec is _LITELLM and head != "litellm":
        return None
    if spec is _GENAI and head != "google.genai":
        return None
    return spec
