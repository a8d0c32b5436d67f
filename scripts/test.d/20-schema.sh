#!/usr/bin/env bash
# The JSON Schema suite: schema/umr.schema.json against the Draft 2020-12 meta-schema,
# the schema-vs-core differential test on tests/vectors, and the prototype corpus
# converted to native JSON (see tests/schema/README.md).
set -euo pipefail
"${UMR_VENV:-.venv}/bin/python" -m pytest -q -p no:cacheprovider tests/schema
