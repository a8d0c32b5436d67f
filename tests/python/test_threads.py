"""Thread safety and GIL release (smoke tests; speed is measured by benchmarks, not here).

The registry tests run on the project's own registry (tests/fixtures/legacy-registry) and,
when present, on the prototype's 88 records of the corpus tier."""

from __future__ import annotations

import faulthandler
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import umr

from conftest import CORPUS, LEGACY_FIXTURE

RECORD = "format_version: '1.0'\nkind: model\nname: piped\nversion: 1.0.0\n"

REGISTRIES = [
    pytest.param(LEGACY_FIXTURE, id="fixture"),
    pytest.param(CORPUS, id="corpus", marks=pytest.mark.corpus),
]


@pytest.mark.parametrize("root", REGISTRIES)
def test_shared_registry_from_many_threads(root: Path) -> None:
    reg = umr.Registry(root)  # fresh: its caches are filled concurrently below
    names = reg.names()
    assert len(names) >= 20

    def work(name: str) -> "tuple[str, object]":
        try:
            eff = reg.resolve(name)
            return name, (eff.record.to_dict(), eff.provenance, reg.risks(name))
        except umr.UmrError as e:
            return name, ("error", e.code)

    with ThreadPoolExecutor(max_workers=8) as pool:
        first = dict(pool.map(work, names * 3))
    with ThreadPoolExecutor(max_workers=8) as pool:
        second = dict(pool.map(work, reversed(names)))
    assert first == second
    assert len(first) == len(names)
    # and the same as one thread alone, in a registry of its own
    alone = umr.Registry(root)
    for name in names:
        eff = alone.resolve(name)
        assert first[name] == (eff.record.to_dict(), eff.provenance, alone.risks(name))


@pytest.mark.parametrize("root", REGISTRIES)
def test_parallel_loading_and_resolve_all(root: Path) -> None:
    def load_and_resolve(_: int) -> "list[str]":
        reg = umr.Registry(root)
        return [k for k, v in reg.resolve_all().items() if isinstance(v, umr.Effective)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(load_and_resolve, range(8)))
    assert all(r == results[0] for r in results)
    assert len(results[0]) == len(umr.Registry(root))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("call", ["load", "validate_file"])
def test_file_reads_release_the_gil(tmp_path: Path, call: str) -> None:
    """`umr.load` blocks reading a named pipe whose writer is a Python thread: it can only
    finish if the GIL is released while the core reads. A watchdog turns a deadlock into a
    failure instead of a hang."""
    fifo = tmp_path / "piped-1.0.0.yaml"
    os.mkfifo(fifo)

    def writer() -> None:
        with open(fifo, "w", encoding="utf-8") as f:
            f.write(RECORD)

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    faulthandler.dump_traceback_later(120, exit=True)
    try:
        if call == "load":
            assert umr.load(fifo).id == "piped@1.0.0"
        else:
            assert umr.validate_file(fifo) == []
    finally:
        faulthandler.cancel_dump_traceback_later()
    t.join()
