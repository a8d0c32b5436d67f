"""Corpus tier (`-m corpus`): the same checks on third-party documents, when the corpus is
present ($UMR_CORPUS, else ../shared/corpus beside the checkout); every test here is
skipped with a reason otherwise.

* the 88 prototype records (modelrecords-poc), alone and with their lineage: CycloneDX 1.6
  and 1.7 through `cyclonedx-python-lib`, SPDX through `spdx-python-model` and, element by
  element, the official SPDX 3.0.1 JSON schema of the corpus; the paper's chain
  LAION-5B → PLIP → RRT-MIL against the whole schema and the SHACL model (pyshacl);
* every well-formed Hugging Face card of the corpus: import → export, front matter compared
  with PyYAML; licences of exported cards checked against the Hub's licence list;
* the corpus's malformed cards fail or warn with located diagnostics; the official
  CycloneDX ML examples import.
"""

from __future__ import annotations

import copy
import json
import pathlib
import re

import pytest
import yaml

from .interop_support import CORPUS, assert_valid_cdx, front_matter, load_spdx, spdx_objects

pytestmark = pytest.mark.corpus

POC = CORPUS / "modelrecords-poc"
MODEL_CARDS = CORPUS / "hf-model-cards"
DATASET_CARDS = CORPUS / "hf-dataset-cards"

# cards of the corpus that must not import (error code, line)
BROKEN = {
    "hf_hub-fixture__sample_invalid_card_data.md": ("E_HF_FRONT_MATTER_TYPE", 2),
    "leliuga__llama2-7b-chat-codeCherryPop-qLoRA.md": ("E_HF_UNCLOSED_FRONT_MATTER", 1),
}
LENIENT = {
    "leliuga__Phind-CodeLlama-34B-v2.md": ("W_HF_METRIC_VALUE", 14),
    "leliuga__LMCocktail-phi-2-v1.md": ("W_HF_KEY", 2),
    "leliuga__Sensualize-Mixtral.md": ("W_HF_KEY", 5),
    "hf_hub-fixture__sample_no_metadata.md": ("W_HF_NO_FRONT_MATTER", 1),
    "hf_hub-fixture__sample_windows_line_breaks.md": ("W_HF_CRLF", 1),
    "leliuga__KAI-7B-Instruct.md": ("W_HF_YAML_INDENT", 13),
    "cs236-diffusers-fork__logo-output-gpt_gen_desc_logos.md": ("W_HF_LEADING_BLANK", 1),
    "hf_hub-fixture__sample_invalid_model_index.md": ("W_HF_MODEL_INDEX", 15),
}


def poc_records() -> list:
    if not POC.is_dir():
        return []
    names = []
    for d in sorted(POC.iterdir()):
        if d.is_dir():
            for f in sorted(d.glob("*.yaml")):
                names.append(f"{d.name}@{f.stem[len(d.name) + 1:]}")  # <name>-<version>.yaml
    return names


def params(values: list, ids=None) -> list:
    """Parameters over corpus files; one placeholder (skipped with the corpus reason) when
    the corpus is absent, so that the skip says why."""
    if values:
        return [pytest.param(v, id=ids(v) if ids else None) for v in values]
    return [pytest.param(None, id="corpus-absent")]


# ---------------------------------------------------------------- prototype records


@pytest.mark.parametrize("spec_version", ["1.6", "1.7"])
def test_every_prototype_record_exports_valid_cyclonedx(umr, spec_version):
    records = poc_records()
    assert len(records) >= 80
    for rec in records:
        for extra in ([], ["--lineage"]):
            text = umr("export", "cyclonedx", rec, "--registry", str(POC), "--spec-version", spec_version, *extra).stdout
            assert_valid_cdx(text, spec_version, f"{rec} {extra}")


