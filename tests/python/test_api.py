"""Records, validation, derivation, saving, registries, diff and bump."""

from __future__ import annotations

import datetime
import json
import pickle
import re
import subprocess
from pathlib import Path
from typing import Any, Dict

import pytest

import umr

from conftest import REPO, base_record, cli_validate, rec

DEMO_YAML = """\
format_version: '1.0'
kind: model
name: demo
version: 1.2.3
title: Demo
zeta: kept
description: A demo model.
alpha: {b: 1, a: 2}
"""


def workspace_version() -> str:
    text = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    section = text.split("[workspace.package]", 1)[1]
    m = re.search(r'^version\s*=\s*"([^"]+)"', section, re.M)
    assert m
    return m.group(1)


def test_version_is_the_crate_version() -> None:
    assert umr.__version__ == workspace_version()
    from importlib.metadata import version

    assert version("umr") == umr.__version__


def test_public_names() -> None:
    for name in umr.__all__:
        assert hasattr(umr, name), name
    assert umr.Record.__module__ == "umr"
    assert umr.ValidationError.__module__ == "umr"


# ---- records -------------------------------------------------------------------------


def test_from_yaml_keeps_order_and_unknown_fields() -> None:
    r = umr.Record.from_yaml(DEMO_YAML, file="demo.yaml")
    d = r.to_dict()
    assert list(d) == [
        "format_version", "kind", "name", "version", "title", "zeta", "description", "alpha",
    ]
    assert list(d["alpha"]) == ["b", "a"]
    assert d["zeta"] == "kept"
    assert (r.name, r.version, r.kind, r.id, r.file) == (
        "demo", "1.2.3", "model", "demo@1.2.3", "demo.yaml",
    )
    # unknown top-level keys are warnings, located
    codes = {(w.code, w.path) for w in r.warnings}
    assert ("W_UNKNOWN_KEY", "zeta") in codes
    assert r.validate() == r.warnings
    w = next(w for w in r.warnings if w.path == "zeta")
    assert (w.file, w.line, w.severity) == ("demo.yaml", 6, "warning")


def test_round_trips() -> None:
    r = umr.Record.from_yaml(DEMO_YAML)
    assert umr.Record.from_yaml(r.to_yaml()) == r
    assert umr.Record.from_json(r.to_json()) == r
    assert umr.Record.from_dict(r.to_dict()) == r
    assert json.loads(r.to_json()) == r.to_dict()
    assert r != umr.Record.from_dict({**r.to_dict(), "title": "Other"})
    assert r != "demo"
    assert pickle.loads(pickle.dumps(r)) == r
    with pytest.raises(TypeError):
        hash(r)


def test_repr() -> None:
    r = rec("model", "demo", "1.0.0", title="<script>alert('x')</script> & co")
    assert repr(r) == "<umr.Record demo@1.0.0 (model)>"
    html = r._repr_html_()  # the HTML card (tests/python/test_render.py)
    assert "<script>" not in html
    assert "&amp;lt;script&amp;gt;" in html  # escaped in the page, the page escaped in srcdoc


def test_from_dict_values() -> None:
    r = rec(
        "dataset", "d", "1.0.0",
        release_date=datetime.date(2024, 1, 31),
        details={"instances": 12, "ratio": 0.5, "flags": (True, False), "none": None},
    )
    d = r.to_dict()
    assert d["release_date"] == "2024-01-31"
    assert d["details"]["flags"] == [True, False]
    assert d["details"]["none"] is None
    assert isinstance(d["details"]["instances"], int) and isinstance(d["details"]["ratio"], float)
    with pytest.raises(TypeError, match="set"):
        umr.Record.from_dict(base_record("model", "x", "1.0.0", tags={"a"}))
    with pytest.raises(TypeError, match="keys must be str"):
        umr.Record.from_dict(base_record("model", "x", "1.0.0", extensions={1: "a"}))
    with pytest.raises(umr.ArgumentError) as e:
        umr.Record.from_dict(base_record("model", "x", "1.0.0", extensions={"n": float("nan")}))
    assert e.value.code == "E_NUMBER"
    with pytest.raises(umr.ArgumentError):
        umr.Record.from_dict(base_record("model", "x", "1.0.0", extensions={"n": 2**70}))


