"""A quick yes/no check of a schema against its dialect's metaschema with ``jsonschema-rs``.

``jsonschema`` takes ~2 ms to check one tool schema against the 2020-12 metaschema;
``jsonschema-rs`` (a compiled validator, built once per dialect) takes ~1 µs. Only its
"valid" verdict is used: a schema it rejects is checked again by ``jsonschema``, which gives
the detailed errors at their pointers (so messages stay those of ``jsonschema``). Its verdict
is not used (None: ask ``jsonschema``) where the two could disagree:

- a dialect it does not implement (draft 3), or one that cannot be built (an older
  ``jsonschema-rs``, not installed, or one that accepts a schema every metaschema rejects);
- a draft-04 schema that writes ``enum`` (draft-04's metaschema asks for a non-empty list of
  unique values; ``jsonschema-rs`` accepts ``[]`` and tells ``1`` from ``1.0``);
- any exception (a value it cannot convert, such as a string with a lone surrogate).

Formats are annotations here, as in ``jsonschema`` without a format checker. Metaschemas are
resolved from the validator's built-in copies (``offline``): nothing is fetched.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# Dialect key (``schemas._DIALECTS``) -> (jsonschema-rs class name, metaschema URI).
_RS = {
    "2020-12": ("Draft202012Validator", "https://json-schema.org/draft/2020-12/schema"),
    "2019-09": ("Draft201909Validator", "https://json-schema.org/draft/2019-09/schema"),
    "draft7": ("Draft7Validator", "http://json-schema.org/draft-07/schema#"),
    "draft6": ("Draft6Validator", "http://json-schema.org/draft-06/schema#"),
    "draft4": ("Draft4Validator", "http://json-schema.org/draft-04/schema#"),
}
# A schema every metaschema above rejects, and one every one accepts: a validator that does
# not tell them apart is not used.
_REJECTED = {"type": 12, "minLength": -1}
_ACCEPTED = {"type": "object", "properties": {"a": {"type": "string", "minLength": 1}}, "required": ["a"]}


@lru_cache(maxsize=8)
def _meta_validator(dialect: str) -> Any:
    """The compiled metaschema validator of ``dialect``, or None when there is none."""
    if dialect not in _RS:
        return None
    try:
        import jsonschema_rs

        name, uri = _RS[dialect]
        validator = getattr(jsonschema_rs, name)({"$ref": uri}, validate_formats=False, offline=True)
        if validator.is_valid(_REJECTED) or not validator.is_valid(_ACCEPTED):
            return None
    except Exception:  # not installed, too old (no ``offline``), or failing: jsonschema decides
        return None
    return validator


def metaschema_valid(dialect: str, schema: Any, text: str) -> bool | None:
    """True when ``schema`` (plain JSON data, ``text`` its canonical JSON) surely passes the
    metaschema of ``dialect``; None when ``jsonschema`` must judge it (see the module doc)."""
    if dialect == "draft4" and '"enum"' in text:
        return None
    validator = _meta_validator(dialect)
    if validator is None:
        return None
    try:
        return True if validator.is_valid(schema) else None
    except Exception:
        return None