class SpdxElements:
    """The corpus's official SPDX 3.0.1 JSON schema applied element by element: each
    `@graph` element against the class its `type` names (with `unevaluatedProperties:
    false`, as `AnyClass` items are), plus the document shape; identical elements are checked
    once. In the `*_derived` definitions the alternatives of `anyOf` are reordered so that the
    reference (IRI / blank node) alternative is tried before the ~60 inline-object classes:
    `anyOf` does not depend on the order, but Python `jsonschema` takes seconds per document
    otherwise. The paper's chain is also checked against the unmodified schema, whole."""

    def __init__(self, schema):
        import jsonschema

        schema = copy.deepcopy(schema)
        for name, d in schema["$defs"].items():
            if name.endswith("_derived") and isinstance(d.get("anyOf"), list):
                d["anyOf"].sort(key=lambda b: 1 if b.get("type") == "object" else 0)
        self.schema = schema
        self.cls = jsonschema.validators.validator_for(schema)
        self.by_type = {}
        self.seen = set()
        top = {"$schema": schema["$schema"], "properties": schema["properties"], "required": schema["required"]}
        self.top = self.cls(top)

    def errors(self, doc):
        out = [f"document: {e.message}" for e in self.top.iter_errors(doc)]
        if not isinstance(doc.get("@graph"), list):
            return out + ["document: no @graph"]
        for el in doc["@graph"]:
            key = json.dumps(el, sort_keys=True)
            if key in self.seen:
                continue
            t = el.get("type")
            if t not in self.schema["$defs"]:
                out.append(f"unknown type {t!r}")
                continue
            if t not in self.by_type:
                sub = {
                    "$schema": self.schema["$schema"],
                    "$defs": self.schema["$defs"],
                    "type": "object",
                    "$ref": f"#/$defs/{t}",
                    "unevaluatedProperties": False,
                }
                self.by_type[t] = self.cls(sub, format_checker=self.cls.FORMAT_CHECKER)
            errs = list(self.by_type[t].iter_errors(el))
            out += [
                f"{t} {el.get('spdxId', el.get('@id'))}: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
                for e in errs
            ]
            if not errs:
                self.seen.add(key)
        return out


@pytest.fixture(scope="module")
def spdx_schema():
    return json.loads((CORPUS / "spdx3" / "spdx-3.0.1-schema.json").read_text(encoding="utf-8"))


def test_every_prototype_record_exports_valid_spdx(umr, spdx_schema):
    elements = SpdxElements(spdx_schema)
    records = poc_records()
    assert len(records) >= 80
    for rec in records:
        for extra in ([], ["--lineage"]):
            doc = umr.json("export", "spdx", rec, "--registry", str(POC), *extra)
            load_spdx(doc, f"{rec} {extra}")
            errors = elements.errors(doc)
            assert not errors, f"{rec} {extra} SPDX JSON schema:\n" + "\n".join(errors[:10])
            ids = [e.get("spdxId") for e in doc["@graph"] if "spdxId" in e]
            assert len(ids) == len(set(ids)), f"{rec}: duplicate spdxId"


def test_official_spdx_example_loads():
    """The validator itself accepts the SPDX project's own example."""
    for f in sorted((CORPUS / "spdx3" / "examples").glob("*.json")):
        load_spdx(json.loads(f.read_text(encoding="utf-8")), f.name)


def test_paper_chain_cyclonedx_pedigree(umr):
    text = umr("export", "cyclonedx", "rrt-mil", "--registry", str(POC), "--lineage").stdout
    bom = assert_valid_cdx(text, "1.6", "rrt-mil lineage")
    root = bom["metadata"]["component"]
    assert root["name"] == "rrt-mil"
    plip = root["pedigree"]["ancestors"][0]
    assert plip["name"] == "plip"
    refs = [d.get("ref") for d in plip["modelCard"]["modelParameters"]["datasets"]]
    assert "laion-5b@1.0.0" in refs
    laion = next(c for c in bom["components"] if c["bom-ref"] == "laion-5b@1.0.0")
    assert laion["type"] == "data"
    deps = {d["ref"]: d.get("dependsOn", []) for d in bom["dependencies"]}
    assert "laion-5b@1.0.0" in deps["plip@1.0.0"]
    assert "plip@1.0.0" in deps["rrt-mil@1.0.0"]


def test_paper_chain_spdx_whole_schema(umr, spdx_schema):
    import jsonschema

    doc = umr.json("export", "spdx", "rrt-mil", "--registry", str(POC), "--lineage")
    cls = jsonschema.validators.validator_for(spdx_schema)
    errors = sorted(cls(spdx_schema, format_checker=cls.FORMAT_CHECKER).iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:10])
    objset = load_spdx(doc, "rrt-mil lineage")
    rels = {
        (r.relationshipType.rsplit("/", 1)[-1], r.from_._id, tuple(t._id for t in r.to))
        for r in spdx_objects(objset, "Relationship")
    }
    assert ("trainedOn", "urn:umr:record:plip:1.0.0", ("urn:umr:record:laion-5b:1.0.0",)) in rels
    types = {type(o).__name__ for o in objset.objects}
    assert {"ai_AIPackage", "dataset_DatasetPackage", "SpdxDocument", "Annotation"} <= types


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_paper_chain_spdx_shacl(umr):
    pyshacl = pytest.importorskip("pyshacl", reason="pyshacl is not installed (scripts/requirements-test.txt)")
    import rdflib

    doc = umr.json(
        "export", "spdx", "rrt-mil", "--registry", str(POC), "--lineage",
        "--created", "2024-01-01T00:00:00Z", "--namespace", "https://umr.example/spdx/",
    )
    # resolve the context locally (no network)
    ctx = json.loads((CORPUS / "spdx3" / "spdx-3.0.1-spdx-context.jsonld").read_text(encoding="utf-8"))
    doc["@context"] = ctx["@context"]
    data = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    shapes = rdflib.Graph().parse(str(CORPUS / "spdx3" / "spdx-3.0.1-spdx-model.ttl"), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=shapes, inference="none")
    assert conforms, text


