"""pytest plugin of the UMR test command (loaded with ``-p pytest_umr``, ``scripts/lib`` on
``PYTHONPATH``).

* A run in which no test passed fails (exit status 1), even when every test skipped: a suite
  that checked nothing must never look green.
* One line per run is appended to ``$UMR_TEST_REPORT`` (when set) — ``<label>: N passed,
  N skipped`` plus the reasons of the skips — so ``scripts/test`` can say in its summary what
  did not run (for example the second tier that needs ``../shared/corpus``).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

_counts: Counter[str] = Counter()
_skip_reasons: Counter[str] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed:
        _counts["passed"] += 1
    elif report.failed:
        _counts["failed"] += 1
    elif report.skipped:
        _counts["skipped"] += 1
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skip_reasons[reason.removeprefix("Skipped: ")] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    label = os.environ.get("UMR_TEST_LABEL") or " ".join(session.config.args) or "pytest"
    out = os.environ.get("UMR_TEST_REPORT")
    if out:
        line = f"{label}: {_counts['passed']} passed, {_counts['skipped']} skipped"
        with open(out, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            for reason, n in sorted(_skip_reasons.items()):
                f.write(f"    skipped {n}: {reason}\n")
    if _counts["passed"] == 0 and exitstatus in (0, 5):
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus: int) -> None:  # type: ignore[no-untyped-def]
    if _counts["passed"] == 0:
        terminalreporter.write_line(
            "pytest_umr: FAILED — no test passed in this run (every test skipped or none was collected)",
            red=True,
        )
