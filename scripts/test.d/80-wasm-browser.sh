#!/usr/bin/env bash
# scripts/test.d/80-wasm-browser.sh - the web build in headless Chromium: the static
# validator page (web/validator/) served from 127.0.0.1, driven by playwright-core with
# Debian's /usr/bin/chromium (tests/wasm/browser.test.cjs): type an invalid record and see
# the located error, fix it and see the card, several documents and the lineage graph,
# dropped files, a model card, the shared vectors compared with the Rust core, a panic, no
# console errors; and the page's package (pkg/web) within the budget of 350 KiB gzipped
# (UMR_WASM_BUDGET_KB).
set -euo pipefail

# the full package, which the page uses: up to date after 70-wasm (a no-op then), built
# when this suite runs on its own
UMR_WASM_FLAVOURS=full bash crates/umr-wasm/build.sh

# the page's package within the size budget (70-wasm checks every package; this suite may
# run alone): every file of the folder, gzip -9
BUDGET_KB="${UMR_WASM_BUDGET_KB:-350}"
gz=0
for f in crates/umr-wasm/pkg/web/*; do
  [ -f "$f" ] && gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
done
if [ "$gz" -gt $((BUDGET_KB * 1024)) ]; then
  echo "[80-wasm-browser] FAIL: pkg/web is $(((gz + 1023) / 1024)) KiB gzipped, over the budget of $BUDGET_KB KiB" >&2
  exit 1
fi
echo "[80-wasm-browser] pkg/web is $(((gz + 1023) / 1024)) KiB gzipped (budget $BUDGET_KB KiB)"

PARITY="$(mktemp /tmp/umr-wasm-parity.XXXXXX.json)"
trap 'rm -f "$PARITY"' EXIT
cargo run -q -p umr-wasm --example parity -- tests/vectors examples/registry >"$PARITY"
UMR_WASM_PARITY_JSON="$PARITY" bash scripts/lib/node-test.sh LABEL=tests/wasm/browser tests/wasm/browser.test.cjs
