"""Interop exports validated by real validators, through the `umr` binary.

- every CycloneDX export (each prototype record with its lineage, spec 1.6 and 1.7) against
  the official CycloneDX JSON schema (with spdx.schema.json / jsf-0.82.schema.json resolved
  from a local `referencing` registry);
- every SPDX 3.0.1 export against the official SPDX 3 JSON schema, and the paper's chain
  against the SHACL model with pyshacl when it is installed;
- every well-formed Hugging Face card: import → export, front matter compared with PyYAML
  (the YAML 1.1 reader of huggingface_hub), exported licence / relation values checked
  against the Hub's lists;
- the malformed cards fail with located diagnostics, the CycloneDX examples import.

The binary is `target/debug/umr` (or $UMR_BIN); the corpus is `../shared/corpus` beside the
checkout (or $UMR_CORPUS). Missing either skips the module with a message.
"""

from __future__ import annotations

import copy
import json
import os
import pathlib
import re
import subprocess

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
CORPUS = pathlib.Path(os.environ.get("UMR_CORPUS", REPO.parent / "shared" / "corpus"))
UMR = pathlib.Path(os.environ.get("UMR_BIN", REPO / "target" / "debug" / "umr"))

if not CORPUS.is_dir():
    pytest.skip(f"corpus not found at {CORPUS}", allow_module_level=True)
if not UMR.is_file():
    pytest.skip(f"umr binary not found at {UMR} (cargo build -p umr-cli)", allow_module_level=True)

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

POC = CORPUS / "modelrecords-poc"
MODEL_CARDS = CORPUS / "hf-model-cards"
DATASET_CARDS = CORPUS / "hf-dataset-cards"

# cards that must not import (error code, line)
BROKEN = {
    "hf_hub-fixture__sample_invalid_card_data.md": ("E_HF_FRONT_MATTER_TYPE", 2),
    "leliuga__llama2-7b-chat-codeCherryPop-qLoRA.md": ("E_HF_UNCLOSED_FRONT_MATTER", 1),
}


