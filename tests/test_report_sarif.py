"""SARIF reporter: golden file, official-schema validation (offline), GitHub's subset."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from agentlint.docs import sarif_rule_metadata
from referencing import Registry
from referencing.exceptions import NoSuchResource

from agentlint import __version__
from agentlint.docs import family, rule_page
from agentlint.findings import Finding, Location, RunResult, Severity
from agentlint.model.source import Pos, Span
from agentlint.registry import all_rules
from agentlint.report import render
from agentlint.report import sarif
from tests.test_reporters import GOLDEN, canonical

SCHEMA_PATH = Path(__file__).parent / "sarif" / "sarif-schema-2.1.0.json"


def docs_provider(code: str) -> sarif.RuleMetadata | None:
    """What the CLI installs: metadata from the registry and the rule pages."""
    return sarif_rule_metadata(code)  # type: ignore[return-value]


@pytest.fixture(autouse=True)
def _no_provider() -> Iterator[None]:
    sarif.set_rule_metadata_provider(None)
    yield
    sarif.set_rule_metadata_provider(None)


@pytest.fixture
def with_docs() -> None:
    sarif.set_rule_metadata_provider(docs_provider)


def _refuse(uri: str) -> Any:
    raise NoSuchResource(ref=uri)


def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    # The OASIS schema declares draft-04; it has only local "#/definitions/..." references.
    assert cls is jsonschema.Draft4Validator
    cls.check_schema(schema)
    return cls(schema, registry=Registry(retrieve=_refuse), format_checker=cls.FORMAT_CHECKER)


def _errors(document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(document)]


def security_result() -> RunResult:
    finding = Finding(
        code="AL202",
        name="literal-secret",
        severity=Severity.ERROR,
        message="literal API key in env 'OPENAI_API_KEY'",
        location=Location(".vscode/mcp.json", Span(Pos(5, 9), Pos(5, 40))),
        fingerprint="fp-secret",
    )
    return RunResult(findings=(finding,), files_checked=1)


def test_golden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("agentlint.__version__", "0.0.0-test")
    first = render("sarif", canonical())
    second = render("sarif", canonical())
    assert first == second
    output = first.encode("utf-8")
    path = GOLDEN / "canonical.sarif"
    if os.environ.get("AGENTLINT_UPDATE") == "1":
        path.write_bytes(output)
    assert output == path.read_bytes()
    assert _errors(json.loads(output)) == []


def test_schema_file_is_the_oasis_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert "$ref\": \"http" not in SCHEMA_PATH.read_text("utf-8")  # nothing to fetch


def test_validator_rejects_invalid_logs() -> None:
    doc = json.loads(render("sarif", canonical()))
    assert _errors(doc) == []
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert _errors(doc)
    bad_level = json.loads(render("sarif", canonical()))
    bad_level["runs"][0]["results"][0]["level"] = "info"
    assert _errors(bad_level)


@pytest.mark.parametrize("show_suppressed", [False, True])
@pytest.mark.parametrize("provider", [False, True])
def test_real_output_validates_against_official_schema(show_suppressed: bool, provider: bool) -> None:
    if provider:
        sarif.set_rule_metadata_provider(docs_provider)
    for result in (canonical(), security_result(), RunResult(findings=())):
        doc = json.loads(render("sarif", result, show_suppressed=show_suppressed))
        assert _errors(doc) == []


def test_document_shape() -> None:
    result = canonical()
    text = render("sarif", result)
    assert text.endswith("}\n")
    doc = json.loads(text)
    assert json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    [run] = doc["runs"]
    assert run["automationDetails"] == {"id": "agentlint/"}
    driver = run["tool"]["driver"]
    assert driver["name"] == "agentlint"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == sorted({f.code for f in result.findings})  # only rules with results
    results = run["results"]
    assert [r["ruleId"] for r in results] == [f.code for f in result.findings]
    for item, finding in zip(results, result.findings, strict=True):
        assert rule_ids[item["ruleIndex"]] == finding.code
        assert item["level"] == {"error": "error", "warning": "warning", "info": "note"}[
            finding.severity.value
        ]
        assert item["message"]["text"] == finding.message
        assert item["partialFingerprints"] == {"agentlintFingerprint/v1": finding.fingerprint}
        [location] = item["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": finding.path, "uriBaseId": "%SRCROOT%"}
        region = physical["region"]
        span = finding.location.span
        assert region == {
            "startLine": span.start.line,
            "startColumn": span.start.column,
            "endLine": span.end.line,
            "endColumn": span.end.column,
        }
        assert (region["endLine"], region["endColumn"]) >= (
            region["startLine"],
            region["startColumn"],
        )
        assert "suppressions" not in item
    related = results[0]["relatedLocations"]
    assert [(r["id"], r["message"]["text"]) for r in related] == [
        (0, "declared here"),
        (1, "used by: crew [main]"),
    ]
    assert related[1]["physicalLocation"]["region"] == {
        "startLine": 4,
        "startColumn": 3,
        "endLine": 4,
        "endColumn": 9,
    }


def test_rule_metadata_from_the_provider(with_docs: None) -> None:
    doc = json.loads(render("sarif", canonical()))
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    for code, descriptor in rules.items():
        rule = all_rules()[code]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"] == {"text": rule.summary}
        first_paragraph = rule.doc_sections().split("\n\n")[0]
        assert descriptor["fullDescription"]["text"] == " ".join(first_paragraph.split())
        assert descriptor["help"] == {"text": rule_page(rule), "markdown": rule_page(rule)}
        level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.value]
        assert descriptor["defaultConfiguration"] == {"level": level}
        assert descriptor["properties"]["tags"] == [family(rule), f"checklist-{rule.checklist.number}"]
        assert "security-severity" not in descriptor["properties"]
        # GitHub: no empty strings in required properties.
        for key in ("shortDescription", "fullDescription", "help"):
            assert descriptor[key]["text"].strip()


def test_rule_metadata_without_provider() -> None:
    doc = json.loads(render("sarif", canonical()))
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    first = {f.code: f for f in reversed(canonical().findings)}
    for descriptor in rules:
        finding = first[descriptor["id"]]
        assert descriptor["name"] == finding.name
        assert f"agentlint rule {finding.code}" in descriptor["help"]["text"]
        assert descriptor["shortDescription"]["text"].strip()
        assert descriptor["fullDescription"]["text"].strip()
        assert "properties" not in descriptor


@pytest.mark.parametrize("provider", [False, True])
def test_security_severity(provider: bool) -> None:
    if provider:
        sarif.set_rule_metadata_provider(docs_provider)
    assert sarif.SECURITY_SEVERITY == {
        "AL202": "8.0",
        "AL203": "7.5",
        "AL204": "7.5",
        "AL205": "6.5",
        "AL206": "7.0",
        "AL207": "8.0",
        "AL218": "7.0",
        "AL222": "8.0",
        "AL224": "8.0",
        "AL408": "8.0",
    }
    assert set(sarif.SECURITY_SEVERITY) <= set(all_rules())
    doc = json.loads(render("sarif", security_result()))
    [rule] = doc["runs"][0]["tool"]["driver"]["rules"]
    assert rule["properties"]["security-severity"] == "8.0"
    assert rule["properties"]["tags"].count("security") == 1
    if provider:
        assert rule["properties"]["tags"][:2] == ["tools", "checklist-1.3.2"]
        assert rule["name"] == "literal-secret"
    for score in sarif.SECURITY_SEVERITY.values():
        assert 0.1 <= float(score) <= 10.0


def test_suppressed_findings() -> None:
    hidden = json.loads(render("sarif", canonical()))
    assert {r["ruleId"] for r in hidden["runs"][0]["results"]} == {"AL001", "AL101", "AL201", "AL301"}
    shown = json.loads(render("sarif", canonical(), show_suppressed=True))
    results = shown["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["AL101", "AL201", "AL102", "AL301", "AL103", "AL001"]
    suppressions = {r["ruleId"]: r.get("suppressions") for r in results}
    assert suppressions["AL102"] == [
        {"kind": "inSource", "status": "accepted", "justification": "legacy agent: see ticket #42"}
    ]
    assert suppressions["AL103"] == [{"kind": "inSource", "status": "underReview"}]
    assert suppressions["AL101"] is None


def test_empty_and_point_spans() -> None:
    finding = Finding(
        code="AL001",
        name="syntax-error",
        severity=Severity.ERROR,
        message="x",
        location=Location("a.yaml", Span.point(3, 1)),
        fingerprint="fp",
    )
    doc = json.loads(render("sarif", RunResult(findings=(finding,))))
    region = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 1}
    empty = json.loads(render("sarif", RunResult(findings=())))
    assert empty["runs"][0]["results"] == []
    assert empty["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_does_not_import_rich() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from agentlint.findings import RunResult\n"
        "from agentlint.report import render\n"
        "render('sarif', RunResult(findings=())); render('github', RunResult(findings=()))\n"
        "assert 'rich' not in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
