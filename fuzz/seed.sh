#!/usr/bin/env bash
#   fuzz/seed.sh [DIR]
# Build the seed corpora of the fuzz targets in DIR/<target>/ (default DIR: fuzz/corpus,
# not committed) from the conformance vectors (tests/vectors), the example registry,
# tests/hostile and, when present, the shared reference corpus (../shared/corpus, or
# $UMR_SHARED_CORPUS: prototype records, Hugging Face cards, CycloneDX examples). Existing
# corpus files are kept: a long run's corpus grows.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
shared="${UMR_SHARED_CORPUS:-$root/../shared/corpus}"
c="${1:-$here/corpus}"
mkdir -p "$c"/{parse_yaml,parse_json,legacy,hf_card,cyclonedx_import,registry,render}

copy() { # copy FILE DIR: by content hash, so re-seeding is idempotent
  local f="$1" d="$2"
  [ -f "$f" ] || return 0
  local h
  h="$(sha1sum "$f" | cut -c1-16)"
  cp "$f" "$d/seed-$h"
}

# conformance vectors: the "input" of each, by syntax
if command -v python3 >/dev/null 2>&1; then
  python3 - "$root/tests/vectors" "$c" <<'PY'
import hashlib, json, os, sys
src, out = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    if not name.endswith(".json"):
        continue
    try:
        v = json.load(open(os.path.join(src, name), encoding="utf-8"))
    except Exception:
        continue
    text = v.get("input")
    if not isinstance(text, str):
        continue
    data = text.encode("utf-8", "surrogatepass")
    h = hashlib.sha1(data).hexdigest()[:16]
    targets = ["parse_json"] if v.get("syntax") == "json" else ["parse_yaml"]
    if "mr:" in text:
        targets.append("legacy")
    targets += ["registry", "render"]  # any bytes drive the generator
    for t in targets:
        with open(os.path.join(out, t, "seed-" + h), "wb") as f:
            f.write(data)
PY
fi

while IFS= read -r -d '' f; do
  copy "$f" "$c/parse_yaml"
done < <(find "$root/examples" "$root/tests/hostile" -type f \( -name '*.yaml' -o -name '*.yml' \) -size -64k -print0 2>/dev/null)
while IFS= read -r -d '' f; do
  copy "$f" "$c/parse_json"
done < <(find "$root/examples" "$root/tests/hostile" -type f -name '*.json' -size -64k -print0 2>/dev/null)

if [ -d "$shared" ]; then
  while IFS= read -r -d '' f; do
    copy "$f" "$c/legacy"
  done < <(find "$shared/modelrecords-poc" -type f -name '*.yaml' -size -64k -print0 2>/dev/null)
  while IFS= read -r -d '' f; do
    copy "$f" "$c/hf_card"
  done < <(find "$shared/hf-model-cards" "$shared/hf-dataset-cards" -type f -name '*.md' -size -64k -print0 2>/dev/null)
  while IFS= read -r -d '' f; do
    copy "$f" "$c/cyclonedx_import"
  done < <(find "$shared/cyclonedx/examples" -type f -name '*.json' -size -64k -print0 2>/dev/null)
fi
# inputs that once crashed a target (tests/hostile/fuzz/<target>/), kept as regressions
for t in parse_yaml parse_json legacy hf_card cyclonedx_import registry render; do
  if [ -d "$root/tests/hostile/fuzz/$t" ]; then
    for f in "$root/tests/hostile/fuzz/$t"/*; do copy "$f" "$c/$t"; done
  fi
done

for t in parse_yaml parse_json legacy hf_card cyclonedx_import registry render; do
  printf '%-18s %5d seeds\n' "$t" "$(find "$c/$t" -type f | wc -l)"
done