# ---------------------------------------------------------------- Hugging Face cards


def hub_licenses() -> set:
    md = (CORPUS / "hf-card-specs" / "hub-docs-docs-hub-repositories-licenses.md").read_text(encoding="utf-8")
    return set(re.findall(r"\|\s*`([^`]+)`\s*\|", md))


def well_formed_cards() -> list:
    out = []
    for d in (MODEL_CARDS, DATASET_CARDS):
        if d.is_dir():
            out += [f for f in sorted(d.glob("*.md")) if f.name not in BROKEN]
    return out


@pytest.mark.parametrize("card", params(well_formed_cards(), ids=lambda p: p.name))
def test_card_round_trip_with_pyyaml(umr, card, tmp_path):
    original = card.read_text(encoding="utf-8")
    kind = ["--kind", "dataset"] if card.parent == DATASET_CARDS else []
    out = umr.json("import", "hf", str(card), "-o", str(tmp_path), "--format", "json", *kind)
    assert len(out["written"]) == 1
    rec = yaml.safe_load(pathlib.Path(out["written"][0]).read_text(encoding="utf-8"))
    exported = umr("export", "hf", rec["name"], "--registry", str(tmp_path), "--own").stdout
    want = front_matter(original)
    got = front_matter(exported)
    if want:
        assert got == want
        assert list(got) == list(want), "key order"
    umr("validate", str(tmp_path))


def test_corpus_has_its_cards():
    assert len(well_formed_cards()) >= 50


def test_exported_front_matter_uses_hub_values(umr):
    licenses = hub_licenses()
    assert {"apache-2.0", "mit", "llama2", "other"} <= licenses
    for rec in poc_records():
        fm = front_matter(umr("export", "hf", rec, "--registry", str(POC)).stdout)
        lic = fm.get("license")
        for item in lic if isinstance(lic, list) else [lic] if lic else []:
            assert item in licenses, f"{rec}: licence {item!r} is not a Hub id"
        if lic == "other":
            assert fm.get("license_name"), f"{rec}: `other` needs license_name"
        assert fm.get("base_model_relation") in (None, "adapter", "merge", "quantized", "finetune"), rec
        for entry in fm.get("model-index", []):
            for res in entry["results"]:
                assert res["task"]["type"]
                assert res["dataset"]["type"] and res["dataset"]["name"]
                for m in res["metrics"]:
                    assert m["type"] and "value" in m


def test_fixture_licences_are_hub_ids(umr):
    """The licence ids of the project's own card fixtures that import without W_HF_LICENSE
    are in the Hub's list (checks the fixtures against the corpus's copy of the Hub docs)."""
    from .interop_support import card_cases

    licenses = hub_licenses()
    for case in card_cases():
        if case.error or any(c == "W_HF_LICENSE" for c, _ in case.warnings):
            continue
        lic = front_matter(case.path.read_text(encoding="utf-8")).get("license")
        for item in lic if isinstance(lic, list) else [lic] if isinstance(lic, str) else []:
            assert item in licenses, f"{case.name}: {item!r}"


@pytest.mark.parametrize("name,expected", sorted(BROKEN.items()))
def test_malformed_cards_fail_with_located_diagnostics(umr, name, expected):
    p = umr("import", "hf", str(MODEL_CARDS / name), "--format", "json", check=False)
    assert p.returncode == 1
    err = json.loads(p.stdout)
    code, line = expected
    assert err["code"] == code
    assert err["line"] == line and err["column"]


@pytest.mark.parametrize("name,expected", sorted(LENIENT.items()))
def test_lenient_cards_warn_with_locations(umr, name, expected):
    out = umr.json("import", "hf", str(MODEL_CARDS / name), "--format", "json")
    code, line = expected
    assert any(w["code"] == code and w["line"] == line for w in out["warnings"]), out["warnings"]


# ---------------------------------------------------------------- CycloneDX examples


def test_cyclonedx_examples_import(umr, tmp_path):
    files = sorted((CORPUS / "cyclonedx" / "examples").glob("*.json"))
    assert len(files) >= 6
    for f in files:
        out = umr.json("import", "cyclonedx", str(f), "--format", "json")
        records = out.get("records") or [out["record"]]
        assert records, f
        for r in records:
            assert r["format_version"] == "1.0"
            assert r["kind"] in ("model", "dataset")
        d = tmp_path / f.stem
        d.mkdir()
        umr("import", "cyclonedx", str(f), "-o", str(d))
        umr("validate", str(d))

