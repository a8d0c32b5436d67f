"""Shared helpers of the interop suite (imported by the test modules and conftest.py).

* Where things are: the repository, the project's own fixtures (`tests/fixtures`), the
  example registry, and the second-tier corpus (`$UMR_CORPUS`, else `../shared/corpus`
  beside the checkout; when `UMR_CORPUS` is set to a folder that does not exist, the corpus
  tier does not run).
* Which `umr` binary runs: `$UMR_BIN`; else `$CARGO_TARGET_DIR/debug/umr` (a relative
  `CARGO_TARGET_DIR` is relative to the repository root); else cargo's own answer
  (`cargo metadata` → `target_directory`). A missing binary fails the tests with the
  command that builds it; it never skips them.
* The official validators: CycloneDX JSON schemas through `cyclonedx-python-lib`
  (`JsonStrictValidator`) and the SPDX 3.0.1 model through `spdx-python-model` (its JSON-LD
  deserialiser type-checks every object and property; serialising the object set again
  checks required properties).
* `FEATURES.tsv` of the Hugging Face card fixtures: what each card covers and the
  diagnostics its import must give.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import pathlib
import re
import subprocess
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
HF_FIXTURES = FIXTURES / "hf"
MODEL_CARDS = HF_FIXTURES / "model-cards"
DATASET_CARDS = HF_FIXTURES / "dataset-cards"
CDX_FIXTURES = FIXTURES / "cyclonedx"
EXAMPLES = REPO / "examples" / "registry"


def corpus_dir() -> pathlib.Path:
    env = os.environ.get("UMR_CORPUS")
    if env:
        p = pathlib.Path(env)
        return p if p.is_absolute() else REPO / p
    return REPO.parent / "shared" / "corpus"


CORPUS = corpus_dir()
HAS_CORPUS = CORPUS.is_dir()
CORPUS_SKIP_REASON = (
    f"corpus tier: {CORPUS} is absent (third-party documents beside the checkout; "
    "set UMR_CORPUS=DIR to run this tier); the fixture tier ran"
)


# ---------------------------------------------------------------- the umr binary


def _exe(name: str) -> str:
    return name + (".exe" if os.name == "nt" else "")


@functools.lru_cache(maxsize=None)
def umr_bin_path() -> Tuple[pathlib.Path, str]:
    """The binary and where its path came from."""
    env = os.environ.get("UMR_BIN")
    if env:
        return pathlib.Path(env), "UMR_BIN"
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        t = pathlib.Path(target)
        t = t if t.is_absolute() else REPO / t
        return t / "debug" / _exe("umr"), "CARGO_TARGET_DIR"
    try:
        meta = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"],
            cwd=REPO, capture_output=True, text=True, check=True, timeout=120,
        )
        target_dir = pathlib.Path(json.loads(meta.stdout)["target_directory"])
        return target_dir / "debug" / _exe("umr"), "cargo metadata"
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as e:
        return REPO / "target" / "debug" / _exe("umr"), f"default (cargo metadata failed: {e})"


def missing_bin_message() -> Optional[str]:
    path, source = umr_bin_path()
    if path.is_file():
        return None
    return (
        f"the umr binary is not at {path} (from {source}): run `cargo build -p umr-cli` "
        "(or `bash scripts/test.d/25-interop.sh`, which builds it and sets UMR_BIN)"
    )


class Umr:
    """Runs the `umr` binary."""

    def __init__(self, path: pathlib.Path):
        self.path = path

    def __call__(self, *args: str, check: bool = True, cwd: Optional[pathlib.Path] = None) -> subprocess.CompletedProcess:
        p = subprocess.run([str(self.path), *args], capture_output=True, text=True, timeout=300, cwd=cwd)
        if check and p.returncode != 0:
            raise AssertionError(f"umr {' '.join(args)} exited {p.returncode}:\n{p.stderr}\n{p.stdout}")
        return p

    def json(self, *args: str, check: bool = True) -> Any:
        return json.loads(self(*args, check=check).stdout)


# ---------------------------------------------------------------- registries


def registry_ids(reg: pathlib.Path) -> List[str]:
    """`name@version` of every native record file of a registry folder."""
    out = []
    for f in sorted(reg.rglob("*.yaml")):
        d = yaml.safe_load(f.read_text(encoding="utf-8"))
        if isinstance(d, dict) and "name" in d and "version" in d:
            out.append(f"{d['name']}@{d['version']}")
    return out


# ---------------------------------------------------------------- official validators


@functools.lru_cache(maxsize=None)
def cdx_validator(spec_version: str):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    return JsonStrictValidator(SchemaVersion.from_version(spec_version))


def cdx_errors(text: str, spec_version: str) -> List[str]:
    """The official CycloneDX JSON schema's verdict: one line per error (path: message)."""
    errors = cdx_validator(spec_version).validate_str(text, all_errors=True)
    out = []
    for e in errors or []:
        data = e.data  # a jsonschema.ValidationError
        where = "/".join(map(str, data.absolute_path)) or "(document)"
        out.append(f"{where}: {data.message[:400]}")
    return out


