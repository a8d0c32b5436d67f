"""The typed usage file runs (mypy --strict checks it in scripts/test.d/30-python.sh)."""

from __future__ import annotations

from typed_usage import typed_usage


def test_typed_usage_runs() -> None:
    typed_usage()
