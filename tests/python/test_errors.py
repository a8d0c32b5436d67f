"""The exception hierarchy: one class per core error kind, with code, location,
diagnostics and chain; a Rust panic becomes an `InternalError` (code `E_PANIC`)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import umr

from conftest import rec


def test_hierarchy() -> None:
    assert issubclass(umr.UmrError, ValueError)
    for cls in (
        umr.ValidationError, umr.ResolveError, umr.IoError, umr.RefusedError, umr.ArgumentError,
        umr.InternalError,
    ):
        assert issubclass(cls, umr.UmrError)
        assert cls.__module__ == "umr"
    assert issubclass(umr.CycleError, umr.ResolveError)
    assert issubclass(umr.IoError, OSError)
    assert not issubclass(umr.ValidationError, OSError)


def test_validation_error() -> None:
    text = "format_version: '1.0'\nkind: robot\nname: demo\nversion: 1.0.0\nbogus: 1\n"
    with pytest.raises(umr.ValidationError) as info:
        umr.Record.from_yaml(text, file="r.yaml")
    e = info.value
    assert isinstance(e, ValueError)
    assert (e.code, e.path, e.line, e.column) == ("E_ENUM", "kind", 2, 7)
    assert e.chain == []
    assert [d.code for d in e.errors] == ["E_ENUM"]
    assert {d.severity for d in e.diagnostics} == {"error", "warning"}
    assert all(d.severity == "error" for d in e.errors)
    assert str(e).startswith("r.yaml:2:7: error [E_ENUM] at kind")
    assert e.message == str(e)
    assert e.diagnostics == umr.validate(text, file="r.yaml")
    with pytest.raises(umr.ValidationError):
        umr.Record.from_json("{", file="r.json")
    with pytest.raises(umr.ValidationError):
        umr.Record.from_dict({"kind": "model"})


def test_errors_pickle() -> None:
    with pytest.raises(umr.ValidationError) as info:
        umr.Record.from_yaml("kind: model\n")
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is umr.ValidationError
    assert (again.code, again.path, again.line, again.diagnostics) == (
        info.value.code, info.value.path, info.value.line, info.value.diagnostics,
    )


def test_resolve_errors() -> None:
    reg = umr.Registry([
        rec("model", "a", "1.0.0", upstream=["gone"]),
        rec("model", "b", "1.0.0", upstream=[{"name": "a", "version": ">=2"}]),
        rec("model", "c", "1.0.0", upstream=["a"]),
    ])
    with pytest.raises(umr.ResolveError) as info:
        reg.resolve("nope")
    assert info.value.code == "E_NOT_FOUND"
    with pytest.raises(umr.ResolveError) as info:
        reg.resolve("a")
    assert info.value.code == "E_MISSING_PARENT"
    assert info.value.chain == ["a@1.0.0"]
    with pytest.raises(umr.ResolveError) as info:
        reg.resolve("b")
    assert info.value.code == "E_UNSATISFIED"
    with pytest.raises(umr.ResolveError) as info:
        reg.resolve("c")
    assert info.value.chain == ["c@1.0.0", "a@1.0.0"]
    with pytest.raises(umr.ResolveError):
        reg.find("a>=3")


def test_cycle_error() -> None:
    reg = umr.Registry([
        rec("model", "a", "1.0.0", upstream=["b"]),
        rec("model", "b", "1.0.0", upstream=["c"]),
        rec("model", "c", "1.0.0", upstream=["a"]),
    ])
    with pytest.raises(umr.CycleError) as info:
        reg.resolve("b")
    e = info.value
    assert isinstance(e, umr.ResolveError)
    assert e.code == "E_CYCLE"
    assert e.chain[0] == e.chain[-1] and len(e.chain) == 4
    assert set(e.chain) == {"a@1.0.0", "b@1.0.0", "c@1.0.0"}
    assert all(isinstance(v, umr.CycleError) for v in reg.resolve_all().values())


def test_io_error(tmp_path: Path) -> None:
    with pytest.raises(umr.IoError) as info:
        umr.Registry(tmp_path / "no-such-folder")
    e = info.value
    assert isinstance(e, OSError) and isinstance(e, ValueError)
    assert e.code == "E_IO"
    assert "no-such-folder" in str(e)
    try:
        umr.Registry(str(tmp_path / "missing"))
    except OSError:
        pass
    else:  # pragma: no cover
        raise AssertionError("expected an OSError")


def test_load_missing_file(tmp_path: Path) -> None:
    """A file that cannot be read is an IoError (an OSError), not an invalid record."""
    missing = tmp_path / "missing.yaml"
    with pytest.raises(umr.IoError) as info:
        umr.load(missing)
    assert isinstance(info.value, OSError)
    assert info.value.code == "E_IO"
    assert str(missing) in str(info.value)
    assert info.value.diagnostics == []
    with pytest.raises(umr.IoError):
        umr.load(tmp_path)  # a folder
    # validate_file still reports it as a diagnostic
    assert [d.code for d in umr.validate_file(missing)] == ["E_IO"]


def test_refused_error() -> None:
    r = rec("model", "a", "1.0.0")
    with pytest.raises(umr.RefusedError) as info:
        umr.Registry([r, r])
    assert info.value.code == "E_DUPLICATE_RECORD"
    assert "a@1.0.0" in str(info.value)


def test_argument_errors() -> None:
    reg = umr.Registry([rec("model", "a", "1.0.0")])
    with pytest.raises(umr.ArgumentError) as info:
        reg.find("not a name!")
    assert info.value.code == "E_REFERENCE"
    with pytest.raises(umr.ArgumentError) as info:
        reg.resolve("a>=banana")
    assert info.value.path is None and info.value.diagnostics == []


def test_panic_becomes_an_internal_error() -> None:
    for _ in range(3):
        with pytest.raises(umr.InternalError) as info:
            umr._debug_panic()
        e = info.value
        assert isinstance(e, umr.UmrError)
        assert e.code == "E_PANIC"
        assert "deliberate panic" in str(e)
        assert (e.path, e.line, e.diagnostics, e.chain) == (None, None, [], [])
    # the interpreter and the module still work
    assert umr.Record.from_dict(
        {"format_version": "1.0", "kind": "model", "name": "x", "version": "1.0.0"}
    ).id == "x@1.0.0"


def test_panic_does_not_abort_a_fresh_interpreter() -> None:
    code = (
        "import umr\n"
        "try:\n"
        "    umr._debug_panic()\n"
        "except umr.UmrError as e:\n"
        "    print('caught', type(e).__name__, e.code)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "caught InternalError E_PANIC"
