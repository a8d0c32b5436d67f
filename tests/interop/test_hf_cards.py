"""Fixture tier: Hugging Face cards through the `umr` binary, read back with PyYAML (the
YAML 1.1 reader `huggingface_hub` uses).

* every card of tests/fixtures/hf gives exactly the diagnostics FEATURES.tsv lists (an
  error with its line, or these warnings and no others);
* every importable card: import → export gives the same front matter (values and key
  order, read with PyYAML) and the same body; the exported card imports to the same record;
* the licence forms, base-model relations, model-index and unknown keys map as documented;
* cards exported from the example registry have the Hub's required shapes;
* the README tour command works on the tour fixture.
"""

from __future__ import annotations

import json
import pathlib
import re

import pytest
import yaml

from .interop_support import (
    EXAMPLES,
    HF_FIXTURES,
    MODEL_CARDS,
    REPO,
    CardCase,
    card_cases,
    front_matter,
    registry_ids,
)

CASES = card_cases()
IMPORTABLE = [c for c in CASES if c.error is None]


def case_id(c: CardCase) -> str:
    return c.name


def body_of(text: str) -> str:
    """The Markdown after the front matter (the whole text without one), with `\\n` ends."""
    text = text.replace("\r\n", "\n")
    m = re.match(r"^(\s*---\n)([\S\s]*?)(\n---(\n|$))", text)
    return text[m.end():] if m else text


def test_features_table_lists_every_fixture_card():
    listed = {c.path for c in CASES}
    on_disk = set(HF_FIXTURES.glob("*-cards/*.md"))
    assert listed == on_disk, {"not listed": sorted(map(str, on_disk - listed)), "missing": sorted(map(str, listed - on_disk))}
    assert len(IMPORTABLE) >= 30 and len(CASES) - len(IMPORTABLE) >= 8


def test_fixtures_cover_every_documented_diagnostic():
    """docs/interop.md, "Malformed cards": each reported code has a fixture card."""
    codes = {code for c in CASES for code, _ in c.diagnostics}
    assert {
        "E_HF_FRONT_MATTER_TYPE", "E_HF_UNCLOSED_FRONT_MATTER", "E_YAML_SYNTAX", "E_DUPLICATE_KEY",
        "E_YAML_COMPLEX_KEY", "E_YAML_MULTI_DOC", "E_LIMIT_DEPTH",
        "W_HF_NO_FRONT_MATTER", "W_HF_LEADING_BLANK", "W_HF_CRLF", "W_HF_YAML_INDENT",
        "W_HF_METRIC_VALUE", "W_HF_KEY", "W_HF_LICENSE", "W_HF_MODEL_INDEX", "W_HF_RELATION",
        "W_HF_NAME", "W_HF_SELF_REFERENCE", "W_HF_VALUE",
    } <= codes, codes


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_card_import_gives_the_listed_diagnostics(umr, case):
    p = umr("import", "hf", str(case.path), "--format", "json", *case.options, check=False)
    out = json.loads(p.stdout)
    if case.error:
        assert p.returncode == 1, (case.name, p.stdout)
        assert (out["code"], out["line"]) == case.error, out["message"]
        assert out["column"] and out["column"] >= 1
        assert all(d["file"] == str(case.path) for d in out["diagnostics"]), out["diagnostics"]
        assert out["message"].startswith(f"{case.path}:{case.error[1]}:")
        return
    assert p.returncode == 0, p.stdout + p.stderr
    got = sorted((w["code"], w["line"]) for w in out["warnings"])
    assert got == sorted(case.warnings), out["warnings"]
    for w in out["warnings"]:
        assert w["severity"] == "warning" and w["column"] >= 1 and w["file"] == str(case.path), w
    assert out["record"]["kind"] == case.kind


