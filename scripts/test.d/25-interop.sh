#!/usr/bin/env bash
# Interop suite: CycloneDX / SPDX 3 exports validated against the official schemas (and the
# SPDX SHACL model when pyshacl is installed), Hugging Face card round trips read back with
# PyYAML, all through the `umr` binary (target/debug/umr). Needs ../shared/corpus; the
# tests skip with a message without it.
set -euo pipefail
cargo build -p umr-cli
"${UMR_VENV:-.venv}/bin/python" -m pytest -q tests/interop
