#!/usr/bin/env bash
# crates/umr-wasm/build.sh - build the UMR WebAssembly packages:
#   crates/umr-wasm/pkg/web        full, ES module for browsers  (import init, {validate} from './umr_wasm.js')
#   crates/umr-wasm/pkg/node       full, CommonJS for Node.js    (require('./umr_wasm.js'))
#   crates/umr-wasm/pkg/web-lite   lite, ES module
#   crates/umr-wasm/pkg/node-lite  lite, CommonJS
# and copy pkg/web into web/validator/pkg/ for the static validator page.
#
# "full" has every cargo feature of the crate (`render`: HTML/Markdown cards and the SVG
# lineage drawing; `hf`: Hugging Face card import/export; `score`: transparency scores);
# "lite" has none: validate, records, registries, lineage as data/DOT/Mermaid/tree, risks,
# diff — for pages that only validate.
#
# Steps per flavour: cargo build for wasm32-unknown-unknown with the workspace's
# `wasm-release` profile -> wasm-bindgen (--target web / nodejs, glue named umr_wasm_raw.*,
# with the reset-state function the panic boundary needs) -> wasm-opt -Oz (npm binaryen)
# -> the package entry umr_wasm.js assembled from js/ (api.js between a per-target head
# and tail), its types umr_wasm.d.ts, and a package.json. Each output folder is replaced
# whole, so a failed build never leaves a half-written package; a flavour whose inputs did
# not change is not packaged again.
#
# Needs what scripts/setup.sh installs (the wasm toolchain env, node_modules). Run from
# anywhere:  bash crates/umr-wasm/build.sh
# Env: UMR_WASM_ENV         the toolchain env file (default $UMR_WASM_TC/env.sh, as setup writes)
#      UMR_WASM_FLAVOURS    which flavours to build (default "lite full")
#      UMR_WASM_SKIP_CARGO=1  reuse the last cargo build of each flavour (packaging only)
#      UMR_WASM_TARGET_DIR  cargo's target folder for wasm32 (default: the env file's
#                           WASM_TARGET_DIR, target-wasm/ of the repository)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
cd "$REPO"

log() { printf '[umr-wasm] %s\n' "$*" >&2; }

ENV_FILE="${UMR_WASM_ENV:-${UMR_WASM_TC:-${XDG_CACHE_HOME:-$HOME/.cache}/umr-wasm-tc}/env.sh}"
[ -f "$ENV_FILE" ] || { log "error: $ENV_FILE is missing: run scripts/setup.sh first"; exit 1; }
# shellcheck disable=SC1090
source "$ENV_FILE"
WASM_TARGET_DIR="${UMR_WASM_TARGET_DIR:-$WASM_TARGET_DIR}"
command -v wasm-bindgen >/dev/null || { log "error: wasm-bindgen is not on PATH: run scripts/setup.sh"; exit 1; }
WASM_OPT="$REPO/node_modules/.bin/wasm-opt"
[ -x "$WASM_OPT" ] || { log "error: $WASM_OPT is missing: run scripts/setup.sh (npm binaryen)"; exit 1; }

# the wasm-bindgen CLI must match the library exactly
lib_version="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)"
cli_version="$(wasm-bindgen --version | awk '{print $2}')"
if [ "$lib_version" != "$cli_version" ]; then
  log "error: wasm-bindgen CLI $cli_version != library $lib_version in Cargo.lock: run scripts/setup.sh"
  exit 1
fi

VERSION="$(awk '/^\[workspace.package\]/{f=1; next} /^\[/{f=0} f && /^version *=/{gsub(/^version *= *"|".*$/,""); print; exit}' Cargo.toml)"
[ -n "$VERSION" ] || { log "error: no [workspace.package] version in Cargo.toml"; exit 1; }

# When std is built from source (the debian route), build it for size: the small sort and
# friends instead of the fast ones (one copy per element type, so kilobytes each). The
# rustup route uses the prebuilt std as it is.
STD_FEATURES=""
if [ -n "$WASM_BUILD_STD_FLAGS" ]; then STD_FEATURES="-Zbuild-std-features=optimize_for_size"; fi

