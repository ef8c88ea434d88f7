"""What a Collector processor does to span and log attributes, as :class:`AttributeEdit` facts.

Read from the contrib processors' documented settings:

- ``attributes`` (``processor/attributesprocessor``): ``actions[{key | pattern, action}]``;
  ``delete`` and ``hash`` act on a key or a key regex, ``update``/``upsert`` overwrite a key's
  value. ``include``/``exclude`` filters are not judged: an action counts wherever it applies;
- ``redaction`` (``processor/redactionprocessor``): with ``allow_all_keys`` false (the
  default) only ``allowed_keys`` and ``ignored_keys`` survive; ``blocked_values`` masks
  matching values in every key but ``ignored_keys``; ``blocked_key_patterns`` masks the values
  of matching keys;
- ``transform`` (``processor/transformprocessor``): OTTL ``trace_statements`` and
  ``log_statements`` (the grouped ``{context, statements}`` form and the flat one):
  ``delete_key``, ``delete_matching_keys``, ``keep_keys``, ``keep_matching_keys``,
  ``replace_pattern``/``replace_match`` on one attribute, ``replace_all_patterns``/
  ``replace_all_matches`` on values, and ``set(attributes["k"], …)`` (a hash function such as
  ``SHA256`` hashes; ``Substring``/``Truncate`` shorten, which is not masking);
- ``filter`` (``processor/filterprocessor``): a ``traces.span``/``traces.spanevent``/
  ``logs.log_record`` condition that names a ``gen_ai`` attribute or event drops that telemetry
  (what share of it is not judged).

Statements are scanned with linear regexes (no nested quantifiers) on strings capped in length.
"""

from __future__ import annotations

import re
from typing import Any

from agentlint.loaders.base import LocatedDoc
from agentlint.model.collector import AttributeEdit, EditKind, component_type
from agentlint.model.source import Pointer

_MAX_STATEMENT = 10_000
_STRING = r'"((?:[^"\\]|\\.)*)"'
_TARGET = r'[\w.]*attributes'
_ON_MAP = re.compile(rf"\b(delete_key|delete_matching_keys|keep_matching_keys)\(\s*{_TARGET}\s*,\s*{_STRING}")
_KEEP_KEYS = re.compile(rf"\bkeep_keys\(\s*{_TARGET}\s*,\s*\[([^\]]*)\]")
_ON_KEY = re.compile(rf"\b(replace_pattern|replace_match|set)\(\s*{_TARGET}\[\s*{_STRING}\s*\]\s*,\s*([A-Za-z0-9_]*)")
_ON_VALUES = re.compile(rf"\b(replace_all_patterns|replace_all_matches)\(\s*{_TARGET}\s*,\s*(\"key\")?")
_STRINGS = re.compile(_STRING)
_HASHES = frozenset({"SHA1", "SHA256", "SHA512", "MD5", "FNV", "Murmur3Hash", "Murmur3Hash128", "XXH3", "XXH128"})
_SHORTEN = frozenset({"Substring", "Truncate", "truncate_all"})


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def processor_edits(doc: LocatedDoc, pointer: Pointer, name: str, settings: Any) -> list[AttributeEdit]:
    if not isinstance(settings, dict):
        return []
    kind = component_type(name)
    if kind == "attributes":
        return _attributes(doc, pointer, name, settings)
    if kind == "redaction":
        return _redaction(doc, pointer, name, settings)
    if kind == "transform":
        return _transform(doc, pointer, name, settings)
    if kind == "filter":
        return _filter(doc, pointer, name, settings)
    return []


