#!/usr/bin/env bash
# The JSON Schema suite: schema/umr.schema.json against the Draft 2020-12 meta-schema,
# the schema-vs-core differential test on tests/vectors, and the prototype corpus
# converted to native JSON (see tests/schema/README.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
UMR_BIN="$(bash scripts/lib/umr-bin.sh)"
export UMR_BIN
UMR_TEST_LABEL="tests/schema" PYTHONPATH="$PWD/scripts/lib${PYTHONPATH:+:$PYTHONPATH}" \
  "${UMR_VENV:-.venv}/bin/python" -m pytest -q -rs -p no:cacheprovider -p pytest_umr tests/schema
