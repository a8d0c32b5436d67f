"""Fixture tier: CycloneDX import of the project's own ML-BOMs (tests/fixtures/cyclonedx).

Each fixture is first checked with the official validator (so the inputs are real
CycloneDX); its import gives the expected records and located warnings; the imported
records validate (`umr validate`) and export again as valid CycloneDX.
"""

from __future__ import annotations

import json

import pytest

from .interop_support import CDX_FIXTURES, assert_valid_cdx, registry_ids

BOMS = sorted(CDX_FIXTURES.glob("*.json"))


def test_there_are_fixture_boms():
    assert {f.name for f in BOMS} >= {
        "ml-bom-1.5.json", "ml-bom-1.6.json", "ml-bom-1.7.json", "data-component-1.6.json", "warnings-1.6.json",
    }


@pytest.mark.parametrize("bom", BOMS, ids=lambda p: p.name)
def test_fixture_bom_is_valid_cyclonedx(bom):
    text = bom.read_text(encoding="utf-8")
    assert_valid_cdx(text, json.loads(text)["specVersion"], bom.name)


@pytest.mark.parametrize("bom", BOMS, ids=lambda p: p.name)
def test_fixture_bom_imports_validates_and_exports(umr, bom, tmp_path):
    out = umr.json("import", "cyclonedx", str(bom), "--format", "json")
    records = out.get("records") or [out["record"]]
    assert records
    for r in records:
        assert r["format_version"] == "1.0" and r["kind"] in ("model", "dataset")
    reg = tmp_path / "reg"
    reg.mkdir()
    umr("import", "cyclonedx", str(bom), "-o", str(reg))
    umr("validate", str(reg))
    ids = registry_ids(reg)
    assert len(ids) == len(records)
    for rec in ids:
        for sv in ("1.6", "1.7"):
            text = umr("export", "cyclonedx", rec, "--registry", str(reg), "--own", "--spec-version", sv).stdout
            assert_valid_cdx(text, sv, f"{bom.name}: {rec}")


def records_of(umr, name: str) -> dict:
    out = umr.json("import", "cyclonedx", str(CDX_FIXTURES / name), "--format", "json")
    return {r["name"]: r for r in (out.get("records") or [out["record"]])}