def _filter(doc: LocatedDoc, pointer: Pointer, name: str, settings: dict[str, Any]) -> list[AttributeEdit]:
    """A ``filter`` condition on GenAI telemetry (``traces.span``, ``traces.spanevent``,
    ``logs.log_record``) drops what it matches: the user decided what of it leaves."""
    out = []
    for signal, context in (("traces", "span"), ("traces", "spanevent"), ("logs", "log_record")):
        conditions = settings.get(signal, {}).get(context) if isinstance(settings.get(signal), dict) else None
        for index, condition in enumerate(conditions if isinstance(conditions, list) else ()):
            if isinstance(condition, str) and "gen_ai" in condition and len(condition) <= _MAX_STATEMENT:
                at = pointer + (signal, context, index)
                span = doc.source_map.value(at) or doc.source_map.locate(at)
                out.append(AttributeEdit(doc.ref(at), span, (), name, EditKind.DROP, (), (), condition.strip()))
    return out


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _attributes(doc: LocatedDoc, pointer: Pointer, name: str, settings: dict[str, Any]) -> list[AttributeEdit]:
    actions = settings.get("actions")
    out = []
    for index, action in enumerate(actions if isinstance(actions, list) else ()):
        if not isinstance(action, dict) or not isinstance(action.get("action"), str):
            continue
        verb = action["action"].strip().lower()
        kind = {"delete": EditKind.DELETE, "hash": EditKind.HASH, "update": EditKind.REPLACE, "upsert": EditKind.REPLACE}.get(verb)
        if kind is None:
            continue
        key = action.get("key") if isinstance(action.get("key"), str) else None
        pattern = action.get("pattern") if isinstance(action.get("pattern"), str) and kind in (EditKind.DELETE, EditKind.HASH) else None
        if key is None and pattern is None:
            continue
        at = pointer + ("actions", index)
        how = f"{verb} {key if key is not None else f'pattern {pattern}'}"
        out.append(AttributeEdit(doc.ref(at), doc.source_map.locate(at), (), name, kind, (key,) if key else (), (pattern,) if pattern else (), how))
    return out


def _redaction(doc: LocatedDoc, pointer: Pointer, name: str, settings: dict[str, Any]) -> list[AttributeEdit]:
    ref, span = doc.ref(pointer), doc.source_map.locate(pointer)
    ignored = _strings(settings.get("ignored_keys"))
    out = []
    if settings.get("allow_all_keys") is not True:  # the default: fails closed to the allowlist
        allowed = _strings(settings.get("allowed_keys")) + ignored
        out.append(AttributeEdit(ref, span, (), name, EditKind.KEEP_ONLY, allowed, (), "allowed_keys only"))
    if _strings(settings.get("blocked_values")):
        out.append(AttributeEdit(ref, span, (), name, EditKind.MASK_VALUES, ignored, (), "blocked_values"))
    patterns = _strings(settings.get("blocked_key_patterns"))
    if patterns:
        out.append(AttributeEdit(ref, span, (), name, EditKind.REPLACE, (), patterns, "blocked_key_patterns"))
    return out


def _statements(doc: LocatedDoc, pointer: Pointer, settings: dict[str, Any]) -> list[tuple[Pointer, str]]:
    found = []
    for group in ("trace_statements", "log_statements", "statements"):
        items = settings.get(group)
        for index, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, str):
                found.append((pointer + (group, index), item))
            elif isinstance(item, dict) and isinstance(item.get("statements"), list):
                for inner, text in enumerate(item["statements"]):
                    if isinstance(text, str):
                        found.append((pointer + (group, index, "statements", inner), text))
    return [(at, text) for at, text in found if len(text) <= _MAX_STATEMENT]


def _transform(doc: LocatedDoc, pointer: Pointer, name: str, settings: dict[str, Any]) -> list[AttributeEdit]:
    out = []
    for at, text in _statements(doc, pointer, settings):
        ref, span = doc.ref(at), doc.source_map.value(at) or doc.source_map.locate(at)
        how = text.strip()
        for match in _ON_MAP.finditer(text):
            function, argument = match.group(1), _unescape(match.group(2))
            if function == "delete_key":
                out.append(AttributeEdit(ref, span, (), name, EditKind.DELETE, (argument,), (), how))
            else:
                kind = EditKind.DELETE if function == "delete_matching_keys" else EditKind.KEEP_ONLY
                out.append(AttributeEdit(ref, span, (), name, kind, (), (argument,), how))
        for match in _KEEP_KEYS.finditer(text):
            keys = tuple(_unescape(s) for s in _STRINGS.findall(match.group(1)))
            out.append(AttributeEdit(ref, span, (), name, EditKind.KEEP_ONLY, keys, (), how))
        for match in _ON_KEY.finditer(text):
            function, key, value = match.group(1), _unescape(match.group(2)), match.group(3)
            if function == "set" and value in _SHORTEN:
                continue
            kind = EditKind.HASH if function == "set" and value in _HASHES else EditKind.REPLACE
            out.append(AttributeEdit(ref, span, (), name, kind, (key,), (), how))
        for match in _ON_VALUES.finditer(text):
            if match.group(2) is None:  # "value" mode masks values; "key" mode renames keys
                out.append(AttributeEdit(ref, span, (), name, EditKind.MASK_VALUES, (), (), how))
    return out
