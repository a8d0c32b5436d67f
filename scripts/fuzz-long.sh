#!/usr/bin/env bash
# Long fuzzing run of the UMR fuzz targets (cargo-fuzz / libFuzzer). See docs/security.md.
#
#   scripts/fuzz-long.sh [SECONDS_PER_TARGET] [TARGET ...]
#
# Defaults: 3600 seconds a target, every target. Each target runs in turn, at low priority
# (nice), on its corpus in fuzz/corpus/<target>/ (seeded by fuzz/seed.sh, kept and grown
# between runs). Crashes, timeouts and out-of-memory inputs are written to
# fuzz/artifacts/<target>/ (named after the run); a summary (executions, crashes, seconds)
# is printed and appended to fuzz/logs/summary.tsv.
#
# Environment:
#   UMR_FUZZ_SANITIZER  none | address (default: address when the compiler ships the ASan
#                       runtime, else none). Runs always enable Rust's debug assertions
#                       (integer overflow checks included).
#   UMR_FUZZ_JOBS       parallel libFuzzer workers a target (default 1)
#   UMR_FUZZ_MAX_LEN    largest generated input, in bytes (default 8192; 16384 for cards)
#   UMR_FUZZ_KEEP_GOING 1: keep fuzzing a target after a crash (libFuzzer fork mode)
#   UMR_FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (default 60:
#                       debug assertions, a sanitizer and a loaded machine slow inputs down)
#
# The machine needs only stable Rust: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass the unstable
# flags it needs (-Zsanitizer, coverage instrumentation) to the stable compiler.
set -euo pipefail

secs="${1:-3600}"
shift || true
here="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$here/fuzz"
all_targets=(parse_yaml parse_json legacy hf_card cyclonedx_import registry render)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
  exit 2
fi

sysroot="$(rustc --print sysroot)"
host="$(rustc -vV | sed -n 's/^host: //p')"
if [ -z "${UMR_FUZZ_SANITIZER:-}" ]; then
  if ls "$sysroot/lib/rustlib/$host/lib/" 2>/dev/null | grep -q 'asan'; then
    UMR_FUZZ_SANITIZER=address
  else
    UMR_FUZZ_SANITIZER=none
  fi
fi
san="$UMR_FUZZ_SANITIZER"
jobs="${UMR_FUZZ_JOBS:-1}"
# a separate target folder per sanitizer, so switching does not rebuild the other
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$fuzz/target/$san}"

echo "building fuzz targets (sanitizer: $san, debug assertions on)"
(cd "$fuzz" && RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer "$san" -O -a)
bin="$CARGO_TARGET_DIR/$host/release"

"$fuzz/seed.sh" >/dev/null
mkdir -p "$fuzz/logs"
summary="$fuzz/logs/summary.tsv"
[ -f "$summary" ] || printf 'date\ttarget\tsanitizer\tseconds\texecutions\tcrashes\n' >"$summary"

total_execs=0
total_crashes=0
printf '\n%-18s %14s %8s %8s\n' target executions crashes seconds
for t in "${targets[@]}"; do
  art="$fuzz/artifacts/$t"
  mkdir -p "$art"
  stamp="$(date +%Y%m%d-%H%M%S)-$san-$$"
  max_len="${UMR_FUZZ_MAX_LEN:-8192}"
  [ "$t" = hf_card ] && max_len="${UMR_FUZZ_MAX_LEN:-16384}"
  log="$fuzz/logs/$t-$stamp.log"
  args=(-max_total_time="$secs" -max_len="$max_len" -timeout="${UMR_FUZZ_TIMEOUT:-60}" -rss_limit_mb=2048
    -print_final_stats=1 -artifact_prefix="$art/$stamp-")
  if [ "$jobs" -gt 1 ] || [ "${UMR_FUZZ_KEEP_GOING:-0}" = 1 ]; then
    args+=(-fork="$jobs")
    [ "${UMR_FUZZ_KEEP_GOING:-0}" = 1 ] && args+=(-ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  start=$(date +%s)
  set +e
  nice -n 10 "$bin/$t" "${args[@]}" "$fuzz/corpus/$t" >"$log" 2>&1
  set -e
  took=$(($(date +%s) - start))
  # single-process runs print stat::number_of_executed_units; fork mode prints #N lines
  execs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{s+=$2} END {print s+0}')"
  if [ "$execs" = 0 ]; then
    execs="$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')"
    execs="${execs:-0}"
  fi
  # crashes, timeouts, out-of-memory and leaks of this run (slow-unit reports are not)
  crashes="$(find "$art" -type f \( -name "$stamp-crash-*" -o -name "$stamp-timeout-*" \
    -o -name "$stamp-oom-*" -o -name "$stamp-leak-*" \) | wc -l)"
  total_execs=$((total_execs + execs))
  total_crashes=$((total_crashes + crashes))
  printf '%-18s %14s %8s %8s\n' "$t" "$execs" "$crashes" "$took"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$t" "$san" "$took" \
    "$execs" "$crashes" >>"$summary"
done
printf '%-18s %14s %8s\n' total "$total_execs" "$total_crashes"
if [ "$total_crashes" -gt 0 ]; then
  echo "crashing inputs are in $fuzz/artifacts/; reproduce one with:" >&2
  echo "  (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer $san TARGET artifacts/TARGET/FILE)" >&2
  exit 1
fi
