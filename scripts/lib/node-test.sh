#!/usr/bin/env bash
# scripts/lib/node-test.sh [LABEL=name] ARGS... - `node --test ARGS...` that fails when no test
# passed (every test skipped, or none found), and appends `<label>: N passed, N skipped` (with
# the reasons of the skips) to $UMR_TEST_REPORT when that is set. Output: the spec reporter.
set -euo pipefail
label=""
case "${1:-}" in LABEL=*) label="${1#LABEL=}"; shift ;; esac
tap="$(mktemp /tmp/umr-node-tap.XXXXXX)"
trap 'rm -f "$tap"' EXIT
rc=0
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" "$@" || rc=$?
pass="$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$tap" | tail -1)"
skip="$(sed -n 's/^# skipped \([0-9][0-9]*\)$/\1/p' "$tap" | tail -1)"
: "${label:=node --test $*}"
if [ -n "${UMR_TEST_REPORT:-}" ]; then
  printf '%s: %s passed, %s skipped\n' "$label" "${pass:-0}" "${skip:-0}" >>"$UMR_TEST_REPORT"
  # "ok N - name # SKIP reason" lines of the TAP stream: one line per distinct reason
  sed -n 's/^ *ok [0-9]* - .* # SKIP \(.*\)$/\1/p' "$tap" | sort | uniq -c \
    | sed 's/^ *\([0-9]*\) \(.*\)$/    skipped \1: \2/' >>"$UMR_TEST_REPORT"
fi
[ "$rc" = 0 ] || exit "$rc"
if [ "${pass:-0}" = 0 ]; then
  echo "node-test.sh: FAILED — no test passed in \`node --test $*\` (every test skipped or none was found)" >&2
  exit 1
fi
