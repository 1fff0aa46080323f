"""write_workbook -> read_workbook gives back the report: values as found, cover, narrative, 上年数据."""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook_io_support import comparable
from xlgova.errors import XlgovaError
from xlgova.model import parse_value
from xlgova.rules import defining_identity, validate
from xlgova.safeio import shown
from xlgova.demo.samples import random_report
from xlgova.workbook import layout as L
from xlgova.workbook.reader import read_workbook
from xlgova.workbook.writer import WorkbookWriter, template_path, write_workbook, writer_for

FORMATS = ("2021", "2019")
YEAR = {"2021": 2022, "2019": 2020}

odd_values = st.one_of(
    st.integers(min_value=-10**6, max_value=10**9),
    st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["/", "无", "-", "—", "－", "空", " 12", "１２", "1,234", "减4", "增3", "=1+1", "'=A1", "@x", "+", "不适用", "0", "", None]),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12),
)
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\r\x00"), max_size=60)


def same(a, b) -> bool:
    """Equal as the rules see them: same kind, same number (12.50 == 12.5), same text (``b`` as written:
    characters that act instead of showing come back as their visible stand-ins, safeio.shown)."""
    if a.kind != b.kind:
        return False
    return a.number == b.number if a.is_number else (a.raw or "") == shown(b.raw or "", lines=True)


def sum_total(report, cid):
    """What the template's =SUM(...) shows for a total: text and blanks count as 0."""
    ident = defining_identity(report.format_id)[cid]
    total = 0
    for t in ident.rhs:
        v = report.values.get(t.cell)
        n = sum_total(report, t.cell) if t.cell in defining_identity(report.format_id) else (v.number if v is not None and v.is_number else 0)
        total += t.coef * n
    return total


@pytest.mark.parametrize("format_id", FORMATS)
@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_consistent_report_round_trips_and_validates(tmp_path, format_id, suffix):
    prev = random_report(10, format_id, agency="示例县人民政府办公室", year=YEAR[format_id] - 1)
    report = random_report(11, format_id, agency="示例县人民政府办公室", year=YEAR[format_id], previous=prev)
    report.previous = prev
    report.sections = {"一": "总体情况：本年度……", "五": "存在的主要问题及改进情况", "六": "其他需要报告的事项"}
    report.meta = {"level": "县级部门", "preparer": "张三", "phone": "0411-12345678", "date": "2023-01-15"}
    out = write_workbook(report, tmp_path / f"r{suffix}")
    with zipfile.ZipFile(out) as z:  # the writer assembles the zip itself: every part must check out
        assert z.testzip() is None
        assert ("xl/vbaProject.bin" in z.namelist()) == (suffix == ".xlsm")
    back = read_workbook(out)
    assert comparable(back) == comparable(report)
    assert back.meta["preparer"] == "张三" and back.meta["phone"] == "0411-12345678" and back.meta["level"] == "县级部门"
    assert back.findings == []
    assert back.location("apps.new.natural") == "{}!{}".format(*L.cell_map(format_id)["apps.new.natural"])
    assert validate(back).valid
    # 上年数据 holds only the cross-year cells, read back as last year's report
    assert set(back.previous.values) == set(L.previous_cells(format_id))
    assert back.previous.year == YEAR[format_id] - 1


@pytest.mark.parametrize("format_id", FORMATS)
def test_totals_are_formulas_not_values(tmp_path, format_id):
    report = random_report(3, format_id, agency="甲", year=YEAR[format_id])
    report.values["apps.new.total"] = parse_value(999999)  # never written: the template's formula stays
    out = write_workbook(report, tmp_path / "r.xlsx")
    sheet, address = L.cell_map(format_id)["apps.new.total"]
    import openpyxl

    ws = openpyxl.load_workbook(out)[sheet]
    assert str(ws[address].value).startswith("=SUM(")
    back = read_workbook(out)
    assert back.number("apps.new.total") == sum_total(report, "apps.new.total") != 999999
    assert back.findings == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    format_id=st.sampled_from(FORMATS),
    seed=st.integers(0, 10**6),
    changes=st.lists(st.tuples(st.integers(0, 10**4), odd_values), max_size=12),
    agency=texts,
    sections=st.dictionaries(st.sampled_from(["一", "五", "六"]), texts, max_size=3),
    prev_changes=st.lists(st.tuples(st.integers(0, 100), odd_values), max_size=6),
)
def test_random_reports_round_trip(tmp_path_factory, format_id, seed, changes, agency, sections, prev_changes):
    report = random_report(seed, format_id, agency=agency, year=YEAR[format_id])
    inputs = [c for c, cell in report.format.cells.items() if cell.is_input]
    for i, raw in changes:
        report.values[inputs[i % len(inputs)]] = parse_value(raw)
    report.sections = sections
    prev_cells = L.previous_cells(format_id)
    if prev_changes:
        report.previous = random_report(seed + 1, format_id, agency=agency, year=YEAR[format_id] - 1)
        for i, raw in prev_changes:
            report.previous.values[prev_cells[i % len(prev_cells)]] = parse_value(raw)
    out = write_workbook(report, tmp_path_factory.mktemp("rt") / "r.xlsx")
    back = read_workbook(out)

    for cid in inputs:
        assert same(back.values[cid], report.values[cid]), (cid, report.values[cid], back.values[cid])
    for cid in defining_identity(format_id):  # formulas with no cached value: derived like =SUM does
        assert back.values[cid].number == sum_total(report, cid), cid
    assert back.agency == shown(agency, lines=True).strip()
    assert back.sections == {k: shown(v, lines=True) for k, v in sections.items() if shown(v, lines=True).strip()}
    expected_prev = {c: v for c, v in (report.previous.values.items() if report.previous else ()) if c in prev_cells and not v.is_blank}
    got_prev = back.previous.values if back.previous else {}
    assert set(got_prev) == set(expected_prev)
    assert all(same(got_prev[c], expected_prev[c]) for c in expected_prev)
    assert back.findings == []