def test_deep_and_cyclic_values_are_refused() -> None:
    """The core's limits for values built in memory apply to dicts: the same error as for
    a JS object or a document (`ValidationError`, `E_LIMIT_*`), and a self-referencing or
    hugely shared structure is refused without exhausting the stack or the CPU."""
    deep: Dict[str, Any] = {}
    cur = deep
    for _ in range(1000):
        cur["x"] = {}
        cur = cur["x"]
    with pytest.raises(umr.ValidationError) as e:
        umr.Record.from_dict(base_record("model", "x", "1.0.0", extensions=deep))
    assert e.value.code == "E_LIMIT_DEPTH"
    assert [d.code for d in e.value.errors] == ["E_LIMIT_DEPTH"]
    loop: Dict[str, Any] = {}
    loop["self"] = loop
    with pytest.raises(umr.ValidationError) as e:
        umr.Record.from_dict(base_record("model", "x", "1.0.0", extensions=loop))
    assert e.value.code == "E_LIMIT_DEPTH"
    # 2**60 paths through 60 shared dicts: refused by the node limit, at once
    shared: Dict[str, Any] = {"leaf": 1}
    for _ in range(60):
        shared = {"a": shared, "b": shared}
    with pytest.raises(umr.ValidationError) as e:
        umr.Record.from_dict(base_record("model", "x", "1.0.0", extensions=shared))
    assert e.value.code == "E_LIMIT_NODES"
    with pytest.raises(umr.ValidationError) as e:
        umr.Record.from_dict(base_record("model", "x", "1.0.0", description="x" * (2 << 20)))
    assert e.value.code == "E_LIMIT_STRING"
    # the limits hold wherever a dict is converted, e.g. for a diff
    with pytest.raises(umr.ValidationError):
        umr.diff(base_record("model", "x", "1.0.0"), base_record("model", "x", "1.0.0", extensions=deep))
    # at the limit itself a value is accepted
    ok: Dict[str, Any] = {}
    cur = ok
    for _ in range(62):
        cur["x"] = {}
        cur = cur["x"]
    assert umr.Record.from_dict(base_record("model", "x", "1.0.0", extensions=ok)).name == "x"


def test_load_formats(tmp_path: Path) -> None:
    r = umr.Record.from_yaml(DEMO_YAML)
    (tmp_path / "r.yaml").write_text(DEMO_YAML, encoding="utf-8")
    (tmp_path / "r.json").write_text(r.to_json(), encoding="utf-8")
    assert umr.load(tmp_path / "r.yaml") == r
    assert umr.load(str(tmp_path / "r.json")) == r
    legacy = tmp_path / "demo" / "demo-1.0.0.yaml"
    legacy.parent.mkdir()
    legacy.write_text("mr:\n  type: model\n  metadata:\n    name: Demo\n", encoding="utf-8")
    old = umr.load(legacy)
    assert (old.name, old.version, old.kind) == ("demo", "1.0.0", "model")


def test_validate_never_raises_for_bad_documents() -> None:
    for text in ["", "   \n", "{", "[1, 2", ": : :", "a: [", "\x00\x01", "- 1\n- 2\n", "null", "42"]:
        diags = umr.validate(text)
        assert any(d.severity == "error" for d in diags), repr(text)
        assert all(isinstance(d, umr.Diagnostic) for d in diags)
    assert umr.validate(DEMO_YAML) == umr.Record.from_yaml(DEMO_YAML).warnings
    # syntax: explicit, by file name, by first character
    bad_json = '{"kind": "model",}'
    assert umr.validate(bad_json)[0].code == "E_JSON_SYNTAX"
    assert umr.validate(bad_json, syntax="json")[0].code == "E_JSON_SYNTAX"
    assert umr.validate(bad_json, file="x.json")[0].file == "x.json"
    assert umr.validate(bad_json, syntax="YAML")[0].code != "E_JSON_SYNTAX"
    with pytest.raises(umr.ArgumentError):
        umr.validate(DEMO_YAML, syntax="toml")


def test_validate_located() -> None:
    text = "format_version: '1.0'\nkind: model\nname: demo\nversion: 1.0\n"
    (d,) = [x for x in umr.validate(text, file="demo.yaml") if x.severity == "error"]
    assert (d.file, d.path, d.line, d.column, d.code) == ("demo.yaml", "version", 4, 10, "E_SEMVER")
    assert d.help
    assert str(d).startswith("demo.yaml:4:10: error [E_SEMVER] at version")
    assert d.to_dict() == {
        "file": "demo.yaml", "path": "version", "line": 4, "column": 10, "code": "E_SEMVER",
        "severity": "error", "message": d.message, "help": d.help,
    }
    assert list(d.to_dict()) == [
        "file", "path", "line", "column", "code", "severity", "message", "help",
    ]
    assert umr.Diagnostic.from_dict(d.to_dict()) == d
    assert pickle.loads(pickle.dumps(d)) == d
    assert hash(d) == hash(umr.Diagnostic.from_dict(d.to_dict()))
    assert "E_SEMVER" in repr(d)