@pytest.mark.parametrize("case", IMPORTABLE, ids=case_id)
def test_card_round_trip_with_pyyaml(umr, case, tmp_path):
    original = case.path.read_bytes().decode("utf-8")
    out = umr.json("import", "hf", str(case.path), "-o", str(tmp_path), "--format", "json", *case.options)
    (written,) = out["written"]
    rec = yaml.safe_load(pathlib.Path(written).read_text(encoding="utf-8"))
    exported = umr("export", "hf", rec["name"], "--registry", str(tmp_path), "--own").stdout
    want, got = front_matter(original), front_matter(exported)
    assert got == want
    assert list(got) == list(want), "key order"
    assert body_of(exported) == body_of(original)
    if want:
        assert exported.startswith("---\n") and "\r" not in exported
    # the exported card reads back as the same record, without warnings
    again = tmp_path / "again.md"
    again.write_text(exported, encoding="utf-8")
    first = umr.json("import", "hf", str(case.path), "--format", "json", *case.options)
    back = umr.json("import", "hf", str(again), "--name", rec["name"], "--format", "json", *case.options)
    assert back["record"] == first["record"]
    lenient_layout = {"W_HF_NO_FRONT_MATTER"}
    assert [w for w in back["warnings"] if w["code"] not in {c for c, _ in case.warnings} | lenient_layout] == []
    umr("validate", written)


# ---------------------------------------------------------------- mapped fields


def imported(umr, name: str, *opts: str) -> dict:
    return umr.json("import", "hf", str(HF_FIXTURES / name), "--format", "json", *opts)["record"]


LICENCES = {
    "model-cards/wren-7b-lora.md": "Apache-2.0",
    "model-cards/starling-merge-9b.md": "MIT",
    "model-cards/kestrel-empty-base.md": "MIT",
    "model-cards/licence-gpl-3.md": "GPL-3.0",
    "model-cards/licence-other-alone.md": {"id": "LicenseRef-other", "name": "Other"},
    "model-cards/licence-unknown.md": {"id": "LicenseRef-unknown", "name": "Unknown"},
    "model-cards/licence-family-bsd.md": {"id": "LicenseRef-bsd", "name": "BSD license family"},
    "model-cards/licence-relative-link.md": {"id": "LicenseRef-tern-research-licence", "name": "tern-research-licence"},
    "model-cards/licence-name-only.md": {
        "id": "LicenseRef-plover-data-terms", "name": "plover-data-terms", "url": "https://example.org/plover/terms",
    },
    "model-cards/heron-med-13b.md": {
        "id": "LicenseRef-heron-community-licence", "name": "heron-community-licence",
        "url": "https://example.org/fernhollow/heron/LICENSE",
    },
    "model-cards/lenient-licence-not-listed.md": "LicenseRef-fernhollow-special-1.0",
    "dataset-cards/tidepool-qa.md": "CC-BY-SA-3.0 AND LicenseRef-gfdl",
    "dataset-cards/marsh-speech.md": "CC0-1.0",
}


@pytest.mark.parametrize("name,licence", sorted(LICENCES.items()))
def test_licence_forms(umr, name, licence):
    assert imported(umr, name).get("license") == licence


def test_hub_licence_ids_without_spdx_id(umr):
    for name, ref, title in [
        ("model-cards/licence-hub-id-llama2.md", "LicenseRef-llama2", "Llama 2 Community License Agreement"),
        ("model-cards/wren-7b-q4.md", "LicenseRef-llama3.1", "Llama 3.1 Community License Agreement"),
        ("model-cards/ibis-keys-kept.md", "LicenseRef-openrail-plus-plus", None),
    ]:
        lic = imported(umr, name)["license"]
        assert lic["id"] == ref and lic["url"].startswith("https://"), lic
        if title:
            assert lic["name"] == title


