"""Fixture tier: CycloneDX and SPDX exports checked by the official validators.

* every record of `examples/registry` (effective and own, alone and with its lineage), and
  every record imported from the project's Hugging Face card fixtures, exported as
  CycloneDX 1.6 and 1.7 and validated with `cyclonedx-python-lib`'s JSON validator (the
  official schemas it ships); as SPDX 3.0.1 and deserialised with `spdx-python-model`
  (every object type-checked, every reference resolved, required properties present);
* the example chain LAION-5B → OpenCLIP → PathCLIP: pedigree, data components,
  dependencies (CycloneDX) and typed packages and relationships (SPDX);
* the validators reject broken documents (so these tests can fail).
"""

from __future__ import annotations

import copy
import json

import pytest

from .interop_support import (
    EXAMPLES,
    assert_valid_cdx,
    cdx_errors,
    load_spdx,
    registry_ids,
    spdx_model,
    spdx_objects,
)

SPEC_VERSIONS = ["1.6", "1.7"]
EXAMPLE_IDS = registry_ids(EXAMPLES)
SPDX_TERMS = "https://spdx.org/rdf/3.0.1/terms/"


def test_the_example_registry_is_there():
    assert len(EXAMPLE_IDS) >= 10, EXAMPLE_IDS
    assert "acme/path-clip@1.0.0" in EXAMPLE_IDS and "laion-5b@1.0.0" in EXAMPLE_IDS


# ---------------------------------------------------------------- CycloneDX


@pytest.mark.parametrize("spec_version", SPEC_VERSIONS)
@pytest.mark.parametrize("rec", EXAMPLE_IDS)
def test_example_records_export_valid_cyclonedx(umr, rec, spec_version):
    for extra in ([], ["--lineage"], ["--own"], ["--own", "--lineage"]):
        text = umr("export", "cyclonedx", rec, "--registry", str(EXAMPLES), "--spec-version", spec_version, *extra).stdout
        bom = assert_valid_cdx(text, spec_version, f"{rec} {' '.join(extra)}")
        root = bom["metadata"]["component"]
        assert root["bom-ref"] == rec
        assert root["type"] in ("machine-learning-model", "data")


def test_cyclonedx_export_is_reproducible(umr):
    a = umr("export", "cyclonedx", "acme/path-clip", "--registry", str(EXAMPLES), "--lineage").stdout
    b = umr("export", "cyclonedx", "acme/path-clip", "--registry", str(EXAMPLES), "--lineage").stdout
    assert a == b
    assert "timestamp" not in json.loads(a)["metadata"]


def test_example_chain_cyclonedx_pedigree(umr):
    text = umr("export", "cyclonedx", "acme/path-clip", "--registry", str(EXAMPLES), "--lineage").stdout
    bom = assert_valid_cdx(text, "1.6", "acme/path-clip lineage")
    root = bom["metadata"]["component"]
    assert (root["group"], root["name"], root["version"]) == ("acme", "path-clip", "1.0.0")
    clip = root["pedigree"]["ancestors"][0]
    assert clip["bom-ref"] == "openclip-vit-b32@1.0.0"
    assert clip["type"] == "machine-learning-model"
    # LAION-5B is a data component with its own (unmitigated) risks as sensitive data
    laion = next(c for c in bom["components"] if c["bom-ref"] == "laion-5b@1.0.0")
    assert laion["type"] == "data"
    assert "csam" in laion["data"][0]["sensitiveData"]
    deps = {d["ref"]: d.get("dependsOn", []) for d in bom["dependencies"]}
    assert deps["acme/path-clip@1.0.0"] == ["openclip-vit-b32@1.0.0"]
    assert deps["openclip-vit-b32@1.0.0"] == ["laion-5b@1.0.0"]
    # the upstream risk reaches PathCLIP, with its chain and the mitigation
    ethical = root["modelCard"]["considerations"]["ethicalConsiderations"]
    csam = next(e for e in ethical if e["name"].startswith("csam"))
    assert "laion-5b@1.0.0" in csam["name"] and "mitigationStrategy" not in csam
    nsfw = next(e for e in ethical if e["name"].startswith("nsfw"))
    assert "safety classifier" in nsfw["mitigationStrategy"]


# ---------------------------------------------------------------- SPDX 3