def test_validate_file(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(DEMO_YAML, encoding="utf-8")
    assert not [d for d in umr.validate_file(tmp_path / "ok.yaml") if d.severity == "error"]
    missing = umr.validate_file(tmp_path / "missing.yaml")
    assert [d.code for d in missing] == ["E_IO"]
    assert missing[0].file == str(tmp_path / "missing.yaml")


# ---- derive and save -----------------------------------------------------------------


def base_model() -> umr.Record:
    return rec(
        "model", "base", "1.0.0",
        title="Base",
        license="Apache-2.0",
        details={"parameters": 7000000000, "context_length": 4096},
        card={"intended_use": "Research.", "limitations": "English only."},
    )


def test_derive_holds_only_differences() -> None:
    base = base_model()
    child = base.derive(
        name="child", version="0.1.0",
        title="Base",  # same as base: dropped
        details={"parameters": 7000000000, "context_length": 8192},
        card={"intended_use": "Chat."},
    )
    d = child.to_dict()
    assert d["upstream"] == [{"name": "base", "version": "=1.0.0", "relation": "finetune"}]
    assert "title" not in d and "license" not in d
    assert d["details"] == {"context_length": 8192}
    assert d["card"] == {"intended_use": "Chat."}
    assert (child.name, child.version, child.kind) == ("child", "0.1.0", "model")
    adapter = base.derive("lora", "1.0.0", "adapter")
    assert adapter.to_dict()["upstream"][0]["relation"] == "adapter"
    with pytest.raises(umr.ArgumentError) as e:
        base.derive("x", "1.0.0", relation="fine-tune")
    assert e.value.code == "E_ENUM"
    with pytest.raises(umr.ValidationError):
        base.derive("x", "not-a-version")


def test_derive_from_effective_then_resolve(tmp_path: Path, umr_cli: Path) -> None:
    fam = rec("family", "fam", "1.0.0", license="MIT", card={"limitations": "Old data."})
    base = rec("model", "base", "1.0.0", upstream=["fam"])
    reg = umr.Registry([fam, base])
    eff = reg.resolve("base")
    assert eff.provenance_of("license") == "fam@1.0.0"
    child = eff.derive(name="org/child", version="1.0.0", license="MIT", title="Child")
    assert "license" not in child.to_dict()  # inherited value unchanged: not repeated
    assert child.validate() == []

    out = tmp_path / "out"
    out.mkdir()
    written = child.save(out)
    assert isinstance(written, Path)
    assert written == out / "org" / "child" / "child-1.0.0.yaml"
    assert umr.load(written) == child
    proc = cli_validate(umr_cli, written)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    as_json = child.save(tmp_path / "child.json")
    assert json.loads(as_json.read_text(encoding="utf-8")) == child.to_dict()
    assert umr.load(as_json) == child

    again = umr.Registry([fam, base, child]).resolve("org/child")
    assert again.record.to_dict()["license"] == "MIT"
    assert again.provenance_of("license") == "fam@1.0.0"
    assert again.provenance_of("title") == "org/child@1.0.0"


def test_save_errors(tmp_path: Path) -> None:
    r = base_model()
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(umr.UmrError) as e:
        r.save(blocker / "sub" / "r.yaml")
    assert isinstance(e.value, OSError) and isinstance(e.value, umr.IoError)
    assert e.value.code == "E_IO"
    assert blocker.read_text(encoding="utf-8") == "x"


# ---- registries ----------------------------------------------------------------------


def small_registry() -> umr.Registry:
    return umr.Registry([
        rec("dataset", "data", "1.0.0", risks=[{"id": "pii", "severity": "high"}]),
        rec("family", "fam", "1.0.0", license="MIT"),
        rec("model", "m", "1.0.0", upstream=["fam", "data"]),
        rec("model", "m", "1.1.0", upstream=["fam", "data"]),
        rec("model", "m", "2.0.0-rc.1", upstream=["fam"]),
        rec("model", "ft", "1.0.0", upstream=[{"name": "m", "version": "^1", "relation": "finetune"}]),
    ])


def test_registry_from_records() -> None:
    reg = small_registry()
    assert len(reg) == 6
    assert reg.names() == ["data", "fam", "ft", "m"]
    assert [r.id for r in reg.records()][:2] == ["data@1.0.0", "fam@1.0.0"]
    assert reg.find("m").version == "1.1.0"
    assert reg.find("m@1.0.0").version == "1.0.0"
    assert reg.find("m==1.0.0").version == "1.0.0"
    assert reg.find("m-1.0.0").version == "1.0.0"
    assert reg.find("m>=2.0.0-rc.1").version == "2.0.0-rc.1"
    assert reg.load_report == []
    assert repr(reg) == "<umr.Registry 6 records>"
    eff = reg.resolve("ft")
    assert eff.record.id == "ft@1.0.0"
    assert eff.provenance_of("license") == "fam@1.0.0"
    assert eff.provenance_of("no.such.field") is None
    assert list(eff.provenance)[:4] == ["format_version", "kind", "name", "version"]
    assert "ft@1.0.0" in repr(eff)


def test_registry_risks_affected_lineage_lock() -> None:
    reg = small_registry()
    risks = reg.risks("ft")
    assert [(r["id"], r["origin"], r["chain"]) for r in risks] == [
        ("pii", "data@1.0.0", ["data@1.0.0", "m@1.1.0", "ft@1.0.0"]),
    ]
    hits = reg.affected("data")
    assert [h["name"] + "@" + h["version"] for h in hits] == ["m@1.0.0", "m@1.1.0", "ft@1.0.0"]
    assert hits[-1]["chain"] == ["data@1.0.0", "m@1.1.0", "ft@1.0.0"]
    assert reg.affected("data", risk="other") == []
    lin = reg.lineage("m@1.1.0")
    assert lin["root"] == "m@1.1.0"
    assert {a["name"]: a["relation"] for a in lin["ancestors"]} == {"fam": "member_of", "data": "trained_on"}
    assert [d["name"] for d in lin["descendants"]] == ["ft"]
    with pytest.raises(umr.ArgumentError) as e:
        reg.lineage("m", format="svg")
    assert e.value.code == "E_ENUM"
    lock = reg.lock()
    assert lock["lock_version"] == 1
    assert lock["records"]["ft@1.0.0"]["upstream"] == [
        {"requirement": "m^1", "resolved": "m@1.1.0", "index": 0}
    ]


def test_registry_from_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        root.mkdir()
    rec("model", "x", "1.0.0", title="from a").save(a)
    rec("model", "x", "2.0.0", title="from b").save(b)
    rec("model", "y", "1.0.0").save(b)
    (b / "bad.yaml").write_text("kind: [\n", encoding="utf-8")
    reg = umr.Registry([a, str(b)])
    assert reg.find("x").to_dict()["title"] == "from a"  # the first root owns `x`
    assert reg.names() == ["x", "y"]
    errors = [d for d in reg.load_report if d.severity == "error"]
    assert errors and errors[0].file is not None and errors[0].file.endswith("bad.yaml")
    single = umr.Registry(b)
    assert single.find("x").version == "2.0.0"
    assert len(umr.Registry([])) == 0
    with pytest.raises(TypeError):
        umr.Registry(42)  # type: ignore[arg-type]


def test_resolve_all_returns_errors_in_place() -> None:
    reg = umr.Registry([
        rec("model", "ok", "1.0.0"),
        rec("model", "orphan", "1.0.0", upstream=["missing"]),
        rec("model", "child", "1.0.0", upstream=["orphan"]),
    ])
    results = reg.resolve_all()
    assert set(results) == {"ok@1.0.0", "orphan@1.0.0", "child@1.0.0"}
    assert isinstance(results["ok@1.0.0"], umr.Effective)
    err = results["orphan@1.0.0"]
    assert isinstance(err, umr.ResolveError) and err.code == "E_MISSING_PARENT"
    child_err = results["child@1.0.0"]
    assert isinstance(child_err, umr.ResolveError)
    assert child_err.chain[0] == "child@1.0.0"


# ---- diff and bump -------------------------------------------------------------------


def test_diff_and_required_bump() -> None:
    old = base_model()
    same = umr.Record.from_dict(old.to_dict())
    assert umr.diff(old, same) == []
    assert umr.required_bump(old, same) == "none"
    text = {**old.to_dict(), "title": "Base v2"}
    assert umr.required_bump(old, text) == "patch"
    tags = {**old.to_dict(), "tags": ["new"]}
    assert umr.required_bump(old, tags) == "minor"
    lic = {**old.to_dict(), "license": "MIT"}
    assert umr.required_bump(old.to_dict(), lic) == "major"
    (change,) = umr.diff(old, lic)
    assert change == {
        "path": "license", "op": "changed", "old": "Apache-2.0", "new": "MIT",
        "bump": "major", "rule": "license-change",
    }
    (added,) = umr.diff(old, tags)
    assert added["op"] == "added" and "old" not in added
    with pytest.raises(TypeError):
        umr.diff(old, {1, 2})  # type: ignore[arg-type]


def test_cli_agrees_on_derived_record(tmp_path: Path, umr_cli: Path) -> None:
    r = base_model().derive("child", "1.0.0", card={"intended_use": "Chat."})
    path = r.save(tmp_path / "child.yaml")
    proc = cli_validate(umr_cli, path)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [str(umr_cli), "validate", "--format", "json", str(path)],
        capture_output=True, text=True, check=False,
    )
    assert json.loads(proc.stdout) == [d.to_dict() for d in umr.validate_file(path)]
