#!/usr/bin/env bash
# scripts/wasm-toolchain.sh - provide a wasm32-unknown-unknown toolchain plus
# wasm-bindgen-cli for UMR, on Debian 12 machines where `rustup target add`
# cannot download anything.
#
# Usage:  bash scripts/wasm-toolchain.sh [path/to/Cargo.lock]   (root; idempotent)
# Normally run by scripts/setup.sh; safe to run on its own.
#
# Two routes, picked automatically:
#   rustup  - rustup's toolchain already has the wasm32 std (the target was
#             added): WASM_CARGO=cargo, nothing is unpacked.
#   debian  - Debian's "rustc-web" compiler family (rustc/cargo, the std
#             sources, libLLVM, lld) is unpacked with `apt-get download` +
#             `dpkg -x` into a private folder. Nothing is installed with dpkg, so
#             rustup is untouched (rustc-web "Conflicts: rustup"). std for wasm32
#             is built from source by cargo's -Zbuild-std (the wrapper
#             `wasm-cargo` sets RUSTC_BOOTSTRAP=1 for that).
# Either way wasm-bindgen-cli is installed at exactly the `wasm-bindgen`
# version of Cargo.lock (skipped with a message while Cargo.lock has none),
# and $UMR_WASM_TC/env.sh is written for test scripts to source:
#   WASM_CARGO, WASM_BUILD_STD_FLAGS, WASM_TARGET_DIR, UMR_WASM_ROUTE, PATH.
#
# Env: UMR_WASM_TC           install folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/umr-wasm-tc)
#      UMR_WASM_ROUTE        auto (default) | rustup | debian
#      RUST_WEB_VERSION      Debian version of rustc-web to unpack (default: keep
#                            what is unpacked, else the apt candidate)
#      UMR_WASM_UPGRADE=1    re-read the apt candidate and unpack it if newer
#      WASM_BINDGEN_VERSION  override the version read from Cargo.lock
#      UMR_WASM_SMOKE=1      build a tiny cdylib for wasm32 to prove the toolchain
#      UMR_APT_MARK          file whose existence means "apt-get update already
#                            ran in this setup run" (set by setup.sh)
#      UMR_SETUP_NOTES       file to append summary lines to (set by setup.sh)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
TC="${UMR_WASM_TC:-${XDG_CACHE_HOME:-$HOME/.cache}/umr-wasm-tc}"
LOCK="$(realpath -m "${1:-$REPO/Cargo.lock}")"
ROOT="$TC/root"
ROUTE="${UMR_WASM_ROUTE:-auto}"
export DEBIAN_FRONTEND=noninteractive

log()  { printf '[wasm-toolchain] %s\n' "$*" >&2; }
die()  { log "error: $*"; exit 1; }
note() { log "$*"; if [ -n "${UMR_SETUP_NOTES:-}" ]; then printf 'wasm: %s\n' "$*" >>"$UMR_SETUP_NOTES"; fi; }

# apt-get update at most once per setup run (shared with setup.sh via a marker file).
if [ -z "${UMR_APT_MARK:-}" ]; then
  UMR_APT_MARK="$(mktemp -u /tmp/umr-apt-updated.XXXXXX)"
  trap 'rm -f "$UMR_APT_MARK"' EXIT
fi
apt_update_once() {
  [ -e "$UMR_APT_MARK" ] && return 0
  [ "$(id -u)" = 0 ] || die "apt-get needs root"
  log "apt-get update"
  apt-get update -qq
  touch "$UMR_APT_MARK"
  if [ -n "${UMR_SETUP_NOTES:-}" ]; then echo "apt: apt-get update" >>"$UMR_SETUP_NOTES"; fi
}

command -v cargo >/dev/null || die "need the host cargo (rustup) on PATH"
mkdir -p "$TC"

# ---- route -------------------------------------------------------------------
rustup_has_wasm_std() {
  local dir
  dir="$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null)" || return 1
  compgen -G "$dir/libstd-*.rlib" >/dev/null
}
if [ "$ROUTE" = auto ]; then
  if rustup_has_wasm_std; then ROUTE=rustup; else ROUTE=debian; fi
fi
case "$ROUTE" in rustup|debian) ;; *) die "UMR_WASM_ROUTE must be auto, rustup or debian";; esac
if [ "$ROUTE" = rustup ]; then
  rustup_has_wasm_std || die "UMR_WASM_ROUTE=rustup but rustup has no wasm32-unknown-unknown std"
fi

# ---- debian route: rustc-web unpacked privately --------------------------------
installed_version() {  # the rustc-web version currently unpacked, if any
  local s
  for s in "$ROOT"/.installed-rustc-web-*; do
    [ -e "$s" ] && { echo "${s##*/.installed-rustc-web-}"; return 0; }
  done
  return 0
}
apt_candidate() { apt-cache policy rustc-web 2>/dev/null | awk '/Candidate:/{print $2}'; }

