"""What names, calls and attributes say about data (for ``dataflow.py``): sources by name,
sanitizers, metadata, string-preserving calls, LLM calls. Pure functions of strings.

Names are split into lower-case words (``userPrompt`` and ``user_prompt`` are both
``user prompt``). A name is a source when its *last* word (or last two) is a source word
and no word disqualifies it: ``user_email`` is personal data, ``email_subject``,
``prompt_template``, ``num_messages`` and ``masked_prompt`` are not.
"""

from __future__ import annotations

import re

from agentlint.model.flows import SourceKind

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")  # no nested quantifiers: linear

# last word(s) -> kind. ``query`` is left out (SQL helpers), ``message``/``msg`` (error
# messages) and ``answer``/``response`` (HTTP responses, tool results) too: precision first.
_HEADS: dict[str, SourceKind] = {
    "prompt": SourceKind.PROMPT,
    "prompts": SourceKind.PROMPT,
    "messages": SourceKind.PROMPT,
    "conversation": SourceKind.PROMPT,
    "transcript": SourceKind.PROMPT,
    "completion": SourceKind.COMPLETION,
    "completions": SourceKind.COMPLETION,
    "question": SourceKind.USER_INPUT,
    "questions": SourceKind.USER_INPUT,
    "email": SourceKind.PII,
    "emails": SourceKind.PII,
    "phone": SourceKind.PII,
    "ssn": SourceKind.PII,
    "dob": SourceKind.PII,
    "passport": SourceKind.PII,
    "iban": SourceKind.PII,
    "password": SourceKind.CREDENTIAL,
    "passwd": SourceKind.CREDENTIAL,
    "secret": SourceKind.CREDENTIAL,
}
_PAIRS: dict[tuple[str, str], SourceKind] = {
    ("user", "input"): SourceKind.USER_INPUT,
    ("user", "message"): SourceKind.USER_INPUT,
    ("user", "query"): SourceKind.USER_INPUT,
    ("user", "text"): SourceKind.USER_INPUT,
    ("chat", "history"): SourceKind.PROMPT,
    ("conversation", "history"): SourceKind.PROMPT,
    ("llm", "response"): SourceKind.COMPLETION,
    ("llm", "output"): SourceKind.COMPLETION,
    ("model", "output"): SourceKind.COMPLETION,
    ("model", "response"): SourceKind.COMPLETION,
    ("ai", "response"): SourceKind.COMPLETION,
    ("ai", "message"): SourceKind.COMPLETION,
    ("assistant", "message"): SourceKind.COMPLETION,
    ("assistant", "response"): SourceKind.COMPLETION,
    ("generated", "text"): SourceKind.COMPLETION,
    ("final", "output"): SourceKind.COMPLETION,
    ("phone", "number"): SourceKind.PII,
    ("card", "number"): SourceKind.PII,
    ("credit", "card"): SourceKind.PII,
    ("tax", "id"): SourceKind.PII,
    ("of", "birth"): SourceKind.PII,
    ("security", "number"): SourceKind.PII,
    ("api", "key"): SourceKind.CREDENTIAL,
    ("access", "token"): SourceKind.CREDENTIAL,
    ("auth", "token"): SourceKind.CREDENTIAL,
    ("bearer", "token"): SourceKind.CREDENTIAL,
    ("refresh", "token"): SourceKind.CREDENTIAL,
    ("secret", "key"): SourceKind.CREDENTIAL,
    ("private", "key"): SourceKind.CREDENTIAL,
    ("client", "secret"): SourceKind.CREDENTIAL,
}
# a word anywhere in the name that makes it something else: a count, an id, a template, a
# setting, or an already-masked value
_NOT = frozenset(
    {
        "count", "counts", "num", "len", "length", "size", "total", "n", "max", "min", "limit",
        "id", "ids", "idx", "index", "tokens", "token_count", "type", "types", "name", "names", "path", "file",
        "dir", "template", "templates", "tpl", "version", "hash", "hashed", "digest", "masked", "mask",
        "redacted", "redact", "sanitized", "sanitised", "anonymized", "anonymised", "scrubbed", "safe",
        "preview", "enabled", "is", "has", "should", "config", "cfg", "format", "fmt", "schema", "class",
        "style", "role", "roles", "sent", "at", "env", "var", "header", "system", "instructions", "field",
        "fields", "key", "keys", "url", "label", "col", "column", "regex", "pattern", "valid", "validated",
        "required", "policy", "policies", "settings", "setting", "option", "options", "default", "defaults",
        # a flag or an action about the thing, not the thing: ``send_email``, ``verify_phone``
        "send", "use", "verify", "validate", "notify", "allow", "require", "include", "show", "hide", "collect",
        "ask", "log", "store", "save", "capture", "record", "trace", "debug", "print",
    }
)
_NOT_ENDINGS = frozenset({"number"})  # ``phone_number`` is PII but ``number`` alone is not


