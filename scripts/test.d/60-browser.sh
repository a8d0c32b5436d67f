#!/usr/bin/env bash
# scripts/test.d/60-browser.sh - the static site of `umr site` in headless Chromium:
# builds the sites of examples/registry, tests/render/injection and (when present) the
# prototype corpus ../shared/corpus/modelrecords-poc, serves each from 127.0.0.1 and
# checks with playwright-core (tests/browser/site.test.mjs): no console errors, no
# request leaves 127.0.0.1, every page, fragment and download link resolves, search and
# filters work, payloads stay text. Assumes scripts/setup.sh ran (chromium at
# /usr/bin/chromium, node_modules with playwright-core); installs them when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [ ! -x /usr/bin/chromium ]; then
  [ "$(id -u)" = 0 ] || { echo "60-browser: /usr/bin/chromium is missing (run scripts/setup.sh)" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

UMR_BIN="$(bash scripts/lib/umr-bin.sh)"
export UMR_BIN
bash scripts/lib/node-test.sh LABEL=tests/browser --test-concurrency=1 tests/browser/
