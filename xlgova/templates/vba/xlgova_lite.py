"""xlgova for Excel on the web: the 校验 button as an xlwings Server (or xlwings Lite) script.

xlwings Server: import this module in the server's scripts package. xlwings Lite: paste this file into
the add-in's main.py; xlgova is not on PyPI, so requirements.txt must name a URL of its wheel (untested:
whether every dependency installs under Pyodide). The script appears as "校验 (xlgova)".
Both clients talk Office.js, so findings also get notes (批注) on the offending cells.

The sheets of the template are protected (no password) so a slip cannot break the layout; Office.js
scripts cannot lift that protection: choose 审阅 → 撤销工作表保护 on the table sheets and 校验结果 before
the first run.
"""
import xlwings as xw
from xlwings import script


@script(button="[xlgova_validate]校验结果!J1", show_taskpane=True)
def validate_report(book: xw.Book):
    """Check every table and cross-year identity; mark the cells and fill 校验结果."""
    from xlgova.excel import validate_book

    result = validate_book(book)
    if result is not None:
        print(result.status_text())
