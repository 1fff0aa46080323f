"""Workbooks: the template builder, readers (python-calamine first), writers, formula evaluation.

Public entry points (filled in by the template issue):
``build_template(format_id, path)``, ``read_workbook(path) -> Report``, ``write_workbook(report, path)``.
"""
from __future__ import annotations


def __getattr__(name):  # lazy, so importing xlgova.workbook.layout stays cheap
    if name == "read_workbook":
        from .reader import read_workbook

        return read_workbook
    if name == "write_workbook":
        from .writer import write_workbook

        return write_workbook
    if name == "build_template":
        from .template import build_template

        return build_template
    raise AttributeError(name)
