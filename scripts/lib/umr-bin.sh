#!/usr/bin/env bash
# scripts/lib/umr-bin.sh - build the `umr` command line (debug) and print the path of the
# binary cargo built, as cargo reports it (so any CARGO_TARGET_DIR, relative or absolute,
# or a target-dir set in a cargo config file, is honoured).
#
#   UMR_BIN="$(bash scripts/lib/umr-bin.sh)"
#
# Extra arguments go to `cargo build` (e.g. --release). Cargo's own messages go to stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
py="$(command -v python3)"
cargo build -q -p umr-cli --bin umr --message-format=json-render-diagnostics "$@" \
  | "$py" -c '
import json, sys
exe = None
for line in sys.stdin:
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    if msg.get("reason") == "compiler-artifact" and msg.get("target", {}).get("name") == "umr" \
            and msg.get("executable"):
        exe = msg["executable"]
if not exe:
    sys.exit("umr-bin.sh: cargo reported no executable for the umr binary")
print(exe)
'
