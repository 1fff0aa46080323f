"""Shared fixtures. LibreOffice tests skip only where it cannot be installed, and then say so loudly."""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # tests only: xlwings' remote engine

# No test may depend on the clock: Hypothesis' per-example deadline and its "too slow" health check measure
# wall time, so a busy CI machine could fail a correct build. Tests' own @settings inherit this profile.
# CI draws the same examples on every run (derandomize), so a build is never failed by a newly drawn example;
# `XLGOVA_HYPOTHESIS=explore make test` draws fresh random examples for a developer hunting new failures.
settings.register_profile("xlgova", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("explore" if os.environ.get("XLGOVA_HYPOTHESIS") == "explore" else "xlgova")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


SEEDS_MISSING = (f"../shared/seeds IS NOT BESIDE THIS CHECKOUT (looked in {SEEDS}): the tests on published reports "
                 "are SKIPPED. Put the shared folder (with seeds/ and expected.json) next to the checkout to run them.")
_LOUD: set[str] = set()  # messages already shouted by this process


def loud_skip(msg: str) -> None:
    """Skip a test whose material or tool is missing, and make sure nobody mistakes the skip for a pass."""
    if msg not in _LOUD:
        _LOUD.add(msg)
        warnings.warn(msg)
        print("\n" + "#" * 80 + "\n# " + msg + "\n" + "#" * 80)
    pytest.skip(msg)


def pytest_terminal_summary(terminalreporter):
    """One red line per missing thing at the end of the run (also under xdist, where workers print nothing)."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        if " IS NOT " in reason:
            counts[reason] = counts.get(reason, 0) + 1
    for reason, n in sorted(counts.items()):
        terminalreporter.write_sep("#", f"{n} TESTS SKIPPED: {reason}", red=True, bold=True)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not (SEEDS / "expected.json").is_file():
        loud_skip(SEEDS_MISSING)
    return SEEDS


def need_libreoffice() -> None:
    from xlgova.workbook import libreoffice

    if not libreoffice.available():
        loud_skip("LibreOffice IS NOT INSTALLED: this test is SKIPPED. Run `make system-deps` (root) to install it.")


@pytest.fixture
def libreoffice():
    need_libreoffice()
    from xlgova.workbook import libreoffice as lo

    return lo
