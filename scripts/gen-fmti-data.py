#!/usr/bin/env python3
"""Generate the indicator-set data files of umr-core from the FMTI corpus CSVs.

Usage:
    python3 scripts/gen-fmti-data.py [CORPUS_FMTI_DIR]

CORPUS_FMTI_DIR defaults to ../shared/corpus/fmti beside the checkout. The script writes
crates/umr-core/data/fmti2023.json and crates/umr-core/data/fmti2025.json (only what the
library needs at run time: domain, subdomain, name, definition and a stable snake_case key
per indicator, plus the alias keys below). It uses the standard library only and is
deterministic: running it twice gives identical files.

The indicator definitions are from the Foundation Model Transparency Index
(https://github.com/stanford-crfm/fmti), licensed CC BY 4.0; see crates/umr-core/data/README.md.
"""

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "umr-core" / "data"
UPSTREAM_REPO = "https://github.com/stanford-crfm/fmti"
UPSTREAM_COMMIT = "f4500c5f4763966fddf71c468a148533a1236290"
ATTRIBUTION = (
    "Indicator definitions from the Foundation Model Transparency Index ({citation}), "
    f"{UPSTREAM_REPO} (commit {UPSTREAM_COMMIT}), licensed CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/). Changes: whitespace in names and "
    "definitions normalised; snake_case keys and alias keys added; notes, examples and "
    "references omitted."
)

# Alias keys per indicator: other spellings that mean the same indicator. Each entry says
# where the spelling comes from. A record may write an alias key; it scores as the
# canonical key. Published score files are matched by the snake_case form of their names,
# so "Third-party capabilities evaluation" already matches `third_party_capabilities_evaluation`.
ALIASES = {
    "fmti2023": {
        # prototype records (modelrecords-poc) and the published 2023/2024 score files
        "data_license": ["data_license_status"],
        # published 2023/2024 score files
        "copyrighted_data": ["data_copyright_status"],
        # prototype records and the published 2023 score file
        "release_decision_making": ["release_decision_making_protocol"],
        # published 2023/2024 score files
        "detection_of_machine_generated_content": ["machine_generated_content"],
        # prototype records (`asset_license`), 2023 score file ("Model Asset License"),
        # 2024 score file ("License")
        "model_license": ["asset_license", "model_asset_license", "license"],
    },
    "fmti2025": {},
}

EDITIONS = [
    {
        "edition": "fmti2023",
        "csv": "fmti-2023-indicators.csv",
        "aliases": ["fmti2024"],
        "title": "Foundation Model Transparency Index 2023",
        "published": "2023-10",
        "note": "The 100 indicators of October 2023; the May 2024 index (FMTI v1.1) scored the same indicators.",
        "citation": "R. Bommasani, K. Klyman, S. Longpre, S. Kapoor, N. Maslej, B. Xiong, D. Zhang, P. Liang: The Foundation Model Transparency Index, Stanford CRFM, October 2023",
    },
    {
        "edition": "fmti2025",
        "csv": "fmti-2025-indicators.csv",
        "aliases": [],
        "title": "Foundation Model Transparency Index 2025",
        "published": "2025-12",
        "note": "The 100 indicators of the December 2025 index.",
        "citation": "A. Wan, K. Klyman, S. Kapoor, N. Maslej, S. Longpre, B. Xiong, P. Liang, R. Bommasani: The 2025 Foundation Model Transparency Index, December 2025",
    },
]

DOMAIN_ORDER = ["upstream", "model", "downstream"]


def snake(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", s.strip().lower()).strip("_")


def clean(s: str) -> str:
    return " ".join(s.split())


def build(spec, corpus: Path):
    path = corpus / spec["csv"]
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    domains, subdomains, indicators = [], [], []
    seen_keys = set()
    for r in rows:
        dname = clean(r["Domain"])
        dkey = snake(dname)
        if dkey not in DOMAIN_ORDER:
            sys.exit(f"{path}: unexpected domain {dname!r}")
        if not any(d["key"] == dkey for d in domains):
            domains.append({"key": dkey, "name": dname})
        sname = clean(r["Subdomain"])
        skey = snake(sname)
        if not any(s["key"] == skey and s["domain"] == dkey for s in subdomains):
            if any(s["key"] == skey for s in subdomains):
                sys.exit(f"{path}: subdomain {sname!r} appears in two domains")
            subdomains.append({"key": skey, "name": sname, "domain": dkey})
        name = clean(r["Indicator"])
        key = snake(name)
        if key in seen_keys:
            sys.exit(f"{path}: duplicate indicator key {key}")
        seen_keys.add(key)
        ind = {
            "key": key,
            "domain": dkey,
            "subdomain": skey,
            "name": name,
            "definition": clean(r["Definition"]),
        }
        aliases = ALIASES[spec["edition"]].get(key, [])
        if aliases:
            ind["aliases"] = aliases
        indicators.append(ind)
    for k, al in ALIASES[spec["edition"]].items():
        if k not in seen_keys:
            sys.exit(f"alias table names unknown indicator {k}")
        for a in al:
            if a in seen_keys:
                sys.exit(f"alias {a} is also an indicator key")
    if len(indicators) != 100:
        sys.exit(f"{path}: expected 100 indicators, found {len(indicators)}")
    domains.sort(key=lambda d: DOMAIN_ORDER.index(d["key"]))
    return {
        "name": spec["edition"],
        "aliases": spec["aliases"],
        "title": spec["title"],
        "published": spec["published"],
        "note": spec["note"],
        "source": f"{UPSTREAM_REPO}/blob/{UPSTREAM_COMMIT}",
        "license": "CC-BY-4.0",
        "attribution": ATTRIBUTION.format(citation=spec["citation"]),
        "domains": domains,
        "subdomains": subdomains,
        "indicators": indicators,
    }


def main():
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "fmti"
    OUT.mkdir(parents=True, exist_ok=True)
    for spec in EDITIONS:
        data = build(spec, corpus)
        target = OUT / f"{spec['edition']}.json"
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(target)
        print(f"wrote {target.relative_to(ROOT)} ({len(data['indicators'])} indicators)")


if __name__ == "__main__":
    main()