PKG="$HERE/pkg"
VAL="$REPO/web/validator"
mkdir -p "$PKG"
WORK="$(mktemp -d "$PKG/.build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# $1 = template file: fills in the version and the feature list
fill() { sed -e "s/@UMR_VERSION@/$VERSION/g" -e "s/@UMR_FEATURES@/$FEATURES_JS/g" "$1"; }

package_json() {  # $1 = web|node, $2 = flavour suffix ("" or "-lite")
  # `main` for both (Node and tools that ignore `module` resolve the package through it);
  # the web package is an ES module (`type`, `module`, `browser`); the node package is
  # CommonJS. No `exports` map, so that `<package>/umr_wasm_raw_bg.wasm` stays reachable
  # (initSync with the module's bytes, bundlers). `npm pack` of a package folder makes
  # the tarball that scripts/dist ships (it adds the licence files and a README to a staged
  # copy: they are not in pkg/, whose every file counts against the size budget).
  local extra
  if [ "$1" = web ]; then
    extra='"type": "module",
  "main": "umr_wasm.js",
  "module": "umr_wasm.js",
  "browser": "umr_wasm.js",'
  else
    extra='"main": "umr_wasm.js",
  "engines": { "node": ">= 18" },'
  fi
  cat <<EOF
{
  "name": "@umr/wasm-$1$2",
  "version": "$VERSION",
  "description": "Unified Model Records, WebAssembly build ($1$2): validate, resolve and trace ML model records",
  "license": "MIT OR Apache-2.0",
  "keywords": ["machine-learning", "model-card", "provenance", "lineage", "webassembly"],
  $extra
  "types": "umr_wasm.d.ts",
  "files": ["umr_wasm.js", "umr_wasm.d.ts", "umr_wasm_raw.js", "umr_wasm_raw.d.ts", "umr_wasm_raw_bg.wasm", "umr_wasm_raw_bg.wasm.d.ts"],
  "sideEffects": false
}
EOF
}

