"""The prototype's 88 records (../shared/corpus/modelrecords-poc): every one loads, and a
registry over them resolves inheritance and propagates LAION-5B's risks (the paper's case
study: LAION-5B → PLIP → RRT-MIL)."""

from __future__ import annotations

from pathlib import Path

import umr


def record_files(corpus: Path) -> "list[Path]":
    return sorted(p for p in corpus.rglob("*.yaml"))


def test_all_88_records_load(corpus: Path) -> None:
    files = record_files(corpus)
    assert len(files) == 88
    for f in files:
        r = umr.load(f)
        assert r.file == str(f)
        assert f.name == f"{r.name}-{r.version}.yaml" or r.name in f.name
        assert not [d for d in umr.validate_file(f) if d.severity == "error"]


def test_registry_over_corpus(corpus_registry: umr.Registry) -> None:
    assert len(corpus_registry) == 88
    assert not [d for d in corpus_registry.load_report if d.severity == "error"]
    assert "llama2-7b" in corpus_registry.names()


def test_llama2_7b_inherits_intended_use_from_the_family(corpus_registry: umr.Registry) -> None:
    eff = corpus_registry.resolve("llama2-7b")
    assert eff.record.id == "llama2-7b@1.0.0"
    assert eff.provenance["card.intended_use"] == "llama2@1.0.0"
    assert eff.provenance_of("card.intended_use") == "llama2@1.0.0"
    assert eff.provenance_of("name") == "llama2-7b@1.0.0"
    assert corpus_registry.provenance("llama2-7b") == eff.provenance
    assert "intended_use" in eff.record.to_dict()["card"]


def test_affected_by_laion_5b(corpus_registry: umr.Registry) -> None:
    hits = {h["name"]: h for h in corpus_registry.affected("laion-5b")}
    assert {"plip", "rrt-mil"} <= set(hits)
    assert hits["plip"]["chain"] == ["laion-5b@1.0.0", "plip@1.0.0"]
    assert hits["rrt-mil"]["chain"] == ["laion-5b@1.0.0", "plip@1.0.0", "rrt-mil@1.0.0"]
    risk_ids = {r["id"] for r in hits["rrt-mil"]["risks"]}
    assert risk_ids, "LAION-5B's risks reach RRT-MIL"
    for r in hits["rrt-mil"]["risks"]:
        assert r["origin"] == "laion-5b@1.0.0"
        assert r["chain"][0] == "laion-5b@1.0.0" and r["chain"][-1] == "rrt-mil@1.0.0"
    only = corpus_registry.affected("laion-5b", risk=sorted(risk_ids)[0])
    assert {h["name"] for h in only} >= {"plip", "rrt-mil"}
    assert corpus_registry.affected("laion-5b", risk="no-such-risk") == []


def test_risks_reach_downstream(corpus_registry: umr.Registry) -> None:
    exposures = corpus_registry.risks("rrt-mil")
    assert any(e["origin"] == "laion-5b@1.0.0" for e in exposures)


def test_resolve_all_over_corpus(corpus_registry: umr.Registry) -> None:
    results = corpus_registry.resolve_all()
    assert len(results) == 88
    ok = {k: v for k, v in results.items() if isinstance(v, umr.Effective)}
    errors = {k: v for k, v in results.items() if isinstance(v, umr.UmrError)}
    assert len(ok) + len(errors) == 88
    assert "llama2-7b@1.0.0" in ok
    ids = list(results)
    # topological order: an ancestor before its descendants
    assert ids.index("llama2@1.0.0") < ids.index("llama2-7b@1.0.0")
    assert ids.index("laion-5b@1.0.0") < ids.index("plip@1.0.0") < ids.index("rrt-mil@1.0.0")


def test_lineage_of_plip(corpus_registry: umr.Registry) -> None:
    lin = corpus_registry.lineage("plip")
    assert isinstance(lin, dict)
    assert lin["root"] == "plip@1.0.0"
    assert "laion-5b" in {a["name"] for a in lin["ancestors"]}
    assert "rrt-mil" in {d["name"] for d in lin["descendants"]}
    dot = corpus_registry.lineage("plip", format="dot")
    assert isinstance(dot, str) and dot.startswith("digraph")
    assert corpus_registry.lineage("plip", format="mermaid").startswith("flowchart")
    assert corpus_registry.lineage("plip", format="tree").startswith("plip@1.0.0")


def test_lock_of_corpus(corpus_registry: umr.Registry) -> None:
    lock = corpus_registry.lock()
    assert lock["lock_version"] == 1
    assert len(lock["records"]) == 88
    assert lock["records"]["plip@1.0.0"]["digest"].startswith("sha256:")
