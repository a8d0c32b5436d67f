#!/usr/bin/env bash
# scripts/test.d/95-dist.sh - what users install, installed into clean environments
# (docs/packaging.md):
#   0. dist/ from scripts/dist, reused when it was built from the same sources and tools
#      (dist/.fingerprint = scripts/dist.d/fingerprint.sh) and its SHA256SUMS check
#   1. the wheel: abi3 and manylinux in its name and WHEEL tag; installed alone
#      (pip --no-index) into a brand-new virtualenv; tests/dist/smoke.py run by that venv's
#      python in isolated mode from a folder outside the repository; the sdist's contents
#   2. the Node tarball installed alone (npm --offline) into a brand-new npm project;
#      tests/dist/smoke-node.cjs from there
#   3. the WebAssembly tarballs likewise: the node ones with smoke-wasm-node.cjs, the web
#      ones loaded in Node with initSync and the module's bytes (smoke-wasm-web.mjs)
#   4. the CLI archive unpacked into an empty folder, run with `env -i PATH=<that folder>`:
#      --version, validate and resolve on examples/registry, a bad record refused
#   5. the .crate files (cargo package verified them): contents, and umr-core's size
#      within UMR_CRATE_BUDGET_KB (default 1200 KiB)
# Every check fails the suite with a message naming the artefact.
# Env: UMR_DIST_REBUILD=1  always run scripts/dist;  UMR_PYTHON  interpreter for the venv
#      (default python3, not the repository's .venv)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
DIST="$REPO/dist"
REGISTRY="$REPO/examples/registry"
log() { printf '[95-dist] %s\n' "$*" >&2; }
fail() { printf '[95-dist] FAIL: %s\n' "$*" >&2; exit 1; }
T0=$SECONDS

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# nothing from the caller's environment may make the source tree importable
unset PYTHONPATH NODE_PATH VIRTUAL_ENV PYTHONHOME

# ---- 0. dist/ ------------------------------------------------------------------------------
fp="$(bash scripts/dist.d/fingerprint.sh || true)"
if [ "${UMR_DIST_REBUILD:-0}" != 1 ] && [ -n "$fp" ] && [ -f "$DIST/.fingerprint" ] \
   && [ "$(cat "$DIST/.fingerprint")" = "$fp" ] && [ -f "$DIST/SHA256SUMS" ]; then
  log "dist/ was built from these sources: reusing it"
else
  log "building dist/ (scripts/dist)"
  scripts/dist
fi
[ -f "$DIST/SHA256SUMS" ] || fail "dist/SHA256SUMS is missing"
(cd "$DIST" && sha256sum --quiet -c SHA256SUMS) || fail "dist/ does not match its SHA256SUMS"

VERSION="$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print([p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "umr-core"][0])')"
HOST="$(rustc -vV | sed -n 's/^host: //p')"
one() {  # $1 = description, rest = glob matches: exactly one file
  local what="$1"; shift
  [ "$#" = 1 ] && [ -f "$1" ] || fail "expected one $what in dist/, found: $*"
  printf '%s' "$1"
}
shopt -s nullglob
RESULTS=()

# ---- 1. Python --------------------------------------------------------------------------------
WHEEL="$(one "abi3 manylinux wheel" "$DIST"/umr-"$VERSION"-cp3*-abi3-manylinux_*.whl)"
tag="$(python3 -m zipfile -l "$WHEEL" >/dev/null 2>&1 && python3 - "$WHEEL" <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wheel = [n for n in z.namelist() if n.endswith(".dist-info/WHEEL")]
print([l.split(": ", 1)[1] for l in z.read(wheel[0]).decode().splitlines() if l.startswith("Tag: ")][0])
EOF
)" || fail "$(basename "$WHEEL") is not a readable wheel"
case "$tag" in cp3*-abi3-manylinux_*) ;; *) fail "$(basename "$WHEEL") has the tag '$tag', not cp3x-abi3-manylinux" ;; esac
SDIST="$(one "sdist" "$DIST/umr-$VERSION.tar.gz")"
listing="$(tar tzf "$SDIST")" || fail "$(basename "$SDIST") is not a readable tar.gz"
for f in pyproject.toml Cargo.toml Cargo.lock crates/umr-py/Cargo.toml crates/umr-core/src/lib.rs python/umr/__init__.py; do
  grep -qx "umr-$VERSION/$f" <<<"$listing" || fail "$(basename "$SDIST") lacks $f"
done

log "wheel: a new virtualenv with only $(basename "$WHEEL")"
"${UMR_PYTHON:-python3}" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q --no-index --disable-pip-version-check "$WHEEL" \
  || fail "pip could not install $(basename "$WHEEL")"
mkdir "$WORK/py" && cp tests/dist/smoke.py "$WORK/py/"
out="$(cd "$WORK/py" && "$WORK/venv/bin/python" -I smoke.py "$REGISTRY" "$VERSION" "$REPO")" \
  || fail "the wheel's smoke test failed ($(basename "$WHEEL"))"
RESULTS+=("$out")

