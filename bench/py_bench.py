"""Python side-by-side benchmarks of UMR, run by bench/run.

Each ratio is measured in this run, on the same documents:

* `umr.validate` over the prototype corpus records (converted to native JSON) and the
  conformance vectors, against the `jsonschema` package validating the same documents with
  `schema/umr.schema.json` (a compiled Draft 2020-12 validator, the fastest way to use it);
* Hugging Face model card import over ../shared/corpus/hf-model-cards, against
  `huggingface_hub`'s `ModelCard.load` + card data parsing of the same files (when the
  `umr` package exposes card import and `huggingface_hub` is installed).
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def batch_size(fn, min_seconds: float) -> int:
    """How many calls of `fn` make one timing last at least `min_seconds` (as `timeit`)."""
    fn()  # warm up (imports, caches)
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - t0 >= min_seconds:
            return number
        number *= 2


def best_of_pair(fa, fb, repeat: int = 15, min_seconds: float = 0.2) -> tuple[float, float]:
    """Seconds per call of `fa` and of `fb`, as `timeit` measures (batches of at least
    `min_seconds`, the fastest timing counts), with the batches of the two sides taken in
    turn: a slow spell of the machine falls on both sides of a ratio rather than on one."""
    na, nb = batch_size(fa, min_seconds), batch_size(fb, min_seconds)
    ta, tb = [], []
    for _ in range(repeat):
        for fn, n, out in ((fa, na, ta), (fb, nb, tb)):
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            out.append((time.perf_counter() - t0) / n)
    return min(ta), min(tb)


def check(name: str, value: float, target: float) -> None:
    verdict = "MET" if value >= target else "MISSED"
    print(f"{name:<58} {value:10.1f}x (target >= {target}x)  {verdict}")


def documents() -> list[str]:
    docs: list[str] = []
    umr_bin = ROOT / "target" / "release" / "umr"
    if not umr_bin.exists():
        subprocess.run(["cargo", "build", "-q", "--release", "-p", "umr-cli"], cwd=ROOT, check=True)
    poc = CORPUS / "modelrecords-poc"
    if poc.is_dir():
        for f in sorted(poc.glob("*/*.yaml")):
            out = subprocess.run([str(umr_bin), "convert", "--to", "json", str(f)], capture_output=True, text=True)
            if out.returncode == 0:
                docs.append(out.stdout)
    for f in sorted((ROOT / "tests" / "vectors").glob("*.json")):
        v = json.loads(f.read_text())
        if v.get("syntax") == "json":
            docs.append(v["input"])
        elif v.get("expect", {}).get("valid"):
            docs.append(json.dumps(v["expect"]["normalized"]))
    # only documents that are JSON at all: the baseline cannot read the others
    ok = []
    for d in docs:
        try:
            json.loads(d)
            ok.append(d)
        except ValueError:
            pass
    return ok


def bench_validate() -> None:
    import jsonschema
    import umr

    docs = documents()
    schema = json.loads((ROOT / "schema" / "umr.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    parsed = [json.loads(d) for d in docs]

    def run_umr() -> None:
        for d in docs:
            umr.validate(d, syntax="json")

    def run_jsonschema() -> None:
        # the baseline gets already-parsed documents, and still has to parse them to be fair
        for d in docs:
            list(validator.iter_errors(json.loads(d)))

    assert len(parsed) == len(docs)
    t_umr, t_js = best_of_pair(run_umr, run_jsonschema)
    print(f"# validate {len(docs)} documents: umr {t_umr * 1e3:.1f} ms, jsonschema {t_js * 1e3:.1f} ms")
    check("Python umr.validate vs jsonschema (same documents)", t_js / t_umr, 50)


def bench_hf_import() -> None:
    import umr

    importer = getattr(umr, "import_hf_card", None) or getattr(umr, "import_model_card", None)
    cards_dir = CORPUS / "hf-model-cards"
    if importer is None or not cards_dir.is_dir():
        print("# HF card import: skipped (umr has no card import or the corpus is absent)")
        return
    try:
        import logging

        # the baseline logs a line for every malformed card; keep the report readable
        logging.getLogger("huggingface_hub").setLevel(logging.ERROR)
        from huggingface_hub import ModelCard
        from huggingface_hub.utils import logging as hub_logging

        # the library sets its own level when first used; this is its way to quiet it
        hub_logging.set_verbosity_error()
    except ImportError:
        print("# HF card import: skipped (huggingface_hub is not installed in the virtualenv)")
        return
    texts = [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in sorted(cards_dir.glob("*.md"))]

    def run_umr() -> None:
        for name, t in texts:
            try:
                importer(t, name=name.removesuffix(".md").replace("__", "-").replace("@", "-")[:90])
            except umr.UmrError:
                pass

    def run_hub() -> None:
        for _, t in texts:
            try:
                card = ModelCard(t, ignore_metadata_errors=True)
                card.data.to_dict()
            except Exception:  # noqa: BLE001 - the baseline's own failures on malformed cards
                pass

    t_umr, t_hub = best_of_pair(run_umr, run_hub)
    print(f"# import {len(texts)} HF cards: umr {t_umr * 1e3:.1f} ms, huggingface_hub {t_hub * 1e3:.1f} ms")
    check("Python HF card import vs huggingface_hub ModelCard", t_hub / t_umr, 20)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    bench_validate()
    bench_hf_import()
