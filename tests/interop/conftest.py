"""pytest configuration of the interop suite: the `corpus` marker (second tier, skipped with
a reason when the corpus is absent), the `umr` fixture (fails, never skips, when the binary
is missing) and shared session fixtures."""

from __future__ import annotations

import pathlib

import pytest

from .interop_support import (
    CORPUS,
    CORPUS_SKIP_REASON,
    HAS_CORPUS,
    Umr,
    card_cases,
    missing_bin_message,
    umr_bin_path,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "corpus: second tier: needs the third-party corpus ($UMR_CORPUS, default ../shared/corpus "
        "beside the checkout); skipped with a reason when it is absent",
    )


def pytest_report_header(config: pytest.Config) -> list:
    path, source = umr_bin_path()
    return [
        f"umr binary: {path} (from {source})",
        f"corpus tier: {'RUN' if HAS_CORPUS else 'NOT RUN'} ({CORPUS})",
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    if HAS_CORPUS:
        return
    skip = pytest.mark.skip(reason=CORPUS_SKIP_REASON)
    for item in items:
        if "corpus" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def umr() -> Umr:
    msg = missing_bin_message()
    if msg:
        pytest.fail(msg, pytrace=False)
    return Umr(umr_bin_path()[0])


@pytest.fixture(scope="session")
def fixture_registry(umr: Umr, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """Every importable fixture card imported into one registry folder (`umr import hf -o`)."""
    reg = tmp_path_factory.mktemp("fixture-registry")
    for case in card_cases():
        if case.error is None:
            umr("import", "hf", str(case.path), "-o", str(reg), *case.options)
    umr("validate", str(reg))
    return reg
