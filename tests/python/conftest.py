"""Shared fixtures of the Python test suite (run by scripts/test.d/30-python.sh)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import pytest

import umr

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"
EXAMPLES = REPO / "examples" / "registry"
# the prototype's 88 records, beside the checkout (see ../shared/corpus/README.md)
CORPUS = REPO.parent / "shared" / "corpus" / "modelrecords-poc"


def base_record(kind: str, name: str, version: str, **extra: Any) -> Dict[str, Any]:
    """A minimal record as a dict."""
    d: Dict[str, Any] = {"format_version": "1.0", "kind": kind, "name": name, "version": version}
    d.update(extra)
    return d


def rec(kind: str, name: str, version: str, **extra: Any) -> umr.Record:
    return umr.Record.from_dict(base_record(kind, name, version, **extra))


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"prototype corpus not found at {CORPUS} (expected ../shared/corpus beside the checkout)")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_registry(corpus: Path) -> umr.Registry:
    return umr.Registry(corpus)


@pytest.fixture(scope="session")
def examples() -> Path:
    if not EXAMPLES.is_dir():
        pytest.skip(f"example registry not found at {EXAMPLES}")
    return EXAMPLES


def _cli_path() -> Path:
    env = os.environ.get("UMR_CLI")
    if env:
        return Path(env)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "debug" / ("umr.exe" if os.name == "nt" else "umr")


@pytest.fixture(scope="session")
def umr_cli() -> Path:
    """The `umr` command line (`cargo build -q -p umr-cli` when it is not built yet)."""
    path = _cli_path()
    if not path.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "umr-cli"], cwd=REPO, check=True)
    assert path.exists(), f"{path} was not built"
    return path


def cli_validate(cli: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(cli), "validate", *map(str, files)], capture_output=True, text=True, check=False
    )


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run the test from a fresh temporary folder."""
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def first_error(diags: "list[umr.Diagnostic]") -> Optional[umr.Diagnostic]:
    return next((d for d in diags if d.severity == "error"), None)
