"""Thread safety and GIL release (smoke tests; speed is measured by benchmarks, not here)."""

from __future__ import annotations

import faulthandler
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import umr

RECORD = "format_version: '1.0'\nkind: model\nname: piped\nversion: 1.0.0\n"


def test_shared_registry_from_many_threads(corpus: Path) -> None:
    reg = umr.Registry(corpus)  # fresh: its caches are filled concurrently below
    names = reg.names()

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


def test_parallel_loading_and_resolve_all(corpus: Path) -> None:
    def load_and_resolve(_: int) -> "list[str]":
        reg = umr.Registry(corpus)
        return [k for k, v in reg.resolve_all().items() if isinstance(v, umr.Effective)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(load_and_resolve, range(8)))
    assert all(r == results[0] for r in results)
    assert results[0]


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
