"""The exception hierarchy of :mod:`umr`.

Every error raised by the library is a :class:`UmrError` (itself a :class:`ValueError`),
built from the core's serialised error by one function in the extension module: the
class is named by the error's kind, and ``code``, ``path``, ``line``, ``column``,
``diagnostics`` and ``chain`` are filled in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, List, Optional

if TYPE_CHECKING:
    from umr._umr import Diagnostic

__all__ = [
    "UmrError",
    "ValidationError",
    "ResolveError",
    "CycleError",
    "IoError",
    "RefusedError",
    "ArgumentError",
    "InternalError",
]


class UmrError(ValueError):
    """Base class of every error raised by :mod:`umr`.

    Attributes:
        message: the human-readable message (also ``str(error)``).
        code: the stable error code, e.g. ``E_SEMVER`` or ``E_NOT_FOUND``.
        path: field path of the first error diagnostic, when there is one.
        line: 1-based line of the first error diagnostic, when known.
        column: 1-based column of the first error diagnostic, when known.
        diagnostics: every diagnostic carried by the error (validation errors).
        chain: the chain of records (``name@version``) that led to a resolution error,
            or the path of a cycle.
    """

    message: str
    code: str
    path: Optional[str]
    line: Optional[int]
    column: Optional[int]
    diagnostics: List[Diagnostic]
    chain: List[str]

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        path: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        diagnostics: Iterable[Diagnostic] = (),
        chain: Iterable[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.path = path
        self.line = line
        self.column = column
        self.diagnostics = list(diagnostics)
        self.chain = list(chain)

    def __str__(self) -> str:
        return self.message


class ValidationError(UmrError):
    """A document could not be read as a record: syntax or validation errors.

    ``diagnostics`` holds every diagnostic (warnings too); ``errors`` only the errors.
    """

    @property
    def errors(self) -> List[Diagnostic]:
        """The error diagnostics (warnings left out)."""
        return [d for d in self.diagnostics if d.severity == "error"]


class ResolveError(UmrError):
    """A name or version requirement did not resolve to a record; ``chain`` names the
    records that led to it."""


class CycleError(ResolveError):
    """The upstream graph has a cycle; ``chain`` is the cycle, first record repeated at
    the end."""


class IoError(UmrError, OSError):
    """A file system operation failed. Also an :class:`OSError`, so ``except OSError``
    catches it; ``errno`` is not set."""


class RefusedError(UmrError):
    """A refused operation: a duplicate record, a limit exceeded, a version that is not a
    large enough bump, …"""


class ArgumentError(UmrError):
    """A bad argument to an API call (not a problem in a document)."""


class InternalError(UmrError):
    """A bug in the library, never caused by input: code ``E_INTERNAL``, or ``E_PANIC`` for
    a Rust panic caught at the boundary (the interpreter keeps running). Please report it."""


# shown as `umr.ValidationError` etc. in tracebacks and reprs (the package re-exports them)
for _cls in (
    UmrError,
    ValidationError,
    ResolveError,
    CycleError,
    IoError,
    RefusedError,
    ArgumentError,
    InternalError,
):
    _cls.__module__ = "umr"
del _cls
