#!/usr/bin/env bash
# scripts/test.d/30-python.sh - the Python package `umr` (crates/umr-py):
#   1. build the `umr` command line (the tests check derived records with `umr validate`)
#   2. `maturin develop` the extension into the repository's .venv (debug build, shared target/)
#   3. pytest tests/python (conformance vectors, prototype corpus, API, errors, threads,
#      every ```python block of docs/python.md)
#   4. mypy --strict on tests/python/typed_usage.py, and mypy.stubtest on the stubs
# Exits non-zero on the first failure. Expects scripts/setup.sh to have made .venv.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"

VENV="${UMR_VENV:-.venv}"
case "$VENV" in /*) ;; *) VENV="$REPO/$VENV" ;; esac
PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
  echo "30-python: $PY not found; run scripts/setup.sh first" >&2
  exit 1
fi
export VIRTUAL_ENV="$VENV"
export PYO3_PYTHON="${PYO3_PYTHON:-$PY}"
export PATH="$VENV/bin:$PATH"
# caches go to the (git-ignored) target/ folder
TARGET="${UMR_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps \
  | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')}"
export MYPY_CACHE_DIR="$TARGET/mypy-cache"

step() { printf '\n-- 30-python: %s\n' "$*"; }

step "cargo build -p umr-cli"
UMR_BIN="$(bash scripts/lib/umr-bin.sh)"
export UMR_BIN

step "maturin develop"
"$PY" -m maturin develop -q -m crates/umr-py/Cargo.toml

step "pytest tests/python"
UMR_TEST_LABEL="tests/python" PYTHONPATH="$REPO/scripts/lib${PYTHONPATH:+:$PYTHONPATH}" \
  "$PY" -m pytest -q -rs -p pytest_umr -o cache_dir="$TARGET/pytest-cache" tests/python

step "mypy --strict tests/python/typed_usage.py"
"$PY" -m mypy --strict --no-incremental tests/python/typed_usage.py

step "mypy.stubtest umr"
# (run from target/: stubtest writes a .mypy_cache in the working folder)
(cd "$TARGET" && "$PY" -m mypy.stubtest umr)
