"""What real published reports taught (tests/data/real_reports.csv), replayed on the project's own reports.

The table records, for each real report tried, its source, the shape it came in and its key figures, never
its text. Each test here makes a random report carry those key figures, renders it in that shape and
checks the figures come back, so the shapes stay read without shipping anyone's report.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from import_support import render_html, render_text
from shape_support import blank_separated, glued, pipe_cells, pipe_rows_open, render_layout
from xlgova.demo.samples import random_report
from xlgova.importers import import_text
from xlgova.importers.html import html_lines
from xlgova.importers import import_lines
from xlgova.model import parse_value

TABLE = Path(__file__).parent / "data" / "real_reports.csv"
ROWS = list(csv.DictReader(TABLE.open(encoding="utf-8")))
RENDER = {
    "html": lambda r: import_lines(html_lines(render_html(r))),
    "tabs": lambda r: import_text(render_text(r, "tabs")),
    "pipes": lambda r: import_text(render_text(r, "pipes")),
    "glued": lambda r: import_text(glued(r)),
    "pipe-rows": lambda r: import_text(pipe_rows_open(r)),
    "pipe-cells": lambda r: import_text(pipe_cells(r)),
    "blank-separated": lambda r: import_text(blank_separated(r)),
    "layout": lambda r: import_text(render_layout(r)),
    "pdf": lambda r: _via_pdf(r),
}


def _via_pdf(report):
    """Word export -> LibreOffice PDF -> import (skipped where LibreOffice is not installed)."""
    import tempfile

    from xlgova import export
    from xlgova.importers import import_document
    from xlgova.workbook import libreoffice

    if not libreoffice.available():
        pytest.skip("LibreOffice IS NOT INSTALLED: run `make system-deps`")
    with tempfile.TemporaryDirectory() as tmp:
        docx = export.render_docx(report, Path(tmp) / "r.docx")
        return import_document(libreoffice.convert(docx, "pdf", Path(tmp)))


def figures(row) -> dict[str, str]:
    return dict(item.split("=") for item in row["key_figures"].split(";"))


def test_the_table_records_sources_shapes_and_figures_only():
    assert len(ROWS) >= 5 and len({r["source"] for r in ROWS}) >= 4
    for row in ROWS:
        assert row["source"] and row["shape"] and row["came_as"] in RENDER and figures(row)
        assert all(len(v) < 400 for v in row.values())  # notes, not report texts


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_recorded_shape_reads_the_recorded_figures(row):
    want = random_report(7, row["format"], agency=row["agency"] or "某区统计局", year=int(row["year"]))
    unreadable = row["key_cells_right"].startswith("0/")
    if not unreadable:
        for cid, text in figures(row).items():
            want.values[cid] = parse_value(text)
    got = RENDER[row["came_as"]](want)
    assert (got.year, got.format_id) == (int(row["year"]), row["format"])
    if unreadable:  # recorded as not readable in that shape: whatever is read is right (a consistent report)
        assert all(v.to_json() == want.values[c].to_json() for c, v in got.values.items())
        return
    for cid, text in figures(row).items():
        assert got.values[cid].to_json() == parse_value(text).to_json(), cid


TITLES = list(csv.DictReader((Path(__file__).parent / "data" / "real_titles.csv").open(encoding="utf-8")))


@pytest.mark.parametrize("row", TITLES, ids=[r["source"].split("/")[2] for r in TITLES])
def test_recorded_title_shapes(row):
    """The beginnings of real report pages (navigation, page fields, titles over lines, the year only in the
    statistics period): agency, year and format as recorded — or no agency where the page names none. The
    sample report's own text never names its agency, so only the recorded beginning can."""
    want = random_report(5, row["format"], agency=row["agency"] or "某街道办事处", year=int(row["year"]))
    body = render_text(want, "tabs").split("\n")
    body = [ln for ln in body[1:] if not ln.startswith("本报告统计数据")]
    body = [ln.replace(want.agency, "我局") for ln in body]  # the body says 我局: the agency is the preamble's to give
    preamble = row["preamble"].replace("\\n", "\n").format(agency=row["agency"], year=row["year"])
    got = import_text(preamble + "\n" + "\n".join(body))
    assert (got.agency, got.year, got.format_id, got.meta["year_from"]) == (row["agency"], int(row["year"]), row["format"], row["year_from"])