build_flavour() {  # $1 = full|lite
  local flavour="$1" suffix cargo_features out dir target wasm stamp optimised=""
  case "$flavour" in
    full) suffix=""; cargo_features=(); FEATURES_JS="['render', 'hf', 'score']" ;;
    lite) suffix="-lite"; cargo_features=(--no-default-features); FEATURES_JS="[]" ;;
    *) log "error: unknown flavour $flavour (full, lite)"; exit 1 ;;
  esac

  if [ "${UMR_WASM_SKIP_CARGO:-0}" != 1 ]; then
    log "cargo build $flavour (wasm32-unknown-unknown, profile wasm-release, route $UMR_WASM_ROUTE)"
    # shellcheck disable=SC2086  # the flag variables are lists of flags or empty
    "$WASM_CARGO" build --target wasm32-unknown-unknown $WASM_BUILD_STD_FLAGS $STD_FEATURES \
      --profile wasm-release --target-dir "$WASM_TARGET_DIR" -p umr-wasm "${cargo_features[@]}"
    mkdir -p "$WASM_TARGET_DIR/umr-wasm"
    cp "$WASM_TARGET_DIR/wasm32-unknown-unknown/wasm-release/umr_wasm.wasm" "$WASM_TARGET_DIR/umr-wasm/$flavour.wasm"
  fi
  wasm="$WASM_TARGET_DIR/umr-wasm/$flavour.wasm"
  [ -f "$wasm" ] || { log "error: $wasm was not built"; exit 1; }

  # nothing that goes into the packages changed: keep them
  stamp="$( { sha256sum "$wasm" "$HERE"/js/* "$HERE/build.sh"; echo "$cli_version $VERSION $flavour";
              "$WASM_OPT" --version; } | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$PKG/.stamp$suffix" 2>/dev/null || true)" = "$stamp" ] \
     && [ -f "$PKG/web$suffix/umr_wasm.js" ] && [ -f "$PKG/node$suffix/umr_wasm.js" ]; then
    log "$flavour packages up to date: pkg/web$suffix, pkg/node$suffix"
    return 0
  fi
  rm -f "$PKG/.stamp$suffix"

  for target in web nodejs; do
    dir=web; [ "$target" = nodejs ] && dir=node
    out="$WORK/$dir$suffix"
    log "wasm-bindgen --target $target ($flavour)"
    wasm-bindgen --target "$target" --out-dir "$out" --out-name umr_wasm_raw \
      --experimental-reset-state-function "$wasm"
    # both targets get the same module: optimise it once
    if [ -n "$optimised" ] && cmp -s "$out/umr_wasm_raw_bg.wasm" "$WORK/pre-opt-$flavour.wasm"; then
      cp "$optimised" "$out/umr_wasm_raw_bg.wasm"
    else
      cp "$out/umr_wasm_raw_bg.wasm" "$WORK/pre-opt-$flavour.wasm"
      log "wasm-opt -Oz ($flavour)"
      "$WASM_OPT" -Oz "$out/umr_wasm_raw_bg.wasm" -o "$out/umr_wasm_raw_bg.wasm"
      optimised="$WORK/opt-$flavour.wasm"
      cp "$out/umr_wasm_raw_bg.wasm" "$optimised"
    fi
    if [ "$dir" = web ]; then
      { fill "$HERE/js/web-head.mjs"; cat "$HERE/js/api.js"; fill "$HERE/js/web-tail.mjs"; } >"$out/umr_wasm.js"
      { cat "$HERE/js/api.d.ts"; cat "$HERE/js/web.d.ts"; } >"$out/umr_wasm.d.ts"
    else
      { fill "$HERE/js/node-head.cjs"; cat "$HERE/js/api.js"; fill "$HERE/js/node-tail.cjs"; } >"$out/umr_wasm.js"
      cp "$HERE/js/api.d.ts" "$out/umr_wasm.d.ts"
    fi
    package_json "$dir" "$suffix" >"$out/package.json"
  done

  # put the new packages in place (each folder replaced whole)
  for dir in "web$suffix" "node$suffix"; do
    rm -rf "$PKG/$dir.old"
    if [ -d "$PKG/$dir" ]; then mv "$PKG/$dir" "$PKG/$dir.old"; fi
    mv "$WORK/$dir" "$PKG/$dir"
    rm -rf "$PKG/$dir.old"
  done
  echo "$stamp" >"$PKG/.stamp$suffix"
  log "built the $flavour packages of umr-wasm $VERSION: pkg/web$suffix, pkg/node$suffix"
}

for flavour in ${UMR_WASM_FLAVOURS:-lite full}; do
  build_flavour "$flavour"
done

# the validator page loads ./pkg/umr_wasm.js: give it its own copy of the full web build
# (git-ignored)
if [ -d "$VAL" ] && [ -f "$PKG/web/umr_wasm.js" ]; then
  if ! cmp -s "$PKG/web/umr_wasm_raw_bg.wasm" "$VAL/pkg/umr_wasm_raw_bg.wasm" 2>/dev/null \
     || ! cmp -s "$PKG/web/umr_wasm.js" "$VAL/pkg/umr_wasm.js" \
     || ! cmp -s "$PKG/web/umr_wasm_raw.js" "$VAL/pkg/umr_wasm_raw.js"; then
    rm -rf "$VAL/pkg.new"
    mkdir -p "$VAL/pkg.new"
    cp "$PKG/web/umr_wasm.js" "$PKG/web/umr_wasm_raw.js" "$PKG/web/umr_wasm_raw_bg.wasm" "$VAL/pkg.new/"
    rm -rf "$VAL/pkg"
    mv "$VAL/pkg.new" "$VAL/pkg"
    log "copied pkg/web into web/validator/pkg"
  fi
fi
