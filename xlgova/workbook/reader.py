"""read_workbook(path) -> Report: the one reader of xlgova workbooks (CLI, consolidator, export, tests).

Cells are found by the workbook's defined names (``gova.<cell id>``), so a template whose rows were moved
still reads right; where names were lost, the template's known positions are used and a finding says so.
Values come from python-calamine (≈1 ms per workbook). Totals are never trusted blindly: a total formula
with no cached value (files written by openpyxl and similar tools) is derived from its inputs, and a total
whose formula was typed over or whose shown value disagrees with its inputs becomes a finding naming the
cell (``依申请公开!H6``).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import limits
from ..formats import FORMATS, detect_format
from ..model import Report, Source
from ..errors import XlgovaError
from ..inputs import read_input_bytes
from ..limits import ZIP
from ..model.finding import Finding
from . import layout as L
from .results_rows import old_rows
from ..ooxml.a1 import column_letter, split as split_address
from ..safeio import unescape
from .other_formats import KIND_NAMES, open_other, other_kind
from .reader_cells import (calamine_failed, cell_value, cover_field, current_names, layout_problem, format_names,
                           locate_cells, revision_findings)
from .reader_totals import TotalCells, settle_totals, total_cells
from ..ooxml.parts import Package, WorkbookInfo, open_package

REQUIRED_SHEETS = (L.SECTION_TWO, L.APPS, L.REVIEW)


class Sheets:
    """Cell values of a workbook's sheets (rows from A1), each sheet loaded on first use by ``_load``."""

    def __init__(self, sheet_names, path=None):
        self.sheet_names = set(sheet_names)
        self.path = path
        self._grids: dict[str, list[list[Any]]] = {}

    def _load(self, sheet: str) -> list[list[Any]]:
        raise NotImplementedError

    def has(self, sheet: str) -> bool:
        return sheet in self.sheet_names

    def grid(self, sheet: str) -> list[list[Any]]:
        if sheet not in self._grids:
            self._grids[sheet] = self._load(sheet) if sheet in self.sheet_names else []
        return self._grids[sheet]

    def get(self, sheet: str, address: str) -> Any:
        row, col = split_address(address)
        return self.at(sheet, row - 1, col - 1)

    def at(self, sheet: str, row: int, col: int) -> Any:
        """The value at 0-based (row, col); None outside what the sheet holds."""
        rows = self._grids.get(sheet)
        if rows is None:
            rows = self.grid(sheet)
        if row >= len(rows):
            return None
        line = rows[row]
        if not isinstance(line, (list, tuple)):  # a one-row range some clients hand over flat
            return line if row == 0 and col == 0 else None
        return line[col] if col < len(line) else None

    def strings(self, sheet: str) -> list[str]:
        return [v for line in self.grid(sheet) for v in line if isinstance(v, str) and v]


class CalamineSheets(Sheets):
    """The sheets of a workbook file, read by python-calamine."""

    def __init__(self, pkg: Package):
        import python_calamine

        try:
            self.book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(pkg.data))
        except BaseException as e:  # CalamineError, XmlError, ZipError, PasswordError ... and Rust panics
            calamine_failed(e)
            raise XlgovaError(f"无法读取工作簿内容（{type(e).__name__}），文件可能已损坏", path=pkg.path) from None
        super().__init__(self.book.sheet_names, pkg.path)

    def _load(self, sheet: str) -> list[list[Any]]:
        try:
            return self.book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except BaseException as e:
            calamine_failed(e)
            raise XlgovaError(f"工作表“{sheet}”无法读取（{type(e).__name__}）", path=self.path) from None