unpack_rustc_web() {  # $1 = Debian version
  local V="$1" MM LLVM deb
  MM="$(echo "$V" | sed -E 's/^([0-9]+\.[0-9]+)\..*/\1/')"     # e.g. 1.96
  log "unpacking rustc-web $V into $ROOT (takes a couple of minutes)"
  rm -rf "$ROOT" "$TC/debs"; mkdir -p "$ROOT" "$TC/debs"
  # the libLLVM major this rustc links against (libstd-rust-web-X.Y Depends: libllvmNN)
  LLVM="$(apt-cache show "libstd-rust-web-$MM=$V" | sed -n 's/^Depends: //p' | head -1 \
          | tr ',' '\n' | sed -nE 's/^ *libllvm([0-9]+).*/\1/p' | head -1)"
  [ -n "$LLVM" ] || die "cannot find the libllvm dependency of libstd-rust-web-$MM=$V"
  (
    cd "$TC/debs"
    # cargo-web's own libraries that a stock Debian 12 machine lacks are listed
    # explicitly (a full dependency closure drags in every alternative compiler).
    # (no sandbox user: _apt cannot enter /root, and would only trigger a warning)
    # shellcheck disable=SC2086  # UMR_WASM_EXTRA_DEBS is a list of package names
    apt-get download -qq -o APT::Sandbox::User=root \
      "rustc-web=$V" "cargo-web=$V" "libstd-rust-web-dev=$V" "libstd-rust-web-$MM=$V" \
      "rust-web-src=$V" "rust-web-llvm=$V" \
      "libllvm$LLVM" "lld-$LLVM" \
      libgit2-1.5 libhttp-parser2.9 libmbedtls14 libmbedcrypto7 libmbedx509-1 \
      ${UMR_WASM_EXTRA_DEBS:-} >&2
    for deb in ./*.deb; do
      case "$deb" in
        *rust-web-src_*)   # -Zbuild-std needs only library/ (saves ~370 MB)
          dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$ROOT" --wildcards \
            './usr/src/rustc-*/library' './usr/lib/rustlib/src' ;;
        *) dpkg -x "$deb" "$ROOT" ;;
      esac
    done
  )
  rm -rf "$TC/debs" "$ROOT/usr/share/doc" "$ROOT/usr/share/man"
  echo "$LLVM" >"$ROOT/.llvm-major"
  touch "$ROOT/.installed-rustc-web-$V"
}

write_wrapper() {  # $1 = Debian version
  mkdir -p "$TC/bin"
  cat >"$TC/bin/wasm-cargo" <<EOF
#!/bin/sh
# Debian rustc-web cargo/rustc $1 from $ROOT, for wasm32 builds with -Zbuild-std.
# Written by scripts/wasm-toolchain.sh of UMR.
export LD_LIBRARY_PATH="$ROOT/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export RUSTC="$ROOT/usr/bin/rustc" RUSTDOC="$ROOT/usr/bin/rustdoc"
export RUSTC_BOOTSTRAP=1          # lets this stable cargo accept -Zbuild-std
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$ROOT/usr/bin/rust-lld"
unset RUSTC_WRAPPER RUSTUP_TOOLCHAIN
exec "$ROOT/usr/bin/cargo" "\$@"
EOF
  chmod +x "$TC/bin/wasm-cargo"
}

wrapper_works() {
  [ -x "$TC/bin/wasm-cargo" ] || return 1
  "$TC/bin/wasm-cargo" -V >/dev/null 2>&1 || return 1
  LD_LIBRARY_PATH="$ROOT/usr/lib/x86_64-linux-gnu" "$ROOT/usr/bin/rustc" -V >/dev/null 2>&1 || return 1
  [ -d "$ROOT/usr/lib/rustlib/src/rust/library/std" ] || return 1
}

RUST_WEB=""
if [ "$ROUTE" = debian ]; then
  have="$(installed_version)"
  want="${RUST_WEB_VERSION:-}"
  if [ -z "$want" ] && [ -n "$have" ] && [ "${UMR_WASM_UPGRADE:-0}" != 1 ]; then
    want="$have"                       # keep what is unpacked: no apt, no network
  fi
  if [ -z "$want" ] || [ "$want" != "$have" ]; then
    [ "$(id -u)" = 0 ] || die "unpacking rustc-web needs root (apt-get)"
    apt_update_once                    # a stale list offers old or missing versions
    [ -n "$want" ] || want="$(apt_candidate)"
    [ -n "$want" ] && [ "$want" != "(none)" ] || die "no rustc-web package in the apt lists"
  fi
  if [ "$want" = "$have" ] && [ -n "$have" ]; then
    write_wrapper "$have"
    if wrapper_works; then
      log "rustc-web $have already unpacked in $ROOT"
    else
      log "rustc-web $have in $ROOT is broken; unpacking again"
      apt_update_once
      unpack_rustc_web "$have"; write_wrapper "$have"
      note "re-unpacked rustc-web $have"
    fi
  else
    unpack_rustc_web "$want"; write_wrapper "$want"
    note "unpacked rustc-web $want (LLVM $(cat "$ROOT/.llvm-major")) into $ROOT"
  fi
  wrapper_works || {
    log "the unpacked compiler does not run; missing libraries:"
    LD_LIBRARY_PATH="$ROOT/usr/lib/x86_64-linux-gnu" ldd "$ROOT/usr/bin/cargo" "$ROOT/usr/bin/rustc" \
      | grep 'not found' >&2 || true
    die "fix the package list in $0 (or set UMR_WASM_EXTRA_DEBS)"
  }
  RUST_WEB="$(installed_version)"
