"""YAML 1.2 core-schema resolution of scalars (ruamel's default), for ``loaders.yaml``.

``yes``/``on`` stay strings, timestamps stay strings. Every numeric form of the core schema
starts with a sign, a dot or a digit, so any other plain scalar that is not one of the words
(null/true/false) is a string without a regex being tried: most scalars of a config are names.
"""

from __future__ import annotations

import math
import re
from typing import Any

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
WORDS: dict[str, Any] = {**dict.fromkeys(_NULL), **dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
NOT_A_WORD = object()
NUMERIC_START = frozenset("+-.0123456789")
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
TAG = "tag:yaml.org,2002:"


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema resolution of an untagged plain scalar."""
    found = WORDS.get(value, NOT_A_WORD)
    if found is not NOT_A_WORD:
        return found
    if value[0] not in NUMERIC_START:  # not empty: "" is a word
        return value
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


def tagged(tag: str, value: str) -> Any:
    """A scalar with an explicit tag: ``!!str``/``!!int``/... as the core schema reads them;
    a value that does not fit its tag, and any other tag, stay text."""
    kind = tag[len(TAG) :] if tag.startswith(TAG) else ""
    if kind == "str" or not kind:
        return value
    resolved = resolve_plain(value)
    if kind == "null":
        return None
    if kind == "bool" and isinstance(resolved, bool):
        return resolved
    if kind == "int" and isinstance(resolved, int) and not isinstance(resolved, bool):
        return resolved
    if kind == "float" and isinstance(resolved, (int, float)) and not isinstance(resolved, bool):
        return float(resolved)
    return value