def test_ml_bom_1_6_maps_the_model_card(umr):
    recs = records_of(umr, "ml-bom-1.6.json")
    assert list(recs) == ["fernhollow/heron-med-13b", "fernhollow/ward-dialogues"]  # the library is not a record
    m = recs["fernhollow/heron-med-13b"]
    assert (m["kind"], m["version"], m["publisher"]) == ("model", "2.1.0", "Fernhollow Labs")
    assert m["license"] == {"id": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"}
    assert m["references"] == ["https://example.org/fernhollow/heron", "https://example.org/fernhollow/heron/paper.pdf"]
    assert m["upstream"] == [
        {"name": "fernhollow/ward-dialogues", "relation": "trained_on"},  # a ref to the data component
        {"name": "fernhollow/boardexam-qa", "relation": "trained_on"},  # an inline data set
        {"name": "fernhollow/heron-13b", "relation": "derived_from"},  # pedigree
    ]
    assert m["details"] == {
        "architecture": "decoder-only, 40 layers", "model_type": "transformer",
        "modalities": {"input": ["text"], "output": ["text"]}, "pipeline_tag": "text-generation",
    }
    assert m["card"]["intended_use"] == ["Drafting answers to exam questions", "Summarising ward notes for review"]
    assert m["card"]["limitations"] == ["Weaker in German than in English", "Longer answers are slower and no more accurate"]
    assert m["card"]["ethical_considerations"][0].endswith("(mitigation: De-identification and a review of samples)")
    assert m["evaluations"][0] == {
        "dataset_name": "boardexam-qa test", "metric": "accuracy", "value": 0.6125,
        "metric_args": {"confidence_interval": {"lowerBound": "0.59", "upperBound": "0.63"}},
    }
    assert m["evaluations"][2] == {"metric": "refusal rate", "value": "low"}  # not a number: text
    kept = m["extensions"]["cyclonedx"]
    assert kept["modelCard"]["considerations"]["fairnessAssessments"][0]["groupAtRisk"] == "patients described in German"
    assert "graphics" in kept["modelCard"]["quantitativeAnalysis"]
    assert kept["properties"] == [{"name": "fernhollow:stage", "value": "beta"}]
    d = recs["fernhollow/ward-dialogues"]
    assert (d["kind"], d["version"]) == ("dataset", "3.0.0")
    assert d["description"].startswith("About 40k invented")
    assert d["license"] == {
        "id": "LicenseRef-Ward-Dialogues-Research-Terms", "name": "Ward Dialogues Research Terms",
        "url": "https://example.org/ward/terms",
    }


def test_ml_bom_1_7_nested_component_and_expression(umr):
    recs = records_of(umr, "ml-bom-1.7.json")
    assert list(recs) == ["fernhollow/kestrel-asr-small", "marsh-speech"]  # the application is not a record
    m = recs["fernhollow/kestrel-asr-small"]
    assert m["version"] == "3.0.0"  # `v3`
    assert m["license"] == "CC-BY-NC-SA-4.0 OR LicenseRef-fernhollow-commercial"
    assert m["upstream"] == [{"name": "marsh-speech", "relation": "trained_on"}]
    assert m["details"]["modalities"] == {"input": ["audio/wav"], "output": ["text/plain"]}
    assert [e["value"] for e in m["evaluations"]] == [12.4, 15.9]
    assert "energyConsumptions" in m["extensions"]["cyclonedx"]["modelCard"]["considerations"]["environmentalConsiderations"]
    assert recs["marsh-speech"]["tags"] == ["speech", "multilingual"]


def test_ml_bom_1_5_and_data_component(umr):
    m = records_of(umr, "ml-bom-1.5.json")["fernhollow/wren-7b"]
    assert m["license"] == "MIT AND LicenseRef-Wren-Acceptable-Use-Policy"
    assert m["references"] == ["https://example.org/git/wren"]  # the urn: reference stays in the extension
    assert m["upstream"] == [{"name": "fernhollow/recipe-steps", "relation": "trained_on"}]
    d = records_of(umr, "data-component-1.6.json")["tidepool-qa"]
    assert (d["kind"], d["version"]) == ("dataset", "2024.1.0")
    assert d["upstream"] == [{"name": "fernhollow/shore-articles", "relation": "derived_from"}]


def test_import_warnings_are_located(umr):
    f = CDX_FIXTURES / "warnings-1.6.json"
    out = umr.json("import", "cyclonedx", str(f), "--format", "json")
    assert out["record"]["name"] == "plover-3b" and out["record"]["version"] == "1.0.0"
    got = [(w["code"], w["path"], w["line"]) for w in out["warnings"]]
    assert got == [
        ("W_CDX_NAME", "components[0]", 6),
        ("W_CDX_VERSION", "components[1].version", 15),
        ("W_CDX_METRIC", "components[1].modelCard.quantitativeAnalysis.performanceMetrics[1]", 20),
    ]
    assert all(w["file"] == str(f) for w in out["warnings"])


def test_name_and_version_options_apply_to_a_single_record(umr):
    out = umr.json(
        "import", "cyclonedx", str(CDX_FIXTURES / "data-component-1.6.json"),
        "--name", "fernhollow/tidepool", "--version", "5.0.0", "--format", "json",
    )
    assert (out["record"]["name"], out["record"]["version"]) == ("fernhollow/tidepool", "5.0.0")


def test_bad_boms_fail_with_codes(umr, tmp_path):
    for text, code in [
        ('{"bomFormat": "SPDX"}', "E_CDX_FORMAT"),
        ('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}', "E_CDX_NO_MODEL"),
        ('{"bomFormat": "CycloneDX",', "E_JSON_SYNTAX"),
    ]:
        f = tmp_path / "bom.json"
        f.write_text(text, encoding="utf-8")
        p = umr("import", "cyclonedx", str(f), "--format", "json", check=False)
        assert p.returncode == 1 and json.loads(p.stdout)["code"] == code, (text, p.stdout)