@pytest.mark.parametrize("rec", EXAMPLE_IDS)
def test_example_records_export_valid_spdx(umr, rec):
    s = spdx_model()
    for extra in ([], ["--lineage"], ["--own"]):
        doc = umr.json("export", "spdx", rec, "--registry", str(EXAMPLES), *extra)
        objset = load_spdx(doc, f"{rec} {' '.join(extra)}")
        name, version = rec.rsplit("@", 1)
        root = objset.find_by_id(f"urn:umr:record:{name}:{version}")
        assert isinstance(root, (s.ai_AIPackage, s.dataset_DatasetPackage)), (rec, type(root))
        assert (root.name, root.software_packageVersion) == (name, version)
        (document,) = spdx_objects(objset, "SpdxDocument")
        assert [r._id for r in document.rootElement] == [root._id]
        ids = [o._id for o in objset.objects if o._id]
        assert len(ids) == len(set(ids)), f"{rec}: duplicate spdxId"


def test_example_chain_spdx_objects(umr):
    s = spdx_model()
    doc = umr.json(
        "export", "spdx", "acme/path-clip", "--registry", str(EXAMPLES), "--lineage",
        "--created", "2024-01-01T00:00:00Z",
    )
    objset = load_spdx(doc, "acme/path-clip lineage")
    path_clip = objset.find_by_id("urn:umr:record:acme/path-clip:1.0.0")
    clip = objset.find_by_id("urn:umr:record:openclip-vit-b32:1.0.0")
    laion = objset.find_by_id("urn:umr:record:laion-5b:1.0.0")
    assert isinstance(path_clip, s.ai_AIPackage) and isinstance(clip, s.ai_AIPackage)
    assert isinstance(laion, s.dataset_DatasetPackage)
    assert path_clip.summary == "PathCLIP"
    assert path_clip.software_primaryPurpose == s.software_SoftwarePurpose.model
    assert laion.software_primaryPurpose == s.software_SoftwarePurpose.data
    assert set(laion.dataset_datasetType) == {s.dataset_DatasetType.image, s.dataset_DatasetType.text}
    # a confirmed critical risk upstream: the worst SPDX level
    assert path_clip.ai_safetyRiskAssessment == s.ai_SafetyRiskAssessmentType.serious
    (creation,) = spdx_objects(objset, "CreationInfo")
    assert creation.specVersion == "3.0.1"
    assert creation.created.year == 2024
    rels = {
        (r.relationshipType.rsplit("/", 1)[-1], r.from_._id, tuple(t._id for t in r.to))
        for r in spdx_objects(objset, "Relationship")
    }
    assert ("trainedOn", clip._id, (laion._id,)) in rels
    assert ("descendantOf", path_clip._id, (clip._id,)) in rels
    licences = {r.from_._id for r in spdx_objects(objset, "Relationship") if r.relationshipType.endswith("/hasDeclaredLicense")}
    assert licences == {path_clip._id, clip._id, laion._id}
    annotations = [a for a in spdx_objects(objset, "Annotation") if "csam" in (a.statement or "")]
    assert annotations, "the CSAM risk is an annotation"
    (document,) = spdx_objects(objset, "SpdxDocument")
    profiles = {p.rsplit("/", 1)[-1] for p in document.profileConformance}
    assert {"core", "software", "simpleLicensing", "ai", "dataset"} <= profiles


# ---------------------------------------------------------------- records imported from the card fixtures


def test_fixture_records_export_valid_cyclonedx_and_spdx(umr, fixture_registry):
    """Every record imported from the project's cards: own exports (their base models are
    not in the folder), CycloneDX 1.6 and 1.7 and SPDX, through the official validators."""
    s = spdx_model()
    ids = registry_ids(fixture_registry)
    assert len(ids) >= 30, ids
    for rec in ids:
        for sv in SPEC_VERSIONS:
            text = umr("export", "cyclonedx", rec, "--registry", str(fixture_registry), "--own", "--spec-version", sv).stdout
            assert_valid_cdx(text, sv, rec)
        doc = umr.json("export", "spdx", rec, "--registry", str(fixture_registry), "--own")
        objset = load_spdx(doc, rec)
        packages = spdx_objects(objset, "ai_AIPackage") + spdx_objects(objset, "dataset_DatasetPackage")
        assert packages, rec
    # a dataset card is a dataset package, a model card an AI package
    doc = umr.json("export", "spdx", "Tidepool-QA", "--registry", str(fixture_registry), "--own")
    objset = load_spdx(doc, "Tidepool-QA")
    (pkg,) = spdx_objects(objset, "dataset_DatasetPackage")
    assert pkg.name == "Tidepool-QA"
    exprs = {e.simplelicensing_licenseExpression for e in spdx_objects(objset, "simplelicensing_LicenseExpression")}
    assert exprs == {"CC-BY-SA-3.0 AND LicenseRef-gfdl"}
    # its source data set is not in the folder: no edge to an element outside the document
    assert [r.relationshipType for r in spdx_objects(objset, "Relationship")] == [s.RelationshipType.hasDeclaredLicense]


