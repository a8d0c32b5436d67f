#!/usr/bin/env bash
# scripts/test.d/25-interop.sh - the interop suite (tests/interop), through the `umr` binary:
#
#   fixture tier (always): CycloneDX 1.6 / 1.7 exports validated by cyclonedx-python-lib's
#     JSON validator (the official schemas), SPDX 3.0.1 exports deserialised and type-checked
#     by spdx-python-model, Hugging Face card round trips read back with PyYAML, located
#     diagnostics of malformed cards, CycloneDX import; inputs: examples/registry and the
#     project's own fixtures in tests/fixtures (hf/, cyclonedx/);
#   corpus tier (marker `corpus`): the same on the third-party corpus ($UMR_CORPUS, else
#     ../shared/corpus beside the checkout), plus the SPDX JSON schema and SHACL model of the
#     corpus; skipped with a reason when the corpus is absent (UMR_CORPUS=/nonexistent
#     simulates a fresh machine).
#
# The binary is the one cargo reports building (`executable` of the `umr` bin artifact), so
# any CARGO_TARGET_DIR (or a target-dir in a cargo config) works; it is passed as UMR_BIN.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
VENV="${UMR_VENV:-.venv}"
case "$VENV" in /*) ;; *) VENV="$REPO/$VENV" ;; esac
PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
  echo "25-interop: $PY not found; run scripts/setup.sh first" >&2
  exit 1
fi

echo "-- 25-interop: cargo build -p umr-cli" >&2
UMR_BIN="$(bash scripts/lib/umr-bin.sh)"
export UMR_BIN
echo "-- 25-interop: UMR_BIN=$UMR_BIN; corpus: ${UMR_CORPUS:-../shared/corpus (default)}" >&2

UMR_TEST_LABEL="tests/interop" PYTHONPATH="$REPO/scripts/lib${PYTHONPATH:+:$PYTHONPATH}" \
  "$PY" -m pytest -q -rs --strict-markers -p no:cacheprovider -p pytest_umr tests/interop
