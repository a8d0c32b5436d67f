"""Smoke test of the installed wheel (scripts/test.d/95-dist.sh): run with the python of a
fresh virtualenv holding only the wheel, from a folder outside the repository.

usage: python -I smoke.py <examples/registry> <expected version> <repository root>
Exits non-zero (an AssertionError or an exception, with its message) on any failure.
"""

import os
import sys
import tempfile

registry_dir, version, repo = sys.argv[1], sys.argv[2], os.path.realpath(sys.argv[3])

import umr  # noqa: E402  (after the arguments: a broken install fails here, clearly)

where = os.path.realpath(umr.__file__)
assert where.startswith(os.path.realpath(sys.prefix)), f"umr imported from {where}, not the venv {sys.prefix}"
assert not where.startswith(repo + os.sep), f"umr imported from the source tree: {where}"
assert umr.__version__ == version, f"umr.__version__ {umr.__version__!r} != {version!r}"
ext = [f for f in os.listdir(os.path.dirname(where)) if f.startswith("_umr") and f.endswith((".so", ".pyd"))]
assert ext and all(".abi3." in f for f in ext), f"the extension is not abi3: {ext}"

# a record: load, validate, save and load again
with open(os.path.join(repo, "tests", "dist", "smoke-record.yaml"), encoding="utf-8") as f:
    text = f.read()
rec = umr.Record.from_yaml(text, file="smoke.yaml")
assert rec.id == "acme/smoke@1.0.0", rec.id
assert not [d for d in rec.validate() if d.severity == "error"]
with tempfile.TemporaryDirectory() as tmp:
    path = rec.save(tmp)
    assert umr.load(str(path)) == rec

[problem] = umr.validate(text.replace("version: 1.0.0", "version: 1.0"), file="bad.yaml")
assert (problem.code, problem.path, problem.line) == ("E_SEMVER", "version", 4), problem
try:
    umr.Record.from_yaml("format_version: '1.0'\nkind: modle\nname: x\nversion: 1.0.0\n")
    raise AssertionError("expected a ValidationError")
except umr.ValidationError as err:
    assert err.code == "E_ENUM", err.code

# the example registry: every file valid, resolve, affected, render
for root, _, files in os.walk(registry_dir):
    for f in files:
        if f.endswith((".yaml", ".yml", ".json")):
            errors = [d for d in umr.validate_file(os.path.join(root, f)) if d.severity == "error"]
            assert not errors, errors
registry = umr.Registry(registry_dir)
assert len(registry) >= 10, len(registry)
eff = registry.resolve("acme/llama2-7b-med-gguf")
assert eff.record.to_dict()["license"]["id"] == "LicenseRef-llama2"
assert eff.provenance_of("license") == "llama2@1.0.0", eff.provenance_of("license")
hits = registry.affected("laion-5b")
assert "acme/path-clip" in [h["name"] for h in hits], hits
md = registry.render("acme/llama2-7b-med", "md")
assert md.startswith("# ") and "inherited from" in md, md[:200]
pdf = registry.render("acme/path-clip", "pdf")
assert pdf[:5] == b"%PDF-", pdf[:20]

# a registry layered over the example one resolves the new record with its inheritance
with tempfile.TemporaryDirectory() as tmp:
    rec.save(tmp)
    layered = umr.Registry([tmp, registry_dir])
    assert layered.resolve("acme/smoke").provenance_of("license") == "acme/smoke@1.0.0"
    assert layered.resolve("acme/smoke").provenance_of("details.context_length") == "llama2@1.0.0"

# interop: a Hugging Face card and back, CycloneDX
card = "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-2-7b-hf\n---\n# Demo\n"
imported, warnings = umr.import_hf_card(card, name="acme/demo")
assert imported.id == "acme/demo@1.0.0" and umr.export_hf_card(imported) == card
bom = registry.export_cyclonedx("acme/path-clip", lineage=True)
assert bom["bomFormat"] == "CycloneDX", bom.get("bomFormat")

print(f"wheel ok: umr {umr.__version__} from {where}; {len(registry)} records, "
      f"{len(hits)} affected by laion-5b, {len(md)} chars of Markdown, {len(pdf)} bytes of PDF")