# ---- 2./3. npm tarballs ---------------------------------------------------------------------
npm_project() {  # $1 = folder, $2 = tarball: a new npm project with only that tarball
  local listing f
  listing="$(tar tzf "$2")" || fail "$(basename "$2") is not a readable tarball"
  for f in package.json README.md LICENSE-MIT LICENSE-APACHE; do
    grep -qx "package/$f" <<<"$listing" || fail "$(basename "$2") lacks $f"
  done
  mkdir -p "$1"
  printf '{ "name": "umr-dist-smoke", "version": "1.0.0", "private": true }\n' >"$1/package.json"
  (cd "$1" && npm install --offline --no-audit --no-fund --loglevel=error "$2" >&2) \
    || fail "npm could not install $(basename "$2")"
  cp tests/dist/*.cjs tests/dist/*.mjs "$1/"
}

NODE_TGZ="$(one "Node tarball" "$DIST"/umr-node-"$VERSION"-*.tgz)"
listing="$(tar tzf "$NODE_TGZ")" || fail "$(basename "$NODE_TGZ") is not a readable tarball"
grep -q '^package/umr\..*\.node$' <<<"$listing" || fail "$(basename "$NODE_TGZ") holds no prebuilt .node addon"
log "node: a new npm project with only $(basename "$NODE_TGZ")"
npm_project "$WORK/node" "$NODE_TGZ"
out="$(cd "$WORK/node" && node smoke-node.cjs "$REGISTRY" "$VERSION" "$REPO")" \
  || fail "the Node package's smoke test failed ($(basename "$NODE_TGZ"))"
RESULTS+=("$out")

for p in node node-lite web web-lite; do
  TGZ="$(one "wasm $p tarball" "$DIST/umr-wasm-$p-$VERSION.tgz")"
  log "wasm $p: a new npm project with only $(basename "$TGZ")"
  npm_project "$WORK/wasm-$p" "$TGZ"
  case "$p" in
    node*) script=smoke-wasm-node.cjs ;;
    web*) script=smoke-wasm-web.mjs ;;
  esac
  out="$(cd "$WORK/wasm-$p" && node "$script" "@umr/wasm-$p" "$REGISTRY" "$VERSION" "$REPO")" \
    || fail "the WebAssembly package's smoke test failed ($(basename "$TGZ"))"
  RESULTS+=("$out")
done

# ---- 4. the command line ----------------------------------------------------------------------
CLI="$(one "CLI archive" "$DIST/umr-$VERSION-$HOST.tar.gz")"
log "cli: $(basename "$CLI") unpacked into an empty folder, run with env -i"
mkdir "$WORK/cli"
tar -C "$WORK/cli" -xzf "$CLI" || fail "$(basename "$CLI") does not unpack"
D="$WORK/cli/umr-$VERSION-$HOST"
for f in umr README.md LICENSE-MIT LICENSE-APACHE; do
  [ -f "$D/$f" ] || fail "$(basename "$CLI") lacks umr-$VERSION-$HOST/$f"
done
[ -x "$D/umr" ] || fail "umr in $(basename "$CLI") is not executable"
run() { (cd "$WORK" && env -i PATH="$D" umr "$@"); }
got="$(run --version)" || fail "umr --version failed"
[ "$got" = "umr $VERSION" ] || fail "umr --version printed '$got', expected 'umr $VERSION'"
out="$(run validate "$REGISTRY")" || fail "umr validate examples/registry failed: $out"
grep -q ' 0 invalid' <<<"$out" || fail "umr validate examples/registry: $out"
res="$(run resolve acme/llama2-7b-med-gguf --registry "$REGISTRY")" || fail "umr resolve failed"
grep -q 'id: LicenseRef-llama2' <<<"$res" || fail "umr resolve: no inherited licence in: $res"
printf "format_version: '1.0'\nkind: model\nname: x\nversion: 1.0\n" >"$WORK/bad.yaml"
if bad="$(run validate "$WORK/bad.yaml" 2>&1)"; then fail "umr validate accepted a bad record"; fi
grep -q E_SEMVER <<<"$bad" || fail "umr validate of a bad record did not say E_SEMVER: $bad"
RESULTS+=("cli ok: $got; $(head -1 <<<"$out")")

# ---- 5. crates ---------------------------------------------------------------------------------
BUDGET_KB="${UMR_CRATE_BUDGET_KB:-1200}"
for c in umr-core umr-cli; do
  CRATE="$(one "$c crate" "$DIST/$c-$VERSION.crate")"
  listing="$(tar tzf "$CRATE")" || fail "$(basename "$CRATE") is not a readable .crate"
  for f in Cargo.toml src/main.rs; do
    if [ "$c" = umr-core ] && [ "$f" = src/main.rs ]; then f=src/lib.rs; fi
    grep -qx "$c-$VERSION/$f" <<<"$listing" || fail "$(basename "$CRATE") lacks $f"
  done
done
CORE="$DIST/umr-core-$VERSION.crate"
core_listing="$(tar tzf "$CORE")"
for f in assets/fonts/DejaVuSans.ttf assets/fonts/DejaVuSans-Bold.ttf data/fmti2023.tsv data/fmti2025.tsv; do
  grep -qx "umr-core-$VERSION/$f" <<<"$core_listing" || fail "umr-core's crate lacks $f (include_bytes!/include_str!)"
done
size=$(stat -c %s "$CORE")
[ "$size" -le $((BUDGET_KB * 1024)) ] \
  || fail "umr-core-$VERSION.crate is $((size / 1024)) KiB, over the budget of $BUDGET_KB KiB"
RESULTS+=("crates ok: umr-core-$VERSION.crate $((size / 1024)) KiB (budget $BUDGET_KB KiB, $(wc -l <<<"$core_listing") files), umr-cli-$VERSION.crate $(($(stat -c %s "$DIST/umr-cli-$VERSION.crate") / 1024)) KiB")

echo
for r in "${RESULTS[@]}"; do echo "[95-dist] $r"; done
echo "[95-dist] all artefacts installed and working ($((SECONDS - T0))s)"