def assert_valid_cdx(text: str, spec_version: str, what: str) -> Dict[str, Any]:
    errors = cdx_errors(text, spec_version)
    if errors:
        raise AssertionError(
            f"{what}: CycloneDX {spec_version} schema (cyclonedx-python-lib) reports "
            f"{len(errors)} error(s):\n  " + "\n  ".join(errors[:10])
        )
    bom = json.loads(text)
    assert bom["specVersion"] == spec_version, what
    return bom


def spdx_model():
    from spdx_python_model import v3_0_1

    return v3_0_1


def load_spdx(doc: Dict[str, Any], what: str):
    """Deserialise an SPDX 3.0.1 JSON-LD document with the official Python model: unknown
    classes or properties, wrong value types and enum values raise; every reference must
    resolve inside the document; serialising the set again checks required properties.
    Returns the object set."""
    s = spdx_model()
    objset = s.SHACLObjectSet()
    try:
        s.JSONLDDeserializer().deserialize_data(doc, objset)
        missing = objset.link()
        s.JSONLDSerializer().write(objset, io.BytesIO())
    except Exception as e:  # the model raises KeyError / TypeError / ValueError
        raise AssertionError(f"{what}: spdx-python-model rejects the document: {type(e).__name__}: {e}") from e
    assert not missing, f"{what}: references to elements not in the document: {sorted(missing)}"
    return objset


def spdx_objects(objset, cls_name: str) -> list:
    cls = getattr(spdx_model(), cls_name)
    return [o for o in objset.objects if type(o) is cls]


# ---------------------------------------------------------------- Hugging Face cards


def front_matter(text: str) -> Dict[str, Any]:
    """The front matter as huggingface_hub reads it (its regex + PyYAML safe_load)."""
    m = re.match(r"^(\s*---[\r\n]+)([\S\s]*?)([\r\n]+---(\r\n|\n|$))", text)
    if not m:
        return {}
    return yaml.safe_load(m.group(2)) or {}


@dataclass(frozen=True)
class CardCase:
    """One row of tests/fixtures/hf/FEATURES.tsv."""

    path: pathlib.Path
    kind: str  # the record kind the import gives: model | dataset
    options: Tuple[str, ...]  # extra `umr import hf` options
    diagnostics: Tuple[Tuple[str, int], ...]  # (code, line): E_* is the error, W_* the warnings
    covers: str

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def error(self) -> Optional[Tuple[str, int]]:
        return next((d for d in self.diagnostics if d[0].startswith("E_")), None)

    @property
    def warnings(self) -> List[Tuple[str, int]]:
        return [d for d in self.diagnostics if d[0].startswith("W_")]


def card_cases() -> List[CardCase]:
    rows = []
    with open(HF_FIXTURES / "FEATURES.tsv", encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        diags = []
        for d in row["diagnostics"].split(","):
            d = d.strip()
            if d and d != "-":
                code, line = d.split("@")
                diags.append((code, int(line)))
        opts = tuple(row["options"].split()) if row["options"].strip() not in ("", "-") else ()
        rows.append(CardCase(HF_FIXTURES / row["file"], row["kind"], opts, tuple(diags), row["covers"]))
    return rows
