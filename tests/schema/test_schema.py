"""The committed JSON Schema, checked from outside Rust.

- ``schema/umr.schema.json`` is a valid Draft 2020-12 schema and is what ``umr schema`` prints;
- differential test: the schema accepts a conformance vector's record iff the core says it
  is valid, except where the core's verdict rests on a rule a JSON Schema cannot express
  (``NOT_EXPRESSIBLE``) or the document never becomes a value (``DOCUMENT_LEVEL``); both
  lists are explained in ``tests/schema/README.md``;
- records in the prototype's dialect, converted to native JSON, all validate: the project's
  own tests/fixtures/legacy-registry always, the 88 records of the corpus tier
  ($UMR_CORPUS/modelrecords-poc, else ../shared/corpus/…) when present (skipped otherwise).

The ``umr`` binary: $UMR_BIN; else $CARGO_TARGET_DIR/debug/umr (relative to the repository
root); else the target folder ``cargo metadata`` reports (built with ``cargo build -p umr-cli``
unless $UMR_BIN names it).

The record of a vector is what ``umr convert --to json`` prints for it. When the CLI refuses
the vector (it is invalid), the document is read here the way the core reads it (YAML 1.2
core schema, duplicate keys refused), which ``test_reader_matches_core`` checks on the
valid vectors.
"""

import json
import os
import re
import subprocess
from pathlib import Path, PurePosixPath

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schema" / "umr.schema.json"
VECTORS_DIR = ROOT / "tests" / "vectors"
LEGACY_FIXTURE = ROOT / "tests" / "fixtures" / "legacy-registry"


def _corpus_root():
    env = os.environ.get("UMR_CORPUS")
    if env:
        return Path(env) if Path(env).is_absolute() else (ROOT / env).resolve()
    return (ROOT.parent / "shared" / "corpus").resolve()


CORPUS_DIR = _corpus_root() / "modelrecords-poc"
REGENERATE = "cargo run -q -p umr-cli -- schema > schema/umr.schema.json"

# Rules the core checks that a JSON Schema cannot express (or that the generated schema
# leaves to the validator). When every error a vector expects has one of these codes, the
# schema's verdict on that vector is not compared.
NOT_EXPRESSIBLE = {
    "E_LICENSE": "SPDX licence expression grammar (and a named licence's id-or-name rule)",
    "E_DATE": "calendar validity of dates (the schema has the shape only)",
    "E_REQUIREMENT": "version requirement syntax",
    "E_UPSTREAM": "the short upstream form (name and requirement in one string)",
    "E_URL": "URL syntax and the http/https/mailto scheme rule",
    "E_MITIGATION_JUSTIFICATION": "a mitigated risk needs a justification (cross-field rule)",
    "E_SELF_UPSTREAM": "a record may not name itself upstream (compares two values)",
}

# Errors found before the document is a value (or in the prototype dialect, which the
# schema does not describe): there is no instance to give the schema.
DOCUMENT_LEVEL = {
    "E_YAML_SYNTAX": "not YAML",
    "E_JSON_SYNTAX": "not JSON",
    "E_JSON_SURROGATE": "a lone UTF-16 surrogate escape: no Unicode string",
    "E_LIMIT_BYTES": "YAML-level limit (expanded bytes)",
    "E_DUPLICATE_KEY": "duplicate keys: no well-defined value",
    "E_YAML_MULTI_DOC": "more than one document",
    "E_YAML_COMPLEX_KEY": "a non-scalar mapping key",
    "E_EMPTY": "no document",
    "E_UTF8": "not UTF-8",
    "E_LIMIT_SIZE": "YAML-level limit (file size)",
    "E_LIMIT_DEPTH": "YAML-level limit (nesting depth)",
    "E_LIMIT_NODES": "YAML-level limit (node count, alias bombs)",
    "E_LIMIT_STRING": "YAML-level limit (string size)",
    "E_LEGACY": "prototype dialect",
}

# Vectors on which the schema and the core are known to disagree (none at present); each
# entry is run as a strict expected failure, so a fixed gap must be removed from here.
SCHEMA_GAPS: dict = {}


