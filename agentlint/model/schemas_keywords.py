"""The JSON Schema keywords that run regexes from the file (``pattern``, ``patternProperties``,
``additionalProperties``), as jsonschema implements them but matching with RE2
(``model.patterns.search``): linear time, and a match that cannot be checked is no error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from agentlint.model.patterns import search


def _error(message: str) -> Any:
    from jsonschema.exceptions import ValidationError

    return ValidationError(message)


def pattern(validator: Any, patrn: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "string") and isinstance(patrn, str) and search(patrn, instance) is False:
        yield _error(f"{instance!r} does not match {patrn!r}")


def pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object") or not isinstance(patterns, dict):
        return
    for regex, subschema in patterns.items():
        for key, value in instance.items():
            if search(str(regex), key):
                yield from validator.descend(value, subschema, path=key, schema_path=regex)


def _extras(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Keys that neither ``properties`` nor (surely) any ``patternProperties`` regex covers."""
    named = schema.get("properties", {}) if isinstance(schema.get("properties"), dict) else {}
    regexes = schema.get("patternProperties", {}) if isinstance(schema.get("patternProperties"), dict) else {}
    out = []
    for key in instance:
        if key in named:
            continue
        verdicts = [search(str(regex), key) for regex in regexes]
        if all(verdict is False for verdict in verdicts):
            out.append(key)
    return out


def additional_properties(validator: Any, ap: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    extras = _extras(instance, schema)
    if validator.is_type(ap, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], ap, path=extra)
    elif ap is False and extras:
        joined = ", ".join(repr(each) for each in sorted(extras))
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            patterns = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            yield _error(f"{joined} {verb} not match any of the regexes: {patterns}")
        else:
            verb = "was" if len(extras) == 1 else "were"
            yield _error(f"Additional properties are not allowed ({joined} {verb} unexpected)")


KEYWORDS = {"pattern": pattern, "patternProperties": pattern_properties, "additionalProperties": additional_properties}