def test_base_model_relations(umr):
    def ups(name):
        return [(u["name"], u["relation"]) for u in imported(umr, name)["upstream"]]

    assert ups("model-cards/heron-med-13b.md") == [
        ("fernhollow/heron-13b", "finetune"),
        ("fernhollow/ward-dialogues", "trained_on"),
        ("fernhollow/boardexam-qa", "trained_on"),
    ]
    assert ups("model-cards/wren-7b-lora.md") == [("fernhollow/wren-7b", "adapter"), ("fernhollow/recipe-steps", "trained_on")]
    assert ups("model-cards/wren-7b-q4.md") == [("fernhollow/wren-7b", "quantized")]
    assert ups("model-cards/starling-merge-9b.md") == [
        ("fernhollow/starling-4b-chat", "merge"), ("fernhollow/starling-4b-code", "merge"),
    ]
    assert [r for _, r in ups("model-cards/starling-slerp-3way.md")] == ["merge"] * 3
    assert ups("model-cards/kestrel-asr-small.md") == [
        ("fernhollow/kestrel-asr-base", "finetune"), ("fernhollow/harbour-speech", "trained_on"),
    ]
    assert ups("model-cards/lenient-relation.md") == [("fernhollow/wren-7b", "finetune")]
    assert ups("model-cards/lenient-base-model-names.md") == [
        ("fernhollow/plover-3b-draft", "merge"), ("fernhollow/plover-1b", "merge"),
    ]
    assert "upstream" not in imported(umr, "model-cards/kestrel-empty-base.md")
    assert ups("dataset-cards/tidepool-qa.md") == [("fernhollow/shore-articles", "derived_from")]
    assert "upstream" not in imported(umr, "dataset-cards/marsh-speech.md")  # `original` only


def test_model_index_and_details(umr):
    r = imported(umr, "model-cards/heron-med-13b.md")
    assert (r["name"], r["title"]) == ("Heron-Med-13B", "Heron Med 13B")
    ev = r["evaluations"]
    assert len(ev) == 5
    assert ev[0] == {
        "task": "text-generation", "task_name": "Text Generation",
        "dataset": "fernhollow/boardexam-qa", "dataset_name": "Board Exam QA (multiple choice)",
        "dataset_config": "multiple-choice", "dataset_split": "test", "dataset_revision": "3f2a91c",
        "dataset_args": {"num_few_shot": 5},
        "metric": "acc", "metric_name": "accuracy", "value": 61.25,
        "source": "https://example.org/fernhollow/heron/evaluation", "source_name": "Fernhollow evaluation report",
    }
    assert ev[1]["verified"] is False
    assert ev[4]["metric_args"] == {"threshold": 0.5}
    assert {e["task"] for e in ev} == {"text-generation", "question-answering"}
    assert r["details"] == {"languages": ["en", "de"], "library": "transformers", "pipeline_tag": "text-generation"}
    assert set(r["card"]) == {
        "intended_use", "out_of_scope_use", "limitations", "recommendations", "training_data",
        "evaluation_data", "ethical_considerations", "additional_information",
    }
    assert "not a heading" in r["card"]["training_data"]  # a `#` line inside a code fence
    assert list(r["extensions"]["hf"])[:4] == [
        "extra_gated_heading", "extra_gated_description", "extra_gated_button_content", "extra_gated_fields",
    ]
    k = imported(umr, "model-cards/kestrel-asr-small.md")
    assert k["details"]["co2_eq_emissions"]["emissions"] == 42.5
    assert [(e["dataset_config"], e["metric"], e["value"]) for e in k["evaluations"]] == [
        ("fr", "wer", 12.4), ("nl", "wer", 15.9), ("nl", "cer", 6.1),
    ]
    assert "title" not in imported(umr, "model-cards/starling-slerp-3way.md")  # two model-index entries
    m = imported(umr, "model-cards/lenient-metric-percent.md")
    assert [e["value"] for e in m["evaluations"]] == ["73.8%", "B+", 0.5]


def test_unknown_keys_are_kept_in_order(umr):
    r = imported(umr, "model-cards/ibis-keys-kept.md")
    assert list(r["extensions"]["hf"]) == [
        "new_version", "thumbnail", "widget", "deployment", "release_stage", "reviewers", "internal_score",
    ]
    assert r["extensions"]["hf"]["deployment"] == {"runtime": "onnx", "min_memory_gb": 6, "regions": ["north", "south"]}
    d = imported(umr, "model-cards/lenient-dash-license.md")
    assert "license" not in d and list(d["extensions"]["hf"]) == ["-license", "-license_name", "-license_link"]


