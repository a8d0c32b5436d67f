#!/usr/bin/env bash
# scripts/test.d/70-wasm.sh - the WebAssembly packages (crates/umr-wasm) in Node:
#   1. build them: cargo for wasm32 (workspace profile wasm-release), wasm-bindgen for the
#      web and nodejs targets, wasm-opt -Oz, in two flavours: full (cargo features render
#      and hf) and lite (neither) (crates/umr-wasm/build.sh; a no-op when up to date);
#   2. print their sizes (every file, gzip -9) and fail when a web package is over its
#      budget: 350 KiB for the lite package, 500 KiB for the full one;
#   3. type-check the TypeScript declarations (tsc --noEmit over tests/wasm/types/);
#   4. the shared conformance vectors through the Node package's own test file
#      (tests/node/vectors.test.js with UMR_IMPL=wasm, and against the lite package), the
#      API, lite, docs and parity tests (tests/wasm/*.test.cjs but the browser one; the Rust
#      answers for parity come from crates/umr-wasm/examples/parity.rs), and the same calls
#      against the native Node package when its addon is built (native.test.cjs).
# Env: UMR_WASM_BUDGET_KB       budget of the lite web package, KiB gzipped (default 350)
#      UMR_WASM_FULL_BUDGET_KB  budget of the full web package, KiB gzipped (default 500)
set -euo pipefail

BUDGET_KB="${UMR_WASM_BUDGET_KB:-350}"
FULL_BUDGET_KB="${UMR_WASM_FULL_BUDGET_KB:-500}"
PKG=crates/umr-wasm/pkg

bash crates/umr-wasm/build.sh

# ---- size ------------------------------------------------------------------------------
report() {  # $1 = package folder; prints a table, sets TOTAL_GZ
  local f raw z total_raw=0
  TOTAL_GZ=0
  printf '  %-30s %10s %10s\n' "${1#"$PKG"/}/" "bytes" "gzip -9"
  for f in "$1"/*; do
    [ -f "$f" ] || continue
    raw=$(wc -c <"$f"); z=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw)); TOTAL_GZ=$((TOTAL_GZ + z))
    printf '  %-30s %10d %10d\n' "$(basename "$f")" "$raw" "$z"
  done
  printf '  %-30s %10d %10d  = %d KiB gzipped\n' "total" "$total_raw" "$TOTAL_GZ" $(((TOTAL_GZ + 1023) / 1024))
}
check_budget() {  # $1 = name, $2 = bytes, $3 = budget KiB
  if [ "$2" -gt $(($3 * 1024)) ]; then
    echo "[70-wasm] FAIL: the $1 web package is $(((${2} + 1023) / 1024)) KiB gzipped, over its budget of $3 KiB" >&2
    exit 1
  fi
  echo "[70-wasm] size ok: the $1 web package is $(((${2} + 1023) / 1024)) KiB gzipped (budget $3 KiB)"
}
echo "[70-wasm] package sizes:"
report "$PKG/node-lite"
report "$PKG/node"
report "$PKG/web-lite"
LITE_GZ=$TOTAL_GZ
report "$PKG/web"
FULL_GZ=$TOTAL_GZ
check_budget lite "$LITE_GZ" "$BUDGET_KB"
check_budget full "$FULL_GZ" "$FULL_BUDGET_KB"

# ---- types -----------------------------------------------------------------------------
node_modules/.bin/tsc -p tests/wasm/types/tsconfig.json
node_modules/.bin/tsc -p tests/wasm/types/tsconfig.web.json
echo "[70-wasm] TypeScript declarations ok"

# ---- tests -----------------------------------------------------------------------------
PARITY="$(mktemp /tmp/umr-wasm-parity.XXXXXX.json)"
trap 'rm -f "$PARITY"' EXIT
cargo run -q -p umr-wasm --example parity -- tests/vectors examples/registry >"$PARITY"
export UMR_WASM_PARITY_JSON="$PARITY"

if [ -f tests/node/vectors.test.js ]; then
  UMR_IMPL=wasm node --test tests/node/vectors.test.js
  UMR_IMPL="$PKG/node-lite/umr_wasm.js" node --test tests/node/vectors.test.js
else
  echo "[70-wasm] tests/node/vectors.test.js is not there: the vectors run in parity.test.cjs only"
fi
node --test tests/wasm/api.test.cjs tests/wasm/lite.test.cjs tests/wasm/parity.test.cjs tests/wasm/docs.test.cjs \
  tests/wasm/native.test.cjs
