"""Inside Excel: the 校验 / 导出Word buttons, worksheet functions (UDFs) and the xlwings Lite script.

``validate_book(book)`` works on any xlwings ``Book`` (desktop Excel through ``RunPython``, xlwings Server,
xlwings Lite); the template's VBA buttons start ``xlgova.excel.button`` (``validate_caller()`` / ``export_caller()``
are the same actions for xlwings' own ``RunPython``).
xlwings is imported only when one of these runs, so ``import xlgova.excel`` stays cheap.
"""
from __future__ import annotations

from .entry import export_caller, validate_caller

__all__ = ["validate_book", "validate_caller", "export_caller"]


def __getattr__(name):
    if name == "validate_book":
        from .book import validate_book

        return validate_book
    raise AttributeError(name)
