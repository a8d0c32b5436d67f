#!/usr/bin/env bash
# scripts/dist.d/fingerprint.sh - print one sha256 naming everything `scripts/dist` builds
# from: the content of every file git tracks or would track (untracked files that are not
# ignored; build products and dist/ are ignored), the versions of the tools that build the
# artefacts, and the target directory. scripts/dist writes it to dist/.fingerprint;
# scripts/test.d/95-dist.sh reuses a dist/ whose fingerprint equals the current one.
#
# Left out: the smoke tests themselves (tests/dist/, scripts/test.d/95-dist.sh), which
# test the artefacts but do not go into them.
# Prints nothing and exits 1 outside a git checkout (then nothing is reused).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || exit 1

{
  git ls-files -z --cached --others --exclude-standard \
    | grep -zv -e '^tests/dist/' -e '^scripts/test.d/95-dist.sh$' \
    | LC_ALL=C sort -z \
    | while IFS= read -r -d '' f; do
        # a tracked file deleted in the work tree
        if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
      done \
    | xargs -0 -r sha256sum
  rustc -vV
  cargo -V
  "${UMR_VENV:-.venv}/bin/python" -m maturin --version 2>/dev/null || echo "no maturin"
  node --version 2>/dev/null || echo "no node"
  npm --version 2>/dev/null || echo "no npm"
  # the wasm toolchain (route, rustc-web version, wasm-bindgen): its env file
  cat "${UMR_WASM_ENV:-${UMR_WASM_TC:-${XDG_CACHE_HOME:-$HOME/.cache}/umr-wasm-tc}/env.sh}" 2>/dev/null || echo "no wasm env"
  echo "target ${UMR_TARGET_DIR:-${CARGO_TARGET_DIR:-default}}"
} | sha256sum | cut -d' ' -f1
