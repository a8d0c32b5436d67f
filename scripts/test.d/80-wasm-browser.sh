#!/usr/bin/env bash
# scripts/test.d/80-wasm-browser.sh - the web build in headless Chromium: the static
# validator page (web/validator/) served from 127.0.0.1, driven by playwright-core with
# Debian's /usr/bin/chromium (tests/wasm/browser.test.cjs): type an invalid record and see
# the located error, fix it and see the card, several documents and the lineage graph,
# dropped files, a model card, the shared vectors compared with the Rust core, a panic, no
# console errors.
set -euo pipefail

# the full package, which the page uses: up to date after 70-wasm (a no-op then), built
# when this suite runs on its own
UMR_WASM_FLAVOURS=full bash crates/umr-wasm/build.sh

PARITY="$(mktemp /tmp/umr-wasm-parity.XXXXXX.json)"
trap 'rm -f "$PARITY"' EXIT
cargo run -q -p umr-wasm --example parity -- tests/vectors examples/registry >"$PARITY"
UMR_WASM_PARITY_JSON="$PARITY" node --test tests/wasm/browser.test.cjs