def words(name: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(name)]


def kind_of_name(name: str) -> SourceKind | None:
    """The source kind a variable, parameter, attribute or key name says, or None."""
    if not name or len(name) > 80:
        return None
    parts = words(name)
    if not parts:
        return None
    last = parts[-1]
    if len(parts) >= 2:
        pair = (parts[-2], last)
        if pair in _PAIRS and not any(p in _NOT for p in parts[:-2]):
            return _PAIRS[pair]
    if last == "apikey":
        return SourceKind.CREDENTIAL
    if any(p in _NOT for p in parts) or last in _NOT_ENDINGS:
        return None
    return _HEADS.get(last)


# Environment variables holding credentials: ``OPENAI_API_KEY``, ``GITHUB_TOKEN``,
# ``DB_PASSWORD``, ``LANGFUSE_SECRET_KEY``. Not ``*_KEY_ID``/``*_TOKEN_URL``/``*_MAX_TOKENS``.
_ENV_SECRET_ENDINGS = ("_API_KEY", "APIKEY", "_TOKEN", "_SECRET", "_SECRET_KEY", "_PASSWORD", "_PRIVATE_KEY", "_ACCESS_KEY")
_ENV_NOT = ("MAX_TOKENS", "_TOKENS", "TOKEN_URL", "TOKEN_ENDPOINT")


def is_secret_env(name: str) -> bool:
    upper = name.upper()
    if upper in ("API_KEY", "TOKEN", "SECRET", "PASSWORD", "SECRET_KEY"):
        return True
    return upper.endswith(_ENV_SECRET_ENDINGS) and not upper.endswith(_ENV_NOT)


# -- calls -------------------------------------------------------------------------------

_SANITIZER_WORDS = ("mask", "redact", "scrub", "anonymi", "anonymis", "hash", "sanitiz", "sanitis", "digest", "encrypt", "pseudonym", "obfuscat", "censor")


def is_sanitizer(callee: str, qualname: str | None) -> bool:
    """``hashlib.sha256``, ``mask_pii``, ``redact``, ``anonymizer.anonymize`` (Presidio),
    ``len``, token counting: the result carries no content."""
    if qualname is not None and (qualname.startswith("hashlib.") or qualname in ("len", "hash")):
        return True
    last = callee.rpartition(".")[2].lower()
    if last in ("len", "hash", "bool", "int", "float", "isinstance", "type", "id", "sum", "any", "all", "callable"):
        return True
    if "token" in last and ("count" in last or "num" in last or last.startswith("len")):
        return True
    return any(word in last for word in _SANITIZER_WORDS)


