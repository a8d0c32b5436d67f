#!/usr/bin/env bash
# Fuzz smoke run: builds the cargo-fuzz targets of fuzz/ (a separate crate, not a
# workspace member) and runs each one briefly on seeds from tests/vectors, the example
# registry, tests/hostile and ../shared/corpus when present. Any crash, timeout or
# out-of-memory fails the step; the input is kept in target/fuzz-artifacts/<target>/.
# Long runs: scripts/fuzz-long.sh (docs/security.md).
#
# Env: UMR_FUZZ_SMOKE_SECS  seconds a target (default 20; 7 targets, under 3 minutes)
#      UMR_FUZZ_SMOKE_RUNS  executions a target at most (default 20000)
#      UMR_FUZZ_SMOKE=skip  skip the step (e.g. where cargo-fuzz is not installed)
#
# Stable Rust only: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its unstable flags. Runs use
# `--sanitizer none` with Rust's debug assertions (overflow checks) on; the address
# sanitizer is for long runs (scripts/fuzz-long.sh), as it needs a separate build.
set -euo pipefail

if [ "${UMR_FUZZ_SMOKE:-}" = skip ]; then
  echo "fuzz smoke: skipped (UMR_FUZZ_SMOKE=skip)"
  exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: cargo-fuzz is not installed (cargo install cargo-fuzz)," >&2
  echo "or set UMR_FUZZ_SMOKE=skip to skip this step" >&2
  exit 1
fi

# a fixed seed makes the smoke run reproducible (UMR_FUZZ_SMOKE_SEED overrides); long runs
# with random seeds are scripts/fuzz-long.sh
secs="${UMR_FUZZ_SMOKE_SECS:-20}"
runs="${UMR_FUZZ_SMOKE_RUNS:-20000}"
targets=(parse_yaml parse_json legacy hf_card cyclonedx_import registry render)
root="$(pwd)"
# the fuzz build (its own flags) gets its own folder inside cargo's target folder
export CARGO_TARGET_DIR="${UMR_TARGET_DIR:-${CARGO_TARGET_DIR:-$root/target}}/fuzz"
host="$(rustc -vV | sed -n 's/^host: //p')"

(cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer none -O -a)
bin="$CARGO_TARGET_DIR/$host/release"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fuzz/seed.sh "$work/corpus" >/dev/null

failed=()
printf '%-18s %10s %8s\n' target executions result
for t in "${targets[@]}"; do
  mkdir -p "$work/art/$t"
  log="$work/$t.log"
  if "$bin/$t" -seed="${UMR_FUZZ_SMOKE_SEED:-1}" -runs="$runs" -max_total_time="$secs" -max_len=8192 -timeout=20 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/art/$t/" \
    "$work/corpus/$t" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    failed+=("$t")
    mkdir -p "$root/target/fuzz-artifacts/$t"
    cp -r "$work/art/$t/." "$root/target/fuzz-artifacts/$t/" 2>/dev/null || true
    tail -n 40 "$log" >&2
  fi
  execs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)"
  printf '%-18s %10s %8s\n' "$t" "${execs:-?}" "$result"
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz smoke: crashing inputs of ${failed[*]} are in target/fuzz-artifacts/; reproduce with" >&2
  echo "  (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none -a TARGET ../target/fuzz-artifacts/TARGET/FILE)" >&2
  exit 1
fi
