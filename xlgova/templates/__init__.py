"""Package data: the built standard templates (.xlsx / .xlsm) and the VBA sources compiled into the .xlsm.

They ship inside the wheel, so an installed xlgova finds them wherever it lives (``importlib.resources``);
``make templates`` rebuilds the workbooks in place.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# xlgova is installed as a plain directory (never zipped): the resources are real files.
TEMPLATE_DIR = Path(str(files(__name__)))
VBA_DIR = TEMPLATE_DIR / "vba"


def template_file(format_id: str, suffix: str = ".xlsx") -> Path:
    """The built standard template of a format, e.g. ``xlgova-2021.xlsx``."""
    return TEMPLATE_DIR / f"xlgova-{format_id}{suffix}"
