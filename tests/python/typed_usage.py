"""A typed use of the public API, checked by `mypy --strict` (scripts/test.d/30-python.sh)
and executed by test_typing.py, so that the stubs and the runtime agree."""

from __future__ import annotations

import json
import pickle
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import umr


def typed_usage() -> None:
    version: str = umr.__version__
    assert version

    rec: umr.Record = umr.Record.from_dict(
        {"format_version": "1.0", "kind": "model", "name": "base", "version": "1.0.0",
         "license": "MIT"}
    )
    same: umr.Record = umr.Record.from_yaml(rec.to_yaml(), file="base.yaml")
    also: umr.Record = umr.Record.from_json(rec.to_json())
    assert rec == same == also
    data: Dict[str, Any] = rec.to_dict()
    name: str = rec.name
    ver: str = rec.version
    kind: str = rec.kind
    ident: str = rec.id
    file: Optional[str] = same.file
    warnings: List[umr.Diagnostic] = rec.warnings + rec.validate()
    html: str = rec._repr_html_()
    assert data and name and ver and kind and ident and file and html and not warnings

    diags: List[umr.Diagnostic] = umr.validate("kind: model\n", syntax="yaml", file="x.yaml")
    for d in diags:
        line: Optional[int] = d.line
        column: Optional[int] = d.column
        code: str = d.code
        severity: str = d.severity
        help_text: Optional[str] = d.help
        as_dict: Dict[str, Any] = d.to_dict()
        assert code and severity and as_dict and (line is None or column is not None)
        assert help_text is None or help_text
        assert umr.Diagnostic.from_dict(as_dict) == d
        assert pickle.loads(pickle.dumps(d)) == d

    child: umr.Record = rec.derive("child", "1.0.0", "finetune", title="Child")
    other: umr.Record = rec.derive(name="other", version="1.0.0", relation=None)

    changes: List[Dict[str, Any]] = umr.diff(rec, child.to_dict())
    bump: str = umr.required_bump(rec, other)
    assert changes and bump == "major"

    with tempfile.TemporaryDirectory() as tmp:
        written: Path = child.save(tmp)
        loaded: umr.Record = umr.load(written)
        assert loaded == child
        file_diags: List[umr.Diagnostic] = umr.validate_file(str(written))
        assert file_diags == []
        reg_from_dir = umr.Registry(tmp)
        reg_from_dirs = umr.Registry([Path(tmp)])
        assert len(reg_from_dir) == len(reg_from_dirs) == 1

    reg = umr.Registry([rec, child, other])
    eff: umr.Effective = reg.resolve("child")
    prov: Dict[str, str] = eff.provenance
    who: Optional[str] = eff.provenance_of("license")
    assert prov and who == "base@1.0.0"
    grandchild: umr.Record = eff.derive("grandchild", "1.0.0", relation="adapter")
    assert grandchild.name == "grandchild"
    found: umr.Record = reg.find("base@1.0.0")
    graph: Dict[str, Any] = reg.lineage("child")
    dot: str = reg.lineage("child", format="dot")
    either: Union[Dict[str, Any], str] = reg.lineage("child", format=str("tree"))
    hits: List[Dict[str, Any]] = reg.affected("base", risk=None)
    risks: List[Dict[str, Any]] = reg.risks("child")
    lock: Dict[str, Any] = reg.lock()
    names: List[str] = reg.names()
    records: List[umr.Record] = reg.records()
    report: List[umr.Diagnostic] = reg.load_report
    prov2: Dict[str, str] = reg.provenance("child")
    assert found and graph and dot and either and hits and not risks and lock and names
    assert records and not report and prov2 == prov and len(reg) == 3

    # transparency scoring
    editions: List[Dict[str, Any]] = umr.editions()
    own_score: Dict[str, Any] = umr.score_record(rec, edition=None)
    score_report: Dict[str, Any] = reg.score("child", edition="fmti2023")
    assert editions and own_score["edition"] == score_report["edition"] == "fmti2023"

    # rendering
    page: str = rec.render("html") + reg.render("child", "md") + reg.render("child", "svg")
    pdf: bytes = reg.render("child", "pdf") + rec.render("pdf")
    rendered: Union[str, bytes] = rec.render(str("tex"))
    card_html: str = eff._repr_html_() + rec._repr_html_()
    assert page and pdf.startswith(b"%PDF-") and rendered and card_html

    # interoperability
    card: str = umr.export_hf_card(child) + umr.export_hf_card(rec.to_dict())
    imported: umr.CardImport = umr.import_hf_card(
        card.split("\n---\n# ", 1)[0] + "\n---\n", name="imported", version="1.0.0", kind="model",
        file="README.md",
    )
    card_record: umr.Record = imported.record
    card_warnings: List[umr.Diagnostic] = imported.warnings
    unpacked, _ = umr.import_hf_card(umr.export_hf_card(rec), name="base")
    assert card_record.name == "imported" and unpacked.name == "base"
    assert all(w.severity == "warning" for w in card_warnings)
    hf_text: str = reg.export_hf("child") + reg.export_hf("child", effective=False)
    bom: Dict[str, Any] = reg.export_cyclonedx(
        "child", spec_version="1.7", lineage=True, effective=True, timestamp=None
    )
    spdx: Dict[str, Any] = reg.export_spdx(
        "child", lineage=False, namespace="urn:x:", created="2024-01-01T00:00:00Z"
    )
    boms: umr.BomImport = umr.import_cyclonedx(json.dumps(bom), name=None, version=None, file="b.json")
    bom_records: List[umr.Record] = boms.records
    assert hf_text and spdx and bom_records and boms.warnings == []

    results: Dict[str, Union[umr.Effective, umr.UmrError]] = reg.resolve_all()
    for key, value in results.items():
        if isinstance(value, umr.UmrError):
            raise value
        assert value.record.id == key

    try:
        reg.resolve("missing")
    except umr.CycleError as e:
        cycle: List[str] = e.chain
        assert cycle
    except umr.ResolveError as e:
        err_code: str = e.code
        err_path: Optional[str] = e.path
        err_line: Optional[int] = e.line
        err_diags: List[umr.Diagnostic] = e.diagnostics
        assert err_code == "E_NOT_FOUND" and err_path is None and err_line is None
        assert err_diags == []
    try:
        umr.Record.from_yaml("kind: model\n")
    except umr.ValidationError as e:
        errors: List[umr.Diagnostic] = e.errors
        assert errors
    except (umr.IoError, umr.RefusedError, umr.ArgumentError, umr.InternalError):
        raise


if __name__ == "__main__":
    typed_usage()
