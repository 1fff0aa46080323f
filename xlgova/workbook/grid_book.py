"""A workbook handed over as sheet values and defined names instead of a file: read by the one reader.

The 校验 button gets the workbook through the xlwings Book API (every sheet's values, ``book.names`` with
what each name refers to) and the worksheet functions get ranges of values. Both are wrapped here in the
two things :func:`xlgova.workbook.reader.read_book` reads a file through — what ``xl/workbook.xml`` says
(:class:`GridBook`) and the cell values (:class:`GridSheets`) — so every path maps cells through the same
plan: defined names first, template positions as the fallback, the same findings.

No xlwings import here: the xlwings Lite script (Pyodide) and the tests use this module as is.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from .reader import Sheets
from ..ooxml.a1 import split as split_address
from ..ooxml.parts import NamedBook, WorkbookInfo, parse_reference

Grid = Sequence[Sequence[Any]]


class GridSheets(Sheets):
    """Sheet values from A1, each fetched once on first use (``load(sheet)``) or given up front."""

    def __init__(self, sheet_names: Iterable[str], load: Callable[[str], Grid] | Mapping[str, Grid], path=None):
        super().__init__(sheet_names, path)
        self._source = load

    def _load(self, sheet: str) -> list[list[Any]]:
        source = self._source
        rows = source.get(sheet) if isinstance(source, Mapping) else source(sheet)
        return [list(r) if isinstance(r, (list, tuple)) else [r] for r in rows or []]


class GridBook(NamedBook):
    """The workbook-level facts the reader needs, from the client instead of ``xl/workbook.xml``.

    ``names``: (name, what it refers to as Excel shows it: ``='依申请公开'!$D$6``, or None / ``#REF!`` when
    the name is broken). Names scoped to one sheet are left out, as the file reader leaves them out.
    ``formulas(sheet)``: the sheet's formulas from A1 (text starting with ``=``), or None when the client
    cannot say which cells hold formulas.
    """

    def __init__(self, sheet_names: Iterable[str], names: Iterable[tuple[str, str | None]] = (),
                 formulas: Callable[[str], Grid | None] | None = None, path: str | Path | None = None):
        texts = {}
        for name, refers_to in names:
            if name and "!" not in name:
                texts[name.lower()] = (refers_to or "#REF!").lstrip("=")
        self.info = _info(tuple(sheet_names), tuple(texts.items()))
        self.path = Path(path) if path else None
        self._formulas = formulas

    def formula_cells(self, sheet: str, rows) -> set[str] | None:
        grid = self._formulas(sheet) if self._formulas is not None else None
        if grid is None:
            return None
        out = set()
        for _row, addresses in rows:
            for a in addresses:
                r, c = split_address(a)
                line = grid[r - 1] if r - 1 < len(grid) else ()
                text = line[c - 1] if isinstance(line, (list, tuple)) and c - 1 < len(line) else None
                if isinstance(text, str) and text.startswith("="):
                    out.add(a)
        return out


@lru_cache(maxsize=64)  # one object per distinct set of sheets and names: the reading plan is cached with it
def _info(sheet_names: tuple[str, ...], texts: tuple[tuple[str, str], ...]) -> WorkbookInfo:
    names = dict(texts)
    return WorkbookInfo({s: "" for s in sheet_names}, names, {n: parse_reference(t) for n, t in names.items()})


def read_grids(grids: Mapping[str, Grid], names: Iterable[tuple[str, str | None]] = (), *, source: str = "",
               format_id: str | None = None):
    """A Report from sheet values (rows from A1) and defined names, as :func:`read_workbook` reads a file."""
    from .reader import read_book

    return read_book(GridBook(grids, names, path=source or None), GridSheets(grids, grids, source or None), format_id)