def read_workbook(path: str | Path) -> Report:
    """Read an xlgova workbook (.xlsx/.xlsm, or one saved as .xls/.ods; 2021 or 2019 format) into a Report.

    Raises :class:`XlgovaError` (Chinese, naming the file) when the file cannot be used at all.
    """
    data = read_input_bytes(path, "年度报告工作簿", max_bytes=ZIP.file_bytes)
    kind = other_kind(data)
    pkg = open_package(path, data) if kind is None else open_other(path, data, kind)
    pkg.info = current_names(pkg.info)  # a workbook from an older template revision reads under today's names
    try:
        outside = pkg.bound_sheets()  # before python-calamine sizes any grid
        reading = _Reading(pkg, CalamineSheets(pkg) if kind is None else _other_sheets(pkg))
        reading.findings += [out_of_range(sheet, out) for sheet, out in outside.items()]
        reading.findings += [name_duplicated(*d) for d in pkg.info.duplicates]
        report = reading.run()
    except XlgovaError as e:
        if kind is None:
            raise
        message = str(e).split("\n")[0].removeprefix(f"{e.path}：")  # say what the file is
        raise XlgovaError(f"这是{KIND_NAMES[kind]}，{message}", path=e.path, hint=e.hint) from None
    if kind is not None:  # read all the same, through the same plan; the clerk is told to save as .xlsx
        report.findings.insert(0, Finding.of("workbook.not_xlsx", pkg.note(), subject=kind))
    return report


def _other_sheets(pkg) -> Sheets:
    """The sheets of an .xls/.ods, read (within bounds) by ``OtherPackage.bound_sheets``."""
    from .grid_book import GridSheets

    return GridSheets(pkg.grids, pkg.grids, pkg.path)


def read_book(book, sheets: Sheets, format_id: str | None = None) -> Report:
    """The one reading of a workbook, whoever hands it over: a file (``read_workbook``), the xlwings Book
    behind the 校验 button, or the ranges given to a worksheet function (``xlgova.workbook.grid_book``).

    ``book`` says what ``xl/workbook.xml`` would: ``path``, ``info`` (a :class:`WorkbookInfo`, the key of
    the cached reading plan), ``names``, ``name_target(name)`` and ``formula_cells(sheet, rows)`` (None
    when the client cannot tell a formula from a value). ``sheets`` gives the cell values. ``format_id``:
    the format when the caller knows it (a worksheet function's argument), else it is detected.
    """
    book.info = current_names(book.info)  # a workbook from an older template revision reads under today's names
    return _Reading(book, sheets).run(format_id)


def bounded_book(path: str | Path, rows: int, cols: int):
    """python-calamine over a guarded package whose every sheet fits ``rows`` × ``cols``: for xlgova's other
    workbooks (a roster, last year's summary). Cells beyond refuse the file: these are read whole, so
    leaving cells out would lose data silently."""
    pkg = open_package(path)
    outside = pkg.bound_sheets(rows, cols)
    for sheet, out in outside.items():
        raise XlgovaError(f"工作表“{sheet}”超出可读取的范围（{rows} 行 × {cols} 列），最远到 {sheet}!{out.farthest}",
                          path=pkg.path, hint="请删除表格以外的内容后另存再试。")
    return CalamineSheets(pkg).book


@dataclass(frozen=True)
class _Plan:
    """Where a format's cells sit in workbooks with one workbook.xml and one set of sheets.

    Working this out takes a few hundred name lookups; the workbooks a county collects come from one
    template, so the plan is made once and reused (a consolidation reads a thousand workbooks).
    """

    cells: tuple[tuple[str, str, str, int, int], ...]  # (cell id, sheet, address, 0-based row, column)
    findings: tuple[Finding, ...]  # about cells that could not be located
    previous: tuple[tuple[str, str, str, int, int], ...]  # (cell id, sheet, address, row, column) on 上年数据
    sections: tuple[tuple[str, str, str], ...]  # (section key, sheet, address)
    totals: TotalCells


_PLANS: dict[tuple, _Plan] = {}


