"""Result shapes of :mod:`umr` that hold more than one value.

They are named tuples: unpack them (``record, warnings = umr.import_hf_card(text)``) or
read their fields (``result.record``). The Node package returns plain objects with the
same field names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, NamedTuple

if TYPE_CHECKING:
    from umr._umr import Diagnostic, Record

__all__ = ["CardImport", "BomImport"]


class CardImport(NamedTuple):
    """What :func:`umr.import_hf_card` read: the record and the warnings (located in the
    card)."""

    record: Record
    warnings: List[Diagnostic]


class BomImport(NamedTuple):
    """What :func:`umr.import_cyclonedx` read: one record per machine-learning-model or
    data component, and the warnings."""

    records: List[Record]
    warnings: List[Diagnostic]


for _cls in (CardImport, BomImport):
    _cls.__module__ = "umr"
del _cls
