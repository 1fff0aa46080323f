"""How much the 校验 button asks of Excel: every call is one round trip through COM, so the empty
template (≈200 blank-cell warnings) must cost a few dozen recorded actions, not hundreds."""
from __future__ import annotations

import collections

import pytest
import xlwings as xw

from excel_fixtures import final_fills
from xlgova.excel import results as rs
from xlgova.excel.book import validate_book
from xlgova.excel.marks import base_fills, rectangles
from xlwings_payload import payload_from_xlsx
from xlgova.workbook import layout as L
from xlgova.workbook.template import save_template

MAX_ACTIONS = 50


@pytest.fixture(scope="module", params=("2021", "2019"))
def empty(request, tmp_path_factory):
    path = save_template(request.param, tmp_path_factory.mktemp(f"t{request.param}") / "empty.xlsx")
    payload = payload_from_xlsx(path)
    book = xw.Book(json=payload)
    result = validate_book(book)
    return request.param, path, payload, result, book.json()["actions"]


def test_empty_template_costs_at_most_50_actions(empty):
    _fid, _path, _payload, result, actions = empty
    counts = collections.Counter(a["func"] for a in actions)
    assert len(actions) <= MAX_ACTIONS, counts
    assert len(result.findings) > 150  # the blank-cell warnings are all still there, listed in one write
    assert counts["addHyperlink"] == 0 and counts["addNote"] == 0


def test_every_finding_is_listed_in_the_one_table_write(empty):
    _fid, _path, payload, result, actions = empty
    i = [s["name"] for s in payload["sheets"]].index(L.RESULTS)
    (table,) = [a["values"] for a in actions if a["func"] == "setValues" and a["sheet_position"] == i
                and a["start_row"] == rs.first_row() - 1]
    assert len(table) == len(result.findings) and all(len(row) == rs.WIDTH for row in table)
    for row, f in zip(table, result.findings):
        assert f"（{f.rule}）" in row[2] and row[4] == f.message and row[rs.FINGERPRINT_COL] == f.fingerprint
        assert str(row[rs.LOCATION_COL]).startswith("=HYPERLINK(") or row[rs.LOCATION_COL] == "—"


def test_screen_updating_is_off_for_every_write_and_back_on_at_the_end(empty):
    actions = empty[4]
    flips = [(i, a["args"][0]) for i, a in enumerate(actions) if a["func"] == "setScreenUpdating"]
    assert flips == [(0, False), (len(actions) - 1, True)]


def test_every_data_cell_gets_its_final_colour_exactly_once(empty):
    fid, _path, payload, result, actions = empty
    names = [s["name"] for s in payload["sheets"]]
    writes = collections.Counter()
    for a in actions:
        if a["func"] == "setRangeColor" and names[a["sheet_position"]] != L.RESULTS:
            for r in range(a["start_row"], a["start_row"] + a["row_count"]):
                for c in range(a["start_column"], a["start_column"] + a["column_count"]):
                    writes[(names[a["sheet_position"]], r, c)] += 1
    assert set(writes) == set(base_fills(fid)) and set(writes.values()) == {1}
    fills = final_fills(actions, names)
    assert len(fills) >= len(result.findings)


def test_print_area_grows_with_the_findings(empty):
    _fid, _path, payload, result, actions = empty
    (area,) = [a["args"][0] for a in actions if a["func"] == "setPrintArea"]
    assert area == f"A1:I{rs.first_row() + len(result.findings) - 1}"
    assert payload["sheets"][[s["name"] for s in payload["sheets"]].index(L.RESULTS)]["name"] == L.RESULTS


def test_rectangles_cover_each_cell_once_with_its_value():
    import random

    from xlgova.ooxml.a1 import zero_based as rc

    rnd = random.Random(5)
    cells = {("s", r, c): rnd.choice("ab") for r in range(8) for c in range(6) if rnd.random() < 0.8}
    seen = {}
    for sheet, rng, value in rectangles(cells):
        first, _, last = rng.partition(":")
        (r0, c0), (r1, c1) = rc(first), rc(last or first)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                assert (sheet, r, c) not in seen
                seen[(sheet, r, c)] = value
    assert seen == cells


def test_link_formula_points_at_the_first_cell():
    assert rs.link_formula("依申请公开!D6、依申请公开!D7") == '=HYPERLINK("#\'依申请公开\'!D6","依申请公开!D6、依申请公开!D7")'
    assert rs.link_formula("—") == "—"


def test_office_js_clients_get_no_note_for_a_blank_cell(empty):
    """Notes (Office.js only) are for errors and warnings worth reading at the cell, not for blanks."""
    fid, path, *_ = empty
    book = xw.Book(json=payload_from_xlsx(path, client="Office.js"))
    validate_book(book)
    actions = book.json()["actions"]
    assert len(actions) <= MAX_ACTIONS and not [a for a in actions if a["func"] == "addNote"]
