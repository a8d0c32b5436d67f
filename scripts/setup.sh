#!/usr/bin/env bash
# scripts/setup.sh - everything the UMR test suites need on a fresh Debian 12
# machine (root, rustup's Rust, Python 3.11, Node 20; registries only).
#
# Idempotent: every step checks a stamp or a version first, so a second run is
# a quick no-op. Steps:
#   1. .venv (repo root) with scripts/requirements-test.txt, reinstalled only
#      when that file (or the Python version) changes: stamp .venv/.umr-requirements.sha256
#   2. node_modules from package.json / package-lock.json (`npm ci` when a lock
#      exists), redone only when either file changes: stamp node_modules/.umr-npm.sha256
#   3. the wasm32 toolchain + wasm-bindgen-cli: scripts/wasm-toolchain.sh
#   4. Debian's chromium for the browser tests (UMR_SETUP_CHROMIUM=0 skips)
# apt-get update runs at most once per run, and only when a step needs apt.
#
# Env: UMR_SETUP_PYTHON=0 / UMR_SETUP_NODE=0 / UMR_SETUP_WASM=0 / UMR_SETUP_CHROMIUM=0
#      skip a step;  UMR_PYTHON  interpreter for the venv (default python3);
#      plus the variables of scripts/wasm-toolchain.sh (UMR_WASM_TC, ...).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
cd "$REPO"
export DEBIAN_FRONTEND=noninteractive
t0=$SECONDS

log() { printf '[setup] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

UMR_SETUP_NOTES="$(mktemp /tmp/umr-setup-notes.XXXXXX)"
UMR_APT_MARK="$(mktemp -u /tmp/umr-apt-updated.XXXXXX)"
export UMR_SETUP_NOTES UMR_APT_MARK
trap 'rm -f "$UMR_SETUP_NOTES" "$UMR_APT_MARK"' EXIT
note() { log "$*"; printf '%s\n' "$*" >>"$UMR_SETUP_NOTES"; }

apt_update_once() {
  [ -e "$UMR_APT_MARK" ] && return 0
  [ "$(id -u)" = 0 ] || die "apt-get needs root"
  log "apt-get update"
  apt-get update -qq
  touch "$UMR_APT_MARK"
  note "apt: apt-get update"
}

sha() { cat "$@" | sha256sum | cut -d' ' -f1; }

# ---- 1. Python virtualenv ----------------------------------------------------------
if [ "${UMR_SETUP_PYTHON:-1}" = 1 ]; then
  REQ="scripts/requirements-test.txt"
  PY="${UMR_PYTHON:-python3}"
  VENV=".venv"
  if ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "creating $VENV with $("$PY" --version 2>&1)"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    note "python: created $VENV ($("$VENV/bin/python" --version 2>&1))"
  fi
  want="$( { cat "$REQ"; "$VENV/bin/python" --version; } 2>&1 | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$VENV/.umr-requirements.sha256" 2>/dev/null || true)" != "$want" ]; then
    log "pip install -r $REQ"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ"
    echo "$want" >"$VENV/.umr-requirements.sha256"
    note "python: installed $REQ into $VENV"
  else
    log "python: $VENV up to date"
  fi
fi

# ---- 2. npm ----------------------------------------------------------------------------
if [ "${UMR_SETUP_NODE:-1}" = 1 ] && [ -f package.json ]; then
  command -v npm >/dev/null || die "package.json exists but npm is not on PATH"
  files=(package.json); [ -f package-lock.json ] && files+=(package-lock.json)
  want="$( { cat "${files[@]}"; node --version; } | sha256sum | cut -d' ' -f1)"
  if [ ! -d node_modules ] || [ "$(cat node_modules/.umr-npm.sha256 2>/dev/null || true)" != "$want" ]; then
    if [ -f package-lock.json ]; then
      log "npm ci"; npm ci --no-audit --no-fund --loglevel=error
      note "node: npm ci"
    else
      log "npm install"; npm install --no-audit --no-fund --loglevel=error
      note "node: npm install (no package-lock.json before: commit the new one)"
    fi
    # the lock may have been (re)written by `npm install`: hash what is there now
    files=(package.json); [ -f package-lock.json ] && files+=(package-lock.json)
    { cat "${files[@]}"; node --version; } | sha256sum | cut -d' ' -f1 >node_modules/.umr-npm.sha256
  else
    log "node: node_modules up to date"
  fi
fi

# ---- 3. wasm32 toolchain -------------------------------------------------------------
if [ "${UMR_SETUP_WASM:-1}" = 1 ]; then
  bash "$HERE/wasm-toolchain.sh" "$REPO/Cargo.lock"
fi

# ---- 4. chromium -------------------------------------------------------------------------
if [ "${UMR_SETUP_CHROMIUM:-1}" = 1 ]; then
  if [ ! -x /usr/bin/chromium ]; then
    apt_update_once
    log "apt-get install chromium"
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
    note "browser: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
  else
    log "browser: /usr/bin/chromium present"
  fi
fi

# ---- 5. cargo-fuzz (for the fuzz smoke run) ---------------------------------------------
if [ "${UMR_SETUP_FUZZ:-1}" = 1 ]; then
  if ! cargo fuzz --version >/dev/null 2>&1; then
    log "cargo install cargo-fuzz"
    cargo install -q cargo-fuzz --locked || cargo install -q cargo-fuzz
    note "fuzz: installed $(cargo fuzz --version 2>/dev/null || echo cargo-fuzz)"
  else
    log "fuzz: $(cargo fuzz --version) present"
  fi
fi

# ---- summary -------------------------------------------------------------------------------
if [ -s "$UMR_SETUP_NOTES" ]; then
  log "done in $((SECONDS - t0)) s:"
  sed 's/^/[setup]   /' "$UMR_SETUP_NOTES" >&2
else
  log "done in $((SECONDS - t0)) s: nothing to do, everything up to date"
fi
