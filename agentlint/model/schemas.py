"""JSON Schema checks for tool contracts, offline and cached.

- ``schema_problems(schema)``: the schema against the metaschema of its declared ``$schema``
  (2020-12 when none, as MCP 2025-11-25 says), every error at its own JSON pointer, plus
  ``$ref``s that leave the document (reported, never fetched).
- ``instance_problems(schema, value)``: every error of a value (an example config) against a
  schema, at its own pointer inside the value.

The metaschema check asks ``jsonschema-rs`` first (``schemas_fast``, ~1 µs); ``jsonschema``
is imported only for a schema that may be invalid, to give its errors at their pointers, so a
run whose schemas are all valid never imports it. Results are cached by a hash of the
schema's canonical JSON: real manifests repeat the same schemas many times. The registry
refuses every remote retrieval, so nothing here can touch the network.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from agentlint.model.depth import SAFE_DEPTH, deeper_than
from agentlint.model.source import Pointer

DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_LOCAL_SCHEMES = ("#",)
_DATA = ("const", "enum", "default", "examples", "example")
_NESTED = (dict, list)


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    pointer: Pointer  # inside the schema (or inside the instance, for instance_problems)
    message: str
    kind: str  # "metaschema", "dialect", "pattern", "depth", "remote-ref", "instance"


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def digest(data: Any) -> str:
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


def _registry() -> Any:
    from jsonschema_specifications import REGISTRY
    from referencing import Registry
    from referencing.exceptions import NoSuchResource

    def refuse(uri: str) -> Any:
        raise NoSuchResource(ref=uri)

    return Registry(retrieve=refuse).combine(REGISTRY)  # type: ignore[call-arg]


@lru_cache(maxsize=1)
def _shared_registry() -> Any:
    return _registry()


# Dialect URIs (without a trailing "#") -> key; the ``$schema``/``$id`` of jsonschema's
# metaschemas (a test keeps the two equal), known without importing jsonschema.
_DIALECTS = {
    "https://json-schema.org/draft/2020-12/schema": "2020-12",
    "https://json-schema.org/draft/2019-09/schema": "2019-09",
    "http://json-schema.org/draft-07/schema": "draft7",
    "http://json-schema.org/draft-06/schema": "draft6",
    "http://json-schema.org/draft-04/schema": "draft4",
    "http://json-schema.org/draft-03/schema": "draft3",
}
_CLASSES = {
    "2020-12": "Draft202012Validator",
    "2019-09": "Draft201909Validator",
    "draft7": "Draft7Validator",
    "draft6": "Draft6Validator",
    "draft4": "Draft4Validator",
    "draft3": "Draft3Validator",
}


def dialect_key(schema: Any) -> tuple[str | None, str]:
    """(dialect key such as "2020-12", dialect URI); key None for a ``$schema`` agentlint does
    not know. Imports nothing."""
    declared = schema.get("$schema") if isinstance(schema, dict) else None
    uri = declared if isinstance(declared, str) else DEFAULT_DIALECT
    key = _DIALECTS.get(uri.rstrip("#").replace("http://json-schema.org/draft/2020", "https://json-schema.org/draft/2020"))
    return key, uri


def dialect_of(schema: Any) -> tuple[Any | None, str]:
    """(validator class, dialect URI); class None for a ``$schema`` agentlint does not know."""
    key, uri = dialect_key(schema)
    if key is None:
        return None, uri
    from jsonschema import validators

    return getattr(validators, _CLASSES[key]), uri


def external_refs(schema: Any) -> list[tuple[Pointer, str]]:
    """``$ref``/``$dynamicRef`` values that point outside the document, with their pointers."""
    found: list[tuple[Pointer, str]] = []
    stack: list[tuple[Pointer, Any]] = [((), schema)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("$ref", "$dynamicRef") and isinstance(value, str) and not value.startswith(_LOCAL_SCHEMES):
                    found.append((pointer + (key,), value))
                elif isinstance(value, _NESTED) and key not in _DATA:  # scalars hold no $ref
                    stack.append((pointer + (key,), value))
        elif isinstance(node, list):
            stack.extend((pointer + (i,), v) for i, v in enumerate(node) if isinstance(v, _NESTED))
    return sorted(found, key=lambda item: [str(p) for p in item[0]])


_MAPS_OF_SCHEMAS = ("properties", "$defs", "definitions", "dependentSchemas", "dependencies")


def invalid_patterns(schema: Any) -> list[tuple[Pointer, str]]:
    """``pattern`` values and ``patternProperties`` names that are not ECMA-262 regexes, with
    their pointers and the reason (``patternProperties`` names point at the name's key)."""
    from agentlint.model.patterns import ecma_error

    found: list[tuple[Pointer, str]] = []
    stack: list[tuple[Pointer, Any, bool]] = [((), schema, False)]  # (pointer, node, a map of schemas)
    while stack:
        pointer, node, is_map = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if not is_map and key == "pattern" and isinstance(value, str) and (why := ecma_error(value)):
                    found.append((pointer + (key,), why))
                elif not is_map and key == "patternProperties" and isinstance(value, dict):
                    here = pointer + (key,)
                    found += [(here + (name,), why) for name in value if (why := ecma_error(str(name)))]
                    stack.append((here, value, True))
                elif isinstance(value, _NESTED) and (is_map or key not in _DATA):  # scalars hold no pattern
                    stack.append((pointer + (key,), value, not is_map and key in _MAPS_OF_SCHEMAS))
        elif isinstance(node, list):
            stack.extend((pointer + (i,), v, False) for i, v in enumerate(node) if isinstance(v, _NESTED))
    return sorted(found, key=lambda item: [str(p) for p in item[0]])


def schema_problems(schema: Any) -> tuple[SchemaProblem, ...]:
    if deeper_than(schema):  # YAML aliases can nest past the loader's cap; jsonschema recurses
        return (SchemaProblem((), f"nests more than {SAFE_DEPTH} levels deep: too deep to validate", "depth"),)
    return _schema_problems(canonical(schema))


_CACHE_SIZE = 4096
_checked: dict[bytes, tuple[SchemaProblem, ...]] = {}  # blake2b of the canonical JSON -> problems


def _schema_problems(text: str) -> tuple[SchemaProblem, ...]:
    """Problems of the schema whose canonical JSON is ``text``, cached by its hash (the text
    itself is not kept: schemas can be large)."""
    key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    found = _checked.get(key)
    if found is None:
        found = _checked[key] = _check(text)
        if len(_checked) > _CACHE_SIZE:
            del _checked[next(iter(_checked))]  # the oldest entry
    return found


def _check(text: str) -> tuple[SchemaProblem, ...]:
    from agentlint.model.schemas_fast import metaschema_valid

    schema = json.loads(text)
    out: list[SchemaProblem] = []
    if not isinstance(schema, (dict, bool)):
        return (SchemaProblem((), f"a schema must be an object or a boolean, not {type(schema).__name__}", "metaschema"),)
    key, uri = dialect_key(schema)
    if key is None:
        out.append(SchemaProblem(("$schema",), f"unsupported JSON Schema dialect '{uri}': clients cannot validate it", "dialect"))
    elif not metaschema_valid(key, schema, text):
        from jsonschema.exceptions import best_match

        cls, _ = dialect_of(schema)
        meta = cls(cls.META_SCHEMA, registry=_shared_registry())
        for error in meta.iter_errors(schema):
            specific = best_match(error.context) if error.context else error
            path = tuple(specific.absolute_path) if specific is not error else tuple(error.absolute_path)
            out.append(SchemaProblem(path, _message(specific), "metaschema"))
    for pointer, why in invalid_patterns(schema) if '"pattern' in text else ():  # canonical JSON names every key
        out.append(SchemaProblem(pointer, f"not an ECMA-262 regular expression, as JSON Schema requires: {why}", "pattern"))
    for pointer, ref in external_refs(schema) if '"$ref"' in text or '"$dynamicRef"' in text else ():
        out.append(SchemaProblem(pointer, f"$ref '{ref}' points outside the document: it is not fetched and cannot be checked", "remote-ref"))
    out.sort(key=lambda p: ([str(x) for x in p.pointer], p.message))
    return tuple(out)


def _message(error: Any) -> str:
    text = error.message
    return text if len(text) <= 160 else text[:157] + "..."


def instance_problems(schema: Any, instance: Any) -> tuple[SchemaProblem, ...]:
    if deeper_than(schema) or deeper_than(instance):
        return ()  # cannot be judged without recursing past Python's limit
    return _instance_problems(canonical(schema), canonical(instance))


@lru_cache(maxsize=256)
def _validator(text: str) -> Any:
    schema = json.loads(text)
    cls, _ = dialect_of(schema)
    if cls is None:
        return None
    return _linear(cls, '"patternProperties"' in text)(schema, registry=_shared_registry())


@lru_cache(maxsize=16)
def _linear(cls: Any, pattern_properties: bool) -> Any:
    """``cls`` with the keywords that run a file's regexes replaced by ones that run them with
    RE2 (``model.patterns``): a match that cannot be checked is no error. With
    ``patternProperties`` in the schema, ``unevaluatedProperties`` (which re-runs them deep
    inside jsonschema) is not judged."""
    from jsonschema import validators

    from agentlint.model.schemas_keywords import KEYWORDS

    replaced = {key: function for key, function in KEYWORDS.items() if key in cls.VALIDATORS}
    if pattern_properties:
        replaced.update({key: _nothing for key in ("unevaluatedProperties",) if key in cls.VALIDATORS})
    return validators.extend(cls, replaced)


def _nothing(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
    return iter(())


@lru_cache(maxsize=4096)
def _instance_problems(schema_text: str, instance_text: str) -> tuple[SchemaProblem, ...]:
    from referencing.exceptions import Unresolvable

    if _schema_problems(schema_text):
        return ()  # an invalid schema is reported as such; its verdicts mean nothing
    validator = _validator(schema_text)
    if validator is None:
        return ()
    instance = json.loads(instance_text)
    try:
        errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    except Unresolvable:
        return ()
    return tuple(SchemaProblem(tuple(e.absolute_path), _message(e), "instance") for e in errors)