def test_tour_card_exports(umr, fixture_registry):
    bom = assert_valid_cdx(
        umr("export", "cyclonedx", "Heron-Med-13B", "--registry", str(fixture_registry), "--own").stdout,
        "1.6", "Heron-Med-13B",
    )
    root = bom["metadata"]["component"]
    assert root["licenses"] == [
        {"license": {"name": "heron-community-licence", "url": "https://example.org/fernhollow/heron/LICENSE"}}
    ]
    metrics = root["modelCard"]["quantitativeAnalysis"]["performanceMetrics"]
    assert [(m["type"], m["value"]) for m in metrics] == [
        ("acc (accuracy)", "61.25"),
        ("acc_norm (normalised accuracy)", "63.5"),
        ("rougeL", "0.412"),
        ("exact_match", "48.0"),
        ("f1", "57.75"),
    ]
    assert metrics[0]["slice"] == "Board Exam QA (multiple choice) (multiple-choice, test)"
    assert root["modelCard"]["modelParameters"]["task"] == "text-generation"
    datasets = root["modelCard"]["modelParameters"]["datasets"]
    assert [d.get("name") for d in datasets] == ["fernhollow/ward-dialogues", "fernhollow/boardexam-qa"]
    s = spdx_model()
    objset = load_spdx(umr.json("export", "spdx", "Heron-Med-13B", "--registry", str(fixture_registry), "--own"), "Heron-Med-13B")
    (ai,) = spdx_objects(objset, "ai_AIPackage")
    assert ai.ai_informationAboutApplication.startswith("Drafting answers")
    metrics = {m.key: m.value for m in ai.ai_metric}
    assert metrics["f1 on Triage Questions (de, test)"] == "57.75"
    assert len(metrics) == 5
    (lic,) = spdx_objects(objset, "simplelicensing_LicenseExpression")
    assert lic.simplelicensing_licenseExpression == "LicenseRef-heron-community-licence"
    assert {d.key: d.value for d in lic.simplelicensing_customIdToUri} == {
        "LicenseRef-heron-community-licence": "https://example.org/fernhollow/heron/LICENSE"
    }
    trained = [r for r in spdx_objects(objset, "Relationship") if r.relationshipType == s.RelationshipType.trainedOn]
    assert not trained, "an own export without the datasets in the folder has no trainedOn edge"


def test_deprecated_spdx_id_exports_as_expression(umr, fixture_registry):
    bom = assert_valid_cdx(
        umr("export", "cyclonedx", "licence-gpl-3", "--registry", str(fixture_registry), "--own").stdout,
        "1.6", "licence-gpl-3",
    )
    assert bom["metadata"]["component"]["licenses"] == [{"expression": "GPL-3.0"}]


# ---------------------------------------------------------------- the validators can fail


def test_validators_reject_broken_documents(umr):
    text = umr("export", "cyclonedx", "acme/path-clip", "--registry", str(EXAMPLES), "--lineage").stdout
    bom = json.loads(text)
    broken = copy.deepcopy(bom)
    broken["metadata"]["component"]["type"] = "neural-network"
    assert any("metadata/component/type" in e for e in cdx_errors(json.dumps(broken), "1.6"))
    broken = copy.deepcopy(bom)
    broken["metadata"]["component"]["modelCard"]["unknownField"] = 1
    assert cdx_errors(json.dumps(broken), "1.7")

    doc = umr.json("export", "spdx", "acme/path-clip", "--registry", str(EXAMPLES), "--lineage")
    for mutate in (
        lambda g: next(e for e in g if e["type"] == "ai_AIPackage").update(ai_safetyRiskAssessment="terrible"),
        lambda g: next(e for e in g if e["type"] == "ai_AIPackage").update(ai_notAProperty="x"),
        lambda g: next(e for e in g if e["type"] == "Relationship").pop("relationshipType"),
        lambda g: next(e for e in g if e["type"] == "Relationship").update(to=["urn:umr:record:nowhere:1.0.0"]),
    ):
        broken = copy.deepcopy(doc)
        mutate(broken["@graph"])
        with pytest.raises(AssertionError):
            load_spdx(broken, "mutated")
