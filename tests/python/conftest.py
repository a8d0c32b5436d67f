"""Shared fixtures of the Python test suite (run by scripts/test.d/30-python.sh).

Two tiers of data:

* the project's own fixtures, always there: ``LEGACY_FIXTURE`` (tests/fixtures/legacy-registry,
  a registry in the prototype's dialect written for this project) and ``EXAMPLES``;
* the second-tier corpus of third-party documents: ``$UMR_CORPUS`` when set (a relative path
  is taken from the repository root; a folder that does not exist means the tier does not
  run), else ``../shared/corpus`` beside the checkout. ``CORPUS`` is its prototype records,
  ``CORPUS_ROOT / "modelrecords-poc"``. Tests that need it take the ``corpus`` or
  ``corpus_registry`` fixture, or carry the ``corpus`` marker: they skip with the reason.

The ``umr`` command line: ``$UMR_BIN``; else ``$CARGO_TARGET_DIR/debug/umr`` (relative to the
repository root); else the target folder ``cargo metadata`` reports. Built with
``cargo build -p umr-cli`` when missing (unless ``$UMR_BIN`` names it).
"""

from __future__ import annotations

import json
import os
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import pytest

import umr

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"
EXAMPLES = REPO / "examples" / "registry"
# the project's own registry in the prototype's dialect (see its README.md)
LEGACY_FIXTURE = REPO / "tests" / "fixtures" / "legacy-registry"


def _corpus_root() -> Path:
    env = os.environ.get("UMR_CORPUS")
    if env:
        return (REPO / env).resolve() if not Path(env).is_absolute() else Path(env)
    return (REPO.parent / "shared" / "corpus").resolve()


# the second tier (see ../shared/corpus/README.md); CORPUS: the prototype's 88 records
CORPUS_ROOT = _corpus_root()
CORPUS = CORPUS_ROOT / "modelrecords-poc"
CORPUS_SKIP = f"corpus tier not run: {CORPUS} is absent (set UMR_CORPUS=DIR to run it)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "corpus: needs the second-tier corpus ($UMR_CORPUS, else ../shared/corpus); skipped without it"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: "list[pytest.Item]") -> None:
    if CORPUS.is_dir():
        return
    for item in items:
        if item.get_closest_marker("corpus") is not None:
            item.add_marker(pytest.mark.skip(reason=CORPUS_SKIP))


def base_record(kind: str, name: str, version: str, **extra: Any) -> Dict[str, Any]:
    """A minimal record as a dict."""
    d: Dict[str, Any] = {"format_version": "1.0", "kind": kind, "name": name, "version": version}
    d.update(extra)
    return d


def rec(kind: str, name: str, version: str, **extra: Any) -> umr.Record:
    return umr.Record.from_dict(base_record(kind, name, version, **extra))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The prototype's records of the corpus tier (skips the test without them)."""
    if not CORPUS.is_dir():
        pytest.skip(CORPUS_SKIP)
    return CORPUS


@pytest.fixture(scope="session")
def corpus_registry(corpus: Path) -> umr.Registry:
    return umr.Registry(corpus)


@pytest.fixture(scope="session")
def legacy_fixture() -> Path:
    """The project's own registry in the prototype's dialect (always there)."""
    assert LEGACY_FIXTURE.is_dir(), f"{LEGACY_FIXTURE} is missing"
    return LEGACY_FIXTURE


@pytest.fixture(scope="session")
def legacy_registry(legacy_fixture: Path) -> umr.Registry:
    return umr.Registry(legacy_fixture)


@pytest.fixture(scope="session")
def examples() -> Path:
    if not EXAMPLES.is_dir():
        pytest.skip(f"example registry not found at {EXAMPLES}")
    return EXAMPLES


@lru_cache(maxsize=None)
def _cargo_target_dir() -> Path:
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    return Path(json.loads(out)["target_directory"])


def _cli_path() -> Path:
    """Where the `umr` binary is: $UMR_BIN, $CARGO_TARGET_DIR/debug/umr, or cargo's target."""
    exe = "umr.exe" if os.name == "nt" else "umr"
    env = os.environ.get("UMR_BIN")
    if env:
        return REPO / env if not Path(env).is_absolute() else Path(env)
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        return (REPO / target if not Path(target).is_absolute() else Path(target)) / "debug" / exe
    return _cargo_target_dir() / "debug" / exe


@pytest.fixture(scope="session")
def umr_cli() -> Path:
    """The `umr` command line (`cargo build -q -p umr-cli` when it is not built yet)."""
    path = _cli_path()
    if not path.exists() and not os.environ.get("UMR_BIN"):
        subprocess.run(["cargo", "build", "-q", "-p", "umr-cli"], cwd=REPO, check=True)
    assert path.exists(), f"{path} was not built (UMR_BIN={os.environ.get('UMR_BIN')!r})"
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
