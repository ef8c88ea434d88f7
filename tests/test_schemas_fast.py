"""Issue 14, lever 1: tool schemas are checked against their metaschema by jsonschema-rs first;
jsonschema only explains the schemas that may be invalid. Findings stay those of jsonschema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.model import schemas, schemas_fast
from agentlint.model.schemas import SchemaProblem, schema_problems

VALID_2020 = {"type": "object", "properties": {"path": {"type": "string", "minLength": 1}}, "required": ["path"]}
CASES: list[Any] = [
    VALID_2020,
    True,
    {"type": "object", "properties": {"a": {"type": "strin"}, "b": {"required": True}}},
    {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {"a": {"minLength": -1}}},
    {"$schema": "http://json-schema.org/draft-06/schema#", "items": [{"type": 3}]},
    {"$schema": "https://json-schema.org/draft/2019-09/schema", "$anchor": "1bad"},
    {"$schema": "http://json-schema.org/draft/2020-12/schema", "properties": {"x": {"type": "number"}}},
    {"$schema": "http://json-schema.org/draft-04/schema#", "enum": []},
    {"$schema": "http://json-schema.org/draft-04/schema#", "enum": [1, 1.0]},
    {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "properties": {"n": {"type": "integer"}}},
    {"$schema": "http://json-schema.org/draft-03/schema#", "properties": {"a": {"required": True}}},
    {"$schema": "https://example.com/custom", "type": "object"},
    {"$anchor": "name\n"},
    {"minimum": float("nan")},
    {"title": "\ud800", "type": "strng"},
    {"properties": {"p": {"pattern": "("}}, "$ref": "https://example.com/x.json"},
    ["not", "a", "schema"],
]


def _slow(monkeypatch: pytest.MonkeyPatch, schema: Any) -> tuple[SchemaProblem, ...]:
    """What schema_problems said before jsonschema-rs: jsonschema judges every schema."""
    with monkeypatch.context() as patched:
        patched.setattr(schemas_fast, "metaschema_valid", lambda *args: None)
        patched.setattr(schemas, "_checked", {})
        return schema_problems(schema)


@pytest.mark.parametrize("schema", CASES, ids=range(len(CASES)))
def test_findings_are_those_of_jsonschema(monkeypatch: pytest.MonkeyPatch, schema: Any) -> None:
    monkeypatch.setattr(schemas, "_checked", {})
    assert schema_problems(schema) == _slow(monkeypatch, schema)


def test_nested_errors_keep_their_pointers_and_messages() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "strin"}, "b": {"required": True}}}
    assert [(p.pointer, p.kind) for p in schema_problems(schema)] == [
        (("properties", "a", "type"), "metaschema"),
        (("properties", "b", "required"), "metaschema"),
    ]
    assert schema_problems(schema)[1].message == "True is not of type 'array'"


def test_fast_verdicts() -> None:
    text = schemas.canonical(VALID_2020)
    for dialect in ("2020-12", "2019-09", "draft7", "draft6", "draft4"):
        assert schemas_fast.metaschema_valid(dialect, VALID_2020, text) is True, dialect
        assert schemas_fast.metaschema_valid(dialect, {"type": "strin"}, '{"type":"strin"}') is None, dialect
    assert schemas_fast.metaschema_valid("draft3", VALID_2020, text) is None  # not implemented by jsonschema-rs
    assert schemas_fast.metaschema_valid("draft4", {"enum": [1]}, '{"enum":[1]}') is None  # they disagree on enum
    assert schemas_fast.metaschema_valid("2020-12", {"$anchor": "a\n"}, "") is None  # Python's $ matches before \n


def test_without_jsonschema_rs_jsonschema_judges(monkeypatch: pytest.MonkeyPatch) -> None:
    schemas_fast._meta_validator.cache_clear()
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)  # import fails
    monkeypatch.setattr(schemas, "_checked", {})
    try:
        assert schemas_fast.metaschema_valid("2020-12", VALID_2020, schemas.canonical(VALID_2020)) is None
        assert [p.pointer for p in schema_problems({"properties": {"a": {"type": 1}}})] == [("properties", "a", "type")]
        assert schema_problems(VALID_2020) == ()
    finally:
        schemas_fast._meta_validator.cache_clear()


def test_dialect_table_is_jsonschemas() -> None:
    from jsonschema import validators

    for key, name in schemas._CLASSES.items():
        meta = getattr(validators, name).META_SCHEMA
        for uri in (meta.get("$schema"), meta.get("$id", meta.get("id"))):
            assert schemas._DIALECTS[uri.rstrip("#")] == key


def test_cache_is_by_canonical_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = schemas._check
    monkeypatch.setattr(schemas, "_checked", {})
    monkeypatch.setattr(schemas, "_check", lambda text: calls.append(text) or real(text))
    schema_problems({"type": "string", "title": "t"})
    schema_problems({"title": "t", "type": "string"})  # same schema, keys in another order
    assert calls == ['{"title":"t","type":"string"}']
    assert list(schemas._checked) and all(isinstance(key, bytes) and len(key) == 16 for key in schemas._checked)


_TOOLS = {
    "tools": [
        {"name": "read", "inputSchema": VALID_2020},
        {"name": "list", "inputSchema": {"type": "object", "properties": {"depth": {"type": "integer", "minimum": 0}}}},
    ]
}


def _imports(tmp_path: Path, tools: dict[str, Any]) -> tuple[list[str], set[str]]:
    path = tmp_path / "tools.json"
    path.write_text(json.dumps(tools, indent=2), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "agentlint", "check", "--isolated", "--format", "concise", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    modules = {m[1] for m in re.finditer(r"^import time:.*\|\s*([\w.]+)$", run.stderr, re.MULTILINE)}
    codes = re.findall(r":(\d+):\d+: \w+: .*\[(AL\d+)\]$", run.stdout, re.MULTILINE)
    return codes, {name for name in modules if name.split(".")[0] in ("jsonschema", "jsonschema_rs")}


def test_valid_schemas_never_import_jsonschema(tmp_path: Path) -> None:
    codes, imported = _imports(tmp_path, _TOOLS)
    assert codes == []
    assert "jsonschema_rs" in imported and not {name for name in imported if name.split(".")[0] == "jsonschema"}


def test_an_invalid_schema_is_explained_by_jsonschema(tmp_path: Path) -> None:
    tools = {"tools": [*_TOOLS["tools"], {"name": "bad", "inputSchema": {"type": "object", "properties": {"q": {"type": "txt"}}}}]}
    codes, imported = _imports(tmp_path, tools)
    assert codes == [("36", "AL210")]  # "type": "txt"
    assert "jsonschema" in imported


_KEYWORDS = [
    "type", "enum", "const", "properties", "required", "items", "prefixItems", "additionalProperties", "minLength",
    "maxItems", "minimum", "exclusiveMinimum", "multipleOf", "pattern", "patternProperties", "allOf", "anyOf", "not",
    "$ref", "$defs", "definitions", "$anchor", "$id", "id", "dependencies", "dependentRequired", "uniqueItems", "format",
    "default", "examples", "if", "then", "unevaluatedProperties", "contains", "minContains", "$vocabulary", "title",
]  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from([1.0, 0.0, -1.5, 2**64, 2**70]),
    st.sampled_from(["", "string", "integer", "object", "array", "#", "#/$defs/a", "a\n", "a b", "^a$", "("]),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from([*_KEYWORDS, "a"]), inner, max_size=3),
    max_leaves=8,
)
_DIALECTS = ("2020-12", "2019-09", "draft7", "draft6", "draft4")


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.dictionaries(st.sampled_from(_KEYWORDS), _JSON, min_size=1, max_size=4), st.sampled_from(_DIALECTS))
def test_a_fast_yes_is_a_jsonschema_yes(schema: dict[str, Any], dialect: str) -> None:
    from jsonschema import validators

    text = schemas.canonical(schema)
    schema = json.loads(text)
    if schemas_fast.metaschema_valid(dialect, schema, text):
        cls = getattr(validators, schemas._CLASSES[dialect])
        assert cls(cls.META_SCHEMA).is_valid(schema), (dialect, schema)
