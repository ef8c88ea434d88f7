"""rules/*.md and the published JSON Schemas are generated from the code and must not drift.

Run ``AGENTLINT_UPDATE=1 pytest tests/test_generated.py`` to rewrite them.
"""

from __future__ import annotations

import json
import os
from importlib import resources

import pytest

from agentlint.docs import published_files
from tests.conftest import REPO

FILES = published_files()


@pytest.mark.parametrize("rel", sorted(FILES))
def test_generated_file_is_fresh(rel: str) -> None:
    path = REPO / rel
    if os.environ.get("AGENTLINT_UPDATE"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FILES[rel], encoding="utf-8")
    assert path.exists(), f"{rel} is missing: run AGENTLINT_UPDATE=1 pytest tests/test_generated.py"
    assert path.read_text(encoding="utf-8") == FILES[rel], f"{rel} is stale: run AGENTLINT_UPDATE=1 pytest"


def test_no_orphan_rule_pages() -> None:
    pages = {f"rules/{p.name}" for p in (REPO / "rules").glob("*.md")}
    assert pages == {rel for rel in FILES if rel.startswith("rules/")}


def test_package_schema_equals_published_schema() -> None:
    packaged = resources.files("agentlint").joinpath("schemas/agentgraph.schema.json").read_text(encoding="utf-8")
    published = (REPO / "schemas" / "agentgraph.schema.json").read_text(encoding="utf-8")
    assert packaged == published
    schema = json.loads(published)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"apiVersion", "kind", "metadata"}


def test_examples_validate_against_published_schema() -> None:
    """The editor schema accepts the bundled examples (what users see in their editor)."""
    import jsonschema
    from ruamel.yaml import YAML

    schema = json.loads((REPO / "schemas" / "agentgraph.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    yaml = YAML(typ="safe", pure=True)
    checked = 0
    for path in sorted((REPO / "examples").rglob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and doc.get("kind") == "AgentGraph":
            errors = [e.message for e in validator.iter_errors(doc)]
            assert errors == [], path
            checked += 1
    assert checked >= 2
