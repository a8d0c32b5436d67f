#!/usr/bin/env bash
# scripts/test.d/40-node.sh - the Node.js package `@umr/node` (crates/umr-node).
#
#   1. npm devDependencies: @napi-rs/cli and typescript come from the root package.json
#      (scripts/setup.sh installs them); installed here only if they are missing
#   2. `napi build --platform --release` into a temporary folder (cargo uses the
#      workspace's shared target/), then the addon `umr.<platform>.node` is copied into
#      crates/umr-node (git-ignored)
#   3. the napi-generated loader `index.js` and types `index.d.ts` are committed: they
#      must equal what napi just generated (UMR_NODE_UPDATE=1 rewrites them instead)
#   4. `tsc --noEmit` over tests/node/typed-usage.ts (index.d.ts, umr.d.ts included)
#   5. `cargo build -p umr-cli`: the tests compare exports, imports and scores with the
#      command line's JSON (target/debug/umr, or $UMR_CLI)
#   6. `node --test tests/node/` (conformance vectors, prototype corpus, errors, async,
#      panic safety, diff/bump, interop, scoring, the JavaScript examples of docs/node.md)
#
# Env: UMR_NODE_UPDATE=1  write the regenerated index.js / index.d.ts into crates/umr-node
#      UMR_IMPL=wasm      run the vector test against the WebAssembly build instead
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
PKG="crates/umr-node"
BIN="$REPO/node_modules/.bin"
log() { printf '[node] %s\n' "$*" >&2; }

# ---- 1. npm tooling ---------------------------------------------------------------------
if [ ! -x "$BIN/napi" ] || [ ! -x "$BIN/tsc" ]; then
  log "node_modules lacks @napi-rs/cli or typescript: installing the root devDependencies"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
fi

# ---- 2. build -----------------------------------------------------------------------------
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
log "napi build --platform --release"
(cd "$PKG" && "$BIN/napi" build --platform --release --output-dir "$OUT")
shopt -s nullglob
addons=("$OUT"/*.node)
[ "${#addons[@]}" -gt 0 ] || { log "error: napi build produced no .node file"; exit 1; }
cp "${addons[@]}" "$PKG/"

# ---- 3. generated files are current ----------------------------------------------------
stale=0
for f in index.js index.d.ts; do
  if ! cmp -s "$OUT/$f" "$PKG/$f"; then
    if [ "${UMR_NODE_UPDATE:-0}" = 1 ]; then
      cp "$OUT/$f" "$PKG/$f"
      log "updated $PKG/$f"
    else
      log "$PKG/$f is stale; what napi generates now:"
      diff -u "$PKG/$f" "$OUT/$f" | head -60 >&2 || true
      stale=1
    fi
  fi
done
if [ "$stale" = 1 ]; then
  log "error: regenerate with \`UMR_NODE_UPDATE=1 bash scripts/test.d/40-node.sh\` and commit"
  exit 1
fi

# ---- 4. types -------------------------------------------------------------------------------
log "tsc --noEmit -p tests/node/tsconfig.json"
"$BIN/tsc" --noEmit -p tests/node/tsconfig.json

# ---- 5. the command line, to compare with ------------------------------------------------
log "cargo build -p umr-cli"
UMR_BIN="$(bash scripts/lib/umr-bin.sh)"
export UMR_BIN

# ---- 6. tests -------------------------------------------------------------------------------
log "node --test tests/node/"
bash scripts/lib/node-test.sh LABEL=tests/node tests/node/
