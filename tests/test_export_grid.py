"""The exported tables' layout, derived from the formats: merged headers, merged row labels, every cell."""
from __future__ import annotations

from decimal import Decimal

import pytest

from xlgova.export.grid import GROUP, HEAD, LABEL, TEXT_WIDTH_CM, TITLE, VALUE, grids_for, value_text
from xlgova.formats import FORMAT_IDS, get_format
from xlgova.formats.common import APPLICANTS, APPS_CORNER, DENIED, LEGAL_PERSONS, OTHER, RESULTS
from xlgova.model import parse_value
from xlgova.demo.samples import random_report


def _grids(format_id):
    return dict((g.table.id, g) for _, g in grids_for(random_report(7, format_id)))


def _find(grid, text, role=None):
    hits = [b for b in grid.blocks if b.text == text and (role is None or b.role == role)]
    assert hits, f"{text!r} not in {grid.table.id}"
    return hits


@pytest.mark.parametrize("format_id", FORMAT_IDS)
def test_every_grid_position_is_covered_exactly_once(format_id):
    for grid in _grids(format_id).values():
        seen = {}
        for b in grid.blocks:
            for r in range(b.row, b.row + b.rowspan):
                for c in range(b.col, b.col + b.colspan):
                    assert (r, c) not in seen, f"{grid.table.id}: {b} overlaps {seen[(r, c)]}"
                    seen[(r, c)] = b
        assert len(seen) == grid.n_rows * grid.n_cols, grid.table.id
        assert sum(grid.widths) == pytest.approx(TEXT_WIDTH_CM)


@pytest.mark.parametrize("format_id", FORMAT_IDS)
def test_every_cell_of_the_format_is_drawn_once_with_its_labels(format_id):
    fmt = get_format(format_id)
    grids = _grids(format_id)
    assert list(grids) == [t.id for s in fmt.sections for t in map(fmt.table, s.tables)]
    drawn = [b.cell_id for g in grids.values() for b in g.blocks if b.role == VALUE]
    assert drawn == list(fmt.cells)
    for table in fmt.tables:
        texts = {b.text for b in grids[table.id].blocks}
        assert {r.label for r in table.rows} <= texts
        assert {c.label for c in table.cols} <= texts
        assert {g for r in table.rows for g in r.groups} <= texts


def test_apps_headers_are_merged_like_the_official_table():
    apps = _grids("2021")["apps"]
    corner = _find(apps, APPS_CORNER, HEAD)[0]
    assert (corner.row, corner.col, corner.rowspan, corner.colspan) == (0, 0, 3, 3)
    applicants = _find(apps, APPLICANTS)[0]
    assert (applicants.row, applicants.col, applicants.colspan) == (0, 3, 7)  # over 总计 too
    legal = _find(apps, LEGAL_PERSONS)[0]
    assert (legal.row, legal.col, legal.colspan) == (1, 4, 5)
    for label in ("自然人", "总计"):
        b = _find(apps, label, HEAD)[0]
        assert (b.row, b.rowspan) == (1, 2)
    assert [b.text for b in apps.blocks if b.role == HEAD and b.row == 2] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert apps.header_rows == 3


@pytest.mark.parametrize("format_id", FORMAT_IDS)
def test_apps_row_labels_are_merged_over_their_rows(format_id):
    fmt = get_format(format_id)
    table = fmt.table("apps")
    apps = _grids(format_id)["apps"]
    results = _find(apps, RESULTS, GROUP)[0]
    grouped = [i for i, r in enumerate(table.rows) if r.groups[:1] == (RESULTS,)]
    assert (results.row, results.rowspan, results.col) == (3 + grouped[0], len(grouped), 0)
    denied = _find(apps, DENIED, GROUP)[0]
    assert (denied.rowspan, denied.col) == (8, 1)
    new = _find(apps, "一、本年新收政府信息公开申请数量", LABEL)[0]
    assert (new.col, new.colspan) == (0, 3)
    granted = _find(apps, "（一）予以公开", LABEL)[0]
    assert (granted.col, granted.colspan) == (1, 2)
    if format_id == "2019":
        other = _find(apps, OTHER, LABEL)[0]
        assert (other.col, other.colspan) == (1, 2)
    else:
        assert _find(apps, OTHER, GROUP)[0].rowspan == 3


def test_review_headers():
    review = _grids("2021")["review"]
    recon = _find(review, "行政复议")[0]
    assert (recon.row, recon.col, recon.rowspan, recon.colspan) == (0, 0, 2, 5)
    suit = _find(review, "行政诉讼")[0]
    assert (suit.row, suit.col, suit.colspan) == (0, 5, 10)
    assert [(b.col, b.colspan) for b in review.blocks if b.text in ("未经复议直接起诉", "复议后起诉")] == [(5, 5), (10, 5)]
    assert [b.text for b in review.blocks if b.row == 2] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    assert review.n_rows == 4 and review.header_rows == 3


@pytest.mark.parametrize("format_id", FORMAT_IDS)
def test_section_two_tables_have_title_row_and_share_one_width(format_id):
    fmt = get_format(format_id)
    grids = _grids(format_id)
    widths = {grids[t].widths[0] for t in fmt.section("二").tables}
    assert len(widths) == 1
    for tid in fmt.section("二").tables:
        g = grids[tid]
        title = g.blocks[0]
        assert (title.role, title.text, title.colspan) == (TITLE, fmt.table(tid).title, g.n_cols)
        assert _find(g, "信息内容", HEAD)[0].row == 1
        assert g.header_rows == 2


@pytest.mark.parametrize(
    "raw, shown",
    [(0, "0"), (17, "17"), (Decimal("12.50"), "12.50"), (Decimal("0.00"), "0.00"), (-4, "-4"),
     (None, ""), ("/", "/"), (" 无 ", "无"), ("251000元", "251000元")],
)
def test_value_text(raw, shown):
    assert value_text(parse_value(raw)) == shown


def test_missing_cell_is_blank():
    assert value_text(None) == ""
