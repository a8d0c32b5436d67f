"""The shared conformance vectors (tests/vectors/*.json), with the comparisons of the Rust
runner crates/umr-core/tests/vectors.rs: validity, the normalised value as JSON text (key
order counts), every error (code, path, line, column) and every warning (code, path), in
order; `help` is compared only when the expected entry has one. Every vector must pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import umr

from conftest import VECTORS

FILES = sorted(VECTORS.glob("*.json")) if VECTORS.is_dir() else []


def error_view(d: umr.Diagnostic, with_help: bool) -> Dict[str, Any]:
    v: Dict[str, Any] = {"code": d.code, "path": d.path, "line": d.line, "column": d.column}
    if with_help:
        v["help"] = d.help
    return v


def warning_view(d: umr.Diagnostic, with_help: bool) -> Dict[str, Any]:
    v: Dict[str, Any] = {"code": d.code, "path": d.path}
    if with_help:
        v["help"] = d.help
    return v


def run_vector(v: Dict[str, Any]) -> List[str]:
    problems: List[str] = []
    expect = v["expect"]
    file = v.get("file")
    diags = umr.validate(v["input"], syntax=v["syntax"], file=file)
    errors = [d for d in diags if d.severity == "error"]
    warnings = [d for d in diags if d.severity == "warning"]

    record = None
    raised = None
    try:
        if v["syntax"] == "json":
            record = umr.Record.from_json(v["input"], file=file)
        else:
            record = umr.Record.from_yaml(v["input"], file=file)
    except umr.ValidationError as e:
        raised = e
    is_valid = record is not None
    if is_valid != expect["valid"]:
        problems.append(f"expected valid = {expect['valid']}, got valid = {is_valid}")
    if is_valid and errors:
        problems.append("a record was returned together with error diagnostics")
    if raised is not None and raised.diagnostics != diags:
        problems.append("ValidationError.diagnostics differ from umr.validate()")

    for what, exp, actual, view in (
        ("errors", expect.get("errors") or [], errors, error_view),
        ("warnings", expect.get("warnings") or [], warnings, warning_view),
    ):
        got = [view(a, i < len(exp) and "help" in exp[i]) for i, a in enumerate(actual)]
        if got != exp:
            problems.append(f"{what} differ\n  expected: {exp}\n  actual:   {got}")

    if expect["valid"] and record is not None:
        want = json.dumps(expect["normalized"], ensure_ascii=False)
        got_text = json.dumps(record.to_dict(), ensure_ascii=False)
        if want != got_text:
            problems.append(f"normalized value differs\n  expected: {want}\n  actual:   {got_text}")
        # the core's own JSON text round-trips to the same value and key order
        if json.dumps(json.loads(record.to_json()), ensure_ascii=False) != want:
            problems.append("Record.to_json() differs from the normalized value")
    return problems


def test_vectors_present() -> None:
    # the vectors are part of the repository: their absence is a failure, not a skip
    assert VECTORS.is_dir(), f"{VECTORS} is missing"
    assert len(FILES) >= 40, f"expected at least 40 vectors in {VECTORS}, found {len(FILES)}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_vector(path: Path) -> None:
    v = json.loads(path.read_text(encoding="utf-8"))
    problems = run_vector(v)
    assert not problems, f"{path.name}: {v['description']}\n" + "\n".join(problems)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_vector_name_says_what_it_expects(path: Path) -> None:
    v = json.loads(path.read_text(encoding="utf-8"))
    prefix = "valid-" if v["expect"]["valid"] else "invalid-"
    assert path.stem.startswith(prefix)