class _Reading:
    def __init__(self, pkg, sheets: Sheets):
        self.pkg, self.sheets = pkg, sheets
        self.file = str(pkg.path) if pkg.path is not None else None
        self.has_names = any(n.startswith(L.NAME_PREFIX) for n in pkg.names)
        self.findings: list[Finding] = []

    def run(self, format_id: str | None = None) -> Report:
        if not self.has_names:
            self._require_template_sheets()
        cover = self._read_cover()
        declared = cover.pop("format", None)
        format_id = format_id or self._format(declared, cover.get("year"))
        year = cover.pop("year", None)
        agency = cover.pop("agency", "")
        report = Report(agency=agency, year=year, format_id=format_id, meta=cover, source=self.file)
        if not self.has_names:
            self._require_layout(format_id)
        plan = self._plan(format_id)
        self.findings += plan.findings
        self._read_cells(plan.cells, report)
        self.findings += settle_totals(report, plan.totals, self.pkg, self.sheets.at)
        report.sections = self._read_sections(plan)
        report.previous = self._read_previous(report, plan)
        confirmed = self._read_confirmed()
        if confirmed:
            report.meta["confirmed"] = confirmed
        report.findings = self.findings
        return report

    def _plan(self, format_id: str) -> _Plan:
        key = (self.pkg.info, format_id, self.has_names, frozenset(self.sheets.sheet_names))
        plan = _PLANS.get(key)
        if plan is None:
            if len(_PLANS) >= 64:
                _PLANS.clear()
            located, findings = locate_cells(self.pkg, self.sheets, format_id, self.has_names)
            previous = self._previous_places(format_id)
            findings = revision_findings(self.pkg.names) + findings
            plan = _PLANS[key] = _Plan(_with_positions(located.items()), tuple(findings),
                                       _with_positions(previous), self._section_places(), total_cells(format_id, located))
        return plan

    def _read_cells(self, cells, report: Report) -> None:
        """The hot loop of every reading: ~200 cells this year, ~200 on 上年数据."""
        values, provenance, file, grid, grid_of = report.values, report.provenance, self.file, None, None
        for cid, sheet, address, row, col in cells:
            if sheet != grid_of:
                grid, grid_of = self.sheets.grid(sheet), sheet
            line = grid[row] if row < len(grid) else ()
            values[cid] = cell_value(line[col] if col < len(line) else None)
            provenance[cid] = Source(file, sheet, address)

    # -- structure ---------------------------------------------------------------------------------------
    def _require_template_sheets(self) -> None:
        missing = [s for s in REQUIRED_SHEETS if not self.sheets.has(s)]
        if missing:
            raise XlgovaError(
                f"不是 xlgova 模板：没有 gova.* 定义名称，也缺少工作表“{'”“'.join(missing)}”",
                path=self.pkg.path,
                hint="请用 `xlgova template` 生成的模板填报，或用 `xlgova import` 导入已发布的报告。",
            )

    def _require_layout(self, format_id: str) -> None:
        problem = layout_problem(self.sheets, format_id)
        if problem:
            raise XlgovaError(f"不是 xlgova 模板：没有 gova.* 定义名称，且{problem}", path=self.pkg.path,
                              hint="表格的行列位置与模板不一致，无法确定各单元格的含义。请用 `xlgova template` 生成的模板重新填报。")

    def _format(self, declared, year) -> str:
        by_names = self._format_by_names()
        text = str(declared.number if declared is not None and declared.is_number else (declared.raw if declared is not None else "") or "").strip()
        text = text.removesuffix("版").removesuffix("年")
        if text in FORMATS and (by_names is None or by_names == text):
            return text
        if by_names is not None:
            return by_names
        by_content = detect_format("".join(self.sheets.strings(L.SECTION_TWO)), year)  # the table labels, else the year
        if by_content is not None:
            return by_content
        prefix = "" if self.has_names else "不是 xlgova 模板："
        raise XlgovaError(f"{prefix}无法判断报告的格式版本（封面没有“格式版本”，表格标签也无法识别）", path=self.pkg.path,
                          hint="请在封面“格式版本”一栏填写 2021 或 2019。")

    def _format_by_names(self) -> str | None:
        return _format_by_names(self.pkg.info) if self.has_names else None

    # -- cover, narrative, previous ----------------------------------------------------------------------
    def _cover_location(self, key: str, address: str) -> tuple[str, str] | None:
        target = self.pkg.name_target(L.cover_name(key))
        if target is not None and self.sheets.has(target[0]):
            return target
        return (L.COVER, address) if self.sheets.has(L.COVER) else None

    def _read_cover(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, _label, address in L.COVER_FIELDS:
            where = self._cover_location(key, address)
            if where is None:
                continue
            raw = self.sheets.get(*where)
            if key == "format":
                out[key] = cell_value(raw) if raw not in (None, "") else None
                continue
            value = cover_field(key, raw)
            if value is not None:
                out[key] = value
        out.setdefault("agency", "")
        return out

    def _section_places(self) -> tuple[tuple[str, str, str], ...]:
        if not self.sheets.has(L.NARRATIVE):
            return ()
        return tuple((key, *(self.pkg.name_target(L.NAME_PREFIX + "section." + key) or (L.NARRATIVE, address)))
                     for key, address in L.NARRATIVE_CELLS.items())

    def _previous_places(self, format_id: str) -> tuple[tuple[str, tuple[str, str]], ...]:
        places = ((cid, self.pkg.name_target(L.previous_name(cid)) or pos) for cid, pos in L.previous_map(format_id).items())
        return tuple(p for p in places if self.sheets.has(p[1][0]))

    def _read_sections(self, plan: _Plan) -> dict[str, str]:
        out = {}
        for key, sheet, address in plan.sections:
            raw = self.sheets.get(sheet, address)
            if raw not in (None, "") and str(raw).strip():
                out[key] = unescape(str(raw))
        return out

    def _read_confirmed(self) -> dict[str, str]:
        """fingerprint -> the 已确认说明 a clerk wrote on 校验结果 (the button keeps both on each findings row)."""
        part = self.pkg.sheets.get(L.RESULTS)
        if part is None or not self.sheets.has(L.RESULTS):
            return {}
        # Most workbooks were never run through the button: no fingerprint cell, no need to parse the sheet.
        member = getattr(self.pkg, "member", None)  # a file's sheet XML; a client's book has none to scan
        if member is not None and b'<c r="' + column_letter(L.RESULTS_FINGERPRINT_COL + 1).encode() not in member(part):
            return {}
        rows = old_rows(self.sheets.grid(L.RESULTS))  # the button's own reading of its rows
        return {r.fingerprint: r.explanation for r in rows if r.fingerprint and r.explanation}

    def _read_previous(self, report: Report, plan: _Plan) -> Report | None:
        prev = Report(agency=report.agency, year=report.year - 1 if isinstance(report.year, int) else None,
                      format_id=report.format_id, source=self.file, meta={"from": L.PREVIOUS})
        self._read_cells(plan.previous, prev)
        for cid in [c for c, v in prev.values.items() if v.is_blank]:  # a blank 上年数据 cell is "not given"
            del prev.values[cid], prev.provenance[cid]
        return prev if prev.values else None


def out_of_range(sheet: str, out) -> Finding:
    """The finding for cells cut out of a sheet by ``Package.bound_sheets``."""
    cells = "、".join(f"{sheet}!{a}" for a in out.named) + (f" 等 {out.count} 个单元格" if out.count > len(out.named) else "")
    return Finding.of("workbook.out_of_range",
                      f"工作表“{sheet}”在模板范围（{limits.SHEET_MAX_ROWS} 行 × {limits.SHEET_MAX_COLS} 列）之外填有内容："
                      f"{cells}{'' if out.count <= len(out.named) else f'（最远到 {sheet}!{out.farthest}）'}，这些单元格未读取；请删除或移到表格内",
                      locations=tuple((a, f"{sheet}!{a}") for a in out.named), subject=sheet)


def name_duplicated(kept: str, kept_ref: str, other: str, other_ref: str) -> Finding:
    """A defined name given twice in different case: which one was read, which one ignored."""
    twice = f"出现了两次（{kept_ref}；{other_ref}）" if kept == other else f"另有一个只是大小写不同的“{other}”（{other_ref}），Excel 视为同一名称"
    return Finding.of("workbook.name_duplicated", f"定义名称“{kept}”（{kept_ref}）{twice}；已按“{kept}”（{kept_ref}）读取，请删除多余的名称",
                      subject=kept.lower())


@lru_cache(maxsize=64)  # one answer per workbook.xml (WorkbookInfo objects are shared by content)
def _format_by_names(info: WorkbookInfo) -> str | None:
    scores = {fid: len(format_names(fid) & info.names.keys()) for fid in FORMATS}
    best = max(scores, key=scores.get)
    return best if scores[best] and list(scores.values()).count(scores[best]) == 1 else None


def _with_positions(places) -> tuple[tuple[str, str, str, int, int], ...]:
    """(cell id, (sheet, address)) -> (cell id, sheet, address, 0-based row, 0-based column)."""
    out = []
    for cid, (sheet, address) in places:
        row, col = split_address(address)
        out.append((cid, sheet, address, row - 1, col - 1))
    return tuple(out)