# ---------------------------------------------------------------------------------------
# Reading a document the way the core does
# ---------------------------------------------------------------------------------------


class CoreLoader(yaml.SafeLoader):
    """YAML with the YAML 1.2 core schema as the core resolves plain scalars: only
    true/false booleans, no timestamps, no sexagesimal or 0-prefixed octal numbers,
    keys kept as their text, duplicate keys refused."""

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be scalars", key_node.start_mark
                )
            key = key_node.value
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            out[key] = self.construct_object(value_node, deep=True)
        return out


CoreLoader.yaml_implicit_resolvers = {}
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0x"):
        return int(text[2:], 16)
    if text.startswith("0o"):
        return int(text[2:], 8)
    return int(text)


CoreLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
CoreLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: float(loader.construct_scalar(node))
)
CoreLoader.add_constructor("tag:yaml.org,2002:map", CoreLoader.construct_mapping)


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def read_like_core(text, syntax):
    """The value of a document, as the core reads it."""
    if syntax == "json":
        return json.loads(text, object_pairs_hook=_no_duplicates)
    return yaml.load(text, Loader=CoreLoader)  # noqa: S506 - CoreLoader is a SafeLoader


# ---------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------


def _umr_path():
    exe = "umr.exe" if os.name == "nt" else "umr"
    env = os.environ.get("UMR_BIN")
    if env:
        return Path(env) if Path(env).is_absolute() else ROOT / env
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        return (Path(target) if Path(target).is_absolute() else ROOT / target) / "debug" / exe
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout
    return Path(json.loads(meta)["target_directory"]) / "debug" / exe


@pytest.fixture(scope="session")
def umr():
    """The umr binary ($UMR_BIN, else built once per session)."""
    if not os.environ.get("UMR_BIN"):
        subprocess.run(["cargo", "build", "-q", "-p", "umr-cli"], cwd=ROOT, check=True)
    exe = _umr_path()
    assert exe.is_file(), f"{exe} was not built"
    return exe


@pytest.fixture(scope="session")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def validator(schema):
    return Draft202012Validator(schema)


def load_vectors():
    out = {}
    for p in sorted(VECTORS_DIR.glob("*.json")):
        out[p.stem] = json.loads(p.read_text(encoding="utf-8"))
    return out


VECTORS = load_vectors()


def vector_params():
    params = []
    for name in VECTORS:
        marks = []
        if name in SCHEMA_GAPS:
            marks.append(pytest.mark.xfail(strict=True, reason=SCHEMA_GAPS[name]))
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def convert(umr, tmp_path, vector):
    """Write the vector's input where its `file` hint says (the prototype dialect takes
    the name and version from it) and return what `umr convert --to json` prints, or
    None when the CLI refuses the document."""
    default = "vector.json" if vector["syntax"] == "json" else "vector.yaml"
    hint = vector.get("file") or default
    parts = [p for p in PurePosixPath(hint).parts if p not in ("/", "..", ".")]
    if not parts or (parts[-1].endswith(".json")) != (vector["syntax"] == "json"):
        parts = [default]
    path = tmp_path.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(vector["input"].encode("utf-8"))
    r = subprocess.run(
        [str(umr), "convert", "--to", "json", str(path)], capture_output=True, check=False
    )
    if r.returncode != 0:
        return None
    return json.loads(r.stdout.decode("utf-8"))


def schema_errors(validator, instance):
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