def test_dataset_cards(umr):
    r = imported(umr, "dataset-cards/marsh-speech.md")
    assert (r["kind"], r["title"], r["details"]["languages"]) == ("dataset", "Marsh Speech", ["en", "fr", "nl", "fy"])
    assert r["description"].startswith("Marsh Speech is an invented set")
    assert {"configs", "dataset_info", "task_categories", "size_categories"} <= set(r["extensions"]["hf"])
    assert imported(umr, "dataset-cards/plain-notes.md")["kind"] == "model"  # detected
    assert imported(umr, "dataset-cards/plain-notes.md", "--kind", "dataset")["kind"] == "dataset"


def test_edited_record_exports_canonical_forms(umr, tmp_path):
    umr("import", "hf", str(MODEL_CARDS / "wren-7b-lora.md"), "-o", str(tmp_path))
    (f,) = tmp_path.rglob("*.yaml")
    card = umr("export", "hf", "wren-7b-lora", "--registry", str(tmp_path), "--own").stdout
    assert "\nlanguage: en\n" in card  # the card's own form while unchanged
    rec = yaml.safe_load(f.read_text(encoding="utf-8"))
    rec["details"] = {**rec.get("details", {}), "languages": ["en", "de"]}
    rec["upstream"][0]["relation"] = "merge"
    f.write_text(yaml.safe_dump(rec, sort_keys=False), encoding="utf-8")
    fm = front_matter(umr("export", "hf", "wren-7b-lora", "--registry", str(tmp_path), "--own").stdout)
    assert fm["language"] == ["en", "de"]
    assert (fm["base_model"], fm["base_model_relation"]) == ("fernhollow/wren-7b", "merge")


def test_import_without_a_usable_name_fails(umr, tmp_path):
    # a README.md is named after its folder; `___` leaves nothing usable
    bad = tmp_path / "___"
    bad.mkdir()
    (bad / "README.md").write_text("---\nlicense: mit\n---\n# x\n", encoding="utf-8")
    p = umr("import", "hf", str(bad / "README.md"), "--format", "json", check=False)
    assert p.returncode == 1 and json.loads(p.stdout)["code"] == "E_HF_NAME", p.stdout
    good = tmp_path / "kestrel-notes"
    good.mkdir()
    (good / "README.md").write_text("---\nlicense: mit\n---\n# x\n", encoding="utf-8")
    assert umr.json("import", "hf", str(good / "README.md"), "--format", "json")["record"]["name"] == "kestrel-notes"


# ---------------------------------------------------------------- exports of the example registry


@pytest.mark.parametrize("rec", registry_ids(EXAMPLES))
def test_example_records_export_hub_shaped_cards(umr, rec, tmp_path):
    card = umr("export", "hf", rec, "--registry", str(EXAMPLES)).stdout
    fm = front_matter(card)
    assert fm, card[:200]
    assert fm.get("base_model_relation") in (None, "adapter", "merge", "quantized", "finetune")
    lic = fm.get("license")
    if lic == "other":
        assert fm.get("license_name"), "`other` needs license_name"
    for entry in fm.get("model-index", []):
        assert entry["name"]
        for res in entry["results"]:
            assert res["task"]["type"]
            assert res["dataset"]["type"] and res["dataset"]["name"]
            for m in res["metrics"]:
                assert m["type"] and "value" in m
    # the Hub card imports back without any warning (licence ids, relations, model-index)
    f = tmp_path / "README.md"
    f.write_text(card, encoding="utf-8")
    name = rec.split("@")[0]
    back = umr.json("import", "hf", str(f), "--name", name, "--format", "json")
    assert back["warnings"] == []


# ---------------------------------------------------------------- the README tour


def test_readme_tour_command(umr):
    """`umr import hf tests/fixtures/hf/model-cards/heron-med-13b.md --name fernhollow/heron-med-13b`,
    run from the repository root as the README's tour does."""
    p = umr("import", "hf", "tests/fixtures/hf/model-cards/heron-med-13b.md", "--name", "fernhollow/heron-med-13b", cwd=REPO)
    assert p.stderr == ""  # no warnings
    rec = yaml.safe_load(p.stdout)
    assert (rec["name"], rec["version"], rec["kind"]) == ("fernhollow/heron-med-13b", "1.0.0", "model")
    assert rec["license"]["id"] == "LicenseRef-heron-community-licence"
    assert len(rec["upstream"]) == 3 and len(rec["evaluations"]) == 5
