"""Shared fixtures. LibreOffice tests skip only where it cannot be installed, and then say so loudly."""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # tests only: xlwings' remote engine

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    return SEEDS


def need_libreoffice() -> None:
    from xlgova.workbook import libreoffice

    if not libreoffice.available():
        msg = "LibreOffice IS NOT INSTALLED: this test is SKIPPED. Run `make system-deps` (root) to install it."
        warnings.warn(msg)
        print("\n" + "#" * 80 + "\n# " + msg + "\n" + "#" * 80)
        pytest.skip(msg)


@pytest.fixture
def libreoffice():
    need_libreoffice()
    from xlgova.workbook import libreoffice as lo

    return lo
