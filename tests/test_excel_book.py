"""validate_book through xlwings' remote engine: the actions the 校验 button would perform in Excel."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import xlwings as xw

from excel_fixtures import final_fills, grids_for, payload_for, rc, read_payload, reports
from xlgova.excel import results as rs
from xlgova.excel.book import validate_book
from xlgova.excel.marks import CONFIRMED_FILL, ERROR_FILL, MARK_FILLS, WARNING_FILL, finding_cells
from xlwings_payload import payload_from_grids
from xlgova.rules import ERROR, WARNING, validate
from xlgova.workbook import layout as L

NOW = dt.datetime(2023, 1, 15, 9, 30)
FORMATS = ("2021", "2019")


def run(payload):
    book = xw.Book(json=payload)
    result = validate_book(book, now=NOW)
    return book, result, book.json()["actions"]


def names(payload):
    return [s["name"] for s in payload["sheets"]]


def expected_marks(report, result):
    want = {}
    for f in result.findings:
        colour = {ERROR: ERROR_FILL, WARNING: WARNING_FILL}.get(f.severity)
        for key in finding_cells(f, report):
            if colour and want.get(key) != ERROR_FILL:
                want[key] = colour
    return want


def values_on(sheet, actions, payload):
    i = names(payload).index(sheet)
    return [a for a in actions if a["sheet_position"] == i and a["func"] in ("setValues", "addHyperlink", "rangeClearContents", "rangeClear")]


def table_rows(actions, payload):
    """The findings rows A..L written to 校验结果 (the setValues at the first findings row, column A)."""
    i = names(payload).index(L.RESULTS)
    for a in actions:
        if a["func"] == "setValues" and a["sheet_position"] == i and a["start_row"] == rs.first_row() - 1 and a["start_column"] == 0:
            return a["values"]
    return []


def shown(value):
    """What Excel shows for a written cell: a HYPERLINK formula shows its text."""
    m = re.fullmatch(r'=HYPERLINK\("#\'[^\']+\'![A-Z]+[0-9]+","(.*)"\)', str(value)) if value else None
    return m.group(1).replace('""', '"') if m else value


def result_rows(actions, payload):
    """The visible columns (序号 … 已确认说明) as the clerk sees them."""
    return [[shown(v) for v in row[: len(rs.COLUMNS)]] for row in table_rows(actions, payload)]


@pytest.mark.parametrize("fid", FORMATS)
def test_consistent_workbook_passes_and_marks_nothing(fid):
    payload = payload_for(reports(fid, broken=False))
    _book, result, actions = run(payload)
    assert result is not None and result.status_text() == "通过"
    fills = final_fills(actions, names(payload))
    assert not [k for k, v in fills.items() if v in MARK_FILLS and k[0] != L.RESULTS]
    status = [a["values"][0][0] for a in actions if a["func"] == "setValues" and a["values"][0][0:1] and str(a["values"][0][0]).startswith(rs.STATUS_PREFIX)]
    assert status == [f"{rs.STATUS_PREFIX}通过　校验时间：2023-01-15 09:30"]
    assert result_rows(actions, payload) == []


@pytest.mark.parametrize("fid", FORMATS)
def test_broken_workbook_marks_exactly_the_offending_cells(fid):
    report = reports(fid, broken=True)
    payload = payload_for(report)
    book, result, actions = run(payload)

    cli = validate(report)  # the same report the CLI would check
    assert {f.fingerprint for f in result.findings} == {f.fingerprint for f in cli.findings}
    assert result.counts[ERROR] >= 2 and result.counts[WARNING] >= 2
    assert result.rules() >= {"apps.balance", "value.invalid", "value.blank", "xyear.carried_in"}
    fills = final_fills(actions, names(payload))
    marked = {k: v for k, v in fills.items() if v in MARK_FILLS and k[0] != L.RESULTS}
    assert marked == expected_marks(read_payload(payload, fid), result)
    # the cross-year warning marks last year's cell on 上年数据 too
    assert any(sheet == L.PREVIOUS and colour == WARNING_FILL for (sheet, _), colour in marked.items())
    rows = result_rows(actions, payload)
    assert len(rows) == len(result.findings)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0][1] == "错误" and rows[-1][1] in ("警告", "提示")
    assert all("!" in r[3] for r in rows if r[1] == "错误")
    links = [row[rs.LOCATION_COL] for row in table_rows(actions, payload)]
    assert all(str(v).startswith("=HYPERLINK(\"#'") for v, r in zip(links, rows) if "!" in r[3])
    assert not [a for a in actions if a["func"] == "addHyperlink"]  # one write for the table, not one per row
    c = result.counts
    assert f"发现 {c[ERROR]} 个错误、{c[WARNING]} 个警告" in str(book.sheets[L.RESULTS][rs.status_cell()].value or "") or any(
        f"发现 {c[ERROR]} 个错误、{c[WARNING]} 个警告" in str(a["values"]) for a in actions if a["func"] == "setValues")


@pytest.mark.parametrize("fid", FORMATS)
def test_nothing_is_written_to_the_clerks_sheets(fid):
    payload = payload_for(reports(fid, broken=True))
    _book, _result, actions = run(payload)
    for sheet in (L.COVER, L.SECTION_TWO, L.APPS, L.REVIEW, L.NARRATIVE, L.PREVIOUS):
        assert values_on(sheet, actions, payload) == [], sheet
    allowed = {"setRangeColor", "setValues", "rangeClearContents", "setWrapText", "setColumnHidden", "setPrintArea",
               "setScreenUpdating"}
    assert {a["func"] for a in actions} <= allowed


def _second_run(fid, explain_rule: str):
    """Run once, let the clerk explain the first finding of ``explain_rule``, run again on that state."""
    report = reports(fid, broken=True)
    grids = grids_for(report)
    payload = payload_for(report, grids)
    _book, result, actions = run(payload)
    rows = table_rows(actions, payload)
    results = [[None] * rs.WIDTH for _ in range(rs.header_row() + len(rows))]
    target = next(i for i, f in enumerate(result.findings) if f.rule == explain_rule)
    for i, row in enumerate(rows):
        line = [shown(v) for v in row]
        if i == target:
            line[rs.EXPLANATION_COL] = "已核实：本年度有 2 件申请退回重报。"
        results[rs.header_row() + i] = line
    grids[L.RESULTS] = results
    payload2 = payload_for(report, grids)
    return result.findings[target], run(payload2), payload2, len(rows)


@pytest.mark.parametrize("fid", FORMATS)
def test_clerk_explanation_confirms_a_warning_on_the_next_run(fid):
    finding, (_book, result, actions), payload, old_count = _second_run(fid, "xyear.carried_in")
    rows = result_rows(actions, payload)
    row = next(r for r in rows if r[5])
    assert row[1] == "警告（已确认）" and row[5] == "已核实：本年度有 2 件申请退回重报。"
    fills = final_fills(actions, names(payload))
    cells = finding_cells(finding, read_payload(payload, fid))
    assert any(fills.get(k) == CONFIRMED_FILL for k in cells)
    status = [str(a["values"][0][0]) for a in actions if a["func"] == "setValues" and str(a["values"][0][0]).startswith(rs.STATUS_PREFIX)][0]
    assert f"{result.counts[WARNING] - 1} 个警告（另有 1 个警告已确认）" in status
    clears = [a for a in actions if a["func"] == "rangeClearContents"]
    assert clears and clears[0]["row_count"] == old_count and clears[0]["start_row"] == rs.first_row() - 1


def test_explanation_for_an_error_is_kept_but_the_error_stays():
    _f, (_b, result, actions), payload, _n = _second_run("2021", "apps.balance")
    row = next(r for r in result_rows(actions, payload) if r[5])
    assert row[1] == "错误" and not result.valid


def test_explanation_of_a_vanished_finding_is_never_dropped():
    report = reports("2021", broken=False)
    grids = grids_for(report)
    grids[L.RESULTS] = [[None] * rs.WIDTH for _ in range(rs.header_row())] + [
        [1, "警告", "上年结转…（xyear.carried_in）", "依申请公开!D7", "旧的说明", "clerk text", None, None, None, None, "abc123abc123", ""]]
    payload = payload_for(report, grids)
    _book, result, actions = run(payload)
    rows = result_rows(actions, payload)
    assert result.status_text() == "通过"
    assert rows == [[1, rs.GONE_LABEL, "上年结转…（xyear.carried_in）", "依申请公开!D7", "旧的说明", "clerk text"]]


def test_notes_only_for_office_js_clients():
    report = reports("2021", broken=True)
    plain = run(payload_for(report))[2]
    assert not [a for a in plain if "Note" in a["func"]]
    office = run(payload_for(report, client="Office.js"))
    notes = [a for a in office[2] if a["func"] == "addNote"]
    errors_and_warnings = [f for f in office[1].findings if f.severity in (ERROR, WARNING)]
    assert notes and len(notes) <= len(errors_and_warnings)
    assert all(a["args"][1].startswith("【xlgova 校验】") for a in notes)


def test_a_workbook_without_format_or_year_is_read_by_its_names_as_the_cli_reads_it():
    report = reports("2021", broken=False)
    grids = grids_for(report)
    fields = {k: a for k, _, a in L.COVER_FIELDS}
    for key in ("year", "format"):
        r, c = rc(fields[key])
        grids[L.COVER][r][c] = None
    _book, result, _actions = run(payload_for(report, grids))
    assert result is not None and "report.year_missing" in result.rules()


def test_a_workbook_that_is_no_template_gets_a_status_not_a_traceback():
    grids = grids_for(reports("2021", broken=False))
    del grids[L.REVIEW]
    grids[L.APPS] = [[None] * 5 for _ in range(10)]  # no names, and the sheets are not the template's
    _book, result, actions = run(payload_from_grids(grids))
    assert result is None
    (status,) = [a for a in actions if a["func"] == "setValues"]
    assert status["values"][0][0].startswith("无法校验") and "复议诉讼" in status["values"][0][0]


def test_button_entry_points_on_the_calling_book(monkeypatch, tmp_path):
    from xlgova.excel import entry

    monkeypatch.setenv("HOME", str(tmp_path))
    payload = payload_for(reports("2021", broken=True), name="示例县.xlsx")
    book = xw.Book(json=payload)
    monkeypatch.setattr(entry, "_caller", lambda: book)
    entry.validate_caller()
    funcs = [a["func"] for a in book.json()["actions"]]
    assert "activateSheet" in funcs and "alert" in funcs
    entry.export_caller()
    out = tmp_path / "示例县.docx"
    assert out.exists() and out.stat().st_size > 5000
    alert = [a for a in book.json()["actions"] if a["func"] == "alert"][-1]
    assert "草稿" in str(alert["args"]) and str(out) in str(alert["args"])
