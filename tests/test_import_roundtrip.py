"""Property round trips: random consistent reports rendered as published documents come back identical."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from import_support import render_docx, render_html, render_text
from xlgova.importers import import_document, import_text
from xlgova.model import parse_value
from xlgova.rules import validate
from xlgova.demo.samples import random_report

formats = st.sampled_from(["2021", "2019"])
agencies = st.sampled_from(["示例县人民政府办公室", "海城街道办事处", "某市生态环境局", "红星镇人民政府"])


def _report(seed, fmt, agency):
    return random_report(seed, fmt, agency=agency)


def assert_same(got, want):
    assert (got.agency, got.year, got.format_id) == (want.agency, want.year, want.format_id)
    assert got.to_json()["values"] == want.to_json()["values"]
    assert got.sections == want.sections
    assert not got.findings, [f.message for f in got.findings]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), formats, agencies, st.sampled_from(["tabs", "pipes", "cells"]))
def test_text_layouts_round_trip(seed, fmt, agency, layout):
    want = _report(seed, fmt, agency)
    got = import_text(render_text(want, layout))
    assert_same(got, want)
    assert got.meta["layouts"]["apps"] == {"cells": "cell-per-line"}.get(layout, layout)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6), formats, agencies)
def test_docx_official_layout_round_trip(tmp_path_factory, seed, fmt, agency):
    want = _report(seed, fmt, agency)
    path = render_docx(want, tmp_path_factory.mktemp("docx") / "report.docx")
    got = import_document(path)
    assert_same(got, want)
    src = got.provenance["apps.new.total"]
    assert src.address and src.address.startswith("表") and src.text == str(want.number("apps.new.total"))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), formats, agencies)
def test_html_round_trip(tmp_path_factory, seed, fmt, agency):
    want = _report(seed, fmt, agency)
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(want), encoding="utf-8")
    assert_same(import_document(path), want)


def test_traditional_full_width_and_spaced_labels():
    import zhconv

    want = random_report(7, "2021")
    text = zhconv.convert(render_text(want, "tabs"), "zh-tw")
    text = text.replace("尚未審結", "尚 未 審 結").replace("“", '"').replace("”", '"').replace("本年廢止件數", "本年度止件數")
    text = text.replace("\t1\t", "\t１\t")  # full-width digits: kept as found, read as numbers
    got = import_text(text)
    assert got.agency == want.agency and not got.findings
    assert all(got.number(cid) == want.number(cid) for cid in want.format.cells)
    assert any(v.normalised and v.raw == "１" for v in got.values.values())


def test_imported_reports_validate_like_typed_ones():
    want = random_report(11, "2021")
    got = import_text(render_text(want, "pipes"))
    assert validate(got).status_text() == validate(want).status_text() == "通过"


@pytest.mark.libreoffice
def test_pdf_round_trip_via_libreoffice(libreoffice, tmp_path):
    want = random_report(3, "2021")
    docx_path = render_docx(want, tmp_path / "report.docx")
    pdf = libreoffice.convert(docx_path, "pdf", tmp_path)
    got = import_document(pdf)
    assert_same(got, want)
    assert got.provenance["apps.new.total"].page >= 1


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_word_export_round_trips_through_the_importer(tmp_path, fmt):
    export = pytest.importorskip("xlgova.export")
    for seed in range(3):
        want = random_report(seed, fmt, agency="红星镇人民政府")
        got = import_document(export.render_docx(want, tmp_path / f"{fmt}_{seed}.docx"))
        assert_same(got, want)


@pytest.mark.libreoffice
def test_pdf_of_plain_text_without_table_rules(libreoffice, tmp_path):
    """Tables printed as text (no ruling lines): cells split at spaces, wrapped rows joined again."""
    want = random_report(4, "2021")
    txt = tmp_path / "report.txt"
    txt.write_text(render_text(want, "tabs"), encoding="utf-8")
    got = import_document(libreoffice.convert(txt, "pdf", tmp_path))
    assert_same(got, want)


PLACEHOLDERS = ["", "/", "-", "无", "０"]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), formats, st.sampled_from(["tabs", "pipes", "cells"]), st.lists(st.tuples(st.integers(0, 10**4), st.sampled_from(PLACEHOLDERS)), max_size=12))
def test_placeholders_are_kept_as_found(seed, fmt, layout, edits):
    """Zeros written as blank, "/", "-", "无" or a full-width digit come back as written, never moved."""
    want = random_report(seed, fmt)
    zeros = [cid for cid, v in want.values.items() if v.is_number and v.number == 0]
    for k, text in edits:
        if zeros:
            want.values[zeros[k % len(zeros)]] = parse_value(text or None)
    got = import_text(render_text(want, layout))
    assert got.to_json()["values"] == want.to_json()["values"]
    assert not got.findings, [f.message for f in got.findings]
