"""Rows an agency adds to the 第二十条 tables (issue 15): 行政检查, 行政确认… under 其他对外管理服务事项 (2019) or
after 行政许可 / 行政强制 (2021). A consistent report with such rows reads without error in every shape: the
official rows are read as printed, the local rows' values never land in an official cell, and one
``doc.local_row`` says which rows were left out. Reports made from the project's own samples
(tests/variant_support.py)."""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from import_support import render_docx, render_text
from shape_support import with_blanks
from test_import_no_false_errors import NO_BLANKS, SHAPES, _counts, _errors
from variant_support import LOCAL_ROWS, PLACES, local_labels, with_local_rows
from xlgova.demo.samples import random_report
from xlgova.importers import import_document, import_text
from xlgova.rules import validate


def _report(seed: int, fmt: str, scale: int, blanks: bool):
    rng = random.Random(seed)
    want = random_report(rng, fmt, agency="某县某某镇人民政府", year=2020 if fmt == "2019" else 2023, scale=scale)
    if blanks:
        with_blanks(want, rng)
    return want, rng


def _owner_cells(want, place: str) -> set[str]:
    """The official cells a report drawn with ``place`` does not print (its label over sub-rows only)."""
    if place != "only":
        return set()
    return {f"{t}.{owner}.{c.id}" for (fid, t), (owner, _) in LOCAL_ROWS.items() if fid == want.format_id
            for c in want.format.table(t).cols}


def _check(got, want, drawn, place: str) -> None:
    assert (got.agency, got.year, got.format_id) == (want.agency, want.year, want.format_id)
    assert _errors(got.findings) == [] and _errors(validate(got).findings) == []
    wrong = {c: v.to_json() for c, v in got.values.items() if c not in drawn.values or _counts(v) != _counts(drawn.values[c])}
    assert wrong == {}, "a value read differently from what was printed (or from a local row)"
    unread = set(want.values) - set(got.values)
    assert _owner_cells(want, place) <= unread
    said = {c for f in got.findings if f.rule in ("doc.row_doubtful", "doc.table_missing") for c in f.cells}
    assert unread <= said, "a cell left unread without a finding"
    local = " ".join(f.message for f in got.findings if f.rule == "doc.local_row")
    assert local, "the local rows are not mentioned"


ALL = {**SHAPES, **NO_BLANKS}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("shape", sorted(ALL))
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), fmt=st.sampled_from(["2021", "2019"]), scale=st.sampled_from([1, 30, 400]), blanks=st.booleans())
def test_local_rows_in_every_shape(shape, place, seed, fmt, scale, blanks):
    want, rng = _report(seed, fmt, scale, blanks and shape not in NO_BLANKS)
    drawn = with_local_rows(want, rng, place)
    _check(ALL[shape](drawn), want, drawn, place)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_local_rows_in_a_word_file(tmp_path, fmt, place):
    want, rng = _report(7, fmt, 30, True)
    drawn = with_local_rows(want, rng, place)
    _check(import_document(render_docx(drawn, tmp_path / "年报.docx")), want, drawn, place)


def test_the_local_rows_are_named_once_per_table():
    want, rng = _report(3, "2019", 5, False)
    got = import_text(render_text(with_local_rows(want, rng, "after"), "tabs"))
    assert got.to_json()["values"] == want.to_json()["values"]
    said = [(f.rule, f.message) for f in got.findings]
    assert said == [
        ("doc.local_row", "第二十条第（五）项表中有格式以外的行「行政检查」「行政确认」「行政奖励」「行政征收」「行政给付」「行政裁决」，未读取"),
        ("doc.local_row", "第二十条第（六）项表中有格式以外的行「行政检查」，未读取"),
    ]
    assert all(f.severity == "info" and f.quote for f in got.findings)
    assert local_labels(want)[0] == "行政检查"


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_an_official_row_printed_blank_before_local_rows_stays_blank(layout):
    """行政强制 printed with a blank cell, then the agency's 行政检查 38: the blank is 行政强制's, 38 is not."""
    want, rng = _report(5, "2021", 5, True)
    assert want.values["art20_6.coercion.decisions"].is_blank
    got = import_text(render_text(with_local_rows(want, rng, "after"), layout))
    assert got.values["art20_6.coercion.decisions"].is_blank
    assert {f.rule for f in got.findings} == {"doc.local_row"}


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_a_label_over_its_sub_rows_only_is_doubtful_and_not_summed(layout):
    """其他对外管理服务事项 printed as a merged cell over 行政检查… with no line of its own: its values were not
    printed; the first sub-row's values are not taken for it, nor the sub-rows' sum."""
    want, rng = _report(11, "2019", 30, False)
    got = import_text(render_text(with_local_rows(want, rng, "only"), layout))
    assert not any(c.startswith("art20_5.other_services.") for c in got.values)
    doubt = [f for f in got.findings if f.rule == "doc.row_doubtful"]
    assert [f.cells[0] for f in doubt] == ["art20_5.other_services.prev_items", "art20_6.coercion.prev_items"]
    assert "紧接着是地方加的行（行政检查、行政确认、行政奖励、行政征收、行政给付、行政裁决）" in doubt[0].message


