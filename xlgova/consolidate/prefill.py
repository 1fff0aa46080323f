"""prefill(summary, out_dir): next year's template for every agency, holding its figures of this year.

Agencies of the roster with no figures this year (未提交 or 无法读取 in the summary) get a template too,
with an empty 上年数据 sheet.

The figures come from the summary's 明细 sheet. The cover is filled (agency, next year, level, 单位报告; the
template of the format in force next year), the 上年数据 sheet holds the cells the cross-year rules read,
and those cells are locked so the comparison base cannot be typed over by accident.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .. import limits
from ..formats import format_for_year
from ..model import Report
from ..errors import XlgovaError
from ..safeio import atomic_output, file_stem
from ..workbook import layout as L
from ..workbook.layout import KIND_AGENCY, KIND_SUMMARY
from .detail import read_detail

def file_name(agency: str, year: int) -> str:
    return f"{file_stem(agency)}_{year}年度报告.xlsx"


def next_year_report(last: Report) -> Report:
    if not isinstance(last.year, int):
        raise XlgovaError(f"“{last.agency}”的统计年度缺失，无法确定下一年度", path=last.source)
    year = last.year + 1
    fmt = format_for_year(year)
    meta = {"kind": KIND_AGENCY}
    previous = last if last.values else None
    if last.meta.get("level"):
        meta["level"] = str(last.meta["level"])
    return Report(agency=last.agency, year=year, format_id=fmt.id, meta=meta, previous=previous)


def prefill(summary: str | Path, out_dir: str | Path) -> list[Path]:
    """Write one template per agency of the summary's 明细 into ``out_dir``; returns the paths written."""
    from ..workbook.writer import writer_for

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    detail = read_detail(summary)
    for last in detail + _without_figures(summary, detail):
        if str(last.meta.get("kind") or "") == KIND_SUMMARY:
            continue  # a county in a city's roll-up consolidates its own agencies
        report = next_year_report(last)
        data = lock_previous(writer_for(report.format_id).to_bytes(report), report.format_id)
        path = out / file_name(report.agency, report.year)
        with atomic_output(path, inputs=(summary,)) as tmp:
            tmp.write_bytes(data)
        written.append(path)
    if not written:
        raise XlgovaError("汇总表的“明细”中没有单位报告，无法生成模板", path=summary)
    return written


def _without_figures(summary, detail: list[Report]) -> list[Report]:
    """Agencies of the roster with no figures this year (未提交, 无法读取): a template with an empty 上年数据."""
    from ..workbook.reader import bounded_book
    from .record import MISSING, UNREADABLE
    from .status_sheets import STATUS_FIRST_ROW, STATUS_SHEET

    if not detail:
        return []
    wb = bounded_book(summary, limits.SUMMARY_MAX_ROWS, limits.SUMMARY_MAX_COLS)
    if STATUS_SHEET not in wb.sheet_names:
        return []
    known = {r.agency for r in detail}
    out = []
    for row in wb.get_sheet_by_name(STATUS_SHEET).to_python()[STATUS_FIRST_ROW - 1 :]:
        name, level, status = (str(row[i] or "").strip() for i in (1, 2, 3))
        if status in (MISSING, UNREADABLE) and name and not name.startswith("（") and name not in known:
            known.add(name)
            meta = {"level": level} if level else {}
            out.append(Report(agency=name, year=detail[0].year, format_id=detail[0].format_id, meta=meta))
    return out


_XF_BLOCK = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)


def lock_previous(data: bytes, format_id: str) -> bytes:
    """Give the 上年数据 value cells a locked copy of their cell style (the template leaves them open)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    part = _sheet_part(src, L.PREVIOUS)
    styles = src.read("xl/styles.xml")
    sheet = src.read(part)
    block = _XF_BLOCK.search(styles)
    xfs = _XF.findall(block.group(1))
    cache: dict[bytes, int] = {}
    new_xfs: list[bytes] = []

    def relock(m: re.Match) -> bytes:
        s = m.group(2)
        if s not in cache:
            xf = xfs[int(s)]
            xf = re.sub(rb"<protection\b[^>]*/>", b"", xf)
            xf = re.sub(rb"\s*applyProtection=\"[^\"]*\"", b"", xf)
            xf = xf.replace(b"<xf ", b'<xf applyProtection="1" ', 1)
            body = b'<protection locked="1" hidden="0"/>'
            xf = xf[:-2] + b">" + body + b"</xf>" if xf.endswith(b"/>") else xf.replace(b"</xf>", body + b"</xf>")
            cache[s] = len(xfs) + len(new_xfs)
            new_xfs.append(xf)
        return m.group(1) + b's="' + str(cache[s]).encode() + b'"'

    for _cid, (_sheet, address) in L.previous_map(format_id).items():
        sheet = re.sub(rb'(<c\s[^>]*?\br="' + address.encode() + rb'"[^>]*?)\bs="(\d+)"', relock, sheet, count=1)
    count = len(xfs) + len(new_xfs)
    new_block = re.sub(rb'count="\d+"', b'count="%d"' % count, block.group(0)[: block.group(0).index(b">") + 1], count=1)
    new_block += block.group(1) + b"".join(new_xfs) + b"</cellXfs>"
    styles = styles[: block.start()] + new_block + styles[block.end() :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            content = styles if info.filename == "xl/styles.xml" else sheet if info.filename == part else src.read(info)
            z.writestr(info, content)
    return out.getvalue()


def _sheet_part(z: zipfile.ZipFile, name: str) -> str:
    from ..ooxml.sheet_rows import _sheet_part as find

    return find(z, name)