def umr(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    p = subprocess.run([str(UMR), *args], capture_output=True, text=True, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"umr {' '.join(args)} exited {p.returncode}:\n{p.stderr}\n{p.stdout}")
    return p


def poc_records() -> list[str]:
    names = []
    for d in sorted(POC.iterdir()):
        if d.is_dir():
            for f in sorted(d.glob("*.yaml")):
                version = f.stem[len(d.name) + 1 :]  # <name>-<version>.yaml
                names.append(f"{d.name}@{version}")
    return names


# ---------------------------------------------------------------- validators


def _registry_of(paths: list[pathlib.Path]):
    from referencing import Registry, Resource

    resources = []
    for p in paths:
        doc = json.loads(p.read_text(encoding="utf-8"))
        resources.append((doc["$id"], Resource.from_contents(doc)))
    return Registry().with_resources(resources)


@pytest.fixture(scope="module")
def cdx_validators():
    schema_dir = CORPUS / "cyclonedx" / "schema"
    reg = _registry_of(
        [schema_dir / "spdx.schema.json", schema_dir / "jsf-0.82.schema.json"]
        + ([schema_dir / "cryptography-defs.schema.json"] if (schema_dir / "cryptography-defs.schema.json").exists() else [])
    )
    out = {}
    for v in ("1.6", "1.7"):
        schema = json.loads((schema_dir / f"bom-{v}.schema.json").read_text(encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema)
        out[v] = cls(schema, registry=reg, format_checker=cls.FORMAT_CHECKER)
    return out


@pytest.fixture(scope="module")
def spdx_schema():
    return json.loads((CORPUS / "spdx3" / "spdx-3.0.1-schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def spdx_validator(spdx_schema):
    """The official schema, whole (slow in Python: seconds per document)."""
    cls = jsonschema.validators.validator_for(spdx_schema)
    return cls(spdx_schema, format_checker=cls.FORMAT_CHECKER)


class SpdxElements:
    """The official schema applied element by element: each `@graph` element against the
    class its `type` names (with `unevaluatedProperties: false`, as `AnyClass` items are),
    plus the document shape; identical elements are checked once. In the `*_derived`
    definitions the alternatives of `anyOf` are reordered so that the reference (IRI / blank
    node) alternative is tried before the ~60 inline-object classes: `anyOf` does not depend
    on the order, but Python `jsonschema` takes seconds per document otherwise. The paper's
    chain is also checked against the unmodified schema, whole."""

    def __init__(self, schema):
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
            out += [f"{t} {el.get('spdxId', el.get('@id'))}: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errs]
            if not errs:
                self.seen.add(key)
        return out


@pytest.fixture(scope="module")
def spdx_elements(spdx_schema):
    return SpdxElements(spdx_schema)


def assert_valid(validator, doc, what: str):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        msgs = "\n".join(f"  {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:10])
        raise AssertionError(f"{what}: {len(errors)} schema error(s)\n{msgs}")


# ---------------------------------------------------------------- CycloneDX


@pytest.mark.parametrize("spec_version", ["1.6", "1.7"])
def test_every_prototype_record_exports_valid_cyclonedx(cdx_validators, spec_version):
    records = poc_records()
    assert len(records) >= 80
    for rec in records:
        for extra in ([], ["--lineage"]):
            p = umr("export", "cyclonedx", rec, "--registry", str(POC), "--spec-version", spec_version, *extra)
            bom = json.loads(p.stdout)
            assert bom["specVersion"] == spec_version
            assert_valid(cdx_validators[spec_version], bom, f"{rec} {extra} CycloneDX {spec_version}")


def test_single_record_cyclonedx_export_is_reproducible():
    a = umr("export", "cyclonedx", "plip", "--registry", str(POC)).stdout
    b = umr("export", "cyclonedx", "plip", "--registry", str(POC)).stdout
    assert a == b


def test_paper_chain_cyclonedx_pedigree(cdx_validators):
    bom = json.loads(umr("export", "cyclonedx", "rrt-mil", "--registry", str(POC), "--lineage").stdout)
    assert_valid(cdx_validators["1.6"], bom, "rrt-mil lineage")
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


def test_cyclonedx_examples_import(tmp_path):
    for f in sorted((CORPUS / "cyclonedx" / "examples").glob("*.json")):
        p = umr("import", "cyclonedx", str(f), "--format", "json")
        out = json.loads(p.stdout)
        records = out.get("records") or [out["record"]]
        assert records, f
        for r in records:
            assert r["format_version"] == "1.0"
            assert r["kind"] in ("model", "dataset")
        # and the imported records validate and re-export
        d = tmp_path / f.stem
        d.mkdir()
        umr("import", "cyclonedx", str(f), "-o", str(d))
        umr("validate", str(d))


# ---------------------------------------------------------------- SPDX 3


def test_every_prototype_record_exports_valid_spdx(spdx_elements):
    for rec in poc_records():
        for extra in ([], ["--lineage"]):
            p = umr("export", "spdx", rec, "--registry", str(POC), *extra)
            doc = json.loads(p.stdout)
            errors = spdx_elements.errors(doc)
            assert not errors, f"{rec} {extra} SPDX:\n" + "\n".join(errors[:10])
            ids = [e.get("spdxId") for e in doc["@graph"] if "spdxId" in e]
            assert len(ids) == len(set(ids)), f"{rec}: duplicate spdxId"
            refs = {x for e in doc["@graph"] if e["type"] == "Relationship" for x in [e["from"], *e["to"]]}
            assert refs <= set(ids), f"{rec}: relationship to an element not in the document"


def test_paper_chain_spdx_trained_on(spdx_validator):
    doc = json.loads(umr("export", "spdx", "rrt-mil", "--registry", str(POC), "--lineage").stdout)
    assert_valid(spdx_validator, doc, "rrt-mil lineage")
    rels = [e for e in doc["@graph"] if e["type"] == "Relationship"]
    assert any(
        r["relationshipType"] == "trainedOn"
        and r["from"] == "urn:umr:record:plip:1.0.0"
        and "urn:umr:record:laion-5b:1.0.0" in r["to"]
        for r in rels
    )
    types = {e["type"] for e in doc["@graph"]}
    assert {"ai_AIPackage", "dataset_DatasetPackage", "SpdxDocument", "Annotation"} <= types


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_paper_chain_spdx_shacl():
    pyshacl = pytest.importorskip("pyshacl", reason="pyshacl is not installed (add it to scripts/requirements-test.txt)")
    import rdflib

    doc = json.loads(
        umr(
            "export", "spdx", "rrt-mil", "--registry", str(POC), "--lineage",
            "--created", "2024-01-01T00:00:00Z", "--namespace", "https://umr.example/spdx/",
        ).stdout
    )
    # resolve the context locally (no network)
    ctx = json.loads((CORPUS / "spdx3" / "spdx-3.0.1-spdx-context.jsonld").read_text(encoding="utf-8"))
    doc["@context"] = ctx["@context"]
    data = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    shapes = rdflib.Graph().parse(str(CORPUS / "spdx3" / "spdx-3.0.1-spdx-model.ttl"), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=shapes, inference="none")
    assert conforms, text


# ---------------------------------------------------------------- Hugging Face cards


def front_matter(text: str):
    """The front matter as huggingface_hub reads it (regex + PyYAML safe_load)."""
    m = re.match(r"^(\s*---[\r\n]+)([\S\s]*?)([\r\n]+---(\r\n|\n|$))", text)
    if not m:
        return {}
    return yaml.safe_load(m.group(2)) or {}


def hub_licenses() -> set[str]:
    md = (CORPUS / "hf-card-specs" / "hub-docs-docs-hub-repositories-licenses.md").read_text(encoding="utf-8")
    return set(re.findall(r"\|\s*`([^`]+)`\s*\|", md))


def well_formed_cards():
    for d in (MODEL_CARDS, DATASET_CARDS):
        for f in sorted(d.glob("*.md")):
            if f.name not in BROKEN:
                yield f


@pytest.mark.parametrize("card", list(well_formed_cards()), ids=lambda p: p.name)
def test_card_round_trip_with_pyyaml(card, tmp_path):
    original = card.read_text(encoding="utf-8")
    kind = ["--kind", "dataset"] if card.parent == DATASET_CARDS else []
    out = json.loads(umr("import", "hf", str(card), "-o", str(tmp_path), "--format", "json", *kind).stdout)
    assert len(out["written"]) == 1
    rec = yaml.safe_load(pathlib.Path(out["written"][0]).read_text(encoding="utf-8"))
    exported = umr("export", "hf", rec["name"], "--registry", str(tmp_path), "--own").stdout
    want = front_matter(original)
    got = front_matter(exported)
    if want:
        assert got == want
        assert list(got) == list(want), "key order"
    umr("validate", str(tmp_path))


def test_exported_front_matter_uses_hub_values():
    licenses = hub_licenses()
    assert {"apache-2.0", "mit", "llama2", "other"} <= licenses
    for rec in poc_records():
        card = umr("export", "hf", rec, "--registry", str(POC)).stdout
        fm = front_matter(card)
        lic = fm.get("license")
        for item in lic if isinstance(lic, list) else [lic] if lic else []:
            assert item in licenses, f"{rec}: licence {item!r} is not a Hub id"
        if lic == "other":
            assert fm.get("license_name"), f"{rec}: `other` needs license_name"
        rel = fm.get("base_model_relation")
        assert rel in (None, "adapter", "merge", "quantized", "finetune"), rec
        for entry in fm.get("model-index", []):
            for res in entry["results"]:
                assert res["task"]["type"]
                assert res["dataset"]["type"] and res["dataset"]["name"]
                for m in res["metrics"]:
                    assert m["type"] and "value" in m


@pytest.mark.parametrize("name,expected", sorted(BROKEN.items()))
def test_malformed_cards_fail_with_located_diagnostics(name, expected):
    p = umr("import", "hf", str(MODEL_CARDS / name), "--format", "json", check=False)
    assert p.returncode == 1
    err = json.loads(p.stdout)
    code, line = expected
    assert err["code"] == code
    assert err["line"] == line and err["column"]


def test_lenient_cards_warn_with_locations():
    cases = {
        "leliuga__Phind-CodeLlama-34B-v2.md": ("W_HF_METRIC_VALUE", 14),
        "leliuga__LMCocktail-phi-2-v1.md": ("W_HF_KEY", 2),
        "leliuga__Sensualize-Mixtral.md": ("W_HF_KEY", 5),
        "hf_hub-fixture__sample_no_metadata.md": ("W_HF_NO_FRONT_MATTER", 1),
        "hf_hub-fixture__sample_windows_line_breaks.md": ("W_HF_CRLF", 1),
    }
    for name, (code, line) in cases.items():
        out = json.loads(umr("import", "hf", str(MODEL_CARDS / name), "--format", "json").stdout)
        assert any(w["code"] == code and w["line"] == line for w in out["warnings"]), (name, out["warnings"])
