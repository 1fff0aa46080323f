"""One reader: the 校验 button and `xlgova validate` give identical findings on the same file, also after
rows were inserted or deleted the Excel way (names, merges and formulas move) and sheets were renamed.

Random filled workbooks of both formats are recalculated by LibreOffice (as Excel would hold them),
edited with ``excel_edits`` and checked twice: by the CLI, and by ``validate_book`` through xlwings'
remote engine with the payload an xlwings client would send (sheet values and defined names).
"""
from __future__ import annotations

import io
import json
import random
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import xlwings as xw

from excel_edits import delete_rows, drop_names, insert_rows, rename_sheet
from excel_fixtures import reports
from xlgova.cli import main
from xlgova.excel.book import validate_book
from xlwings_payload import payload_from_xlsx
from xlgova.workbook import layout as L
from xlgova.workbook.writer import write_workbook

pytestmark = pytest.mark.libreoffice
CASES = [("2021", False), ("2021", True), ("2019", False), ("2019", True)]


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    from conftest import need_libreoffice
    from xlgova.workbook import libreoffice as lo

    need_libreoffice()
    out = tmp_path_factory.mktemp("same_reader")

    def make(case):
        fid, broken = case
        written = write_workbook(reports(fid, broken), out / f"{fid}-{broken}.xlsx")
        target = out / f"calc-{fid}-{broken}"
        target.mkdir()
        return case, lo.recalculate(written, target)

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(make, CASES))


def cli_findings(path: Path) -> list[dict]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(["validate", "--json", str(path)])
    assert code in (0, 1), buf.getvalue()
    return json.loads(buf.getvalue())["reports"][0]["findings"]


def button_findings(path: Path) -> list[dict]:
    result = validate_book(xw.Book(json=payload_from_xlsx(path)))
    assert result is not None
    return result.to_json()["findings"]


def _apps_rows(fid: str) -> tuple[int, int]:
    p = L.placement(fid, "apps")
    return p.first_row, p.last_row


def _edits(fid: str, rng: random.Random):
    """(what was done, edit(path, out) -> path, whether every cell is still there), chosen at random."""
    first, last = _apps_rows(fid)
    at, n = rng.randint(first + 1, last), rng.randint(1, 3)
    two = rng.randint(2, 12)
    yield f"insert {n} rows at 依申请公开!{at}", lambda p, o: insert_rows(p, o, L.APPS, at, n), True
    yield f"insert a row at 主动公开!{two}", lambda p, o: insert_rows(p, o, L.SECTION_TWO, two, 1), True
    yield "delete 复议诉讼 row 1 (the title)", lambda p, o: delete_rows(p, o, L.REVIEW, 1, 1), True
    gone = rng.randint(first, last)
    yield f"delete data row 依申请公开!{gone}", lambda p, o: delete_rows(p, o, L.APPS, gone, 1), False
    yield "rename 复议诉讼 and 依申请公开", lambda p, o: rename_sheet(rename_sheet(p, o, L.REVIEW, "复议诉讼（2022）"), o, L.APPS, "申请情况"), True

    def everything(p, o):
        insert_rows(p, o, L.APPS, at, n)
        delete_rows(o, o, L.SECTION_TWO, 2, 1)
        return rename_sheet(o, o, L.APPS, "依申请公开 (2)")

    yield f"insert at 依申请公开!{at}, delete 主动公开!2, rename", everything, True


def _key(f: dict) -> tuple:
    return f["rule"], tuple(f["cells"]), f.get("fingerprint")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{'broken' if c[1] else 'ok'}")
def test_button_and_cli_agree_after_excel_edits(filled, case, tmp_path):
    source = filled[case]
    original = cli_findings(source)
    assert button_findings(source) == original
    rng = random.Random(f"{case}")
    for i, (what, edit, intact) in enumerate(_edits(case[0], rng)):
        edited = edit(source, tmp_path / f"edit{i}.xlsx")
        cli = cli_findings(edited)
        assert button_findings(edited) == cli, what
        if intact:  # nothing was lost: the same findings as before the edit, at the cells' new places
            assert sorted(map(_key, cli)) == sorted(map(_key, original)), what
        else:
            assert any(f["rule"] == "workbook.cell_missing" for f in cli), what
    # the sheets copied into a new workbook (no names): both read the template positions and say so
    copied = drop_names(source, tmp_path / "copied.xlsx")
    cli = cli_findings(copied)
    assert button_findings(copied) == cli
    assert sorted(map(_key, (f for f in cli if f["rule"] != "workbook.names_missing"))) == sorted(map(_key, original))
    assert [f["rule"] for f in cli].count("workbook.names_missing") == 1


def _type_over(path: Path, out: Path, sheet: str, address: str, value: int) -> Path:
    """A clerk typed a number over a total's formula."""
    import re
    import zipfile

    from xlgova.ooxml.parts import open_package

    part = open_package(path).sheets[sheet]
    src, buf = zipfile.ZipFile(path), io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == part:
                body = re.sub(rb'<c r="%s"([^>]*?)( t="\w+")?>.*?</c>' % address.encode(), rb'<c r="%s"\1><v>%d</v></c>' % (address.encode(), value), body, count=1, flags=re.S)
            dst.writestr(info, body)
    out.write_bytes(buf.getvalue())
    return out


def test_a_client_that_reads_formulas_tells_a_typed_total_as_the_file_reader_does(filled, tmp_path):
    """Desktop Excel hands the button formulas too (``Range.formula``): a typed-over total is then named
    exactly as `xlgova validate` names it, read through the same plan."""
    from openpyxl import load_workbook

    from xlgova.workbook.grid_book import GridBook, GridSheets
    from xlgova.workbook.reader import read_book

    sheet, address = L.cell_map("2021")["apps.new.total"]
    path = _type_over(filled[("2021", False)], tmp_path / "typed.xlsx", sheet, address, 999)
    payload = payload_from_xlsx(path)
    wb = load_workbook(path)
    values = {s["name"]: s["values"] for s in payload["sheets"]}
    formulas = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
    names = [(n, "=" + dn.attr_text) for n, dn in wb.defined_names.items()]
    book = GridBook(values, names, formulas=formulas.get, path=path.name)
    report = read_book(book, GridSheets(values, values, path.name))
    typed = [f.to_json() for f in report.findings if f.rule == "workbook.total_overwritten"]
    assert typed and "公式已被改写为“999”" in typed[0]["message"]
    assert [f for f in cli_findings(path) if f["rule"] == "workbook.total_overwritten"] == typed
    # without formulas (xlwings' remote engine) the same cell is still named, as a shown value that disagrees
    remote = [f for f in button_findings(path) if f["rule"] == "workbook.total_overwritten"]
    assert [f["cells"] for f in remote] == [f["cells"] for f in typed] and "999" in remote[0]["message"]
