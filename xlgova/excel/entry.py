"""What the template's buttons do to the calling workbook: check it, or check and export it.

``xlgova.excel.button`` is the process the VBA starts; ``validate_caller()`` / ``export_caller()`` are
the same actions for xlwings' own ``RunPython`` (the add-in) and for tests."""
from __future__ import annotations

from pathlib import Path

from ..errors import XlgovaError
from ..workbook import layout


def _caller():
    import xlwings as xw

    return xw.Book.caller()


def alert(book, text: str) -> None:
    try:
        book.app.alert(text, title="xlgova")
    except Exception:  # noqa: BLE001 - an alert is a courtesy; some clients have none
        pass


def validate_caller() -> None:
    validate_and_show(_caller())


def export_caller() -> None:
    export_book(_caller())


def validate_and_show(book) -> None:
    """校验 button: check the workbook that pressed it, then show 校验结果 and the status."""
    from .book import check_and_mark

    _report, result, status = check_and_mark(book)
    if result is None or result.findings:
        book.sheets[layout.RESULTS].activate()
    alert(book, status)


def export_path(book) -> Path:
    """Beside the workbook, same name, .docx; the home folder for a workbook never saved."""
    full = Path(str(book.fullname))
    folder = full.parent if full.is_absolute() and full.parent.is_dir() else Path.home()
    return folder / (full.stem + ".docx")


def export_book(book) -> None:
    """导出Word button: check first (marks included); a report with errors is exported as a marked draft."""
    from ..export import render_docx
    from .book import check_and_mark

    report, result, _status = check_and_mark(book)
    if report is None or result is None:
        alert(book, "无法导出：工作簿无法校验，原因见“校验结果”工作表。")
        return
    out = export_path(book)
    try:
        render_docx(report, out, draft=not result.valid)
    except XlgovaError as e:
        alert(book, f"导出失败：{e}")
        return
    note = "（存在错误，已导出为草稿）" if not result.valid else ""
    alert(book, f"已导出 Word 文件{note}：{out}")
