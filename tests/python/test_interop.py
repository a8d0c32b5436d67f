"""Interoperability (umr_core::interop): Hugging Face cards in and out, CycloneDX ML-BOM
out and in, SPDX 3.0.1 out. The binding passes options through to the core's option
structs, so the defaults are the core's; the results equal the command line's.

Two tiers: the project's own fixtures (tests/fixtures: the Hugging Face cards listed in
hf/FEATURES.tsv, the CycloneDX BOMs) always run; the third-party corpus ($UMR_CORPUS, else
../shared/corpus beside the checkout) adds its cards and BOMs when it is present."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import umr

from conftest import CORPUS, REPO, rec

CARD = """\
---
license: apache-2.0
base_model: meta-llama/Llama-2-7b-hf
base_model_relation: adapter
datasets:
- medqa
language:
- en
tags:
- medical
---
# Llama 2 Med LoRA

## Model Description

A LoRA adapter for medical question answering.

## Limitations

English only.
"""

# the second tier: $UMR_CORPUS when set (even to a folder that does not exist), else the
# corpus beside the checkout
_ENV_CORPUS = os.environ.get("UMR_CORPUS")
SHARED_CORPUS = (REPO / _ENV_CORPUS if _ENV_CORPUS and not Path(_ENV_CORPUS).is_absolute()
                 else Path(_ENV_CORPUS) if _ENV_CORPUS else CORPUS.parent)
CARDS = SHARED_CORPUS / "hf-model-cards"
DATASET_CARDS = SHARED_CORPUS / "hf-dataset-cards"
BOMS = SHARED_CORPUS / "cyclonedx" / "examples"
CORPUS_ABSENT = f"corpus tier: {SHARED_CORPUS} is absent (set UMR_CORPUS=DIR); the fixture tier ran"

# the first tier: the project's own fixtures
FIXTURES = REPO / "tests" / "fixtures"
HF_FIXTURES = FIXTURES / "hf"
CDX_FIXTURES = FIXTURES / "cyclonedx"


def fixture_cards() -> List[Tuple[Path, str, List[str], List[Tuple[str, int]]]]:
    """Rows of tests/fixtures/hf/FEATURES.tsv: (path, kind or "-", options, diagnostics)."""
    with open(HF_FIXTURES / "FEATURES.tsv", encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    out = []
    for row in csv.DictReader(lines, delimiter="\t"):
        diags = [(d.split("@")[0], int(d.split("@")[1])) for d in row["diagnostics"].split(",") if d not in ("", "-")]
        opts = [] if row["options"] == "-" else row["options"].split()
        out.append((HF_FIXTURES / row["file"], row["kind"], opts, diags))
    return out


def kind_option(opts: List[str]) -> Optional[str]:
    return opts[opts.index("--kind") + 1] if "--kind" in opts else None


def cli_json(cli: Path, *args: str) -> Any:
    proc = subprocess.run([str(cli), *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def cli_text(cli: Path, *args: str) -> str:
    proc = subprocess.run([str(cli), *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# ---- Hugging Face cards ----------------------------------------------------------------


def test_import_hf_card() -> None:
    result = umr.import_hf_card(CARD, name="acme/llama2-med-lora")
    assert isinstance(result, umr.CardImport) and isinstance(result, tuple)
    record, warnings = result  # unpacks like a tuple
    assert record is result.record and warnings == result.warnings == []
    assert isinstance(record, umr.Record)
    assert (record.id, record.kind) == ("acme/llama2-med-lora@1.0.0", "model")
    d = record.to_dict()
    assert d["license"] == "Apache-2.0"
    assert d["upstream"] == [
        {"name": "meta-llama/Llama-2-7b-hf", "relation": "adapter"},
        {"name": "medqa", "relation": "trained_on"},
    ]
    assert d["description"] == "A LoRA adapter for medical question answering."
    assert d["card"] == {"limitations": "English only."}
    assert d["details"]["languages"] == ["en"]
    # HF -> record -> HF gives the card back
    assert umr.export_hf_card(record) == CARD
    assert umr.export_hf_card(record.to_dict()) == CARD
    assert repr(result).startswith("CardImport(record=<umr.Record acme/llama2-med-lora@1.0.0")


def test_import_hf_card_options() -> None:
    # the core's defaults: version 1.0.0, kind detected, name from the file's folder
    r = umr.import_hf_card(CARD, file="models/med-lora/README.md").record
    assert (r.name, r.version, r.kind, r.file) == ("med-lora", "1.0.0", "model", None)
    r = umr.import_hf_card(CARD, name="x", version="2.1.0", kind="family").record
    assert (r.name, r.version, r.kind) == ("x", "2.1.0", "family")
    ds = umr.import_hf_card("---\npretty_name: Med QA\nlicense: mit\n---\n# Med QA\n", name="medqa")
    assert (ds.record.kind, ds.record.to_dict()["title"]) == ("dataset", "Med QA")
    # None is the same as not given
    same = umr.import_hf_card(CARD, name="x", version=None, kind=None, file=None)
    assert same.record == umr.import_hf_card(CARD, name="x").record


def test_import_hf_card_warnings_are_located() -> None:
    card = "\n---\nlicense: not-a-hub-licence\n-license: mit\n---\n# X\n"
    record, warnings = umr.import_hf_card(card, name="x", file="README.md")
    codes = {w.code: w for w in warnings}
    assert {"W_HF_LEADING_BLANK", "W_HF_LICENSE", "W_HF_KEY"} <= set(codes)
    assert all(w.severity == "warning" and w.file == "README.md" for w in warnings)
    key = codes["W_HF_KEY"]
    assert (key.line, key.column) == (4, 1)
    assert key.help == "did you mean `license`?"
    assert record.to_dict()["license"] == "LicenseRef-not-a-hub-licence"


def test_import_hf_card_errors() -> None:
    with pytest.raises(umr.ValidationError) as e:
        umr.import_hf_card("---\n[]\n---\n", name="x", file="README.md")
    assert (e.value.code, e.value.line, e.value.column) == ("E_HF_FRONT_MATTER_TYPE", 2, 1)
    assert e.value.diagnostics[0].file == "README.md"
    with pytest.raises(umr.ValidationError) as e:
        umr.import_hf_card("---\nlicense: mit\n", name="x")
    assert (e.value.code, e.value.line) == ("E_HF_UNCLOSED_FRONT_MATTER", 1)
    with pytest.raises(umr.ValidationError) as e:
        umr.import_hf_card("# no front matter, no name\n")
    assert e.value.code == "E_HF_NAME"
    with pytest.raises(umr.ValidationError) as e:
        umr.import_hf_card(CARD, name="x", version="one")
    assert e.value.code == "E_SEMVER"
    with pytest.raises(umr.ArgumentError) as e:
        umr.import_hf_card(CARD, name="x", kind="robot")  # type: ignore[arg-type]
    assert e.value.code == "E_OPTIONS" and "robot" in str(e.value)
    with pytest.raises(TypeError):
        umr.import_hf_card(CARD, "x")  # type: ignore[misc]


def test_export_hf_card() -> None:
    r = rec("dataset", "medqa", "1.0.0", title="MedQA", license="MIT",
            card={"limitations": "English only."})
    card = umr.export_hf_card(r)
    assert card.startswith("---\n") and "license: mit" in card
    assert "pretty_name: MedQA" in card  # a dataset card
    back = umr.import_hf_card(card, name="medqa").record
    assert (back.kind, back.to_dict()["card"]) == ("dataset", {"limitations": "English only."})
    with pytest.raises(umr.ValidationError) as e:
        umr.export_hf_card({"kind": "model"})
    assert e.value.code == "E_REQUIRED" and e.value.diagnostics
    with pytest.raises(umr.ValidationError) as e:
        umr.export_hf_card(42)  # type: ignore[arg-type]
    assert e.value.code == "E_TYPE"
    with pytest.raises(TypeError):
        umr.export_hf_card({"tags": {"a"}})


def test_registry_export_hf(examples: Path, umr_cli: Path) -> None:
    reg = umr.Registry(examples)
    effective = reg.export_hf("acme/llama2-7b-med")
    own = reg.export_hf("acme/llama2-7b-med", effective=False)
    assert effective != own
    assert "license: llama2" in effective and "license: llama2" not in own  # inherited
    assert reg.export_hf("acme/llama2-7b-med", True) == effective
    assert effective == cli_text(umr_cli, "export", "hf", "acme/llama2-7b-med", "--registry", str(examples))
    assert own == cli_text(
        umr_cli, "export", "hf", "acme/llama2-7b-med", "--own", "--registry", str(examples)
    )
    with pytest.raises(umr.ResolveError):
        reg.export_hf("nothing")


def test_hf_cards_of_the_corpus_match_the_command_line(umr_cli: Path) -> None:
    if not CARDS.is_dir():
        pytest.skip(CORPUS_ABSENT)
    cards = sorted(CARDS.glob("*.md"))[:12] + sorted(DATASET_CARDS.glob("*.md"))[:3]
    imported = 0
    for card in cards:
        text = card.read_bytes().decode("utf-8")  # CRLF kept, as the command line reads it
        proc = subprocess.run(
            [str(umr_cli), "import", "hf", str(card), "--format", "json"],
            capture_output=True, text=True, check=False,
        )
        try:
            record, warnings = umr.import_hf_card(text, file=str(card))
        except umr.ValidationError as e:
            assert proc.returncode != 0, card.name
            assert json.loads(proc.stdout)["code"] == e.code, card.name
            continue
        assert proc.returncode == 0, card.name
        out = json.loads(proc.stdout)
        assert out["record"] == record.to_dict(), card.name
        assert out["warnings"] == [w.to_dict() for w in warnings], card.name
        # the card comes back from the record
        assert umr.import_hf_card(umr.export_hf_card(record), name=record.name).record.to_dict()[
            "name"
        ] == record.name
        imported += 1
    assert imported >= 10


# ---- CycloneDX and SPDX ----------------------------------------------------------------


def test_export_cyclonedx(examples: Path, umr_cli: Path) -> None:
    reg = umr.Registry(examples)
    bom = reg.export_cyclonedx("acme/llama2-7b-med")
    assert (bom["bomFormat"], bom["specVersion"]) == ("CycloneDX", "1.6")  # the core's default
    assert "timestamp" not in bom["metadata"]  # reproducible by default
    assert bom == reg.export_cyclonedx("acme/llama2-7b-med")
    assert bom["metadata"]["component"]["bom-ref"] == "acme/llama2-7b-med@1.1.0"
    assert bom == cli_json(umr_cli, "export", "cyclonedx", "acme/llama2-7b-med", "--registry", str(examples))
    full = reg.export_cyclonedx(
        "acme/llama2-7b-med", spec_version="1.7", lineage=True, effective=False,
        timestamp="2024-05-01T00:00:00Z",
    )
    assert (full["specVersion"], full["metadata"]["timestamp"]) == ("1.7", "2024-05-01T00:00:00Z")
    assert full == cli_json(
        umr_cli, "export", "cyclonedx", "acme/llama2-7b-med", "--registry", str(examples),
        "--spec-version", "1.7", "--lineage", "--own", "--created", "2024-05-01T00:00:00Z",
    )
    assert reg.export_cyclonedx("acme/llama2-7b-med", lineage=None) == bom  # None: the default


def test_export_spdx(examples: Path, umr_cli: Path) -> None:
    reg = umr.Registry(examples)
    doc = reg.export_spdx("acme/path-clip", created="2024-05-01T00:00:00Z")
    assert doc["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    types = {e["type"] for e in doc["@graph"]}
    assert {"ai_AIPackage", "SpdxDocument", "Relationship"} <= types
    assert all(e.get("spdxId", "urn:umr:").startswith(("urn:umr:", "_:")) for e in doc["@graph"])
    assert doc == cli_json(
        umr_cli, "export", "spdx", "acme/path-clip", "--registry", str(examples),
        "--created", "2024-05-01T00:00:00Z",
    )
    other = reg.export_spdx("acme/path-clip", namespace="https://example.org/umr/", lineage=True)
    created = next(e for e in other["@graph"] if e["type"] == "CreationInfo")["created"]
    assert created.endswith("Z")  # the core's default: now
    assert any(e.get("spdxId", "").startswith("https://example.org/umr/") for e in other["@graph"])
    assert "dataset_DatasetPackage" in {e["type"] for e in other["@graph"]}  # laion-5b


def test_export_option_errors(examples: Path) -> None:
    reg = umr.Registry(examples)
    for call, code in [
        (lambda: reg.export_cyclonedx("llama2-7b", spec_version="2.0"), "E_OPTIONS"),
        (lambda: reg.export_cyclonedx("llama2-7b", bogus=True), "E_OPTIONS"),
        (lambda: reg.export_cyclonedx("llama2-7b", lineage="yes"), "E_OPTIONS"),
        (lambda: reg.export_cyclonedx("llama2-7b", timestamp="yesterday"), "E_TIMESTAMP"),
        (lambda: reg.export_spdx("llama2-7b", created="2024-05-01"), "E_TIMESTAMP"),
        (lambda: reg.export_spdx("llama2-7b", spec_version="1.6"), "E_OPTIONS"),
    ]:
        with pytest.raises(umr.ArgumentError) as e:
            call()
        assert e.value.code == code, e.value
    with pytest.raises(umr.ResolveError):
        reg.export_spdx("nothing")


def test_import_cyclonedx(examples: Path) -> None:
    reg = umr.Registry(examples)
    bom = reg.export_cyclonedx("acme/path-clip", lineage=True)
    result = umr.import_cyclonedx(json.dumps(bom), file="bom.json")
    assert isinstance(result, umr.BomImport)
    records, warnings = result
    assert all(isinstance(r, umr.Record) for r in records)
    assert records[0].name == "acme/path-clip"
    assert "laion-5b" in {r.name for r in records}
    assert all(w.severity == "warning" for w in warnings)
    one = umr.Registry(examples).export_cyclonedx("laion-5b")
    (only,), _ = umr.import_cyclonedx(json.dumps(one), name="org/laion", version="5.0.0")
    assert (only.id, only.kind) == ("org/laion@5.0.0", "dataset")


def test_import_cyclonedx_errors() -> None:
    with pytest.raises(umr.ValidationError) as e:
        umr.import_cyclonedx('{"bomFormat": "CycloneDX",', file="bom.json")
    assert e.value.code == "E_JSON_SYNTAX" and e.value.diagnostics[0].file == "bom.json"
    with pytest.raises(umr.ValidationError) as e:
        umr.import_cyclonedx('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}')
    assert e.value.code == "E_CDX_NO_MODEL"
    with pytest.raises(TypeError):
        umr.import_cyclonedx("{}", kind="model")  # type: ignore[call-arg]


def test_cyclonedx_examples_import() -> None:
    if not BOMS.is_dir():
        pytest.skip(CORPUS_ABSENT)
    names: List[str] = []
    for f in sorted(BOMS.glob("*.json")):
        records, _ = umr.import_cyclonedx(f.read_text(encoding="utf-8"), file=str(f))
        assert records, f.name
        names += [r.name for r in records]
    assert names


def test_interop_results_are_plain_data(examples: Path) -> None:
    reg = umr.Registry(examples)
    bom: Dict[str, Any] = reg.export_cyclonedx("llama2-7b")
    assert json.loads(json.dumps(bom)) == bom
    doc: Dict[str, Any] = reg.export_spdx("llama2-7b", created="2024-05-01T00:00:00Z")
    assert json.loads(json.dumps(doc)) == doc


# ---- the project's fixtures ----------------------------------------------------------------


def test_fixture_cards_match_the_command_line(umr_cli: Path) -> None:
    cases = fixture_cards()
    assert len(cases) >= 40
    for path, kind, opts, diags in cases:
        text = path.read_bytes().decode("utf-8")  # CRLF kept, as the command line reads it
        proc = subprocess.run(
            [str(umr_cli), "import", "hf", str(path), "--format", "json", *opts],
            capture_output=True, text=True, check=False,
        )
        cli = json.loads(proc.stdout)
        if kind == "-":
            with pytest.raises(umr.ValidationError) as e:
                umr.import_hf_card(text, file=str(path), kind=kind_option(opts))  # type: ignore[arg-type]
            assert (e.value.code, e.value.line) == diags[0], path.name
            assert e.value.diagnostics[0].file == str(path)
            assert proc.returncode == 1 and (cli["code"], cli["line"]) == diags[0], path.name
            continue
        record, warnings = umr.import_hf_card(text, file=str(path), kind=kind_option(opts))  # type: ignore[arg-type]
        assert record.kind == kind, path.name
        assert sorted((w.code, w.line) for w in warnings) == sorted(diags), path.name
        assert proc.returncode == 0, path.name
        assert cli["record"] == record.to_dict(), path.name
        assert cli["warnings"] == [w.to_dict() for w in warnings], path.name


def test_fixture_cards_round_trip() -> None:
    import yaml

    def front(text: str) -> Dict[str, Any]:
        text = text.replace("\r\n", "\n").lstrip("\n")
        if not text.startswith("---\n"):
            return {}
        return yaml.safe_load(text[4:text.index("\n---\n", 3)]) or {}

    n = 0
    for path, kind, opts, _ in fixture_cards():
        if kind == "-":
            continue
        text = path.read_bytes().decode("utf-8")
        record = umr.import_hf_card(text, file=str(path), kind=kind_option(opts)).record  # type: ignore[arg-type]
        card = umr.export_hf_card(record)
        assert front(card) == front(text), path.name
        assert list(front(card)) == list(front(text)), path.name
        back = umr.import_hf_card(card, name=record.name, kind=kind_option(opts)).record  # type: ignore[arg-type]
        assert back.to_dict() == record.to_dict(), path.name
        n += 1
    assert n >= 30


def test_fixture_card_fields() -> None:
    card = (HF_FIXTURES / "model-cards" / "heron-med-13b.md").read_text(encoding="utf-8")
    record, warnings = umr.import_hf_card(card, name="fernhollow/heron-med-13b")
    assert warnings == []
    d = record.to_dict()
    assert d["license"] == {
        "id": "LicenseRef-heron-community-licence", "name": "heron-community-licence",
        "url": "https://example.org/fernhollow/heron/LICENSE",
    }
    assert [(u["name"], u["relation"]) for u in d["upstream"]] == [
        ("fernhollow/heron-13b", "finetune"),
        ("fernhollow/ward-dialogues", "trained_on"),
        ("fernhollow/boardexam-qa", "trained_on"),
    ]
    assert len(d["evaluations"]) == 5 and d["evaluations"][0]["dataset_args"] == {"num_few_shot": 5}
    merge = umr.import_hf_card((HF_FIXTURES / "model-cards" / "starling-merge-9b.md").read_text(encoding="utf-8"))
    assert [u["relation"] for u in merge.record.to_dict()["upstream"]] == ["merge", "merge"]
    ds = umr.import_hf_card((HF_FIXTURES / "dataset-cards" / "tidepool-qa.md").read_text(encoding="utf-8"))
    assert (ds.record.kind, ds.record.to_dict()["license"]) == ("dataset", "CC-BY-SA-3.0 AND LicenseRef-gfdl")


def test_fixture_boms_import_as_with_the_command_line(umr_cli: Path) -> None:
    boms = sorted(CDX_FIXTURES.glob("*.json"))
    assert len(boms) >= 5
    for f in boms:
        records, warnings = umr.import_cyclonedx(f.read_text(encoding="utf-8"), file=str(f))
        assert records, f.name
        cli = cli_json(umr_cli, "import", "cyclonedx", str(f), "--format", "json")
        assert (cli.get("records") or [cli["record"]]) == [r.to_dict() for r in records], f.name
        assert cli["warnings"] == [w.to_dict() for w in warnings], f.name
    records, _ = umr.import_cyclonedx((CDX_FIXTURES / "ml-bom-1.6.json").read_text(encoding="utf-8"))
    assert [(r.name, r.kind, r.version) for r in records] == [
        ("fernhollow/heron-med-13b", "model", "2.1.0"), ("fernhollow/ward-dialogues", "dataset", "3.0.0"),
    ]
    _, warnings = umr.import_cyclonedx((CDX_FIXTURES / "warnings-1.6.json").read_text(encoding="utf-8"))
    assert [w.code for w in warnings] == ["W_CDX_NAME", "W_CDX_VERSION", "W_CDX_METRIC"]