@pytest.mark.parametrize("place", ["nested-first", "nested-last"])
def test_the_official_row_among_its_sub_rows_is_its_subtotal_line(place):
    want, rng = _report(12, "2021", 30, False)
    text = render_text(with_local_rows(want, rng, place), "tabs")
    assert "行政许可\t小计" in text or "\t小计\t" in text
    got = import_text(text)
    assert got.to_json()["values"] == want.to_json()["values"]
    assert {f.rule for f in got.findings} == {"doc.local_row"}


@pytest.mark.parametrize("shape, place, seed, fmt, scale", [
    ("blank-separated", "nested-first", 0, "2019", 1),  # 行政处罚 ∅ 32 -3 ∅: -3 cannot be a 处理决定数量
    ("pipe-cells", "nested-last", 2009, "2019", 400),  # one long row alone was taken to show an empty last column
    ("pipes", "only", 0, "2019", 1),
    ("blank-separated", "nested-first", 13, "2019", 5),  # 行政许可 ∅ 14 5 ∅: 14|5|blank or blank|14|5 — doubtful
])
def test_cases_the_property_found(shape, place, seed, fmt, scale):
    want, rng = _report(seed, fmt, scale, True)
    drawn = with_local_rows(want, rng, place)
    _check(ALL[shape](drawn), want, drawn, place)


@pytest.mark.libreoffice
@pytest.mark.parametrize("place", ["after", "nested-last"])
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_local_rows_in_a_pdf(libreoffice, tmp_path, fmt, place):
    """The Word file with local rows printed to PDF by LibreOffice: read from the page's words as well."""
    want, rng = _report(7, fmt, 30, True)
    drawn = with_local_rows(want, rng, place)
    pdf = libreoffice.convert(render_docx(drawn, tmp_path / "年报.docx"), "pdf", tmp_path)
    _check(import_document(pdf), want, drawn, place)


def test_an_official_row_under_an_unknown_wording_is_doubtful_not_missing():
    """“行政许可事项” is not a label of the format: it may be 行政许可 or a row of the agency's own. The
    row is not read and the table is not called missing (an error); the user is asked to look."""
    want, _ = _report(3, "2021", 5, False)
    got = import_text(render_text(want, "tabs").replace("行政许可\t", "行政许可事项\t"))
    assert [f.rule for f in got.findings] == ["doc.local_row", "doc.row_doubtful"]
    assert "没有认出「行政许可」行" in got.findings[1].message and "art20_5.licensing.decisions" not in got.values
    assert _errors(validate(got).findings) == []


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_a_local_row_ending_in_an_official_label_does_not_take_its_place(layout):
    """“涉企行政处罚 777” before 行政处罚: the agency's row, not the format's (its label only ends like it)."""
    want, _ = _report(3, "2021", 30, False)
    text = render_text(want, layout)
    local = "涉企行政处罚\t777\n" if layout == "tabs" else "\t涉企行政处罚\n\t777\n\n"
    text = text.replace("行政处罚\t", local + "行政处罚\t", 1) if layout == "tabs" else text.replace("\t行政处罚\n", local + "\t行政处罚\n", 1)
    got = import_text(text)
    assert got.to_json()["values"] == want.to_json()["values"]
    assert [f.message for f in got.findings] == ["第二十条第（六）项表中有格式以外的行「涉企行政处罚」，未读取"]
