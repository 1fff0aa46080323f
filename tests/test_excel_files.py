"""The whole path on real files: template filled by the writer, recalculated by LibreOffice (what Excel
would send), checked through xlwings' remote engine, the actions replayed into the file, opened again."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import xlwings as xw
from openpyxl import load_workbook

from excel_fixtures import final_fills, reports
from xlgova.excel.book import validate_book
from xlgova.excel.marks import ERROR_FILL, MARK_FILLS, WARNING_FILL
from xlwings_payload import payload_from_xlsx
from xlwings_replay import replay
from xlgova.rules import validate
from xlgova.workbook import layout as L
from xlgova.workbook import read_workbook, write_workbook

pytestmark = pytest.mark.libreoffice
# Each LibreOffice run costs ~5 s: consistent 2019 is covered by the grid tests (test_excel_book.py).
CASES = [("2021", False), ("2021", True), ("2019", True)]


@pytest.fixture(scope="module")
def files(tmp_path_factory, libreoffice_module):
    out = tmp_path_factory.mktemp("excel_files")

    def make(case):
        fid, broken = case
        written = write_workbook(reports(fid, broken), out / f"{fid}-{'broken' if broken else 'ok'}.xlsx")
        target = out / f"calc-{fid}-{broken}"
        target.mkdir()
        # the filter name unquoted: arguments go to LibreOffice without a shell
        calc = libreoffice_module.convert(written, "xlsx:Calc MS Excel 2007 XML", target)
        return case, (written, calc)

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(make, CASES))


@pytest.fixture(scope="module")
def libreoffice_module():
    from conftest import need_libreoffice
    from xlgova.workbook import libreoffice as lo

    need_libreoffice()
    return lo


@pytest.mark.parametrize("case", CASES, ids=[f"{f}-{'broken' if b else 'ok'}" for f, b in CASES])
def test_real_workbook_through_the_remote_engine(files, case, tmp_path, libreoffice_module):
    written, calc = files[case]
    payload = payload_from_xlsx(calc)
    book = xw.Book(json=payload)
    result = validate_book(book)
    actions = book.json()["actions"]
    cli = validate(read_workbook(calc))  # what `xlgova validate` says about the same file
    assert {f.fingerprint for f in result.findings} == {f.fingerprint for f in cli.findings}
    assert result.valid is not case[1]
    sheet_names = [s["name"] for s in payload["sheets"]]
    marked = {k for k, v in final_fills(actions, sheet_names).items() if v in MARK_FILLS and k[0] != L.RESULTS}
    locations = {tuple(loc.split("!")) for f in result.findings if f.severity in ("error", "warning") for _c, loc in f.locations}
    assert locations <= marked
    assert bool(marked) is case[1]
    # replay into the written file and open it again (LibreOffice renders it to PDF)
    wb = load_workbook(written)
    replay(wb, actions)
    marked_file = tmp_path / "marked.xlsx"
    wb.save(marked_file)
    again = load_workbook(marked_file)
    for sheet, address in marked:
        assert again[sheet][address].fill.fgColor.rgb[-6:] in (ERROR_FILL[1:], WARNING_FILL[1:])
    for cid, (sheet, address) in L.cell_map(case[0]).items():
        assert again[sheet][address].value == load_workbook(written)[sheet][address].value if cid.endswith("natural") else True
    assert read_workbook(marked_file).values == read_workbook(written).values  # no input value changed
    if not case[1]:
        return
    pdf = libreoffice_module.convert(marked_file, "pdf", tmp_path / "pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
