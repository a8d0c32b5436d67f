"""Registries of records in the prototype's dialect (root key ``mr:``): every record loads, and
a registry over them resolves inheritance, infers relation kinds and propagates a dataset's
risk flags downstream (the paper's case study: LAION-5B → PLIP → RRT-MIL).

Each check runs on two tiers:

* ``fixture``: tests/fixtures/legacy-registry, the project's own registry in the dialect
  (see its README.md), always; its case study is scrapeweb-2b → histo-lens → histo-mil 1.0.0
  → histo-mil-tiny;
* ``corpus``: the prototype's 88 records ($UMR_CORPUS/modelrecords-poc, else
  ../shared/corpus/…), skipped with the reason when absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import yaml

import umr

from conftest import CORPUS, LEGACY_FIXTURE


@dataclass(frozen=True)
class Case:
    path: Path
    count: Optional[int]  # records expected (None: one per file)
    family: str  # a family whose card its members inherit
    member: str  # a member of it, with a description of its own
    chain: List[str]  # dataset with risk flags → model trained on it → … downstream
    risks: List[str]  # the dataset's risk flags, in order


CASES: Dict[str, Case] = {
    "fixture": Case(
        path=LEGACY_FIXTURE,
        count=None,
        family="corvid",
        member="corvid-3b",
        chain=["scrapeweb-2b@1.0.0", "histo-lens@1.0.0", "histo-mil@1.0.0", "histo-mil-tiny@1.0.0"],
        risks=["sexual_content", "abuse_material", "graphic_violence"],
    ),
    "corpus": Case(
        path=CORPUS,
        count=88,
        family="llama2",
        member="llama2-7b",
        chain=["laion-5b@1.0.0", "plip@1.0.0", "rrt-mil@1.0.0"],
        risks=["nsfw", "csam", "violence"],
    ),
}
TIERS = [pytest.param("fixture"), pytest.param("corpus", marks=pytest.mark.corpus)]

_registries: Dict[str, umr.Registry] = {}


def record_files(root: Path) -> "list[Path]":
    return sorted(root.rglob("*.yaml"))


def name_of(record_id: str) -> str:
    return record_id.rsplit("@", 1)[0]


@pytest.fixture(params=TIERS)
def case(request: pytest.FixtureRequest) -> Case:
    c = CASES[request.param]
    assert c.path.is_dir(), f"{c.path} is missing"
    return c


@pytest.fixture
def registry(case: Case) -> umr.Registry:
    key = str(case.path)
    if key not in _registries:
        _registries[key] = umr.Registry(case.path)
    return _registries[key]


def expected_count(case: Case) -> int:
    n = len(record_files(case.path))
    if case.count is not None:
        assert n == case.count
    return n


def test_all_records_load(case: Case) -> None:
    files = record_files(case.path)
    assert len(files) == expected_count(case)
    for f in files:
        r = umr.load(f)
        assert r.file == str(f)
        # name and version come from `<name>/<name>-<version>.yaml`
        assert f.name == f"{r.name}-{r.version}.yaml"
        assert f.parent.name == r.name
        diags = umr.validate_file(f)
        assert not [d for d in diags if d.severity == "error"], f
        if case is CASES["fixture"]:
            assert diags == [] and r.warnings == [], f  # the project's fixture is clean


def test_registry_over_the_records(case: Case, registry: umr.Registry) -> None:
    assert len(registry) == expected_count(case)
    assert not [d for d in registry.load_report if d.severity == "error"]
    names = registry.names()
    assert case.member in names and case.family in names
    assert {name_of(i) for i in case.chain} <= set(names)


def test_member_inherits_the_family_card(case: Case, registry: umr.Registry) -> None:
    family = f"{case.family}@1.0.0"
    eff = registry.resolve(case.member)
    assert eff.record.id == f"{case.member}@1.0.0"
    assert eff.provenance["card.intended_use"] == family
    assert eff.provenance_of("card.intended_use") == family
    assert eff.provenance_of("name") == eff.record.id
    assert eff.provenance_of("description") == eff.record.id  # own fields stay own
    assert registry.provenance(case.member) == eff.provenance
    card = eff.record.to_dict()["card"]
    assert card["intended_use"] == registry.find(case.family).to_dict()["card"]["intended_use"]
    # the record as written has no such section
    assert "intended_use" not in registry.find(case.member).to_dict().get("card", {})


def test_affected_by_the_dataset(case: Case, registry: umr.Registry) -> None:
    origin = case.chain[0]
    dataset = name_of(origin)
    hits = {f"{h['name']}@{h['version']}": h for h in registry.affected(dataset)}
    for k in range(2, len(case.chain) + 1):
        # every record of the chain is affected, through the chain
        assert hits[case.chain[k - 1]]["chain"] == case.chain[:k]
    last = hits[case.chain[-1]]
    assert [r["id"] for r in last["risks"]] == case.risks
    for r in last["risks"]:
        assert r["origin"] == origin
        assert r["chain"][0] == origin and r["chain"][-1] == case.chain[-1]
    only = registry.affected(dataset, risk=case.risks[0])
    assert {f"{h['name']}@{h['version']}" for h in only} == set(hits)
    assert all(r["id"] == case.risks[0] for h in only for r in h["risks"])
    assert registry.affected(dataset, risk="no-such-risk") == []


def test_risks_reach_downstream(case: Case, registry: umr.Registry) -> None:
    downstream = case.chain[-1]
    exposures = registry.risks(downstream)
    from_origin = [e for e in exposures if e["origin"] == case.chain[0]]
    assert [e["id"] for e in from_origin] == case.risks
    assert all(e["chain"] == case.chain for e in from_origin)
    assert registry.risks(case.family) == []


def test_resolve_all(case: Case, registry: umr.Registry) -> None:
    n = expected_count(case)
    results = registry.resolve_all()
    assert len(results) == n
    ok = {k: v for k, v in results.items() if isinstance(v, umr.Effective)}
    errors = {k: v for k, v in results.items() if isinstance(v, umr.UmrError)}
    assert len(ok) + len(errors) == n
    assert f"{case.member}@1.0.0" in ok
    if case is CASES["fixture"]:
        assert errors == {}
    ids = list(results)
    # topological order: an ancestor before its descendants
    assert ids.index(f"{case.family}@1.0.0") < ids.index(f"{case.member}@1.0.0")
    positions = [ids.index(i) for i in case.chain]
    assert positions == sorted(positions)


def test_lineage_of_the_model(case: Case, registry: umr.Registry) -> None:
    model = name_of(case.chain[1])
    lin = registry.lineage(model)
    assert isinstance(lin, dict)
    assert lin["root"] == case.chain[1]
    origin = next(a for a in lin["ancestors"] if a["name"] == name_of(case.chain[0]))
    assert (origin["relation"], origin["depth"], origin["has_risks"]) == ("trained_on", 1, True)
    assert name_of(case.chain[-1]) in {d["name"] for d in lin["descendants"]}
    dot = registry.lineage(model, format="dot")
    assert isinstance(dot, str) and dot.startswith("digraph")
    assert registry.lineage(model, format="mermaid").startswith("flowchart")
    assert registry.lineage(model, format="tree").startswith(case.chain[1])


def test_lock(case: Case, registry: umr.Registry) -> None:
    lock = registry.lock()
    assert lock["lock_version"] == 1
    assert len(lock["records"]) == expected_count(case)
    entry = lock["records"][case.chain[1]]
    assert entry["digest"].startswith("sha256:") and len(entry["digest"]) == 71
    assert case.chain[0] in [u["resolved"] for u in entry["upstream"]]


# ---------------------------------------------------------------------------------------
# fixture tier only: expectations read from the raw files
# ---------------------------------------------------------------------------------------


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def test_fixture_records_convert_as_their_raw_files_say() -> None:
    sections = ["upstream", "model", "downstream"]
    for f in record_files(LEGACY_FIXTURE):
        mr = yaml.safe_load(f.read_text(encoding="utf-8"))["mr"]
        d = umr.load(f).to_dict()
        meta = mr.get("metadata") or {}
        assert d["format_version"] == "1.0"
        assert d["kind"] == mr["type"], f
        assert d.get("title") == meta.get("name"), f
        for native, proto in [("description", "description"), ("publisher", "publisher"), ("references", "refs")]:
            assert d.get(native) == (None if _blank(meta.get(proto)) else meta[proto]), f"{f}: {native}"
        upstream = (mr.get("relations") or {}).get("upstream")
        assert d.get("upstream") == (upstream or None), f
        flags = [k for k, v in (mr.get("risk") or {}).items() if v is True]
        assert [r["id"] for r in d.get("risks", [])] == flags, f
        answers = {k: v == 1 for s in sections for k, v in (mr.get(s) or {}).items()
                   if isinstance(v, int) and v in (0, 1)}
        assert d.get("transparency", {}).get("answers", {}) == answers, f


def test_fixture_versions_relations_and_pins(legacy_registry: umr.Registry) -> None:
    reg = legacy_registry
    assert reg.find("histo-mil").id == "histo-mil@1.1.0"  # the highest by default
    assert reg.find("sandbox").version == "1.2.0"
    assert reg.find("histo-mil@1.0.0").version == "1.0.0"
    lock = reg.lock()
    (pin,) = lock["records"]["histo-mil-tiny@1.0.0"]["upstream"]
    assert (pin["requirement"], pin["resolved"]) == ("histo-mil==1.0.0", "histo-mil@1.0.0")
    # every relation kind the dialect can express, inferred from the kinds of both records
    kinds = {e["relation"] for n in reg.names() for e in reg.lineage(n)["edges"]}
    assert kinds == {"member_of", "trained_on", "derived_from"}
    # trained-on does not inherit: nothing of the datasets reaches the model
    prov = reg.provenance("histo-lens")
    assert not [s for s in prov.values() if s.split("@")[0] in ("scrapeweb-2b", "slide-chatter")]
    # a second origin reaches the same model
    assert "legal" in {e["id"] for e in reg.risks("histo-mil-tiny")}
