#!/usr/bin/env bash
# scripts/test.d/70-wasm.sh - the WebAssembly packages (crates/umr-wasm) in Node:
#   1. umr-core without its default `url` feature (what the wasm build uses) still
#      compiles: cargo check -p umr-core --no-default-features (its small URL parser is
#      compared with the url crate by `cargo test -p umr-core`, url_lite_tests);
#   2. build the packages: cargo for wasm32 (workspace profile wasm-release), wasm-bindgen
#      for the web and nodejs targets, wasm-opt -Oz, in two flavours: full (cargo features
#      render, hf and score) and lite (none) (crates/umr-wasm/build.sh; a no-op when up
#      to date);
#   3. print their sizes (every file of each package folder, gzip -9) and fail when any
#      package is over the budget of 350 KiB gzipped;
#   4. type-check the TypeScript declarations (tsc --noEmit over tests/wasm/types/);
#   5. the shared conformance vectors through the Node package's own test file
#      (tests/node/vectors.test.js with UMR_IMPL=wasm, and against the lite package), the
#      API, lite, docs and parity tests (tests/wasm/*.test.cjs but the browser one; the Rust
#      answers for parity come from crates/umr-wasm/examples/parity.rs), and the same calls
#      against the native Node package when its addon is built (native.test.cjs).
# Env: UMR_WASM_BUDGET_KB   budget of every package, KiB gzipped (default 350)
#      UMR_WASM_TARGET_DIR  cargo's wasm32 target folder (see crates/umr-wasm/build.sh)
set -euo pipefail

BUDGET_KB="${UMR_WASM_BUDGET_KB:-350}"
PKG=crates/umr-wasm/pkg

cargo check -q -p umr-core --no-default-features
echo "[70-wasm] umr-core --no-default-features (no url crate) compiles"

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
echo "[70-wasm] package sizes (budget $BUDGET_KB KiB gzipped each):"
OVER=""
SUMMARY=""
for p in node-lite node web-lite web; do
  report "$PKG/$p"
  kib=$(((TOTAL_GZ + 1023) / 1024))
  SUMMARY="$SUMMARY $p=${kib}KiB"
  if [ "$TOTAL_GZ" -gt $((BUDGET_KB * 1024)) ]; then OVER="$OVER $p (${kib} KiB)"; fi
done
if [ -n "$OVER" ]; then
  echo "[70-wasm] FAIL: over the budget of $BUDGET_KB KiB gzipped:$OVER" >&2
  exit 1
fi
echo "[70-wasm] size ok:$SUMMARY (budget $BUDGET_KB KiB gzipped each)"

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
  UMR_IMPL=wasm bash scripts/lib/node-test.sh LABEL="tests/node/vectors (wasm)" tests/node/vectors.test.js
  UMR_IMPL="$PKG/node-lite/umr_wasm.js" bash scripts/lib/node-test.sh LABEL="tests/node/vectors (wasm lite)" \
    tests/node/vectors.test.js
else
  echo "[70-wasm] tests/node/vectors.test.js is not there: the vectors run in parity.test.cjs only"
fi
bash scripts/lib/node-test.sh LABEL=tests/wasm tests/wasm/api.test.cjs tests/wasm/lite.test.cjs tests/wasm/parity.test.cjs tests/wasm/docs.test.cjs \
  tests/wasm/native.test.cjs