# ---------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12(schema):
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_file_is_what_umr_prints(umr):
    printed = subprocess.run(
        [str(umr), "schema"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert printed == SCHEMA_PATH.read_text(encoding="utf-8"), (
        f"schema/umr.schema.json is stale; regenerate it with: {REGENERATE}"
    )


def test_there_are_enough_vectors():
    assert len(VECTORS) >= 40


@pytest.mark.parametrize("name", vector_params())
def test_schema_agrees_with_core(name, umr, validator, tmp_path):
    vector = VECTORS[name]
    expect = vector["expect"]
    valid = expect["valid"]
    codes = [e["code"] for e in expect.get("errors", [])]

    document_level = sorted({c for c in codes if c in DOCUMENT_LEVEL})
    if document_level:
        pytest.skip(f"no JSON instance: {', '.join(document_level)}")

    instance = convert(umr, tmp_path, vector)
    if instance is not None and valid:
        assert instance == expect["normalized"], "umr convert disagrees with the vector"
    if instance is None:
        instance = read_like_core(vector["input"], vector["syntax"])
    if isinstance(instance, dict) and "mr" in instance:
        pytest.skip("prototype dialect: the schema describes the native form")

    if not valid and all(c in NOT_EXPRESSIBLE for c in codes):
        pytest.skip(
            "not expressible in JSON Schema: "
            + "; ".join(sorted({NOT_EXPRESSIBLE[c] for c in codes}))
        )

    errors = schema_errors(validator, instance)
    if valid:
        assert not errors, f"the core accepts {name} but the schema refuses it:\n" + "\n".join(
            errors
        )
    else:
        assert errors, (
            f"the core refuses {name} ({', '.join(codes)}) but the schema accepts it"
        )


@pytest.mark.parametrize(
    "name",
    [
        n
        for n, v in VECTORS.items()
        if v["expect"]["valid"] and "known_bug" not in v
    ],
)
def test_reader_matches_core(name, umr, tmp_path):
    """The Python reader used for refused vectors reads the valid ones as the core does."""
    vector = VECTORS[name]
    core = convert(umr, tmp_path, vector)
    assert core is not None, "the CLI refuses a valid vector"
    mine = read_like_core(vector["input"], vector["syntax"])
    if isinstance(mine, dict) and "mr" in mine:
        pytest.skip("prototype dialect: converted by the core")
    assert json.dumps(mine, ensure_ascii=False) == json.dumps(core, ensure_ascii=False)


def converted_schema_failures(umr, validator, files):
    """Convert each prototype-dialect file with `umr convert --to json`; return what failed
    (the conversion, or the schema's verdict on the result)."""
    failures = []
    for f in files:
        r = subprocess.run(
            [str(umr), "convert", "--to", "json", str(f)], capture_output=True, check=False
        )
        if r.returncode != 0:
            failures.append(f"{f}: umr convert failed: {r.stderr.decode('utf-8', 'replace')}")
            continue
        instance = json.loads(r.stdout.decode("utf-8"))
        if "mr" in instance or instance.get("format_version") != "1.0":
            failures.append(f"{f}: not converted to the native form")
        errors = schema_errors(validator, instance)
        if errors:
            failures.append(f"{f}: " + "; ".join(errors))
    return failures


def test_legacy_fixture_converts_to_schema_valid_json(umr, validator):
    files = sorted(LEGACY_FIXTURE.rglob("*.yaml"))
    assert len(files) >= 20, f"{LEGACY_FIXTURE}: {len(files)} records"
    failures = converted_schema_failures(umr, validator, files)
    assert not failures, "\n".join(failures)


def test_schema_refuses_a_converted_record_made_invalid(umr, validator, tmp_path):
    """The check above can fail: a converted record with a wrong kind is refused."""
    f = LEGACY_FIXTURE / "corvid-3b" / "corvid-3b-1.0.0.yaml"
    r = subprocess.run([str(umr), "convert", "--to", "json", str(f)], capture_output=True, check=True)
    instance = json.loads(r.stdout.decode("utf-8"))
    assert not schema_errors(validator, instance)
    for broken in (dict(instance, kind="modle"), dict(instance, upstream=[42]),
                   {k: v for k, v in instance.items() if k != "version"}):
        assert schema_errors(validator, broken), broken


@pytest.mark.skipif(not CORPUS_DIR.is_dir(),
                    reason=f"corpus tier not run: {CORPUS_DIR} is absent (set UMR_CORPUS=DIR to run it)")
def test_corpus_converts_to_schema_valid_json(umr, validator):
    files = sorted(CORPUS_DIR.rglob("*.yaml"))
    assert len(files) == 88
    failures = converted_schema_failures(umr, validator, files)
    assert not failures, "\n".join(failures)
