"""Transparency scoring (umr_core::score): the editions, a record's own score, and a
registry record's own and effective scores. The results equal `umr score --format json`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

import umr

from conftest import rec


def answers(**a: object) -> dict:
    return {"edition": "fmti2023", "answers": a}


def test_editions() -> None:
    eds = umr.editions()
    assert [e["name"] for e in eds] == ["fmti2023", "fmti2025"]
    first = eds[0]
    assert {"name", "aliases", "title", "published", "source", "license", "attribution",
            "domains", "subdomains", "indicators"} <= set(first)
    assert len(first["indicators"]) == 100
    assert [d["key"] for d in first["domains"]] == ["upstream", "model", "downstream"]
    ind = first["indicators"][0]
    assert {"key", "domain", "subdomain", "name", "definition"} <= set(ind)
    assert json.loads(json.dumps(eds)) == eds


def test_score_record() -> None:
    r = rec("model", "m", "1.0.0",
            transparency=answers(model_architecture=True, model_size=False, data_sources=None))
    s = umr.score_record(r)
    assert s["edition"] == "fmti2023"  # the one the record declares
    assert s["total"] == {"score": 1, "answered": 2, "unknown": 98, "indicators": 100}
    assert list(s) == ["edition", "total", "domains", "indicators", "diagnostics"]
    model = next(d for d in s["domains"] if d["key"] == "model")
    assert model["score"] == 1 and model["subdomains"]
    arch = next(i for i in s["indicators"] if i["key"] == "model_architecture")
    assert arch["answer"] is True
    unknown = next(i for i in s["indicators"] if i["key"] == "data_sources")
    assert (unknown["answer"], unknown["source"]) == (None, "m@1.0.0")  # answered "unknown"
    unanswered = next(i for i in s["indicators"] if i["key"] == "compute_usage")
    assert unanswered == {"key": "compute_usage", "domain": unanswered["domain"],
                          "subdomain": unanswered["subdomain"], "answer": None}
    assert s["diagnostics"] == []
    # no edition declared, none asked: the core's default edition
    assert umr.score_record(rec("model", "n", "1.0.0"))["edition"] == "fmti2023"
    assert umr.score_record(r, edition="2025")["edition"] == "fmti2025"
    assert umr.score_record(r, None) == s


def test_score_warnings_and_errors() -> None:
    r = rec("model", "m", "1.0.0", transparency=answers(not_an_indicator=True))
    s = umr.score_record(r)
    (w,) = s["diagnostics"]
    assert (w["code"], w["severity"]) == ("W_SCORE_UNKNOWN_INDICATOR", "warning")
    with pytest.raises(umr.ArgumentError) as e:
        umr.score_record(r, edition="fmti2099")
    assert e.value.code == "E_EDITION" and "fmti2023" in str(e.value)
    with pytest.raises(TypeError):
        umr.score_record(r.to_dict())  # type: ignore[arg-type]


def test_registry_score(examples: Path, umr_cli: Path) -> None:
    reg = umr.Registry(examples)
    report = reg.score("llama2-7b")
    assert list(report) == ["record", "edition", "own", "effective", "inherited"]
    assert report["record"] == "llama2-7b@1.0.0"
    assert report["own"]["total"]["answered"] == 0
    assert report["effective"]["total"] == umr.score_record(reg.find("llama2"))["total"]
    assert report["inherited"] == {"llama2@1.0.0": report["effective"]["total"]["answered"]}
    proc = subprocess.run(
        [str(umr_cli), "score", "llama2-7b", "--registry", str(examples), "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == report
    assert reg.score("llama2-7b", edition="fmti2025")["edition"] == "fmti2025"
    with pytest.raises(umr.ResolveError):
        reg.score("nothing")
    with pytest.raises(umr.ArgumentError) as e:
        reg.score("llama2-7b", edition="nope")
    assert e.value.code == "E_EDITION"


def _raw_answers(path: Path) -> "dict[str, bool]":
    """The 0/1 answers of a prototype-dialect file, by indicator key (aliases mapped)."""
    ed = umr.editions()[0]
    key_of = {i["key"]: i["key"] for i in ed["indicators"]}
    for i in ed["indicators"]:
        for a in i.get("aliases") or []:
            key_of[a] = i["key"]
    mr = yaml.safe_load(path.read_text(encoding="utf-8"))["mr"]
    out = {}
    for sec in ("upstream", "model", "downstream"):
        for k, v in (mr.get(sec) or {}).items():
            if isinstance(v, int) and v in (0, 1):
                out[key_of[k]] = v == 1
    return out


def test_score_over_the_legacy_fixture(legacy_fixture: Path, legacy_registry: umr.Registry,
                                       umr_cli: Path) -> None:
    """The family's answers (from its raw file) reach its members; a member's own answers
    override the family's; a fine-tune inherits from both; as the command line says."""
    family = _raw_answers(legacy_fixture / "corvid" / "corvid-1.0.0.yaml")
    assert len(family) == 100
    own9 = _raw_answers(legacy_fixture / "corvid-9b" / "corvid-9b-1.0.0.yaml")
    assert 0 < len(own9) < 100
    fam = legacy_registry.score("corvid")
    assert fam["own"] == fam["effective"] and fam["inherited"] == {}
    assert fam["own"]["total"]["score"] == sum(family.values())
    member = legacy_registry.score("corvid-3b")
    assert member["own"]["total"] == {"score": 0, "answered": 0, "unknown": 100, "indicators": 100}
    assert member["effective"]["total"] == fam["own"]["total"]
    assert member["inherited"] == {"corvid@1.0.0": 100}
    merged = {**family, **own9}
    for name, inherited in [("corvid-9b", {"corvid@1.0.0": 100 - len(own9)}),
                            ("corvid-9b-chat", {"corvid-9b@1.0.0": len(own9),
                                                "corvid@1.0.0": 100 - len(own9)})]:
        report = legacy_registry.score(name)
        assert report["effective"]["total"]["score"] == sum(merged.values()), name
        assert report["inherited"] == inherited, name
        for ind in report["effective"]["indicators"]:
            assert ind["answer"] == merged[ind["key"]], (name, ind["key"])
            assert ind["source"] == ("corvid-9b@1.0.0" if ind["key"] in own9 else "corvid@1.0.0")
    proc = subprocess.run(
        [str(umr_cli), "score", "corvid-9b-chat", "--registry", str(legacy_fixture), "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == legacy_registry.score("corvid-9b-chat")


@pytest.mark.corpus
def test_score_over_the_corpus(corpus_registry: umr.Registry) -> None:
    report = corpus_registry.score("llama2-7b")
    assert report["effective"]["total"]["score"] == 54  # the published FMTI 2023 total of Meta
    assert report["own"]["total"]["score"] == 0