# methods that return (part of) their receiver's content
PRESERVING_METHODS = frozenset(
    {
        "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "replace", "format",
        "format_map", "join", "split", "rsplit", "splitlines", "partition", "rpartition", "get", "items",
        "values", "copy", "model_dump", "model_dump_json", "dict", "json", "to_dict", "to_json", "decode",
        "encode", "pop", "popitem", "removeprefix", "removesuffix", "expandtabs", "center", "ljust", "rjust",
        "zfill", "text_message_output", "to_input_list", "get_secret_value",
    }
)
# calls that return their arguments' content
PRESERVING_FUNCTIONS = frozenset(
    {
        "str", "repr", "format", "dict", "list", "tuple", "set", "sorted", "reversed", "json.dumps", "json.loads", "pformat",
        "pprint.pformat", "textwrap.shorten", "textwrap.fill", "textwrap.indent", "textwrap.dedent", "enumerate",
        "zip", "ascii", "frozenset",
    }
)

# attributes that are metadata, never content: ids, model names, usage and timings
METADATA_ATTRIBUTES = frozenset(
    {
        "id", "model", "usage", "created", "object", "finish_reason", "stop_reason", "status", "status_code",
        "role", "type", "index", "system_fingerprint", "elapsed", "latency", "duration", "cost", "name",
        "response_metadata", "usage_metadata", "prompt_tokens", "completion_tokens", "total_tokens",
        "input_tokens", "output_tokens", "headers", "url", "method", "last_agent", "agent", "__class__",
        "__name__", "tool_call_id", "run_id", "trace_id", "span_id", "session_id", "user_id", "thread_id",
        "request_id", "conversation_id", "message_id", "level", "levelname", "lineno", "errors", "ok",
        "version", "labels", "label", "tags", "commit", "commit_hash", "created_at", "updated_at", "config",
        "is_fallback", "__len__",
    }
)


def is_metadata(attr: str) -> bool:
    if attr in METADATA_ATTRIBUTES:
        return True
    parts = words(attr)
    return bool(parts) and parts[-1] in ("id", "ids", "tokens", "count", "ms", "seconds", "latency", "time", "at", "name", "status")


# LLM calls: what they return is a completion
_LLM_SUFFIXES = (
    "chat.completions.create",
    "chat.completions.parse",
    "completions.create",
    "responses.create",
    "responses.parse",
    "messages.create",
    "models.generate_content",
    "generate_content",
    "generate_content_async",
)
_LLM_QUALNAMES = frozenset(
    {
        "litellm.completion",
        "litellm.acompletion",
        "agents.Runner.run",
        "agents.Runner.run_sync",
        "agents.Runner.run_streamed",
        "openai.chat.completions.create",
    }
)
_RUN_METHODS = frozenset(
    {"invoke", "ainvoke", "stream", "astream", "batch", "abatch", "kickoff", "kickoff_async", "run", "arun", "run_sync", "send_message", "send_message_async"}
)
_GRAPH_METHODS = frozenset({"invoke", "ainvoke", "stream", "astream", "batch", "abatch"})
_RUNNER_WORDS = frozenset({"llm", "model", "chat", "chain", "agent", "graph", "crew", "executor", "runnable", "workflow", "llms", "planner", "writer", "critic", "session"})


def is_llm_call(dotted: str, qualname: str | None) -> bool:
    """``client.chat.completions.create``, ``anthropic.messages.create``, ``litellm.completion``,
    ``Runner.run``, ``llm.invoke``/``chain.ainvoke``/``graph.invoke``, ``crew.kickoff``."""
    if qualname is not None and qualname in _LLM_QUALNAMES:
        return True
    if any(dotted == s or dotted.endswith("." + s) for s in _LLM_SUFFIXES):
        return True
    receiver, _, method = dotted.rpartition(".")
    if method not in _RUN_METHODS or not receiver:
        return False
    named = set(words(receiver.rpartition(".")[2]))
    # a compiled LangGraph is often ``app``; Flask's ``app.run()`` is not an LLM call
    return bool(named & _RUNNER_WORDS) or ("app" in named and method in _GRAPH_METHODS)