def test_text_never_becomes_a_formula(tmp_path):
    report = random_report(1, "2021", agency="=HYPERLINK(\"http://x\")", year=2021)
    report.values["apps.new.natural"] = parse_value("=1+1")
    report.sections = {"一": "+cmd|' /C calc'!A0"}
    out = write_workbook(report, tmp_path / "r.xlsx")
    with zipfile.ZipFile(out) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    formulas = re.findall(rb"<f[^>]*>([^<]*)</f>", xml)
    assert formulas and not [f for f in formulas if b"1+1" in f or b"HYPERLINK" in f or b"cmd" in f]
    back = read_workbook(out)
    assert back.agency == report.agency and back.values["apps.new.natural"].raw == "=1+1"
    assert back.sections["一"] == report.sections["一"]


def test_writer_refuses_mismatched_output(tmp_path):
    report = random_report(1, "2021", agency="甲", year=2021)
    with pytest.raises(XlgovaError, match="扩展名"):
        writer_for("2021").write(report, tmp_path / "r.xlsm")
    with pytest.raises(XlgovaError, match=".xlsx 或 .xlsm"):
        write_workbook(report, tmp_path / "r.csv")
    with pytest.raises(XlgovaError, match="2019"):
        writer_for("2019").to_bytes(report)


def test_writer_never_overwrites_its_input(tmp_path):
    report = random_report(1, "2021", agency="甲", year=2021)
    src = write_workbook(report, tmp_path / "r.xlsx")
    again = read_workbook(src)
    before = src.read_bytes()
    with pytest.raises(XlgovaError, match="输出文件与输入文件相同"):
        write_workbook(again, src)
    assert src.read_bytes() == before


def test_writer_fills_a_template_without_the_cells(tmp_path):
    """A template re-saved by another program may drop empty cells; the writer adds them."""
    from workbook_io_support import minimal_template

    bare = minimal_template("2021", tmp_path / "bare.xlsx")
    report = random_report(2, "2021", agency="甲", year=2021)
    report.sections = {"一": "正文"}
    out = WorkbookWriter("2021", bare).write(report, tmp_path / "out.xlsx")
    assert comparable(read_workbook(out)) == comparable(report)


def test_fallback_builds_the_template_when_committed_file_is_missing(tmp_path, monkeypatch):
    import xlgova.workbook.writer as W

    monkeypatch.setattr(W, "TEMPLATE_DIR", tmp_path / "nowhere")
    report = random_report(4, "2019", agency="乙", year=2020)
    out = W.WorkbookWriter("2019").write(report, tmp_path / "r.xlsx")
    assert comparable(read_workbook(out)) == comparable(report)
    assert template_path("2019").name == "xlgova-2019.xlsx"


def test_cover_date_is_a_real_excel_date(tmp_path):
    import datetime as dt

    import openpyxl

    report = random_report(6, "2021", agency="甲", year=2021)
    report.meta = {"date": "2022-01-10", "agencies": 12, "phone": "13800000000"}
    out = write_workbook(report, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(out)[L.COVER]
    assert ws["B9"].value == dt.datetime(2022, 1, 10) and ws["B11"].value == 12 and ws["B8"].value == "13800000000"
    back = read_workbook(out)
    assert back.meta["date"] == "2022-01-10" and back.meta["agencies"] == 12 and back.meta["phone"] == "13800000000"
    report.meta = {"date": "2022年1月"}  # not a date Excel can hold: kept as text
    assert read_workbook(write_workbook(report, tmp_path / "t.xlsx")).meta["date"] == "2022年1月"
