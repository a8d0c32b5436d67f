"""Unified Model Records: machine-readable records for ML models, model families and
datasets, with explicit provenance.

A fine-tuned model's record names its base model and inherits most of its content from
it, so authors write only what changed. Records are semantically versioned, lineage is a
queryable graph, and risks found upstream reach every downstream record.

Everything is implemented in Rust (the ``umr-core`` crate); this package is a thin layer
over it.
"""

from umr._errors import (
    ArgumentError,
    CycleError,
    InternalError,
    IoError,
    RefusedError,
    ResolveError,
    UmrError,
    ValidationError,
)
from umr._results import BomImport, CardImport
from umr._umr import (
    Diagnostic,
    Effective,
    Record,
    Registry,
    __version__,
    _debug_panic,
    diff,
    editions,
    export_hf_card,
    import_cyclonedx,
    import_hf_card,
    load,
    required_bump,
    score_record,
    validate,
    validate_file,
)

__all__ = [
    "__version__",
    "load",
    "validate",
    "validate_file",
    "diff",
    "required_bump",
    "import_hf_card",
    "export_hf_card",
    "import_cyclonedx",
    "editions",
    "score_record",
    "Record",
    "Registry",
    "Effective",
    "Diagnostic",
    "CardImport",
    "BomImport",
    "UmrError",
    "ValidationError",
    "ResolveError",
    "CycleError",
    "IoError",
    "RefusedError",
    "ArgumentError",
    "InternalError",
]
