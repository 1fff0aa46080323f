"""Load a report from any supported file: report JSON, a workbook, or a published document.

Every command that takes a report path goes through :func:`load_report`, so a new input kind is added
here once.
"""
from __future__ import annotations

from pathlib import Path

from .model import Report
from .errors import XlgovaError
from .inputs import check_input_file, load_report_json
from .importers import DOCUMENT_SUFFIXES, suffix_words  # published reports: the importer's one list of suffixes

JSON_SUFFIXES = (".json",)
# .xls (Excel 97-2003, WPS 兼容模式) and .ods are read through the same reader, with a note recommending .xlsx.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
OTHER_SPREADSHEETS = {".xlsb": "Excel 二进制（.xlsb）", ".et": "WPS 表格（.et）", ".csv": "CSV"}
SAVE_ET_AS_XLSX = ("请在 WPS 表格中打开该文件，点“文件”→“另存为”，文件类型选“Microsoft Excel 文件（*.xlsx）”，"
                   "保存后提交新的 .xlsx 文件。")


_ALL = suffix_words(JSON_SUFFIXES + WORKBOOK_SUFFIXES + DOCUMENT_SUFFIXES)


def load_report(path: str | Path) -> Report:
    p = Path(path)
    if p.is_dir():
        raise XlgovaError(f"这是一个文件夹；请给出报告文件（{_ALL}）", path=p)
    check_input_file(p, "报告文件")  # missing, a FIFO, a device, a symlink loop: refused before any reader opens it
    suffix = p.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return load_report_json(p)
    if suffix in WORKBOOK_SUFFIXES:
        from .workbook import read_workbook

        return read_workbook(p)
    if suffix in DOCUMENT_SUFFIXES:
        from .importers import import_document

        return import_document(p)
    if suffix in OTHER_SPREADSHEETS:
        raise XlgovaError(
            f"这是{OTHER_SPREADSHEETS[suffix]}文件，xlgova 读取 .xlsx / .xlsm（以及 .xls、.ods）工作簿",
            path=p,
            hint=SAVE_ET_AS_XLSX if suffix == ".et" else "请在 Excel、WPS 或 LibreOffice 中打开，另存为“Excel 工作簿（.xlsx）”后再试。",
        )
    raise XlgovaError(f"不支持的文件类型“{suffix or '无扩展名'}”（支持 {_ALL}）", path=p)