fi

# ---- wasm-bindgen-cli at the Cargo.lock version ---------------------------------
WBV="${WASM_BINDGEN_VERSION:-}"
if [ -z "$WBV" ] && [ -f "$LOCK" ]; then
  WBV="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$LOCK")"
fi
if [ -z "$WBV" ]; then
  log "no wasm-bindgen in $LOCK yet: skipping wasm-bindgen-cli (run setup again once the wasm crate exists)"
  WB_STATE="skipped (no wasm-bindgen in Cargo.lock)"
elif [ "$("$TC/cli/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}')" = "$WBV" ]; then
  log "wasm-bindgen-cli $WBV already installed"
  WB_STATE="$WBV"
else
  log "cargo install wasm-bindgen-cli $WBV (a few minutes)"
  # --no-default-features drops rustls/ring (only the CLI's test runner downloads
  # over TLS). `--locked` is tried first; the CLI's own lock may pin crate
  # versions the registry index here lacks, then the unlocked retry resolves.
  cargo install -q wasm-bindgen-cli --version "=$WBV" --no-default-features \
      --root "$TC/cli" --force --locked \
    || { log "--locked failed; retrying without it"
         cargo install -q wasm-bindgen-cli --version "=$WBV" --no-default-features \
             --root "$TC/cli" --force; }
  note "installed wasm-bindgen-cli $WBV into $TC/cli"
  WB_STATE="$WBV"
fi

# ---- env.sh -----------------------------------------------------------------------
if [ "$ROUTE" = debian ]; then
  WC=wasm-cargo; FLAGS="-Zbuild-std=std,panic_abort"; TDIR=target-wasm
else
  WC=cargo; FLAGS=""; TDIR=target
fi
ENV_NEW="$(cat <<EOF
# Written by scripts/wasm-toolchain.sh of UMR (route: $ROUTE). Source it; then e.g.
#   \$WASM_CARGO build --target wasm32-unknown-unknown \$WASM_BUILD_STD_FLAGS \\
#       --profile wasm-release --target-dir "\$WASM_TARGET_DIR" -p <crate>
export UMR_WASM_TC="$TC"
export UMR_WASM_ROUTE="$ROUTE"
export WASM_CARGO="$WC"
export WASM_BUILD_STD_FLAGS="$FLAGS"
export WASM_TARGET_DIR="$TDIR"
case ":\$PATH:" in *":$TC/bin:"*) ;; *) export PATH="$TC/bin:$TC/cli/bin:\$PATH" ;; esac
EOF
)"
if [ "$(cat "$TC/env.sh" 2>/dev/null || true)" != "$ENV_NEW" ]; then
  printf '%s\n' "$ENV_NEW" >"$TC/env.sh"
  note "wrote $TC/env.sh (route $ROUTE, WASM_CARGO=$WC)"
fi

# ---- optional smoke build -----------------------------------------------------------
if [ "${UMR_WASM_SMOKE:-0}" = 1 ]; then
  log "smoke build of a tiny cdylib for wasm32 (first time builds std: ~1-2 min)"
  S="$TC/smoke"; mkdir -p "$S/src"
  cat >"$S/Cargo.toml" <<'EOF'
[package]
name = "umr-wasm-smoke"
version = "0.0.0"
edition = "2021"
[lib]
crate-type = ["cdylib"]
[profile.release]
panic = "abort"
[workspace]
EOF
  cat >"$S/src/lib.rs" <<'EOF'
#[no_mangle]
pub extern "C" fn add(a: u32, b: u32) -> u32 {
    let v: Vec<u32> = vec![a, b];
    v.iter().sum()
}
EOF
  # shellcheck disable=SC1091
  ( source "$TC/env.sh"; cd "$S"
    # shellcheck disable=SC2086
    "$WASM_CARGO" build -q --release --target wasm32-unknown-unknown $WASM_BUILD_STD_FLAGS )
  ls -l "$S/target/wasm32-unknown-unknown/release/umr_wasm_smoke.wasm" >&2
  note "smoke build ok"
fi

log "ready: route $ROUTE${RUST_WEB:+, rustc-web $RUST_WEB}, wasm-bindgen-cli $WB_STATE; source $TC/env.sh"
